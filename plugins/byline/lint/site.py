"""Run every check on one text, one file or the whole content folder.

The entry points the invoke task and the build hook call. Everything here is plain Python
over files and dicts: Pelican's settings dict is read, Pelican itself is never imported.
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..collisions import (
    GENERATED,
    PAGE,
    POST,
    Claim,
    generated_pages,
    normalise,
    resolve,
    taxonomy_pages,
)
from ..dates import parse_date
from ..slugs import site_slugify
from .checks_meta import check_metadata, local_naive, post_slug, slug_key
from .checks_text import apostrophe_style, brand_pattern, check_unit
from .codes import severity
from .config import LintConfig, disabled, is_known, post_switches
from .index import SiteIndex, known_paths, load_author_names, save_as
from .model import Finding
from .mojibake import BYTE
from .post import Post, decode, parse
from .repairs import settle

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")


@lru_cache(maxsize=8)
def _brands(extra: tuple[str, ...]) -> re.Pattern[str]:
    return brand_pattern(extra)


def _now(now: datetime | None, config: LintConfig) -> datetime:
    return local_naive(now or datetime.now(UTC), config.timezone)


def lint_post(
    post: Post,
    *,
    config: LintConfig,
    now: datetime,
    index: SiteIndex,
    relpath: str | None = None,
    is_page: bool = False,
    settled: bool = True,
) -> list[Finding]:
    """Every check on a parsed post; ``now`` is naive wall-clock time in the site's zone.

    ``settled`` findings include what the safe repairs uncover (see ``repairs``), so the
    report shows every change ``--fix`` makes.
    """
    lint = post.fields.get("lint")
    switch = post.fields.get("lint_disable") or post.fields.get("lint-disable")
    off, post_codes = post_switches(lint.value if lint else None, switch.value if switch else None)
    if off:
        return []
    switched_off = config.disable | {code for code in post_codes if is_known(code)}
    findings: list[Finding] = []

    def add(line: int, column: int, code: str, message: str, fix=None, length=0) -> None:
        if not disabled(code, switched_off):
            findings.append(
                Finding(post.path, line, column, code, message, severity(code), fix, length)
            )

    if switch is not None:
        for code in post_codes:
            if not is_known(code):
                column = switch.column + switch.value.upper().find(code)
                add(switch.line, column, "W301", f"Lint_disable names unknown code {code}")

    for line, column, char in post.decode_errors:
        add(
            line,
            column,
            "E108",
            f"byte 0x{BYTE.get(char, 0x3F):02X} is not UTF-8 (read as Windows-1252 "
            f'"{char}"); save the file as UTF-8',
            char,
            1,
        )

    apostrophe = apostrophe_style(post.text)
    brands = _brands(config.brands)
    for unit in post.units:
        for hit in check_unit(unit, apostrophe, brands):
            line, column = unit.locate(hit.offset)
            add(line, column, hit.code, hit.message, hit.fix, hit.length)

    for hit in check_metadata(
        post, config=config, now=now, is_page=is_page, index=index, relpath=relpath
    ):
        add(hit.line, hit.column, hit.code, hit.message, hit.fix, hit.length)
    if index.complete and relpath is not None:
        where = post.fields.get("slug")
        for message in index.clashes.get(relpath, ()):
            add(where.line if where else 1, where.column if where else 1, "E211", message)
    if not settled:
        return sorted(set(findings))

    def relint(text: str) -> list[Finding]:
        again = parse(text, post.path)
        return lint_post(
            again,
            config=config,
            now=now,
            index=index,
            relpath=relpath,
            is_page=is_page,
            settled=False,
        )

    return sorted(set(settle(post.text, findings, relint)))


def read_post(path: Path, display: str | None = None) -> Post:
    """Parse a file; bytes that are not UTF-8 are read as Windows-1252 and remembered."""
    text, bad = decode(path.read_bytes())
    post = parse(text, display or str(path))
    if bad:
        shift = 1 if post.bom else 0
        offsets = post.line_offsets()
        for offset in bad:
            offset -= shift
            line = max(i for i, start in enumerate(offsets) if start <= offset)
            post.decode_errors.append((line + 1, offset - offsets[line] + 1, post.text[offset]))
    return post


def lint_text(
    text: str,
    path: str = "post.md",
    *,
    settings: dict[str, Any] | None = None,
    now: datetime | None = None,
    index: SiteIndex | None = None,
    relpath: str | None = None,
    is_page: bool = False,
) -> list[Finding]:
    """Lint one post's text on its own (no site index: link and slug checks are skipped)."""
    config = LintConfig.from_settings(settings)
    return lint_post(
        parse(text, path),
        config=config,
        now=_now(now, config),
        index=index or SiteIndex(),
        relpath=relpath,
        is_page=is_page,
    )


@dataclass(frozen=True)
class Source:
    relpath: str  # POSIX, relative to the content folder
    path: Path
    is_page: bool
    excluded: bool  # part of the site, but BYLINE_LINT_EXCLUDE says not to lint it


def _under(relpath: str, folder: str) -> bool:
    folder = folder.strip("/")
    return bool(folder) and (relpath == folder or relpath.startswith(folder + "/"))


def sources(content_path: Path | str, settings: dict[str, Any] | None = None) -> list[Source]:
    """The Markdown files of the site, sorted; newsletter issue files are not posts."""
    config = LintConfig.from_settings(settings)
    content = Path(content_path)
    found = []
    for relpath in _markdown_files(content):
        if _under(relpath, config.newsletter_folder):
            continue
        found.append(
            Source(
                relpath,
                content / relpath,
                any(_under(relpath, folder) for folder in config.page_paths),
                any(fnmatch.fnmatch(relpath, pattern) for pattern in config.exclude),
            )
        )
    return found


