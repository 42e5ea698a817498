"""The pageview snapshot: the only file a build reads, so builds never touch the network.

Format (version 1)::

    {"version": 1, "source": "plausible",
     "window": {"start": "2026-05-02", "end": "2026-05-31", "days": 30},
     "fetched_at": "2026-05-31T06:00:00+00:00",
     "views": {"/cash-flow-is-a-calendar/": 964, ...}}

Writes are atomic (temp file in the same folder, fsync, ``os.replace``) so a crash or a
failed refresh never leaves a half-written or missing snapshot behind.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from ..durable import write_atomic
from .errors import SnapshotError

SNAPSHOT_VERSION = 1


@dataclass(frozen=True)
class Snapshot:
    """Pageviews per path over a window of days, and when and where they came from."""

    source: str
    window_start: date
    window_end: date
    window_days: int
    fetched_at: datetime
    views: dict[str, int] = field(default_factory=dict)
    version: int = SNAPSHOT_VERSION

    @property
    def total_views(self) -> int:
        """All views in the snapshot, matched to an article or not."""
        return sum(self.views.values())

    def to_json(self) -> dict:
        """The JSON-ready dict; views sorted by count (then path) so diffs read well."""
        ordered = sorted(self.views.items(), key=lambda item: (-item[1], item[0]))
        return {
            "version": self.version,
            "source": self.source,
            "window": {
                "start": self.window_start.isoformat(),
                "end": self.window_end.isoformat(),
                "days": self.window_days,
            },
            "fetched_at": self.fetched_at.isoformat(),
            "views": dict(ordered),
        }


def _fail(path: Path | str, problem: str) -> SnapshotError:
    return SnapshotError(
        f"pageview snapshot {path}: {problem}. Run `invoke pageviews` to write a fresh one."
    )


def snapshot_from_json(data: object, path: Path | str = "<snapshot>") -> Snapshot:
    """Check and convert parsed JSON into a ``Snapshot``; errors name ``path`` and the field."""
    if not isinstance(data, Mapping):
        raise _fail(path, f"expected a JSON object at the top, found {type(data).__name__}")
    version = _version(data, path)
    source = data.get("source")
    if not isinstance(source, str) or not source:
        raise _fail(path, '"source" must be a non-empty string')
    start, end, days = _window(data.get("window"), path)
    return Snapshot(
        source=source,
        window_start=start,
        window_end=end,
        window_days=days,
        fetched_at=_fetched_at(data.get("fetched_at"), path),
        views=_views(data.get("views"), path),
        version=version,
    )


def _whole(value: object, minimum: int) -> bool:
    """A JSON whole number of at least ``minimum`` (true and false are not numbers here)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def _version(data: Mapping, path: Path | str) -> int:
    version = data.get("version", SNAPSHOT_VERSION)
    if not _whole(version, 1):
        raise _fail(path, f'"version" must be a positive whole number, found {version!r}')
    if version > SNAPSHOT_VERSION:
        raise _fail(
            path,
            f"written by a newer Byline (format version {version}); this one reads "
            f"version {SNAPSHOT_VERSION} — update Byline",
        )
    return version


def _window(window: object, path: Path | str) -> tuple[date, date, int]:
    """(start, end, days) of the "window" object."""
    if not isinstance(window, Mapping):
        raise _fail(path, '"window" must be an object with "start", "end" and "days"')
    try:
        start = date.fromisoformat(str(window.get("start")))
        end = date.fromisoformat(str(window.get("end")))
    except ValueError:
        raise _fail(
            path,
            f'"window" "start" and "end" must be ISO dates (YYYY-MM-DD), found '
            f"{window.get('start')!r} and {window.get('end')!r}",
        ) from None
    days = window.get("days")
    if not _whole(days, 1):
        raise _fail(path, f'"window" "days" must be a positive whole number, found {days!r}')
    if end < start:
        raise _fail(path, f'"window" ends ({end}) before it starts ({start})')
    return start, end, days


def _fetched_at(raw: object, path: Path | str) -> datetime:
    try:
        fetched_at = datetime.fromisoformat(str(raw))
    except ValueError:
        raise _fail(path, f'"fetched_at" must be an ISO date and time, found {raw!r}') from None
    if fetched_at.tzinfo is None:
        raise _fail(path, f'"fetched_at" needs a timezone (like +00:00), found {raw!r}')
    return fetched_at


def _views(raw: object, path: Path | str) -> dict[str, int]:
    if not isinstance(raw, Mapping):
        raise _fail(path, '"views" must be an object of {"/path/": count}')
    views: dict[str, int] = {}
    for key, count in raw.items():
        if not _whole(count, 0):
            raise _fail(path, f'"views" for {key!r} must be a whole number >= 0, found {count!r}')
        views[str(key)] = count
    return views


def load_snapshot(path: Path | str) -> Snapshot:
    """Read and check a snapshot file; ``SnapshotError`` names the file and the problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _fail(path, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(path, f"cannot be read ({exc.__class__.__name__}: {exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(
            path, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    return snapshot_from_json(data, path)


def write_snapshot(path: Path | str, snapshot: Snapshot) -> Path:
    """Write ``snapshot`` atomically: a reader sees the old file or the new one, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(snapshot.to_json(), indent=2, ensure_ascii=False) + "\n"
    write_atomic(path, text)
    return path


@dataclass(frozen=True)
class SnapshotStatus:
    """How usable a snapshot is: ``state`` is missing, invalid, empty, stale or fresh."""

    state: str
    message: str
    age_days: float | None = None
    snapshot: Snapshot | None = None

    @property
    def usable(self) -> bool:
        """True when there are views to rank (a stale snapshot still has them)."""
        return self.state in ("fresh", "stale")


def snapshot_status(path: Path | str, now: datetime, max_age_days: float) -> SnapshotStatus:
    """Tell whether the snapshot at ``path`` is missing, invalid, empty, stale or fresh.

    Age is ``now - fetched_at``; a naive ``now`` is taken as UTC. Never raises for a bad
    file: the build decides whether to warn or fail.
    """
    path = Path(path)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    if not path.exists():
        return SnapshotStatus(
            "missing", f"no pageview snapshot at {path}; run `invoke pageviews` to create it"
        )
    try:
        snapshot = load_snapshot(path)
    except SnapshotError as exc:
        return SnapshotStatus("invalid", str(exc))
    age = (now - snapshot.fetched_at).total_seconds() / 86400
    if not snapshot.views or snapshot.total_views == 0:
        return SnapshotStatus(
            "empty",
            f"pageview snapshot {path} has no views (source {snapshot.source}, "
            f"{snapshot.window_start} to {snapshot.window_end})",
            age,
            snapshot,
        )
    if age > max_age_days:
        return SnapshotStatus(
            "stale",
            f"pageview snapshot {path} is {age:.1f} days old (more than {max_age_days:g}); "
            "run `invoke pageviews` to refresh it",
            age,
            snapshot,
        )
    return SnapshotStatus("fresh", f"pageview snapshot {path} is {age:.1f} days old", age, snapshot)
