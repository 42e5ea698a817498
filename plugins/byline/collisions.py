"""Who gets a URL when two things want it: two posts, a post and a page, a post and a
generated page (archives, sections, the newsletter archive...).

Pelican stops the whole build with ``FileOverwriteFailedError`` when two pieces of
content are written to one file. Byline decides instead, the same way in the build and in
``invoke lint``: a generated page wins, then a page over a post, then the earliest post by
date, then by source path. The loser is left out of the site and named with the winner.

Plain data only: the build hands in what Pelican computed (``save_as``), the linter what it
worked out from the settings; nothing here imports Pelican.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .newsletter_layout import ARCHIVE_URL, FEED_URLS, THANKS_SAVE_AS, builds_thanks_page
from .search import LABELS as _SEARCH_LABELS
from .search import SETTING as _SEARCH
from .search import template_pages
from .settings import default

_EXPORT = "BYLINE_NEWSLETTER_EXPORT"

GENERATED, PAGE, POST = 0, 1, 2
# Byline's digest writes newsletter/<n>/ and its feeds; /newsletter/ is the archive the
# emails and feeds link to, so a post may not take it (a page may: it is that archive).
# /newsletter/thanks/ is written by the digest's generator whether or not issues are.
NEWSLETTER_ARCHIVE = ARCHIVE_URL + "index.html"
NEWSLETTER_FILES = (FEED_URLS["atom"], FEED_URLS["rss"])
_FEEDS = ("FEED_ATOM", "FEED_RSS", "FEED_ALL_ATOM", "FEED_ALL_RSS")
# Pelican's template names in the words the site uses.
_PAGE_NAMES = {"index": "home", "categories": "sections"}


@dataclass(frozen=True)
class Claim:
    """One thing that wants to be written to ``save_as``."""

    save_as: str
    owner: str  # a source path as the user sees it, or what a generated page is
    rank: int  # GENERATED, PAGE or POST
    date: datetime | None = None
    handle: Any = None  # the caller's object (a Pelican article), never compared
    reserved: bool = False  # an address only posts must keep off, not a file written


@dataclass(frozen=True)
class Collision:
    url: str
    winner: Claim
    losers: tuple[Claim, ...]

    def message(self, loser: Claim) -> str:
        """What the build warns and ``invoke lint`` reports (E211), naming both sides."""
        what = (
            f"is {self.winner.owner}"
            if self.winner.rank == GENERATED or self.winner.reserved
            else f"is also the URL of {self.winner.owner}"
        )
        return (
            f"{loser.owner} wants the URL {self.url}, which {what}; the site keeps "
            f"{self.winner.owner} and leaves {loser.owner} out. Rename the file or give it "
            "a `Slug:` line"
        )


def normalise(save_as: str) -> str:
    """The output file as one relative POSIX path ("tag//index.html" is "tag/index.html")."""
    path = posixpath.normpath(str(save_as).replace("\\", "/").lstrip("/"))
    return "" if path == "." else path


def url_of(save_as: str) -> str:
    """The address a reader types: "/archives/" for archives/index.html."""
    path = normalise(save_as)
    if path == "index.html" or path.endswith("/index.html"):
        path = path.removesuffix("index.html")
    return "/" + path


def generated_pages(settings: dict[str, Any]) -> list[Claim]:
    """Pages Pelican and Byline write that no content file stands for."""
    claims: list[Claim] = []
    for name in settings.get("DIRECT_TEMPLATES") or ():
        key = f"{str(name).upper()}_SAVE_AS"
        save_as = settings.get(key, f"{name}.html")
        if save_as:
            label = f"the {_PAGE_NAMES.get(name, name)} page ({key})"
            claims.append(Claim(normalise(save_as), label, GENERATED))
    # The search page and its OpenSearch file: named here too, so lint (which reads the
    # settings without running the plugin that adds them) weighs the same claims.
    pages = dict(settings.get("TEMPLATE_PAGES") or {})
    pages.update(template_pages(bool(settings.get(_SEARCH, default(_SEARCH)))))
    for source, save_as in pages.items():
        if save_as:
            label = _SEARCH_LABELS.get(source, f"the template page {source}")
            claims.append(Claim(normalise(save_as), label, GENERATED))
    for key in _FEEDS:
        value = settings.get(key)
        if isinstance(value, str) and value and "{" not in value:
            claims.append(Claim(normalise(value), f"the feed {value} ({key})", GENERATED))
    if settings.get(_EXPORT, default(_EXPORT)):
        for path in NEWSLETTER_FILES:
            claims.append(Claim(path, "the newsletter feed", GENERATED))
        claims.append(Claim(NEWSLETTER_ARCHIVE, "the newsletter archive", PAGE, reserved=True))
    if builds_thanks_page(settings):
        claims.append(Claim(THANKS_SAVE_AS, "the newsletter's thank-you page", GENERATED))
    return claims


def taxonomy_pages(settings: dict[str, Any], kind: str, slugs: Iterable[str]) -> list[Claim]:
    """The section, tag or author pages (``kind`` is CATEGORY, TAG or AUTHOR)."""
    template = settings.get(f"{kind}_SAVE_AS") or ""
    label = {"CATEGORY": "section", "TAG": "tag", "AUTHOR": "author"}.get(kind, kind.lower())
    claims = []
    for slug in sorted(set(slugs)):
        try:
            save_as = template.format(slug=slug)
        except (KeyError, IndexError, ValueError):
            continue
        if save_as:
            claims.append(Claim(normalise(save_as), f"the {label} page '{slug}'", GENERATED))
    return claims


def _order(claim: Claim) -> tuple:
    date = claim.date.replace(tzinfo=None) if claim.date else datetime.max
    return claim.rank, claim.reserved, date, claim.owner


def resolve(claims: Iterable[Claim]) -> list[Collision]:
    """Every URL wanted twice, with its winner; in URL order, so reports are stable."""
    groups: dict[str, list[Claim]] = {}
    for claim in claims:
        if claim.save_as:
            groups.setdefault(claim.save_as, []).append(claim)
    found = []
    for save_as in sorted(groups):
        group = sorted(groups[save_as], key=_order)
        if len(group) < 2:
            continue
        # A reserved address is no file: it only loses to nothing and beats posts.
        winner, losers = group[0], [claim for claim in group[1:] if not claim.reserved]
        if losers:
            found.append(Collision(url_of(save_as), winner, tuple(losers)))
    return found


def fallback_slug(kind: str, name: str) -> str:
    """A stable, usable slug for a tag or section whose name slugifies to nothing
    ("}", an emoji): the kind plus a short hash of the name."""
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    return f"{kind}-{digest}"
