"""Byline's settings and their defaults, in one place.

Every setting the theme and plugin read is listed here with its default, so a site's
``pelicanconf.py`` only names what it changes. The README's settings table mirrors this.
"""

from __future__ import annotations

import copy
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
    "BYLINE_DEFAULT_AUTHOR": "",  # new-post's byline when --author is not given; AUTHOR if empty
    # Article page
    "BYLINE_WORDS_PER_MINUTE": 230,  # reading speed behind "N min read"
    "BYLINE_MORE_FROM_COUNT": 4,  # links in the "More from <author>" block
    "BYLINE_SHARE_LINKS": True,  # LinkedIn, X, Facebook and email share links
    # Related stories
    "BYLINE_RELATED_COUNT": 5,  # picks in the "Related stories" block
    "BYLINE_RELATED_WEIGHTS": {},  # e.g. {"tags": 2.0}; unset signals keep their defaults
    "BYLINE_RELATED_OLDER_ONLY": False,  # only pick older stories, so blocks never change
    "BYLINE_RELATED_MIN_ARTICLES": 10,  # below this, warn that text relevance means little
    # Most read (pageviews; `invoke pageviews` refreshes the snapshot the build reads)
    "BYLINE_MOST_READ_COUNT": 5,  # stories in the "Most read" block
    "BYLINE_MOST_READ_EXCLUDE": ["/about/", "/newsletter/"],  # paths or globs never ranked
    "BYLINE_MOST_READ_MAX_AGE_DAYS": 7,  # an older snapshot is stale: "Latest" is shown
    "BYLINE_MOST_READ_HALF_LIFE_DAYS": 0,  # > 0 discounts older articles' views; 0 is off
    "BYLINE_PAGEVIEWS_SOURCE": "file",  # file, logs, plausible, goatcounter or umami
    "BYLINE_PAGEVIEWS_SNAPSHOT": "data/pageviews.json",  # what the build reads
    "BYLINE_PAGEVIEWS_FILE": "data/pageviews-export.csv",  # the export, for source "file"
    "BYLINE_PAGEVIEWS_LOGS": "",  # access-log glob, for source "logs"
    "BYLINE_PAGEVIEWS_WINDOW_DAYS": 30,  # days of views a refresh counts
    "BYLINE_PAGEVIEWS_SITE_ID": "",  # Plausible site, GoatCounter code or Umami website id
    "BYLINE_PAGEVIEWS_API_URL": "",  # provider base URL; the public service if empty
    "BYLINE_PAGEVIEWS_API_KEY_ENV": "",  # env variable with the key; provider default if empty
    "BYLINE_PAGEVIEWS_UMAMI_AUTH": "api-key",  # "api-key" (Umami Cloud) or "bearer"
    "BYLINE_PAGEVIEWS_TIMEOUT": 10,  # seconds per API request
    "BYLINE_PAGEVIEWS_REDIRECTS": {},  # old path -> new path, so old URLs' views count
    # Newsletter digest (more BYLINE_NEWSLETTER_* keys: plugins/byline/newsletter/config.py)
    "BYLINE_NEWSLETTER_EXPORT": True,  # export every issue on every build
    "BYLINE_NEWSLETTER_OVERRIDES": "newsletter",  # content/newsletter/<number>.md per issue
    # Newsletter sign-up
    "BYLINE_NEWSLETTER_FORM_URL": "",  # form action; the sign-up block is left out when empty
    "BYLINE_NEWSLETTER_NAME": "",  # e.g. "The Counter Weekly"; SITENAME if empty
    "BYLINE_NEWSLETTER_PITCH": "If you enjoyed this article, why not join our newsletter?",
    # Content checks (more BYLINE_LINT_* keys: plugins/byline/lint/config.py)
    "BYLINE_LINT_ON_BUILD": True,  # show the per-post checks as build warnings
    # Deploying (`invoke publish`; `invoke gh-pages` is publish to "github-pages")
    "BYLINE_DEPLOY_TARGET": "rsync",  # "rsync" (over SSH), "github-pages" or "folder"
    "BYLINE_DEPLOY_FOLDER": "",  # for "folder": where the built site is copied
    "BYLINE_DEPLOY_GIT_REMOTE": "origin",  # for "github-pages": the remote pushed to
    "BYLINE_DEPLOY_SSH_USER": "",  # e.g. "www"
    "BYLINE_DEPLOY_SSH_HOST": "",  # e.g. "example.com"; publish refuses while empty
    "BYLINE_DEPLOY_SSH_PORT": 22,
    "BYLINE_DEPLOY_SSH_PATH": "",  # folder on the server, e.g. "/var/www/site"
    "BYLINE_GITHUB_PAGES_BRANCH": "gh-pages",
    # Lets a non-public site URL through the publish gate and the sender (staging, tests)
    "BYLINE_ALLOW_NON_PUBLIC_URL": False,
}


def _feature_defaults() -> dict[str, Any]:
    """Defaults owned by feature packages, so each is written once."""
    from .lint.config import DEFAULTS as LINT
    from .newsletter.config import DEFAULTS as NEWSLETTER
    from .sending.config import DEFAULTS as SENDING

    owned = {**NEWSLETTER, **SENDING, **LINT}
    return {name: value for name, value in owned.items() if name not in DEFAULTS}


DEFAULTS.update(_feature_defaults())


def apply_defaults(settings: dict[str, Any]) -> None:
    """Fill in every Byline setting the site did not set, in place."""
    for name, value in DEFAULTS.items():
        if name not in settings:
            settings[name] = copy.deepcopy(value)
