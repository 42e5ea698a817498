"""Analytics APIs against a real HTTP server on 127.0.0.1 answering in each provider's shapes.

Checks the requests we send (method, path, query, headers, JSON body), paging, retries with
back-off and Retry-After (through an injected sleep, so nothing really waits), and the
errors users see for 401/403/404/429/5xx and malformed answers.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from byline.pageviews import PageviewSourceError
from byline.pageviews.goatcounter import fetch_goatcounter
from byline.pageviews.http import HttpClient
from byline.pageviews.plausible import fetch_plausible
from byline.pageviews.umami import fetch_umami, metrics_url
from byline.retry import parse_retry_after
from werkzeug import Response

KEY = "pk-test-7Qz9-not-a-real-key"
START, END = date(2026, 5, 2), date(2026, 5, 31)


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return ("127.0.0.1", 0)


def client(provider: str, sleeps: list[float], **options) -> HttpClient:
    options.setdefault("key_env", f"{provider.upper()}_API_KEY")
    return HttpClient(provider, timeout=5, sleep=sleeps.append, **options)


def plausible_body(offset: int, limit: int) -> dict:
    return {
        "site_id": "thecounter.example.com",
        "metrics": ["pageviews"],
        "date_range": ["2026-05-02", "2026-05-31"],
        "dimensions": ["event:page"],
        "order_by": [["pageviews", "desc"]],
        "pagination": {"limit": limit, "offset": offset},
    }


def result(path: str, views: int) -> dict:
    return {"dimensions": [path], "metrics": [views]}


def plausible(httpserver, sleeps: list[float], page_size: int = 1000, **options):
    return fetch_plausible(
        client("Plausible", sleeps, **options),
        base_url=httpserver.url_for("/"),
        site_id="thecounter.example.com",
        api_key=KEY,
        start=START,
        end=END,
        page_size=page_size,
    )


# --- Plausible ------------------------------------------------------------------------


def test_plausible_sends_the_documented_query_and_pages_until_a_short_page(httpserver):
    headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    meta = {"meta": {"imports_included": False}}
    httpserver.expect_ordered_request(
        "/api/v2/query", method="POST", headers=headers, json=plausible_body(0, 2)
    ).respond_with_json({"results": [result("/a/", 50), result("/b/?x=1", 40)], **meta})
    httpserver.expect_ordered_request(
        "/api/v2/query", method="POST", headers=headers, json=plausible_body(2, 2)
    ).respond_with_json({"results": [result("/c/", 30), result("/a/", 10)], **meta})
    httpserver.expect_ordered_request(
        "/api/v2/query", method="POST", headers=headers, json=plausible_body(4, 2)
    ).respond_with_json({"results": [result("/d/", 1)], **meta})
    sleeps: list[float] = []
    views = plausible(httpserver, sleeps, page_size=2)
    assert views == {"/a/": 60, "/b/?x=1": 40, "/c/": 30, "/d/": 1}
    assert len(httpserver.log) == 3
    assert sleeps == []
    httpserver.check_assertions()


def test_plausible_401_names_the_environment_variable_not_the_key(httpserver):
    httpserver.expect_request("/api/v2/query", method="POST").respond_with_json(
        {"error": "Invalid API key"}, status=401
    )
    with pytest.raises(PageviewSourceError) as caught:
        plausible(httpserver, [])
    message = str(caught.value)
    assert "HTTP 401" in message
    assert "check the API key in the environment variable PLAUSIBLE_API_KEY" in message
    assert KEY not in message
    assert caught.value.status == 401
    assert len(httpserver.log) == 1  # a bad key is not retried


def test_plausible_404_points_at_site_id_and_base_url(httpserver):
    httpserver.expect_request("/api/v2/query", method="POST").respond_with_data(
        "Not found", status=404
    )
    with pytest.raises(PageviewSourceError, match="BYLINE_PAGEVIEWS_SITE_ID"):
        plausible(httpserver, [])


def test_429_waits_as_long_as_retry_after_says(httpserver):
    httpserver.expect_oneshot_request("/api/v2/query", method="POST").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_request("/api/v2/query", method="POST").respond_with_json(
        {"results": [result("/a/", 5)], "meta": {}}
    )
    sleeps: list[float] = []
    assert plausible(httpserver, sleeps) == {"/a/": 5}
    assert sleeps == [7.0]
    assert len(httpserver.log) == 2


def test_429_that_never_ends_gives_up_after_the_bounded_attempts(httpserver):
    httpserver.expect_request("/api/v2/query", method="POST").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "2"}
    )
    sleeps: list[float] = []
    with pytest.raises(PageviewSourceError, match="kept rate-limiting .*HTTP 429.* 4 attempts"):
        plausible(httpserver, sleeps)
    assert sleeps == [2.0, 2.0, 2.0]
    assert len(httpserver.log) == 4


def test_retry_after_longer_than_we_wait_fails_fast(httpserver):
    httpserver.expect_request("/api/v2/query", method="POST").respond_with_data(
        "", status=429, headers={"Retry-After": "3600"}
    )
    sleeps: list[float] = []
    with pytest.raises(PageviewSourceError, match="asked to wait 3600 s"):
        plausible(httpserver, sleeps)
    assert sleeps == [] and len(httpserver.log) == 1


def test_503_with_an_http_date_retry_after(httpserver):
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    httpserver.expect_oneshot_request("/api/v2/query").respond_with_data(
        "maintenance", status=503, headers={"Retry-After": when}
    )
    httpserver.expect_request("/api/v2/query").respond_with_json({"results": []})
    sleeps: list[float] = []
    assert plausible(httpserver, sleeps) == {}
    assert len(sleeps) == 1 and 25 <= sleeps[0] <= 30


def test_500_then_success_backs_off_exponentially(httpserver):
    for _ in range(2):
        httpserver.expect_ordered_request("/api/v2/query").respond_with_data("boom", status=500)
    httpserver.expect_ordered_request("/api/v2/query").respond_with_json(
        {"results": [result("/a/", 3)]}
    )
    sleeps: list[float] = []
    assert plausible(httpserver, sleeps, backoff=0.5) == {"/a/": 3}
    assert sleeps == [0.5, 1.0]


def test_server_errors_every_time_end_in_one_clear_error(httpserver):
    httpserver.expect_request("/api/v2/query").respond_with_data("bad gateway", status=502)
    sleeps: list[float] = []
    with pytest.raises(PageviewSourceError, match=r"server error \(HTTP 502\).*4 times"):
        plausible(httpserver, sleeps, max_attempts=4)
    assert sleeps == [1.0, 2.0, 4.0]


@pytest.mark.parametrize(
    "body, content_type, expected",
    [
        ("<html>oops</html>", "text/html", "not JSON"),
        ('{"data": []}', "application/json", 'without a "results" list'),
        ('{"results": [{"dimensions": [], "metrics": [1]}]}', "application/json", "malformed"),
        ('{"results": [{"dimensions": ["/a/"], "metrics": ["x"]}]}', "application/json", "malf"),
    ],
)
def test_plausible_malformed_answers_say_what_was_expected(
    httpserver, body, content_type, expected
):
    httpserver.expect_request("/api/v2/query").respond_with_data(body, content_type=content_type)
    with pytest.raises(PageviewSourceError) as caught:
        plausible(httpserver, [])
    assert expected in str(caught.value)
    assert '"results": [{"dimensions": ["/path"], "metrics": [pageviews]}]' in str(caught.value)


def test_connection_errors_are_retried_then_reported():
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps: list[float] = []
    with pytest.raises(PageviewSourceError, match="could not reach Plausible .* 3 attempts"):
        fetch_plausible(
            client("Plausible", sleeps, max_attempts=3),
            base_url=f"http://127.0.0.1:{port}",
            site_id="s",
            api_key=KEY,
            start=START,
            end=END,
        )
    assert sleeps == [1.0, 2.0]


def test_every_call_has_a_timeout(httpserver):
    # The server holds its answer until the test lets it go; a client without a timeout
    # would still be waiting for it (and then read "{}" instead of failing), however
    # slow or fast the machine is.
    release = threading.Event()
    answered: list[bool] = []

    def stalled(request):
        release.wait(30)
        answered.append(release.is_set())
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/api/v2/query").respond_with_handler(stalled)
    sleeps: list[float] = []
    try:
        with pytest.raises(PageviewSourceError, match="ReadTimeout"):
            fetch_plausible(
                HttpClient("Plausible", timeout=0.2, sleep=sleeps.append, max_attempts=1),
                base_url=httpserver.url_for("/"),
                site_id="s",
                api_key=KEY,
                start=START,
                end=END,
            )
        assert answered == []  # the client gave up while the server still held the answer
    finally:
        release.set()
    deadline = time.monotonic() + 5  # let the server finish the answer before the next test
    while not httpserver.log and time.monotonic() < deadline:
        time.sleep(0.05)
    assert answered == [True]


def test_error_bodies_never_echo_the_key_or_url_credentials(httpserver):
    httpserver.expect_request("/api/v2/query").respond_with_data(
        f"bad request for token {KEY}", status=400
    )
    base = httpserver.url_for("/").replace("http://", "http://user:hunter2@")
    with pytest.raises(PageviewSourceError) as caught:
        fetch_plausible(
            client("Plausible", []), base_url=base, site_id="s", api_key=KEY, start=START, end=END
        )
    message = str(caught.value)
    assert "HTTP 400" in message and "[redacted]" in message
    assert KEY not in message and "hunter2" not in message


def test_parse_retry_after():
    now = datetime(2026, 5, 31, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120
    assert parse_retry_after("Sun, 31 May 2026 12:00:45 GMT", now) == 45
    assert parse_retry_after("Sun, 31 May 2026 11:00:00 GMT", now) == 0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


# --- GoatCounter ----------------------------------------------------------------------


def hit(path_id: int, path: str, count: int) -> dict:
    return {"path_id": path_id, "path": path, "event": False, "title": "", "count": count}


def test_goatcounter_pages_by_excluding_seen_path_ids_at_4_requests_a_second(httpserver):
    headers = {"Authorization": f"Bearer {KEY}"}
    first = {"start": "2026-05-02", "end": "2026-05-31", "limit": "2"}
    httpserver.expect_ordered_request(
        "/api/v0/stats/hits", method="GET", headers=headers, query_string=first
    ).respond_with_json({"hits": [hit(11, "/a/", 90), hit(12, "/b/", 80)], "more": True})
    httpserver.expect_ordered_request(
        "/api/v0/stats/hits",
        method="GET",
        headers=headers,
        query_string={**first, "exclude_paths": "11,12"},
    ).respond_with_json({"hits": [hit(13, "/c/", 70), hit(14, "/a", 5)], "more": True})
    httpserver.expect_ordered_request(
        "/api/v0/stats/hits",
        method="GET",
        headers=headers,
        query_string={**first, "exclude_paths": "11,12,13,14"},
    ).respond_with_json({"hits": [hit(15, "/d/", 1)], "more": False})
    sleeps: list[float] = []
    views = fetch_goatcounter(
        client("GoatCounter", sleeps, min_interval=0.25),
        base_url=httpserver.url_for("/"),
        api_key=KEY,
        start=START,
        end=END,
        page_size=2,
    )
    assert views == {"/a/": 90, "/b/": 80, "/c/": 70, "/a": 5, "/d/": 1}
    assert len(httpserver.log) == 3
    assert len(sleeps) == 2 and all(0.15 < wait <= 0.25 for wait in sleeps)
    httpserver.check_assertions()


def goatcounter(httpserver) -> dict[str, int]:
    return fetch_goatcounter(
        client("GoatCounter", []),
        base_url=httpserver.url_for("/"),
        api_key=KEY,
        start=START,
        end=END,
    )


def test_goatcounter_403_and_malformed_hits(httpserver):
    httpserver.expect_oneshot_request("/api/v0/stats/hits").respond_with_json(
        {"error": "no access"}, status=403
    )
    with pytest.raises(PageviewSourceError, match="GOATCOUNTER_API_KEY"):
        goatcounter(httpserver)
    httpserver.expect_request("/api/v0/stats/hits").respond_with_json(
        {"hits": [{"path": "/a/", "count": 3}], "more": False}
    )
    with pytest.raises(PageviewSourceError, match="path_id"):
        goatcounter(httpserver)


def test_goatcounter_more_without_new_paths_stops(httpserver):
    httpserver.expect_request("/api/v0/stats/hits").respond_with_json(
        {"hits": [hit(1, "/a/", 3)], "more": True}
    )
    with pytest.raises(PageviewSourceError, match="no new paths"):
        goatcounter(httpserver)
    assert len(httpserver.log) == 2


# --- Umami ----------------------------------------------------------------------------

WEBSITE = "0f9b2c1e-8c3a-4c56-9d8e-3b1f2a4d5e6f"
T0 = datetime(2026, 5, 2, tzinfo=UTC)
T1 = datetime(2026, 5, 31, 12, 0, tzinfo=UTC)
UMAMI_QUERY = {"startAt": "1777680000000", "endAt": "1780228800000", "type": "path"}


def umami(httpserver, auth: str, sleeps: list[float] | None = None) -> dict[str, int]:
    return fetch_umami(
        client("Umami", sleeps if sleeps is not None else []),
        base_url=httpserver.url_for("/"),
        website_id=WEBSITE,
        api_key=KEY,
        auth=auth,
        start=T0,
        end=T1,
    )


def test_umami_cloud_api_key_header(httpserver):
    assert int(T0.timestamp() * 1000) == int(UMAMI_QUERY["startAt"])
    httpserver.expect_request(
        f"/api/websites/{WEBSITE}/metrics",
        method="GET",
        headers={"x-umami-api-key": KEY},
        query_string=UMAMI_QUERY,
    ).respond_with_json([{"x": "/a/", "y": 40}, {"x": "/b/", "y": 4}, {"x": None, "y": 2}])
    assert umami(httpserver, "api-key") == {"/a/": 40, "/b/": 4}
    request = httpserver.log[0][0]
    assert "Authorization" not in request.headers
    httpserver.check_assertions()


def test_umami_self_hosted_bearer_token(httpserver):
    httpserver.expect_request(
        f"/api/websites/{WEBSITE}/metrics",
        headers={"Authorization": f"Bearer {KEY}"},
        query_string=UMAMI_QUERY,
    ).respond_with_json([{"x": "/a/", "y": 1}])
    assert umami(httpserver, "bearer") == {"/a/": 1}
    assert "x-umami-api-key" not in httpserver.log[0][0].headers


def test_umami_falls_back_to_type_url_on_older_servers(httpserver):
    httpserver.expect_request(
        f"/api/websites/{WEBSITE}/metrics", query_string=UMAMI_QUERY
    ).respond_with_json({"error": "Invalid type"}, status=400)
    httpserver.expect_request(
        f"/api/websites/{WEBSITE}/metrics", query_string={**UMAMI_QUERY, "type": "url"}
    ).respond_with_json([{"x": "/old/", "y": 9}])
    sleeps: list[float] = []
    assert umami(httpserver, "api-key", sleeps) == {"/old/": 9}
    assert [entry[0].args["type"] for entry in httpserver.log] == ["path", "url"]
    assert sleeps == []


def test_umami_malformed_answer(httpserver):
    httpserver.expect_request(f"/api/websites/{WEBSITE}/metrics").respond_with_json(
        {"data": [{"x": "/a/", "y": 1}]}
    )
    with pytest.raises(PageviewSourceError, match=r'not a list; expected \[\{"x": "/path"'):
        umami(httpserver, "api-key")


@pytest.mark.parametrize(
    "base, expected",
    [
        ("https://api.umami.is", "https://api.umami.is/v1/websites/ID/metrics"),
        ("https://api.umami.is/v1/", "https://api.umami.is/v1/websites/ID/metrics"),
        ("https://api.umami.is/v1/eu", "https://api.umami.is/v1/eu/websites/ID/metrics"),
        ("https://stats.example.com", "https://stats.example.com/api/websites/ID/metrics"),
        ("https://stats.example.com/api", "https://stats.example.com/api/websites/ID/metrics"),
        ("https://example.com/umami/", "https://example.com/umami/api/websites/ID/metrics"),
    ],
)
def test_umami_metrics_url(base, expected):
    assert metrics_url(base, "ID") == expected


def test_a_connection_refused_once_is_retried_and_the_answer_read():
    # Nothing listens on the port at the first attempt; the server starts during the
    # back-off, as when a provider comes back after a short outage.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    class Answer(BaseHTTPRequestHandler):
        def do_POST(self):  # the name http.server calls
            self.rfile.read(int(self.headers["Content-Length"]))
            body = json.dumps({"results": [result("/back-again/", 12)]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    servers: list[ThreadingHTTPServer] = []

    def back_off(seconds: float) -> None:
        server = ThreadingHTTPServer(("127.0.0.1", port), Answer)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        sleeps.append(seconds)

    sleeps: list[float] = []
    try:
        views = fetch_plausible(
            HttpClient("Plausible", timeout=5, sleep=back_off),
            base_url=f"http://127.0.0.1:{port}",
            site_id="s",
            api_key=KEY,
            start=START,
            end=END,
        )
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    assert views == {"/back-again/": 12}
    assert sleeps == [1.0]


def test_a_redirect_loop_is_reported_as_a_failed_request(httpserver):
    httpserver.expect_request("/api/v2/query").respond_with_data(
        "", status=307, headers={"Location": "/api/v2/query"}
    )
    with pytest.raises(PageviewSourceError) as caught:
        plausible(httpserver, [])
    message = str(caught.value)
    assert "request to Plausible at http://127.0.0.1:" in message
    assert "failed (TooManyRedirects); check BYLINE_PAGEVIEWS_API_URL" in message
