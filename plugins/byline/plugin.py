"""Byline's Pelican plugin: the thin glue between Pelican's signals and Byline's cores.

``PLUGINS = ["byline.plugin"]`` names this module; it is the only one (with the reader
and the digest generator it imports) that loads Pelican. Receivers live at module level
because Pelican holds them by weak reference. Each one hands plain data to a core that
knows nothing of Pelican, and keeps imports light so a build does not pay for what it
does not use.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pelican import signals

logger = logging.getLogger(__name__)


def display_path(path: str) -> str:
    """A path as the user typed it: relative to the working folder when inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def on_initialized(pelican) -> None:
    from .settings import apply_defaults

    apply_defaults(pelican.settings)
    # The theme relies on autoescaping: a title holding "<" or "&" must print as text.
    environment = dict(pelican.settings.get("JINJA_ENVIRONMENT") or {})
    environment["autoescape"] = True
    pelican.settings["JINJA_ENVIRONMENT"] = environment
    # Per-issue newsletter files are not articles.
    overrides = pelican.settings["BYLINE_NEWSLETTER_OVERRIDES"]
    excludes = list(pelican.settings.get("ARTICLE_EXCLUDES") or [])
    if overrides not in excludes:
        pelican.settings["ARTICLE_EXCLUDES"] = [*excludes, overrides]


def on_get_generators(pelican):
    from .digest import NewsletterGenerator

    return NewsletterGenerator


def on_readers_init(readers) -> None:
    from .reader import install

    install(readers)


_ARTICLE_LISTS = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "drafts",
    "drafts_translations",
)
_PAGE_LISTS = (
    "pages",
    "translations",
    "hidden_pages",
    "hidden_translations",
    "draft_pages",
    "draft_translations",
)


def _contents(generator, names: tuple[str, ...]) -> list:
    return [item for name in names for item in getattr(generator, name, None) or []]


def _fix_empty_slugs(articles: list) -> None:
    """A section, tag or author whose name slugifies to nothing ("}", an emoji) would be
    written to section//, shared by every such name; give it a stable slug of its own."""
    from .collisions import fallback_slug

    kinds = {"Category": "section", "Tag": "tag", "Author": "author"}
    for article in articles:
        wrappers = [getattr(article, "category", None)]
        wrappers += list(getattr(article, "tags", None) or [])
        wrappers += list(getattr(article, "authors", None) or [])
        for wrapper in wrappers:
            if wrapper is None or not hasattr(wrapper, "_normalize_key"):
                continue
            # Pelican's own slugify, asked without its "Unable to generate" warning.
            slug = wrapper._slug
            if slug is None:
                slug = wrapper._normalize_key(wrapper.name)
            if slug:
                continue
            kind = kinds.get(type(wrapper).__name__, type(wrapper).__name__.lower())
            wrapper.slug = fallback_slug(kind, wrapper.name)
            logger.warning(
                "%s: the %s '%s' has no letters or digits to make an address from, so its "
                "page is /%s for now; rename it in the %s line.",
                display_path(article.source_path),
                kind,
                wrapper.name,
                wrapper.url,
                {"section": "Category", "tag": "Tags", "author": "Author"}.get(kind, kind),
            )


def _content_claims(items: list, rank: int) -> list:
    from .collisions import Claim, normalise

    claims = []
    for item in items:
        save_as = normalise(getattr(item, "save_as", "") or "")
        if save_as:
            date = getattr(item, "date", None) if rank else None
            owner = display_path(item.source_path)
            claims.append(Claim(save_as, owner, rank, date, handle=item))
    return claims


def _taxonomy_claims(settings: dict, articles: list) -> list:
    from .collisions import taxonomy_pages

    categories = {a.category.slug for a in articles if getattr(a, "category", None)}
    tags = {t.slug for a in articles for t in getattr(a, "tags", None) or []}
    authors = {w.slug for a in articles for w in getattr(a, "authors", None) or []}
    return [
        *taxonomy_pages(settings, "CATEGORY", categories),
        *taxonomy_pages(settings, "TAG", tags),
        *taxonomy_pages(settings, "AUTHOR", authors),
    ]


