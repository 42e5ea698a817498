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
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from pelican import signals

from .collector import freeze_read_site, paused_gc, thaw

logger = logging.getLogger(__name__)


def _cache_dir(settings: dict) -> Path | None:
    """Where a build keeps what it can reuse next time (Pelican's CACHE_PATH), if set."""
    return Path(settings["CACHE_PATH"]) if settings.get("CACHE_PATH") else None


def display_path(path: str) -> str:
    """A path as the user typed it: relative to the working folder when inside it."""
    return _relative_to(path, os.getcwd())


@lru_cache(maxsize=65536)  # each source file is named several times per build
def _relative_to(path: str, here: str) -> str:
    if os.path.isabs(path) and path != here and path == os.path.normpath(path):
        # the usual case, quickly: relpath works out both paths' absolute forms each time
        inside = here.rstrip(os.sep) + os.sep
        return path[len(inside) :] if path.startswith(inside) else path
    relative = os.path.relpath(path, here)
    return path if relative.startswith("..") else relative


def on_initialized(pelican) -> None:
    from .settings import check_settings

    # Once per build: defaults filled in, unknown BYLINE_* keys and unusable values
    # reported by name (a bad value falls back to its default, so the build goes on).
    check_settings(pelican.settings, logger.warning)
    # The theme relies on autoescaping: a title holding "<" or "&" must print as text.
    environment = dict(pelican.settings.get("JINJA_ENVIRONMENT") or {})
    environment["autoescape"] = True
    pelican.settings["JINJA_ENVIRONMENT"] = environment
    # The newsletter's thank-you page says noindex; the sitemap must not list it either.
    _keep_out_of_sitemap(pelican.settings)
    # Per-issue newsletter files are not articles.
    overrides = pelican.settings["BYLINE_NEWSLETTER_OVERRIDES"]
    excludes = list(pelican.settings.get("ARTICLE_EXCLUDES") or [])
    if overrides not in excludes:
        pelican.settings["ARTICLE_EXCLUDES"] = [*excludes, overrides]
    # The search page and its OpenSearch file are theme templates written as pages.
    if pelican.settings["BYLINE_SEARCH"]:
        from .search import template_pages

        pages = dict(pelican.settings.get("TEMPLATE_PAGES") or {})
        pelican.settings["TEMPLATE_PAGES"] = {**pages, **template_pages(True)}


def _keep_out_of_sitemap(settings: dict) -> None:
    """Add the thank-you page to the sitemap plugin's exclusions (a copy: never the
    dict pelicanconf.py made, which other builds in the same process share)."""
    import re

    from .newsletter_layout import THANKS_URL, builds_thanks_page

    if not builds_thanks_page(settings):
        return
    sitemap = dict(settings.get("SITEMAP") or {})
    pattern = "^" + re.escape(THANKS_URL) + "$"
    excluded = list(sitemap.get("exclude") or ())
    if pattern not in excluded:
        sitemap["exclude"] = [*excluded, pattern]
    settings["SITEMAP"] = sitemap


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
    # Every article carries its own Tag, Category and Author objects, each slugifying its
    # name when first asked: 25,000 slugify calls at 5,000 articles for a few hundred
    # names. Each name is slugified once here and the result set where Pelican keeps it.
    slugs: dict[tuple[type, str], str] = {}
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
                named = (type(wrapper), wrapper.name)
                slug = slugs.get(named)
                if slug is None:
                    slug = slugs[named] = wrapper._normalize_key(wrapper.name)
                if slug:
                    wrapper._slug = slug  # what its `slug` property would work out again
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


@paused_gc()  # claims and taxonomy sets hold no cycles (see byline.collector)
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


def _load_author_profiles(settings: dict) -> dict | None:
    """The authors file's profiles; None (after one error naming the fault) when it cannot
    be read, so no article is then told its author is missing from it."""
    from .authors import AuthorDataError, load_authors

    path = Path(settings["PATH"]) / settings["BYLINE_AUTHORS_FILE"]
    try:
        return load_authors(path)
    except AuthorDataError as error:
        logger.error(
            "%s. Articles are built without author bios until it is fixed.",
            str(error).rstrip("."),
        )
        return None


