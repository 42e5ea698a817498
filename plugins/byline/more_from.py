"""The "More from <author>" list: latest by the same author, then the same section.

Pure ranking over plain records so it can be tested without a build. Linear in the
number of articles: each group is sorted once and each article takes the head of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Story:
    key: Hashable  # anything unique per article (the slug, or the article itself)
    date: datetime
    slug: str
    author: str
    section: str


def _newest_first(story: Story) -> tuple:
    return (-story.date.timestamp(), story.slug)


def more_from(stories: Sequence[Story], count: int) -> dict[Hashable, list[Hashable]]:
    """For every story, up to ``count`` keys of other stories in rank order."""
    by_author: dict[str, list[Story]] = defaultdict(list)
    by_section: dict[str, list[Story]] = defaultdict(list)
    for story in sorted(stories, key=_newest_first):
        by_author[story.author].append(story)
        by_section[story.section].append(story)

    picks: dict[Hashable, list[Hashable]] = {}
    for story in stories:
        chosen: list[Hashable] = []
        seen = {story.key}
        for pool in (by_author[story.author], by_section[story.section]):
            for other in pool:
                if len(chosen) >= count:
                    break
                if other.key not in seen:
                    seen.add(other.key)
                    chosen.append(other.key)
        picks[story.key] = chosen
    return picks
