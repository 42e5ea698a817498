"""What was sent stays what was sent: issue.json, and builds that reuse a frozen issue."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import newsletter_kit as h
import pytest
from byline.newsletter import (
    IssueDataError,
    compose,
    dump_issue,
    issue_from_data,
    issue_to_data,
    plan_issues,
    read_issue,
)
from byline.newsletter.frozen import freeze_issue
from conftest import build, page, write_site

FIXTURES = Path(__file__).parent / "fixtures" / "newsletter"

SITE = "https://news.thecounter.co.uk"
EMAIL_FILES = ("email.html", "email.txt", "manifest.json")


# -- issue.json -----------------------------------------------------------------------


@pytest.mark.parametrize("number,override", [(1, None), (2, None), (3, "3.md")])
def test_issue_json_loads_back_into_the_same_issue(tmp_path, number, override):
    issue, _ = h.issue(number, override)
    text = dump_issue(issue)
    path = tmp_path / "issue.json"
    path.write_text(text, encoding="utf-8")
    again = read_issue(path)
    assert again == issue
    assert dump_issue(again) == text  # deterministic, byte for byte
    data = json.loads(text)
    assert data["subject"] == issue.subject and data["lead"]["slug"] == issue.lead.slug
    assert [s["slug"] for s in data["most_read"]] == [s.slug for s in issue.most_read]


def test_issue_json_keeps_every_story_of_a_capped_issue():
    issue, _ = h.issue(2, BYLINE_NEWSLETTER_MAX_STORIES=1)
    data = issue_to_data(issue)
    assert data["counts"] == {"period": 3, "shown": 2, "more": 1, "most_read": 3}
    again = issue_from_data(json.loads(json.dumps(data)))
    assert again.more_count == 1 and again.every_other_story == issue.every_other_story


def test_an_issue_json_that_cannot_be_read_names_the_file(tmp_path):
    path = tmp_path / "issue.json"
    path.write_text('{"format": 1, "number": 3', encoding="utf-8")
    with pytest.raises(IssueDataError, match="issue.json"):
        read_issue(path)
    path.write_text(json.dumps({"format": 1, "number": 3}), encoding="utf-8")
    with pytest.raises(IssueDataError, match="issue.json.*every_story"):
        read_issue(path)


# -- builds with a frozen issue -------------------------------------------------------


def _post(slug: str, title: str, when: str) -> str:
    return f"Title: {title}\nDate: {when}\nCategory: Money\nSummary: About {slug}.\n\nBody.\n"


POSTS = {
    "old-a.md": _post("old-a", "Old favourite A", "2026-01-05 09:00"),
    "old-b.md": _post("old-b", "Old favourite B", "2026-01-06 09:00"),
    "week-one.md": _post("week-one", "Week one lead", "2026-03-03 09:00"),
    "week-one-more.md": _post("week-one-more", "Week one second", "2026-03-02 09:00"),
    "week-two.md": _post("week-two", "Week two lead", "2026-03-10 09:00"),
    "pages/newsletter.md": "Title: The newsletter\nTemplate: newsletter\n\nEvery week.\n",
}
SETTINGS = {
    "SITEURL": SITE,
    "BYLINE_NEWSLETTER_SINCE": "2026-03-01",  # the old posts are only ever Most read
    "BYLINE_NEWSLETTER_POSTAL_ADDRESS": "1 Mill Lane, Leeds",
}


def _snapshot(root: Path, views: dict[str, int]) -> None:
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "pageviews.json").write_text(
        json.dumps(
            {
                "version": 1,
                "source": "file",
                "window": {"start": "2026-02-01", "end": "2026-03-02", "days": 30},
                "fetched_at": datetime.now(UTC).isoformat(),
                "views": views,
            }
        )
    )


def _most_read(output: Path, number: int) -> list[str]:
    archive = page(output, f"newsletter/{number}/")
    return [a.text_content() for a in archive.xpath("//div[@class='story-body']//ol/li/a")]


def _feed_entry(output: Path, number: int):
    feed = feedparser.parse((output / "newsletter/feed.atom.xml").read_bytes())
    return next(e for e in feed.entries if e.link.endswith(f"/newsletter/{number}/"))


@pytest.fixture
def sent_then_rebuilt(tmp_path):
    """Build, freeze issue 1 as the sender does, then change pageviews and titles, rebuild."""
    _snapshot(tmp_path, {"/old-a/": 900, "/old-b/": 100})
    content = write_site(tmp_path, POSTS)
    first = build(tmp_path / "first", content=content, **SETTINGS)
    sent_dir = tmp_path / "data" / "newsletter"
    freeze_issue(first / "newsletter" / "1", sent_dir, 1)
    _snapshot(tmp_path, {"/old-a/": 100, "/old-b/": 900})
    for name, old, new in (
        ("week-one.md", "Week one lead", "Week one lead, edited"),
        ("week-two.md", "Week two lead", "Week two lead, edited"),
    ):
        path = content / name
        path.write_text(path.read_text().replace(old, new))
    second = build(tmp_path / "second", content=content, **SETTINGS)
    return first, second, sent_dir


def test_the_frozen_issue_is_exported_byte_for_byte(sent_then_rebuilt):
    first, second, sent_dir = sent_then_rebuilt
    assert (sent_dir / "1" / "issue.json").is_file()  # the export gave the sender its data
    for name in EMAIL_FILES:
        frozen = (sent_dir / "1" / name).read_bytes()
        assert (second / "newsletter/1" / name).read_bytes() == frozen, name
        assert (first / "newsletter/1" / name).read_bytes() == frozen, name
    assert "Week one lead, edited" not in (second / "newsletter/1/email.html").read_text()


def test_the_frozen_issue_page_and_feed_entry_show_what_was_sent(sent_then_rebuilt):
    first, second, _ = sent_then_rebuilt
    subject = "The Counter Weekly #1: Week one lead"
    archive = page(second, "newsletter/1/")
    assert archive.xpath("string(//h1)") == subject
    body = archive.xpath("string(//div[@class='story-body'])")
    assert "Week one lead" in body and "edited" not in body
    assert _most_read(first, 1) == ["Old favourite A", "Old favourite B"]
    assert _most_read(second, 1) == ["Old favourite A", "Old favourite B"]
    entry = _feed_entry(second, 1)
    assert entry.title == subject
    assert "edited" not in entry.content[0].value
    assert entry.content[0].value.index("Old favourite A") < entry.content[0].value.index(
        "Old favourite B"
    )
    index = page(second, "newsletter/")
    assert subject in index.xpath("string(//section[@class='newsletter-archive'])")


def test_an_issue_that_was_not_sent_follows_todays_content(sent_then_rebuilt):
    first, second, _ = sent_then_rebuilt
    assert _most_read(first, 2) == ["Old favourite A", "Old favourite B"]
    assert _most_read(second, 2) == ["Old favourite B", "Old favourite A"]
    manifest = json.loads((second / "newsletter/2/manifest.json").read_text())
    assert manifest["subject"] == "The Counter Weekly #2: Week two lead, edited"
    assert _feed_entry(second, 2).title == manifest["subject"]
    assert (second / "newsletter/2/email.html").read_bytes() != (
        first / "newsletter/2/email.html"
    ).read_bytes()


def test_an_unreadable_frozen_issue_json_is_an_error_and_the_emails_are_still_copied(
    tmp_path, caplog
):
    caplog.set_level(logging.ERROR)
    content = write_site(tmp_path, POSTS)
    first = build(tmp_path / "first", content=content, **SETTINGS)
    sent_dir = tmp_path / "data" / "newsletter"
    freeze_issue(first / "newsletter" / "1", sent_dir, 1)
    (sent_dir / "1" / "issue.json").write_text("{ not json", encoding="utf-8")
    path = content / "week-one.md"
    path.write_text(path.read_text().replace("Week one lead", "Week one lead, edited"))
    second = build(tmp_path / "second", content=content, **SETTINGS)
    for name in EMAIL_FILES:
        assert (second / "newsletter/1" / name).read_bytes() == (sent_dir / "1" / name).read_bytes()
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(str(sent_dir / "1" / "issue.json") in e for e in errors)
    assert (second / "newsletter/1/index.html").is_file()
    assert (second / "week-two" / "index.html").is_file()  # the rest of the site is built


def test_a_sent_issue_no_longer_planned_is_still_on_the_site(tmp_path):
    content = write_site(tmp_path, POSTS)
    first = build(tmp_path / "first", content=content, **SETTINGS)
    sent_dir = tmp_path / "data" / "newsletter"
    freeze_issue(first / "newsletter" / "2", sent_dir, 2)
    (content / "week-two.md").unlink()  # the only story of issue 2 is taken down
    second = build(tmp_path / "second", content=content, **SETTINGS)
    for name in EMAIL_FILES:
        assert (second / "newsletter/2" / name).read_bytes() == (sent_dir / "2" / name).read_bytes()
    assert page(second, "newsletter/2/").xpath("string(//h1)").endswith("Week two lead")


def test_composing_again_gives_the_same_issue_json():
    conf = h.settings()
    plan = plan_issues(h.load_stories(), conf)[2]
    one = compose(plan, conf, h.most_read_pool(), None, f"{h.SITE}/newsletter/3/")
    two = compose(plan, conf, h.most_read_pool(), None, f"{h.SITE}/newsletter/3/")
    assert dump_issue(one) == dump_issue(two)
