"""The linter's settings and the per-post switches, read from plain dicts.

Site-wide: ``BYLINE_LINT_*`` keys in pelicanconf.py. Per post: ``Lint: off`` turns every
check off for that file; ``Lint_disable: W201, E101`` turns off the codes named. A code may
be a prefix ("E1" is every E1xx check) so a site can silence a whole family.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .codes import CODES

DEFAULTS: dict[str, Any] = {
    "BYLINE_LINT_DISABLE": [],  # codes (or prefixes such as "W2") never reported
    "BYLINE_LINT_SUMMARY_MAX": 160,  # characters; the Summary is the meta description
    "BYLINE_LINT_TITLE_MAX": 65,  # characters before search results cut the title off
    "BYLINE_LINT_BRANDS": [],  # more brand names for E103, e.g. ["Fernhill"]
    "BYLINE_LINT_EXCLUDE": [],  # globs relative to content/, e.g. ["archive/**"]
    "BYLINE_LINT_KNOWN_PATHS": [],  # top-level paths that are not posts, e.g. ["shop"]
}

_OFF = frozenset({"off", "false", "no", "0", "disable", "disabled", "none"})
_SPLIT = re.compile(r"[\s,;]+")


class LintConfigError(ValueError):
    """A BYLINE_LINT_* setting cannot be used; the message names the setting and the fix."""


def is_known(code: str) -> bool:
    """Whether a code or prefix names at least one check."""
    return bool(code) and any(known.startswith(code) for known in CODES)


def split_codes(value: str) -> list[str]:
    return [code.upper() for code in _SPLIT.split(value) if code]


def disabled(code: str, switched_off: frozenset[str]) -> bool:
    return any(code.startswith(prefix) for prefix in switched_off)


@dataclass(frozen=True)
class LintConfig:
    disable: frozenset[str] = frozenset()
    summary_max: int = 160
    title_max: int = 65
    brands: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    known_paths: tuple[str, ...] = ()
    authors_file: str = "authors.toml"
    page_paths: tuple[str, ...] = ("pages",)
    newsletter_folder: str = "newsletter"
    timezone: str = "UTC"
    slugify_source: str = "basename"
    pages_share_article_urls: bool = False

    @classmethod
    def from_settings(cls, settings: dict[str, Any] | None) -> LintConfig:
        settings = dict(settings or {})
        get = lambda name: settings.get(name, DEFAULTS[name])  # noqa: E731
        codes = get("BYLINE_LINT_DISABLE")
        if isinstance(codes, str):
            codes = split_codes(codes)
        codes = [str(code).strip().upper() for code in codes]
        unknown = [code for code in codes if not is_known(code)]
        if unknown:
            raise LintConfigError(
                f"BYLINE_LINT_DISABLE names unknown code(s) {', '.join(unknown)}; "
                f"use codes from the table in byline/lint/__init__.py, e.g. {['W201']}."
            )
        for name in ("BYLINE_LINT_SUMMARY_MAX", "BYLINE_LINT_TITLE_MAX"):
            if not isinstance(get(name), int) or get(name) < 1:
                raise LintConfigError(f"{name} should be a whole number of characters.")
        article_url = settings.get("ARTICLE_URL", "{slug}.html")
        page_url = settings.get("PAGE_URL", "pages/{slug}.html")
        return cls(
            disable=frozenset(codes),
            summary_max=get("BYLINE_LINT_SUMMARY_MAX"),
            title_max=get("BYLINE_LINT_TITLE_MAX"),
            brands=tuple(get("BYLINE_LINT_BRANDS")),
            exclude=tuple(get("BYLINE_LINT_EXCLUDE")),
            known_paths=tuple(get("BYLINE_LINT_KNOWN_PATHS")),
            authors_file=settings.get("BYLINE_AUTHORS_FILE", "authors.toml"),
            page_paths=tuple(settings.get("PAGE_PATHS", ["pages"])),
            newsletter_folder=settings.get("BYLINE_NEWSLETTER_OVERRIDES", "newsletter") or "",
            timezone=settings.get("TIMEZONE") or "UTC",
            slugify_source=settings.get("SLUGIFY_SOURCE", "basename"),
            pages_share_article_urls=article_url == page_url,
        )


def post_switches(lint_value: str | None, disable_value: str | None) -> tuple[bool, list[str]]:
    """(all off?, codes named) from a post's ``Lint:`` and ``Lint_disable:`` values."""
    off = lint_value is not None and lint_value.strip().lower() in _OFF
    return off, split_codes(disable_value or "")
