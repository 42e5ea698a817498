"""Story cards are rendered once per build and reused: same HTML, right variant, never stale."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

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


def _ranked(root: Path) -> None:
    """A fresh pageview snapshot, so the home page shows Most read beside its lead."""
    (root / "data").mkdir(exist_ok=True)
    snapshot = {"version": 1, "source": "file", "fetched_at": datetime.now(UTC).isoformat()}
    snapshot |= {"window": {"start": "2026-03-01", "end": "2026-03-30", "days": 30}}
    snapshot |= {"views": {"/post-2/": 20, "/post-1/": 10}}
    (root / "data" / "pageviews.json").write_text(json.dumps(snapshot))


def test_a_story_listed_in_two_variants_keeps_each_blocks_own_card(site, tmp_path):
    (tmp_path / "content" / "images" / "heroes").mkdir(parents=True)
    shutil.copy(ROOT / "content" / HERO, tmp_path / "content" / HERO)
    _ranked(tmp_path)
    output = site(_posts("Price the hour"))
    # An article page lists a story once (blocks.py), so the two variants meet on two
    # pages of the same generator: Related on post-1, Most read on the home page.
    related = _cards(page(output, "post-1/"), "related-stories")
    most_read = _cards(page(output, "index.html"), "most-read")
    assert "Price the hour" in related and "Price the hour" in most_read
    # Related shows thumbnails, the Most read list does not: the reused card must not leak.
    assert related["Price the hour"].xpath(".//img[@class='story-thumb']")
    assert not most_read["Price the hour"].xpath(".//img")


def test_a_rebuild_in_the_same_process_shows_a_changed_title(site, tmp_path):
    """`invoke livereload` rebuilds in one process: cards must follow the edited post."""
    _ranked(tmp_path)
    site(_posts("Price the hour"))
    output = site(_posts("Charge for the hour, not the job"))
    titles = set(_cards(page(output, "post-1/"), "related-stories"))
    titles |= set(_cards(page(output, "index.html"), "most-read"))
    assert "Charge for the hour, not the job" in titles
    assert "Price the hour" not in titles
