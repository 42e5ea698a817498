"""Pageviews for the "Most read" block, from a snapshot file that builds read offline.

`invoke pageviews` calls ``refresh`` to fetch views (an export file, access logs, Plausible,
GoatCounter or Umami) and write the snapshot atomically; a build loads the snapshot, matches
its paths to articles with ``match_views`` and ranks them with ``rank_most_read``.
No Pelican imports here: everything is plain data in, plain data out.
"""

from __future__ import annotations

from .config import PageviewConfig, config_from_settings
from .errors import (
    NoViewsError,
    PageviewConfigError,
    PageviewError,
    PageviewSourceError,
    SnapshotError,
)
from .export import ExportResult, read_export
from .logs import LogCount, LogStats, count_log_lines, read_access_logs
from .paths import MatchResult, canonical_path, clean_path, match_views
from .ranking import RankedArticle, is_excluded, rank_most_read
from .refresh import RefreshSummary, Window, fetch_views, refresh, window_ending
from .snapshot import (
    Snapshot,
    SnapshotStatus,
    load_snapshot,
    snapshot_status,
    write_snapshot,
)

__all__ = [
    "ExportResult",
    "LogCount",
    "LogStats",
    "MatchResult",
    "NoViewsError",
    "PageviewConfig",
    "PageviewConfigError",
    "PageviewError",
    "PageviewSourceError",
    "RankedArticle",
    "RefreshSummary",
    "Snapshot",
    "SnapshotError",
    "SnapshotStatus",
    "Window",
    "canonical_path",
    "clean_path",
    "config_from_settings",
    "count_log_lines",
    "fetch_views",
    "is_excluded",
    "load_snapshot",
    "match_views",
    "rank_most_read",
    "read_access_logs",
    "read_export",
    "refresh",
    "snapshot_status",
    "window_ending",
    "write_snapshot",
]
