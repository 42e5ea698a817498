"""What `invoke related` prints: one article's picks with reasons, or every list as JSON.

It reads the site the way a build does (same settings, same plugin) but writes no pages,
so the editor sees exactly what the next build will show. The related list is the page's
list after the per-page dedupe (``blocks.py``): Related stories is the first block, so the
dedupe never takes a story out of it; it leaves these stories out of the blocks below
instead. Both forms say so, and show what each block of the page lists.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import sys
import tempfile
from pathlib import Path

from .errors import BylineError

# Writing nothing: every page type's save_as emptied, no feeds, no static files.
_READ_ONLY = {
    "ARTICLE_SAVE_AS": "",
    "ARTICLE_LANG_SAVE_AS": "",
    "DRAFT_SAVE_AS": "",
    "DRAFT_LANG_SAVE_AS": "",
    "PAGE_SAVE_AS": "",
    "PAGE_LANG_SAVE_AS": "",
    "DRAFT_PAGE_SAVE_AS": "",
    "DRAFT_PAGE_LANG_SAVE_AS": "",
    "CATEGORY_SAVE_AS": "",
    "TAG_SAVE_AS": "",
    "AUTHOR_SAVE_AS": "",
    "DIRECT_TEMPLATES": [],
    "TEMPLATE_PAGES": {},
    "STATIC_PATHS": [],
    "THEME_STATIC_PATHS": [],
    "FEED_ALL_ATOM": None,
    "FEED_ALL_RSS": None,
    "CATEGORY_FEED_ATOM": None,
    "AUTHOR_FEED_ATOM": None,
    "AUTHOR_FEED_RSS": None,
    "TRANSLATION_FEED_ATOM": None,
    "PLUGINS": ["byline"],
    "DELETE_OUTPUT_DIRECTORY": False,
}


def read_only_settings(settings_file: str | Path, overrides: dict | None = None) -> dict:
    """The site's Pelican settings with every page write switched off (OUTPUT_PATH is set
    per read)."""
    from pelican.settings import read_settings

    override = dict(_READ_ONLY)
    override.update(overrides or {})
    return read_settings(str(settings_file), override=override)


def read_with(settings: dict, keep_cache_path: bool = False, context: dict | None = None) -> list:
    """The published articles with their ``related`` lists, read with these settings
    (from ``read_only_settings``) into a throw-away output folder (and cache folder, unless
    keep_cache_path). ``context``, when given, receives the articles generator's context
    (the site's ``most_read`` block among it)."""
    from pelican import Pelican, signals
    from pelican.generators import ArticlesGenerator

    found: list = []

    def grab(generators) -> None:
        for generator in generators:
            if isinstance(generator, ArticlesGenerator):
                found.extend(generator.articles)
                if context is not None:
                    context.update(generator.context)

    with tempfile.TemporaryDirectory() as output:
        settings = dict(settings, OUTPUT_PATH=output)
        if not keep_cache_path:
            settings["CACHE_PATH"] = str(Path(output) / "cache")
        signals.all_generators_finalized.connect(grab)
        try:
            with contextlib.redirect_stdout(sys.stderr):  # keep stdout for the report
                Pelican(settings).run()
        finally:
            signals.all_generators_finalized.disconnect(grab)
    return found


def read_articles(
    settings_file: str | Path, overrides: dict | None = None, context: dict | None = None
) -> list:
    """The published articles with their story blocks, as a build computes them."""
    overrides = overrides or {}
    settings = read_only_settings(settings_file, overrides)
    return read_with(settings, "CACHE_PATH" in overrides, context)


DEDUPE_NOTE = (
    "Related stories is the first block on the page, so these picks are shown as listed: "
    "the per-page dedupe never takes one out. It leaves them out of the blocks below "
    "(More from, More in, Most read), which top up from their next candidates."
)


def most_read_heading(context: dict) -> str:
    """The Most read block's heading this build: "Most read", or "Latest" without a fresh
    pageview snapshot."""
    block = context.get("most_read")
    return str(getattr(block, "heading", "") or "Most read")


def shown_on_page(
    article, most_read_heading: str = "Most read", keep_empty: bool = False
) -> list[tuple[str, str, list]]:
    """The page's story blocks after the dedupe, in page order, as (class, heading,
    articles); blocks with nothing to show are left out, as the page leaves them out
    (kept, empty, with ``keep_empty``)."""
    author = getattr(article, "author", None)
    section = getattr(article, "category", None)
    blocks = [
        (
            "related-stories",
            "Related stories",
            [p.article for p in getattr(article, "related", [])],
        ),
        (
            "more-from",
            f"More from {author.name}" if author else "",
            getattr(article, "more_from", []),
        ),
        (
            "more-in-section",
            f"More in {section.name}" if section else "",
            getattr(article, "more_in", []),
        ),
        ("most-read", most_read_heading, getattr(article, "most_read", [])),
    ]
    return [
        (css, heading, list(items))
        for css, heading, items in blocks
        if heading and (items or keep_empty)
    ]


def _path(article) -> str:
    return "/" + article.url


def _pick_json(pick) -> dict:
    from .related.advice import decided_by, signal_table

    parts = getattr(pick, "parts", ())
    return {
        "url": _path(pick.article),
        "score": pick.score,
        "decided_by": decided_by(pick.score, parts),
        "reasons": list(pick.reasons),
        "signals": signal_table(parts),
    }


def picks_as_json(articles: list, most_read_heading: str = "Most read") -> str:
    """Every article's picks in rank order (URL, score, the signal that decided it, reasons
    and each signal's part of the score), whether the site is too small for text relevance
    to mean much, and every page's blocks as shown after the dedupe."""
    from .related.advice import small_site_note, text_is_thin

    thin = text_is_thin(len(articles))
    data = {
        "articles": len(articles),
        "text_is_thin": thin,
        "note": small_site_note(len(articles)) if thin else None,
        "after_dedupe": True,
        "dedupe_note": DEDUPE_NOTE,
        "picks": {
            _path(a): [_pick_json(pick) for pick in getattr(a, "related", [])] for a in articles
        },
        "shown_on_page": {
            _path(a): [
                {"block": css, "heading": heading, "urls": [_path(item) for item in items]}
                for css, heading, items in shown_on_page(a, most_read_heading)
            ]
            for a in articles
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)


class UnknownSlugError(BylineError, LookupError):
    """No published article has that slug; the message suggests close ones."""


def picks_as_text(articles: list, slug: str, most_read_heading: str = "Most read") -> str:
    """One article's picks, one line each: rank, slug, score, the signal that decided it and
    every reason; on a small site, first a note that text relevance means little there.
    Then what the page shows, block by block, after the dedupe."""
    from .related.advice import decided_by, small_site_note, text_is_thin

    by_slug = {a.slug: a for a in articles}
    article = by_slug.get(slug)
    if article is None:
        close = difflib.get_close_matches(slug, by_slug, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise UnknownSlugError(f"No published article has the slug '{slug}'.{hint}")
    lines = [f'Related stories for "{article.title}" ({article.slug}):']
    if text_is_thin(len(articles)):
        note = small_site_note(len(articles))
        lines.append(f"  Note: {note[0].upper()}{note[1:]}.")
    picks = getattr(article, "related", [])
    if not picks:
        lines.append("  (none: the site has no other published article to pick)")
    for rank, pick in enumerate(picks, 1):
        score = "editor" if pick.score is None else f"{pick.score:6.3f}"
        by = "by " + (decided_by(pick.score, getattr(pick, "parts", ())) or "nothing")
        lines.append(
            f"  {rank}. {pick.article.slug:<40} {score:>7}  {by:<10}  {'; '.join(pick.reasons)}"
        )
    lines.append("Shown on the page, after the dedupe (a story listed higher up is left out):")
    for css, heading, items in shown_on_page(article, most_read_heading, keep_empty=True):
        if not items:
            lines.append(f"  {heading}: (not shown: nothing left for it)")
        elif css == "related-stories":
            lines.append(f"  {heading}: the {len(items)} above, as listed (the first block)")
        else:
            lines.append(f"  {heading}: {', '.join(item.slug for item in items)}")
    return "\n".join(lines)
