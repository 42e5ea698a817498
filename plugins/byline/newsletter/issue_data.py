"""An issue as data: ``issue.json``, the part of a sent issue that pages are rebuilt from.

Every build writes ``issue.json`` beside each issue's email files; once the issue is
sent, its frozen copy keeps it, and later builds render the issue's archive page and
feed entry from it instead of from today's content and pageviews. So it holds all they
show (lead, the stories the email showed, every story of the period, Most read, subject,
preheader, introduction, period) and loads back into an equal ``Issue``. The JSON is
deterministic: the same issue always gives the same bytes.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import BylineError
from .models import Issue, IssuePlan, Story

FORMAT = 1
STORY_FIELDS = (
    "slug",
    "url",
    "title",
    "standfirst",
    "author",
    "section",
    "date",
    "image_url",
    "image_alt",
    "image_width",
    "image_height",
)


class IssueDataError(BylineError, ValueError):
    """An issue.json that cannot be loaded; the message names the file and what is wrong."""


def _story_data(story: Story) -> dict[str, Any]:
    data = {name: getattr(story, name) for name in STORY_FIELDS}
    data["date"] = story.date.isoformat()
    return data


def issue_to_data(issue: Issue) -> dict[str, Any]:
    """The issue as a JSON-ready dict."""
    plan = issue.plan
    return {
        "format": FORMAT,
        "id": issue.id,
        "number": issue.number,
        "date": issue.date.isoformat(),
        "period": {
            "label": issue.period_label,
            "start": plan.start.isoformat(),
            "end": plan.end.isoformat(),
        },
        "name": issue.name,
        "site_url": issue.site_url,
        "archive_url": issue.archive_url,
        "campaign": issue.campaign,
        "subject": issue.subject,
        "preheader": issue.preheader,
        "intro": {"markdown": issue.intro_markdown, "html": issue.intro_html},
        "call_to_action": issue.call_to_action,
        "counts": {
            "period": len(plan.stories),
            "shown": len(issue.articles),
            "more": issue.more_count,
            "most_read": len(issue.most_read),
        },
        "lead": _story_data(issue.lead),
        "stories": [_story_data(s) for s in issue.stories],
        "most_read": [_story_data(s) for s in issue.most_read],
        "every_story": [_story_data(s) for s in plan.stories],
    }


def dump_issue(issue: Issue) -> str:
    """``issue.json``'s text: indented, UTF-8 as is, ending with a newline."""
    return json.dumps(issue_to_data(issue), indent=2, ensure_ascii=False) + "\n"


def _story(data: Any, where: str) -> Story:
    if not isinstance(data, dict):
        raise ValueError(f"{where} is not an object")
    missing = [name for name in STORY_FIELDS if name not in data]
    if missing:
        raise ValueError(f"{where} lacks {', '.join(missing)}")
    fields = {name: data[name] for name in STORY_FIELDS}
    when = datetime.fromisoformat(str(fields["date"]))
    if when.tzinfo is None:
        raise ValueError(f"{where}.date {fields['date']!r} has no time zone")
    fields["date"] = when
    for name in ("image_width", "image_height"):
        if fields[name] is not None and not isinstance(fields[name], int):
            raise ValueError(f"{where}.{name} is not a whole number")
    for name in STORY_FIELDS:
        if name not in ("date", "image_width", "image_height") and not isinstance(
            fields[name], str
        ):
            raise ValueError(f"{where}.{name} is not text")
    return Story(**fields)


def issue_from_data(data: Any) -> Issue:
    """The ``Issue`` an ``issue_to_data`` dict describes; ValueError says what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("the file is not a JSON object")
    if data.get("format") != FORMAT:
        raise ValueError(f"format {data.get('format')!r} is not {FORMAT}")
    try:
        every = tuple(_story(s, f"every_story[{i}]") for i, s in enumerate(data["every_story"]))
        plan = IssuePlan(
            number=int(data["number"]),
            date=date.fromisoformat(data["date"]),
            start=datetime.fromisoformat(data["period"]["start"]),
            end=datetime.fromisoformat(data["period"]["end"]),
            stories=every,
        )
        return Issue(
            plan=plan,
            name=str(data["name"]),
            subject=str(data["subject"]),
            preheader=str(data["preheader"]),
            lead=_story(data["lead"], "lead"),
            stories=tuple(_story(s, f"stories[{i}]") for i, s in enumerate(data["stories"])),
            most_read=tuple(_story(s, f"most_read[{i}]") for i, s in enumerate(data["most_read"])),
            intro_html=str(data["intro"]["html"]),
            intro_markdown=str(data["intro"]["markdown"]),
            call_to_action=str(data["call_to_action"]),
            archive_url=str(data["archive_url"]),
            campaign=str(data["campaign"]),
            period_label=str(data["period"]["label"]),
            site_url=str(data["site_url"]),
        )
    except KeyError as error:
        raise ValueError(f"it has no {error.args[0]!r}") from None
    except (TypeError, AttributeError) as error:
        raise ValueError(f"a value has the wrong type ({error})") from None


def read_issue(path: Path) -> Issue:
    """Load an ``issue.json``; raises IssueDataError naming the file and the fix."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        issue = issue_from_data(data)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise IssueDataError(
            f"{path}: cannot be read as a sent issue ({reason}); restore it from git "
            "(`git checkout -- <file>`)"
        ) from None
    return issue
