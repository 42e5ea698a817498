"""Checks on a post's metadata, images and links (codes W201-E218).

These catch what a reader or a search engine notices first: a missing or overlong
standfirst, a hero image nobody can describe or credit, a byline that matches no author, a
link to a post that does not exist, and dates that put a post in the future.
"""

from __future__ import annotations

import difflib
import html
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..dates import parse_date
from ..drafts import PLACEHOLDER_MARKERS
from ..post_checks import (
    Problem,
    alt_problem,
    author_problem,
    date_problem,
    hero_file_problem,
    missing_date_problem,
    summary_problem,
)
from ..slugs import slugify
from .config import LintConfig
from .index import SiteIndex
from .post import Post

_MD_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\](?=[(\[])")
_HTML_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_HAS_ALT = re.compile(r"\salt\s*=", re.IGNORECASE)
_PELICAN_TARGET = re.compile(r"[{|](?P<kind>filename|static|attach)[}|](?P<target>[^\s)\"'>?#]+)")
_DESTINATIONS = (
    re.compile(r"\]\(\s*<?(?P<dest>[^)\s>]+)>?(?:\s+[\"'(][^)]*)?\s*\)"),
    re.compile(r"\bhref\s*=\s*[\"'](?P<dest>[^\"']+)[\"']", re.IGNORECASE),
    re.compile(r"^[ ]{0,3}\[(?!\^)[^\]]+\]:[ \t]*<?(?P<dest>[^\s>]+)"),  # not [^1]: notes
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_TODO = re.compile(r"\bTODO\b")


@dataclass(frozen=True)
class MetaHit:
    line: int
    column: int
    code: str
    message: str
    fix: str | None = None
    length: int = 0


def _hit(line: int, column: int, problem: Problem, length: int = 0) -> MetaHit:
    """A shared check's problem (post_checks.py) at its place in the file."""
    return MetaHit(line, column, problem.code, problem.message, problem.suggestion, length)


def local_naive(moment: datetime, timezone: str) -> datetime:
    """A moment as naive wall-clock time in the site's zone, as post dates are written."""
    if moment.tzinfo is None:
        return moment
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).replace(tzinfo=None)


def plain_length(markdown_text: str) -> int:
    """Characters of the Summary as it appears in the meta description."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown_text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"[*_`]", "", text).replace("---", "—").replace("--", "–")
    text = text.replace("...", "…")
    return len(html.unescape(" ".join(text.split())))


def _closest(word: str, choices: list[str], cutoff: float = 0.75) -> str | None:
    """The likeliest intended name, for a "did you mean" hint; None when nothing is close."""
    found = difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
    return found[0] if found else None


def post_slug(post: Post, relpath: str, config: LintConfig) -> str:
    if post.meta("slug"):
        return post.meta("slug")
    if config.slugify_source == "title" and post.meta("title"):
        return slugify(post.meta("title"))
    return slugify(posixpath.splitext(posixpath.basename(relpath))[0])


def slug_key(post: Post, relpath: str, config: LintConfig, is_page: bool) -> tuple[str, str, str]:
    """(namespace, slug, language): two posts collide only when all three match."""
    kind = "page" if is_page else "article"
    if config.pages_share_article_urls:
        kind = "shared"
    if post.meta("status").lower() == "draft":
        kind = f"draft-{kind}"
    return kind, post_slug(post, relpath, config), post.meta("lang").lower()


def _check_header(post: Post, config: LintConfig, is_page: bool) -> Iterator[MetaHit]:
    fields = post.fields
    first_line = min((entry.line for entry in fields.values()), default=1)
    title = fields.get("title")
    if title is None or not title.value:
        yield MetaHit(title.line if title else first_line, 1, "E204", "missing Title")
    elif len(title.value) > config.title_max:
        yield MetaHit(
            title.line,
            title.column + config.title_max,
            "W201",
            f"Title is {len(title.value)} characters; search results show about "
            f"{config.title_max}, so shorten it",
        )
    summary = fields.get("summary")
    missing = summary_problem(summary.value if summary else "")
    if missing:
        yield _hit(summary.line if summary else first_line, 1, missing)
    elif summary is not None:
        length = plain_length(summary.value)
        if length > config.summary_max:
            single_line = len(summary.parts) == 1
            yield MetaHit(
                summary.line,
                summary.column + config.summary_max if single_line else summary.column,
                "E203",
                f"Summary is {length} characters; search engines cut meta descriptions at "
                f"about {config.summary_max}, so shorten it",
            )
    image = fields.get("image")
    if image is not None and image.value:
        no_alt = alt_problem(image.value, post.meta("image_alt"))
        if no_alt:
            yield _hit(image.line, 1, no_alt)
        if not post.meta("image_credit").strip():
            yield MetaHit(
                image.line,
                1,
                "E206",
                "Image is set but Image_credit (photographer or illustrator) is missing",
            )


def _check_dates(post: Post, config: LintConfig, is_page: bool, now: datetime) -> Iterator[MetaHit]:
    parsed: dict[str, datetime] = {}
    for name in ("date", "modified"):
        entry = post.fields.get(name)
        if entry is None:
            continue
        unreadable = date_problem(entry.key, entry.value)
        if unreadable:
            yield _hit(entry.line, entry.column, unreadable, length=len(entry.value))
        else:
            parsed[name] = local_naive(parse_date(entry.value), config.timezone)
    if is_page:
        return
    entry = post.fields.get("date")
    if entry is None:
        yield _hit(1, 1, missing_date_problem())
        return
    date = parsed.get("date")
    if date is None:
        return
    if post.meta("status").lower() != "draft" and date > now:
        yield MetaHit(
            entry.line,
            entry.column,
            "E212",
            f"Date {date:%Y-%m-%d %H:%M} is in the future for a post that is not a draft; "
            "add `Status: draft` until it is due, or correct the date",
            length=len(entry.value),
        )
    modified = parsed.get("modified")
    if modified is not None and modified < date:
        entry = post.fields["modified"]
        yield MetaHit(
            entry.line,
            entry.column,
            "W215",
            f"Modified {modified:%Y-%m-%d %H:%M} is earlier than Date {date:%Y-%m-%d %H:%M}",
            length=len(entry.value),
        )


def _check_authors(post: Post, index: SiteIndex) -> Iterator[MetaHit]:
    if index.authors is None:
        return
    known = sorted(index.authors)
    for name in ("author", "authors"):
        entry = post.fields.get(name)
        if entry is None or len(entry.parts) != 1:
            continue
        line, start, value = entry.parts[0]
        names = [value] if name == "author" else value.split(",")
        offset = 0
        for raw in names:
            author = raw.strip()
            position = value.find(author, offset) if author else -1
            offset = position + len(author) if position >= 0 else offset
            unknown = author_problem(author, known, several=name == "authors")
            if unknown:
                yield _hit(line, start + position + 1, unknown, length=len(author))


def _body(post: Post) -> Iterator[tuple[int, str]]:
    for number in range(post.body_start, len(post.raw_lines) + 1):
        yield number, post.raw_lines[number - 1]


def _check_images(post: Post) -> Iterator[MetaHit]:
    for number, line in _body(post):
        for match in _MD_IMAGE.finditer(line):
            if not match["alt"].strip():
                yield MetaHit(
                    number,
                    match.start() + 1,
                    "E207",
                    "image has no alt text; describe it in the brackets: ![what it shows](...)",
                )
        for match in _HTML_IMG.finditer(line):
            if not _HAS_ALT.search(match.group()):
                yield MetaHit(
                    number,
                    match.start() + 1,
                    "E207",
                    '<img> has no alt attribute; add alt="what it shows" (alt="" if decorative)',
                )


def _link_slug(destination: str) -> str | None:
    """The post slug a site-relative link names ("/cash-flow/", "../x/"), or None."""
    if destination.startswith(("{", "|", "#", "//")) or _SCHEME.match(destination):
        return None
    path = re.split(r"[?#]", destination, maxsplit=1)[0]
    while path.startswith(("./", "../", "/")):
        path = path.removeprefix("./").removeprefix("../").removeprefix("/")
    path = path.removesuffix("index.html").rstrip("/")
    path = path.removesuffix(".html")
    if not path or "/" in path or "." in path:
        return None
    return unquote(path)


def _check_links(post: Post, relpath: str, index: SiteIndex) -> Iterator[MetaHit]:
    folder = posixpath.dirname(relpath)
    files = sorted(index.files)
    for number, line in _body(post):
        for match in _PELICAN_TARGET.finditer(line):
            target = unquote(match["target"])
            resolved = (
                target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            )
            resolved = posixpath.normpath(resolved)
            if resolved in index.files:
                continue
            suggestion = _closest(resolved, files)
            fix = None
            hint = ""
            if suggestion:
                relative = posixpath.relpath(suggestion, folder or ".")
                fix = match.group().replace(match["target"], relative)
                hint = f'; did you mean "{fix}"?'
            yield MetaHit(
                number,
                match.start() + 1,
                "E208",
                f'{match.group()} points to "{resolved}", which is not in the content folder{hint}',
                fix,
                len(match.group()),
            )
        for pattern in _DESTINATIONS:
            for match in pattern.finditer(line):
                slug = _link_slug(match["dest"])
                if slug is None or slug in index.slug_names or slug in index.known_paths:
                    continue
                suggestion = _closest(slug, sorted(index.slug_names))
                hint = f'; did you mean "{suggestion}"?' if suggestion else ""
                fix = match["dest"].replace(slug, suggestion) if suggestion else None
                yield MetaHit(
                    number,
                    match.start("dest") + 1,
                    "E209",
                    f'link to "{match["dest"]}": no post or page has the slug "{slug}"{hint}',
                    fix,
                    len(match["dest"]),
                )


def _check_related(post: Post, index: SiteIndex) -> Iterator[MetaHit]:
    """E209 for a ``Related:`` slug that names no post (the build would drop it)."""
    entry = post.fields.get("related")
    if entry is None:
        return
    for line, start, value in entry.parts:
        for match in re.finditer(r"[^,\s]+", value):
            slug = match.group()
            if slug in index.slug_names:
                continue
            suggestion = _closest(slug, sorted(index.slug_names))
            hint = f'; did you mean "{suggestion}"?' if suggestion else ""
            yield MetaHit(
                line,
                start + match.start() + 1,
                "E209",
                f"Related: '{slug}' is not the slug of any post{hint}",
                suggestion,
                len(slug),
            )


def is_draft(post: Post) -> bool:
    return post.meta("status").strip().lower() == "draft"


def check_placeholders(post: Post) -> Iterator[MetaHit]:
    """E217: text new-post wrote for the writer to replace, left in a post that goes live."""
    if is_draft(post):
        return
    for entry in post.fields.values():
        for line, start, value in entry.parts:
            for marker in PLACEHOLDER_MARKERS:
                position = value.find(marker)
                if position >= 0:
                    yield MetaHit(
                        line,
                        start + position + 1,
                        "E217",
                        f"{entry.key} still holds the placeholder new-post wrote "
                        f'("{marker}"); replace it, or put back `Status: draft`',
                        length=len(marker),
                    )
    for number, text in _body(post):
        for marker in PLACEHOLDER_MARKERS:
            position = text.find(marker)
            if position >= 0:
                yield MetaHit(
                    number,
                    position + 1,
                    "E217",
                    f'the text still holds new-post\'s placeholder ("{marker}"); replace it '
                    "with the column, or put back `Status: draft`",
                    length=len(marker),
                )


def check_hero_file(post: Post, index: SiteIndex) -> Iterator[MetaHit]:
    """E218: a local hero ``Image:`` that is not in the content folder (the page would lose it)."""
    entry = post.fields.get("image")
    if entry is None or is_draft(post):
        return
    missing = hero_file_problem(entry.value, index.files)
    if missing:
        yield _hit(entry.line, entry.column, missing, length=len(entry.value))


def _check_todo(post: Post, covered: set[int]) -> Iterator[MetaHit]:
    """W216 for a TODO that is not already an E217 placeholder on that line."""
    if is_draft(post):
        return
    for entry in post.fields.values():
        for line, start, value in entry.parts:
            if line in covered:
                continue
            for match in _TODO.finditer(value):
                yield MetaHit(
                    line, start + match.start() + 1, "W216", f"{entry.key} still says TODO"
                )
    for number in range(post.body_start, len(post.prose_lines) + 1):
        if number in covered:
            continue
        for match in _TODO.finditer(post.prose_lines[number - 1]):
            yield MetaHit(number, match.start() + 1, "W216", "the text still says TODO")


def check_metadata(
    post: Post,
    *,
    config: LintConfig,
    now: datetime,
    is_page: bool,
    index: SiteIndex,
    relpath: str | None,
) -> list[MetaHit]:
    """Every metadata, image and link check on one post."""
    placeholders = list(check_placeholders(post))
    hits = [
        *_check_header(post, config, is_page),
        *_check_dates(post, config, is_page, now),
        *_check_authors(post, index),
        *_check_images(post),
        *placeholders,
        *_check_todo(post, {hit.line for hit in placeholders}),
    ]
    if index.complete and relpath is not None:
        hits += [
            *check_hero_file(post, index),
            *_check_links(post, relpath, index),
            *_check_related(post, index),
        ]
    return hits
