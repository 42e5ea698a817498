"""The editor's subscriber tasks, run through invoke in a copy of the project as the README
shows them: import a CSV, export the list and one reader's data, record an unsubscribe
that came by email, forget a reader everywhere, back up a live database."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import threading
from pathlib import Path

import pytest
from byline.signing import keyed_hash
from byline.subscriptions.store import Store
from conftest import copy_project, run_invoke

SECRET = "tasks-secret-do-not-leak"
CSV = """email,name,status
ada@example.com,Ada,subscribed
Bob@Example.org,Bob,
carol@example.com,Carol,unsubscribed
not-an-address,Nobody,subscribed
ada@example.com,Ada again,subscribed
"""


@pytest.fixture
def project(tmp_path) -> Path:
    root = copy_project(tmp_path / "project", data=True)
    (root / "data" / "subscribers.csv").write_text(CSV, encoding="utf-8")
    return root


def invoke(project: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return run_invoke(
        project, *args, env={**os.environ, "BYLINE_UNSUBSCRIBE_SECRET": SECRET}, stdin=stdin
    )


def database(project: Path) -> Path:
    return project / "data" / "subscribers.sqlite3"


def statuses(project: Path) -> dict[str, str]:
    with sqlite3.connect(database(project)) as db:
        return dict(db.execute("SELECT email_key, status FROM readers"))


def test_import_export_and_an_unsubscribe_by_email(project):
    imported = invoke(project, "subscribers.import", "data/subscribers.csv")
    assert imported.returncode == 0, imported.stderr
    assert "2 reader(s) added, 1 recorded as opted out" in imported.stdout
    assert "line 5: not a valid email address" in imported.stdout
    assert "line 6: repeated address" in imported.stdout
    assert statuses(project) == {
        "ada@example.com": "active",
        "bob@example.org": "active",
        "carol@example.com": "unsubscribed",
    }
    # Importing again changes nothing; a CSV never brings back someone who left.
    again = invoke(project, "subscribers.import", "data/subscribers.csv")
    assert (
        "0 reader(s) added" in again.stdout
        and statuses(project)["carol@example.com"] == "unsubscribed"
    )

    left = invoke(project, "subscribers.unsubscribe", "ADA@example.com")
    assert left.returncode == 0 and "a***@example.com" in left.stdout
    assert "ada@example.com" not in left.stdout + left.stderr  # never a full address
    assert statuses(project)["ada@example.com"] == "unsubscribed"
    unknown = invoke(project, "subscribers.unsubscribe", "zed@example.com")
    assert unknown.returncode != 0 and "not in the database" in unknown.stderr

    exported = invoke(project, "subscribers.export")
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert {r["email"]: r["status"] for r in rows} == {
        "ada@example.com": "unsubscribed",
        "Bob@Example.org": "active",
        "carol@example.com": "unsubscribed",
    }
    assert all(r["signed_up_at"] and r["signup_page"] == "import of subscribers.csv" for r in rows)

    mine = invoke(project, "subscribers.export", "--reader", "ada@example.com")
    data = json.loads(mine.stdout)
    assert data["reader"]["email"] == "ada@example.com"
    assert [e["kind"] for e in data["reader"]["events"]] == ["imported", "unsubscribed"]
    assert "confirm_hash" not in data["reader"]


def test_forget_deletes_a_reader_everywhere_and_hashes_the_ledger(project):
    assert invoke(project, "subscribers.import", "data/subscribers.csv").returncode == 0
    ledger = project / "data" / "send-ledger.jsonl"
    lines = [
        {
            "time": "2026-11-01T09:00:00+00:00",
            "issue": "7",
            "round": 1,
            "provider": "smtp",
            "address": address,
            "state": state,
        }
        for address in ("ada@example.com", "bob@example.org")
        for state in ("pending", "sent")
    ]
    ledger.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    previews = project / "data" / "send-dry-run" / "7"
    previews.mkdir(parents=True)
    (previews / "00001-ada.eml").write_text("To: ada@example.com\r\n\r\nHi\r\n")
    (previews / "00002-bob.eml").write_text("To: bob@example.org\r\n\r\nHi\r\n")

    refused = invoke(project, "subscribers.forget", "ada@example.com", stdin="n\n")
    assert refused.returncode != 0 and "ada@example.com" in statuses(project)
    done = invoke(project, "subscribers.forget", "Ada@Example.com", "--yes")
    assert done.returncode == 0, done.stderr
    assert "2 ledger line(s) hashed" in done.stdout

    assert "ada@example.com" not in statuses(project)
    with sqlite3.connect(database(project)) as db:
        assert (
            db.execute(
                "SELECT count(*) FROM events e LEFT JOIN readers r "
                "ON r.id = e.reader_id WHERE r.id IS NULL"
            ).fetchone()[0]
            == 0
        )
    text = ledger.read_text()
    assert "ada@example.com" not in text.lower()
    hashed = keyed_hash(SECRET, "ada@example.com")
    assert text.count(hashed) == 2 and text.count("bob@example.org") == 2
    assert "ada@example.com" not in (project / "data" / "subscribers.csv").read_text().lower()
    assert [p.name for p in previews.iterdir()] == ["00002-bob.eml"]


def test_backup_is_a_consistent_copy_while_the_database_is_written(project):
    store = Store(f"sqlite:///{database(project)}", SECRET)
    from datetime import timedelta

    stop = threading.Event()
    written = []

    def writer():
        n = 0
        while not stop.is_set():
            store.sign_up(f"w{n}@example.com", "", "", timedelta(hours=1))
            written.append(n)
            n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 20:
            pass
        result = invoke(project, "subscribers.backup")
    finally:
        stop.set()
        thread.join()
    assert result.returncode == 0, result.stderr
    copy = Path(result.stdout.split("backed up to ", 1)[1].strip())
    copy = copy if copy.is_absolute() else project / copy
    with sqlite3.connect(copy) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        readers = db.execute("SELECT count(*) FROM readers").fetchone()[0]
        events = db.execute("SELECT count(*) FROM events").fetchone()[0]
    # A snapshot of one moment: each sign-up came with its event, none half there.
    assert readers >= 20 and readers == events


def test_a_site_that_sends_to_its_csv_can_forget_a_reader_too(project):
    with open(project / "publishconf.py", "a") as conf:  # no subscription service here
        conf.write('BYLINE_SUBSCRIPTIONS_URL = ""\n')
    ledger = project / "data" / "send-ledger.jsonl"
    line = {"issue": "7", "round": 1, "address": "bob@example.org", "state": "sent"}
    ledger.write_text(json.dumps(line) + "\n", encoding="utf-8")

    keyless = run_invoke(
        project,
        "subscribers.forget",
        "bob@example.org",
        "--yes",
        env={k: v for k, v in os.environ.items() if k != "BYLINE_UNSUBSCRIBE_SECRET"},
    )
    assert keyless.returncode != 0 and "BYLINE_UNSUBSCRIBE_SECRET is not set" in keyless.stderr
    assert "bob@example.org" in ledger.read_text()  # nothing changed without the key

    done = invoke(project, "subscribers.forget", "bob@example.org", "--yes")
    assert done.returncode == 0, done.stderr
    assert "no subscription database on this site, 1 ledger line(s) hashed, 1 CSV row(s)" in (
        done.stdout
    )
    assert "bob@" not in ledger.read_text().lower()
    assert "bob@" not in (project / "data" / "subscribers.csv").read_text().lower()
    assert not database(project).exists()  # no database was made on the way
