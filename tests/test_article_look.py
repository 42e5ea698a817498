"""The article page in Chromium at 375 px and 1280 px, light and dark, on screen and in print.

Heights are measured from the elements' bounding boxes on the demo, as a reader scrolls
them. Screenshots go to test-artifacts/ (article-<width>-<scheme>.png, article-print.png).
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import ARTICLE, ARTIFACTS, AXE, AXE_TAGS

pytestmark = pytest.mark.browser

MASTHEAD_MAX = 120  # px at 375: masthead and sections, before the section label
BLOCKS_MAX = 2_600  # px at 375: Related, More from and Most read together
SCHEMES = ["light", "dark"]

# From the top of the first story block to the bottom of the last one.
BLOCKS_HEIGHT = """() => {
  const blocks = [...document.querySelectorAll('.story-blocks .story-block')];
  if (!blocks.length) return 0;
  return blocks.at(-1).getBoundingClientRect().bottom - blocks[0].getBoundingClientRect().top;
}"""


def _open(tab, url: str, width: int, scheme: str = "light") -> None:
    tab.set_viewport_size({"width": width, "height": 900})
    tab.emulate_media(color_scheme=scheme)
    tab.goto(url, wait_until="load")


def _article_paths(demo_site) -> list[str]:
    return sorted(
        f"/{p.parent.name}/"
        for p in demo_site.glob("*/index.html")
        if '<article class="story"' in p.read_text(encoding="utf-8")
    )


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", [375, 1280])
def test_article_screenshots_without_errors(tab, demo_server, width, scheme):
    _open(tab, demo_server + ARTICLE, width, scheme)
    height = tab.evaluate("document.body.scrollHeight")
    for y in range(0, height + 900, 450):  # scroll through, so every lazy image loads
        tab.evaluate(f"window.scrollTo(0, {y})")
        tab.wait_for_timeout(30)
    tab.wait_for_function("[...document.images].every(img => img.complete)", timeout=10_000)
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    assert tab.evaluate("[...document.images].every(img => img.naturalWidth > 0)")
    assert tab.problems == []
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"article-{width}-{scheme}.png"
    tab.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


@pytest.mark.parametrize("scheme", SCHEMES)
def test_masthead_and_sections_fit_in_120_px_on_a_phone(tab, demo_server, scheme):
    _open(tab, demo_server + ARTICLE, 375, scheme)
    masthead = tab.locator(".masthead").bounding_box()
    assert masthead["y"] + masthead["height"] <= MASTHEAD_MAX
    nav = tab.locator(".site-nav").bounding_box()
    assert nav["height"] < 50, "the sections should stand on one line"
    label = tab.locator(".story-header .section-label").bounding_box()
    assert label["y"] < MASTHEAD_MAX + 50  # the article starts right under it
    assert tab.locator(".site-name").is_visible()


def test_sections_scroll_sideways_and_the_keyboard_reaches_each_one(tab, demo_server):
    _open(tab, demo_server + ARTICLE, 375)
    nav = tab.locator(".site-nav")
    assert nav.evaluate("n => n.scrollWidth > n.clientWidth + 40"), "nothing to scroll"
    assert nav.evaluate("n => getComputedStyle(n).overflowX") == "auto"
    names = tab.locator(".site-nav a").all_inner_texts()
    assert len(names) >= 5
    tab.keyboard.press("Tab")  # the skip link
    tab.keyboard.press("Tab")  # the site's name
    seen = []
    for _ in names:
        tab.keyboard.press("Tab")
        focused = tab.evaluate(
            "() => { const a = document.activeElement, r = a.getBoundingClientRect();"
            " return {text: a.innerText, inNav: !!a.closest('.site-nav'),"
            " left: r.left, right: r.right}; }"
        )
        assert focused["inNav"], f"Tab left the sections at {focused['text']!r}"
        # never entirely hidden (WCAG 2.4.11); Chromium scrolls a hidden link into view,
        # though one already partly on screen stays where it is
        visible = min(focused["right"], 375) - max(focused["left"], 0)
        assert visible >= 24, f"{focused} is off screen"
        seen.append(focused["text"])
    assert seen == names
    assert nav.evaluate("n => n.scrollLeft") > 0  # the browser scrolled along
    nav.evaluate("n => n.scrollTo({left: n.scrollWidth})")  # a swipe to the end
    last = tab.locator(".site-nav li:last-child a").bounding_box()
    assert last["x"] >= 0 and last["x"] + last["width"] <= 375


def test_desktop_sections_stay_centred_on_wrapping_lines(tab, demo_server):
    _open(tab, demo_server + ARTICLE, 1280)
    nav = tab.locator(".site-nav")
    assert nav.evaluate("n => n.scrollWidth <= n.clientWidth")
    assert nav.evaluate("n => getComputedStyle(n.querySelector('ul')).justifyContent") == "center"


def test_the_three_blocks_take_at_most_2600_px_on_a_phone_on_every_article(
    tab, demo_server, demo_site
):
    tab.set_viewport_size({"width": 375, "height": 900})
    heights = {}
    for path in _article_paths(demo_site):
        tab.goto(demo_server + path, wait_until="load")
        heights[path] = tab.evaluate(BLOCKS_HEIGHT)
    assert ARTICLE in heights and len(heights) >= 10
    longest = max(heights, key=heights.get)
    print(f"blocks at 375 px: {ARTICLE} {heights[ARTICLE]:.0f}, {longest} {heights[longest]:.0f}")
    assert heights[longest] <= BLOCKS_MAX, heights
    assert heights[ARTICLE] > 600  # the blocks are there, only compact


@pytest.mark.parametrize("scheme", SCHEMES)
def test_phone_cards_put_a_small_thumbnail_beside_the_headline(tab, demo_server, scheme):
    _open(tab, demo_server + ARTICLE, 375, scheme)
    card = tab.locator(".related-stories .story-card").first
    thumb = card.locator(".story-thumb").bounding_box()
    headline = card.locator(".story-headline").bounding_box()
    assert thumb["width"] <= 120
    assert headline["x"] + headline["width"] <= thumb["x"]  # side by side
    assert thumb["y"] < headline["y"] + headline["height"]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_desktop_cards_keep_their_grid_and_pictures_on_top(tab, demo_server, scheme):
    _open(tab, demo_server + ARTICLE, 1280, scheme)
    # The dedupe can leave a page without More from, so check the grids the page has.
    blocks = [
        b for b in (".related-stories", ".more-from", ".more-in-section") if tab.locator(b).count()
    ]
    assert ".related-stories" in blocks
    for block in blocks:
        columns = tab.locator(f"{block} .story-list").evaluate(
            "l => getComputedStyle(l).gridTemplateColumns.split(' ').length"
        )
        assert columns >= 2, f"{block} is no longer a grid at 1280 px"
        card = tab.locator(f"{block} .story-card").first
        thumb = card.locator(".story-thumb").bounding_box()
        headline = card.locator(".story-headline").bounding_box()
        assert thumb["y"] + thumb["height"] <= headline["y"]  # picture above the headline
        assert thumb["width"] > 200


@pytest.mark.parametrize("width", [375, 1280])
def test_print_keeps_the_column_and_its_address_and_drops_the_rest(tab, demo_server, width):
    _open(tab, demo_server + ARTICLE, width)
    tab.emulate_media(media="print")
    for kept in (
        "h1.headline",
        ".standfirst",
        ".byline",
        ".hero img",
        ".hero-credit",
        ".story-body",
        ".story-role",
        ".print-url",
    ):
        assert tab.locator(kept).first.is_visible(), f"{kept} is missing from print"
    for gone in (
        ".site-nav",
        ".signup",
        ".signup-form",
        ".share",
        ".story-blocks",
        ".related-stories",
        ".more-from",
        ".most-read",
        ".site-footer",
        ".skip-link",
    ):
        assert tab.locator(gone).first.is_hidden(), f"{gone} is printed"
    assert tab.locator(".print-url").inner_text() == "Read online: ../cash-flow-is-a-calendar/"
    tab.emulate_media(media="print", color_scheme="dark")  # dark screens print black on white
    colours = tab.evaluate(
        "[getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]"
    )
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    if width == 1280:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / "article-print.png"), full_page=True)
    tab.emulate_media(media="screen")
    assert tab.locator(".print-url").is_hidden()  # on screen the address bar says it


@pytest.mark.parametrize("scheme", SCHEMES)
def test_copy_link_button_copies_the_full_address(browser, demo_server, scheme):
    context = browser.new_context(
        permissions=["clipboard-read", "clipboard-write"], viewport={"width": 375, "height": 900}
    )
    page = context.new_page()
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.emulate_media(color_scheme=scheme)
    page.goto(demo_server + ARTICLE, wait_until="load")
    button = page.get_by_role("button", name="Copy link")
    button.click()
    address = demo_server + ARTICLE
    assert page.locator(".copy-link-url").input_value() == address
    assert page.evaluate("navigator.clipboard.readText()") == address
    assert page.get_by_role("status").inner_text() == "Link copied"
    assert problems == []
    context.close()


def test_without_javascript_the_link_is_there_to_copy(browser, demo_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_server + ARTICLE)
    field = page.get_by_label("Link to this article")
    assert field.is_visible() and field.get_attribute("readonly") is not None
    assert re.fullmatch(r"(\.\./|/)cash-flow-is-a-calendar/", field.input_value())
    assert page.get_by_role("button", name="Copy link").count() == 0
    context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_violations_on_the_phone_layout(tab, demo_server, scheme):
    _open(tab, demo_server + ARTICLE, 375, scheme)
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        [*AXE_TAGS, "best-practice"],
    )
    violations = [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert violations == [], json.dumps(violations, indent=1)
    passed = {rule["id"] for rule in result["passes"]}
    assert "scrollable-region-focusable" in passed  # the sideways nav was checked


SEEN_BLOCKS = """() => [...document.querySelectorAll('.story-blocks .story-block')]
  .filter(block => block.getBoundingClientRect().height > 0)
  .map(block => ({heading: block.querySelector('h2').textContent.trim(),
                  links: [...block.querySelectorAll('.story-card a[href], li a[href]')]
                    .map(a => new URL(a.href).pathname)}))"""


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", [375, 1280])
def test_a_reader_sees_each_story_once_under_every_article(
    tab, demo_server, demo_site, width, scheme
):
    """What the reader sees: no story in two blocks, and More from only the author's own."""
    for path in _article_paths(demo_site):
        _open(tab, demo_server + path, width, scheme)
        blocks = tab.evaluate(SEEN_BLOCKS)
        assert [b["heading"] for b in blocks][:1] == ["Related stories"], path
        shown = [link for block in blocks for link in dict.fromkeys(block["links"])]
        assert len(shown) == len(set(shown)), f"{path}: a story in two blocks: {blocks}"
        assert path not in shown, path  # never the page itself
        author = tab.locator(".byline a[rel=author]").first.inner_text()
        for block in blocks:
            if block["heading"].startswith("More from"):
                assert block["heading"] == f"More from {author}", path
