"""A Markdown reader that survives bad dates and stray control characters.

Pelican's own reader raises on ``Date: 2026-13-45`` and the post vanishes from the site,
and a post with no date at all is skipped. Byline warns, names the file and the fix, and
builds the post dated by the file's modification time.

A Word soft return (U+000B) or a Unicode line separator pasted into a title reaches the
feed writer and the newsletter manifest, which cannot hold it, and the build stops with a
traceback. The reader cleans every metadata field and the body with the one rule in
``byline.textclean`` and says once per file and field what it removed.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime

from pelican.readers import MarkdownReader

from .post_checks import date_problem, missing_date_problem
from .textclean import clean_text, control_characters

logger = logging.getLogger(__name__)


def _file_date(path: str) -> str:
    return datetime.fromtimestamp(os.stat(path).st_mtime).strftime("%Y-%m-%d %H:%M")


class TolerantMarkdownReader(MarkdownReader):
    """MarkdownReader whose Date and Modified lines warn instead of failing."""

    def _is_page(self, path: str) -> bool:
        content = os.path.abspath(self.settings["PATH"])
        for folder in self.settings.get("PAGE_PATHS", ["pages"]):
            if os.path.abspath(path).startswith(os.path.join(content, folder) + os.sep):
                return True
        return False

    def _warn_cleaned(self, field: str, characters: list[str]) -> None:
        from .plugin import display_path

        logger.warning(
            "%s: %s held control character(s) %s, which feeds and emails cannot carry; "
            "they were removed (retype the text, or run `invoke lint --fix`).",
            display_path(self._source_path),
            field,
            ", ".join(characters),
        )

    def _clean_metadata(self, meta: dict) -> None:
        """Control characters out of every field; only formatted ones (Summary) keep lines."""
        formatted = {name.lower() for name in self.settings.get("FORMATTED_FIELDS", [])}
        for name, values in meta.items():
            found: dict[str, None] = {}
            for value in values:
                found.update(dict.fromkeys(control_characters(value)))
            if not found:
                continue
            one_line = name.lower() not in formatted
            meta[name] = [clean_text(value, single_line=one_line) for value in values]
            self._warn_cleaned(name.capitalize(), list(found))

    def read(self, source_path: str):
        """Pelican's read, with control characters out of the body's HTML too."""
        content, metadata = super().read(source_path)
        found = control_characters(content)
        if found:
            content = clean_text(content)
            self._warn_cleaned("the body", found)
        return content, metadata

    def _parse_metadata(self, meta: dict) -> dict:
        path = self._source_path
        self._clean_metadata(meta)
        for name in list(meta):
            if name.lower() not in ("date", "modified"):
                continue
            field = name.capitalize()
            problem = date_problem(field, meta[name][0] if meta[name] else "")
            if problem is None:
                continue
            if field == "Date":
                meanwhile = "For now the post is dated by its file's modification time."
                meta[name] = [_file_date(path)]
            else:
                meanwhile = "For now the line is ignored."
                del meta[name]
            logger.warning("%s", problem.for_build(path, meanwhile))
        if "date" not in {name.lower() for name in meta} and not self._is_page(path):
            logger.warning("%s", missing_date_problem().for_build(path))
            meta["date"] = [_file_date(path)]
        return super()._parse_metadata(meta)


def install(readers) -> None:
    """Swap the tolerant reader in for every Markdown extension (``readers_init``)."""
    for extension, reader_class in list(readers.reader_classes.items()):
        if reader_class is MarkdownReader:
            readers.reader_classes[extension] = TolerantMarkdownReader
