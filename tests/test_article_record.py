"""One record per article: built once by the glue, read by every core and the templates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from byline.images import HeroImage
from byline.most_read import choose_most_read
from byline.pageviews import Snapshot, write_snapshot
from byline.record import ArticleRecord
from byline.related_report import read_articles
from byline.settings import apply_defaults
from conftest import page

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _records(n: int) -> list[ArticleRecord]:
    """n records, newest first as Pelican lists them."""
    return [
        ArticleRecord(f"post-{i}", f"post-{i}/", f"Post {i}", NOW - timedelta(days=i))
        for i in range(1, n + 1)
    ]


def _settings(tmp_path: Path, **extra) -> dict:
    settings = {"PATH": str(tmp_path / "content"), "SITEURL": "", **extra}
    apply_defaults(settings)
    return settings


def test_the_demo_articles_each_carry_one_record_with_what_the_page_shows():
    articles = read_articles(ROOT / "pelicanconf.py")
    assert len(articles) == 13
    for article in articles:
        record = article.record
        assert (record.slug, record.url, record.title) == (
            article.slug,
            article.url,
            str(article.title),
        )
        assert record.author == article.author.name and record.section == article.category.name
        assert record.tags == tuple(tag.name for tag in article.tags)
        assert record.hero is article.hero and record.hero.width  # resolved, size read
        assert record.source == f"content/{article.slug}.md"
        assert record.reading_minutes == article.reading_time
        assert record.standfirst and record.body_text.strip()
    # More from reads the same records: every pick on every page is the author's own story.
    shown = [(article, pick) for article in articles for pick in article.more_from]
    assert shown  # after the per-page dedupe, a few demo pages still show the block
    assert all(pick.record.author == article.record.author for article, pick in shown)


def test_a_hero_url_is_written_one_way_for_pages_and_emails():
    local = HeroImage("images/heroes/a.jpg", "A", "", 1200, 675)
    remote = HeroImage("https://cdn.example/a.jpg", "A", "")
    assert local.url("..") == "../images/heroes/a.jpg"  # a relative build's SITEURL
    assert local.url("https://news.example") == "https://news.example/images/heroes/a.jpg"
    assert remote.url("https://news.example") == "https://cdn.example/a.jpg"
    assert local.scaled_to(600) == (600, 338) and remote.scaled_to(600) is None


def test_pages_and_the_email_print_a_remote_hero_as_it_is(site):
    output = site(
        {
            "remote.md": "Title: Far away\nDate: 2026-11-17 09:00\nAuthor: Ann\n"
            "Category: Notes\nSummary: Far.\nImage: https://cdn.example/far.jpg\n"
            "Image_alt: A far field\n\nBody.\n",
        },
        BYLINE_NEWSLETTER_POSTAL_ADDRESS="1 Example Street",
    )
    doc = page(output, "remote/")
    assert doc.xpath("//figure[@class='hero']/img/@src") == ["https://cdn.example/far.jpg"]
    assert doc.xpath("//meta[@property='og:image']/@content") == ["https://cdn.example/far.jpg"]
    assert page(output, "index.html").xpath("//img[@class='lead-image']/@src") == [
        "https://cdn.example/far.jpg"
    ]
    email = (output / "newsletter" / "1" / "email.html").read_text(encoding="utf-8")
    assert 'src="https://cdn.example/far.jpg"' in email


def test_most_read_without_a_snapshot_is_the_latest_stories_and_says_why(tmp_path):
    result = choose_most_read(_records(9), _settings(tmp_path), {}, NOW)
    assert result.ranked is False and result.heading == "Latest"
    assert result.picks == (0, 1, 2, 3, 4, 5)  # the block's five, and one spare
    assert "invoke pageviews" in result.problem


def test_most_read_with_a_fresh_snapshot_ranks_by_views(tmp_path):
    snapshot = tmp_path / "data" / "pageviews.json"
    views = {"/post-3/": 90, "/post-1/": 40, "/post-7/": 60, "/elsewhere/": 500}
    fetched = NOW - timedelta(hours=1)
    write_snapshot(
        snapshot, Snapshot("file", date(2026, 11, 13), date(2026, 11, 19), 7, fetched, views)
    )
    settings = _settings(tmp_path, BYLINE_MOST_READ_COUNT=2)
    result = choose_most_read(_records(9), settings, {}, NOW)
    assert (result.ranked, result.heading, result.problem) == (True, "Most read", "")
    assert result.picks == (2, 6, 0)  # post-3, post-7, post-1: two and a spare
    assert result.views == {"/post-3/": 90, "/post-1/": 40, "/post-7/": 60}
