"""What was sent stays what was sent: the frozen copy of an issue, kept in the project.

When an issue goes out for real, the sender copies its exported files into
``<BYLINE_NEWSLETTER_SENT_DIR>/<number>/`` (``data/newsletter/<number>/`` by default;
committed with the site, holding no reader's address) and, when the send ends, writes
``sent.json`` there: when, through which provider, to how many readers. A later build
rebuilds that issue from the frozen copy rather than from today's content and
pageviews, and the sender on any machine that has the committed folder refuses to send
the issue again, ledger or no ledger.

Layout of a frozen issue folder:

- ``manifest.json``, ``email.html``, ``email.txt``: byte-for-byte what readers got;
- ``issue.json``: the composed issue as data (stories, most read, subject,
  introduction), from which the archive page and the feed entry are rendered anew;
- ``sent.json``: the record of the send (absent while the first send is under way).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..durable import write_atomic
from ..settings import default

SENT_DIR_KEY = "BYLINE_NEWSLETTER_SENT_DIR"

FROZEN_FILES = ("manifest.json", "email.html", "email.txt", "issue.json")
RECORD = "sent.json"


def sent_dir(settings: Mapping[str, Any], project_dir: Path | str) -> Path:
    """Where sent issues' frozen copies live: ``BYLINE_NEWSLETTER_SENT_DIR``, relative to
    the project folder unless written as an absolute path. The build and the sender ask here."""
    written = str(settings.get(SENT_DIR_KEY) or default(SENT_DIR_KEY))
    path = Path(written).expanduser()
    return (path if path.is_absolute() else Path(project_dir) / path).resolve()


def frozen_folder(sent_dir: Path, number: int) -> Path:
    """Where issue ``number``'s frozen copy lives."""
    return Path(sent_dir) / str(int(number))


def is_frozen(sent_dir: Path, number: int) -> bool:
    """Whether issue ``number`` has a frozen copy (its manifest is always there)."""
    return (frozen_folder(sent_dir, number) / "manifest.json").is_file()


def freeze_issue(export_folder: Path, sent_dir: Path, number: int) -> Path:
    """Copy an exported issue's files into its frozen folder, once.

    An existing frozen copy is never overwritten: the first live send fixes what the
    issue is. Each file is written atomically, the manifest last, so a crash leaves
    either no frozen copy or a whole one.
    """
    target = frozen_folder(sent_dir, number)
    if is_frozen(sent_dir, number):
        return target
    for name in (*FROZEN_FILES[1:], FROZEN_FILES[0]):
        source = Path(export_folder) / name
        if source.is_file():
            write_atomic(target / name, source.read_bytes())
    return target


def write_sent_record(sent_dir: Path, number: int, record: dict[str, Any]) -> Path:
    """Write (or replace) the issue's ``sent.json``: the record that travels with git."""
    path = frozen_folder(sent_dir, number) / RECORD
    write_atomic(path, json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return path


def read_sent_record(sent_dir: Path, number: int) -> dict[str, Any] | None:
    """The issue's send record, or None when it was never sent (or the send is under way)."""
    path = frozen_folder(sent_dir, number) / RECORD
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        # A damaged record still says the issue was sent: refusing is the safe side.
        return {"damaged": True, "path": str(path)}
    return data if isinstance(data, dict) else {"damaged": True, "path": str(path)}
