"""The plain values passed between the newsletter modules.

All frozen, so an issue computed once cannot drift between the HTML, the text twin, the
manifest and the feeds that are made from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..textclean import clean_text

if TYPE_CHECKING:
    from ..record import ArticleRecord

#: How wide the email shows the lead's hero, in pixels; its height follows the image.
EMAIL_IMAGE_WIDTH = 600


@dataclass(frozen=True)
class Story:
    """One article as an issue prints it: the build's ``ArticleRecord`` with every link
    made absolute, each field one line.

    Not a second record of the article, but what an email needs of it outside the site:
    absolute links and the hero's size at the email's width. It is also exactly what a sent
    issue keeps in its frozen ``issue.json`` (``issue_data.py``), so the issue can be
    rebuilt years later without the site's records. Made only by ``from_record`` (and,
    for a frozen issue, from its JSON).
    """

    slug: str
    url: str
    title: str
    standfirst: str
    author: str
    section: str
    date: datetime  # timezone-aware
    image_url: str = ""
    image_alt: str = ""
    image_width: int | None = None
    image_height: int | None = None

    @classmethod
    def from_record(cls, record: ArticleRecord, site_url: str) -> Story:
        """The record's fields for an email: links under ``site_url``, one line each.

        The reader already cleans metadata; cleaning again here (a no-op then) keeps
        control characters out of the feeds, headers and manifest whatever the source.
        """

        def line(value: object) -> str:
            return clean_text(str(value or ""), single_line=True)

        hero = record.hero
        size = hero.scaled_to(EMAIL_IMAGE_WIDTH) if hero is not None else None
        return cls(
            slug=record.slug,
            url=f"{site_url}/{record.url}",
            title=line(record.title),
            standfirst=line(record.standfirst),
            author=line(record.author),
            section=line(record.section),
            date=record.date,
            image_url=hero.email_url(site_url) if hero is not None else "",
            image_alt=line(hero.alt) if hero is not None else "",
            image_width=size[0] if size else None,
            image_height=size[1] if size else None,
        )


@dataclass(frozen=True)
class IssuePlan:
    """One numbered issue: the period it covers and the stories published in it.

    The period is ``[start, end)``; ``end`` is midnight at the start of the send day
    ``date``, so an article published on a send day goes into the next issue.
    """

    number: int
    date: date
    start: datetime
    end: datetime
    stories: tuple[Story, ...]  # newest first

    @property
    def id(self) -> str:
        """Stable across builds: send date and number, e.g. ``2026-11-24-14``."""
        return f"{self.date.isoformat()}-{self.number}"


@dataclass(frozen=True)
class Override:
    """An editor's per-issue file: optional subject, preheader, lead slug and intro."""

    path: Path
    subject: str = ""
    preheader: str = ""
    lead: str = ""
    intro_markdown: str = ""
    intro_html: str = ""
    #: What reading the file cleaned up (control characters), each naming file and field.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Issue:
    """A composed issue: everything the renderers print, already decided."""

    plan: IssuePlan
    name: str
    subject: str
    preheader: str
    lead: Story
    stories: tuple[Story, ...]  # the others the email shows (at most the cap), newest first
    most_read: tuple[Story, ...]  # ranked, without stories already in the issue
    intro_html: str
    intro_markdown: str
    call_to_action: str  # "forward" or "reply"
    archive_url: str
    campaign: str  # utm_campaign value, e.g. "the-counter-weekly-14"
    period_label: str = "week"  # "week", "fortnight" or "month", for headings
    site_url: str = ""  # the absolute site the links point at, no trailing slash

    @property
    def number(self) -> int:
        return self.plan.number

    @property
    def date(self) -> date:
        return self.plan.date

    @property
    def id(self) -> str:
        return self.plan.id

    @property
    def articles(self) -> tuple[Story, ...]:
        """The stories in the order the email shows them: lead first."""
        return (self.lead, *self.stories)

    @property
    def every_other_story(self) -> tuple[Story, ...]:
        """Every story of the period but the lead, newest first: the archive page's list."""
        return tuple(s for s in self.plan.stories if s.slug != self.lead.slug)

    @property
    def more_count(self) -> int:
        """Stories of the period the email leaves to the archive page (over the cap)."""
        return len(self.every_other_story) - len(self.stories)
