"""The candidates for "More from <author>" and its fallback, "More in <section>".

Pure ranking over article records (anything with slug, date, author and section), so it
can be tested without a build. Two separate lists per story, because the page prints them
under two headings: a list called "More from Dan Hartley" must hold only Dan Hartley's
stories. Newest first, date ties by slug. Linear in the number of articles: each group is
sorted once and each article takes the head of it.

Ask for more than the block shows (``blocks.candidates_needed``): ``blocks.page_blocks``
leaves out the stories the page lists higher up and tops the block up from the spares.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple, Protocol


class _Story(Protocol):
    slug: str
    date: object  # a datetime
    author: str
    section: str


class MoreFrom(NamedTuple):
    """One story's candidates, as positions in the records given, best first."""

    by_author: tuple[int, ...]  # the same author's other stories
    in_section: tuple[int, ...]  # the same section's stories by other authors


def more_from(records: Sequence[_Story], count: int) -> list[MoreFrom]:
    """For every record, up to ``count`` of the author's other stories and as many of the
    section's stories by someone else."""
    limit = max(0, count)
    order = sorted(
        range(len(records)), key=lambda i: (-records[i].date.timestamp(), records[i].slug)
    )
    by_author: dict[str, list[int]] = defaultdict(list)
    by_section: dict[str, list[int]] = defaultdict(list)
    for index in order:
        by_author[records[index].author].append(index)
        by_section[records[index].section].append(index)

    # The section list leaves the author out, so it depends on (section, author) alone:
    # worked out once per pair, each scan skips only that author's own stories.
    sections: dict[tuple[str, str], tuple[int, ...]] = {}
    picks: list[MoreFrom] = []
    for index, record in enumerate(records):
        # No byline or no section: no such block on the page, so no candidates for it
        # (an unshown list must not take stories away from the blocks below).
        own = [other for other in by_author[record.author][: limit + 1] if other != index]
        if not record.author:  # every other story of the section is by someone else
            pool = by_section[record.section] if record.section else []
            others = tuple([other for other in pool[: limit + 1] if other != index][:limit])
            picks.append(MoreFrom((), others))
            continue
        key = (record.section, record.author)
        if key not in sections:
            pool = by_section[record.section] if record.section else []
            sections[key] = _others(records, pool, record.author, limit)
        picks.append(MoreFrom(tuple(own[:limit]), sections[key]))  # shared, never changed
    return picks


def _others(records: Sequence[_Story], pool: list[int], author: str, limit: int) -> tuple[int, ...]:
    """The first ``limit`` stories of ``pool`` written by someone other than ``author``."""
    chosen: list[int] = []
    for other in pool:
        if len(chosen) >= limit:
            break
        if records[other].author != author:
            chosen.append(other)
    return tuple(chosen)
