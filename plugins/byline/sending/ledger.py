"""The send ledger: an append-only JSON-lines file that makes "exactly once" honest.

Each line is flushed and fsynced before the next step, so after any crash (even SIGKILL)
the file says, per issue and address, what is known:

- ``pending`` written just before the SMTP transaction (or API call); ``sent`` right after
  the server accepted it. A trailing ``pending`` means the fate is unknown ("uncertain"):
  it is listed and left out unless the caller asks to resend uncertain recipients. One
  transaction is in flight at a time, so a crash leaves at most one uncertain address.
- ``failed`` (refused for good), ``deferred`` (temporary failures outlasted the retries; sent
  on the next run), ``drafted`` (an API provider's draft exists: ``provider_id``).
- ``complete`` (address "") closes a round: nobody left to send. A new round, and so a second
  delivery to everybody, only starts with ``force=True``.

Lines carry the issue id, address, state, time, round, provider, message id or provider id,
idempotency key and error text. Addresses are personal data, so the ledger lives outside
output/; it never holds secrets (error texts are scrubbed by the caller).

A ``sent`` line is final for that address in its round: no later line changes it, and the
sender never hands that delivery over again (for a broadcast, a ``sent`` without the
``complete`` after it, left by a crash, is closed without a second request).

An exclusive lock (``<ledger>.lock``, released by the kernel if the process dies) stops two
sends of any issue from running at once.
"""

from __future__ import annotations

import json
import logging
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

from ..dates import utc_stamp
from ..durable import fsync_dir, write_atomic
from .errors import LedgerError

logger = logging.getLogger(__name__)


class State(StrEnum):
    """A ledger line's state (a ``str``, so lines and comparisons stay plain JSON text)."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    DEFERRED = "deferred"
    DRAFTED = "drafted"
    COMPLETE = "complete"


STATES = tuple(State)

#: Test-only seam: ``<state>[:<n>]`` in this environment variable makes the sender kill
#: itself with SIGKILL right after the n-th (default first) durable line of that state, so
#: the crash tests can stop a send at exactly the point they exercise, not by luck. Never
#: set it outside the tests.
KILL_AFTER_ENV = "BYLINE_TEST_SEND_KILL_AFTER"


@dataclass
class RecipientState:
    """The latest known state of one address in one round."""

    state: str  # a State's value, as read back from the ledger's JSON
    message_id: str | None = None
    provider_id: str | None = None
    key: str | None = None
    error: str | None = None
    stage: str | None = None
    content_hash: str | None = None


@dataclass
class IssueState:
    """What the ledger knows about one issue's latest round."""

    round: int = 1
    complete: bool = False
    started: bool = False
    last_time: str | None = None
    recipients: dict[str, RecipientState] = field(default_factory=dict)

    def addresses(self, state: State) -> list[str]:
        return [a for a, r in self.recipients.items() if r.state == state]

    @property
    def sent(self) -> list[str]:
        return self.addresses(State.SENT)

    @property
    def uncertain(self) -> list[str]:
        """Addresses whose last line is ``pending``: handed over, answer never recorded."""
        return self.addresses(State.PENDING)


def read_records(path: Path) -> list[dict[str, Any]]:
    """Every line; a torn line (crash mid-write) is skipped with a warning."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as error:
        raise LedgerError(f"cannot read the send ledger {path}: {error}") from None
    records = []
    lines = raw.split(b"\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("not an object")
        except ValueError:
            # A crash mid-write leaves a line cut short (a whole line always ends with "}");
            # the next run starts a fresh line after it. Skipping it is safe: a torn
            # "pending" was written before its transaction began, and a torn "sent" leaves
            # the address "pending", i.e. uncertain, never resent.
            if not line.rstrip().endswith(b"}"):
                logger.warning("send ledger %s: ignoring torn line %d", path, number)
                continue
            raise LedgerError(
                f"send ledger {path}, line {number}: not a JSON object; fix or remove that "
                "line by hand (the ledger is append-only and never rewritten)"
            ) from None
        records.append(record)
    return records


def issue_state(records: list[dict[str, Any]], issue_id: str) -> IssueState:
    """Fold the issue's lines into the state of its latest round."""
    mine = [r for r in records if r.get("issue") == issue_id]
    if not mine:
        return IssueState()
    latest = max(int(r.get("round", 1)) for r in mine)
    state = IssueState(round=latest, started=True)
    for record in mine:
        if int(record.get("round", 1)) != latest:
            continue
        state.last_time = record.get("time")
        kind = record.get("state")
        if kind == State.COMPLETE:
            state.complete = True
            continue
        address = record.get("address") or ""
        previous = state.recipients.get(address)
        if previous is not None and previous.state == State.SENT:
            continue  # sent is final: nothing after it in this round undoes it
        # Later lines keep what earlier ones learnt (a draft id, the message id) unless they
        # say otherwise, so a resend reuses the same Message-ID.
        state.recipients[address] = RecipientState(
            state=kind,
            message_id=record.get("message_id") or (previous.message_id if previous else None),
            provider_id=record.get("provider_id") or (previous.provider_id if previous else None),
            key=record.get("key") or (previous.key if previous else None),
            error=record.get("error"),
            stage=record.get("stage"),
            content_hash=record.get("content_hash")
            or (previous.content_hash if previous else None),
        )
    return state


