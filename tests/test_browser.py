"""The demo in Debian's Chromium: layout at phone and desktop widths, and axe-core."""

from __future__ import annotations

import json

import pytest
from conftest import ARTICLE, ARTIFACTS, AXE, AXE_TAGS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "name, path, width",
    [("article", ARTICLE, 375), ("article", ARTICLE, 1280), ("home", "/", 360)],
)
def test_page_fits_the_screen_without_errors(tab, demo_server, name, path, width):
    tab.set_viewport_size({"width": width, "height": 900})
    tab.goto(demo_server + path, wait_until="load")
    height = tab.evaluate("document.body.scrollHeight")
    for y in range(0, height + 900, 450):  # scroll through, so every lazy image loads
        tab.evaluate(f"window.scrollTo(0, {y})")
        tab.wait_for_timeout(30)
    tab.wait_for_function("[...document.images].every(img => img.complete)", timeout=10_000)
    scroll_width = tab.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"horizontal scroll at {width}px: {scroll_width}px wide"
    assert tab.problems == []
    images = tab.locator("main img")
    for index in range(images.count()):
        image = images.nth(index)
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        assert image.bounding_box()["width"] <= width
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"{name}-{width}.png"
    tab.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_page_works_with_javascript_disabled(browser, demo_server):
    """No JavaScript needed: the only script adds a "Copy link" button, and without it
    the page reads, links and shares as before."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_server + ARTICLE, wait_until="load")
    assert page.locator("h1.headline").is_visible()
    assert "Whitcombe Cycles" in page.locator(".story-body").inner_text()
    assert page.locator(".hero img").evaluate("img => img.complete && img.naturalWidth > 0")
    share = page.get_by_role("navigation", name="Share this article")
    for name in ("LinkedIn", "X", "Facebook", "Email"):
        assert share.get_by_role("link", name=name, exact=True).is_visible()
    assert "cash-flow-is-a-calendar/" in share.get_by_label("Link to this article").input_value()
    assert page.locator(".related-stories .story-card").count() > 0
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Money").click()
    assert page.url.endswith("/section/money/")
    context.close()


def test_dark_mode_changes_the_colours(tab, demo_server):
    tab.goto(demo_server + ARTICLE)
    light = tab.evaluate("getComputedStyle(document.body).backgroundColor")
    tab.emulate_media(color_scheme="dark")
    dark = tab.evaluate("getComputedStyle(document.body).backgroundColor")
    assert light != dark
    assert dark == "rgb(22, 21, 20)"


def test_skip_link_appears_on_focus_and_jumps_to_main(tab, demo_server):
    tab.goto(demo_server + ARTICLE)
    tab.keyboard.press("Tab")
    focused = tab.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    assert tab.locator(".skip-link").bounding_box()["y"] >= 0
    outline = tab.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path",
    ["/", ARTICLE, "/section/money/", "/author/priya-nair/", "/404.html", "/newsletter/13/"],
)
def test_axe_finds_no_wcag_a_or_aa_violations(tab, demo_server, path, scheme):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run scripts/test, which runs npm ci.")
    tab.emulate_media(color_scheme=scheme)
    tab.goto(demo_server + path, wait_until="load")
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert violations == [], json.dumps(violations, indent=1)
    assert len(result["passes"]) > 10  # axe really looked at the page


@pytest.mark.parametrize("width", [600, 375])
def test_newsletter_email_fits_phone_and_desktop_clients(tab, demo_server, width):
    tab.set_viewport_size({"width": width, "height": 900})
    # a local build's email points at `invoke serve` on port 8000: send that to this server
    tab.route(
        "http://127.0.0.1:8000/**",
        lambda route: route.continue_(
            url=route.request.url.replace("http://127.0.0.1:8000", demo_server)
        ),
    )
    tab.goto(demo_server + "/newsletter/13/email.html", wait_until="load")
    tab.wait_for_function("[...document.images].every(img => img.complete)", timeout=10_000)
    assert tab.evaluate("[...document.images].every(img => img.naturalWidth > 0)")
    scroll_width = tab.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"horizontal scroll at {width}px: {scroll_width}px wide"
    assert tab.evaluate("document.querySelectorAll('script, form').length") == 0
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"email-{width}.png"
    tab.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
