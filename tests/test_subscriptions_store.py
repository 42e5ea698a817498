"""The readers' database on both engines it supports: SQLite (a file under tmp_path) and a
real PostgreSQL server (Debian's, started by scripts/postgres-for-tests, which the test
command runs; its URL comes in BYLINE_TEST_POSTGRES_URL). The same rules on both: a link
confirms once, leaving is idempotent, a CSV never brings back someone who left, racing
sign-ups of one address make one reader, forget leaves nothing behind. One journey runs
through the HTTP service on PostgreSQL too."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import requests
import sendkit as kit
import sqlalchemy as sa
import subskit
from byline.subscriptions.store import (
    EVENTS,
    OUTBOX,
    READERS,
    Confirmed,
    Store,
    confirmation_token,
)

POSTGRES = os.environ.get("BYLINE_TEST_POSTGRES_URL", "")
TTL = timedelta(hours=48)
SECRET = "store-test-key-0123456789"


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A throwaway database on the test server, dropped afterwards."""
    if not POSTGRES:
        pytest.skip("no PostgreSQL here: scripts/test starts one (BYLINE_TEST_POSTGRES_URL)")
    admin = sa.create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    name = f"byline_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as db:
        db.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield POSTGRES.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as db:
            db.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'readers.sqlite3'}"
        return
    with postgres_database() as found:
        yield found


def token_of(store: Store, email: str) -> str:
    """The token of the reader's newest confirmation email, as the service mails it."""
    with store.engine.connect() as db:
        reader, nonce = db.execute(
            sa.select(OUTBOX.c.reader_id, OUTBOX.c.nonce)
            .join(READERS, READERS.c.id == OUTBOX.c.reader_id)
            .where(READERS.c.email_key == email.lower())
            .order_by(OUTBOX.c.id.desc())
        ).first()
    return confirmation_token(SECRET, reader, nonce)


def test_a_copy_of_the_database_without_the_key_confirms_nobody(url):
    store = Store(url, SECRET)
    store.sign_up("ada@example.com", "", "", TTL)
    with store.engine.connect() as db:
        stored = " ".join(
            str(tuple(row)) for table in (READERS, OUTBOX) for row in db.execute(sa.select(table))
        )
    token = token_of(store, "ada@example.com")
    assert token not in stored
    assert confirmation_token("another-key-0123456789", *_ids(store)) != token
    assert store.confirm(token) == Confirmed.NOW


def _ids(store: Store) -> tuple[str, str]:
    with store.engine.connect() as db:
        return tuple(db.execute(sa.select(OUTBOX.c.reader_id, OUTBOX.c.nonce)).first())


def test_a_reader_confirms_once_leaves_and_comes_back(url):
    store = Store(url, SECRET)
    store.sign_up("Ada@Example.com", "Ada", "https://site.example/p/", TTL)
    first = token_of(store, "ada@example.com")
    assert store.find("ada@example.com").status == "pending"
    store.sign_up("ada@example.com", "", "https://site.example/q/", TTL)  # asked twice
    second = token_of(store, "ada@example.com")
    assert store.confirm(first) == Confirmed.INVALID  # replaced by the newer link
    assert store.confirm(second) == Confirmed.NOW
    assert store.confirm(second) == Confirmed.INVALID  # once
    reader = store.find("ADA@example.com")
    assert reader.status == "active" and reader.email == "Ada@Example.com"
    assert [r.email for r in store.active_readers()] == ["Ada@Example.com"]

    assert store.unsubscribe(reader.id, "one-click") and store.unsubscribe(reader.id, "again")
    assert not store.is_active(reader.id)
    store.sign_up("ada@example.com", "", "", TTL)
    assert store.find("ada@example.com").status == "pending"  # not back without confirming
    assert store.confirm(token_of(store, "ada@example.com")) == Confirmed.NOW
    record = store.reader_record("ada@example.com")
    kinds = [e["kind"] for e in record["events"]]
    assert kinds == [
        "signed_up",
        "signed_up",
        "confirmed",
        "unsubscribed",
        "signed_up",
        "confirmed",
    ]
    assert record["events"][0]["detail"] == "https://site.example/p/"


def test_expired_links_and_imports_that_respect_who_left(url):
    store = Store(url, SECRET)
    store.sign_up("late@example.com", "", "", timedelta(seconds=-1))
    assert store.confirm(token_of(store, "late@example.com")) == Confirmed.EXPIRED
    assert store.import_reader("ann@example.com", "Ann", "active", "import") == "added"
    assert store.import_reader("ann@example.com", "Ann", "active", "import") == "kept"
    assert store.import_reader("ann@example.com", "", "unsubscribed", "import") == "updated"
    assert store.import_reader("ann@example.com", "Ann", "active", "import") == "kept"
    assert store.find("ann@example.com").status == "unsubscribed"


def test_racing_sign_ups_of_one_address_make_one_reader(url):
    store = Store(url, SECRET)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: store.sign_up("race@example.com", "", "", TTL), range(16)))
    with store.engine.connect() as db:
        assert db.execute(sa.select(sa.func.count()).select_from(READERS)).scalar() == 1
        assert db.execute(sa.select(sa.func.count()).select_from(EVENTS)).scalar() == 16


def test_forget_leaves_nothing_behind(url):
    store = Store(url, SECRET)
    store.sign_up("gone@example.com", "Gone", "https://site.example/", TTL)
    store.sign_up("kept@example.com", "Kept", "https://site.example/", TTL)
    gone, kept = (store.find(a).id for a in ("gone@example.com", "kept@example.com"))
    assert store.forget("GONE@example.com") and not store.forget("gone@example.com")
    with store.engine.connect() as db:
        for table, column in (
            (READERS, READERS.c.id),
            (EVENTS, EVENTS.c.reader_id),
            (OUTBOX, OUTBOX.c.reader_id),
        ):
            ids = set(db.execute(sa.select(column)).scalars())
            assert gone not in ids and kept in ids, table.name
    assert store.find("gone@example.com") is None


def test_the_service_on_postgresql_signs_up_confirms_and_unsubscribes(tmp_path):
    with postgres_database() as url:
        _journey_on(url, tmp_path)


def _journey_on(url: str, tmp_path) -> None:
    root = kit.project(tmp_path, subscribers="email,name,status\n")
    handler = kit.Recorder()
    with (
        kit.Server(handler) as smtp,
        subskit.Service(root, smtp.port, env={"BYLINE_DATABASE_URL": url}) as service,
    ):
        assert service.sign_up("pg@example.com").status_code == 303
        link = subskit.links(subskit.confirmation_for(handler, "pg@example.com"))[0]
        assert requests.get(link, timeout=10).status_code == 200
        store = Store(url, SECRET)
        reader = store.find("pg@example.com")
        assert reader.status == "active"
        from byline.sending.message import reader_url

        leave = reader_url(service.url, kit.UNSUB_SECRET, reader.id)
        assert requests.post(leave, data="List-Unsubscribe=One-Click", timeout=10).ok
        assert store.find("pg@example.com").status == "unsubscribed"
    assert not (root / "data" / "subscribers.sqlite3").exists()  # nothing went to SQLite


def test_an_unreachable_database_is_named_without_its_password():
    from byline.sending.errors import SubscriberFileError

    with pytest.raises(SubscriberFileError) as caught:
        Store(f"postgresql+psycopg://news:hunter2-secret@127.0.0.1:{kit.free_port()}/readers")
    message = str(caught.value)
    assert "hunter2" not in message and "news:***@127.0.0.1" in message
    assert "Connection refused" in message or "connection failed" in message
