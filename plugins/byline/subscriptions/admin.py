"""The editor's tasks on the readers' database (``invoke subscribers.*``): import and
export the CSV, record an unsubscribe that came by email, answer a reader's data request,
forget a reader everywhere, back up a live database. Nothing here logs a full address."""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..durable import write_atomic
from ..sending.config import SendConfig, config_from_settings
from ..sending.errors import SendConfigError
from ..sending.ledger import forget_address, read_records
from ..sending.subscribers import normalise, read_subscribers
from ..signing import keyed_hash
from .store import Status, Store

EXPORT_COLUMNS = (
    "email",
    "name",
    "status",
    "signed_up_at",
    "signup_page",
    "confirmed_at",
    "unsubscribed_at",
    "id",
)


@dataclass
class ImportReport:
    added: int = 0  # readers who now receive the newsletter
    updated: int = 0  # recorded as opted out (new, or a reader the list says left)
    kept: int = 0  # already known, unchanged
    skipped: list[str] = field(default_factory=list)  # "line N: reason", no addresses


def import_csv(store: Store, path: Path) -> ImportReport:
    """Readers from a CSV (email,name,status). Readers a list says are subscribed become
    active (their consent was given elsewhere: the source is recorded); opted-out rows
    are applied; nobody who left is brought back."""
    listing = read_subscribers(path)
    report = ImportReport()
    for line, _value, problem in listing.invalid:
        report.skipped.append(f"line {line}: {problem}")
    report.skipped += [f"line {line}: repeated address" for line, _ in listing.duplicates]
    source = f"import of {path.name}"
    rows = [(s.email, s.name, Status.ACTIVE) for s in listing.recipients]
    for _line, email, status in listing.unsubscribed:
        kept = Status.BOUNCED if status == "bounced" else Status.UNSUBSCRIBED
        rows.append((email, "", kept))
    for email, name, status in rows:
        outcome = store.import_reader(email, name, status, source)
        if outcome == "added" and status != Status.ACTIVE:
            outcome = "updated"  # a new reader who had already opted out
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def export_csv(store: Store) -> str:
    """Every reader as CSV (the import format's columns first, then the consent record)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in store.all_rows():
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return buffer.getvalue()


def reader_export(store: Store, config: SendConfig, email: str) -> dict | None:
    """One reader's data: the database row, the consent events and every ledger line about
    them (which issues were sent, when). None when the address is not known."""
    record = store.reader_record(email)
    if record is None:
        return None
    key = normalise(email)
    sends = [
        {k: v for k, v in line.items() if k in ("time", "issue", "state", "provider")}
        for line in read_records(config.ledger)
        if str(line.get("address", "")).lower() == key
    ]
    return {"reader": record, "sends": sends}


def unsubscribe_address(store: Store, email: str) -> bool:
    """An unsubscribe that arrived by email (the mailto: in List-Unsubscribe)."""
    reader = store.find(email)
    return bool(reader and store.unsubscribe(reader.id, "email to the list address"))


@dataclass
class ForgetReport:
    database: bool = False
    ledger_lines: int = 0
    csv_rows: int = 0
    previews: int = 0


def forget(store: Store | None, config: SendConfig, email: str) -> ForgetReport:
    """Delete a reader everywhere Byline keeps them: the database (if this site has one;
    a site that sends to its CSV has none), the subscribers CSV, the dry-run previews; in
    the send ledger the address becomes a keyed hash (with the signing key: without one,
    anybody could hash a guessed address and find it there)."""
    if not config.unsubscribe_secret:
        raise SendConfigError(
            f"environment variable {config.unsubscribe_secret_env} is not set: forgetting a "
            "reader replaces their address in the send ledger with a hash keyed by it"
        )
    key = normalise(email)
    report = ForgetReport(database=bool(store and store.forget(key)))
    report.ledger_lines = forget_address(
        config.ledger, key, keyed_hash(config.unsubscribe_secret, key)
    )
    report.csv_rows = _drop_csv_rows(config.subscribers, key)
    folder = config.dry_run_dir
    if folder.is_dir():
        for path in folder.rglob("*.eml"):
            if key in path.read_bytes().decode("utf-8", "replace").lower():
                path.unlink()
                report.previews += 1
    return report


def _drop_csv_rows(path: Path, key: str) -> int:
    if not path.is_file():
        return 0
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return 0
    header = [c.strip().lower() for c in rows[0]]
    if "email" not in header:
        return 0
    column = header.index("email")
    kept = [rows[0]] + [
        r for r in rows[1:] if not (len(r) > column and normalise(r[column]) == key)
    ]
    dropped = len(rows) - len(kept)
    if dropped:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(kept)
        write_atomic(path, buffer.getvalue())
    return dropped


def backup(store: Store, folder: Path) -> Path:
    """A consistent copy of a live SQLite database (SQLite's online backup: writers may go
    on meanwhile). PostgreSQL has pg_dump for this; the error says so."""
    url = store.url
    if not url.startswith("sqlite:///"):
        raise ValueError(
            "backups of a PostgreSQL database are pg_dump's job: pg_dump --format=custom "
            '--file=subscribers.dump "$BYLINE_DATABASE_URL" (without the +psycopg part)'
        )
    source = Path(url.removeprefix("sqlite:///"))
    folder.mkdir(parents=True, exist_ok=True)
    when = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{source.stem}-{when}.sqlite3"
    partial = target.with_suffix(".partial")
    with sqlite3.connect(source) as live, sqlite3.connect(partial) as copy:
        live.backup(copy)
    check = sqlite3.connect(partial)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise RuntimeError(f"the backup {partial} failed its integrity check")
    finally:
        check.close()
    partial.replace(target)
    return target


def open_admin(
    settings: dict,
    environ: dict,
    base_dir: Path | str,
    *,
    create: bool = False,
    service_optional: bool = False,
) -> tuple[Store | None, SendConfig]:
    """The database and the send settings the tasks work on (the ones newsletter.send
    uses, so an unsubscribe recorded here is one the next send honours). Only an import
    may ``create`` the database; with ``service_optional`` a site without the service (no
    BYLINE_SUBSCRIPTIONS_URL: its readers are in the CSV) gets None instead."""
    config = config_from_settings(settings, environ, base_dir=base_dir)
    if service_optional and not config.subscriptions_url:
        return None, config
    return Store(config.database, create=create), config