def _read_pages_ahead(generator) -> list:
    """The site's pages, read as the page generator will read them a moment later, so a
    post that wants a page's URL loses before it reaches the sections and feeds."""
    from pelican.contents import Page, SkipStub

    settings = generator.settings
    pages = []
    for path in generator.get_files(settings["PAGE_PATHS"], exclude=settings["PAGE_EXCLUDES"]):
        try:
            page = generator.readers.read_file(
                base_path=generator.path, path=path, content_class=Page, context={}
            )
        except Exception:  # noqa: BLE001 - the page generator reports it in a moment
            continue
        if not isinstance(page, SkipStub) and page.status in ("published", "hidden", "draft"):
            pages.append(page)
    return pages


def _drop(generator, names: tuple[str, ...], loser) -> None:
    for name in names:
        items = getattr(generator, name, None)
        if isinstance(items, list):
            items[:] = [item for item in items if item is not loser]
    for item in _contents(generator, names):
        translations = getattr(item, "translations", None)
        if isinstance(translations, list):
            translations[:] = [other for other in translations if other is not loser]


def _settle_collisions(generator, claims: list, names: tuple[str, ...]) -> None:
    from .collisions import resolve

    for collision in resolve(claims):
        for loser in collision.losers:
            if loser.handle is None:
                continue
            logger.warning("E211 %s.", collision.message(loser))
            _drop(generator, names, loser.handle)
            loser.handle.override_save_as = ""  # whatever still lists it, nothing writes it


def on_article_generator_pretaxonomy(generator) -> None:
    """Posts that want a URL already taken lose it here, before sections, tags and feeds
    are built, instead of stopping the build when Pelican writes the second file."""
    from dataclasses import replace

    from .collisions import PAGE, POST, generated_pages

    settings = generator.settings
    articles = _contents(generator, _ARTICLE_LISTS)
    _fix_empty_slugs(articles)
    # Pages read ahead carry no handle: they are only weighed here, never dropped (the
    # page generator settles their own clashes when it has read them for real).
    pages = [replace(c, handle=None) for c in _content_claims(_read_pages_ahead(generator), PAGE)]
    claims = [
        *generated_pages(settings),
        *_taxonomy_claims(settings, generator.articles),
        *pages,
        *_content_claims(articles, POST),
    ]
    _settle_collisions(generator, claims, _ARTICLE_LISTS)


def _load_author_profiles(settings: dict) -> dict:
    from .authors import AuthorDataError, load_authors

    path = Path(settings["PATH"]) / settings.get("BYLINE_AUTHORS_FILE", "authors.toml")
    try:
        return load_authors(path)
    except AuthorDataError as error:
        logger.error("%s. Articles are built without author bios until it is fixed.", error)
        return {}


def on_article_generator_finalized(generator) -> None:
    """Give every article its reading time, hero image, author data and "More from" list."""
    from .images import resolve_hero
    from .more_from import Story, more_from
    from .reading import body_text, count_text_words, minutes_for, plain_text, shorten
    from .settings import apply_defaults

    settings = generator.settings
    apply_defaults(settings)  # also when the plugin is driven without `initialized`
    profiles = _load_author_profiles(settings)
    content_path = Path(settings["PATH"])
    words_per_minute = int(settings["BYLINE_WORDS_PER_MINUTE"])
    authors_file = settings["BYLINE_AUTHORS_FILE"]

    everything = [
        *generator.articles,
        *generator.translations,
        *getattr(generator, "drafts", []),
        *getattr(generator, "drafts_translations", []),
        *getattr(generator, "hidden_articles", []),
        *getattr(generator, "hidden_translations", []),
    ]
    for article in everything:
        source = display_path(article.source_path)
        meta = article.metadata
        # Worked out once: story cards print these for every page an article appears on.
        article.href = article.url
        article.date_iso = article.date.isoformat()
        article.body_text = body_text(article._content)
        article.reading_time = minutes_for(count_text_words(article.body_text), words_per_minute)
        _clean_summary(article)
        article.standfirst = plain_text(meta.get("summary", ""))
        article.description = article.standfirst or shorten(plain_text(article.summary), 200)
        article.hero, problems = resolve_hero(
            str(meta.get("image", "")),
            str(meta.get("image_alt", "")),
            str(meta.get("image_credit", "")),
            content_path,
        )
        for problem in problems:
            logger.warning("%s: %s.", source, problem)
        author = getattr(article, "author", None)
        article.author_profile = profiles.get(author.name) if author else None
        if author and article.author_profile is None:
            logger.warning(
                "%s: author '%s' has no entry in %s, so the article has no bio box; add a "
                '["%s"] table with role and bio there (see the README, "Authors").',
                source,
                author.name,
                authors_file,
                author.name,
            )
        if "summary" not in meta:
            logger.warning(
                "%s: no Summary line, so the page has no standfirst and its meta description "
                "is cut from the body; add `Summary: <one or two sentences>` to the header.",
                source,
            )

    stories = [
        Story(
            key=index,
            date=article.date,
            slug=article.slug,
            author=article.author.name if getattr(article, "author", None) else "",
            section=article.category.name if getattr(article, "category", None) else "",
        )
        for index, article in enumerate(generator.articles)
    ]
    picks = more_from(stories, int(settings["BYLINE_MORE_FROM_COUNT"]))
    for index, article in enumerate(generator.articles):
        article.more_from = [generator.articles[other] for other in picks[index]]
    for article in everything:
        if not hasattr(article, "more_from"):
            article.more_from = []
    _attach_related(generator)
    _attach_most_read(generator)
    if settings["BYLINE_LINT_ON_BUILD"]:
        _lint_on_build(settings)
    generator.context["author_profiles"] = profiles
    # The masthead's section links, worked out once instead of on every page.
    generator.context["byline_sections"] = sorted(
        ((category.name, category.url) for category, _ in generator.categories),
        key=lambda item: item[0].lower(),
    )


