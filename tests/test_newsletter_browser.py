"""The thank-you page and the issue pages' previous/next links in Chromium: phone and
desktop, light and dark, axe-core clean."""

from __future__ import annotations

import json

import pytest
from conftest import ARTIFACTS, AXE, AXE_TAGS

pytestmark = pytest.mark.browser


def _axe_violations(tab) -> list[dict]:
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    assert len(result["passes"]) > 10  # axe really looked at the page
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_thank_you_page_and_issue_links_read_well_everywhere(tab, demo_server, width, scheme):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run scripts/test, which runs npm ci.")
    tab.set_viewport_size({"width": width, "height": 900})
    tab.emulate_media(color_scheme=scheme)

    tab.goto(demo_server + "/newsletter/thanks/", wait_until="load")
    assert tab.locator("h1").inner_text() == "Thanks \u2013 check your inbox to confirm"
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    assert tab.evaluate("getComputedStyle(document.body).fontFamily").startswith("Charter")
    home = tab.get_by_role("link", name="Back to the home page")
    assert home.is_visible()
    assert _axe_violations(tab) == []
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"newsletter-thanks-{width}-{scheme}.png"), full_page=True)
    tab.wait_for_load_state("networkidle")  # the favicon too, before leaving the page
    tab.get_by_role("link", name="Read past issues").click()
    tab.wait_for_url("**/newsletter/")
    assert "Past issues" in tab.locator("main").inner_text()

    tab.goto(demo_server + "/newsletter/7/", wait_until="load")
    nav = tab.get_by_role("navigation", name="Earlier and later issues")
    previous, following = (
        nav.get_by_role("link", name="Issue 6"),
        nav.get_by_role("link", name="Issue 8"),
    )
    assert previous.is_visible() and following.is_visible()
    left, right = previous.bounding_box(), following.bounding_box()
    assert left["x"] + left["width"] <= right["x"]  # side by side, earlier on the left
    assert min(left["height"], right["height"]) >= 24  # big enough to tap
    assert right["x"] + right["width"] <= width
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    assert _axe_violations(tab) == []
    nav.scroll_into_view_if_needed()
    tab.screenshot(path=str(ARTIFACTS / f"newsletter-issue-nav-{width}-{scheme}.png"))
    tab.wait_for_load_state("networkidle")
    following.click()
    tab.wait_for_url("**/newsletter/8/")
    tab.wait_for_load_state("networkidle")
    assert tab.locator("h1").inner_text().startswith("The Counter Weekly #8")
    assert tab.problems == [], json.dumps(tab.problems)
