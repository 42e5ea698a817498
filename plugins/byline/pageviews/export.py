"""Read a pageview export the user drops in: CSV or JSON in the common shapes.

CSV: a header row with a path column (path, page, url, name, ...) and a count column (pageviews,
views, count, visitors, ...), names case-insensitive. JSON: {"/path/": n}, a list of
{"path"|"page"|"url": ..., "views"|"pageviews"|"count": n}, or an object holding such a list
(or a Byline snapshot's "views"). Bad rows are skipped and reported with their line number;
a file whose rows are all bad is an error. A header (or ``[]``) with no rows at all comes
back empty: the refresh decides whether an empty window is acceptable.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .errors import PageviewSourceError
from .paths import clean_path

PATH_COLUMNS = (
    "path",
    "page",
    "url",
    "pathname",
    "page path",
    "page_path",
    "pagepath",
    "page url",
    "page_url",
    "event:page",
    "name",  # Plausible's pages.csv export
    "x",
)
COUNT_COLUMNS = (
    "pageviews",
    "page views",
    "page_views",
    "views",
    "count",
    "hits",
    "visitors",
    "unique visitors",
    "y",
)
MAX_REPORTED = 20


@dataclass
class ExportResult:
    """Views by (cleaned) path, and the rows that were skipped, with line numbers."""

    views: dict[str, int] = field(default_factory=dict)
    rows: int = 0
    problems: list[str] = field(default_factory=list)
    bad_rows: int = 0

    def add(self, path: str, count: int) -> None:
        key = clean_path(path)
        self.views[key] = self.views.get(key, 0) + count
        self.rows += 1

    def bad(self, where: str, problem: str) -> None:
        self.bad_rows += 1
        if len(self.problems) < MAX_REPORTED:
            self.problems.append(f"{where}: {problem}")

    def take(self, where: str, page: object, raw_count: object) -> None:
        """Count one row, or list it as skipped: every export format checks a row the same way."""
        if not _looks_like_path(page):
            self.bad(where, f"{page!r} is not a page path or URL")
            return
        try:
            count = _parse_count(raw_count)
        except ValueError:
            self.bad(where, f"count {raw_count!r} is not a whole number >= 0")
            return
        self.add(str(page), count)


def _parse_count(value: object) -> int:
    """A whole number >= 0 from 1234, "1,234", "1 234", "1234.0"; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        number = int(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "").replace(" ", "")
        text = text.replace("\u00a0", "").replace("\u202f", "")
        if not text:
            raise ValueError
        try:
            number = int(text)
        except ValueError:
            as_float = float(text)
            if not as_float.is_integer():
                raise ValueError from None
            number = int(as_float)
    else:
        raise ValueError
    if number < 0:
        raise ValueError
    return number


def _looks_like_path(value: object) -> bool:
    if not isinstance(value, str):
        return False
    text = value.strip()
    if text.lower().startswith(("http://", "https://")):
        try:  # "http://[shop/" (a broken IPv6 host) would stop clean_path with a traceback
            urlsplit(text)
        except ValueError:
            return False
        return True
    return text.startswith("/")


def _pick(names: list[str], wanted: tuple[str, ...]) -> int | None:
    lowered = [name.strip().lower() for name in names]
    for candidate in wanted:
        if candidate in lowered:
            return lowered.index(candidate)
    return None


def read_export(path: Path | str) -> ExportResult:
    """Read a CSV or JSON export into views per path; see the module doc for the shapes."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PageviewSourceError(
            f"pageview export {path} not found; export page views from your analytics as "
            "CSV or JSON to that path, or set BYLINE_PAGEVIEWS_FILE in pelicanconf.py"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PageviewSourceError(
            f"pageview export {path} cannot be read ({exc.__class__.__name__}); "
            "save it as UTF-8 CSV or JSON"
        ) from None
    stripped = text.lstrip()
    if path.suffix.lower() == ".json" or stripped.startswith(("{", "[")):
        result = _read_json(path, text)
    else:
        result = _read_csv(path, text)
    if result.rows == 0 and result.bad_rows:
        detail = "; ".join(result.problems[:5])
        raise PageviewSourceError(f"pageview export {path} has no usable rows ({detail})")
    return result


def _read_csv(path: Path, text: str) -> ExportResult:
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)  # Excel in some locales uses ;
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    result = ExportResult()
    header: list[str] | None = None
    path_at = count_at = None
    for row in reader:
        if not row or all(not cell.strip() for cell in row):
            continue
        if header is None:
            header = row
            path_at = _pick(row, PATH_COLUMNS)
            count_at = _pick(row, COUNT_COLUMNS)
            if path_at is None or count_at is None:
                raise PageviewSourceError(
                    f"pageview export {path}: the header row {row!r} needs a path column "
                    f"({', '.join(PATH_COLUMNS[:3])}) and a count column "
                    f"({', '.join(COUNT_COLUMNS[:4])})"
                )
            continue
        where = f"{path} line {reader.line_num}"
        if len(row) <= max(path_at, count_at):
            result.bad(where, f"expected {len(header)} columns, found {len(row)}")
            continue
        result.take(where, row[path_at], row[count_at])
    if header is None:
        raise PageviewSourceError(f"pageview export {path} is empty")
    return result


def _read_json(path: Path, text: str) -> ExportResult:
    data = _unwrap(_load_json(path, text))
    if isinstance(data, Mapping):
        return _read_json_mapping(path, data)
    if not isinstance(data, list):
        raise PageviewSourceError(
            f'pageview export {path}: expected {{"/path/": views}} or a list of '
            f'{{"path": ..., "views": ...}}, found {type(data).__name__}'
        )
    return _read_json_list(path, data)


def _load_json(path: Path, text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PageviewSourceError(
            f"pageview export {path} is not valid JSON (line {exc.lineno}, column "
            f"{exc.colno}: {exc.msg})"
        ) from None


def _unwrap(data: object) -> object:
    """The list or mapping inside an API response or a Byline snapshot, else ``data``."""
    if isinstance(data, Mapping):
        inner = next(
            (data[key] for key in ("views", "results", "data", "pages") if key in data), None
        )
        if inner is not None:
            return inner
    return data


def _read_json_mapping(path: Path, data: Mapping) -> ExportResult:
    """{"/path/": views}: each key a page, each value its count."""
    result = ExportResult()
    for key, value in data.items():
        result.take(f"{path} key {key!r}", key, value)
    return result


def _read_json_list(path: Path, data: list) -> ExportResult:
    """[{"path": ..., "views": ...}]: each item a row, its keys named like CSV columns."""
    result = ExportResult()
    for number, item in enumerate(data, start=1):
        where = f"{path} item {number}"
        if not isinstance(item, Mapping):
            result.bad(where, f"expected an object, found {type(item).__name__}")
            continue
        names = list(item.keys())
        path_at = _pick(names, PATH_COLUMNS)
        count_at = _pick(names, COUNT_COLUMNS)
        if path_at is None or count_at is None:
            result.bad(where, "needs a path (path/page/url) and a count (views/pageviews/count)")
            continue
        result.take(where, item[names[path_at]], item[names[count_at]])
    return result
