"""The editor's ``Related:`` picks first, then the ranker's, with reasons.

Pure logic over plain records (``Doc``) so it can be tested without a build; the plugin
glue maps Pelican articles to and from these records.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .cache import cached_rank
from .doc import Doc, Pick
from .weights import Weights

if TYPE_CHECKING:
    from ..record import ArticleRecord

EDITOR_REASON = "editor's pick"


class RelatedPick(NamedTuple):
    """What templates get in ``article.related``: the article, its score and why (reasons
    in words; parts: what each of reasons.SIGNALS added to the score, () for an editor's
    pick)."""

    article: object
    score: float | None
    reasons: tuple[str, ...]
    parts: tuple[float, ...] = ()


class RelatedEntry(NamedTuple):
    """One pick for one article: which doc, its score (None for an editor's pick), why."""

    index: int
    score: float | None
    reasons: tuple[str, ...]
    parts: tuple[float, ...] = ()


def weights_from_settings(values: dict | None) -> Weights:
    """Weights from ``BYLINE_RELATED_WEIGHTS``; unknown names are an error worth naming."""
    values = dict(values or {})
    known = set(Weights.__dataclass_fields__)
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(
            f"BYLINE_RELATED_WEIGHTS has unknown signal(s) {', '.join(unknown)}; "
            f"use {', '.join(sorted(known))}"
        )
    return Weights(**{name: float(value) for name, value in values.items()})


def related_lists(
    docs: Sequence[Doc],
    manual: Sequence[Sequence[str]],
    count: int,
    weights: Weights | None = None,
    older_only: bool = False,
    cache_dir: Path | None = None,
) -> tuple[list[list[RelatedEntry | Pick]], list[tuple[int, str]]]:
    """Every doc's related list, and (doc index, problem) pairs for the editor.

    Manual picks come first, in the editor's order; automatic picks fill up to ``count``.
    With ``cache_dir`` the automatic picks come from the last build's when nothing they
    depend on changed (cache.py).
    """
    index_of = {doc.slug: i for i, doc in enumerate(docs)}
    problems: list[tuple[int, str]] = []
    chosen_manual: list[list[int]] = []
    for i, slugs in enumerate(manual):
        picks: list[int] = []
        for slug in slugs:
            target = index_of.get(slug)
            if target is None:
                problems.append(
                    (
                        i,
                        f"Related: '{slug}' is not the slug of any published article; "
                        "check the spelling (the slug is the file name without .md)",
                    )
                )
            elif target == i:
                problems.append((i, f"Related: '{slug}' is this article itself; remove it"))
            elif target not in picks:
                picks.append(target)
        chosen_manual.append(picks)

    longest = max((len(p) for p in chosen_manual), default=0)
    automatic = cached_rank(docs, count + longest, weights or Weights(), older_only, cache_dir)
    lists: list[list[RelatedEntry | Pick]] = []
    for i, picks in enumerate(chosen_manual):
        if not picks:  # the common case: the ranker's picks (same fields) as they are
            lists.append(automatic[i][:count])
            continue
        entries = [RelatedEntry(p, None, (EDITOR_REASON,)) for p in picks]
        taken = set(picks)
        for pick in automatic[i]:
            if len(entries) >= max(count, len(picks)):
                break
            if pick.index not in taken:
                taken.add(pick.index)
                entries.append(RelatedEntry(pick.index, pick.score, pick.reasons, pick.parts))
        lists.append(entries)
    return lists, problems


def related_for_records(
    records: Sequence[ArticleRecord],
    count: int,
    weights: Weights | None = None,
    older_only: bool = False,
    cache_dir: Path | None = None,
) -> tuple[list[list[RelatedEntry | Pick]], list[tuple[int, str]]]:
    """``related_lists`` over the build's article records: the one entry the glue calls."""
    docs = [Doc.from_record(record) for record in records]
    manual = [list(record.related_slugs) for record in records]
    return related_lists(
        docs, manual, count=count, weights=weights, older_only=older_only, cache_dir=cache_dir
    )