class Ledger:
    """Appends durable lines for one run; use as a context manager to hold the lock."""

    def __init__(
        self, path: Path, *, provider: str, fsync: bool = True, kill_after: str | None = None
    ) -> None:
        self.path = path
        self.provider = provider
        self.fsync = fsync
        self._file: TextIO | None = None
        self._lock: Any = None
        self._kill_state, self._kill_count = _parse_kill_after(kill_after)

    def __enter__(self) -> Ledger:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._acquire_lock()
        try:
            self._file = self._open()
        except BaseException:
            self._release_lock()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self._release_lock()

    def _open(self) -> TextIO:
        existed = self.path.exists()
        try:
            handle = self.path.open("a", encoding="utf-8")
        except OSError as error:
            raise LedgerError(f"cannot open the send ledger {self.path}: {error}") from None
        if existed and self.path.stat().st_size:
            with self.path.open("rb") as reader:
                reader.seek(-1, os.SEEK_END)
                if reader.read(1) != b"\n":
                    handle.write("\n")  # a torn last line must not swallow our first one
                    handle.flush()
        elif not existed and self.fsync:
            self._sync_dir()
        return handle

    def _sync_dir(self) -> None:
        fsync_dir(self.path.parent)

    def _acquire_lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock, the ledger still works
            return
        lock_path = self.path.with_name(self.path.name + ".lock")
        handle = lock_path.open("a")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise LedgerError(
                f"another send is running (it holds {lock_path}); wait for it to finish"
            ) from None
        self._lock = handle

    def _release_lock(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def record(
        self,
        issue: str,
        address: str,
        state: State,
        *,
        round: int,
        **extra: Any,
    ) -> None:
        """Append one line and make it durable before returning."""
        if state not in STATES:
            raise ValueError(f"unknown ledger state {state!r}")
        if self._file is None:
            raise LedgerError("the ledger is not open")
        line = {
            "time": utc_stamp(timespec="milliseconds"),
            "issue": issue,
            "round": round,
            "provider": self.provider,
        }
        line.update(address=address, state=state)
        line.update({k: v for k, v in extra.items() if v not in (None, "")})
        self._file.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
        self._file.flush()
        if self.fsync:
            os.fsync(self._file.fileno())
        if self._kill_state == state:
            self._kill_count -= 1
            if self._kill_count == 0:  # the test seam: die here, with no clean-up at all
                os.kill(os.getpid(), signal.SIGKILL)


def _parse_kill_after(value: str | None) -> tuple[str | None, int]:
    """``"sent:3"`` -> ("sent", 3); empty -> no seam."""
    if not value:
        return None, 0
    state, _, count = value.partition(":")
    if state not in STATES:
        raise ValueError(f"{KILL_AFTER_ENV}: unknown ledger state {state!r}")
    return state, int(count or 1)


def forget_address(path: Path, address: str, replacement: str) -> int:
    """Replace ``address`` by ``replacement`` (a keyed hash) on every line, under the send
    lock, written atomically: the ledger still proves what was sent, to nobody nameable.
    Returns how many lines changed."""
    if not path.exists():
        return 0
    key = address.strip().lower()
    changed = 0
    with Ledger(path, provider="forget"):  # holds the lock: no send runs meanwhile
        lines = path.read_text(encoding="utf-8").splitlines()
        kept = []
        for text in lines:
            if key in text.lower():
                try:
                    line = json.loads(text)
                except json.JSONDecodeError:
                    line = None
                if isinstance(line, dict):
                    line = {
                        k: (_replaced(v, key, replacement) if isinstance(v, str) else v)
                        for k, v in line.items()
                    }
                    text = json.dumps(line, ensure_ascii=False, separators=(",", ":"))
                    changed += 1
            kept.append(text)
        if changed:
            write_atomic(path, "".join(f"{text}\n" for text in kept))
    return changed


def _replaced(value: str, key: str, replacement: str) -> str:
    import re

    return re.sub(re.escape(key), replacement, value, flags=re.IGNORECASE)


@contextmanager
def open_ledger(path: Path, provider: str) -> Iterator[Ledger]:
    with Ledger(path, provider=provider) as ledger:
        yield ledger
