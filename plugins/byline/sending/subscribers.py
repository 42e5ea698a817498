"""The subscriber list: a CSV kept outside output/, with columns email, name, status.

Bad rows never stop a send: an invalid address is reported with its line number and
skipped, a repeated address (compared case-insensitively) is sent once, and any row whose
status opts out wins over the rest, so a reader who unsubscribed is never mailed because an
old duplicate row still says "subscribed".

Statuses that receive mail: ``subscribed``, ``active`` or empty. Anything else
(``unsubscribed``, ``bounced``, ``complained``, ``pending``, ``unconfirmed``...) is left out.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..textclean import clean_text, control_characters
from .errors import SubscriberFileError

SENDABLE_STATUSES = frozenset({"", "subscribed", "active"})

# A pragmatic check of what SMTP servers accept: dot-atom local part, DNS host name with a
# top-level label of letters. Non-ASCII addresses need SMTPUTF8, which we do not send.
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDRESS = re.compile(rf"^{_LOCAL}@(?:{_LABEL}\.)+[A-Za-z]{{2,63}}$")


def address_problem(address: str) -> str | None:
    """Why ``address`` cannot be sent to, or None when it looks deliverable."""
    if not address:
        return "empty address"
    if not address.isascii():
        return "non-ASCII address (needs SMTPUTF8, not supported)"
    if len(address) > 254 or len(address.partition("@")[0]) > 64:
        return "address too long"
    if not _ADDRESS.match(address):
        return "not a valid email address"
    return None


def normalise(address: str) -> str:
    """The key an address is compared and recorded by."""
    return address.strip().lower()


@dataclass(frozen=True)
class Subscriber:
    email: str  # as written in the CSV (trimmed)
    name: str
    line: int  # the CSV line (0 for a reader from the subscription database)
    reader_id: str = ""  # the subscription database's opaque id, for its unsubscribe link

    @property
    def key(self) -> str:
        return normalise(self.email)


@dataclass
class SubscriberList:
    """The recipients in file order plus every row left out, with its line and reason."""

    recipients: list[Subscriber] = field(default_factory=list)
    invalid: list[tuple[int, str, str]] = field(default_factory=list)  # line, value, reason
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # line, address
    unsubscribed: list[tuple[int, str, str]] = field(default_factory=list)  # line, addr, status
    cleaned: list[tuple[int, str, str]] = field(default_factory=list)  # line, addr, characters


def read_subscribers(path: Path) -> SubscriberList:
    """Read the CSV; a missing file or missing ``email`` column is an error, bad rows are not."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except FileNotFoundError:
        raise SubscriberFileError(
            f"subscriber list {path} not found (BYLINE_SEND_SUBSCRIBERS; columns: "
            "email,name,status)"
        ) from None
    except OSError as error:
        raise SubscriberFileError(f"cannot read subscriber list {path}: {error}") from None
    result = SubscriberList()
    with handle:
        reader = csv.DictReader(handle)
        columns = [c.strip().lower() for c in reader.fieldnames or []]
        if "email" not in columns:
            raise SubscriberFileError(
                f"{path}: the first line must name the columns, with at least 'email' "
                f"(found {', '.join(columns) or 'nothing'})"
            )
        reader.fieldnames = columns
        try:
            first, opted_out = _read_rows(reader, result)
        except (csv.Error, UnicodeDecodeError) as error:
            raise SubscriberFileError(
                f"{path}: unreadable near line {reader.line_num}: {error}"
            ) from None
    for key, subscriber in first.items():
        if key in opted_out:
            result.unsubscribed.append(opted_out[key])
        else:
            result.recipients.append(subscriber)
    return result


def _read_rows(
    reader: csv.DictReader, result: SubscriberList
) -> tuple[dict[str, Subscriber], dict[str, tuple[int, str, str]]]:
    """Each address's first row, and its first opting-out row, by address key; invalid and
    repeated rows go into ``result`` as they are met."""
    first: dict[str, Subscriber] = {}
    opted_out: dict[str, tuple[int, str, str]] = {}
    for row in reader:
        line = reader.line_num
        values = {k: (v or "").strip() for k, v in row.items() if isinstance(k, str)}
        email = values.get("email", "")
        if not any(values.values()):
            continue  # blank line
        problem = address_problem(email)
        if problem:
            result.invalid.append((line, email, problem))
            continue
        key = normalise(email)
        status = values.get("status", "").lower()
        if status not in SENDABLE_STATUSES:
            opted_out.setdefault(key, (line, email, status))
        if key in first:
            result.duplicates.append((line, email))
        else:
            first[key] = _subscriber(line, email, values.get("name", ""), result)
    return first, opted_out


def _subscriber(line: int, email: str, raw_name: str, result: SubscriberList) -> Subscriber:
    """The row as a Subscriber. A name is one header line: CR/LF, U+2028 or U+0085 pasted
    into it would break the To header, so it is cleaned (and the row still gets the issue)."""
    name = clean_text(raw_name, single_line=True)
    if name != raw_name:
        found = control_characters(raw_name, single_line=True)
        result.cleaned.append((line, email, ", ".join(found)))
    return Subscriber(email=email, name=name, line=line)
