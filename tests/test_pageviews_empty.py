"""A refresh that finds nothing is a failure: the good snapshot stays, byte for byte.

An empty or rotated-away access log, a binary file, a .gz that is not gzip, an export with
no rows and an API answering 200 with nothing used to replace a month of views with
``views: {}``. Each now fails, names the source and what to check, and leaves the old
snapshot alone; ``--allow-empty`` accepts a window that truly had no visits, never input
that could not be read. Run in-process and as the user runs it (`invoke pageviews`).
"""

from __future__ import annotations

import gzip
import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from byline.pageviews import NoViewsError, config_from_settings, load_snapshot, refresh
from conftest import copy_project

NOW = datetime(2026, 5, 31, 12, 0, tzinfo=UTC)
SECRET = "pv-key-EMPTY-test-0077"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0"
INVOKE = Path(sys.executable).parent / "invoke"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\x00" * 64 + b"\xff\xd8" * 300


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return ("127.0.0.1", 0)


def log_line(addr: str, when: datetime, target: str, agent: str = FIREFOX) -> str:
    stamp = when.strftime("%d/%b/%Y:%H:%M:%S %z")
    return f'{addr} - - [{stamp}] "GET {target} HTTP/1.1" 200 512 "-" "{agent}"\n'


def good_snapshot(tmp_path: Path) -> tuple[Path, bytes]:
    """A snapshot with real views in it, as last week's refresh left it."""
    export = tmp_path / "last-week.csv"
    export.write_text("path,views\n/a/,40\n/b/,12\n", encoding="utf-8")
    snapshot = tmp_path / "data" / "pageviews.json"
    config = config_from_settings(
        {"BYLINE_PAGEVIEWS_SNAPSHOT": str(snapshot), "BYLINE_PAGEVIEWS_FILE": str(export)}, {}
    )
    refresh(config, NOW - timedelta(days=7))
    return snapshot, snapshot.read_bytes()


def logs_config(tmp_path: Path, snapshot: Path):
    return config_from_settings(
        {
            "BYLINE_PAGEVIEWS_SOURCE": "logs",
            "BYLINE_PAGEVIEWS_LOGS": str(tmp_path / "logs" / "access.log*"),
            "BYLINE_PAGEVIEWS_SNAPSHOT": str(snapshot),
        },
        {},
    )


def write_log(tmp_path: Path, name: str, data: bytes) -> None:
    folder = tmp_path / "logs"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(data)


# --- damaged input: refused, even with allow_empty --------------------------------------


@pytest.mark.parametrize(
    "name, data, named",
    [
        ("access.log", PNG, "is a binary file"),
        ("access.log.1.gz", b"this was never gzip\n" * 20, "is named .gz but is not"),
        ("access.log", b"hello\nthis is a readme, not a log\n", "none of its 2 lines"),
    ],
    ids=["binary", "not-gzip", "not-a-log"],
)
def test_unreadable_logs_keep_the_snapshot_even_with_allow_empty(tmp_path, name, data, named):
    snapshot, good = good_snapshot(tmp_path)
    write_log(tmp_path, name, data)
    config = logs_config(tmp_path, snapshot)
    for allow_empty in (False, True):
        with pytest.raises(NoViewsError) as caught:
            refresh(config, NOW, allow_empty=allow_empty)
        message = str(caught.value)
        assert named in message and str(tmp_path / "logs" / name) in message
        assert "BYLINE_PAGEVIEWS_LOGS" in message  # what to check
        assert "\n" not in message  # one line
        assert caught.value.damaged
        assert snapshot.read_bytes() == good
    assert "not unreadable input" in message  # allow_empty says why it does not apply


def test_a_damaged_file_beside_good_logs_is_a_warning_not_a_failure(tmp_path):
    snapshot, _ = good_snapshot(tmp_path)
    write_log(tmp_path, "access.log.2.gz", PNG)
    write_log(tmp_path, "access.log", log_line("198.51.100.7", NOW, "/a/").encode())
    summary = refresh(logs_config(tmp_path, snapshot), NOW)
    assert load_snapshot(snapshot).views == {"/a/": 1}
    assert any("is named .gz but is not" in text for text in summary.warnings)


# --- truly empty windows: refused by default, accepted with allow_empty ------------------


def empty_log(tmp_path: Path) -> None:
    write_log(tmp_path, "access.log", b"")


def only_old_and_bot_hits(tmp_path: Path) -> None:
    lines = [
        log_line("198.51.100.1", NOW - timedelta(days=90), "/a/"),
        log_line("198.51.100.2", NOW - timedelta(hours=1), "/a/", agent="Googlebot/2.1"),
    ]
    write_log(tmp_path, "access.log", "".join(lines).encode())


@pytest.mark.parametrize("arrange", [empty_log, only_old_and_bot_hits], ids=["empty", "old"])
def test_empty_logs_keep_the_snapshot_unless_allowed(tmp_path, arrange):
    snapshot, good = good_snapshot(tmp_path)
    arrange(tmp_path)
    config = logs_config(tmp_path, snapshot)
    with pytest.raises(NoViewsError) as caught:
        refresh(config, NOW)
    assert "access logs" in str(caught.value) and "--allow-empty" in str(caught.value)
    assert not caught.value.damaged
    assert snapshot.read_bytes() == good
    summary = refresh(config, NOW, allow_empty=True)
    assert summary.total_views == 0
    assert load_snapshot(snapshot).views == {}


