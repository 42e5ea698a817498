"""The ranker's input: one article as plain fields, so the ranker never needs Pelican."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..record import ArticleRecord


class Doc(NamedTuple):
    """One article as the ranker sees it (a named tuple: cheap to make thousands of)."""

    slug: str
    title: str
    summary: str
    body: str  # plain text
    section: str = ""
    tags: tuple[str, ...] = ()
    author: str = ""
    series: str = ""
    timestamp: float = 0.0  # publication time, for ties and the older-only option

    @classmethod
    def from_record(cls, record: ArticleRecord) -> Doc:
        """The ranker's view of the one record the build made for the article."""
        return cls(
            record.slug,
            record.title,
            record.standfirst,
            record.body_text,
            record.section,
            record.tags,
            record.author,
            record.series,
            record.date.timestamp(),
        )
