"""Story cards are rendered once per build and reused: same HTML, right variant, never stale."""

from __future__ import annotations

import shutil

from conftest import ROOT, page

HERO = "images/heroes/buy-the-good-chisel.jpg"


def _posts(title_of_two: str) -> dict[str, str]:
    """Three posts in one section, so each lists the others under Related and Latest."""
    posts = {}
    for n, title in ((1, "Ledgers for lathes"), (2, title_of_two), (3, "Quotes that close")):
        posts[f"post-{n}.md"] = (
            f"Title: {title}\nDate: 2026-03-0{n} 09:00\nAuthor: Ann\nCategory: Money\n"
            f"Tags: cash\nSummary: Standfirst {n}.\nImage: {HERO}\nImage_alt: A chisel\n\n"
            f"Cash flow and invoices for a small workshop, part {n}.\n"
        )
    return posts


def _cards(doc, block: str) -> dict[str, object]:
    section = doc.xpath(f"//section[contains(@class,'{block}')]")[0]
    return {card.xpath("string(.//h3)"): card for card in section.xpath(".//li")}


def test_a_story_listed_twice_on_a_page_keeps_each_blocks_own_card(site, tmp_path):
    (tmp_path / "content" / "images" / "heroes").mkdir(parents=True)
    shutil.copy(ROOT / "content" / HERO, tmp_path / "content" / HERO)
    output = site(_posts("Price the hour"))
    doc = page(output, "post-1/")
    related, latest = _cards(doc, "related-stories"), _cards(doc, "latest-stories")
    assert "Price the hour" in related and "Price the hour" in latest
    # Related shows thumbnails, the Latest side list does not: the reused card must not leak.
    assert related["Price the hour"].xpath(".//img[@class='story-thumb']")
    assert not latest["Price the hour"].xpath(".//img")


def test_a_rebuild_in_the_same_process_shows_a_changed_title(site, tmp_path):
    """`invoke livereload` rebuilds in one process: cards must follow the edited post."""
    site(_posts("Price the hour"))
    output = site(_posts("Charge for the hour, not the job"))
    doc = page(output, "post-1/")
    titles = set(_cards(doc, "related-stories")) | set(_cards(doc, "latest-stories"))
    assert "Charge for the hour, not the job" in titles
    assert "Price the hour" not in titles
