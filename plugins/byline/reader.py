"""A Markdown reader that survives a malformed or missing date instead of dropping the post.

Pelican's own reader raises on ``Date: 2026-13-45`` and the post vanishes from the site,
and a post with no date at all is skipped. Byline warns, names the file and the fix, and
builds the post dated by the file's modification time.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime

from pelican.readers import MarkdownReader
from pelican.utils import get_date

logger = logging.getLogger(__name__)

_FIX = "write it as YYYY-MM-DD HH:MM (for example 2026-11-25 09:00)"


def _file_date(path: str) -> str:
    return datetime.fromtimestamp(os.stat(path).st_mtime).strftime("%Y-%m-%d %H:%M")


def _is_date(value: str) -> bool:
    """Whether Pelican will parse this date; ISO dates skip the slow general parser."""
    value = value.replace("_", " ").strip()
    try:
        datetime.fromisoformat(value)
        return True
    except ValueError:
        pass
    try:
        get_date(value)
        return True
    except ValueError:
        return False


class TolerantMarkdownReader(MarkdownReader):
    """MarkdownReader whose Date and Modified lines warn instead of failing."""

    def _is_page(self, path: str) -> bool:
        content = os.path.abspath(self.settings["PATH"])
        for folder in self.settings.get("PAGE_PATHS", ["pages"]):
            if os.path.abspath(path).startswith(os.path.join(content, folder) + os.sep):
                return True
        return False

    def _parse_metadata(self, meta: dict) -> dict:
        path = self._source_path
        for name in list(meta):
            if name.lower() not in ("date", "modified"):
                continue
            value = meta[name][0] if meta[name] else ""
            if not _is_date(value):
                if name.lower() == "date":
                    logger.warning(
                        "%s: Date '%s' is not a date Byline understands; %s. "
                        "Using the file's modification time for now.",
                        path,
                        value,
                        _FIX,
                    )
                    meta[name] = [_file_date(path)]
                else:
                    logger.warning(
                        "%s: Modified '%s' is not a date Byline understands; %s. "
                        "The line is ignored for now.",
                        path,
                        value,
                        _FIX,
                    )
                    del meta[name]
        if "date" not in {name.lower() for name in meta} and not self._is_page(path):
            logger.warning(
                "%s: no Date line; add `Date: ...` (%s). Using the file's modification "
                "time for now.",
                path,
                _FIX.removeprefix("write it as "),
            )
            meta["date"] = [_file_date(path)]
        return super()._parse_metadata(meta)


def install(readers) -> None:
    """Swap the tolerant reader in for every Markdown extension (``readers_init``)."""
    for extension, reader_class in list(readers.reader_classes.items()):
        if reader_class is MarkdownReader:
            readers.reader_classes[extension] = TolerantMarkdownReader
