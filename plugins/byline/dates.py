"""Dates: the one reading of a post's Date and Modified lines (shared by the build and the
linter), and the one way records write a time (``utc_stamp``).

The build's reader and ``invoke lint`` must agree on which dates are readable, or lint
passes a post the build then dates by its file time (or the other way round). Both call
:func:`parse_date`, which reads dates as Pelican does (``_`` as a space, ISO first, then
dateutil's general parser) without importing Pelican.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from dateutil import parser as _dateutil_parser

#: How to fix an unreadable Date or Modified line: the build's warning and lint's E213 say it
#: the same way.
DATE_FIX = "write it as YYYY-MM-DD HH:MM (for example 2026-11-25 09:00)"


def parse_date(value: str) -> datetime | None:
    """A Date or Modified value as Pelican reads it, or None when Pelican could not."""
    value = re.sub(" +", " ", value.replace("_", " ").strip())
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    default = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
    try:
        return _dateutil_parser.parse(value, default=default)
    except (ValueError, OverflowError, TypeError):
        return None


def utc_stamp(moment: datetime | None = None, timespec: str = "seconds") -> str:
    """``moment`` (default: now) as ISO 8601 text in UTC: the one form every record Byline
    writes (ledger lines, send records, the readers' database) keeps its times in."""
    return (moment or datetime.now(UTC)).astimezone(UTC).isoformat(timespec=timespec)
