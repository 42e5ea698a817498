"""Atom and RSS feeds of every issue, built with feedgen.

Each entry carries an archive-friendly HTML rendering of the issue
(``render_feed_html``): the same intro and stories as the email, but plain semantic
HTML with no layout tables, no hidden preheader, no unsubscribe token and no campaign
parameters (a feed reader is not the email campaign). Entry ids are the issues' archive
URLs, absolute and stable from build to build; dates are the send day at local midnight,
timezone-aware; entries appear in issue order (1, 2, 3...). Nothing depends on the
build time, so two builds give identical feeds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache

from .compose import format_date
from .config import NewsletterSettings
from .links import is_absolute
from .models import Issue

#: Date of the feeds when there is no issue yet: fixed, so empty builds stay identical.
EMPTY_FEED_DATE = datetime(1970, 1, 1, tzinfo=UTC)

FEED_TEMPLATE = """\
{% if issue.intro_html %}<div class="intro">{{ intro }}</div>
{% endif %}
{% set lead = issue.lead %}
{% if lead.image_url %}<p><a href="{{ lead.url }}"><img src="{{ lead.image_url }}" \
width="600"{% if hero_height %} height="{{ hero_height }}"{% endif %} \
alt="{{ lead.image_alt or lead.title }}"></a></p>
{% endif %}
<h2><a href="{{ lead.url }}">{{ lead.title }}</a></h2>
<p>By {{ lead.author }}{% if lead.section %} · {{ lead.section }}{% endif %}</p>
{% if lead.standfirst %}<p>{{ lead.standfirst }}</p>
{% endif %}
{% if others or more_label %}
<h3>Also this {{ issue.period_label }}</h3>
{% if others %}
<ul>
{% for story in others %}
<li><a href="{{ story.url }}">{{ story.title }}</a> by {{ story.author }}\
{% if story.standfirst %}: {{ story.standfirst }}{% endif %}</li>
{% endfor %}
</ul>
{% endif %}
{% if more_label %}<p><a href="{{ issue.archive_url }}">{{ more_label }}</a></p>
{% endif %}
{% endif %}
{% if issue.most_read %}
<h3>Most read</h3>
<ol>
{% for story in issue.most_read %}
<li><a href="{{ story.url }}">{{ story.title }}</a></li>
{% endfor %}
</ol>
{% endif %}
"""


@lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment, StrictUndefined

    environment = Environment(
        autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined
    )
    return environment.from_string(FEED_TEMPLATE)


def render_feed_html(
    issue: Issue, settings: NewsletterSettings, *, every_story: bool = False
) -> str:
    """The issue as plain HTML for its feed entry, or (``every_story``) its archive page.

    The feed entry shows what the email shows, "N more stories" link included; the
    archive page is where that link goes, so it lists every story of the period.
    """
    from markupsafe import Markup

    from .email_html import _hero_height, more_label

    return (
        _template()
        .render(
            issue=issue,
            intro=Markup(issue.intro_html),
            hero_height=_hero_height(issue.lead),
            others=issue.every_other_story if every_story else issue.stories,
            more_label="" if every_story else more_label(issue),
        )
        .strip()
    )


def issue_datetime(issue: Issue) -> datetime:
    """When the issue is dated: local midnight at the start of its send day."""
    return issue.plan.end


def build_feeds(
    issues: Sequence[tuple[Issue, str]],
    settings: NewsletterSettings,
    feed_urls: dict[str, str],
) -> tuple[str, str]:
    """(Atom XML, RSS XML) for all issues, each entry holding the HTML given with it.

    ``issues`` pairs each issue with its entry HTML, normally ``render_feed_html``.
    ``feed_urls`` gives absolute URLs under ``atom`` and ``rss``, and optionally
    ``archive`` (the page listing the issues; the site's home page if absent).
    """
    from feedgen.feed import FeedGenerator

    archive = feed_urls.get("archive") or settings.site_url + "/"
    for key, url in (("atom", feed_urls.get("atom", "")), ("rss", feed_urls.get("rss", ""))):
        if not is_absolute(url):
            raise ValueError(f"build_feeds needs an absolute {key} feed URL, got {url!r}")
    ordered = sorted(issues, key=lambda pair: pair[0].number)
    for issue, _ in ordered:
        if not is_absolute(issue.archive_url):
            raise ValueError(
                f"issue #{issue.number} has archive URL {issue.archive_url!r}; feed ids "
                "must be absolute"
            )
    updated = issue_datetime(ordered[-1][0]) if ordered else EMPTY_FEED_DATE
    description = f"Every issue of {settings.name}, the newsletter from {settings.site_name}."

    def make(self_url: str, self_type: str) -> FeedGenerator:
        feed = FeedGenerator()
        feed.id(archive)
        feed.title(settings.name)
        feed.subtitle(description)
        feed.language(settings.language)
        feed.author({"name": settings.from_name})
        # feedgen's RSS <link> is the last link() call, so rel="self" goes first.
        feed.link(href=self_url, rel="self", type=self_type)
        feed.link(href=archive, rel="alternate", type="text/html")
        feed.generator("Byline")
        feed.updated(updated)
        for issue, html in ordered:
            when = issue_datetime(issue)
            entry = feed.add_entry(order="append")
            entry.id(issue.archive_url)
            entry.guid(issue.archive_url, permalink=True)
            entry.title(issue.subject)
            entry.link(href=issue.archive_url, rel="alternate", type="text/html")
            entry.published(when)
            entry.updated(when)
            entry.description(issue.preheader or f"{settings.name}, {format_date(issue.date)}")
            entry.content(html, type="html")
            entry.author({"name": settings.from_name})
        return feed

    atom = make(feed_urls["atom"], "application/atom+xml").atom_str(pretty=True)
    rss = make(feed_urls["rss"], "application/rss+xml").rss_str(pretty=True)
    return atom.decode("utf-8"), rss.decode("utf-8")
