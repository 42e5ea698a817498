"""Settings, the refresh that writes the snapshot, and what it must never do: clobber the
previous snapshot on failure, or leak an API key or a client address anywhere."""

from __future__ import annotations

import gzip
import json
import logging
import socket
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from byline.pageviews import (
    NoViewsError,
    PageviewConfigError,
    PageviewError,
    PageviewSourceError,
    config_from_settings,
    load_snapshot,
    refresh,
    window_ending,
)

FIXTURES = Path(__file__).parent / "fixtures" / "pageviews"
NOW = datetime(2026, 5, 31, 12, 0, tzinfo=UTC)
SECRET = "sk-live-BYLINE-TEST-5ecr3t-0042"
CLIENT_IPS = ["203.0.113.77", "198.51.100.23", "2001:db8::beef"]
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0"


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return ("127.0.0.1", 0)


def settings(tmp_path: Path, **values) -> dict:
    base = {"BYLINE_PAGEVIEWS_SNAPSHOT": str(tmp_path / "data" / "pageviews.json")}
    base.update({f"BYLINE_PAGEVIEWS_{name}": value for name, value in values.items()})
    return base


def plausible_config(tmp_path, httpserver, **values):
    return config_from_settings(
        settings(
            tmp_path,
            SOURCE="plausible",
            SITE_ID="thecounter.example.com",
            API_URL=httpserver.url_for("/"),
            **values,
        ),
        {"PLAUSIBLE_API_KEY": SECRET},
    )


# --- settings ---------------------------------------------------------------------------


def test_defaults_and_base_dir(tmp_path):
    config = config_from_settings({}, {})
    assert config.source == "file"
    assert config.snapshot == Path("data/pageviews.json")
    assert config.file == Path("data/pageviews-export.csv")
    assert (config.window_days, config.timeout, config.umami_auth) == (30, 10.0, "api-key")
    assert config.api_key is None and config.logs is None
    rooted = config_from_settings(
        {"BYLINE_PAGEVIEWS_LOGS": "logs/access.log*"}, {}, base_dir=tmp_path
    )
    assert rooted.snapshot == tmp_path / "data" / "pageviews.json"
    assert rooted.logs == str(tmp_path / "logs" / "access.log*")
    absolute = config_from_settings({"BYLINE_PAGEVIEWS_FILE": "/srv/x.csv"}, {}, base_dir=tmp_path)
    assert absolute.file == Path("/srv/x.csv")


@pytest.mark.parametrize(
    "source, extra, env_name, api_url",
    [
        ("plausible", {"SITE_ID": "example.com"}, "PLAUSIBLE_API_KEY", "https://plausible.io"),
        (
            "goatcounter",
            {"SITE_ID": "mycode"},
            "GOATCOUNTER_API_KEY",
            "https://mycode.goatcounter.com",
        ),
        ("umami", {"SITE_ID": "uuid-1"}, "UMAMI_API_KEY", "https://api.umami.is"),
        ("goatcounter", {"API_URL": "https://stats.example.com"}, "GOATCOUNTER_API_KEY", None),
    ],
)
def test_api_sources_default_urls_and_key_variables(source, extra, env_name, api_url):
    values = {"BYLINE_PAGEVIEWS_SOURCE": source}
    values.update({f"BYLINE_PAGEVIEWS_{k}": v for k, v in extra.items()})
    config = config_from_settings(values, {env_name: f" {SECRET} "})
    assert config.api_key == SECRET and config.api_key_env == env_name
    assert config.api_url == (api_url or extra["API_URL"])
    assert SECRET not in repr(config)


def test_custom_key_variable_timeout_window_and_umami_auth():
    config = config_from_settings(
        {
            "BYLINE_PAGEVIEWS_SOURCE": "Umami",
            "BYLINE_PAGEVIEWS_SITE_ID": "uuid-1",
            "BYLINE_PAGEVIEWS_API_KEY_ENV": "MY_UMAMI_TOKEN",
            "BYLINE_PAGEVIEWS_UMAMI_AUTH": "bearer",
            "BYLINE_PAGEVIEWS_API_URL": "https://stats.example.com",
            "BYLINE_PAGEVIEWS_TIMEOUT": "2.5",
            "BYLINE_PAGEVIEWS_WINDOW_DAYS": "7",
        },
        {"MY_UMAMI_TOKEN": SECRET, "UMAMI_API_KEY": "other"},
    )
    assert (config.source, config.api_key, config.umami_auth) == ("umami", SECRET, "bearer")
    assert (config.timeout, config.window_days) == (2.5, 7)


