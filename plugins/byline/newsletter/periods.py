"""Issue planning: which articles go in which numbered issue, from the content alone.

Rule, the same for every period: issues go out on send days, and an issue holds every
article published from the previous send day (inclusive, local midnight) up to its own
send day (exclusive). Send days are

* weekly: every BYLINE_NEWSLETTER_WEEKDAY;
* fortnightly: every other such weekday, counted from the send day of the first article
  (or of BYLINE_NEWSLETTER_SINCE), so a newer article can never shift the fortnights;
* monthly: the first such weekday of each month (e.g. the first Tuesday), so an issue
  covers from one month's first Tuesday to the next.

Periods with no article get no issue and no number; issues are numbered 1, 2, 3... in
date order. Nothing is remembered between builds: the same articles always give the
same plan, and adding a newer article can only add to the latest issue or start a new
one. (A back-dated article older than every other can move the fortnight anchor; set
BYLINE_NEWSLETTER_SINCE to pin it.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from ..settings import WEEKDAYS
from .config import NewsletterSettings
from .models import IssuePlan, Story

PERIOD_LABELS = {"weekly": "week", "fortnightly": "fortnight", "monthly": "month"}


def _weekly_send_day(day: date, weekday: int) -> date:
    """The first send weekday strictly after ``day``."""
    return day + timedelta(days=(weekday - day.weekday() - 1) % 7 + 1)


def _first_weekday_of_month(year: int, month: int, weekday: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7)


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


class _Calendar:
    """Maps a local date to its issue's send day, and a send day to the one before it."""

    def __init__(self, settings: NewsletterSettings, anchor: date) -> None:
        self.period = settings.period
        self.weekday = WEEKDAYS.index(settings.weekday)
        self.anchor = _weekly_send_day(anchor, self.weekday)

    def send_day(self, day: date) -> date:
        if self.period == "weekly":
            return _weekly_send_day(day, self.weekday)
        if self.period == "fortnightly":
            weekly = _weekly_send_day(day, self.weekday)
            weeks = (weekly - self.anchor).days // 7
            return weekly + timedelta(days=7 * (weeks % 2))
        first = _first_weekday_of_month(day.year, day.month, self.weekday)
        if day < first:
            return first
        return _first_weekday_of_month(*_next_month(day.year, day.month), self.weekday)

    def previous_send_day(self, send_day: date) -> date:
        if self.period == "weekly":
            return send_day - timedelta(days=7)
        if self.period == "fortnightly":
            return send_day - timedelta(days=14)
        return _first_weekday_of_month(
            *_previous_month(send_day.year, send_day.month), self.weekday
        )


def local_date(story: Story, settings: NewsletterSettings) -> date:
    """The story's publication day where the newsletter lives; naive dates are refused."""
    if story.date.tzinfo is None or story.date.utcoffset() is None:
        raise ValueError(
            f"story {story.slug!r} has a date without a time zone ({story.date.isoformat()}); "
            "the glue must pass timezone-aware dates"
        )
    return story.date.astimezone(settings.tz).date()


def plan_issues(stories: Sequence[Story], settings: NewsletterSettings) -> list[IssuePlan]:
    """Number one issue per period that published at least one story, oldest first."""
    since = date.fromisoformat(settings.since) if settings.since else None
    dated = [(local_date(s, settings), s) for s in stories]
    if since is not None:
        dated = [(d, s) for d, s in dated if d >= since]
    if not dated:
        return []
    anchor = since if since is not None else min(d for d, _ in dated)
    calendar = _Calendar(settings, anchor)

    groups: dict[date, list[Story]] = defaultdict(list)
    for day, story in dated:
        groups[calendar.send_day(day)].append(story)

    tz = settings.tz
    plans = []
    for number, send_day in enumerate(sorted(groups), start=1):
        start_day = calendar.previous_send_day(send_day)
        newest_first = sorted(groups[send_day], key=lambda s: (s.date.timestamp(), s.slug))
        newest_first.reverse()
        plans.append(
            IssuePlan(
                number=number,
                date=send_day,
                start=datetime.combine(start_day, time(0), tzinfo=tz),
                end=datetime.combine(send_day, time(0), tzinfo=tz),
                stories=tuple(newest_first),
            )
        )
    return plans
