"""Byline's settings and their defaults, in one place.

Every setting the theme and plugin read is listed here with its default, so a site's
``pelicanconf.py`` only names what it changes. The README's settings table mirrors this.
"""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    # Publication
    "BYLINE_PUBLISHER": "",  # organisation named as publisher in JSON-LD; SITENAME if empty
    "BYLINE_PUBLISHER_LOGO": "",  # logo path (relative to the site) for JSON-LD
    "BYLINE_DEFAULT_IMAGE": "",  # social-card image for pages without a hero image
    "BYLINE_LOCALE": "en_GB",  # og:locale
    "BYLINE_TWITTER_SITE": "",  # @handle for twitter:site, left out when empty
    # Authors
    "BYLINE_AUTHORS_FILE": "authors.toml",  # author data, relative to PATH (content/)
    # Article page
    "BYLINE_WORDS_PER_MINUTE": 230,  # reading speed behind "N min read"
    "BYLINE_MORE_FROM_COUNT": 4,  # links in the "More from <author>" block
    "BYLINE_SHARE_LINKS": True,  # LinkedIn, X, Facebook and email share links
    # Related stories
    "BYLINE_RELATED_COUNT": 5,  # picks in the "Related stories" block
    "BYLINE_RELATED_WEIGHTS": {},  # e.g. {"tags": 2.0}; unset signals keep their defaults
    "BYLINE_RELATED_OLDER_ONLY": False,  # only pick older stories, so blocks never change
    "BYLINE_RELATED_MIN_ARTICLES": 10,  # below this, warn that text relevance means little
    # Newsletter sign-up
    "BYLINE_NEWSLETTER_FORM_URL": "",  # form action; the sign-up block is left out when empty
    "BYLINE_NEWSLETTER_NAME": "",  # e.g. "The Counter Weekly"; SITENAME if empty
    "BYLINE_NEWSLETTER_PITCH": "If you enjoyed this article, why not join our newsletter?",
    # Deploying (`invoke publish` over rsync/SSH, `invoke gh-pages`)
    "BYLINE_DEPLOY_SSH_USER": "",  # e.g. "www"
    "BYLINE_DEPLOY_SSH_HOST": "",  # e.g. "example.com"; publish refuses while empty
    "BYLINE_DEPLOY_SSH_PORT": 22,
    "BYLINE_DEPLOY_SSH_PATH": "",  # folder on the server, e.g. "/var/www/site"
    "BYLINE_GITHUB_PAGES_BRANCH": "gh-pages",
}


def apply_defaults(settings: dict[str, Any]) -> None:
    """Fill in every Byline setting the site did not set, in place."""
    for name, value in DEFAULTS.items():
        settings.setdefault(name, value)