def _markdown_files(content: Path) -> list[str]:
    """Relative POSIX paths of the Markdown files under ``content``, hidden files and
    folders left out, in path order (folder by folder, as ``sorted(rglob())`` gives).

    The directory listing says which entries are folders and files, so a site of 5,000
    posts costs no stat and no Path object per entry; linked folders are not entered
    (as rglob does not)."""
    found = []
    pending = [(os.fspath(content), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:  # gone, or not readable: nothing to lint there
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, f"{prefix}{entry.name}/"))
            elif os.path.splitext(entry.name)[1].lower() in MARKDOWN_SUFFIXES and entry.is_file():
                found.append(prefix + entry.name)
    return sorted(found, key=lambda relpath: relpath.split("/"))


# Pelican's own list, for a settings dict that leaves it out.
_DIRECT_TEMPLATES = ["index", "tags", "categories", "authors", "archives"]


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _clashes(
    content: Path, settings: dict[str, Any], found: list[Source], posts: dict[str, Post]
) -> dict[str, tuple[str, ...]]:
    """E211 messages per file: the URL each post and page would be written to, weighed
    against every other and the generated pages by the build's own rule."""
    config = LintConfig.from_settings(settings)
    settings = {"DIRECT_TEMPLATES": _DIRECT_TEMPLATES, **settings}
    claims = list(generated_pages(settings))
    sections: set[str] = set()
    tags: set[str] = set()
    authors: set[str] = set()
    for source in found:
        post = posts[source.relpath]
        status = post.meta("status").lower()
        target = save_as(
            settings,
            slug=post_slug(post, source.relpath, config),
            is_page=source.is_page,
            status=status,
            lang=post.meta("lang"),
            date=parse_date(post.meta("date")),
            category=post.meta("category"),
            author=post.meta("author"),
            explicit=post.meta("save_as"),
        )
        if target is None:
            continue
        rank = PAGE if source.is_page else POST
        date = parse_date(post.meta("date")) if rank == POST else None
        owner = str(content / source.relpath)
        claims.append(Claim(normalise(target), owner, rank, date, handle=source.relpath))
        if rank == POST and status not in ("draft", "hidden"):
            if post.meta("category"):
                sections.add(site_slugify(post.meta("category"), settings, "CATEGORY"))
            tags.update(site_slugify(tag, settings, "TAG") for tag in _split(post.meta("tags")))
            authors.update(
                site_slugify(name, settings, "AUTHOR") for name in _split(post.meta("author"))
            )
    claims += taxonomy_pages(settings, "CATEGORY", sections - {""})
    claims += taxonomy_pages(settings, "TAG", tags - {""})
    claims += taxonomy_pages(settings, "AUTHOR", authors - {""})
    messages: dict[str, list[str]] = {}
    for collision in resolve(claims):
        for loser in collision.losers:
            text = collision.message(loser)
            for side in (collision.winner, loser):
                if side.rank != GENERATED and isinstance(side.handle, str):
                    messages.setdefault(side.handle, []).append(text)
    return {relpath: tuple(texts) for relpath, texts in messages.items()}


def build_index(
    content_path: Path | str,
    settings: dict[str, Any] | None = None,
    posts: dict[str, Post] | None = None,
) -> SiteIndex:
    """Files, slugs, author names and URL clashes of the site, for the cross-file checks."""
    config = LintConfig.from_settings(settings)
    content = Path(content_path)
    files = frozenset(
        path.relative_to(content).as_posix() for path in content.rglob("*") if path.is_file()
    )
    found = sources(content, settings)
    posts = {
        source.relpath: (posts or {}).get(source.relpath) or read_post(source.path)
        for source in found
    }
    slugs: dict[tuple[str, str, str], list[str]] = {}
    for source in found:
        key = slug_key(posts[source.relpath], source.relpath, config, source.is_page)
        slugs.setdefault(key, []).append(source.relpath)
    return SiteIndex(
        files=files,
        slugs={key: tuple(paths) for key, paths in slugs.items()},
        known_paths=known_paths(settings or {}, config.known_paths),
        authors=load_author_names(content / config.authors_file),
        complete=True,
        clashes=_clashes(content, dict(settings or {}), found, posts),
    )


def lint_site(
    content_path: Path | str,
    settings: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> list[Finding]:
    """Lint every post and page under ``content_path``; findings sorted by file and line.

    Paths in findings are ``content_path / relative path``, so pass the folder the way the
    user should see it (``content``, not an absolute path, for compiler-style output).
    """
    config = LintConfig.from_settings(settings)
    content = Path(content_path)
    found = sources(content, settings)
    posts = {
        source.relpath: read_post(source.path, str(content / source.relpath)) for source in found
    }
    index = build_index(content, settings, posts)
    moment = _now(now, config)
    findings: list[Finding] = []
    for source in found:
        if source.excluded:
            continue
        findings += lint_post(
            posts[source.relpath],
            config=config,
            now=moment,
            index=index,
            relpath=source.relpath,
            is_page=source.is_page,
        )
    return sorted(findings)


def lint_file(
    path: Path | str,
    content_path: Path | str | None = None,
    settings: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> list[Finding]:
    """Lint one file; with ``content_path`` the cross-file checks run against that site."""
    config = LintConfig.from_settings(settings)
    path = Path(path)
    post = read_post(path)
    relpath = None
    is_page = False
    index = SiteIndex()
    if content_path is not None:
        content = Path(content_path)
        relpath = path.resolve().relative_to(content.resolve()).as_posix()
        is_page = any(_under(relpath, folder) for folder in config.page_paths)
        index = build_index(content, settings)
    return lint_post(
        post, config=config, now=_now(now, config), index=index, relpath=relpath, is_page=is_page
    )
