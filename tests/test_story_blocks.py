"""The three story-block partials print the lists they are given, in order, or nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import page
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
    assert blocks == ["related-stories", "more-from", "most-read"]
    home = page(output, "index.html")
    assert home.xpath("//div[contains(@class,'has-side')]//section[contains(@class,'most-read')]")


def test_blocks_are_absent_when_their_lists_are_empty(site):
    output = site(_posts(1))
    doc = page(output, "post-1/")
    assert not doc.xpath("//section[contains(@class,'story-block')]")
    assert not page(output, "index.html").xpath("//div[contains(@class,'has-side')]")
