"""The exception types the pageview package raises, so callers catch one family."""

from __future__ import annotations

from ..errors import BylineError, BylineSettingsError


class PageviewError(BylineError):
    """Base class: anything that stops a pageview refresh or a snapshot read."""


class PageviewConfigError(PageviewError, BylineSettingsError):
    """A setting or environment variable is missing or wrong; the message says where."""


class SnapshotError(PageviewError):
    """A snapshot file cannot be read or is not in the expected shape."""


class PageviewSourceError(PageviewError):
    """A source (export file, logs or an analytics API) failed; says what and how to fix it.

    ``status`` is the HTTP status when there was one, so callers can react (Umami's 400).
    Messages never contain API keys or client addresses.
    """

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class NoViewsError(PageviewSourceError):
    """A source answered but held no views: never written over a good snapshot by default.

    ``damaged`` is True when part of the input could not be read (a binary file, a ``.gz``
    that is not gzip): ``--allow-empty`` accepts only a truly empty window, never that.
    """

    def __init__(self, message: str, *, damaged: bool = False) -> None:
        super().__init__(message)
        self.damaged = damaged