def _clean_summary(content) -> None:
    """Sanitise the standfirst once, where every later reader (page, feed, digest) sees it.

    The clean HTML replaces Pelican's own copy, so the feed writer and the intersite-link
    refresh work on it too; ``standfirst_html`` is what the templates print.
    """
    from markupsafe import Markup

    from .sanitise import clean_standfirst

    summary = content.metadata.get("summary")
    if summary:
        summary = clean_standfirst(str(summary))
        content.metadata["summary"] = summary
        content._summary = summary
    content.standfirst_html = Markup(summary or "")


def on_page_generator_finalized(generator) -> None:
    """Pages that want a generated page's or another page's URL lose it; pages get the
    same sanitised standfirst as articles."""
    from .collisions import PAGE, POST, generated_pages

    context = generator.context
    published = list(context.get("articles") or [])
    posts = [*published, *(context.get("hidden_articles") or []), *(context.get("drafts") or [])]
    claims = [
        *generated_pages(generator.settings),
        *_taxonomy_claims(generator.settings, published),
        *_content_claims(_contents(generator, _PAGE_LISTS), PAGE),
        # Settled against the pages read ahead already; should one still clash, the page
        # wins and the post is at least never written over it.
        *_content_claims(posts, POST),
    ]
    _settle_collisions(generator, claims, _PAGE_LISTS)
    for page in _contents(generator, _PAGE_LISTS):
        _clean_summary(page)


def on_write_content(generator, content) -> None:
    """Pick up the standfirst after Pelican resolved its {filename} links (still clean:
    only link targets change)."""
    from markupsafe import Markup

    content.standfirst_html = Markup(content.metadata.get("summary") or "")


# What the build itself already reports in its own words; the rest comes from the linter.
_REPORTED_BY_THE_BUILD = ["E202", "E205", "E210", "E211", "E213", "E214"]


def _lint_on_build(settings: dict) -> None:
    """Run the per-post content checks and show each finding as a warning."""
    from .build_lint import lint_for_build
    from .lint import LintConfigError, format_finding

    checks = dict(settings)
    checks["BYLINE_LINT_DISABLE"] = [
        *(settings.get("BYLINE_LINT_DISABLE") or []),
        *_REPORTED_BY_THE_BUILD,
    ]
    content = Path(settings["PATH"])
    try:
        findings = lint_for_build(content, checks, Path(settings["CACHE_PATH"]))
    except LintConfigError as error:
        logger.error("pelicanconf.py: %s", error)
        return
    for finding in findings:
        logger.warning(
            "%s", format_finding(finding).replace(str(content), display_path(str(content)), 1)
        )


def _attach_related(generator) -> None:
    """Fill ``article.related`` for every published article and its translations."""
    from .relatedness import paused_gc

    with paused_gc():
        _fill_related(generator)