@pytest.mark.parametrize(
    "values, environ, message",
    [
        ({"SOURCE": "ga4"}, {}, "BYLINE_PAGEVIEWS_SOURCE in pelicanconf.py is 'ga4'"),
        ({"SOURCE": "plausible"}, {}, "BYLINE_PAGEVIEWS_SITE_ID in pelicanconf.py is required"),
        (
            {"SOURCE": "plausible", "SITE_ID": "x.com"},
            {},
            "environment variable PLAUSIBLE_API_KEY is not set",
        ),
        (
            {"SOURCE": "umami", "SITE_ID": "u", "API_KEY_ENV": "MINE"},
            {"UMAMI_API_KEY": "k"},
            "environment variable MINE is not set",
        ),
        ({"SOURCE": "goatcounter"}, {"GOATCOUNTER_API_KEY": "k"}, "BYLINE_PAGEVIEWS_SITE_ID"),
        ({"SOURCE": "logs"}, {}, "BYLINE_PAGEVIEWS_LOGS in pelicanconf.py is not set"),
        ({"WINDOW_DAYS": "a month"}, {}, "BYLINE_PAGEVIEWS_WINDOW_DAYS"),
        ({"WINDOW_DAYS": 0}, {}, "BYLINE_PAGEVIEWS_WINDOW_DAYS in pelicanconf.py must be at least"),
        ({"TIMEOUT": -1}, {}, "BYLINE_PAGEVIEWS_TIMEOUT"),
        ({"UMAMI_AUTH": "password"}, {}, "BYLINE_PAGEVIEWS_UMAMI_AUTH"),
        (
            {"SOURCE": "plausible", "SITE_ID": "x", "API_URL": "plausible.io"},
            {"PLAUSIBLE_API_KEY": "k"},
            "must start with https://",
        ),
    ],
)
def test_setting_errors_name_the_setting_and_where_to_fix_it(values, environ, message):
    prefixed = {f"BYLINE_PAGEVIEWS_{k}": v for k, v in values.items()}
    with pytest.raises(PageviewConfigError, match=message):
        config_from_settings(prefixed, environ)


def test_builds_can_read_settings_without_the_key():
    values = {"BYLINE_PAGEVIEWS_SOURCE": "plausible", "BYLINE_PAGEVIEWS_SITE_ID": "x.com"}
    config = config_from_settings(values, {}, need_key=False)
    assert config.api_key is None and config.snapshot == Path("data/pageviews.json")


def test_window_is_the_last_n_days_ending_now():
    window = window_ending(NOW, 30)
    assert (window.start_date, window.end_date, window.days) == (date(2026, 5, 2), NOW.date(), 30)
    assert window.start == datetime(2026, 5, 2, tzinfo=UTC)
    local = window_ending(datetime(2026, 6, 1, 1, 0, tzinfo=timezone(timedelta(hours=3))), 1)
    assert local.start_date == date(2026, 6, 1) and local.start.utcoffset() == timedelta(hours=3)


# --- refresh ----------------------------------------------------------------------------


def test_refresh_from_the_default_export_file(tmp_path):
    config = config_from_settings(
        settings(tmp_path, FILE=str(FIXTURES / "export-ga.csv"), WINDOW_DAYS=30), {}
    )
    summary = refresh(config, NOW)
    snapshot = load_snapshot(config.snapshot)
    assert snapshot.source == "file"
    assert (snapshot.window_start, snapshot.window_end, snapshot.window_days) == (
        date(2026, 5, 2),
        date(2026, 5, 31),
        30,
    )
    assert snapshot.fetched_at == NOW
    assert snapshot.views == {
        "/late-payers-are-a-process-problem/": 1893,
        "/say-no-to-friday-deadlines/index.html": 1107,
        "/hire-for-the-second-year/": 781,
    }
    assert summary.total_views == 3781 and summary.paths == 3
    assert summary.lines()[0] == (
        "pageviews: 3781 views on 3 paths from file, 2026-05-02 to 2026-05-31 (30 days)"
    )
    assert any("line 4: 'Total'" in text for text in summary.warnings)
    shown = summary.lines()  # what `invoke pageviews` prints; refresh itself logs nothing
    assert sum("skipped 2 bad rows" in text for text in shown) == 1


