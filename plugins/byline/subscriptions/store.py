"""The readers' database: who subscribed, their consent, the confirmation queue.

SQLAlchemy Core over SQLite (the default: one file, WAL mode, every change its own
transaction, fsynced before the answer goes out, so a killed service loses nothing it said
yes to) or PostgreSQL (a ``postgresql+psycopg://`` URL). Times are stored as ISO 8601 UTC
text, the same on both.

A reader's states: ``pending`` (signed up, not confirmed), ``active`` (receives the
newsletter), ``unsubscribed``, ``bounced`` (a permanent SMTP refusal). A confirmation
token is an HMAC, with the service's key, of the reader id and a random nonce; the
database keeps the nonce (until the email is out) and the token's SHA-256, so a copy of
the database without the key cannot confirm anybody.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..dates import utc_stamp
from ..sending.errors import SubscriberFileError
from ..sending.subscribers import normalise
from ..signing import sign

METADATA = sa.MetaData()

READERS = sa.Table(
    "readers",
    METADATA,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("email", sa.String(254), nullable=False),
    sa.Column("email_key", sa.String(254), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False, default=""),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("signed_up_at", sa.String(32), nullable=False),
    sa.Column("signup_page", sa.String(500), nullable=False, default=""),
    sa.Column("confirmed_at", sa.String(32)),
    sa.Column("unsubscribed_at", sa.String(32)),
    sa.Column("confirm_hash", sa.String(64), index=True),
    sa.Column("confirm_expires", sa.String(32)),
)


def _about_a_reader() -> list[sa.Column]:
    """The first columns of a table of rows about one reader (its events, its queue)."""
    return [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("reader_id", sa.String(32), nullable=False, index=True),
    ]


#: The consent record: every sign-up, confirmation, unsubscribe and bounce, with its source.
EVENTS = sa.Table(
    "events",
    METADATA,
    *_about_a_reader(),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("kind", sa.String(24), nullable=False),
    sa.Column("detail", sa.String(500), nullable=False, default=""),
)

#: Confirmation emails waiting to go out (the sign-up request only queues them).
OUTBOX = sa.Table(
    "outbox",
    METADATA,
    *_about_a_reader(),
    sa.Column("nonce", sa.String(64), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_try", sa.String(32), nullable=False),
    sa.Column("last_error", sa.String(500), nullable=False, default=""),
)


class Status(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    UNSUBSCRIBED = "unsubscribed"
    BOUNCED = "bounced"


class Confirmed(StrEnum):
    """What a confirmation link did."""

    NOW = "confirmed"
    INVALID = "invalid"  # never issued, already used, or replaced by a newer one
    EXPIRED = "expired"


def utc_now() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    """Microseconds, so readers signed up in one second keep their order."""
    return utc_stamp(moment, timespec="microseconds")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def confirmation_token(secret: str, reader_id: str, nonce: str) -> str:
    """The token a confirmation link carries (see the module's docstring)."""
    return sign(secret, f"{reader_id}:{nonce}", "confirm")


@dataclass(frozen=True)
class Reader:
    id: str
    email: str
    name: str
    status: str


@dataclass(frozen=True)
class QueuedConfirmation:
    id: int
    reader: Reader
    nonce: str
    attempts: int


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL (readers never block the writer), a full fsync per commit, waits instead of
    'database is locked', and Python's own transaction handling off so BEGIN is ours."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock at the start, so a read-then-write transaction never
    # fails half-way because another one wrote first.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_engine(url: str, create: bool) -> sa.Engine:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        if not create and not Path(path).is_file():
            raise SubscriberFileError(
                f"there is no readers' database at {path} (BYLINE_SUBSCRIPTIONS_DATABASE): "
                "run this where the subscription service keeps it, or give this machine "
                "the PostgreSQL URL (BYLINE_DATABASE_URL); a new site starts one with "
                "`invoke subscribers.import data/subscribers.csv` or its first sign-up"
            )
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True)
    sa.event.listen(engine, "connect", _sqlite_pragmas)
    sa.event.listen(engine, "begin", _sqlite_begin)
    return engine


