"""Count article pageviews from nginx/Apache "combined" access logs, fast and privately.

What counts as a view: a GET answered 2xx or 304, for a page (no file extension, or .html),
not a feed, from a user agent that does not look like a bot, inside the window, and not a
repeat of the same client (address + user agent) on the same article within 30 minutes of
its last counted view ("/x/", "/x", "/x/index.html" and "/x/?utm=..." are one article, as
``paths.canonical_path`` has it). Everything else is tallied in ``LogStats``; malformed lines
are counted as garbage and skipped, never fatal. A file that cannot be an access log (binary,
a ``.gz`` that is not gzip, not one readable line) is named in ``LogStats.problems``.

Privacy: client addresses are only ever hashed in memory (BLAKE2b keyed with a random salt
made per run) for the repeat check; they are never stored, logged or returned.

Speed: one compiled regex per line, a per-day cache for timestamps, cached answers for paths
and user agents, and repeat-check state that is evicted as log time moves on, so memory
stays flat however long the log is. Files are streamed, ``.gz`` included.
"""

from __future__ import annotations

import calendar
import glob
import gzip
import os
import re
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from hashlib import blake2b
from pathlib import Path
from typing import Any

from .errors import PageviewSourceError
from .paths import canonical_path

REPEAT_SECONDS = 30 * 60

# One combined-format line: addr ident user [time] "request" status bytes "referer" "agent".
# Quoted fields allow backslash escapes (Apache writes \" inside them), unrolled for speed.
LINE_RE = re.compile(
    r"(\S+) \S+ \S+ \[(\d\d/[A-Za-z]{3}/\d{4}):(\d\d):(\d\d):(\d\d) ([+-]\d{4})\] "
    r'"([A-Z]+) (\S+)[^"\\]*(?:\\.[^"\\]*)*" (\d{3}) (?:\d+|-) '
    r'"[^"\\]*(?:\\.[^"\\]*)*" "([^"\\]*(?:\\.[^"\\]*)*)"'
)

BOT_RE = re.compile(
    "|".join(
        [
            "bot",
            "crawl",
            "spider",
            "slurp",
            "curl",
            "wget",
            "python-requests",
            "python-urllib",
            "python/",
            "aiohttp",
            "httpx",
            "go-http-client",
            "java/",
            "okhttp",
            "apache-httpclient",
            "libwww",
            "lwp-",
            "node-fetch",
            "axios",
            "undici",
            "headless",
            "phantomjs",
            "selenium",
            "puppeteer",
            "playwright",
            "lighthouse",
            "pagespeed",
            "gtmetrix",
            "pingdom",
            "uptime",
            "monitor",
            "statuscake",
            "facebookexternalhit",
            "facebookcatalog",
            "meta-externalagent",
            "whatsapp",
            "telegram",
            "slack",
            "discord",
            "embedly",
            "preview",
            "feedfetcher",
            "feedly",
            "newsblur",
            "inoreader",
            "scrapy",
            "httrack",
            "archiver",
            "ia_archiver",
            "validator",
            "scanner",
            "nmap",
            "masscan",
            "zgrab",
            "nikto",
            "sqlmap",
            "ahrefs",
            "semrush",
            "mj12",
            "dataprovider",
            "petalsearch",
            "yandex",
            "baidu",
            "bytespider",
            "gptbot",
            "chatgpt",
            "claude",
            "anthropic",
            "perplexity",
            "ccbot",
            "diffbot",
            "postman",
            "insomnia",
        ]
    )
)

ASSET_DIRS = ("/feeds/", "/feed/", "/.well-known/")
PAGE_EXTENSIONS = frozenset({"html", "htm"})
MONTHS = {
    name: number
    for number, name in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
        start=1,
    )
}
_CACHE_LIMIT = 50_000  # distinct paths or user agents remembered before starting afresh
_DAY_CACHE_LIMIT = 4096  # distinct day-and-zone pairs: years of logs in any zones
_SNIFF_BYTES = 8192


def is_bot(user_agent: str) -> bool:
    """True for empty agents and anything that names itself a bot, crawler, tool or preview."""
    agent = user_agent.strip().lower()
    return not agent or agent == "-" or BOT_RE.search(agent) is not None


def page_path(target: str) -> str | None:
    """The path of a request target if it is an article-like page, else None.

    Drops the query string; refuses assets (any extension but .html/.htm) and feeds.
    """
    path = target.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/"):
        lowered = path[:8].lower()
        if not lowered.startswith(("http://", "https://")):
            return None
        slash = path.find("/", path.find("//") + 2)
        path = path[slash:] if slash != -1 else "/"
    last = path[path.rfind("/") + 1 :]
    dot = last.rfind(".")
    if dot != -1 and last[dot + 1 :].lower() not in PAGE_EXTENSIONS:
        return None
    lowered = path.lower()
    for folder in ASSET_DIRS:
        if lowered.startswith(folder) or lowered.endswith(folder):
            return None
    return path


def _looks_binary(start: str) -> bool:
    """NUL bytes and not one log line in the first few KB: an image, an archive, a database.

    A real log with a stray binary line still has good lines near it, and is read.
    """
    if "\x00" not in start:
        return False
    return not any(LINE_RE.match(text) for text in start.splitlines())


