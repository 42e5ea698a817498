"""Author data: name, role line, bio, photo and links, read from one TOML file.

Kept apart from Pelican so the parsing and its error messages can be tested alone.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BylineError


class AuthorDataError(BylineError, ValueError):
    """The authors file cannot be used; the message says where and how to fix it."""


@dataclass(frozen=True)
class AuthorLink:
    label: str
    url: str


@dataclass(frozen=True)
class AuthorProfile:
    name: str
    role: str = ""
    bio: str = ""
    photo: str = ""
    photo_alt: str = ""
    links: tuple[AuthorLink, ...] = field(default_factory=tuple)


_KNOWN_KEYS = {"role", "bio", "photo", "photo_alt", "links"}


def parse_authors(text: str, source: str = "authors.toml") -> dict[str, AuthorProfile]:
    """Parse the authors TOML: one ``["Full Name"]`` table per author."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise AuthorDataError(f"{source}: {error}. Fix the TOML syntax there.") from None
    profiles: dict[str, AuthorProfile] = {}
    for name, entry in data.items():
        if not isinstance(entry, dict):
            raise AuthorDataError(
                f'{source}: "{name}" should be a table such as ["{name}"] with role and bio '
                "lines under it."
            )
        unknown = sorted(set(entry) - _KNOWN_KEYS)
        if unknown:
            raise AuthorDataError(
                f'{source}: author "{name}" has unknown key(s) {", ".join(unknown)}; '
                f"use {', '.join(sorted(_KNOWN_KEYS))}."
            )
        links = []
        for label, url in (entry.get("links") or {}).items():
            links.append(AuthorLink(label=str(label), url=str(url)))
        profiles[name] = AuthorProfile(
            name=name,
            role=str(entry.get("role", "")),
            bio=str(entry.get("bio", "")),
            photo=str(entry.get("photo", "")),
            photo_alt=str(entry.get("photo_alt", "") or f"Portrait of {name}"),
            links=tuple(links),
        )
    return profiles


def load_authors(path: Path) -> dict[str, AuthorProfile]:
    """Read the authors file; a missing file means no author has data."""
    if not path.is_file():
        return {}
    return parse_authors(path.read_text(encoding="utf-8"), source=str(path))