def test_refresh_from_plausible_then_failures_leave_the_snapshot_untouched(tmp_path, httpserver):
    httpserver.expect_oneshot_request("/api/v2/query", method="POST").respond_with_json(
        {
            "results": [
                {"dimensions": ["/a/?utm_source=x"], "metrics": [7]},
                {"dimensions": ["/a/"], "metrics": [3]},
                {"dimensions": ["/b/"], "metrics": [2]},
            ],
            "meta": {},
        }
    )
    config = plausible_config(tmp_path, httpserver)
    sleeps: list[float] = []
    summary = refresh(config, NOW, sleep=sleeps.append)
    assert summary.requests == 1
    good = config.snapshot.read_bytes()
    assert json.loads(good)["views"] == {"/a/": 10, "/b/": 2}
    body = httpserver.log[0][0].get_json()
    assert body["date_range"] == ["2026-05-02", "2026-05-31"]

    failures = [
        lambda: httpserver.expect_request("/api/v2/query").respond_with_data("no", status=401),
        lambda: httpserver.expect_request("/api/v2/query").respond_with_data(
            "", status=429, headers={"Retry-After": "1"}
        ),
        lambda: httpserver.expect_request("/api/v2/query").respond_with_data("oops", status=500),
        lambda: httpserver.expect_request("/api/v2/query").respond_with_data("<html>"),
        lambda: httpserver.expect_request("/api/v2/query").respond_with_json({"rows": []}),
        lambda: httpserver.expect_request("/api/v2/query").respond_with_json(
            {"results": [{"dimensions": ["/a/"], "metrics": [None]}]}
        ),
    ]
    for arrange in failures:
        httpserver.clear()
        arrange()
        with pytest.raises(PageviewSourceError):
            refresh(config, NOW + timedelta(days=1), sleep=sleeps.append)
        assert config.snapshot.read_bytes() == good
        assert sorted(p.name for p in config.snapshot.parent.iterdir()) == ["pageviews.json"]


def test_other_failures_leave_the_snapshot_untouched(tmp_path):
    snapshot = tmp_path / "data" / "pageviews.json"
    refresh(
        config_from_settings(settings(tmp_path, FILE=str(FIXTURES / "export-map.json")), {}), NOW
    )
    good = snapshot.read_bytes()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(b"path,views\n/caf\xe9/,1\n")
    configs = [
        settings(tmp_path, FILE=str(tmp_path / "missing.csv")),
        settings(tmp_path, FILE=str(latin1)),
        settings(tmp_path, FILE=str(tmp_path)),  # a folder, not a file
        settings(tmp_path, SOURCE="logs", LOGS=str(tmp_path / "no-logs*")),
        settings(tmp_path, SOURCE="umami", SITE_ID="u", API_URL=dead),
    ]
    for values in configs:
        config = config_from_settings(values, {"UMAMI_API_KEY": SECRET})
        with pytest.raises(PageviewError):
            refresh(config, NOW, sleep=lambda seconds: None)
        assert snapshot.read_bytes() == good