def _fill_related(generator) -> None:
    """The related-stories step proper: articles -> records -> ranked picks -> articles."""
    from .reading import body_text
    from .related import RelatedPick, parse_manual, related_lists, weights_from_settings
    from .relatedness import Doc

    settings = generator.settings
    articles = generator.articles
    try:
        weights = weights_from_settings(settings["BYLINE_RELATED_WEIGHTS"])
    except (TypeError, ValueError) as error:
        logger.error("pelicanconf.py: %s. Using the default weights.", error)
        weights = weights_from_settings({})
    minimum = int(settings["BYLINE_RELATED_MIN_ARTICLES"])
    if 1 < len(articles) < minimum:
        logger.warning(
            "Related stories: the site has %d articles, too few for text relevance to mean "
            "much (BYLINE_RELATED_MIN_ARTICLES = %d); picks lean on shared tags and "
            "sections, so tag your posts, or add `Related: slug, slug` lines.",
            len(articles),
            minimum,
        )
    docs = [
        Doc(
            article.slug,
            str(article.title),
            article.standfirst,
            getattr(article, "body_text", None) or body_text(article._content),
            article.category.name if getattr(article, "category", None) else "",
            tuple(tag.name for tag in getattr(article, "tags", None) or ()),
            article.author.name if getattr(article, "author", None) else "",
            str(article.metadata.get("series", "")),
            article.date.timestamp(),
        )
        for article in articles
    ]
    manual = [parse_manual(article.metadata.get("related")) for article in articles]
    lists, problems = related_lists(
        docs,
        manual,
        count=int(settings["BYLINE_RELATED_COUNT"]),
        weights=weights,
        older_only=bool(settings["BYLINE_RELATED_OLDER_ONLY"]),
    )
    for index, problem in problems:
        logger.warning("%s: %s.", display_path(articles[index].source_path), problem)
    for article, entries in zip(articles, lists, strict=True):
        article.related = [
            RelatedPick(articles[entry.index], entry.score, entry.reasons) for entry in entries
        ]
        for translation in getattr(article, "translations", []):
            translation.related = article.related


def _attach_most_read(generator) -> None:
    """Rank articles by the pageview snapshot; fall back to "Latest" and say why."""
    from datetime import UTC, datetime

    from .pageviews import (
        PageviewError,
        config_from_settings,
        match_views,
        rank_most_read,
        snapshot_status,
    )

    settings = generator.settings
    articles = generator.articles
    count = int(settings["BYLINE_MOST_READ_COUNT"])
    by_path = {"/" + article.url: article for article in articles}
    for article in articles:
        article.views = 0
    ranked: list = []
    now = datetime.now(UTC)
    max_age = settings["BYLINE_MOST_READ_MAX_AGE_DAYS"]
    try:
        config = config_from_settings(
            settings, os.environ, base_dir=Path(settings["PATH"]).resolve().parent, need_key=False
        )
        status = snapshot_status(
            config.snapshot, now, float("inf") if max_age in (None, 0) else float(max_age)
        )
    except PageviewError as error:
        status, problem = None, str(error)
    else:
        problem = "" if status.state == "fresh" else status.message
    if status is not None and status.usable:
        matched = match_views(
            status.snapshot.views,
            by_path.keys(),
            str(settings.get("SITEURL") or ""),
            settings["BYLINE_PAGEVIEWS_REDIRECTS"],
        )
        logger.info("Most read: %s", matched.describe())
        for path, views in matched.views.items():
            by_path[path].views = views
        if status.state == "fresh":
            half_life = float(settings["BYLINE_MOST_READ_HALF_LIFE_DAYS"] or 0) or None
            ranked = rank_most_read(
                matched.views,
                count=count + 1,  # one spare: an article page leaves itself out
                exclude=settings["BYLINE_MOST_READ_EXCLUDE"],
                dates={path: article.date for path, article in by_path.items()},
                now=now,
                half_life_days=half_life,
            )
            if not ranked:
                problem = "no pageviews in the snapshot match a published article"
    context = generator.context
    if ranked:
        context["most_read"] = [by_path[entry.path] for entry in ranked]
        context["most_read_heading"] = "Most read"
        context["most_read_class"] = "most-read"
    else:
        if articles:
            logger.warning(
                'Most read: %s. The block shows the latest stories, headed "Latest", '
                "until `invoke pageviews` writes a fresh snapshot.",
                problem,
            )
        context["most_read"] = list(articles[: count + 1])
        context["most_read_heading"] = "Latest"
        context["most_read_class"] = "latest-stories"


def register() -> None:
    signals.initialized.connect(on_initialized)
    signals.readers_init.connect(on_readers_init)
    signals.get_generators.connect(on_get_generators)
    signals.article_generator_finalized.connect(on_article_generator_finalized)
    signals.article_generator_pretaxonomy.connect(on_article_generator_pretaxonomy)
    signals.page_generator_finalized.connect(on_page_generator_finalized)
    signals.article_generator_write_article.connect(on_write_content)
    signals.page_generator_write_page.connect(on_write_content)