@paused_gc()  # records, picks and blocks hold no cycles (see byline.collector)
def on_article_generator_finalized(generator) -> None:
    """Give every article its record, reading time, hero, author data and story blocks."""
    from .settings import apply_defaults

    settings = generator.settings
    apply_defaults(settings)  # also when the plugin is driven without `initialized`
    loaded = _load_author_profiles(settings)
    profiles = loaded if loaded is not None else {}
    memo = _build_memo(settings)
    images = _site_images(settings, memo)
    everything = [
        *generator.articles,
        *generator.translations,
        *getattr(generator, "drafts", []),
        *getattr(generator, "drafts_translations", []),
        *getattr(generator, "hidden_articles", []),
        *getattr(generator, "hidden_translations", []),
    ]
    for article in everything:
        _prepare(article, settings, profiles, images, memo, authors_read=loaded is not None)
    # Each core ranks its own candidates (with spares); `_attach_blocks` then settles
    # every page in page order, so no story is listed twice on one page.
    _attach_related(generator)
    shown_above = 1 + max((len(a.related) for a in generator.articles), default=0)
    pools = _more_from_candidates(generator, shown_above)
    shown_above += int(settings["BYLINE_MORE_FROM_COUNT"])
    most_read = _attach_most_read(generator, shown_above)
    _attach_blocks(generator, everything, pools, most_read)
    if settings["BYLINE_LINT_ON_BUILD"]:
        _lint_on_build(settings)
    generator.context["author_profiles"] = profiles
    generator.context["author_photos"] = {
        name: images.photo(profile.photo) for name, profile in profiles.items()
    }
    generator.context["byline_images"] = images
    memo.save()
    logger.debug("Kept answers: %d reused, %d worked out afresh", memo.reused, memo.computed)
    # The masthead's section links, worked out once instead of on every page.
    generator.context["byline_sections"] = sorted(
        ((category.name, category.url) for category, _ in generator.categories),
        key=lambda item: item[0].lower(),
    )
    _attach_site_scripts(generator.context, settings)


def _attach_site_scripts(context: dict, settings: dict) -> None:
    """What every page's head may add: the search page's addresses and the analytics tag."""
    from .analytics import analytics_script
    from .search import search_page

    context["byline_search"] = (
        search_page(settings.get("SITEURL", ""), settings.get("SITENAME", ""))
        if settings["BYLINE_SEARCH"]
        else None
    )
    choice = analytics_script(settings)
    if choice.problem:
        logger.warning("Analytics: %s.", choice.problem)
    context["byline_analytics"] = choice.tag


def _site_images(settings: dict, memo=None):
    """This build's image variants and social cards (byline.site_images)."""
    from .site_images import SiteImages

    return SiteImages.for_theme(
        Path(settings["PATH"]),
        Path(settings["CACHE_PATH"]),
        Path(settings["THEME"]),
        site_name=str(settings.get("SITENAME") or ""),
        variants=bool(settings["BYLINE_IMAGE_VARIANTS"]),
        cards=bool(settings["BYLINE_SOCIAL_CARDS"]),
        memo=memo,
    )


def _build_memo(settings: dict):
    """This build's kept answers (``byline.memo``), trusted while the code that worked them
    out (word counts, the standfirst sanitiser, image sizes and hashes) is unchanged."""
    from .memo import MEMO_NAME, Memo, fingerprint

    here = Path(__file__).parent
    sources = ("memo.py", "reading.py", "sanitise.py", "images.py", "variants.py")
    code = fingerprint([here / name for name in sources], ("nh3", "imagesize"))
    cache = _cache_dir(settings)
    return Memo(cache / MEMO_NAME if cache else None, code)


def _social_card(article, images) -> None:
    """``article.social_card``: a generated card for a post without a hero, else None."""
    from .reading import plain_text
    from .social_cards import CardText

    article.social_card = None
    if article.hero is None:
        record = article.record
        text = CardText(plain_text(record.title), record.section, record.author, images.site_name)
        article.social_card = images.card(article.slug, text)


