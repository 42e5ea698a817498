"""Composition: turn an issue plan into the issue readers get.

Decides the lead (newest story, or the editor's ``Lead:``), which other stories the
email shows (at most ``BYLINE_NEWSLETTER_MAX_STORIES``, most read first, then newest;
the rest are one "N more stories" link away, so a busy week cannot outgrow the email),
the "Most read" list (ranked by the caller, minus the period's stories), the subject and
preheader (editor's override, else the settings templates; always one clean line) and
the campaign name. The renderers only print what is decided here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..textclean import clean_text
from .config import NewsletterSettings
from .links import campaign_name
from .models import Issue, IssuePlan, Override, Story
from .override import OverrideError
from .periods import PERIOD_LABELS

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def format_date(day: date) -> str:
    """'24 November 2026', spelled out so no reader misreads it and no OS locale changes it."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def one_line(text: str) -> str:
    """A subject or preheader: no control character, no line break, no doubled space."""
    return " ".join(clean_text(text, single_line=True).split())


def _fill(template: str, issue_fields: dict[str, object]) -> str:
    return one_line(template.format(**issue_fields))


def more_stories_label(count: int, period_label: str) -> str:
    """'51 more stories this week', '1 more story this month'."""
    noun = "story" if count == 1 else "stories"
    return f"{count} more {noun} this {period_label}"


def pick_stories(
    others: Sequence[Story], most_read: Sequence[Story], limit: int
) -> tuple[Story, ...]:
    """At most ``limit`` of ``others``: most read first, then newest; shown newest first.

    ``others`` is newest first. The choice depends only on the ranking and the dates, so
    the same content and pageviews always give the same email.
    """
    if len(others) <= limit:
        return tuple(others)
    rank = {}
    for position, story in enumerate(most_read):
        rank.setdefault(story.slug, position)
    order = {story.slug: position for position, story in enumerate(others)}
    chosen = sorted(others, key=lambda s: (rank.get(s.slug, len(rank)), order[s.slug]))[:limit]
    return tuple(sorted(chosen, key=lambda s: order[s.slug]))


def compose(
    plan: IssuePlan,
    settings: NewsletterSettings,
    most_read: Sequence[Story],
    override: Override | None,
    archive_url: str,
    limit: int | None = None,
) -> Issue:
    """Build one issue; raises OverrideError (naming the file) for a Lead not in it.

    ``most_read`` is the site's ranking by pageviews, best first (empty without a fresh
    snapshot): the Most read block takes its first few stories outside the period, and
    the cap keeps the period's best-read stories. ``limit`` overrides the cap
    (``settings.max_stories``), for an issue that must shrink to fit its budget.
    """
    if not plan.stories:
        raise ValueError(f"issue #{plan.number} has no stories; plan_issues never makes one")
    stories = list(plan.stories)
    lead = stories[0]
    if override is not None and override.lead:
        matches = [s for s in stories if s.slug == override.lead]
        if not matches:
            known = ", ".join(s.slug for s in stories)
            raise OverrideError(
                f"{override.path}: Lead: {override.lead!r} is not in issue #{plan.number} "
                f"({format_date(plan.date)}); its stories are: {known}"
            )
        lead = matches[0]
    others = tuple(s for s in stories if s is not lead)
    cap = settings.max_stories if limit is None else max(0, limit)
    shown = pick_stories(others, most_read, cap)

    in_issue = {s.slug for s in stories} | {s.url for s in stories}
    picked: list[Story] = []
    for story in most_read:
        if len(picked) >= settings.most_read_count:
            break
        if story.slug in in_issue or story.url in in_issue:
            continue
        if any(p.slug == story.slug for p in picked):
            continue
        picked.append(story)

    fields = {
        "name": settings.name,
        "number": plan.number,
        "date": format_date(plan.date),
        "lead_title": lead.title,
        "lead_standfirst": lead.standfirst,
        "lead_author": lead.author,
        "count": len(stories),
    }
    subject = one_line(override.subject if override else "") or _fill(
        settings.subject_template, fields
    )
    preheader = one_line(override.preheader if override else "") or _fill(
        settings.preheader_template, fields
    )
    return Issue(
        plan=plan,
        name=settings.name,
        subject=subject,
        preheader=preheader,
        lead=lead,
        stories=shown,
        most_read=tuple(picked),
        intro_html=override.intro_html if override else "",
        intro_markdown=override.intro_markdown if override else "",
        call_to_action=settings.call_to_action,
        archive_url=archive_url,
        campaign=campaign_name(settings.name, plan.number),
        period_label=PERIOD_LABELS[settings.period],
        site_url=settings.site_url,
    )
