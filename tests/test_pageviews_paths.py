"""Path matching: every common spelling of an article URL lands on the article; the rest is
summed up, not dropped."""

from __future__ import annotations

import pytest
from byline.pageviews import canonical_path, clean_path, match_views
from byline.pageviews.paths import SiteURL

KNOWN = [
    "/cash-flow-is-a-calendar/",
    "/raise-your-prices-early/",
    "/café-economics/",
    "/say-no-to-friday-deadlines/",
]
SITE = "https://thecounter.example.com"


@pytest.mark.parametrize(
    "raw",
    [
        "/cash-flow-is-a-calendar/",
        "/cash-flow-is-a-calendar",
        "cash-flow-is-a-calendar/",
        "/cash-flow-is-a-calendar/index.html",
        "/cash-flow-is-a-calendar/index.htm",
        "/cash-flow-is-a-calendar/?utm_source=newsletter&utm_medium=email",
        "/cash-flow-is-a-calendar/#the-year-is-not-one-number",
        "/cash-flow-is-a-calendar/index.html?x=1#y",
        "https://thecounter.example.com/cash-flow-is-a-calendar/",
        "HTTPS://TheCounter.Example.COM/cash-flow-is-a-calendar/",
        "http://www.thecounter.example.com:80/cash-flow-is-a-calendar",
        "//thecounter.example.com/cash-flow-is-a-calendar/",
        "thecounter.example.com/cash-flow-is-a-calendar/",
        "/Cash-Flow-Is-A-Calendar/",
        "/cash%2Dflow-is-a-calendar/",
        "/cash-flow-is-a-calendar//",
        "  /cash-flow-is-a-calendar/  ",
    ],
)
def test_spellings_of_one_article(raw):
    result = match_views({raw: 7}, KNOWN, SITE)
    assert result.views == {"/cash-flow-is-a-calendar/": 7}
    assert result.unmatched_paths == 0


def test_percent_encoded_unicode_slug():
    raw = {"/caf%C3%A9-economics/": 3, "/café-economics/index.html": 2}
    assert match_views(raw, KNOWN, SITE).views == {"/café-economics/": 5}
    encoded_known = ["/caf%C3%A9-economics/"]  # known paths may be encoded too
    assert match_views({"/café-economics": 1}, encoded_known).views == {encoded_known[0]: 1}


def test_site_url_with_a_path_prefix():
    site = "https://example.com/blog/"
    raw = {
        "https://example.com/blog/raise-your-prices-early/": 4,
        "/blog/raise-your-prices-early/?ref=x": 3,
        "/raise-your-prices-early/": 2,
        "/blog": 1,
    }
    result = match_views(raw, KNOWN + ["/"], site)
    assert result.views == {"/raise-your-prices-early/": 9, "/": 1}


def test_other_hosts_are_reported_not_counted():
    raw = {"https://evil.example.net/cash-flow-is-a-calendar/": 50, "/cash-flow-is-a-calendar/": 5}
    result = match_views(raw, KNOWN, SITE)
    assert result.views == {"/cash-flow-is-a-calendar/": 5}
    assert result.unmatched_paths == 1 and result.unmatched_views == 50
    assert result.top_unmatched == [("https://evil.example.net/cash-flow-is-a-calendar/", 50)]
    # Without a site URL (local builds) any host's path is accepted.
    assert match_views(raw, KNOWN, "").views == {"/cash-flow-is-a-calendar/": 55}


def test_redirects_chains_and_loops():
    redirects = {
        "/cash-flow/": "/cash-flow-is-a-calendar/",
        "/2019/03/cashflow.html": "/cash-flow/",  # a chain
        "/loop-a/": "/loop-b/",
        "/loop-b/": "/loop-a/",
        "https://thecounter.example.com/old-prices": "/raise-your-prices-early/",
    }
    raw = {
        "/cash-flow/?utm_source=x": 10,
        "/2019/03/cashflow.html": 4,
        "/old-prices/": 3,
        "/loop-a/": 2,
        "/cash-flow-is-a-calendar/": 1,
    }
    result = match_views(raw, KNOWN, SITE, redirects)
    assert result.views == {"/cash-flow-is-a-calendar/": 15, "/raise-your-prices-early/": 3}
    assert result.unmatched_paths == 1 and result.unmatched_views == 2


def test_unmatched_summary_counts_everything_and_lists_the_top_few():
    raw = {f"/gone-{n}/": n for n in range(1, 9)}
    raw["/"] = 100
    raw["/raise-your-prices-early/"] = 7
    raw["/zero/"] = 0
    result = match_views(raw, KNOWN, SITE, top_unmatched=3)
    assert result.views == {"/raise-your-prices-early/": 7}
    assert result.matched_views == 7
    assert result.unmatched_paths == 9
    assert result.unmatched_views == 100 + sum(range(1, 9))
    assert result.top_unmatched == [("/", 100), ("/gone-8", 8), ("/gone-7", 7)]
    assert "9 other paths with 136 views" in result.describe()


def test_clean_path_drops_queries_and_fragments_but_keeps_hosts():
    assert clean_path("/a/?email=me@example.com#x") == "/a/"
    assert clean_path(" HTTPS://Example.COM/A/?q ") == "https://example.com/A/"
    assert clean_path("https://example.com") == "https://example.com/"


def test_canonical_path_edges():
    assert canonical_path("") is None
    assert canonical_path("/") == "/"
    assert canonical_path("/index.html") == "/"
    assert canonical_path("https://example.com") == "/"
    assert canonical_path("/a.html") == "/a.html"
    assert SiteURL.parse("example.com/blog") == SiteURL("example.com", "/blog")
    assert SiteURL.parse("") == SiteURL("", "")
