"""A reader in Chromium signs up with the site's own form, lands on the thank-you page,
confirms from the email, and later unsubscribes with the page's one button; every page
the service shows passes axe in light and dark."""

from __future__ import annotations

import pytest
import sendkit as kit
import subskit
from byline.sending.message import reader_url
from byline.subscriptions.store import Store
from conftest import ARTICLE, AXE, AXE_TAGS, build, serve

pytestmark = pytest.mark.browser


def axe_violations(tab) -> list[dict]:
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        [*AXE_TAGS, "best-practice"],
    )
    assert len(result["passes"]) > 5  # axe really looked at the page
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


def test_a_reader_signs_up_confirms_and_leaves_in_the_browser(browser, tmp_path):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run scripts/test, which runs npm ci.")
    root = kit.project(tmp_path, subscribers="email,name,status\n")
    handler = kit.Recorder()
    output = tmp_path / "web"
    output.mkdir()
    service_port = kit.free_port()
    with serve(output) as site_url, kit.Server(handler) as smtp:
        build(
            output,
            SITEURL=site_url,
            BYLINE_SUBSCRIPTIONS_URL=f"http://127.0.0.1:{service_port}",
            BYLINE_IMAGE_VARIANTS=False,
            BYLINE_SOCIAL_CARDS=False,
        )
        with subskit.Service(root, smtp.port, port=service_port, SITEURL=site_url) as service:
            # The service's pages forbid scripts (CSP); axe is injected by the test only.
            context = browser.new_context(bypass_csp=True)
            tab = context.new_page()
            tab.goto(site_url + ARTICLE)
            tab.fill("#signup-email", "reader@example.com")
            tab.click(".signup-form button[type=submit]")
            tab.wait_for_url(f"{site_url}/newsletter/thanks/")
            assert "check your inbox" in tab.inner_text("main").lower()

            link = subskit.links(subskit.confirmation_for(handler, "reader@example.com"))[0]
            pages = {"confirmed": link}
            tab.goto(link)
            assert tab.inner_text("h1") == "You are subscribed"
            reader = Store(service.database).find("reader@example.com")
            assert reader.status == "active"
            record = Store(service.database).reader_record("reader@example.com")
            assert record["signup_page"] == site_url + ARTICLE

            leave = reader_url(service.url, kit.UNSUB_SECRET, reader.id)
            pages["unsubscribe"] = leave
            pages["bad link"] = leave[:-2] + "00"
            pages["sign-up form"] = f"{service.url}/subscribe"
            pages["used link"] = link
            for scheme in ("light", "dark"):
                tab.emulate_media(color_scheme=scheme)
                for name, url in pages.items():
                    tab.goto(url)
                    assert axe_violations(tab) == [], (name, scheme)
            tab.goto(leave)
            tab.click("button[type=submit]")
            assert tab.inner_text("h1") == "You are unsubscribed"
            assert axe_violations(tab) == []
            assert Store(service.database).find("reader@example.com").status == "unsubscribed"
            context.close()
