"""The manifest and the Atom/RSS feeds of all issues: stable, valid, in order."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import feedparser
import lxml.etree
import newsletter_kit as h
from byline.newsletter import (
    build_feeds,
    build_manifest,
    compose,
    plan_issues,
    read_override,
    render_email_html,
    render_email_text,
    render_feed_html,
)

FIXTURES = Path(__file__).parent / "fixtures" / "newsletter"


FEED_URLS = {
    "atom": "https://example.com/newsletter/atom.xml",
    "rss": "https://example.com/newsletter/rss.xml",
    "archive": "https://example.com/newsletter/",
}
PATHS = {
    "html": "newsletter/3/email.html",
    "text": "newsletter/3/email.txt",
    "archive": "newsletter/3/index.html",
}


def all_issues(stories=None):
    conf = h.settings()
    issues = []
    for plan in plan_issues(stories or h.load_stories(), conf):
        override_file = FIXTURES / f"{plan.number}.md"
        override = read_override(override_file) if override_file.exists() else None
        archive = f"https://example.com/newsletter/{plan.number}/"
        issues.append(compose(plan, conf, h.most_read_pool(), override, archive))
    return issues, conf


def feeds(stories=None):
    issues, conf = all_issues(stories)
    return build_feeds([(i, render_feed_html(i, conf)) for i in issues], conf, FEED_URLS)


# -- manifest -----------------------------------------------------------------------


def test_manifest_describes_the_issue_for_the_sender():
    issue, conf = h.issue(3, "3.md")
    html, text = render_email_html(issue, conf), render_email_text(issue, conf)
    manifest = build_manifest(issue, conf, html, text, PATHS)
    json.dumps(manifest)  # the glue writes it as JSON
    assert manifest["schema_version"] == 1
    assert manifest["id"] == "2026-11-24-3"
    assert manifest["number"] == 3
    assert manifest["date"] == "2026-11-24"
    assert manifest["subject"] == "The apprentice issue"
    assert manifest["preheader"] == "What happens when you let go of the till"
    assert manifest["from_name"] == "The Counter Weekly"
    assert manifest["paths"] == PATHS
    assert manifest["archive_url"] == "https://example.com/newsletter/3/"
    assert [(a["slug"], a["role"]) for a in manifest["articles"]] == [
        ("about-page-does-the-selling", "lead"),
        ("apprentice-taught-me-to-delegate", "story"),
        ("old-favourite", "most_read"),
        ("evergreen-pricing", "most_read"),
    ]
    assert manifest["articles"][0]["url"] == "https://example.com/about-page-does-the-selling/"
    assert manifest["articles"][0]["title"] == "Your about page does the selling"
    assert manifest["sizes"] == {"html": len(html.encode()), "text": len(text.encode())}
    assert manifest["unsubscribe_token"] == "{{unsubscribe_url}}"
    assert manifest["content_hash"].startswith("sha256:")


def test_manifest_is_reproducible_and_its_hash_follows_the_content():
    issue, conf = h.issue(3)
    html, text = render_email_html(issue, conf), render_email_text(issue, conf)
    first = build_manifest(issue, conf, html, text, PATHS)
    again_issue, _ = h.issue(3)
    again = build_manifest(
        again_issue,
        conf,
        render_email_html(again_issue, conf),
        render_email_text(again_issue, conf),
        PATHS,
    )
    assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)
    changed = build_manifest(issue, conf, html + " ", text, PATHS)
    assert changed["content_hash"] != first["content_hash"]


# -- feeds --------------------------------------------------------------------------


def test_both_feeds_parse_cleanly_with_every_issue_in_order():
    atom, rss = feeds()
    for xml in (atom, rss):
        parsed = feedparser.parse(xml)
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        assert [e.link for e in parsed.entries] == [
            f"https://example.com/newsletter/{n}/" for n in (1, 2, 3)
        ]
        assert parsed.entries[2].title == "The apprentice issue"
        assert parsed.feed.title == "The Counter Weekly"


def test_rss_channel_link_is_the_archive_page_not_the_feed():
    _, rss = feeds()
    channel = lxml.etree.fromstring(rss.encode()).find("channel")
    assert channel.findtext("link") == "https://example.com/newsletter/"
    atom_link = channel.find("{http://www.w3.org/2005/Atom}link")
    assert atom_link.get("rel") == "self" and atom_link.get("href") == FEED_URLS["rss"]


def test_entry_ids_are_absolute_and_stable_between_builds():
    first_atom, first_rss = feeds()
    second_atom, second_rss = feeds()
    assert (first_atom, first_rss) == (second_atom, second_rss)
    ids = [e.id for e in feedparser.parse(first_atom).entries]
    assert ids == [f"https://example.com/newsletter/{n}/" for n in (1, 2, 3)]
    # A new article makes a new issue and leaves the old entries' ids alone.
    newer = h.story("brand-new", "2026-12-03T08:00:00+00:00")
    later_ids = [e.id for e in feedparser.parse(feeds([*h.load_stories(), newer])[0]).entries]
    assert later_ids[:3] == ids and len(later_ids) == 4


def test_feed_dates_are_timezone_aware():
    atom, rss = feeds()
    tree = lxml.etree.fromstring(atom.encode())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    stamps = tree.xpath("//a:updated/text() | //a:published/text()", namespaces=ns)
    assert stamps
    for stamp in stamps:
        assert datetime.fromisoformat(stamp).tzinfo is not None, stamp
    assert "2026-11-24T00:00:00+00:00" in stamps
    for entry in feedparser.parse(rss).entries:
        assert entry.published.endswith("+0000")


def test_entries_hold_the_issue_html_without_the_email_only_parts():
    atom, _ = feeds()
    entry = feedparser.parse(atom).entries[2]
    content = entry.content[0].value
    assert "Hello from the workshop" in content
    assert "Your about page does the selling" in content
    assert "An old favourite" in content
    assert "{{unsubscribe_url}}" not in content
    assert "utm_" not in content
    assert "display: none" not in content


def test_feeds_without_issues_are_still_valid():
    conf = h.settings()
    atom, rss = build_feeds([], conf, FEED_URLS)
    assert feedparser.parse(atom).bozo == 0
    assert feedparser.parse(rss).bozo == 0
    assert build_feeds([], conf, FEED_URLS) == (atom, rss)
