"""The story blocks under an article, settled for one page: each story shown once.

An article page lists stories in up to four blocks, in this order: Related stories, More
from <author>, More in <section> and Most read. Each block's core ranks its candidates on
its own (``related``, ``more_from``, ``most_read``); left alone, the same story would turn
up in two or three blocks of one page. ``page_blocks`` walks the blocks in page order and
leaves out of each block what the page already shows (the article itself included), then
tops the block up from its next candidates, so a block stays full while it has any.

That only works if the cores rank spares: ``candidates_needed`` says how many. Pure
functions over plain lists (positions, slugs: anything hashable), so they are tested
without a build; the plugin glue maps articles to positions and back.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


def candidates_needed(size: int, shown_above: int) -> int:
    """How many ranked candidates a block's core should hand over so the block stays full:
    its own ``size`` plus every story that may already be on the page above it (the
    article itself and the earlier blocks' stories), each of which may be left out."""
    return max(0, size) + max(0, shown_above)


def take(candidates: Iterable[T], size: int, shown: set[T]) -> list[T]:
    """The first ``size`` candidates the page does not show yet, best first; each one taken
    is added to ``shown`` so later blocks leave it out."""
    chosen: list[T] = []
    if size <= 0:
        return chosen
    for candidate in candidates:
        if candidate in shown:
            continue
        shown.add(candidate)
        chosen.append(candidate)
        if len(chosen) >= size:
            break
    return chosen


@dataclass(frozen=True)
class PageBlocks(Generic[T]):
    """What one page shows in each block, after the dedupe, in page order."""

    related: list[T]
    more_from: list[T]  # the author's own stories only
    more_in: list[T]  # the same section's, by others: the fallback, under its own heading
    most_read: list[T]

    def all_links(self) -> list[T]:
        """Every story the blocks list, in page order (no repeats, by construction)."""
        return [*self.related, *self.more_from, *self.more_in, *self.most_read]


def page_blocks(
    own: T | None,
    related: Sequence[T],
    by_author: Sequence[T],
    in_section: Sequence[T],
    most_read: Sequence[T],
    *,
    more_count: int,
    most_read_count: int,
) -> PageBlocks[T]:
    """One page's blocks, each story at most once, priority in page order.

    ``related`` is shown as it is (the first block, already without the article itself).
    More from takes up to ``more_count`` of the author's stories; More in <section> fills
    the rest of that budget from the section, so the two together are as long as More from
    was before. Most read takes ``most_read_count`` from what is left. ``own`` (the page's
    article, None for a page that is not in the lists) never appears in any block.
    """
    shown: set[T] = set() if own is None else {own}
    first = take(related, len(related), shown)
    from_author = take(by_author, more_count, shown)
    from_section = take(in_section, more_count - len(from_author), shown)
    read = take(most_read, most_read_count, shown)
    return PageBlocks(first, from_author, from_section, read)
