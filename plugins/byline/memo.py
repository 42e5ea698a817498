"""Answers to small, pure questions kept between builds, so a rebuild asks none again.

Every build asks the same of each article: how many words its body has, what its
standfirst is once sanitised, how wide its hero is, what an image file hashes to. Each
answer depends only on its input: a text, or a file's bytes (stood for by the file's path,
size and modification time, as git and make do). ``Memo`` keeps them in one file,
``CACHE_PATH/byline-memo.json``, under a fingerprint of the code that works them out and
a checksum of the answers; a build keeps only the answers it used, so the file follows
the site and never grows without end. A missing, damaged or foreign file is only a miss.

No Pelican here: the glue makes one ``Memo`` per build and saves it at the end.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from .durable import write_atomic

MEMO_NAME = "byline-memo.json"
_MISSING = object()
T = TypeVar("T")


def fingerprint(sources: Iterable[Path], libraries: Iterable[str], salt: str = "") -> str:
    """A hash of some code: its source files, Python's version and the libraries' versions.

    A kept answer is trusted only while the code that worked it out is the same.
    """
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256(f"{salt} {sys.version}".encode())
    for source in sorted(Path(s) for s in sources):
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    for name in libraries:
        try:
            digest.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=none\0".encode())
    return digest.hexdigest()


def text_key(text: str) -> str:
    """A short hash of a text (cheaper to keep and compare than the text)."""
    data = text.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def file_key(path: Path) -> str | None:
    """The file's path, size and modification time, or None if it cannot be read."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}"


class Memo:
    """Kept answers in named tables; ``save`` writes the ones this build used. Without a
    path (``Memo()``) answers are kept for the life of the object only."""

    def __init__(self, path: Path | None = None, code: str = "") -> None:
        self.path = path
        self.code = code
        self._kept: dict[str, dict[str, Any]] = self._load() if path else {}
        self._used: dict[str, dict[str, Any]] = {}
        self.computed = 0  # answers worked out afresh in this build
        self.reused = 0  # answers kept from an earlier build

    def _load(self) -> dict[str, dict[str, Any]]:
        """The kept tables, or none: a file from other code, or one whose tables do not
        match their checksum (cut short, edited by hand), is a miss, never half trusted."""
        try:
            head, _, body = Path(self.path).read_text(encoding="utf-8").partition("\n")
            stored = json.loads(head)
            if not isinstance(stored, dict) or stored.get("code") != self.code:
                return {}
            if stored.get("check") != text_key(body):
                return {}
            tables = json.loads(body)
        except (OSError, ValueError):
            return {}
        if not isinstance(tables, dict):
            return {}
        return {name: rows for name, rows in tables.items() if isinstance(rows, dict)}

    def answer(self, table: str, key: str | None, compute: Callable[[], T]) -> T:
        """The kept answer for ``key`` in ``table``, else ``compute()`` (and keep it).

        ``compute`` must return what JSON keeps as it is (no tuples); a None key (a file
        that cannot be read) is never kept.
        """
        if key is None:
            return compute()
        used = self._used.setdefault(table, {})
        value = used.get(key, _MISSING)
        if value is _MISSING:
            value = self._kept.get(table, {}).get(key, _MISSING)
            if value is _MISSING:
                value = compute()
                self.computed += 1
            else:
                self.reused += 1
        used[key] = value
        return value

    def of_text(self, table: str, text: str, compute: Callable[[str], T]) -> T:
        return self.answer(table, text_key(text), lambda: compute(text))

    def of_file(self, table: str, path: Path, compute: Callable[[Path], T]) -> T:
        return self.answer(table, file_key(path), lambda: compute(path))

    def save(self) -> None:
        """Keep this build's answers for the next (best effort: a cache, not a record)."""
        if self.path is None or (self._used == self._kept and not self.computed):
            return
        body = json.dumps(self._used, ensure_ascii=False)
        head = json.dumps({"code": self.code, "check": text_key(body)})
        with contextlib.suppress(OSError):
            write_atomic(self.path, f"{head}\n{body}", durable=False)