def _prepare(
    article, settings: dict, profiles: dict, images, memo, *, authors_read: bool = True
) -> None:
    """Build the article's record once and set the fields the templates print."""
    from .images import resolve_hero
    from .kicker import choose_kicker
    from .post_checks import author_problem, summary_problem
    from .reading import body_text, count_text_words, minutes_for, plain_text, shorten

    source = display_path(article.source_path)
    meta = article.metadata
    # Worked out once: story cards print these for every page an article appears on.
    article.href = article.url
    # Pelican works `url` out anew from the settings on every read (templates, feeds, the
    # sitemap: several times a page); its own override hook makes each later read free.
    # Collisions are settled by now, and only `save_as` changes after this (a post that
    # loses to a page), never the URL. (`override_save_as` is left alone: Pelican reads
    # its presence as leave to overwrite another page's file.)
    article.override_url = article.href
    article.date_iso = article.date.isoformat()
    article.body_text = body_text(article._content)
    words = memo.of_text("words", article.body_text, count_text_words)
    article.reading_time = minutes_for(words, int(settings["BYLINE_WORDS_PER_MINUTE"]))
    _clean_summary(article, memo)
    article.standfirst = plain_text(meta.get("summary", ""))
    article.description = article.standfirst or shorten(plain_text(article.summary), 200)
    article.kicker = choose_kicker(meta.get("kicker"), settings["BYLINE_KICKER"])
    article.hero, problems = resolve_hero(
        str(meta.get("image", "")),
        str(meta.get("image_alt", "")),
        str(meta.get("image_credit", "")),
        Path(settings["PATH"]),
        memo,
    )
    for problem in problems:
        logger.warning("%s", problem.for_build(source))
    if images is not None:
        article.hero = images.hero(article.hero)
    article.record = _record(article, settings, source)
    if images is not None:
        _social_card(article, images)
    author = getattr(article, "author", None)
    article.author_profile = profiles.get(author.name) if author else None
    for problem in (
        author_problem(author.name, profiles, str(settings["BYLINE_AUTHORS_FILE"]))
        if author and authors_read
        else None,
        summary_problem(str(meta.get("summary", ""))),
    ):
        if problem:
            logger.warning("%s", problem.for_build(source))


def _record(article, settings: dict, source: str):
    """The article's ``ArticleRecord``, from the fields ``_prepare`` just worked out."""
    from .record import ArticleRecord
    from .related.manual import parse_manual

    meta = article.metadata
    key = settings.get("ARTICLE_TRANSLATION_ID") or ()
    key = (key,) if isinstance(key, str) else tuple(key)
    author = getattr(article, "author", None)
    category = getattr(article, "category", None)
    return ArticleRecord(
        slug=article.slug,
        url=article.href,  # Pelican works the URL out anew on every read
        title=str(article.title),
        date=article.date,
        standfirst=article.standfirst,
        standfirst_html=str(article.standfirst_html),
        body_text=article.body_text,
        modified=getattr(article, "modified", None),
        author=author.name if author else "",
        section=category.name if category else "",
        tags=tuple(tag.name for tag in getattr(article, "tags", None) or ()),
        series=str(meta.get("series", "")),
        hero=article.hero,
        status=str(getattr(article, "status", "published")),
        lang=str(getattr(article, "lang", "") or ""),
        translation_key="|".join(str(getattr(article, name, "")) for name in key),
        related_slugs=tuple(parse_manual(meta.get("related"))),
        reading_minutes=article.reading_time,
        source=source,
    )


def _more_from_candidates(generator, shown_above: int) -> list:
    """The published articles' More from / More in candidates (``more_from.MoreFrom``),
    with spares for the stories ``shown_above`` them on a page."""
    from .blocks import candidates_needed
    from .more_from import more_from

    wanted = candidates_needed(int(generator.settings["BYLINE_MORE_FROM_COUNT"]), shown_above)
    return more_from([article.record for article in generator.articles], wanted)


def _attach_blocks(generator, everything: list, pools: list, most_read: tuple[int, ...]) -> None:
    """Each page's More from, More in and Most read lists (``article.more_from``,
    ``article.more_in``, ``article.most_read``): no story twice on a page, each block
    topped up from its spares (``blocks.page_blocks``)."""
    from .blocks import PageBlocks, page_blocks

    settings = generator.settings
    articles = generator.articles
    more_count = int(settings["BYLINE_MORE_FROM_COUNT"])
    read_count = int(settings["BYLINE_MOST_READ_COUNT"])
    position = {id(article): index for index, article in enumerate(articles)}

    def settle(own: int | None, related: list, pool) -> PageBlocks:
        return page_blocks(
            own,
            [position[id(pick.article)] for pick in related if id(pick.article) in position],
            pool.by_author if pool else (),
            pool.in_section if pool else (),
            most_read,
            more_count=more_count,
            most_read_count=read_count,
        )

    for index, (article, pool) in enumerate(zip(articles, pools, strict=True)):
        blocks = settle(index, article.related, pool)
        article.more_from = [articles[other] for other in blocks.more_from]
        article.more_in = [articles[other] for other in blocks.more_in]
        article.most_read = [articles[other] for other in blocks.most_read]
        # A translation shows its original's related stories; More from stays the
        # original's own, so its Most read leaves out only the original and those.
        for translation in getattr(article, "translations", []):
            read = settle(index, translation.related, None).most_read
            translation.most_read = [articles[other] for other in read]
    for article in everything:  # drafts, hidden articles: the site's list as it is
        if not hasattr(article, "more_from"):
            article.more_from = []
            article.more_in = []
        if not hasattr(article, "most_read"):
            own = position.get(id(article))
            read = settle(own, getattr(article, "related", []), None).most_read
            article.most_read = [articles[other] for other in read]


