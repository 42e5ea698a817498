"""The linter's settings and the per-post switches, read from plain dicts.

Site-wide: ``BYLINE_LINT_*`` keys in pelicanconf.py. Per post: ``Lint: off`` turns every
check off for that file; ``Lint_disable: W201, E101`` turns off the codes named. A code may
be a prefix ("E1" is every E1xx check) so a site can silence a whole family.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import BylineSettingsError
from ..settings import LintSettings, default, read_section, split_words, value
from .codes import CODES

_OFF = frozenset({"off", "false", "no", "0", "disable", "disabled", "none"})


class LintConfigError(BylineSettingsError):
    """A BYLINE_LINT_* setting cannot be used; the message names the setting and the fix."""


def is_known(code: str) -> bool:
    """Whether a code or prefix names at least one check."""
    return bool(code) and any(known.startswith(code) for known in CODES)


def split_codes(value: str) -> list[str]:
    return [code.upper() for code in split_words(value)]


def disabled(code: str, switched_off: frozenset[str]) -> bool:
    return any(code.startswith(prefix) for prefix in switched_off)


_OVERRIDES = "BYLINE_NEWSLETTER_OVERRIDES"  # None or "" there means no override folder
_D = LintSettings()  # the defaults, from byline.settings


@dataclass(frozen=True)
class LintConfig:
    disable: frozenset[str] = frozenset(_D.disable)
    summary_max: int = _D.summary_max
    title_max: int = _D.title_max
    brands: tuple[str, ...] = _D.brands
    exclude: tuple[str, ...] = _D.exclude
    known_paths: tuple[str, ...] = _D.known_paths
    authors_file: str = default("BYLINE_AUTHORS_FILE")
    page_paths: tuple[str, ...] = ("pages",)
    newsletter_folder: str = default(_OVERRIDES)
    timezone: str = "UTC"
    slugify_source: str = "basename"
    pages_share_article_urls: bool = False

    @classmethod
    def from_settings(cls, settings: dict[str, Any] | None) -> LintConfig:
        settings = dict(settings or {})
        read: LintSettings = read_section(LintSettings, settings, LintConfigError)
        codes = [code.strip().upper() for code in read.disable]
        unknown = [code for code in codes if not is_known(code)]
        if unknown:
            raise LintConfigError(
                f"BYLINE_LINT_DISABLE names unknown code(s) {', '.join(unknown)}; "
                f"use codes from the table in byline/lint/__init__.py, e.g. {['W201']}."
            )
        article_url = settings.get("ARTICLE_URL", "{slug}.html")
        page_url = settings.get("PAGE_URL", "pages/{slug}.html")
        return cls(
            disable=frozenset(codes),
            summary_max=read.summary_max,
            title_max=read.title_max,
            brands=read.brands,
            exclude=read.exclude,
            known_paths=read.known_paths,
            authors_file=value(settings, "BYLINE_AUTHORS_FILE"),
            page_paths=tuple(settings.get("PAGE_PATHS", ["pages"])),
            newsletter_folder=settings.get(_OVERRIDES, default(_OVERRIDES)) or "",
            timezone=settings.get("TIMEZONE") or "UTC",
            slugify_source=settings.get("SLUGIFY_SOURCE", "basename"),
            pages_share_article_urls=article_url == page_url,
        )


def post_switches(lint_value: str | None, disable_value: str | None) -> tuple[bool, list[str]]:
    """(all off?, codes named) from a post's ``Lint:`` and ``Lint_disable:`` values."""
    off = lint_value is not None and lint_value.strip().lower() in _OFF
    return off, split_codes(disable_value or "")
