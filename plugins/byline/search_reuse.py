"""The last search index, reused when no page Pagefind reads has changed.

Pagefind cannot update an index; it reads every page again (about 3 ms of CPU a page).
Yet most rebuilds change nothing it reads: a template or CSS edit, a new pageview
snapshot (Most read on every page), `invoke build` run twice. Pagefind reads only what a
template marks with ``data-pagefind-body`` (the article: headline, standfirst, body, its
filters), each page's ``<html lang>`` and the page's path, so the key is a hash of exactly
those, for every page that has such a part (with, to be safe, what Pagefind might take
from elsewhere on the page: its title, headings, first image and any ``data-pagefind-*``
attribute), plus the Pagefind program and the glob. When it matches the index kept for
this output folder, that index is linked into the output instead of running Pagefind.
Anything the key cannot be sure of (no marked page among the ones Pagefind reads, a marked
part that does not close) means no reuse: Pagefind runs. The words "data-pagefind-body"
quoted in a page's text can only add to the key, never hide a change from it.

One index is kept per output folder (`output/` and `public/` each have theirs), under
``CACHE_PATH/byline-search/``. A damaged or missing entry is only a miss.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

from .durable import link_or_copy, write_atomic

FOLDER = "byline-search"
KEY_VERSION = 1
MARK = b"data-pagefind-body"
_LANG = re.compile(rb"<html\b[^>]*?\blang=\"([^\"]*)\"", re.IGNORECASE)
_TAG_NAME = re.compile(rb"<([a-zA-Z][a-zA-Z0-9-]*)")
# What Pagefind may take from outside the marked part (its default title and image, and
# any filter, metadata or sort attribute): keyed too, so a change there is never missed.
_PAGE_LEVEL = re.compile(
    rb"<title\b.*?</title>|<h1\b.*?</h1>|<[^>]*\bdata-pagefind-[^>]*>", re.DOTALL | re.IGNORECASE
)
_FIRST_IMAGE = re.compile(rb"<img\b[^>]*>", re.IGNORECASE)


def marked_parts(html: bytes) -> list[bytes] | None:
    """Each element marked ``data-pagefind-body``, start tag to matching end tag ([] for a
    page with none; None when one does not close, so the page cannot be keyed)."""
    parts: list[bytes] = []
    at = html.find(MARK)
    while at != -1:
        start = html.rfind(b"<", 0, at)
        name = _TAG_NAME.match(html, start) if start != -1 else None
        if name is None:
            return None
        end = _matching_end(html, name.group(1).lower(), start)
        if end is None:
            return None
        parts.append(html[start:end])
        at = html.find(MARK, end)
    return parts


def _matching_end(html: bytes, name: bytes, start: int) -> int | None:
    """Where the element opened at ``start`` ends (after its end tag), counting nesting."""
    opening = re.compile(rb"<(/?)" + re.escape(name) + rb"(?=[\s>/])", re.IGNORECASE)
    depth = 0
    for found in opening.finditer(html, start):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            close = html.find(b">", found.end())
            return None if close == -1 else close + 1
    return None


def glob_pattern(glob: str | None) -> re.Pattern[str]:
    """What Pagefind's ``--glob`` (as ``search.article_glob`` writes it) matches: ``*`` within
    one folder, ``{a,b}`` either; None is Pagefind's default, every HTML file."""
    if glob is None:
        return re.compile(r".*\.html")
    choices = glob[1:-1].split(",") if glob.startswith("{") and glob.endswith("}") else [glob]
    return re.compile(
        "|".join(re.escape(choice).replace(r"\*", "[^/]*") for choice in choices), re.DOTALL
    )


def index_key(output: Path, glob: str | None, program: Path, skip: str) -> str | None:
    """A hash of everything Pagefind would read in ``output``, or None if unsure."""
    matches = glob_pattern(glob)
    stat = program.stat()
    digest = hashlib.sha256(
        json.dumps([KEY_VERSION, glob, str(program), stat.st_size, stat.st_mtime_ns]).encode()
    )
    marked = False
    for path in sorted(output.rglob("*.html")):
        relative = path.relative_to(output).as_posix()
        if relative.split("/", 1)[0] == skip or not matches.fullmatch(relative):
            continue  # a file Pagefind never reads
        html = path.read_bytes()
        parts = marked_parts(html)
        if parts is None:
            return None
        if not parts:
            continue  # skipped by Pagefind while other pages are marked
        marked = True
        lang = _LANG.search(html)
        digest.update(relative.encode("utf-8", "surrogateescape") + b"\0")
        digest.update((lang.group(1) if lang else b"") + b"\0")
        image = _FIRST_IMAGE.search(html)
        for part in [*parts, *_PAGE_LEVEL.findall(html), image.group(0) if image else b""]:
            digest.update(len(part).to_bytes(8, "big") + part)
    # With no marked page among those it reads, Pagefind indexes whole pages: not keyable.
    return digest.hexdigest() if marked else None


def _slot(cache: Path, output: Path) -> Path:
    name = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
    return cache / FOLDER / name


def _link_tree(source: Path, target: Path) -> None:
    """``target`` as a copy of ``source`` made of hard links (copies across file systems)."""
    shutil.copytree(source, target, copy_function=link_or_copy)


def reuse(cache: Path, output: Path, key: str, bundle: Path) -> int | None:
    """Put the kept index into ``bundle`` if it was made for ``key`` and is whole (every
    file it had, at its size); its page count, else None."""
    slot = _slot(cache, output)
    try:
        kept = json.loads((slot / "key.json").read_text(encoding="utf-8"))
        if kept.get("key") != key or _files(slot / "index") != kept["files"]:
            return None
        _link_tree(slot / "index", bundle)
        return int(kept["pages"])
    except (OSError, ValueError, KeyError, TypeError):
        shutil.rmtree(bundle, ignore_errors=True)  # never half an index
        return None


def _files(folder: Path) -> dict[str, int]:
    """Each file of an index folder and its size."""
    return {
        path.relative_to(folder).as_posix(): path.stat().st_size
        for path in folder.rglob("*")
        if path.is_file()
    }


def keep(cache: Path, output: Path, key: str, bundle: Path, pages: int) -> None:
    """Keep the index Pagefind just wrote for the next build (best effort: a cache)."""
    slot = _slot(cache, output)
    try:
        shutil.rmtree(slot, ignore_errors=True)
        _link_tree(bundle, slot / "index")
        files = _files(slot / "index")
        record = {"key": key, "pages": pages, "files": files}
        write_atomic(slot / "key.json", json.dumps(record), durable=False)
    except OSError:
        shutil.rmtree(slot, ignore_errors=True)
