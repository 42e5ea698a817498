"""When to try a failed request again: the one Retry-After reading and back-off rule.

Pageview providers and the newsletter senders both meet rate limits and passing outages;
they wait the same way, so a fix to how a header is read reaches both.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None.

    None when the header is absent or unreadable, so the caller falls back to its back-off;
    a date already past means "now" (0 s).
    """
    text = (value or "").strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_delay(base: float, attempt: int, asked: float | None = None) -> float:
    """Seconds before retry number ``attempt`` (1, 2, ...): what the server asked, else
    ``base`` doubled for each earlier attempt."""
    if asked is not None:
        return asked
    return base * 2 ** (attempt - 1)
