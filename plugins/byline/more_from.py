"""The "More from <author>" list: latest by the same author, then the same section.

Pure ranking over article records (anything with slug, date, author and section), so it
can be tested without a build. Linear in the number of articles: each group is sorted
once and each article takes the head of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Protocol


class _Story(Protocol):
    slug: str
    date: object  # a datetime
    author: str
    section: str


def more_from(records: Sequence[_Story], count: int) -> list[list[int]]:
    """For every record, the positions of up to ``count`` others, in rank order."""
    order = sorted(
        range(len(records)), key=lambda i: (-records[i].date.timestamp(), records[i].slug)
    )
    by_author: dict[str, list[int]] = defaultdict(list)
    by_section: dict[str, list[int]] = defaultdict(list)
    for index in order:
        by_author[records[index].author].append(index)
        by_section[records[index].section].append(index)

    picks: list[list[int]] = []
    for index, record in enumerate(records):
        chosen: list[int] = []
        seen = {index}
        for pool in (by_author[record.author], by_section[record.section]):
            for other in pool:
                if len(chosen) >= count:
                    break
                if other not in seen:
                    seen.add(other)
                    chosen.append(other)
        picks.append(chosen)
    return picks
