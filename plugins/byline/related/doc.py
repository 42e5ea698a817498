"""The ranker's input and output as plain fields: one article (Doc) and one pick (Pick), so
neither the ranker nor its cache needs Pelican, and reading cached picks needs no numpy."""

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


SIGNALS = ("text", "tags", "section", "series", "author")  # the parts of a score, in order


class Pick(NamedTuple):
    """One automatic pick (a named tuple: thousands are made per build, and tuples are cheap)."""

    index: int  # index into docs
    score: float
    reasons: tuple[str, ...]  # which signals contributed
    parts: tuple[float, ...] = ()  # what each of SIGNALS added to the score


def deciding_signal(parts: tuple[float, ...]) -> str:
    """The signal that added most to a pick's score ("" for none, e.g. an editor's pick)."""
    if not parts or max(parts) <= 0:
        return ""
    return SIGNALS[max(range(len(parts)), key=parts.__getitem__)]