def _clean_summary(content, memo) -> None:
    """Sanitise the standfirst once, where every later reader (page, feed, digest) sees it.

    The clean HTML replaces Pelican's own copy, so the feed writer and the intersite-link
    refresh work on it too; ``standfirst_html`` is what the templates print.
    """
    from markupsafe import Markup

    from .sanitise import clean_standfirst

    summary = content.metadata.get("summary")
    if summary:
        summary = memo.of_text("standfirst", str(summary), clean_standfirst)
        content.metadata["summary"] = summary
        content._summary = summary
    content.standfirst_html = Markup(summary or "")


@paused_gc()  # as on_article_generator_pretaxonomy: a full collection here walked the
# whole site read so far (0.13 s at 5,000 articles) and found only Markdown's leftovers
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
    from .memo import Memo

    answers = Memo()  # pages are few: their standfirsts are not kept between builds
    for page in _contents(generator, _PAGE_LISTS):
        _clean_summary(page, answers)


def on_write_content(generator, content) -> None:
    """Pick up the standfirst after Pelican resolved its {filename} links (still clean:
    only link targets change)."""
    from markupsafe import Markup

    content.standfirst_html = Markup(content.metadata.get("summary") or "")


def _lint_on_build(settings: dict) -> None:
    """Run the per-post content checks and show each finding as a warning."""
    from .build_lint import lint_for_build
    from .lint import LintConfigError, format_finding
    from .lint.codes import BUILD_REPORTED
    from .settings import split_words

    disabled = settings.get("BYLINE_LINT_DISABLE") or []
    if isinstance(disabled, str):  # "W201, E1" is a list written as one string
        disabled = split_words(disabled)
    checks = dict(settings)
    checks["BYLINE_LINT_DISABLE"] = [*disabled, *BUILD_REPORTED]  # said by the build already
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
    articles = generator.articles
    if int(generator.settings["BYLINE_RELATED_COUNT"]) <= 0 and not any(
        article.record.related_slugs for article in articles
    ):  # the block is off and no editor's pick: no ranking, and numpy is never loaded
        for article in articles:
            article.related = []
            for translation in getattr(article, "translations", []):
                translation.related = []
        return
    _fill_related(generator)


def _fill_related(generator) -> None:
    """The related-stories step proper: articles -> records -> ranked picks -> articles."""
    from .related import RelatedPick, related_for_records, weights_from_settings

    settings = generator.settings
    articles = generator.articles
    try:
        weights = weights_from_settings(settings["BYLINE_RELATED_WEIGHTS"])
    except (TypeError, ValueError) as error:
        logger.error("pelicanconf.py: %s. Using the default weights.", error)
        weights = weights_from_settings({})
    minimum = int(settings["BYLINE_RELATED_MIN_ARTICLES"])
    if 1 < len(articles) < minimum:
        from .related import small_site_note

        logger.warning(
            "Related stories: %s (BYLINE_RELATED_MIN_ARTICLES = %d).",
            small_site_note(len(articles)),
            minimum,
        )
    lists, problems = related_for_records(
        [article.record for article in articles],
        count=int(settings["BYLINE_RELATED_COUNT"]),
        weights=weights,
        older_only=bool(settings["BYLINE_RELATED_OLDER_ONLY"]),
        cache_dir=_cache_dir(settings),
    )
    for index, problem in problems:
        logger.warning("%s: %s.", display_path(articles[index].source_path), problem)
    for article, entries in zip(articles, lists, strict=True):
        article.related = [
            RelatedPick(articles[entry.index], entry.score, entry.reasons, entry.parts)
            for entry in entries
        ]
        for translation in getattr(article, "translations", []):
            translation.related = article.related


def _attach_most_read(generator, shown_above: int) -> tuple[int, ...]:
    """Attach the site's Most read block (``context["most_read"]``, for the home page and
    the digest) and each article's views; return the ranked candidates (positions, with
    spares for the stories ``shown_above`` it on an article page)."""
    from datetime import UTC, datetime

    from .blocks import candidates_needed
    from .most_read import choose_most_read

    articles = generator.articles
    count = int(generator.settings["BYLINE_MOST_READ_COUNT"])
    result = choose_most_read(
        [article.record for article in articles],
        generator.settings,
        os.environ,
        datetime.now(UTC),
        candidates=max(count + 1, candidates_needed(count, shown_above)),
    )
    if result.matched:
        logger.info("Most read: %s", result.matched)
    for article in articles:
        article.views = result.views.get(article.record.path, 0)
    if articles and not result.ranked:
        logger.warning(
            'Most read: %s. The block shows the latest stories, headed "Latest", '
            "until `invoke pageviews` writes a fresh snapshot.",
            result.problem,
        )
    # The site-wide list keeps one spare, as before: the home page leaves its lead out.
    generator.context["most_read"] = MostReadBlock(
        [articles[index] for index in result.picks[: count + 1]], result.heading, result.ranked
    )
    return result.picks


