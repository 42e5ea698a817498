"""No credential is ever sent to another origin, whatever header the provider uses.

requests drops ``Authorization`` when a redirect changes host, but not a custom header:
Umami Cloud's ``x-umami-api-key`` followed a 302 anywhere. Two real HTTP servers, on
127.0.0.1 and 127.0.0.2: the provider's answers 302 to the other, which records what it got.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from byline.pageviews import PageviewSourceError, config_from_settings, load_snapshot, refresh
from pytest_httpserver import HTTPServer

NOW = datetime(2026, 5, 31, 12, 0, tzinfo=UTC)
SECRET = "pv-key-REDIRECT-test-4242"

# source, settings, endpoint on the provider, header carrying the key, its value
PROVIDERS = [
    ("umami", {}, "/api/websites/site-1/metrics", "x-umami-api-key", SECRET),
    ("umami", {"UMAMI_AUTH": "bearer"}, "/api/websites/site-1/metrics", "Authorization", None),
    ("plausible", {}, "/api/v2/query", "Authorization", None),
    ("goatcounter", {}, "/api/v0/stats/hits", "Authorization", None),
]
ANSWERS = {
    "umami": [{"x": "/a/", "y": 3}],
    "plausible": {"results": [{"dimensions": ["/a/"], "metrics": [3]}], "meta": {}},
    "goatcounter": {"hits": [{"path_id": 1, "path": "/a/", "count": 3}], "more": False},
}


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return ("127.0.0.1", 0)


@pytest.fixture
def elsewhere() -> Iterator[HTTPServer]:
    """A second server on another loopback address: another origin."""
    server = HTTPServer(host="127.0.0.2", port=0)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


def config(tmp_path, httpserver, source, extra):
    values = {
        "BYLINE_PAGEVIEWS_SOURCE": source,
        "BYLINE_PAGEVIEWS_SITE_ID": "site-1",
        "BYLINE_PAGEVIEWS_API_URL": httpserver.url_for("/"),
        "BYLINE_PAGEVIEWS_SNAPSHOT": str(tmp_path / "data" / "pageviews.json"),
    }
    values.update({f"BYLINE_PAGEVIEWS_{k}": v for k, v in extra.items()})
    env = {"UMAMI_API_KEY": SECRET, "PLAUSIBLE_API_KEY": SECRET, "GOATCOUNTER_API_KEY": SECRET}
    return config_from_settings(values, env)


def sent_credentials(server: HTTPServer) -> list[str]:
    """Every header value the server received that holds the key, in any form."""
    return [
        f"{name}: {value}"
        for request, _ in server.log
        for name, value in request.headers.items()
        if SECRET in value or name.lower() in ("authorization", "x-umami-api-key", "cookie")
    ]


@pytest.mark.parametrize(
    "source, extra, endpoint, header, value",
    PROVIDERS,
    ids=["umami-api-key", "umami-bearer", "plausible", "goatcounter"],
)
def test_a_redirect_to_another_origin_carries_no_credential(
    tmp_path, httpserver, elsewhere, source, extra, endpoint, header, value
):
    httpserver.expect_request(endpoint).respond_with_data(
        "", status=302, headers={"Location": elsewhere.url_for(endpoint)}
    )
    elsewhere.expect_request(endpoint).respond_with_json({"error": "unauthorized"}, status=401)
    settings = config(tmp_path, httpserver, source, extra)
    with pytest.raises(PageviewSourceError) as caught:
        refresh(settings, NOW, sleep=lambda seconds: None)
    # The provider's own server got the key; the other origin got nothing of it.
    first = httpserver.log[0][0].headers
    assert first[header] == (value or f"Bearer {SECRET}")
    assert len(elsewhere.log) >= 1
    assert sent_credentials(elsewhere) == []
    # The message says what happened and what to change, and holds no key.
    message = str(caught.value)
    assert "redirected to http://127.0.0.2" in message and "BYLINE_PAGEVIEWS_API_URL" in message
    assert SECRET not in message
    assert not settings.snapshot.exists()


def test_redirects_within_the_origin_keep_the_key(tmp_path, httpserver):
    # Not "drop the key on every redirect": a provider moving its endpoint keeps working.
    endpoint = "/api/websites/site-1/metrics"
    httpserver.expect_request(endpoint).respond_with_data(
        "", status=307, headers={"Location": "/v2" + endpoint}
    )
    httpserver.expect_request(
        "/v2" + endpoint, headers={"x-umami-api-key": SECRET}
    ).respond_with_json(ANSWERS["umami"])
    settings = config(tmp_path, httpserver, "umami", {})
    refresh(settings, NOW)
    assert load_snapshot(settings.snapshot).views == {"/a/": 3}


def test_once_off_the_origin_the_key_does_not_come_back(tmp_path, httpserver, elsewhere):
    # provider -> elsewhere -> back to the provider: the key was dropped and stays dropped.
    endpoint = "/api/websites/site-1/metrics"
    httpserver.expect_ordered_request(endpoint).respond_with_data(
        "", status=302, headers={"Location": elsewhere.url_for("/bounce")}
    )
    elsewhere.expect_request("/bounce").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/back")}
    )
    httpserver.expect_ordered_request("/back").respond_with_json(ANSWERS["umami"])
    settings = config(tmp_path, httpserver, "umami", {})
    refresh(settings, NOW)
    back = httpserver.log[-1][0]
    assert back.path == "/back" and "x-umami-api-key" not in back.headers
    assert sent_credentials(elsewhere) == []