def test_refresh_from_goatcounter_and_umami(tmp_path, httpserver):
    httpserver.expect_request(
        "/api/v0/stats/hits",
        query_string={"start": "2026-05-02", "end": "2026-05-31", "limit": "100"},
    ).respond_with_json({"hits": [{"path_id": 1, "path": "/g/", "count": 4}], "more": False})
    goat = config_from_settings(
        settings(tmp_path, SOURCE="goatcounter", API_URL=httpserver.url_for("/")),
        {"GOATCOUNTER_API_KEY": SECRET},
    )
    assert refresh(goat, NOW, sleep=lambda s: None).total_views == 4
    assert load_snapshot(goat.snapshot).views == {"/g/": 4}

    httpserver.expect_request("/api/websites/site-uuid/metrics").respond_with_json(
        [{"x": "/u/", "y": 6}]
    )
    umami = config_from_settings(
        settings(tmp_path, SOURCE="umami", SITE_ID="site-uuid", API_URL=httpserver.url_for("/")),
        {"UMAMI_API_KEY": SECRET},
    )
    refresh(umami, NOW)
    assert load_snapshot(umami.snapshot).views == {"/u/": 6}
    assert load_snapshot(umami.snapshot).source == "umami"
    query = httpserver.log[-1][0].args
    assert query["startAt"] == str(int(datetime(2026, 5, 2, tzinfo=UTC).timestamp() * 1000))
    assert query["endAt"] == str(int(NOW.timestamp() * 1000))


def test_an_empty_result_is_refused_unless_allowed(tmp_path, httpserver):
    # An empty answer used to replace a good snapshot with "views: {}" (issue 11).
    httpserver.expect_request("/api/v2/query").respond_with_json({"results": [], "meta": {}})
    config = plausible_config(tmp_path, httpserver)
    with pytest.raises(NoViewsError, match="--allow-empty"):
        refresh(config, NOW)
    assert not config.snapshot.exists()
    summary = refresh(config, NOW, allow_empty=True)
    assert summary.total_views == 0 and load_snapshot(config.snapshot).views == {}
    assert any("no pageviews found" in text for text in summary.warnings)


# --- privacy ----------------------------------------------------------------------------


def write_logs(folder: Path) -> str:
    lines = []
    for n, ip in enumerate(CLIENT_IPS):
        when = (NOW - timedelta(hours=n + 1)).strftime("%d/%b/%Y:%H:%M:%S +0000")
        lines.append(f'{ip} - - [{when}] "GET /a/?ip={ip} HTTP/1.1" 200 1 "-" "{BROWSER}"\n')
        lines.append(f'{ip} - - [{when}] "GET /b/ HTTP/1.1" 200 1 "-" "curl/8"\n')
        lines.append(f"{ip} garbage line\n")
    with gzip.open(folder / "access.log.1.gz", "wt", encoding="utf-8") as handle:
        handle.writelines(lines[:4])
    (folder / "access.log").write_text("".join(lines[4:]), encoding="utf-8")
    return str(folder / "access.log*")


def test_no_secret_key_or_client_address_is_written_anywhere(tmp_path, httpserver, caplog, capsys):
    caplog.set_level(logging.DEBUG)  # everything, urllib3 and requests included
    texts: list[str] = []

    # Logs: addresses only in memory, hashed.
    logs = config_from_settings(settings(tmp_path, SOURCE="logs", LOGS=write_logs(tmp_path)), {})
    summary = refresh(logs, NOW)
    assert load_snapshot(logs.snapshot).views == {"/a/": 3}
    texts += [logs.snapshot.read_text(encoding="utf-8"), repr(summary), *summary.lines()]

    # APIs: a refused key, a rate limit and a success.
    httpserver.expect_oneshot_request("/api/v2/query").respond_with_json(
        {"error": "Invalid API key or site ID"}, status=401
    )
    config = plausible_config(tmp_path, httpserver)
    with pytest.raises(PageviewSourceError) as caught:
        refresh(config, NOW)
    texts += [str(caught.value), repr(caught.value), repr(config)]
    httpserver.expect_oneshot_request("/api/v2/query").respond_with_data(
        "", status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_request("/api/v2/query").respond_with_json(
        {"results": [{"dimensions": ["/a/"], "metrics": [1]}]}
    )
    summary = refresh(config, NOW)
    texts += [config.snapshot.read_text(encoding="utf-8"), repr(summary), *summary.lines()]
    assert httpserver.log[-1][0].headers["Authorization"] == f"Bearer {SECRET}"  # it was sent

    captured = capsys.readouterr()
    texts += [caplog.text, captured.out, captured.err]
    texts += [p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.json")]
    everything = "\n".join(texts)
    assert "pageviews" in caplog.text  # the logs were captured, and they are clean
    assert SECRET not in everything
    for ip in CLIENT_IPS:
        assert ip not in everything
