"""The plain values passed between the newsletter modules.

All frozen, so an issue computed once cannot drift between the HTML, the text twin, the
manifest and the feeds that are made from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path


@dataclass(frozen=True)
class Story:
    """One published article, as the glue hands it over; every URL is absolute."""

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