class MostReadBlock(NamedTuple):
    """What the home page and the digest read: the site's stories (one spare), heading, and
    whether they are ranked by pageviews or only the latest. Article pages print their own
    ``article.most_read`` instead, without the stories their other blocks list."""

    stories: list
    heading: str
    ranked: bool


def on_article_writer_finalized(generator, writer) -> None:
    """Copy the image variants and social cards the pages use into the output folder
    (after Pelican's clean-up of it, which runs between reading and writing)."""
    images = generator.context.get("byline_images")
    if images is not None:
        for problem in images.maker.problems:
            logger.warning("%s", problem)
        logger.info("%s", images.publish(Path(generator.output_path)))


def on_generator_init(generator) -> None:
    """Give the generator's templates a fresh story-card memo (``byline_memo``), the
    sign-up block's words for the newsletter's period (``byline_signup``) and where its
    form posts (``byline_signup_form``); keep their compiled code in the cache."""
    from .cards import RenderMemo
    from .newsletter.wording import signup_wording
    from .signup_form import signup_form
    from .template_cache import keep_compiled_templates

    settings = generator.settings
    keep_compiled_templates(generator.env, _cache_dir(settings))
    generator.env.globals["byline_memo"] = RenderMemo()
    generator.env.globals["byline_signup_form"] = signup_form(settings)
    name = settings.get("BYLINE_NEWSLETTER_NAME") or settings.get("SITENAME") or ""
    generator.env.globals["byline_signup"] = signup_wording(
        name, settings["BYLINE_NEWSLETTER_PERIOD"]
    )


#: The static files of the build under way (Pelican's list, whose ``save_as`` an
#: ``{attach}`` link may still move while pages are written), read when it ends.
_build_static_files: list = []


def on_all_generators_finalized(generators) -> None:
    """Everything is read: keep the site in memory out of the collector's walks while
    the pages are written (``byline.collector``; thawed when the build ends)."""
    # every generator shares one context; the static generator fills its "staticfiles"
    _build_static_files[:] = generators[0].context.get("staticfiles") or [] if generators else []
    freeze_read_site()


def on_finalized(pelican) -> None:
    """Once everything is on disk: clean the published images, then index for search."""
    try:
        _strip_image_metadata(pelican)
        _index_for_search(pelican)
    finally:
        thaw()


def _strip_image_metadata(pelican) -> None:
    """Cut EXIF, XMP and text (GPS) out of the images published as they are."""
    from .image_metadata import strip_published_images

    static_files = [static.save_as for static in _build_static_files]
    _build_static_files.clear()
    theme_folder = pelican.settings.get("THEME_STATIC_DIR")
    stripped = strip_published_images(
        Path(pelican.output_path), static_files, [theme_folder] if theme_folder else []
    )
    if stripped:
        logger.info("Images: EXIF, XMP and text metadata cut from %d published file(s)", stripped)


def _index_for_search(pelican) -> None:
    """Index the written site for search (Pagefind)."""
    if not pelican.settings.get("BYLINE_SEARCH"):
        return
    from .search import article_glob, index_site

    settings = pelican.settings
    glob = article_glob([settings.get("ARTICLE_SAVE_AS"), settings.get("ARTICLE_LANG_SAVE_AS")])
    result = index_site(Path(pelican.output_path), glob, cache=_cache_dir(settings))
    logger.info(
        "Search: %s %d page(s) into %s in %.2f s",
        "no indexed text changed, so the last index was reused for"
        if result.reused
        else "Pagefind indexed",
        result.pages,
        display_path(str(result.bundle)),
        result.seconds,
    )


def register() -> None:
    signals.generator_init.connect(on_generator_init)
    signals.initialized.connect(on_initialized)
    signals.readers_init.connect(on_readers_init)
    signals.get_generators.connect(on_get_generators)
    signals.article_generator_finalized.connect(on_article_generator_finalized)
    signals.article_generator_pretaxonomy.connect(on_article_generator_pretaxonomy)
    signals.page_generator_finalized.connect(on_page_generator_finalized)
    signals.article_generator_write_article.connect(on_write_content)
    signals.article_writer_finalized.connect(on_article_writer_finalized)
    signals.page_generator_write_page.connect(on_write_content)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.finalized.connect(on_finalized)
