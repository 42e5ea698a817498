"""One record per article: what every core needs to know about a story, worked out once.

The glue (``byline.plugin``) builds an ``ArticleRecord`` for each article right after
Pelican has read it, puts it on the article (``article.record``) and hands the same list
to every core: More from, Most read, related stories, the newsletter digest. A core never
reaches into Pelican's objects, so it can be tested on records made by hand, and a field
worked out here (the plain-text body, the hero's size) is never worked out twice.

Plain data, no Pelican: frozen, with slots, cheap to make for thousands of articles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .images import HeroImage


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """One article as Byline's cores see it. Text fields are plain text unless named html."""

    slug: str
    url: str  # relative to the site, like "cash-flow-is-a-calendar/"
    title: str
    date: datetime  # timezone-aware publication time
    standfirst: str = ""  # the Summary line as plain text ("" when there is none)
    standfirst_html: str = ""  # the same, sanitised HTML, before Pelican resolves links
    body_text: str = ""  # what a reader reads: tags stripped, entities decoded
    modified: datetime | None = None
    author: str = ""  # the first author's name
    section: str = ""  # the category's name
    tags: tuple[str, ...] = ()
    series: str = ""
    hero: HeroImage | None = None  # resolved: the file exists, its size is read
    status: str = "published"  # published, hidden or draft
    lang: str = ""
    translation_key: str = ""  # equal for an article and its translations
    related_slugs: tuple[str, ...] = ()  # the editor's own picks, from a `Related:` line
    reading_minutes: int = 1
    source: str = ""  # the source file as the user would type it, for messages

    @property
    def path(self) -> str:
        """The URL path analytics report for the article: "/" + url."""
        return "/" + self.url
