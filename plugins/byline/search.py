"""Site search: the /search/ page, its OpenSearch description, and the Pagefind index.

A static site cannot answer queries, so the build does the work once: after Pelican has
written every page, Pagefind (the ``pagefind[bin]`` package, a program inside a Python
wheel, run offline) reads the built HTML and writes a compressed index into
``<output>/pagefind/``; the reader's browser fetches only the few index pieces a query
needs. Only what a template marks with ``data-pagefind-body`` (a published article's
headline, standfirst and body) is indexed; its section and authors become filters.

This module knows nothing of Pelican: the glue calls ``search_page`` for what the
templates print and ``index_site`` from Pelican's ``finalized`` signal.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .errors import BylineError
from .siteurl import LOCAL_SITE_URL

SETTING = "BYLINE_SEARCH"
PAGE_URL = "search/"
PAGE_SAVE_AS = "search/index.html"
OPENSEARCH_SAVE_AS = "opensearch.xml"
BUNDLE = "pagefind"  # the index's folder inside the output, as Pagefind names it
#: Theme templates written as pages of their own (Pelican's TEMPLATE_PAGES) when search is on.
TEMPLATE_PAGES = {"search.html": PAGE_SAVE_AS, "opensearch.xml": OPENSEARCH_SAVE_AS}
#: How an address clash (E211) names them.
LABELS = {"search.html": "the search page", "opensearch.xml": "the OpenSearch description"}
SHORT_NAME_MAX = 16  # OpenSearch's limit for the name a browser shows
TIMEOUT_SECONDS = 600

_INDEXED = re.compile(r"Indexed (\d+) pages?")


class SearchError(BylineError):
    """The search index could not be built; the message says what to do."""


@dataclass(frozen=True)
class SearchPage:
    """What the templates print for search: every address worked out once, per build."""

    url: str  # "search/", relative to the site like every other page URL
    base_path: str  # the site's path on its host ("/" or "/blog/"): where result links start
    opensearch_template: str  # absolute: "https://example.com/search/?q={searchTerms}"
    short_name: str  # the name a browser's address bar offers to search


def template_pages(enabled: bool) -> dict[str, str]:
    """The pages search adds to the build ({template: output path}); none when off."""
    return dict(TEMPLATE_PAGES) if enabled else {}


def search_page(site_url: str, site_name: str) -> SearchPage:
    """The search page's addresses for a site at ``site_url`` ("" for a local build).

    Pagefind records each result as a path from the output folder's root ("/x/"); a site
    published under a path ("https://example.com/blog") needs that path in front. A local
    build is served from the root by `invoke serve`, whose address the OpenSearch file
    (which must hold an absolute address) then names.
    """
    site_url = str(site_url or "").rstrip("/")
    absolute = site_url if site_url.startswith(("http://", "https://")) else LOCAL_SITE_URL
    path = urlsplit(absolute).path.strip("/")
    name = " ".join(str(site_name or "").split()) or "Search"
    name = name[:SHORT_NAME_MAX].rstrip()
    return SearchPage(
        url=PAGE_URL,
        base_path=f"/{path}/" if path else "/",
        opensearch_template=f"{absolute}/{PAGE_URL}?q={{searchTerms}}",
        short_name=name,
    )


_FIELD = re.compile(r"\{[^{}]*\}")


def article_glob(save_as: Iterable[str]) -> str | None:
    """The files Pagefind needs to read: where articles are saved (``ARTICLE_SAVE_AS`` and
    ``ARTICLE_LANG_SAVE_AS``) as one glob, each ``{field}`` a ``*``; None for Pagefind's own
    "every HTML file" when none is set or one holds a glob character of its own.

    Only articles are indexed, so the section, tag, author, pagination and newsletter
    pages (about half the files of a big site) need not be parsed at all.
    """
    globs = set()
    for pattern in save_as:
        pattern = str(pattern or "").strip().lstrip("/")
        if not pattern:  # that kind of article is not written at all
            continue
        if any(char in _FIELD.sub("", pattern) for char in "*?[]{},!"):
            return None
        globs.add(re.sub(r"\*+", "*", _FIELD.sub("*", pattern)))
    if not globs:
        return None
    ordered = sorted(globs)
    return ordered[0] if len(ordered) == 1 else "{" + ",".join(ordered) + "}"


@dataclass(frozen=True)
class IndexResult:
    """What one Pagefind run did: pages indexed and how long it took (wall-clock)."""

    pages: int
    seconds: float
    bundle: Path
    reused: bool = False  # the index of an earlier build, nothing it reads having changed


def pagefind_program() -> Path:
    """The Pagefind program the ``pagefind[bin]`` package installed (or PAGEFIND_BINARY_PATH)."""
    fix = (
        "install Byline's dependencies again (`.venv/bin/pip install -c requirements.lock -e .`, "
        "which brings pagefind[bin]), or set BYLINE_SEARCH = False in pelicanconf.py to build "
        "without search"
    )
    try:
        from pagefind.service import get_executable  # lazy: only builds with search need it
    except ImportError as error:
        raise SearchError(f"Search: the pagefind package is missing ({error}); {fix}") from None
    program = get_executable()
    if program is None or not Path(program).is_file():
        raise SearchError(f"Search: the Pagefind program was not found ({program}); {fix}")
    return Path(program)


def index_site(
    output: Path,
    glob: str | None = None,
    program: Path | None = None,
    cache: Path | None = None,
) -> IndexResult:
    """Index the built site in ``output`` (the files ``glob`` matches, if given) with
    Pagefind; SearchError when it cannot. With ``cache``, the index of an earlier build is
    reused when nothing Pagefind reads has changed (search_reuse.py).

    The previous index is removed first: Pagefind leaves files it no longer needs, and a
    column taken off the site must not stay readable in an old index fragment.
    """
    program = program or pagefind_program()
    if not output.is_dir():
        raise SearchError(
            f"Search: {output}/ does not exist, so there is nothing to index; build the site "
            "first, or set BYLINE_SEARCH = False in pelicanconf.py"
        )
    bundle = output / BUNDLE
    if bundle.is_dir():
        shutil.rmtree(bundle)
    started = time.perf_counter()
    key = None
    if cache is not None:
        from . import search_reuse

        key = search_reuse.index_key(output, glob, program, skip=BUNDLE)
        pages = search_reuse.reuse(cache, output, key, bundle) if key else None
        if pages is not None:
            return IndexResult(pages, time.perf_counter() - started, bundle, reused=True)
    result = _run_pagefind(output, glob, program, bundle)
    if key:
        search_reuse.keep(cache, output, key, bundle, result.pages)
    return result


def _run_pagefind(output: Path, glob: str | None, program: Path, bundle: Path) -> IndexResult:
    """One Pagefind run over ``output`` into ``bundle``."""
    command = [str(program), "--site", str(output), "--output-subdir", BUNDLE]
    if glob:
        command += ["--glob", glob]
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchError(
            f"Search: Pagefind ({program}) could not run on {output}/: {error}. Reinstall it "
            "(`.venv/bin/pip install -c requirements.lock -e .`), or set BYLINE_SEARCH = False "
            "in pelicanconf.py to build without search"
        ) from None
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        said = " ".join((done.stderr or done.stdout or "no message").split())[-600:]
        raise SearchError(
            f"Search: Pagefind could not index {output}/ (exit {done.returncode}): {said}. "
            "Check that the folder is writable and has room, then build again; or set "
            "BYLINE_SEARCH = False in pelicanconf.py to build without search"
        )
    counted = _INDEXED.findall(done.stdout or "")  # the last count is the total
    pages = int(counted[-1]) if counted else 0
    return IndexResult(pages=pages, seconds=seconds, bundle=bundle)
