"""Details a reader notices on an article page: kicker, headshot, role line, copy link, print line.

Real builds of the demo and of purpose-made sites; how they look in Chromium is in
tests/test_article_look.py.
"""

from __future__ import annotations

import re

from byline.kicker import choose_kicker
from conftest import ROOT, page

ARTICLE = "cash-flow-is-a-calendar/"
PUBLISHED = "https://thecounter.example.com/cash-flow-is-a-calendar/"

AUTHORS = """
["Ann Lee"]
role = "Ann Lee is founder of Lee & Daughters, a hardware shop."
photo = "images/ann.png"

["Bo Chan"]
role = "Bo Chan runs a café."
"""


def _post(slug: str, *extra: str, author: str = "Ann Lee") -> str:
    lines = [
        f"Title: Post {slug}",
        "Date: 2026-03-01 10:00",
        f"Author: {author}",
        "Category: Money",
        "Summary: A short standfirst.",
        *extra,
    ]
    return "\n".join(lines) + "\n\nBody text.\n"


def _site_files() -> dict:
    return {
        "authors.toml": AUTHORS,
        "images/ann.png": (ROOT / "content/images/authors/priya-nair.png").read_bytes(),
        "own.md": _post("own", "Kicker: Opinion  and   analysis"),
        "plain.md": _post("plain"),
        "bo.md": _post("bo", author="Bo Chan"),
    }


def _label(doc) -> tuple[str, str, bool]:
    """(class, text, links to the section) of the line over the headline."""
    label = doc.xpath("//header[@class='story-header']/p[contains(@class,'section-label')]")
    assert len(label) == 1
    return label[0].get("class"), label[0].text_content(), bool(label[0].xpath(".//a"))


def test_kicker_is_the_posts_own_then_the_sites_then_none():
    assert choose_kicker("Opinion", "Column") == "Opinion"
    assert choose_kicker(None, "Column") == "Column"
    assert choose_kicker("  ", " Column ") == "Column"
    assert choose_kicker("Long\n  read\t", "") == "Long read"
    assert choose_kicker(None, "") == ""


def test_a_kicker_line_replaces_the_section_label_on_that_post_only(site):
    output = site(_site_files())
    assert _label(page(output, "own/")) == ("section-label kicker", "Opinion and analysis", False)
    assert _label(page(output, "plain/")) == ("section-label", "Money", True)


def test_the_site_kicker_shows_on_every_post_without_its_own(site):
    output = site(_site_files(), BYLINE_KICKER="Column")
    assert _label(page(output, "own/"))[1] == "Opinion and analysis"
    assert _label(page(output, "plain/")) == ("section-label kicker", "Column", False)
    assert _label(page(output, "bo/"))[1] == "Column"
    # the section is still the article's section for search engines and the nav
    doc = page(output, "plain/")
    assert doc.xpath("//meta[@property='article:section']/@content") == ["Money"]


def test_the_demo_shows_section_labels_as_before(demo_site):
    assert _label(page(demo_site, ARTICLE)) == ("section-label", "Money", True)


def test_the_byline_carries_a_small_headshot_beside_the_name(demo_site):
    byline = page(demo_site, ARTICLE).xpath("//p[@class='byline']")[0]
    photo = byline.xpath(".//img")[0]
    # the bio box's 96 px variant (no EXIF), drawn at 40 px: sharp on a 2x screen too
    assert re.search(r"images/variants/priya-nair-\w{8}-96\.png$", photo.get("src"))
    assert (photo.get("width"), photo.get("height")) == ("40", "40")
    assert photo.get("alt") == ""  # the name stands beside it
    assert byline.xpath("string(.//a[@rel='author'])") == "Priya Nair"
    assert (demo_site / photo.get("src").removeprefix("../")).is_file()


def test_an_author_without_a_photo_gets_a_byline_without_one(site):
    output = site(_site_files())
    [src] = page(output, "plain/").xpath("//p[@class='byline']//img/@src")
    assert re.fullmatch(r"\.\./images/variants/ann-\w{8}-96\.png", src)
    assert not page(output, "bo/").xpath("//p[@class='byline']//img")
    assert page(output, "bo/").xpath("string(//p[@class='story-role'])") == "Bo Chan runs a café."


def test_role_line_comes_after_the_body_and_before_the_share_links(demo_site):
    doc = page(demo_site, ARTICLE)
    order = [
        "//div[@class='story-body']",
        "//p[@class='story-role']",
        "//nav[@class='share']",
        "//aside[@class='author-bio']",
    ]
    everything = list(doc.iter())
    positions = [everything.index(doc.xpath(xpath)[0]) for xpath in order]
    assert positions == sorted(positions)
    role = doc.xpath("string(//p[@class='story-role'])")
    assert role.startswith("Priya Nair is founder of Ledgerlight")
    assert role not in doc.xpath("string(//aside[@class='author-bio'])")  # said once


def test_the_author_page_still_shows_the_role_in_the_bio_box(demo_site):
    bio = page(demo_site, "author/priya-nair/").xpath("//aside[@class='author-bio']")[0]
    assert bio.xpath("string(.//*[@class='author-role'])").startswith("Priya Nair is founder of")


def test_the_link_to_copy_is_on_the_page_without_any_script(demo_publish):
    doc = page(demo_publish, ARTICLE)
    field = doc.xpath("//nav[@class='share']//input[@readonly]")[0]
    assert field.get("value") == PUBLISHED
    assert doc.xpath(f"//label[@for='{field.get('id')}']/text()") == ["Link to this article"]
    script = doc.xpath("//script[@src]")[0]
    assert script.get("src") == "https://thecounter.example.com/theme/js/copy-link.js"
    assert script.get("defer") is not None
    assert (demo_publish / "theme/js/copy-link.js").is_file()


def test_no_share_links_means_no_copy_field_and_no_script(site):
    output = site(_site_files(), BYLINE_SHARE_LINKS=False)
    doc = page(output, "plain/")
    assert not doc.xpath("//nav[@class='share'] | //input[@readonly] | //script[@src]")


def test_the_printed_page_names_its_address(demo_publish):
    doc = page(demo_publish, ARTICLE)
    assert doc.xpath("string(//p[@class='print-url'])") == f"Read online: {PUBLISHED}"
    assert doc.xpath("//link[@rel='canonical']/@href") == [PUBLISHED]
