"""Snapshot files: round trip, atomic writes, clear load errors, missing/empty/stale status."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from byline.pageviews import (
    Snapshot,
    SnapshotError,
    load_snapshot,
    snapshot_status,
    write_snapshot,
)

FETCHED = datetime(2026, 5, 31, 6, 0, tzinfo=UTC)


def sample(**changes) -> Snapshot:
    values = dict(
        source="plausible",
        window_start=date(2026, 5, 2),
        window_end=date(2026, 5, 31),
        window_days=30,
        fetched_at=FETCHED,
        views={"/b/": 5, "/a/": 5, "/c/": 900},
    )
    values.update(changes)
    return Snapshot(**values)


def test_round_trip_and_documented_shape(tmp_path):
    path = write_snapshot(tmp_path / "data" / "pageviews.json", sample())
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == {
        "version": 1,
        "source": "plausible",
        "window": {"start": "2026-05-02", "end": "2026-05-31", "days": 30},
        "fetched_at": "2026-05-31T06:00:00+00:00",
        "views": {"/c/": 900, "/a/": 5, "/b/": 5},
    }
    assert list(data["views"]) == ["/c/", "/a/", "/b/"]  # most viewed first, then by path
    assert load_snapshot(path) == sample()
    assert load_snapshot(path).total_views == 910


def test_write_replaces_atomically_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "pageviews.json"
    write_snapshot(path, sample())
    inode_before = os.stat(path).st_ino
    write_snapshot(path, sample(views={"/z/": 1}))
    assert load_snapshot(path).views == {"/z/": 1}
    assert os.stat(path).st_ino != inode_before  # a new file renamed over the old one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pageviews.json"]


def test_a_failed_write_keeps_the_old_file_and_cleans_up(tmp_path):
    path = tmp_path / "pageviews.json"
    write_snapshot(path, sample())
    before = path.read_bytes()
    with pytest.raises(TypeError):
        write_snapshot(path, sample(views={"/a/": object()}))  # not JSON-serialisable
    assert path.read_bytes() == before
    target = tmp_path / "folder.json"
    target.mkdir()
    with pytest.raises(OSError):
        write_snapshot(target, sample())  # cannot replace a folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.json", "pageviews.json"]


@pytest.mark.parametrize(
    "text, problem",
    [
        ("{not json", "not valid JSON (line 1, column 2"),
        ("[]", "expected a JSON object"),
        ('{"source": "x"}', '"window" must be an object'),
        (
            '{"source": "x", "window": {"start": "May", "end": "2026-05-31", "days": 30}}',
            "ISO dates",
        ),
        (
            '{"source": "x", "window": {"start": "2026-05-02", "end": "2026-05-31", "days": 0}}',
            '"days" must be a positive whole number',
        ),
        ('{"version": 9, "source": "x"}', "newer Byline (format version 9)"),
    ],
)
def test_load_errors_name_the_file_and_the_problem(tmp_path, text, problem):
    path = tmp_path / "pageviews.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SnapshotError) as caught:
        load_snapshot(path)
    assert str(path) in str(caught.value)
    assert problem in str(caught.value)
    assert "invoke pageviews" in str(caught.value)


@pytest.mark.parametrize(
    "change, problem",
    [
        ({"fetched_at": "yesterday"}, '"fetched_at" must be an ISO date and time'),
        ({"fetched_at": "2026-05-31T06:00:00"}, "needs a timezone"),
        ({"views": ["/a/"]}, '"views" must be an object'),
        ({"views": {"/a/": -1}}, "'/a/' must be a whole number >= 0"),
        ({"views": {"/a/": 1.5}}, "must be a whole number"),
        ({"source": ""}, '"source" must be a non-empty string'),
    ],
)
def test_field_errors(tmp_path, change, problem):
    data = sample().to_json()
    data.update(change)
    path = tmp_path / "pageviews.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SnapshotError, match=problem.replace("(", r"\(")):
        load_snapshot(path)


def test_missing_file_error(tmp_path):
    with pytest.raises(SnapshotError, match="file not found"):
        load_snapshot(tmp_path / "nope.json")


def test_status_missing_invalid_empty_stale_fresh(tmp_path):
    path = tmp_path / "pageviews.json"
    now = FETCHED + timedelta(days=3)
    status = snapshot_status(path, now, max_age_days=7)
    assert status.state == "missing" and not status.usable
    assert "invoke pageviews" in status.message

    path.write_text("{", encoding="utf-8")
    assert snapshot_status(path, now, 7).state == "invalid"

    write_snapshot(path, sample(views={}))
    assert snapshot_status(path, now, 7).state == "empty"
    write_snapshot(path, sample(views={"/a/": 0}))
    assert snapshot_status(path, now, 7).state == "empty"

    write_snapshot(path, sample())
    fresh = snapshot_status(path, now, 7)
    assert fresh.state == "fresh" and fresh.usable and fresh.age_days == pytest.approx(3)
    assert fresh.snapshot is not None and fresh.snapshot.views["/c/"] == 900

    stale = snapshot_status(path, FETCHED + timedelta(days=8), 7)
    assert stale.state == "stale" and stale.usable
    assert "8.0 days old" in stale.message

    # Other timezones and naive UTC "now" compare correctly.
    later = datetime(2026, 6, 7, 8, 0, tzinfo=timezone(timedelta(hours=2)))  # 06:00 UTC
    assert snapshot_status(path, later, 7).age_days == pytest.approx(7)
    assert snapshot_status(path, datetime(2026, 6, 7, 6, 0), 7).age_days == pytest.approx(7)
