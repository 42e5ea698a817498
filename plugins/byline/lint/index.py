"""What the linter knows about the whole site: files, slugs and authors.

Built once per run from the content folder, so the per-post checks stay pure functions of
(post, index, config, now) and tests can hand them a small index made by hand.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path


def slugify(value: str) -> str:
    """Pelican's default slugify, without importing Pelican: ASCII, lower case, hyphens."""
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s]+", "-", value)


@dataclass(frozen=True)
class SiteIndex:
    """The site around one post; an empty index turns the cross-file checks off."""

    files: frozenset[str] = frozenset()  # every file under content/, POSIX and relative
    slugs: dict[tuple[str, str, str], tuple[str, ...]] = field(default_factory=dict)
    known_paths: frozenset[str] = frozenset()  # top-level paths that are not posts: "archives"
    authors: frozenset[str] | None = None  # None: no authors file, so nobody is unknown
    complete: bool = False  # False for a single post linted alone: skip link/slug checks

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
    for value in (settings.get("TEMPLATE_PAGES") or {}).values():
        names.add(str(value).split("/")[0])
    return frozenset(names)