def open_engine(url: str, *, create: bool = True) -> sa.Engine:
    """An engine for ``url`` with the tables created (idempotent). With ``create`` off, a
    SQLite file that is not there is an error, not a new empty list: the sender on a
    machine without the database must not take "nobody" for the readers. SQL parameters
    (addresses) are kept out of error messages."""
    if url.startswith("sqlite"):
        engine = _sqlite_engine(url, create)
    else:
        engine = sa.create_engine(url, pool_pre_ping=True, hide_parameters=True)
    try:
        METADATA.create_all(engine)
    except sa.exc.SQLAlchemyError as error:
        engine.dispose()
        shown = sa.engine.make_url(url).render_as_string(hide_password=True)
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise SubscriberFileError(
            f"cannot open the readers' database {shown}: {reason} (BYLINE_SUBSCRIPTIONS_DATABASE, "
            "or the URL in the environment variable BYLINE_SUBSCRIPTIONS_DATABASE_URL_ENV names)"
        ) from None
    return engine


class Store:
    """Every change the service and the tasks make, each one transaction."""

    def __init__(self, url: str, secret: str = "", *, create: bool = True) -> None:
        self.url = url
        self.secret = secret  # the signing key; needed only to sign readers up
        self.engine = open_engine(url, create=create)
        self._lock = threading.Lock()  # SQLite: one writer at a time inside this process

    def close(self) -> None:
        self.engine.dispose()

    # --- signing up and confirming

    def sign_up(
        self, email: str, name: str, page: str, ttl: timedelta, now: datetime | None = None
    ) -> None:
        """Record a sign-up and queue its confirmation email. The same work and the same
        (empty) answer whatever the address's state, so a caller learns nothing."""
        if not self.secret:
            raise ValueError("signing up needs the signing key (Store(url, secret))")
        now = now or utc_now()
        for attempt in range(2):
            try:
                with self._lock, self.engine.begin() as db:
                    self._sign_up(db, email.strip(), name, page, ttl, now)
                return
            except IntegrityError:  # two first sign-ups of one address raced (PostgreSQL)
                if attempt:
                    raise

    def _sign_up(
        self, db: sa.Connection, email: str, name: str, page: str, ttl: timedelta, now: datetime
    ) -> None:
        key = normalise(email)
        row = db.execute(sa.select(READERS).where(READERS.c.email_key == key)).first()
        reader_id = row.id if row is not None else secrets.token_urlsafe(12)
        nonce = secrets.token_urlsafe(16)
        fields = {
            "confirm_hash": token_hash(confirmation_token(self.secret, reader_id, nonce)),
            "confirm_expires": stamp(now + ttl),
        }
        if row is None:
            _insert_reader(db, reader_id, email, name, Status.PENDING, now, page, **fields)
        else:
            if row.status == Status.ACTIVE:
                fields = {}  # already in: no new link, nothing to confirm
            else:  # pending again, or coming back after leaving: a new confirmation
                fields.update(status=Status.PENDING, signed_up_at=stamp(now), signup_page=page)
                if name:
                    fields["name"] = name
            if fields:
                db.execute(READERS.update().where(READERS.c.id == reader_id).values(**fields))
        _event(db, reader_id, now, "signed_up", page)
        if fields:
            db.execute(
                OUTBOX.insert().values(
                    reader_id=reader_id, nonce=nonce, created_at=stamp(now), next_try=stamp(now)
                )
            )

    def confirm(self, token: str, now: datetime | None = None) -> Confirmed:
        """Activate the reader whose link this is, once; a used or replaced link is void."""
        now = now or utc_now()
        with self._lock, self.engine.begin() as db:
            row = db.execute(
                sa.select(READERS).where(READERS.c.confirm_hash == token_hash(token))
            ).first()
            if row is None or row.status != Status.PENDING:
                return Confirmed.INVALID
            if row.confirm_expires and row.confirm_expires < stamp(now):
                return Confirmed.EXPIRED
            db.execute(
                READERS.update()
                .where(READERS.c.id == row.id)
                .values(
                    status=Status.ACTIVE,
                    confirmed_at=stamp(now),
                    unsubscribed_at=None,
                    confirm_hash=None,
                    confirm_expires=None,
                )
            )
            _event(db, row.id, now, "confirmed", "")
        return Confirmed.NOW

    # --- leaving

    def unsubscribe(self, reader_id: str, source: str, now: datetime | None = None) -> bool:
        """Unsubscribe a reader by id (idempotent): True when the id is known."""
        now = now or utc_now()
        with self._lock, self.engine.begin() as db:
            row = db.execute(sa.select(READERS.c.status).where(READERS.c.id == reader_id)).first()
            if row is None:
                return False
            if row.status != Status.UNSUBSCRIBED:
                db.execute(
                    READERS.update()
                    .where(READERS.c.id == reader_id)
                    .values(
                        status=Status.UNSUBSCRIBED,
                        unsubscribed_at=stamp(now),
                        confirm_hash=None,
                        confirm_expires=None,
                    )
                )
                db.execute(OUTBOX.delete().where(OUTBOX.c.reader_id == reader_id))
                _event(db, reader_id, now, "unsubscribed", source)
        return True

    def mark_bounced(self, reader_id: str, reason: str, now: datetime | None = None) -> None:
        """A permanent SMTP refusal: no more mail to this reader until they sign up again."""
        now = now or utc_now()
        with self._lock, self.engine.begin() as db:
            db.execute(
                READERS.update()
                .where(READERS.c.id == reader_id, READERS.c.status == Status.ACTIVE)
                .values(status=Status.BOUNCED)
            )
            _event(db, reader_id, now, "bounced", reason[:500])

    # --- reading

    def find(self, email: str) -> Reader | None:
        with self.engine.connect() as db:
            row = db.execute(
                sa.select(READERS).where(READERS.c.email_key == normalise(email))
            ).first()
        return _reader(row) if row else None

    def active_readers(self) -> list[Reader]:
        """Who receives the newsletter, oldest sign-up first (a stable order for a send)."""
        query = (
            sa.select(READERS)
            .where(READERS.c.status == Status.ACTIVE)
            .order_by(READERS.c.signed_up_at, READERS.c.id)
        )
        with self.engine.connect() as db:
            return [_reader(row) for row in db.execute(query)]

    def is_active(self, reader_id: str) -> bool:
        with self.engine.connect() as db:
            status = db.execute(
                sa.select(READERS.c.status).where(READERS.c.id == reader_id)
            ).scalar()
        return status == Status.ACTIVE

    def all_rows(self) -> Iterator[dict[str, Any]]:
        """Every reader, as the export writes them (no token hashes)."""
        hidden = {"confirm_hash", "confirm_expires", "email_key"}
        columns = [c for c in READERS.c if c.name not in hidden]
        with self.engine.connect() as db:
            for row in db.execute(sa.select(*columns).order_by(READERS.c.signed_up_at)):
                yield dict(row._mapping)

    def reader_record(self, email: str) -> dict[str, Any] | None:
        """One reader's data and consent history (a data-access request)."""
        reader = self.find(email)
        if reader is None:
            return None
        with self.engine.connect() as db:
            row = db.execute(sa.select(READERS).where(READERS.c.id == reader.id)).one()
            events = db.execute(
                sa.select(EVENTS.c.at, EVENTS.c.kind, EVENTS.c.detail)
                .where(EVENTS.c.reader_id == reader.id)
                .order_by(EVENTS.c.id)
            )
            history = [dict(event._mapping) for event in events]
        data = {k: v for k, v in row._mapping.items() if k not in ("confirm_hash", "email_key")}
        data["events"] = history
        return data

    def counts(self) -> dict[str, int]:
        query = sa.select(READERS.c.status, sa.func.count()).group_by(READERS.c.status)
        with self.engine.connect() as db:
            return {status: count for status, count in db.execute(query)}

    # --- editors' tasks

    def import_reader(self, email: str, name: str, status: str, source: str) -> str:
        """Add one reader from a CSV row: 'added', 'updated' (an opt-out applied) or 'kept'.
        A CSV never re-subscribes someone who left: only their own confirmation does."""
        now = utc_now()
        key = normalise(email)
        with self._lock, self.engine.begin() as db:
            row = db.execute(sa.select(READERS).where(READERS.c.email_key == key)).first()
            if row is None:
                reader_id = secrets.token_urlsafe(12)
                _insert_reader(
                    db,
                    reader_id,
                    email,
                    name,
                    status,
                    now,
                    source,
                    confirmed_at=stamp(now) if status == Status.ACTIVE else None,
                    unsubscribed_at=stamp(now) if status == Status.UNSUBSCRIBED else None,
                )
                _event(db, reader_id, now, "imported", f"{source} ({status})")
                return "added"
            if status != Status.ACTIVE and row.status == Status.ACTIVE:
                db.execute(READERS.update().where(READERS.c.id == row.id).values(status=status))
                _event(db, row.id, now, status, source)
                return "updated"
        return "kept"

    def forget(self, email: str) -> bool:
        """Delete a reader and everything about them here (readers, events, queue)."""
        with self._lock, self.engine.begin() as db:
            row = db.execute(
                sa.select(READERS.c.id).where(READERS.c.email_key == normalise(email))
            ).first()
            if row is None:
                return False
            for table in (OUTBOX, EVENTS):
                db.execute(table.delete().where(table.c.reader_id == row.id))
            db.execute(READERS.delete().where(READERS.c.id == row.id))
        return True

    # --- the confirmation queue

    def due_confirmations(
        self, limit: int = 50, now: datetime | None = None
    ) -> list[QueuedConfirmation]:
        now = now or utc_now()
        query = (
            sa.select(OUTBOX, READERS.c.email, READERS.c.name, READERS.c.status)
            .join(READERS, READERS.c.id == OUTBOX.c.reader_id)
            .where(OUTBOX.c.next_try <= stamp(now))
            .order_by(OUTBOX.c.id)
            .limit(limit)
        )
        with self.engine.connect() as db:
            rows = db.execute(query).all()
        return [
            QueuedConfirmation(
                row.id,
                Reader(row.reader_id, row.email, row.name, row.status),
                row.nonce,
                row.attempts,
            )
            for row in rows
        ]

    def confirmation_done(self, queued_id: int) -> None:
        with self._lock, self.engine.begin() as db:
            db.execute(OUTBOX.delete().where(OUTBOX.c.id == queued_id))

    def confirmation_later(self, queued_id: int, delay: float, error: str) -> None:
        with self._lock, self.engine.begin() as db:
            db.execute(
                OUTBOX.update()
                .where(OUTBOX.c.id == queued_id)
                .values(
                    attempts=OUTBOX.c.attempts + 1,
                    next_try=stamp(utc_now() + timedelta(seconds=delay)),
                    last_error=error[:500],
                )
            )

    def queued(self) -> int:
        with self.engine.connect() as db:
            return int(db.execute(sa.select(sa.func.count()).select_from(OUTBOX)).scalar() or 0)


def _insert_reader(
    db: sa.Connection,
    reader_id: str,
    email: str,
    name: str,
    status: str,
    now: datetime,
    page: str,
    **fields: Any,
) -> None:
    db.execute(
        READERS.insert().values(
            id=reader_id,
            email=email,
            email_key=normalise(email),
            name=name,
            status=status,
            signed_up_at=stamp(now),
            signup_page=page,
            **fields,
        )
    )


def _event(db: sa.Connection, reader_id: str, now: datetime, kind: str, detail: str) -> None:
    db.execute(
        EVENTS.insert().values(reader_id=reader_id, at=stamp(now), kind=kind, detail=detail[:500])
    )


def _reader(row: Any) -> Reader:
    return Reader(row.id, row.email, row.name, row.status)
