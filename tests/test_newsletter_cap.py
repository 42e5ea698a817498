"""A busy period never stops the site: the story cap, the "N more" link, unsendable issues."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import newsletter_kit as h
import pytest
from byline.newsletter import (
    NewsletterConfigError,
    check_budgets,
    compose_within_budget,
    parse_override,
    plan_issues,
    render_email_html,
    render_email_text,
    render_feed_html,
)
from conftest import page

FIXTURES = Path(__file__).parent / "fixtures" / "newsletter"

SITE = "https://news.thecounter.co.uk"
BUSY = {
    f"story-{i:02d}.md": (
        f"Title: Story number {i}\nDate: 2026-03-03 {8 + i // 60:02d}:{i % 60:02d}\n"
        f"Category: Money\nSummary: What happened in story {i}.\n\nBody of story {i}.\n"
    )
    for i in range(60)
}


def _manifest(output: Path, number: int) -> dict:
    return json.loads((output / f"newsletter/{number}/manifest.json").read_text())


def _snapshot(root: Path, views: dict[str, int]) -> None:
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "pageviews.json").write_text(
        json.dumps(
            {
                "version": 1,
                "source": "file",
                "window": {"start": "2026-01-01", "end": "2026-01-30", "days": 30},
                "fetched_at": datetime.now(UTC).isoformat(),
                "views": views,
            }
        )
    )


@pytest.fixture
def busy_week(site, tmp_path):
    # Two of the oldest stories of the day are the most read: the cap must keep them.
    _snapshot(tmp_path, {"/story-03/": 900, "/story-01/": 500})
    return site(BUSY, SITEURL=SITE, BYLINE_NEWSLETTER_POSTAL_ADDRESS="1 Mill Lane, Leeds")


def test_sixty_stories_in_one_day_build_and_the_email_fits(busy_week):
    output = busy_week
    manifest = _manifest(output, 1)
    assert manifest["sendable"] is True and manifest["problems"] == []
    html = (output / "newsletter/1/email.html").read_text()
    assert len(html.encode()) < 90 * 1024
    assert manifest["sizes"]["html"] < 90 * 1024
    doc = lxml.html.fromstring(html)
    assert len(doc.xpath("//h1[@class='lead-title']")) == 1
    assert len(doc.xpath("//h2[@class='headline']")) == 8
    more = doc.xpath("//a[normalize-space()='51 more stories this week']")
    assert len(more) == 1
    assert more[0].get("href").startswith(f"{SITE}/newsletter/1/?utm_source=newsletter")
    # the manifest lists what the email shows, not the whole period
    assert len([a for a in manifest["articles"] if a["role"] in ("lead", "story")]) == 9
    text = (output / "newsletter/1/email.txt").read_text()
    assert "51 more stories this week" in text
    assert f"{SITE}/newsletter/1/?utm_source=newsletter" in text


def test_the_cap_keeps_the_most_read_then_the_newest(busy_week):
    html = (busy_week / "newsletter/1/email.html").read_text()
    doc = lxml.html.fromstring(html)
    lead = doc.xpath("string(//h1[@class='lead-title'])").strip()
    shown = [a.text_content().strip() for a in doc.xpath("//h2[@class='headline']/a")]
    assert lead == "Story number 59"  # the newest leads
    # the two most read first picked (shown in date order), then the newest six
    assert shown == [f"Story number {i}" for i in (58, 57, 56, 55, 54, 53, 3, 1)]


def test_the_archive_page_lists_every_story_of_the_week(busy_week):
    archive = page(busy_week, "newsletter/1/")
    body = archive.xpath("//div[@class='story-body']")[0]
    linked = {a.get("href").rstrip("/").split("/")[-1] for a in body.xpath(".//a")}
    assert {f"story-{i:02d}" for i in range(60)} <= linked
    assert "more stories" not in body.text_content()
    # the feed entry is the email's content: capped, with the link to the archive page
    atom = (busy_week / "newsletter/feed.atom.xml").read_text()
    assert "51 more stories this week" in atom
    assert "story-02/" not in atom


def test_one_more_story_is_singular_and_follows_the_period():
    issue, conf = h.issue(2, BYLINE_NEWSLETTER_MAX_STORIES=1)
    assert len(issue.plan.stories) == 3 and len(issue.stories) == 1
    html = render_email_html(issue, conf)
    assert ">1 more story this week</a>" in html
    assert "1 more story this week, every one on the issue's page:" in render_email_text(
        issue, conf
    )
    monthly, conf = h.issue(2, BYLINE_NEWSLETTER_PERIOD="monthly", BYLINE_NEWSLETTER_MAX_STORIES=0)
    assert monthly.stories == () and monthly.more_count == len(monthly.plan.stories) - 1 > 1
    expected = f"{monthly.more_count} more stories this month"
    assert expected in render_email_html(monthly, conf)
    assert expected in render_feed_html(monthly, conf)
    assert expected not in render_feed_html(monthly, conf, every_story=True)


def test_under_the_cap_nothing_changes():
    issue, conf = h.issue(2)
    assert issue.more_count == 0 and len(issue.stories) == 2
    assert "more stor" not in render_email_html(issue, conf)


def test_stories_too_long_for_the_budget_are_trimmed_until_the_email_fits():
    conf = h.settings(BYLINE_NEWSLETTER_MAX_HTML_KB=20)
    stories = [
        h.story(f"long-{i}", f"2026-03-03T{9 + i:02d}:00:00+00:00", standfirst="Word " * 600)
        for i in range(9)
    ]
    plan = plan_issues(stories, conf)[0]
    issue, html = compose_within_budget(plan, conf, [], None, f"{h.SITE}/newsletter/1/")
    assert len(html.encode()) <= 20 * 1024
    assert 0 < len(issue.stories) < 8
    assert issue.more_count == 8 - len(issue.stories)
    assert check_budgets(issue, html, conf) == []
    assert f"{issue.more_count} more stor" in html


def test_a_huge_introduction_builds_logs_an_error_and_marks_only_that_issue(site, caplog):
    caplog.set_level(logging.WARNING)
    files = dict(list(BUSY.items())[:2])
    files["later.md"] = "Title: A later story\nDate: 2026-03-12 09:00\nSummary: Later.\n\nBody.\n"
    files["newsletter/1.md"] = "Subject: The long one\n\n" + (
        "This introduction goes on and on, far past what any inbox will show. " * 1600
    )
    output = site(files, SITEURL=SITE, BYLINE_NEWSLETTER_POSTAL_ADDRESS="1 Mill Lane, Leeds")
    first, second = _manifest(output, 1), _manifest(output, 2)
    assert first["sendable"] is False
    assert len(first["problems"]) == 1
    assert "over the 90 KB budget" in first["problems"][0]
    assert "newsletter issue #1" in first["problems"][0]
    assert "1.md" in first["problems"][0]  # where to fix it
    assert second["sendable"] is True and second["problems"] == []
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "newsletter issue #1" in errors[0] and "unsendable" in errors[0]
    assert (output / "newsletter/1/index.html").is_file()
    assert (output / "later" / "index.html").is_file()  # the site around it is built


def test_a_broken_override_file_marks_the_issue_unsendable_and_the_build_goes_on(site, caplog):
    caplog.set_level(logging.ERROR)
    files = dict(list(BUSY.items())[:2])
    files["newsletter/1.md"] = "Subject: Hello\nSender: the editor\n\nHi.\n"
    output = site(files, SITEURL=SITE)
    manifest = _manifest(output, 1)
    assert manifest["sendable"] is False
    assert "Sender" in manifest["problems"][0] and "1.md" in manifest["problems"][0]
    assert any("1.md" in r.getMessage() for r in caplog.records)


def test_a_missing_postal_address_stays_a_warning(site, caplog):
    caplog.set_level(logging.WARNING)
    output = site(dict(list(BUSY.items())[:2]), SITEURL=SITE, BYLINE_NEWSLETTER_POSTAL_ADDRESS="")
    manifest = _manifest(output, 1)
    assert manifest["sendable"] is True
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("BYLINE_NEWSLETTER_POSTAL_ADDRESS" in w for w in warnings)


def test_the_manifest_names_the_site_url_it_was_built_for(site):
    output = site(dict(list(BUSY.items())[:2]), SITEURL=SITE + "/")
    assert _manifest(output, 1)["site_url"] == SITE


def test_a_local_build_says_its_links_are_local(demo_site):
    manifest = _manifest(demo_site, 13)
    assert manifest["site_url"] == "http://127.0.0.1:8000"


def test_the_cap_setting_is_checked():
    with pytest.raises(NewsletterConfigError, match="BYLINE_NEWSLETTER_MAX_STORIES"):
        h.settings(BYLINE_NEWSLETTER_MAX_STORIES=-1)
    assert h.settings().max_stories == 8


# -- text that cannot crash anything --------------------------------------------------


def test_override_subject_and_preheader_lose_control_characters_with_a_warning():
    override = parse_override(
        "Subject: Rent\u2028review\x0bspecial\nPreheader: Three\x85owners\n\nHi\x0bthere.\n",
        Path("content/newsletter/3.md"),
    )
    assert override.subject == "Rent review special"
    assert override.preheader == "Three owners"
    assert "\x0b" not in override.intro_markdown
    assert len(override.warnings) == 3
    assert all("content/newsletter/3.md" in w for w in override.warnings)
    assert "Subject:" in override.warnings[0] and "U+2028" in override.warnings[0]
    assert "Preheader:" in override.warnings[1] and "U+0085" in override.warnings[1]


def test_subjects_composed_from_titles_are_one_clean_line():
    conf = h.settings()
    bad = h.story(
        "bad-title",
        "2026-03-03T09:00:00+00:00",
        title="Rates\x0bare\u2028up\r\nagain\x00",
        standfirst="Line one\nline\u2029two\x1f",
    )
    plan = plan_issues([bad], conf)[0]
    issue, html = compose_within_budget(plan, conf, [], None, f"{h.SITE}/newsletter/1/")
    assert issue.subject == "The Counter Weekly #1: Rates are up again"
    assert issue.preheader == "Line one line two"
    for value in (issue.subject, issue.preheader):
        assert not re.search("[\x00-\x1f\x7f\x85\u2028\u2029]", value)


def test_a_soft_return_in_a_title_never_reaches_the_manifest_or_the_feeds(site):
    output = site(
        {
            "rates.md": "Title: Rates\x0bare up\nDate: 2026-03-03 09:00\n"
            "Summary: What it\u2028means.\n\nBody.\n"
        },
        SITEURL=SITE,
    )
    manifest = _manifest(output, 1)
    assert manifest["subject"] == "The Counter Weekly #1: Rates are up"
    assert manifest["preheader"] == "What it means."
    assert manifest["articles"][0]["title"] == "Rates are up"
    control = re.compile("[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]")
    for name in ("1/manifest.json", "1/issue.json", "1/email.txt", "feed.atom.xml", "feed.rss.xml"):
        assert not control.search((output / "newsletter" / name).read_text()), name
