"""The story blocks under an article: the partials print the lists they are given, in
order, or nothing; each list says what it holds; no story is listed twice on one page."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from byline.related_report import read_articles
from conftest import ROOT, page
from pelican import signals

PLUGINS = str(Path(__file__).parent / "plugins")


def _slugs(block) -> list[str]:
    return [a.get("href").strip("./").split("/")[-1] for a in block.xpath(".//h3/a")]


def _posts(n: int) -> dict[str, str]:
    return {
        f"post-{i}.md": f"Title: Post {i}\nDate: 2026-01-0{i} 09:00\nAuthor: Ann\n"
        f"Category: Notes\nSummary: Standfirst {i}.\n\nBody {i}.\n"
        for i in range(1, n + 1)
    }


@pytest.fixture
def fill_plugin():
    """Load the test plugin, and disconnect it afterwards: Pelican's signals are global."""
    yield "fill_story_blocks"
    module = sys.modules.get("fill_story_blocks")
    if module:
        signals.article_generator_finalized.disconnect(module.fill)


def test_related_and_most_read_blocks_keep_the_given_rank_order(site, fill_plugin):
    output = site(
        _posts(4),
        PLUGIN_PATHS=[str(Path(__file__).parent.parent / "plugins"), PLUGINS],
        PLUGINS=["byline", fill_plugin],
    )
    doc = page(output, "post-2/")
    related = doc.xpath("//section[contains(@class,'related-stories')]")[0]
    assert related.xpath("string(.//h2)") == "Related stories"
    assert _slugs(related) == ["post-4", "post-3", "post-1"]
    assert related.xpath(".//p[@class='story-standfirst']/text()")[0] == "Standfirst 4."
    most_read = doc.xpath("//section[contains(@class,'most-read')]")[0]
    assert _slugs(most_read) == ["post-1", "post-3"]  # the page's own article left out
    blocks = [
        s.get("class").split()[-1] for s in doc.xpath("//section[contains(@class,'story-block')]")
    ]
    assert blocks == ["related-stories", "more-from", "more-in-section", "most-read"]
    headings = doc.xpath("//section[contains(@class,'story-block')]/h2/text()")
    assert headings[1:3] == ["More from Ann", "More in Notes"]
    more_in = doc.xpath("//section[contains(@class,'more-in-section')]")[0]
    assert _slugs(more_in) == ["post-3"]
    home = page(output, "index.html")
    assert home.xpath("//div[contains(@class,'has-side')]//section[contains(@class,'most-read')]")


def test_blocks_are_absent_when_their_lists_are_empty(site):
    output = site(_posts(1))
    doc = page(output, "post-1/")
    assert not doc.xpath("//section[contains(@class,'story-block')]")
    assert not page(output, "index.html").xpath("//div[contains(@class,'has-side')]")


def _blocks(doc) -> list[tuple[str, str, list[str]]]:
    """The page's story blocks in page order: (class, heading, slugs)."""
    return [
        (s.get("class").split()[-1], s.xpath("string(.//h2)"), _slugs(s))
        for s in doc.xpath("//div[@class='story-blocks']//section[contains(@class,'story-block')]")
    ]


def _post(slug: str, day: int, author: str, section: str, body: str = "") -> tuple[str, str]:
    text = (
        f"Title: {slug.replace('-', ' ').title()}\nDate: 2026-01-{day:02d} 09:00\n"
        f"Author: {author}\nCategory: {section}\nSummary: About {slug}.\n\n"
        f"{body or 'Words about ' + slug}.\n"
    )
    return f"{slug}.md", text


def test_a_single_story_author_gets_more_in_section_not_more_from(site):
    posts = dict(
        [
            _post("dan-on-invoices", 20, "Dan Hartley", "Money"),
            *(_post(f"maya-money-{i}", i, "Maya Okafor", "Money") for i in range(1, 6)),
            *(_post(f"maya-tools-{i}", 10 + i, "Maya Okafor", "Tools") for i in range(1, 3)),
        ]
    )
    output = site(posts, BYLINE_RELATED_COUNT=1, BYLINE_MOST_READ_COUNT=2)
    blocks = _blocks(page(output, "dan-on-invoices/"))
    assert [css for css, _, _ in blocks] == ["related-stories", "more-in-section", "latest-stories"]
    assert not [b for b in blocks if "More from" in b[1]]  # nothing else of Dan's to list
    _, heading, slugs = blocks[1]
    assert heading == "More in Money"
    assert len(slugs) == 4 and all(slug.startswith("maya-money-") for slug in slugs)
    # Maya's page: her own stories under her name; the fallback never joins them
    blocks = _blocks(page(output, "maya-tools-1/"))
    more = {css: (heading, slugs) for css, heading, slugs in blocks}
    heading, slugs = more["more-from"]
    assert heading == "More from Maya Okafor" and len(slugs) == 4
    assert all(slug.startswith("maya-") for slug in slugs)
    assert "more-in-section" not in more  # Maya's four fill the budget


def test_demo_pages_list_each_story_once_and_keep_every_block_full(demo_site):
    articles = read_articles(ROOT / "pelicanconf.py")
    by_slug = {a.slug: a for a in articles}
    duplicates = 0
    for article in articles:
        blocks = _blocks(page(demo_site, article.slug + "/"))
        shown = [slug for _, _, slugs in blocks for slug in slugs]
        duplicates += len(shown) - len(set(shown))
        assert article.slug not in shown
        lists = {css: slugs for css, _, slugs in blocks}
        related = lists.get("related-stories", [])
        mine = lists.get("more-from", [])
        section = lists.get("more-in-section", [])
        # each list holds what its heading says
        assert all(by_slug[s].author.name == article.author.name for s in mine)
        assert all(
            by_slug[s].category == article.category and by_slug[s].author != article.author
            for s in section
        )
        # ...and is as full as the stories not already shown above it allow
        above = {article.slug, *related}
        authors = [a.slug for a in articles if a.author == article.author]
        assert len(mine) == min(4, len(set(authors) - above))
        above |= set(mine)
        others = [a.slug for a in articles if a.category == article.category]
        others = set(others) - set(authors) - above
        assert len(section) == min(4 - len(mine), len(others))
        above |= set(section)
        read = lists.get("most-read", [])
        ranked = {a.slug for a in articles if a.views > 0} - above
        assert len(read) == min(5, len(ranked)) and not set(read) & above
    assert duplicates == 0  # 68 story links were listed twice before the per-page dedupe
