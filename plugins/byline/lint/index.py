"""What the linter knows about the whole site: files, slugs and authors.

Built once per run from the content folder, so the per-post checks stay pure functions of
(post, index, config, now) and tests can hand them a small index made by hand.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..search import SETTING as SEARCH
from ..search import template_pages
from ..settings import default
from ..slugs import site_slugify


@dataclass(frozen=True)
class SiteIndex:
    """The site around one post; an empty index turns the cross-file checks off."""

    files: frozenset[str] = frozenset()  # every file under content/, POSIX and relative
    slugs: dict[tuple[str, str, str], tuple[str, ...]] = field(default_factory=dict)
    known_paths: frozenset[str] = frozenset()  # top-level paths that are not posts: "archives"
    authors: frozenset[str] | None = None  # None: no authors file, so nobody is unknown
    complete: bool = False  # False for a single post linted alone: skip link/slug checks
    # relpath -> what E211 says about it: a URL it shares with another file or a generated page
    clashes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def slug_names(self) -> frozenset[str]:
        return frozenset(key[1] for key in self.slugs)


def load_author_names(path: Path) -> frozenset[str] | None:
    """Names in authors.toml; None when the file is missing or broken (the build reports it)."""
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    return frozenset(data)


def known_paths(settings: dict, extra: list[str] | tuple[str, ...] = ()) -> frozenset[str]:
    """First path segments that Pelican writes for indexes (archives/, tags/...)."""
    names = set(extra)
    for key, value in settings.items():
        if key.endswith(("_URL", "_SAVE_AS")) and isinstance(value, str) and value:
            first = value.lstrip("/").split("/")[0]
            if first and "{" not in first:
                names.add(first.removesuffix(".html"))
    pages = dict(settings.get("TEMPLATE_PAGES") or {})
    pages.update(template_pages(bool(settings.get(SEARCH, default(SEARCH)))))
    for value in pages.values():
        names.add(str(value).split("/")[0])
    return frozenset(names)


# Pelican's defaults, for a settings dict that leaves them out (tests, a bare config).
_SAVE_AS_DEFAULTS = {
    "ARTICLE_SAVE_AS": "{slug}.html",
    "ARTICLE_LANG_SAVE_AS": "{slug}-{lang}.html",
    "DRAFT_SAVE_AS": "drafts/{slug}.html",
    "DRAFT_LANG_SAVE_AS": "drafts/{slug}-{lang}.html",
    "PAGE_SAVE_AS": "pages/{slug}.html",
    "PAGE_LANG_SAVE_AS": "pages/{slug}-{lang}.html",
    "DRAFT_PAGE_SAVE_AS": "drafts/pages/{slug}.html",
    "DRAFT_PAGE_LANG_SAVE_AS": "drafts/pages/{slug}-{lang}.html",
}


def save_as(
    settings: dict,
    *,
    slug: str,
    is_page: bool,
    status: str = "",
    lang: str = "",
    date: datetime | None = None,
    category: str = "",
    author: str = "",
    explicit: str = "",
) -> str | None:
    """The file Pelican will write a post or page to, worked out as Pelican does
    (``Save_as:`` first, then the draft/page/article and language patterns); None when
    the pattern needs something the linter cannot know."""
    if explicit:
        return explicit
    default_lang = str(settings.get("DEFAULT_LANG") or "en")
    draft = status.lower() == "draft"
    kind = ("DRAFT_PAGE" if draft else "PAGE") if is_page else ("DRAFT" if draft else "ARTICLE")
    translated = bool(lang) and lang.lower() != default_lang.lower()
    key = f"{kind}_LANG_SAVE_AS" if translated else f"{kind}_SAVE_AS"
    template = settings.get(key, _SAVE_AS_DEFAULTS[key])
    values = {
        "slug": slug,
        "lang": lang or default_lang,
        "date": date or datetime.now(),
        "category": site_slugify(
            category or str(settings.get("DEFAULT_CATEGORY") or "misc"), settings, "CATEGORY"
        ),
        "author": site_slugify(author, settings, "AUTHOR"),
    }
    try:
        return str(template).format(**values)
    except (KeyError, IndexError, ValueError, AttributeError):
        return None
