"""The digest in real builds: every issue exported beside the site, overrides, budgets."""

from __future__ import annotations

import json
import re
from datetime import date

import feedparser
from conftest import page

SITE = "https://thecounter.example.com"


def _manifests(output):
    folder = output / "newsletter"
    numbers = sorted(int(p.name) for p in folder.iterdir() if p.name.isdigit())
    return [json.loads((folder / str(n) / "manifest.json").read_text()) for n in numbers]


def test_demo_exports_one_issue_per_week_with_articles(demo_publish):
    manifests = _manifests(demo_publish)
    assert [m["number"] for m in manifests] == list(range(1, 14))
    days = [date.fromisoformat(m["date"]) for m in manifests]
    assert all(day.weekday() == 4 for day in days)  # Fridays, as pelicanconf.py says
    # no column was published in the weeks before 4 September or 23 October: no issue
    assert date(2026, 9, 4) not in days and date(2026, 10, 23) not in days
    assert len({m["id"] for m in manifests}) == 13
    latest = manifests[-1]
    assert latest["subject"] == (
        "The Counter Weekly #13: Buy the good chisel: tools that pay for themselves"
    )
    assert latest["archive_url"] == f"{SITE}/newsletter/13/"
    for key in ("html", "text", "archive"):
        assert (demo_publish / latest["paths"][key]).exists()


def test_demo_email_is_absolute_inlined_and_carries_campaign_links(demo_publish):
    html = (demo_publish / "newsletter/13/email.html").read_text()
    text = (demo_publish / "newsletter/13/email.txt").read_text()
    assert len(html.encode()) < 90 * 1024
    links = re.findall(r'(?:href|src)="([^"]+)"', html)
    assert links and all(
        link.startswith(("https://", "mailto:")) or link == "{{unsubscribe_url}}" for link in links
    )
    assert f"{SITE}/buy-the-good-chisel/?utm_source=newsletter" in html
    assert "utm_campaign=the-counter-weekly-13" in text
    assert "Fernhill Works, 12 Corn Street" in html and "Fernhill Works, 12 Corn Street" in text
    # Most read leaves out the issue's own lead story
    most_read = text.split("MOST READ")[1]
    assert "Late payers are a process problem" in most_read
    assert "Buy the good chisel" not in most_read


def test_archive_pages_and_index_on_the_site(demo_publish):
    issue = page(demo_publish, "newsletter/13/")
    assert issue.xpath("string(//h1)").startswith("The Counter Weekly #13")
    assert issue.xpath("//link[@rel='canonical']/@href") == [f"{SITE}/newsletter/13/"]
    assert issue.xpath("//div[@class='story-body']//a[contains(@href, '/buy-the-good-chisel/')]")
    index = page(demo_publish, "newsletter/")
    links = index.xpath("//section[@class='newsletter-archive']//a/@href")
    assert links[0] == f"{SITE}/newsletter/13/" and links[-1] == f"{SITE}/newsletter/1/"


def test_issue_feeds_parse_in_order_with_timezones(demo_publish):
    for name in ("feed.atom.xml", "feed.rss.xml"):
        feed = feedparser.parse((demo_publish / "newsletter" / name).read_bytes())
        assert feed.bozo == 0, name
        assert len(feed.entries) == 13
        assert all(e.link.startswith(f"{SITE}/newsletter/") for e in feed.entries)
        published = [e.published_parsed for e in feed.entries]
        assert published == sorted(published) or published == sorted(published, reverse=True)
    atom = (demo_publish / "newsletter/feed.atom.xml").read_text()
    assert "+00:00" in atom or "Z<" in atom


POSTS = {
    "one.md": "Title: First post\nDate: 2026-03-02 09:00\nSummary: The first.\n\nBody one.\n",
    "two.md": "Title: Second post\nDate: 2026-03-03 09:00\nSummary: The second.\n\nBody two.\n",
    "three.md": "Title: Third post\nDate: 2026-03-20 09:00\nSummary: The third.\n\nBody 3.\n",
}


def test_per_issue_markdown_override_sets_subject_lead_and_intro(site):
    files = dict(POSTS)
    files["newsletter/1.md"] = (
        "Subject: Our first issue\nPreheader: Two columns to start\nLead: one\n\n"
        "Hello and *welcome* to the first issue.\n"
    )
    output = site(files, SITEURL="https://example.com")
    first, second = _manifests(output)
    assert first["subject"] == "Our first issue" and first["preheader"] == "Two columns to start"
    assert [a["slug"] for a in first["articles"] if a.get("role") == "lead"] == ["one"]
    assert "<em>welcome</em>" in (output / "newsletter/1/email.html").read_text()
    assert second["number"] == 2 and [a["slug"] for a in second["articles"]] == ["three"]
    assert not (output / "newsletter" / "1" / "index.html").read_text().count("Subject:")
    assert not (output / "1").exists()  # the override file is not published as an article


def test_an_email_over_budget_is_marked_unsendable_and_the_site_still_builds(site, caplog):
    output = site(POSTS, SITEURL="https://example.com", BYLINE_NEWSLETTER_MAX_HTML_KB=1)
    assert (output / "one" / "index.html").is_file()  # the site is built
    first, second = _manifests(output)
    for manifest in (first, second):
        assert manifest["sendable"] is False
        assert len(manifest["problems"]) == 1
        assert "BYLINE_NEWSLETTER_MAX_HTML_KB" in manifest["problems"][0]
    assert "newsletter issue #1" in first["problems"][0]
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any("newsletter issue #1" in e and "unsendable" in e for e in errors)


def test_local_builds_point_the_email_at_the_local_server(demo_site):
    html = (demo_site / "newsletter/13/email.html").read_text()
    assert "http://127.0.0.1:8000/buy-the-good-chisel/" in html
    archive = page(demo_site, "newsletter/13/")
    hrefs = archive.xpath("//div[@class='story-body']//a/@href")
    assert hrefs and not any("127.0.0.1" in h for h in hrefs)  # the site page links within itself
