"""Issue planning as a subscriber would see it: which issue, which number, which day."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import newsletter_kit as h
import pytest
from byline.newsletter import plan_issues

FIXTURES = Path(__file__).parent / "fixtures" / "newsletter"


def summary(plans):
    return [(p.number, p.date.isoformat(), [s.slug for s in p.stories]) for p in plans]


def test_weekly_issues_are_numbered_over_weeks_with_articles_only():
    plans = plan_issues(h.load_stories(), h.settings())
    assert summary(plans) == [
        (1, "2026-11-03", ["cash-flow-is-a-calendar", "first-steps"]),
        # The week ending Tuesday 10 November published nothing: no issue, no number.
        (2, "2026-11-17", ["buy-the-good-chisel", "case-for-a-boring-newsletter",
                           "hire-for-the-second-year"]),
        (3, "2026-11-24", ["apprentice-taught-me-to-delegate", "about-page-does-the-selling"]),
    ]  # fmt: skip
    assert all(p.date.strftime("%A") == "Tuesday" for p in plans)


def test_each_issue_covers_the_days_since_the_previous_send_day():
    plan = plan_issues(h.load_stories(), h.settings())[2]
    assert plan.start.isoformat() == "2026-11-17T00:00:00+00:00"
    assert plan.end.isoformat() == "2026-11-24T00:00:00+00:00"
    assert plan.id == "2026-11-24-3"


def test_an_article_published_on_send_day_waits_for_the_next_issue():
    # Published on Tuesday 17 November: issue #2 went out that day, so it leads #3.
    plans = plan_issues(h.load_stories(), h.settings())
    assert "about-page-does-the-selling" in [s.slug for s in plans[2].stories]


def test_days_are_counted_in_the_site_time_zone():
    conf = h.settings()  # Europe/London: summer time in July
    monday_late_utc = h.story("late-monday", "2026-07-06T23:30:00+00:00")  # Tue 00:30 BST
    earlier = h.story("earlier", "2026-07-06T22:30:00+00:00")  # Mon 23:30 BST
    plans = plan_issues([monday_late_utc, earlier], conf)
    assert summary(plans) == [(1, "2026-07-07", ["earlier"]), (2, "2026-07-14", ["late-monday"])]
    assert plans[0].end.isoformat() == "2026-07-07T00:00:00+01:00"
    # The same moment, written with another offset, lands in the same issue.
    same = replace(monday_late_utc, date=datetime.fromisoformat("2026-07-06T18:30:00-05:00"))
    assert plan_issues([same, earlier], conf)[1].date == date(2026, 7, 14)


def test_adding_a_newer_article_never_renumbers_older_issues():
    for period in ("weekly", "fortnightly", "monthly"):
        conf = h.settings(BYLINE_NEWSLETTER_PERIOD=period)
        before = plan_issues(h.load_stories(), conf)
        newer = h.story("brand-new", "2027-02-10T08:00:00+00:00")
        after = plan_issues([*h.load_stories(), newer], conf)
        assert after[: len(before)] == before, period
        assert after[-1].number == len(before) + 1
        assert [s.slug for s in after[-1].stories] == ["brand-new"]


def test_a_new_article_in_the_latest_period_only_grows_the_latest_issue():
    conf = h.settings()
    before = plan_issues(h.load_stories(), conf)
    extra = h.story("late-news", "2026-11-23T20:00:00+00:00")
    after = plan_issues([*h.load_stories(), extra], conf)
    assert after[:2] == before[:2]
    assert after[2].number == 3
    assert after[2].stories[0].slug == "late-news"


def test_plans_do_not_depend_on_input_order_and_rebuild_identically():
    conf = h.settings()
    stories = h.load_stories()
    shuffled = stories[:]
    random.Random(7).shuffle(shuffled)
    assert plan_issues(shuffled, conf) == plan_issues(stories, conf)


def test_the_current_period_is_dated_at_its_future_send_day():
    now = datetime.now(UTC)
    plans = plan_issues([h.story("today", now.isoformat())], h.settings())
    assert plans[0].date > now.date() - timedelta(days=1)
    assert plans[0].date.strftime("%A") == "Tuesday"
    assert plans[0].end > now


def test_fortnightly_is_anchored_to_the_first_articles_week():
    plans = plan_issues(h.load_stories(), h.settings(BYLINE_NEWSLETTER_PERIOD="fortnightly"))
    assert summary(plans) == [
        (1, "2026-11-03", ["cash-flow-is-a-calendar", "first-steps"]),
        (2, "2026-11-17", ["buy-the-good-chisel", "case-for-a-boring-newsletter",
                           "hire-for-the-second-year"]),
        (3, "2026-12-01", ["apprentice-taught-me-to-delegate", "about-page-does-the-selling"]),
    ]  # fmt: skip
    assert plans[2].start.date() == date(2026, 11, 17)


def test_fortnightly_skips_an_empty_fortnight_without_shifting():
    conf = h.settings(BYLINE_NEWSLETTER_PERIOD="fortnightly")
    stories = [
        h.story("a", "2026-11-04T09:00:00+00:00"),  # -> Tue 10 Nov (anchor)
        h.story("b", "2026-12-02T09:00:00+00:00"),  # 24 Nov fortnight is empty -> 8 Dec
    ]
    assert summary(plan_issues(stories, conf)) == [
        (1, "2026-11-10", ["a"]),
        (2, "2026-12-08", ["b"]),
    ]


def test_monthly_issues_go_out_on_the_first_chosen_weekday_of_the_month():
    plans = plan_issues(h.load_stories(), h.settings(BYLINE_NEWSLETTER_PERIOD="monthly"))
    assert [(p.number, p.date.isoformat(), len(p.stories)) for p in plans] == [
        (1, "2026-11-03", 2),  # first Tuesday of November
        (2, "2026-12-01", 5),  # first Tuesday of December
    ]
    on_send_day = h.story("on-the-day", "2026-12-01T10:00:00+00:00")
    later = plan_issues(
        [*h.load_stories(), on_send_day], h.settings(BYLINE_NEWSLETTER_PERIOD="monthly")
    )
    assert later[-1].date == date(2027, 1, 5)  # first Tuesday of January 2027


def test_the_weekday_setting_moves_the_send_day():
    plans = plan_issues(h.load_stories(), h.settings(BYLINE_NEWSLETTER_WEEKDAY="Friday"))
    assert all(p.date.strftime("%A") == "Friday" for p in plans)
    assert plans[0].date == date(2026, 10, 30)


def test_since_leaves_older_articles_out_of_every_issue():
    plans = plan_issues(h.load_stories(), h.settings(BYLINE_NEWSLETTER_SINCE="2026-11-10"))
    assert plans[0].number == 1
    assert plans[0].date == date(2026, 11, 17)
    assert "first-steps" not in {s.slug for p in plans for s in p.stories}


def test_no_articles_means_no_issues():
    assert plan_issues([], h.settings()) == []


def test_naive_dates_are_refused_with_the_story_named():
    naive = replace(h.story("naive-one", "2026-11-01T09:00:00+00:00"), date=datetime(2026, 11, 1))
    with pytest.raises(ValueError, match="naive-one"):
        plan_issues([naive], h.settings())
