"""Search: the Pagefind index real builds write, and the /search/ page in Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.etree
import pytest
from byline.errors import BylineError
from byline.lint import lint_site
from conftest import AXE, AXE_TAGS, ROOT, build, page, write_site
from pelican.settings import read_settings
from playwright.sync_api import expect

# "dovetails" is in the body of one column only (buy-the-good-chisel); "proofreads" is only
# in an author's bio, which is printed under every one of that author's columns.
ONLY_IN_ONE_BODY = "dovetails"
ONLY_IN_A_BIO = "proofreads"
RESULT = ".pagefind-ui__result-link"


def _entry(output: Path) -> dict:
    return json.loads((output / "pagefind" / "pagefind-entry.json").read_text())


def _indexed_pages(output: Path) -> int:
    return sum(language["page_count"] for language in _entry(output)["languages"].values())


def test_the_index_holds_every_published_column_and_nothing_else(demo_site):
    marked = [
        path
        for path in demo_site.glob("*/index.html")
        if page(demo_site, f"{path.parent.name}/").xpath("//article[@data-pagefind-body]")
    ]
    assert len(marked) == 13
    assert _indexed_pages(demo_site) == 13  # not the home, sections, about, newsletter pages


def test_a_column_marks_headline_standfirst_and_body_for_the_index_and_filters(demo_site):
    doc = page(demo_site, "buy-the-good-chisel/")
    body = doc.xpath("//article[@data-pagefind-body]")[0]
    assert body.xpath(".//h1[@class='headline']") and body.xpath(".//div[@class='standfirst']")
    assert body.xpath(".//div[@class='story-body']/ancestor::*[@data-pagefind-ignore]") == []
    for ignored in ("section-label", "byline", "hero", "story-footer"):
        assert body.xpath(f".//*[@class='{ignored}']/@data-pagefind-ignore"), ignored
    assert body.xpath(".//a[@data-pagefind-filter='section']/text()") == ["Tools"]
    assert body.xpath(".//a[@data-pagefind-filter='author']/text()") == ["Tomás Reyes"]


def test_every_page_links_the_search_page_and_offers_the_site_to_the_browser(demo_publish):
    for relative in ("index.html", "cash-flow-is-a-calendar/index.html", "archives/index.html"):
        doc = page(demo_publish, relative)
        nav = doc.xpath("//nav[@class='site-nav']//a[text()='Search']/@href")
        assert nav == ["https://thecounter.example.com/search/"], relative
        opensearch = doc.xpath("//link[@rel='search']")[0]
        assert opensearch.get("type") == "application/opensearchdescription+xml"
        assert opensearch.get("href") == "https://thecounter.example.com/opensearch.xml"
    description = lxml.etree.parse(str(demo_publish / "opensearch.xml")).getroot()
    names = {"o": "http://a9.com/-/spec/opensearch/1.1/"}
    assert description.findtext("o:ShortName", namespaces=names) == "The Counter"
    template = description.find("o:Url", namespaces=names).get("template")
    assert template == "https://thecounter.example.com/search/?q={searchTerms}"


def test_pagefind_loads_on_the_search_page_only(demo_site):
    loading = [
        str(path.relative_to(demo_site))
        for path in demo_site.rglob("*.html")
        if "pagefind-ui" in path.read_text(encoding="utf-8")
    ]
    assert loading == ["search/index.html"]
    doc = page(demo_site, "search/")
    assert doc.xpath("//nav//a[@aria-current='page']/text()") == ["Search"]


def test_a_site_under_a_path_gets_result_links_and_opensearch_under_that_path(tmp_path):
    content = write_site(tmp_path, {"one.md": "Title: One\nDate: 2026-01-06\n\nText.\n"})
    output = build(
        tmp_path / "output",
        "publishconf.py",
        content=content,
        search=True,
        SITEURL="https://example.org/blog",
    )
    assert page(output, "search/").xpath("//div[@id='search']/@data-base-url") == ["/blog/"]
    assert "https://example.org/blog/search/?q={searchTerms}" in (
        output / "opensearch.xml"
    ).read_text(encoding="utf-8")


def test_drafts_and_hidden_columns_stay_out_of_the_index(tmp_path):
    content = write_site(
        tmp_path,
        {
            "live.md": "Title: Live\nDate: 2026-01-06\n\nA published zeppelin.\n",
            "draft.md": "Title: Draft\nDate: 2026-01-07\nStatus: draft\n\nA secret walrus.\n",
            "hidden.md": "Title: Hidden\nDate: 2026-01-08\nStatus: hidden\n\nA quiet narwhal.\n",
        },
    )
    output = build(tmp_path / "output", content=content, search=True)
    assert _indexed_pages(output) == 1
    assert not page(output, "drafts/draft.html").xpath("//*[@data-pagefind-body]")
    assert not page(output, "hidden/").xpath("//*[@data-pagefind-body]")


def test_columns_saved_under_dated_addresses_are_indexed_too(tmp_path):
    content = write_site(
        tmp_path,
        {
            "one.md": "Title: One\nDate: 2025-01-06\n\nFirst column.\n",
            "two.md": "Title: Two\nDate: 2026-01-07\n\nSecond column.\n",
        },
    )
    dated = {"ARTICLE_URL": "{date:%Y}/{slug}.html", "ARTICLE_SAVE_AS": "{date:%Y}/{slug}.html"}
    output = build(tmp_path / "output", content=content, search=True, **dated)
    assert (output / "2026" / "two.html").is_file()
    assert _indexed_pages(output) == 2


def test_a_rebuild_keeps_no_fragment_of_what_a_column_said_before(tmp_path):
    content = write_site(
        tmp_path,
        {
            "one.md": "Title: One\nDate: 2026-01-06\n\nFirst column.\n",
            "two.md": "Title: Two\nDate: 2026-01-07\n\nA sentence the editor took out.\n",
        },
    )
    output = build(tmp_path / "output", content=content, search=True)
    before = {path.name for path in (output / "pagefind" / "fragment").iterdir()}
    (content / "two.md").write_text("Title: Two\nDate: 2026-01-07\n\nThe corrected text.\n")
    build(tmp_path / "output", content=content, search=True)  # no clean-up, as `invoke build`
    after = {path.name for path in (output / "pagefind" / "fragment").iterdir()}
    assert len(before) == 2 and len(after) == 2 and before != after


def _indexed_text(output: Path) -> str:
    """What the index holds: every fragment Pagefind wrote, unpacked."""
    import gzip

    return "\n".join(
        gzip.decompress(path.read_bytes()).decode("utf-8")
        for path in sorted((output / "pagefind" / "fragment").iterdir())
    )


def _bundle(output: Path) -> dict[str, bytes]:
    folder = output / "pagefind"
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


COLUMNS = {
    "one.md": "Title: One\nDate: 2026-01-06\nCategory: Money\n\nInvoices and late payers.\n",
    "two.md": "Title: Two\nDate: 2026-01-07\nCategory: Money\n\nPricing for a bakery.\n",
}


def test_a_rebuild_that_changes_no_indexed_text_reuses_the_index(tmp_path, caplog):
    content = write_site(tmp_path, COLUMNS)
    output = build(tmp_path / "output", content=content, search=True)
    first = _bundle(output)
    assert "bakery" in _indexed_text(output)
    # Story blocks, Most read and templates sit outside the indexed part of each page.
    caplog.set_level("INFO", logger="byline.plugin")
    build(tmp_path / "output", content=content, search=True, BYLINE_RELATED_COUNT=0)
    assert any("last index was reused" in r.getMessage() for r in caplog.records)
    assert _bundle(output) == first  # the same index, searchable as before


def test_one_changed_word_in_a_column_is_indexed_again(tmp_path, caplog):
    content = write_site(tmp_path, COLUMNS)
    output = build(tmp_path / "output", content=content, search=True)
    (content / "two.md").write_text(COLUMNS["two.md"].replace("bakery", "florist"))
    caplog.set_level("INFO", logger="byline.plugin")
    build(tmp_path / "output", content=content, search=True)
    assert not any("reused" in r.getMessage() for r in caplog.records)
    text = _indexed_text(output)
    assert "florist" in text and "bakery" not in text


def test_a_changed_section_name_is_indexed_again(tmp_path):
    content = write_site(tmp_path, COLUMNS)
    output = build(tmp_path / "output", content=content, search=True)
    (content / "one.md").write_text(COLUMNS["one.md"].replace("Money", "Cash"))
    build(tmp_path / "output", content=content, search=True)
    # each fragment carries its page's filters: one is now in Cash, the other still in Money
    text = _indexed_text(output)
    assert '"section":["Cash"]' in text and '"section":["Money"]' in text


def test_a_damaged_kept_index_is_only_a_miss(tmp_path):
    content = write_site(tmp_path, COLUMNS)
    output = build(tmp_path / "output", content=content, search=True)
    [slot] = (tmp_path / "cache" / "byline-search").iterdir()
    (slot / "key.json").write_text("{not json", encoding="utf-8")
    build(tmp_path / "output", content=content, search=True)
    assert _indexed_pages(output) == 2 and "bakery" in _indexed_text(output)
    for kept in (slot / "index").rglob("*.pf_fragment"):
        kept.unlink()  # the kept index lost its pages but its key is whole
    build(tmp_path / "output", content=content, search=True, BYLINE_RELATED_COUNT=0)
    assert _indexed_pages(output) == 2 and "bakery" in _indexed_text(output)


def test_a_post_called_search_gives_way_to_the_search_page_in_build_and_lint(
    tmp_path, warnings_log
):
    content = write_site(
        tmp_path,
        {
            "one.md": "Title: One\nDate: 2026-01-06\n\nText.\n",
            "search.md": "Title: How I search\nDate: 2026-01-07\n\nText.\n",
        },
    )
    output = build(tmp_path / "output", content=content, search=True)
    assert page(output, "search/").xpath("//div[@id='search']")
    [message] = [m for m in warnings_log() if "E211" in m]
    assert "search.md" in message and "the search page" in message and "/search/" in message
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(content)})
    [finding] = [f for f in lint_site(content, settings) if f.code == "E211"]
    assert finding.path.endswith("search.md") and "the search page" in finding.message


def test_search_turned_off_leaves_out_page_link_and_index(tmp_path):
    content = write_site(tmp_path, {"one.md": "Title: One\nDate: 2026-01-06\n\nText.\n"})
    output = build(tmp_path / "output", content=content)  # build() turns search off
    assert not (output / "search").exists() and not (output / "pagefind").exists()
    assert not (output / "opensearch.xml").exists()
    doc = page(output, "one/")
    assert not doc.xpath("//link[@rel='search']") and not doc.xpath("//a[text()='Search']")


def test_a_pagefind_that_fails_stops_the_build_saying_what_to_do(tmp_path, monkeypatch):
    content = write_site(tmp_path, {"one.md": "Title: One\nDate: 2026-01-06\n\nText.\n"})
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")  # a program that only fails
    with pytest.raises(BylineError) as error:
        build(tmp_path / "output", content=content, search=True)
    assert "Pagefind could not index" in str(error.value)
    assert "BYLINE_SEARCH = False" in str(error.value)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-program"))
    with pytest.raises(BylineError, match="pip install -c requirements.lock"):
        build(tmp_path / "output", content=content, search=True)


# In Chromium --------------------------------------------------------------------------


def _results(tab, at_least: int = 1) -> list[str]:
    """The result links once ``at_least`` have appeared (Pagefind shows them one by one
    as each result's fragment loads, so a busy machine sees the first before the rest)."""
    tab.wait_for_function(
        "([selector, count]) => document.querySelectorAll(selector).length >= count",
        arg=[RESULT, at_least],
        timeout=15_000,
    )
    return [link.get_attribute("href") for link in tab.locator(RESULT).all()]


@pytest.mark.browser
def test_typing_a_word_from_one_columns_body_finds_that_column_first(tab, demo_server):
    tab.goto(demo_server + "/search/")
    box = tab.get_by_role("textbox")
    box.fill(ONLY_IN_ONE_BODY)
    assert _results(tab)[0] == "/buy-the-good-chisel/"
    assert tab.locator(RESULT).first.inner_text().startswith("Buy the good chisel")
    # the address now holds the query, so it can be shared
    tab.wait_for_function(f"location.search === '?q={ONLY_IN_ONE_BODY}'")
    tab.locator(RESULT).first.click()
    tab.wait_for_url("**/buy-the-good-chisel/")
    assert tab.problems == []


@pytest.mark.browser
def test_a_shared_search_address_opens_with_its_results(tab, demo_server):
    tab.goto(f"{demo_server}/search/?q=invoice")
    assert len(_results(tab, at_least=2)) >= 2
    assert tab.get_by_role("textbox").input_value() == "invoice"
    assert "results for invoice" in tab.locator(".pagefind-ui__message").inner_text()
    sections = tab.locator(".pagefind-ui__filter-name", has_text="Section")
    sections.click()
    # The Section filter's own block (Pagefind adds the filter blocks as their data
    # loads, so their order on the page is not a given), waited for, not read at once.
    block = tab.locator(".pagefind-ui__filter-block", has=sections)
    expect(block).to_contain_text("Money", timeout=15_000)
    assert tab.problems == []


@pytest.mark.browser
def test_a_word_only_in_an_authors_bio_finds_nothing(tab, demo_server):
    tab.goto(f"{demo_server}/search/?q={ONLY_IN_A_BIO}")
    message = tab.locator(".pagefind-ui__message", has_text="No results")
    message.wait_for(timeout=15_000)
    assert ONLY_IN_A_BIO in message.inner_text()
    assert tab.locator(RESULT).count() == 0


@pytest.mark.browser
def test_without_javascript_the_search_page_says_so_and_links_the_archives(browser, demo_server):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(demo_server + "/search/?q=invoice")
    message = tab.locator(".search-noscript")
    assert message.is_visible()
    assert "needs JavaScript" in message.inner_text()
    message.get_by_role("link", name="archives").click()
    tab.wait_for_url("**/archives/")
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_on_the_search_page_with_results(tab, demo_server, scheme):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run scripts/test, which runs npm ci.")
    tab.emulate_media(color_scheme=scheme)
    tab.goto(f"{demo_server}/search/?q=invoice")
    _results(tab)
    tab.locator(".pagefind-ui__filter-name").first.click()  # filters open, checkboxes shown
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == []


def test_the_marked_part_of_a_page_is_found_whole_or_not_at_all():
    from byline.search_reuse import glob_pattern, marked_parts

    page_html = (
        b'<html lang="en"><body><nav>Menu</nav><article data-pagefind-body>'
        b"<h1>Late payers</h1><article>a quoted note</article><p>Body</p></article>"
        b"<aside>Most read</aside></body></html>"
    )
    [part] = marked_parts(page_html)
    assert part.startswith(b"<article data-pagefind-body>") and part.endswith(b"</p></article>")
    assert b"Most read" not in part and b"Menu" not in part
    assert marked_parts(b"<p>No mark here</p>") == []
    assert marked_parts(b"<main data-pagefind-body><p>never closed") is None  # no reuse
    pattern = glob_pattern("{*/index.html,*.html}")
    assert pattern.fullmatch("late-payers/index.html") and pattern.fullmatch("about.html")
    assert not glob_pattern("*/index.html").fullmatch("2026/01/late/index.html")
