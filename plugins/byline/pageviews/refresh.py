"""Refresh the snapshot: fetch from the configured source, then write it atomically.

All fetching and checking happens before the one atomic write, so any failure (network,
401, 429 after retries, a malformed answer, an unreadable file) raises ``PageviewError`` and
leaves the previous snapshot exactly as it was. A source that yields no views at all is a
failure too (``NoViewsError``): an empty log, a binary file or an API answering for the
wrong site would otherwise replace a month of views with nothing. ``allow_empty`` accepts a
window that truly had no visits, never one whose input could not be read.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from urllib.parse import urlsplit

from .config import PageviewConfig
from .errors import NoViewsError, PageviewConfigError, PageviewError
from .export import read_export
from .goatcounter import REQUESTS_PER_SECOND, fetch_goatcounter
from .http import HttpClient
from .logs import read_access_logs
from .paths import clean_path
from .plausible import fetch_plausible
from .snapshot import Snapshot, write_snapshot
from .umami import fetch_umami


@dataclass(frozen=True)
class Window:
    """The last ``days`` calendar days ending at ``end`` (in ``end``'s timezone)."""

    start: datetime
    end: datetime
    days: int

    @property
    def start_date(self) -> date:
        return self.start.date()

    @property
    def end_date(self) -> date:
        return self.end.date()


def window_ending(now: datetime, days: int) -> Window:
    """From local midnight ``days - 1`` days before ``now`` up to ``now``; naive means UTC."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    first = now.date() - timedelta(days=days - 1)
    return Window(datetime.combine(first, clock_time.min, tzinfo=now.tzinfo), now, days)


@dataclass(frozen=True)
class Fetched:
    """Raw views from a source, plus what to tell the user about how they were got.

    ``origin`` names what was read and ``check`` what to look at when it held no views;
    ``damaged`` says some of the input could not be read at all.
    """

    views: dict[str, int]
    details: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    requests: int = 0
    origin: str = ""
    check: str = ""
    damaged: bool = False


@dataclass(frozen=True)
class RefreshSummary:
    """What a refresh wrote; ``lines()`` is what `invoke pageviews` prints."""

    source: str
    snapshot_path: Path
    window_start: date
    window_end: date
    window_days: int
    paths: int
    total_views: int
    requests: int = 0
    details: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Human-readable summary lines, warnings last, each said once."""
        out = [
            f"pageviews: {self.total_views} views on {self.paths} paths from {self.source}, "
            f"{self.window_start} to {self.window_end} ({self.window_days} days)",
            f"wrote {self.snapshot_path}",
        ]
        out += self.details
        out += [f"warning: {text}" for text in self.warnings]
        return out


def _client(
    config: PageviewConfig, provider: str, sleep: Callable[[float], None], **kw
) -> HttpClient:
    return HttpClient(
        provider,
        timeout=config.timeout,
        sleep=sleep,
        max_attempts=config.max_attempts,
        key_env=config.api_key_env,
        **kw,
    )


def fetch_views(
    config: PageviewConfig, window: Window, sleep: Callable[[float], None] = time.sleep
) -> Fetched:
    """Raw {path: views} from the configured source for ``window``; raises ``PageviewError``."""
    source = config.source
    if source == "file":
        result = read_export(config.file)
        details = [f"read {result.rows} rows from {config.file}"]
        warnings = []
        if result.bad_rows:
            warnings.append(f"skipped {result.bad_rows} bad rows in {config.file}:")
            warnings += [f"  {problem}" for problem in result.problems]
        return Fetched(
            result.views,
            details,
            warnings,
            origin=f"the export {config.file} ({result.rows} rows)",
            check="check that it was exported for the right site and period "
            "(BYLINE_PAGEVIEWS_FILE names it)",
        )
    if source == "logs":
        if not config.logs:
            raise PageviewConfigError("BYLINE_PAGEVIEWS_LOGS in pelicanconf.py is not set")
        counted = read_access_logs(config.logs, window.start, window.end)
        stats = counted.stats
        return Fetched(
            counted.views,
            [stats.describe()],
            list(stats.problems),
            origin=f"the access logs {config.logs} ({stats.describe()})",
            check="; ".join(
                [
                    *stats.problems,
                    "check that BYLINE_PAGEVIEWS_LOGS matches the web server's current access "
                    "logs in the combined format (nginx or Apache)",
                ]
            ),
            damaged=bool(stats.problems),
        )
    if config.api_key is None:
        raise PageviewConfigError(
            f"the environment variable {config.api_key_env} is not set; put the {source} API "
            "key in it (never in pelicanconf.py)"
        )
    if not config.api_url:
        raise PageviewConfigError("BYLINE_PAGEVIEWS_API_URL in pelicanconf.py is not set")
    if source == "plausible":
        with _client(config, "Plausible", sleep) as client:
            views = fetch_plausible(
                client,
                base_url=config.api_url,
                site_id=config.site_id or "",
                api_key=config.api_key,
                start=window.start_date,
                end=window.end_date,
            )
        return _from_api(views, client, f"Plausible for site {config.site_id}")
    if source == "goatcounter":
        with _client(config, "GoatCounter", sleep, min_interval=1 / REQUESTS_PER_SECOND) as client:
            views = fetch_goatcounter(
                client,
                base_url=config.api_url,
                api_key=config.api_key,
                start=window.start_date,
                end=window.end_date,
            )
        return _from_api(views, client, f"GoatCounter at {_api_host(config)}")
    if source == "umami":
        with _client(config, "Umami", sleep) as client:
            views = fetch_umami(
                client,
                base_url=config.api_url,
                website_id=config.site_id or "",
                api_key=config.api_key,
                auth=config.umami_auth,
                start=window.start,
                end=window.end,
            )
        return _from_api(views, client, f"Umami for website {config.site_id}")
    raise PageviewConfigError(f"BYLINE_PAGEVIEWS_SOURCE {source!r} is not a known source")


def _api_host(config: PageviewConfig) -> str:
    """The API's host, for messages (never user:password@ or a path)."""
    return urlsplit(config.api_url or "").netloc.rsplit("@", 1)[-1]


def _from_api(views: dict[str, int], client: HttpClient, origin: str) -> Fetched:
    return Fetched(
        views,
        requests=client.requests_made,
        origin=f"{origin} (an answer with no pages)",
        check="check BYLINE_PAGEVIEWS_SITE_ID and BYLINE_PAGEVIEWS_API_URL, and that the "
        "site's pages carry the tracking script",
    )


def _nothing_found(fetched: Fetched, window: Window, allow_empty: bool) -> NoViewsError:
    """The one line that says which source held no views and what to look at."""
    text = (
        f"no pageviews found in {fetched.origin} for {window.start_date} to "
        f"{window.end_date}; {fetched.check}"
    )
    if fetched.damaged:
        if allow_empty:
            text += " (--allow-empty accepts a window with no visits, not unreadable input)"
    else:
        text += "; if the site truly had no visits, run `invoke pageviews --allow-empty`"
    return NoViewsError(text, damaged=fetched.damaged)


def _clean(views: Mapping[str, int]) -> dict[str, int]:
    """Drop query strings and fragments (they can hold personal data) and merge duplicates."""
    cleaned: dict[str, int] = {}
    for raw, count in views.items():
        key = clean_path(raw)
        if key and count > 0:
            cleaned[key] = cleaned.get(key, 0) + count
    return cleaned


def refresh(
    config: PageviewConfig,
    now: datetime,
    sleep: Callable[[float], None] = time.sleep,
    *,
    allow_empty: bool = False,
) -> RefreshSummary:
    """Fetch pageviews for the last ``config.window_days`` days ending ``now`` and write them.

    Raises ``PageviewError`` on any failure, with the snapshot file left untouched; a source
    with no views raises ``NoViewsError`` unless ``allow_empty`` (and its input was readable).
    Prints nothing: the caller shows ``summary.lines()`` once.
    """
    window = window_ending(now, config.window_days)
    fetched = fetch_views(config, window, sleep)
    views = _clean(fetched.views)
    warnings = list(fetched.warnings)
    if not views:
        if not allow_empty or fetched.damaged:
            raise _nothing_found(fetched, window, allow_empty)
        warnings.append(
            f"no pageviews found between {window.start_date} and {window.end_date}; "
            "wrote an empty snapshot (--allow-empty), so the Most read block shows the "
            "latest stories instead"
        )
    snapshot = Snapshot(
        source=config.source,
        window_start=window.start_date,
        window_end=window.end_date,
        window_days=window.days,
        fetched_at=window.end.replace(microsecond=0),
        views=views,
    )
    try:
        write_snapshot(config.snapshot, snapshot)
    except OSError as exc:
        raise PageviewError(
            f"cannot write pageview snapshot {config.snapshot} ({exc.__class__.__name__}: "
            f"{exc.strerror or exc}); check BYLINE_PAGEVIEWS_SNAPSHOT and folder permissions"
        ) from None
    return RefreshSummary(
        source=config.source,
        snapshot_path=Path(config.snapshot),
        window_start=window.start_date,
        window_end=window.end_date,
        window_days=window.days,
        paths=len(views),
        total_views=sum(views.values()),
        requests=fetched.requests,
        details=list(fetched.details),
        warnings=warnings,
    )
