"""Composition: turn an issue plan into the issue readers get.

Decides the lead (newest story, or the editor's ``Lead:``), the other stories, the
"Most read" list (ranked by the caller, minus stories already in the issue), the subject
and preheader (editor's override, else the settings templates) and the campaign name.
The renderers only print what is decided here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

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


def _fill(template: str, issue_fields: dict[str, object]) -> str:
    return " ".join(template.format(**issue_fields).split())


def compose(
    plan: IssuePlan,
    settings: NewsletterSettings,
    most_read: Sequence[Story],
    override: Override | None,
    archive_url: str,
) -> Issue:
    """Build one issue; raises OverrideError (naming the file) for a Lead not in it."""
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
    subject = (override.subject if override else "") or _fill(settings.subject_template, fields)
    preheader = (override.preheader if override else "") or _fill(
        settings.preheader_template, fields
    )
    return Issue(
        plan=plan,
        name=settings.name,
        subject=subject,
        preheader=preheader,
        lead=lead,
        stories=others,
        most_read=tuple(picked),
        intro_html=override.intro_html if override else "",
        intro_markdown=override.intro_markdown if override else "",
        call_to_action=settings.call_to_action,
        archive_url=archive_url,
        campaign=campaign_name(settings.name, plan.number),
        period_label=PERIOD_LABELS[settings.period],
    )
