"""The "Most read" block: which stories it lists, under which heading, and why.

A core on plain data: the article records, the build's settings and the time. It reads
the pageview snapshot (``byline.pageviews``), ranks the published stories by it and,
without a fresh snapshot that matches anything, falls back to the latest stories under
"Latest", saying why. The glue only attaches the result; templates and the newsletter
read ``ranked`` rather than guessing what the list means from its CSS class.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .record import ArticleRecord

RANKED_HEADING = "Most read"
LATEST_HEADING = "Latest"


@dataclass(frozen=True)
class MostRead:
    """The block's candidates (positions in the records given), best first, and its heading.

    More than the block shows (``candidates``): an article page leaves itself out, and the
    stories its blocks above already list (``blocks.page_blocks``).
    """

    picks: tuple[int, ...]
    heading: str
    ranked: bool  # True: ranked by pageviews; False: the latest stories instead
    views: Mapping[str, int] = field(default_factory=dict)  # matched views by URL path
    problem: str = ""  # why the block is not ranked ("" when it is)
    matched: str = ""  # how the snapshot's paths matched the site's, for the build log


def choose_most_read(
    records: Sequence[ArticleRecord],
    settings: Mapping[str, Any],
    environ: Mapping[str, str],
    now: datetime,
    candidates: int | None = None,
) -> MostRead:
    """Rank the published ``records`` (newest first, as Pelican lists them) by pageviews.

    ``candidates``: how many to hand over, best first (default: the block's count plus one,
    as the home page needs: its lead story is left out).
    """
    from .pageviews import PageviewError, config_from_settings, match_views, snapshot_status

    size = int(settings["BYLINE_MOST_READ_COUNT"])
    count = size + 1 if candidates is None else max(0, candidates)
    by_path = {record.path: index for index, record in enumerate(records)}
    max_age = settings["BYLINE_MOST_READ_MAX_AGE_DAYS"]
    try:
        config = config_from_settings(
            settings, environ, base_dir=Path(settings["PATH"]).resolve().parent, need_key=False
        )
        status = snapshot_status(config.snapshot, now, float(max_age or 0) or math.inf)
    except PageviewError as error:
        return _latest(records, count, str(error))
    if not status.usable:
        return _latest(records, count, status.message)
    matched = match_views(
        status.snapshot.views,
        by_path.keys(),
        _analytics_site_url(settings),
        settings["BYLINE_PAGEVIEWS_REDIRECTS"],
    )
    views = dict(matched.views)
    if status.state != "fresh":
        return _latest(records, count, status.message, views, matched.describe())
    ranked = _rank(records, by_path, views, settings, count, now)
    if not ranked:
        problem = "no pageviews in the snapshot match a published article"
        return _latest(records, count, problem, views, matched.describe())
    return MostRead(ranked, RANKED_HEADING, True, views, "", matched.describe())


def _analytics_site_url(settings: Mapping[str, Any]) -> str:
    """The SITEURL whose host full URLs in the snapshot must have, or "" for any host.

    A local build's SITEURL (http://127.0.0.1:8000, so its feeds have absolute links) is
    no address analytics ever saw: matching against it would drop every view recorded as
    a full URL, and the preview's Most read would differ from the real site's.
    """
    from .siteurl import is_this_machine

    site_url = str(settings.get("SITEURL") or "")
    return "" if is_this_machine(site_url) else site_url


def _rank(
    records: Sequence[ArticleRecord],
    by_path: Mapping[str, int],
    views: Mapping[str, int],
    settings: Mapping[str, Any],
    count: int,
    now: datetime,
) -> tuple[int, ...]:
    from .pageviews import rank_most_read

    half_life = float(settings["BYLINE_MOST_READ_HALF_LIFE_DAYS"] or 0) or None
    entries = rank_most_read(
        views,
        count=count,
        exclude=settings["BYLINE_MOST_READ_EXCLUDE"],
        dates={path: records[index].date for path, index in by_path.items()},
        now=now,
        half_life_days=half_life,
    )
    return tuple(by_path[entry.path] for entry in entries)


def _latest(
    records: Sequence[ArticleRecord],
    count: int,
    problem: str,
    views: Mapping[str, int] | None = None,
    matched: str = "",
) -> MostRead:
    picks = tuple(range(min(len(records), count)))
    return MostRead(picks, LATEST_HEADING, False, dict(views or {}), problem, matched)