@pytest.mark.parametrize(
    "name, text",
    [
        ("export.csv", "Page,Pageviews\n"),
        ("export.json", "[]"),
        ("export.json", '{"results": []}'),
        ("export.csv", "path,views\n/a/,0\n/b/,0\n"),
    ],
    ids=["csv-header-only", "json-list", "json-results", "all-zero"],
)
def test_exports_with_no_views_keep_the_snapshot_unless_allowed(tmp_path, name, text):
    snapshot, good = good_snapshot(tmp_path)
    export = tmp_path / name
    export.write_text(text, encoding="utf-8")
    config = config_from_settings(
        {"BYLINE_PAGEVIEWS_SNAPSHOT": str(snapshot), "BYLINE_PAGEVIEWS_FILE": str(export)}, {}
    )
    with pytest.raises(NoViewsError, match=f"the export {export}"):
        refresh(config, NOW)
    assert snapshot.read_bytes() == good
    refresh(config, NOW, allow_empty=True)
    assert load_snapshot(snapshot).views == {}


@pytest.mark.parametrize(
    "source, path, answer",
    [
        ("plausible", "/api/v2/query", {"results": [], "meta": {}}),
        ("goatcounter", "/api/v0/stats/hits", {"hits": [], "more": False}),
        ("umami", "/api/websites/site-1/metrics", []),
        ("umami", "/api/websites/site-1/metrics", [{"x": None, "y": 9}]),
    ],
    ids=["plausible", "goatcounter", "umami", "umami-unattributed"],
)
def test_apis_answering_200_with_nothing_keep_the_snapshot(
    tmp_path, httpserver, source, path, answer
):
    snapshot, good = good_snapshot(tmp_path)
    httpserver.expect_request(path).respond_with_json(answer)
    env = {"PLAUSIBLE_API_KEY": SECRET, "GOATCOUNTER_API_KEY": SECRET, "UMAMI_API_KEY": SECRET}
    config = config_from_settings(
        {
            "BYLINE_PAGEVIEWS_SOURCE": source,
            "BYLINE_PAGEVIEWS_SITE_ID": "site-1",
            "BYLINE_PAGEVIEWS_API_URL": httpserver.url_for("/"),
            "BYLINE_PAGEVIEWS_SNAPSHOT": str(snapshot),
        },
        env,
    )
    with pytest.raises(NoViewsError) as caught:
        refresh(config, NOW, sleep=lambda seconds: None)
    message = str(caught.value)
    assert "BYLINE_PAGEVIEWS_SITE_ID" in message and "--allow-empty" in message
    assert SECRET not in message
    assert snapshot.read_bytes() == good
    refresh(config, NOW, sleep=lambda seconds: None, allow_empty=True)
    assert load_snapshot(snapshot).views == {}


# --- as the user runs it ----------------------------------------------------------------


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path, authors=False, data=True)


def invoke(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(INVOKE), *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: os.umask(0o022),  # the usual umask, as a user's shell has it
    )


def test_invoke_pageviews_exits_non_zero_and_allow_empty_writes(project):
    export = project / "data" / "pageviews-export.csv"  # pelicanconf.py's default source
    export.write_text("path,views\n/a/,5\nTotal,5\n/b/,2\n", encoding="utf-8")
    snapshot = project / "data" / "pageviews.json"
    first = invoke(project, "pageviews")
    assert first.returncode == 0, first.stderr
    assert json.loads(snapshot.read_text())["views"] == {"/a/": 5, "/b/": 2}
    # The snapshot is project content: readable by the web server and the team (0644).
    assert stat.S_IMODE(snapshot.stat().st_mode) == 0o644
    # Each warning said once, not once by the logger and again by the task.
    said = (first.stdout + first.stderr).splitlines()
    assert sum("'Total' is not a page path" in text for text in said) == 1
    assert sum("skipped 1 bad rows" in text for text in said) == 1
    good = snapshot.read_bytes()

    export.write_text("path,views\n", encoding="utf-8")  # next week: the export came back empty
    empty = invoke(project, "pageviews")
    assert empty.returncode != 0
    lines = [text for text in empty.stderr.splitlines() if text.strip()]
    assert len(lines) == 1, empty.stderr  # one clear line
    assert str(export) in lines[0] and "BYLINE_PAGEVIEWS_FILE" in lines[0]
    assert "--allow-empty" in lines[0] and "previous snapshot" in lines[0]
    assert snapshot.read_bytes() == good

    publishing = invoke(project, "pageviews", "--keep-going")  # what `invoke publish` runs
    assert publishing.returncode == 0 and "previous snapshot" in publishing.stderr
    assert snapshot.read_bytes() == good

    allowed = invoke(project, "pageviews", "--allow-empty")
    assert allowed.returncode == 0, allowed.stderr
    assert json.loads(snapshot.read_text())["views"] == {}
    assert stat.S_IMODE(snapshot.stat().st_mode) == 0o644


def test_invoke_pageviews_refuses_a_binary_log_even_with_allow_empty(project):
    conf = project / "pelicanconf.py"
    conf.write_text(
        conf.read_text()
        + '\nBYLINE_PAGEVIEWS_SOURCE = "logs"\nBYLINE_PAGEVIEWS_LOGS = "logs/access.log*"\n'
    )
    (project / "logs").mkdir()
    with gzip.open(project / "logs" / "access.log.1.gz", "wb") as handle:
        handle.write(PNG)
    snapshot = project / "data" / "pageviews.json"
    snapshot.write_text('{"kept": "as it was"}\n')
    for args in (["pageviews"], ["pageviews", "--allow-empty"]):
        result = invoke(project, *args)
        assert result.returncode != 0
        assert "access.log.1.gz is a binary file" in result.stderr
        assert snapshot.read_text() == '{"kept": "as it was"}\n'
