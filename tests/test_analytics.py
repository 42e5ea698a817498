"""The analytics provider's script: on production pages only, one per provider, real builds."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import build, page, write_site

POSTS = {
    "one.md": "Title: One\nDate: 2026-01-06\nAuthor: Maya Okafor\nSummary: The first.\n\nText.\n",
    "pages/about.md": "Title: About\n\nWho we are.\n",
}
PAGES = ("index.html", "one/index.html", "about/index.html", "archives/index.html")


def _build(tmp_path: Path, settings_file: str, **settings) -> Path:
    content = write_site(tmp_path, POSTS)
    return build(tmp_path / "output", settings_file, content=content, **settings)


def _scripts(output: Path, relative: str) -> list[dict]:
    """Every script element with a src outside the theme's own files, as {attribute: value}
    (the article page's copy-link script is the site's own, not a counter)."""
    found = page(output, relative).xpath("//script[@src]")
    return [dict(s.attrib) for s in found if "/theme/js/" not in s.get("src")]


@pytest.mark.parametrize(
    ("source", "site_id", "expected"),
    [
        (
            "plausible",
            "thecounter.example.com",
            {
                "defer": "defer",
                "data-domain": "thecounter.example.com",
                "src": "https://plausible.io/js/script.js",
            },
        ),
        (
            "goatcounter",
            "thecounter",
            {
                "defer": "defer",
                "data-goatcounter": "https://thecounter.goatcounter.com/count",
                "src": "https://gc.zgo.at/count.js",
            },
        ),
        (
            "umami",
            "94db1cb1-74f4-4a40-ad6c-962362670409",
            {
                "defer": "defer",
                "data-website-id": "94db1cb1-74f4-4a40-ad6c-962362670409",
                "src": "https://cloud.umami.is/script.js",
            },
        ),
    ],
)
def test_production_pages_load_the_providers_script(tmp_path, source, site_id, expected):
    output = _build(
        tmp_path,
        "publishconf.py",
        BYLINE_PAGEVIEWS_SOURCE=source,
        BYLINE_PAGEVIEWS_SITE_ID=site_id,
    )
    for relative in PAGES:
        assert _scripts(output, relative) == [expected], relative


def test_a_self_hosted_server_serves_the_script(tmp_path):
    output = _build(
        tmp_path,
        "publishconf.py",
        BYLINE_PAGEVIEWS_SOURCE="umami",
        BYLINE_PAGEVIEWS_SITE_ID="site-7",
        BYLINE_PAGEVIEWS_API_URL="https://umami.thecounter.example.com",
    )
    assert _scripts(output, "one/index.html") == [
        {
            "defer": "defer",
            "data-website-id": "site-7",
            "src": "https://umami.thecounter.example.com/script.js",
        }
    ]


def test_the_script_setting_wins_over_the_api_address(tmp_path):
    output = _build(
        tmp_path,
        "publishconf.py",
        BYLINE_PAGEVIEWS_SOURCE="goatcounter",
        BYLINE_PAGEVIEWS_SITE_ID="thecounter",
        BYLINE_ANALYTICS_SCRIPT_URL="https://stats.thecounter.example.com/",
    )
    assert _scripts(output, "index.html") == [
        {
            "defer": "defer",
            "data-goatcounter": "https://stats.thecounter.example.com/count",
            "src": "https://stats.thecounter.example.com/count.js",
        }
    ]


def test_a_local_build_never_loads_it(tmp_path):
    output = _build(
        tmp_path,
        "pelicanconf.py",
        BYLINE_PAGEVIEWS_SOURCE="plausible",
        BYLINE_PAGEVIEWS_SITE_ID="thecounter.example.com",
    )
    for relative in PAGES:
        assert _scripts(output, relative) == [], relative


def test_turned_off_production_pages_load_nothing(tmp_path):
    output = _build(
        tmp_path,
        "publishconf.py",
        BYLINE_PAGEVIEWS_SOURCE="plausible",
        BYLINE_PAGEVIEWS_SITE_ID="thecounter.example.com",
        BYLINE_ANALYTICS_SCRIPT=False,
    )
    for relative in PAGES:
        assert _scripts(output, relative) == [], relative


def test_a_provider_without_a_site_id_warns_and_loads_nothing(tmp_path, warnings_log):
    output = _build(tmp_path, "publishconf.py", BYLINE_PAGEVIEWS_SOURCE="plausible")
    assert _scripts(output, "index.html") == []
    said = [m for m in warnings_log() if m.startswith("Analytics:")]
    assert len(said) == 1
    assert "BYLINE_PAGEVIEWS_SITE_ID is empty" in said[0]
    assert "BYLINE_ANALYTICS_SCRIPT = False" in said[0]


def test_a_self_hosted_address_that_is_not_https_warns_and_loads_nothing(tmp_path, warnings_log):
    output = _build(
        tmp_path,
        "publishconf.py",
        BYLINE_PAGEVIEWS_SOURCE="plausible",
        BYLINE_PAGEVIEWS_SITE_ID="thecounter.example.com",
        BYLINE_ANALYTICS_SCRIPT_URL="stats.thecounter.example.com",
    )
    assert _scripts(output, "index.html") == []
    assert any("BYLINE_ANALYTICS_SCRIPT_URL is" in m for m in warnings_log())


def _foreign_loads(output: Path, site_host: str) -> set[str]:
    """Hosts other than the site's that any page makes the browser fetch from."""
    hosts = set()
    for path in output.rglob("*.html"):
        if path.name == "email.html":
            continue
        doc = page(output, str(path.relative_to(output)))
        loads = doc.xpath("//script/@src | //img/@src | //img/@srcset | //source/@srcset")
        loads += doc.xpath("//link[not(@rel='canonical' or @rel='alternate')]/@href")
        loads += doc.xpath("//iframe/@src | //video/@src | //audio/@src")
        for address in loads:
            host = urlsplit(address.split()[0]).hostname
            if host and host != site_host:
                hosts.add(host)
    return hosts


def test_the_providers_script_is_the_only_request_to_another_host(tmp_path):
    output = _build(
        tmp_path,
        "publishconf.py",
        search=True,
        BYLINE_PAGEVIEWS_SOURCE="plausible",
        BYLINE_PAGEVIEWS_SITE_ID="thecounter.example.com",
    )
    assert _foreign_loads(output, "thecounter.example.com") == {"plausible.io"}


def test_the_demo_makes_no_request_to_another_host(demo_publish):
    assert _foreign_loads(demo_publish, "thecounter.example.com") == set()
