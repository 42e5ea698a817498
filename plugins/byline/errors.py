"""The one root of every error Byline shows a user, so a caller can catch them all.

Each feature keeps its own family (``SendError``, ``PageviewError``, ``PublishError``...)
for callers that care which part failed; all of them derive from ``BylineError``, and a
setting that cannot work is also a ``BylineSettingsError``. A traceback means a bug in
Byline; a ``BylineError`` means the site's files or settings need a change, and its
message says which and how.
"""

from __future__ import annotations


class BylineError(Exception):
    """Something the site's owner can fix; the message names the file or setting."""


class BylineSettingsError(BylineError, ValueError):
    """A BYLINE_* setting cannot be used: the message names it, its value and what is allowed."""
