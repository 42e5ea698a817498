"""Rank articles for the "Most read" block: a pure function over views (and dates)."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from ..settings import default
from .paths import canonical_path


@dataclass(frozen=True)
class RankedArticle:
    """One "Most read" entry: the article path, its views and the score it was ranked by."""

    path: str
    views: int
    score: float


def _as_datetime(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def is_excluded(path: str, exclude: Iterable[str]) -> bool:
    """True when ``path`` equals an exclude entry (any spelling) or matches it as a glob.

    "/about/" also excludes "/about" and "/about/index.html"; "/tag/*" excludes all tags.
    """
    key = canonical_path(path) or path
    for pattern in exclude:
        if any(mark in pattern for mark in "*?["):
            if fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(key, pattern.casefold()):
                return True
        elif canonical_path(pattern) == key:
            return True
    return False


def rank_most_read(
    views: Mapping[str, int],
    *,
    count: int = default("BYLINE_MOST_READ_COUNT"),
    exclude: Iterable[str] = (),
    dates: Mapping[str, date | datetime] | None = None,
    now: date | datetime | None = None,
    half_life_days: float | None = None,
) -> list[RankedArticle]:
    """The top ``count`` paths by views, best first; ties by views, then path.

    With ``half_life_days`` (and ``dates`` {path: published} plus ``now``) each article's
    views are weighted by 0.5 ** (age_days / half_life_days) so new pieces can climb;
    a path without a date, or dated in the future, is not discounted. Paths with no views
    and paths matching ``exclude`` are left out.
    """
    if count <= 0:
        return []
    exclude = list(exclude)
    weighting = bool(half_life_days) and dates is not None and now is not None
    if half_life_days is not None and half_life_days <= 0:
        raise ValueError("half_life_days must be positive")
    now_dt = _as_datetime(now) if weighting else None
    ranked: list[RankedArticle] = []
    for path, seen in views.items():
        if seen <= 0 or is_excluded(path, exclude):
            continue
        score = float(seen)
        if weighting:
            published = dates.get(path)
            if published is not None:
                age = (now_dt - _as_datetime(published)).total_seconds() / 86400
                if age > 0:
                    score *= 0.5 ** (age / half_life_days)
        ranked.append(RankedArticle(path, seen, score))
    ranked.sort(key=lambda item: (-item.score, -item.views, item.path))
    return ranked[:count]
