"""Readers that survive bad dates and stray control characters.

Pelican's own reader raises on ``Date: 2026-13-45`` and the post vanishes from the site,
and a post with no date at all is skipped. Byline's Markdown reader warns, names the file
and the fix, and builds the post dated by the file's modification time.

A Word soft return (U+000B) or a Unicode line separator pasted into a title reaches the
feed writer and the newsletter manifest, which cannot hold it, and the build stops with a
traceback. Every reader Pelican uses (Markdown, HTML, and reStructuredText where docutils
is installed) cleans every metadata field and the body with the one rule in
``byline.textclean`` and says once per file and field what it removed.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime

from pelican.readers import MarkdownReader

from .post_checks import date_problem, missing_date_problem
from .textclean import clean_text, control_characters, has_control_characters

logger = logging.getLogger(__name__)


def _file_date(path: str) -> str:
    return datetime.fromtimestamp(os.stat(path).st_mtime).strftime("%Y-%m-%d %H:%M")


class CleansControlCharacters:
    """Mixed into a Pelican reader class: control characters out of the body and of every
    metadata value, with one warning per file and field."""

    _source_path: str = ""
    fix_hint = "retype the text in the file"  # lint reads Markdown only

    def _warn_cleaned(self, field: str, characters: list[str]) -> None:
        from .plugin import display_path

        logger.warning(
            "%s: %s held control character(s) %s, which feeds and emails cannot carry; "
            "they were removed (%s).",
            display_path(self._source_path),
            field,
            ", ".join(characters),
            self.fix_hint,
        )

    def _one_line(self, name: str) -> bool:
        """Whether a field is plain one-line text (formatted ones, like Summary, keep lines)."""
        formatted = {field.lower() for field in self.settings.get("FORMATTED_FIELDS", [])}
        return name.lower() not in formatted

    def process_metadata(self, name: str, value):
        """Every reader hands each raw metadata value through here before Pelican turns it
        into a date, a tag or an author."""
        if isinstance(value, str):
            found = control_characters(value)
            if found:
                value = clean_text(value, single_line=self._one_line(name))
                self._warn_cleaned(name.capitalize(), found)
        return super().process_metadata(name, value)

    def read(self, source_path: str):
        """Pelican's read, with control characters out of the body's HTML too."""
        self._source_path = source_path
        content, metadata = super().read(source_path)
        found = control_characters(content or "")
        if found:
            content = clean_text(content)
            self._warn_cleaned("the body", found)
        return content, metadata


class TolerantMarkdownReader(CleansControlCharacters, MarkdownReader):
    """MarkdownReader whose Date and Modified lines warn instead of failing."""

    fix_hint = "retype the text, or run `invoke lint --fix`"

    def _is_page(self, path: str) -> bool:
        content = os.path.abspath(self.settings["PATH"])
        for folder in self.settings.get("PAGE_PATHS", ["pages"]):
            if os.path.abspath(path).startswith(os.path.join(content, folder) + os.sep):
                return True
        return False

    def _clean_metadata(self, meta: dict) -> None:
        """Control characters out of every field before the dates are checked, all the
        lines of a field together (Markdown hands over lists), one warning per field."""
        if not has_control_characters("".join(v for values in meta.values() for v in values)):
            return  # the usual post: one scan of all its fields, not one per line
        for name, values in meta.items():
            found: dict[str, None] = {}
            for value in values:
                found.update(dict.fromkeys(control_characters(value)))
            if not found:
                continue
            one_line = self._one_line(name)
            meta[name] = [clean_text(value, single_line=one_line) for value in values]
            self._warn_cleaned(name.capitalize(), list(found))

    def process_metadata(self, name: str, value):
        # `_clean_metadata` cleaned every line already, before the dates were checked
        return MarkdownReader.process_metadata(self, name, value)

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


_CLEANING: dict[type, type] = {MarkdownReader: TolerantMarkdownReader}


def cleaning(reader_class: type) -> type:
    """The reader class with control characters cleaned (one subclass per class)."""
    if issubclass(reader_class, CleansControlCharacters):
        return reader_class
    if reader_class not in _CLEANING:
        name = f"Clean{reader_class.__name__}"
        _CLEANING[reader_class] = type(name, (CleansControlCharacters, reader_class), {})
    return _CLEANING[reader_class]


def install(readers) -> None:
    """Every reader cleans control characters, and Markdown's also tolerates bad dates
    (``readers_init``). An extension a setting turned off (``READERS``) stays off."""
    for extension, reader_class in list(readers.reader_classes.items()):
        if reader_class is not None:
            readers.reader_classes[extension] = cleaning(reader_class)