def _page(target: str) -> tuple[str, str] | None:
    """(page path, its article key for the repeat check), or None for assets and feeds."""
    path = page_path(target)
    if path is None:
        return None
    return path, canonical_path(path) or path


class _Memo(dict):
    """A per-run cache of ``compute``'s answers, emptied when full so memory stays flat.

    A dict whose ``__missing__`` computes: a hit is one plain lookup, which is what keeps
    the counter fast on a million lines that name a few hundred pages and agents.
    """

    def __init__(self, compute: Callable[[str], Any], limit: int = _CACHE_LIMIT) -> None:
        super().__init__()
        self.compute = compute
        self.limit = limit

    def __missing__(self, key: str) -> Any:
        value = self.compute(key)
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


@dataclass
class LogStats:
    """What happened to every line read; no addresses, no raw lines."""

    files: int = 0
    lines: int = 0
    garbage: int = 0
    outside_window: int = 0
    not_get: int = 0
    not_ok: int = 0
    not_page: int = 0
    bots: int = 0
    repeats: int = 0
    counted: int = 0
    problems: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One line for `invoke pageviews` output."""
        return (
            f"{self.lines} lines in {self.files} files: {self.counted} views counted, "
            f"{self.repeats} repeats, {self.bots} bots, {self.not_page} assets/feeds, "
            f"{self.not_ok} not 2xx/304, {self.not_get} not GET, "
            f"{self.outside_window} outside the window, {self.garbage} unreadable lines"
        )


@dataclass
class LogCount:
    """Views per page path (query strings dropped) and the line tallies."""

    views: dict[str, int]
    stats: LogStats


def _day_start(day: str, zone: str) -> int | None:
    """Epoch seconds of local midnight of "10/Oct/2000" in zone "-0700", or None."""
    try:
        month = MONTHS[day[3:6].title()]
        year, mday = int(day[7:11]), int(day[0:2])
        datetime(year, month, mday)  # validates the day of the month
        offset = (int(zone[1:3]) * 3600 + int(zone[3:5]) * 60) * (-1 if zone[0] == "-" else 1)
        return calendar.timegm((year, month, mday, 0, 0, 0)) - offset
    except (KeyError, ValueError):
        return None


def _epoch(moment: datetime) -> float:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


class AccessLogCounter:
    """Feed it lines (from any number of files, oldest first); read ``views`` and ``stats``."""

    def __init__(
        self,
        start: datetime,
        end: datetime,
        *,
        repeat_seconds: int = REPEAT_SECONDS,
        salt: bytes | None = None,
    ) -> None:
        self.start = _epoch(start)
        self.end = _epoch(end)
        self.repeat_seconds = repeat_seconds
        self._salt = salt if salt is not None else os.urandom(32)
        self.views: dict[str, int] = {}
        self.stats = LogStats()
        # Keyed "10/Oct/2000-0700" (a day and its zone), a request target, a user agent.
        self._days = _Memo(lambda key: _day_start(key[:11], key[11:]), limit=_DAY_CACHE_LIMIT)
        self._paths = _Memo(_page)
        self._agents = _Memo(is_bot)
        self._last: dict[tuple[bytes, str], int] = {}
        self._queue: deque[tuple[int, tuple[bytes, str]]] = deque()
        self._clock = 0

    def feed(self, lines: Iterable[str]) -> None:
        """Count views in ``lines``; never raises on malformed input.

        ``_page_views`` keeps the lines that are a person reading a page inside the
        window; this loop drops repeats and counts the rest. Both keep their state in
        locals for speed and write it back even if reading the file fails.
        """
        views = self.views
        last, queue = self._last, self._queue
        salt, repeat = self._salt, self.repeat_seconds
        clock = self._clock
        repeats = counted = 0
        try:
            for moment, addr, agent, path, article in self._page_views(lines):
                # Forget views older than the repeat window as log time advances.
                if moment > clock:
                    clock = moment
                    horizon = clock - repeat
                    while queue and queue[0][0] <= horizon:
                        old_time, old_key = queue.popleft()
                        if last.get(old_key) == old_time:
                            del last[old_key]
                client = blake2b(f"{addr}\x00{agent}".encode(), key=salt, digest_size=12).digest()
                key = (client, article)
                previous = last.get(key)
                if previous is not None and -repeat < moment - previous < repeat:
                    repeats += 1
                    continue
                last[key] = moment
                queue.append((moment, key))
                views[path] = views.get(path, 0) + 1
                counted += 1
        finally:
            self._clock = clock
            self.stats.repeats += repeats
            self.stats.counted += counted

    def _page_views(self, lines: Iterable[str]) -> Iterator[tuple[int, str, str, str, str]]:
        """(moment, address, agent, path, article) of each line that is a person reading a
        page inside the window; every other line is tallied by why it was dropped."""
        match = LINE_RE.match
        days, paths, agents = self._days, self._paths, self._agents
        start, end = self.start, self.end
        n_lines = garbage = outside = not_get = not_ok = not_page = bots = 0
        try:
            for line in lines:
                n_lines += 1
                found = match(line)
                if found is None:
                    garbage += 1
                    continue
                addr, day, hh, mm, ss, zone, method, target, status, agent = found.groups()
                base = days[day + zone]
                hour, minute, second = int(hh), int(mm), int(ss)
                if base is None or hour > 23 or minute > 59 or second > 60:
                    garbage += 1
                    continue
                moment = base + hour * 3600 + minute * 60 + second
                if moment < start or moment > end:
                    outside += 1
                elif method != "GET":
                    not_get += 1
                elif status[0] != "2" and status != "304":
                    not_ok += 1
                elif (page := paths[target]) is None:
                    not_page += 1
                elif agents[agent]:
                    bots += 1
                else:
                    yield moment, addr, agent, page[0], page[1]
        finally:
            stats = self.stats
            stats.lines += n_lines
            stats.garbage += garbage
            stats.outside_window += outside
            stats.not_get += not_get
            stats.not_ok += not_ok
            stats.not_page += not_page
            stats.bots += bots

    def feed_file(self, path: Path | str) -> None:
        """Stream one plain or ``.gz`` log file; a truncated .gz is counted up to the damage.

        A binary file, a ``.gz`` that is not gzip and a file with no readable line are
        reported in ``stats.problems`` (and count nothing) rather than read as noise.
        """
        path = Path(path)
        stats = self.stats
        stats.files += 1
        lines_before, garbage_before = stats.lines, stats.garbage
        try:
            if path.suffix == ".gz":
                handle = gzip.open(path, "rt", encoding="utf-8", errors="replace")  # noqa: SIM115
            else:
                handle = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115
            with handle:
                if _looks_binary(handle.read(_SNIFF_BYTES)):
                    stats.problems.append(
                        f"{path} is a binary file, not a text access log; nothing in it counted"
                    )
                    return
                handle.seek(0)
                self.feed(handle)
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            if stats.lines == lines_before:
                stats.problems.append(
                    f"{path} is named .gz but is not a readable gzip file "
                    f"({exc.__class__.__name__}); nothing in it counted"
                )
            else:
                stats.problems.append(
                    f"{path}: damaged or truncated gzip ({exc.__class__.__name__}); "
                    "lines before the damage were counted"
                )
            return
        except OSError as exc:
            raise PageviewSourceError(
                f"cannot read access log {path} ({exc.__class__.__name__}: {exc.strerror or exc}); "
                "check BYLINE_PAGEVIEWS_LOGS and that `invoke pageviews` may read the logs"
            ) from None
        read = stats.lines - lines_before
        if read and stats.garbage - garbage_before == read:
            stats.problems.append(
                f"{path}: none of its {read} lines is an access-log line in the combined "
                "format; nothing in it counted"
            )

    def result(self) -> LogCount:
        """Views per path and the tallies so far."""
        return LogCount(dict(self.views), self.stats)

    def forget_clients(self) -> None:
        """Drop the repeat-check state (hashed clients) once counting is done."""
        self._last.clear()
        self._queue.clear()
        self._salt = b""


def count_log_lines(
    lines: Iterable[str], start: datetime, end: datetime, **options: object
) -> LogCount:
    """Count views in already-read lines (one log's worth, oldest first)."""
    counter = AccessLogCounter(start, end, **options)  # type: ignore[arg-type]
    counter.feed(lines)
    counter.forget_clients()
    return counter.result()


_NUMBERED = re.compile(r"\.(\d{1,6})(?:\.gz)?$")


def _oldest_first(path: Path) -> tuple[int, int, str]:
    """Sort rotated logs oldest first: access.log.9.gz … access.log.1, then access.log."""
    name = path.name
    numbered = _NUMBERED.search(name)
    if numbered:
        return (0, -int(numbered.group(1)), name)
    if re.search(r"[-.]\d{8,10}(?:\.gz)?$", name):  # logrotate's dateext: sorts by name
        return (1, 0, name)
    return (2, 0, name)


def log_files(pattern: str | Sequence[str]) -> list[Path]:
    """Files matching a glob (or several), oldest rotation first; directories skipped."""
    patterns = [pattern] if isinstance(pattern, str) else list(pattern)
    found: set[Path] = set()
    for item in patterns:
        for name in glob.glob(os.path.expanduser(item)):
            candidate = Path(name)
            if candidate.is_file():
                found.add(candidate)
    return sorted(found, key=_oldest_first)


def read_access_logs(
    pattern: str | Sequence[str], start: datetime, end: datetime, **options: object
) -> LogCount:
    """Count views in every log file matching ``pattern`` (plain or .gz), in the window."""
    files = log_files(pattern)
    if not files:
        raise PageviewSourceError(
            f"no access log files match {pattern!r}; set BYLINE_PAGEVIEWS_LOGS in "
            "pelicanconf.py to a glob like '/var/log/nginx/access.log*'"
        )
    counter = AccessLogCounter(start, end, **options)  # type: ignore[arg-type]
    for path in files:
        counter.feed_file(path)
    counter.forget_clients()
    return counter.result()
