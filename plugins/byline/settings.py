"""Byline's settings: every BYLINE_* key, its default, its type and its check, in one place.

Each feature has a frozen dataclass below whose fields are its settings; a field's metadata
names the key a site sets in ``pelicanconf.py`` and what values are allowed. Everything
else is derived from these classes: ``DEFAULTS`` (key -> default as a site would write it),
``apply_defaults`` (fills a settings dict), ``load_settings`` (typed, checked values),
``check_settings`` (one call per build: unknown keys and bad values become warnings), and
the feature packages' own config objects read their defaults through ``default()``.
The README's settings table is tested against this module (tests/test_settings.py).

This module imports nothing from Pelican or from the feature packages, so any of them can
import it.
"""

from __future__ import annotations

import copy
import difflib
import math
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from .errors import BylineSettingsError

# Allowed values of the settings that are a choice; the feature packages import them from here.
DEPLOY_TARGETS = ("rsync", "github-pages", "folder")
PAGEVIEW_SOURCES = ("file", "logs", "plausible", "goatcounter", "umami")
UMAMI_AUTHS = ("api-key", "bearer")
PERIODS = ("weekly", "fortnightly", "monthly")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
CALLS_TO_ACTION = ("forward", "reply")
SMTP_SECURITIES = ("starttls", "tls", "none")

#: Keys that look like settings but are environment variables or Pelican's own.
NOT_SETTINGS = frozenset({"BYLINE_SITEURL"})

_WORDS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class Spec:
    """One setting: its key, its default as a site writes it, and what values it allows.

    ``kind`` is one of text, whole, number, flag, list, words (a list, or one string of
    words split at commas and spaces), mapping and choice.
    """

    name: str
    default: Any
    kind: str
    minimum: float | None = None
    above: bool = False  # the value must be more than ``minimum``, not equal to it
    choices: tuple[str, ...] = ()

    def allowed(self) -> str:
        """What values are allowed, in words, for an error message."""
        if self.kind == "choice":
            return "use one of: " + ", ".join(self.choices)
        if self.kind in ("whole", "number"):
            noun = "a whole number" if self.kind == "whole" else "a number"
            if self.minimum is None:
                return f"use {noun}"
            if self.minimum == 0 and not self.above:
                return f"use {noun}, 0 or more"
            if self.minimum == 0 or (self.minimum == 1 and self.kind == "whole"):
                return f"use a positive {noun[2:]}"
            return f"use {noun} {'above' if self.above else 'of at least'} {self.minimum:g}"
        return {
            "text": "use text in quotes",
            "flag": "use True or False",
            "list": 'use a list of text, e.g. ["a", "b"]',
            "words": 'use a list of text, e.g. ["a", "b"], or one string "a, b"',
            "mapping": "use a dict, e.g. {}",
        }[self.kind]

    def convert(self, value: Any) -> Any:
        """``value`` in its typed form; ValueError (message: what is allowed) if it cannot be."""
        if self.kind in ("whole", "number"):
            typed = _number(self, value)
        else:
            typed = _READ[self.kind](value)
        if typed is _UNUSABLE or (self.kind == "choice" and typed not in self.choices):
            raise ValueError(self.allowed())
        return typed


_UNUSABLE = object()


def _number(spec: Spec, value: Any) -> Any:
    if isinstance(value, bool):
        return _UNUSABLE
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        return _UNUSABLE
    if not math.isfinite(number) or (spec.kind == "whole" and not number.is_integer()):
        return _UNUSABLE
    if spec.minimum is not None and (
        number < spec.minimum or (spec.above and number == spec.minimum)
    ):
        return _UNUSABLE
    if spec.kind == "whole":
        return int(number)
    return value if isinstance(value, int | float) else number


def _text(value: Any) -> Any:
    return str(value) if isinstance(value, str | os.PathLike) else _UNUSABLE


def _chosen(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else _UNUSABLE


def _flag(value: Any) -> Any:
    return bool(value) if isinstance(value, bool) or value in (0, 1) else _UNUSABLE


def _texts(value: Any) -> Any:
    is_list = isinstance(value, list | tuple | set | frozenset)
    return tuple(value) if is_list and all(isinstance(v, str) for v in value) else _UNUSABLE


def _words(value: Any) -> Any:
    return split_words(value) if isinstance(value, str) else _texts(value)


def _mapping(value: Any) -> Any:
    return dict(value) if isinstance(value, Mapping) else _UNUSABLE


_READ: dict[str, Callable[[Any], Any]] = {
    "text": _text,
    "choice": _chosen,
    "flag": _flag,
    "list": _texts,
    "words": _words,
    "mapping": _mapping,
}


def split_words(value: str) -> tuple[str, ...]:
    """'W201, E101' -> ('W201', 'E101'): a list written as one string."""
    return tuple(word for word in _WORDS.split(value) if word)


def _kind_of(default: Any) -> str:
    if isinstance(default, bool):
        return "flag"
    if isinstance(default, int):
        return "whole"
    if isinstance(default, float):
        return "number"
    if isinstance(default, list):
        return "list"
    if isinstance(default, dict):
        return "mapping"
    return "text"


def setting(
    name: str,
    default: Any,
    kind: str | None = None,
    *,
    minimum: float | None = None,
    above: bool = False,
    choices: tuple[str, ...] = (),
) -> Any:
    """A dataclass field for the setting ``name``, typed from ``default``."""
    spec = Spec(name, default, kind or _kind_of(default), minimum, above, choices)
    if choices and default not in choices:
        raise AssertionError(f"{name}: default {default!r} is not one of its choices")
    typed = spec.convert(default)
    return field(default_factory=lambda: copy.deepcopy(typed), metadata={"spec": spec})


def _choice(name: str, default: str, choices: tuple[str, ...]) -> Any:
    return setting(name, default, "choice", choices=choices)


@dataclass(frozen=True)
class SiteSettings:
    """Publication, authors, social cards."""

    publisher: str = setting("BYLINE_PUBLISHER", "")
    publisher_logo: str = setting("BYLINE_PUBLISHER_LOGO", "")
    default_image: str = setting("BYLINE_DEFAULT_IMAGE", "")
    locale: str = setting("BYLINE_LOCALE", "en_GB")
    twitter_site: str = setting("BYLINE_TWITTER_SITE", "")
    authors_file: str = setting("BYLINE_AUTHORS_FILE", "authors.toml")
    default_author: str = setting("BYLINE_DEFAULT_AUTHOR", "")
    allow_non_public_url: bool = setting("BYLINE_ALLOW_NON_PUBLIC_URL", False)


@dataclass(frozen=True)
class ArticleSettings:
    """The article page: kicker, reading time, "More from", share links."""

    kicker: str = setting("BYLINE_KICKER", "")
    words_per_minute: int = setting("BYLINE_WORDS_PER_MINUTE", 230, minimum=1)
    more_from_count: int = setting("BYLINE_MORE_FROM_COUNT", 4, minimum=0)
    share_links: bool = setting("BYLINE_SHARE_LINKS", True)


@dataclass(frozen=True)
class ImageSettings:
    """Responsive image variants and generated social cards (byline.variants, social_cards)."""

    variants: bool = setting("BYLINE_IMAGE_VARIANTS", True)
    social_cards: bool = setting("BYLINE_SOCIAL_CARDS", True)


@dataclass(frozen=True)
class RelatedSettings:
    """The "Related stories" block (weights are checked by byline.related)."""

    count: int = setting("BYLINE_RELATED_COUNT", 5, minimum=0)
    weights: dict = setting("BYLINE_RELATED_WEIGHTS", {})
    older_only: bool = setting("BYLINE_RELATED_OLDER_ONLY", False)
    min_articles: int = setting("BYLINE_RELATED_MIN_ARTICLES", 10, minimum=0)


@dataclass(frozen=True)
class MostReadSettings:
    """The "Most read" block the build ranks from the pageview snapshot."""

    count: int = setting("BYLINE_MOST_READ_COUNT", 5, minimum=0)
    exclude: tuple[str, ...] = setting("BYLINE_MOST_READ_EXCLUDE", ["/about/", "/newsletter/"])
    max_age_days: float = setting("BYLINE_MOST_READ_MAX_AGE_DAYS", 7, "number", minimum=0)
    half_life_days: float = setting("BYLINE_MOST_READ_HALF_LIFE_DAYS", 0, "number", minimum=0)


@dataclass(frozen=True)
class PageviewSettings:
    """Where `invoke pageviews` reads views and where the snapshot goes."""

    source: str = _choice("BYLINE_PAGEVIEWS_SOURCE", "file", PAGEVIEW_SOURCES)
    snapshot: str = setting("BYLINE_PAGEVIEWS_SNAPSHOT", "data/pageviews.json")
    file: str = setting("BYLINE_PAGEVIEWS_FILE", "data/pageviews-export.csv")
    logs: str = setting("BYLINE_PAGEVIEWS_LOGS", "")
    window_days: int = setting("BYLINE_PAGEVIEWS_WINDOW_DAYS", 30, minimum=1)
    site_id: str = setting("BYLINE_PAGEVIEWS_SITE_ID", "")
    api_url: str = setting("BYLINE_PAGEVIEWS_API_URL", "")
    api_key_env: str = setting("BYLINE_PAGEVIEWS_API_KEY_ENV", "")
    umami_auth: str = _choice("BYLINE_PAGEVIEWS_UMAMI_AUTH", "api-key", UMAMI_AUTHS)
    timeout: float = setting("BYLINE_PAGEVIEWS_TIMEOUT", 10, "number", minimum=0, above=True)
    redirects: dict = setting("BYLINE_PAGEVIEWS_REDIRECTS", {})


@dataclass(frozen=True)
class AnalyticsSettings:
    """The provider's counting script on production pages (byline.analytics)."""

    script: bool = setting("BYLINE_ANALYTICS_SCRIPT", True)
    script_url: str = setting("BYLINE_ANALYTICS_SCRIPT_URL", "")


@dataclass(frozen=True)
class SearchSettings:
    """Site search: the /search/ page and the Pagefind index (byline.search)."""

    enabled: bool = setting("BYLINE_SEARCH", True)


@dataclass(frozen=True)
class NewsletterSection:
    """The sign-up block and the digest; newsletter.config turns these into NewsletterSettings."""

    export: bool = setting("BYLINE_NEWSLETTER_EXPORT", True)
    overrides: str = setting("BYLINE_NEWSLETTER_OVERRIDES", "newsletter")
    form_url: str = setting("BYLINE_NEWSLETTER_FORM_URL", "")
    thanks_url: str = setting("BYLINE_NEWSLETTER_THANKS_URL", "")
    name: str = setting("BYLINE_NEWSLETTER_NAME", "")
    pitch: str = setting(
        "BYLINE_NEWSLETTER_PITCH", "If you enjoyed this article, why not join our newsletter?"
    )
    from_name: str = setting("BYLINE_NEWSLETTER_FROM_NAME", "")
    period: str = _choice("BYLINE_NEWSLETTER_PERIOD", "weekly", PERIODS)
    weekday: str = _choice("BYLINE_NEWSLETTER_WEEKDAY", "tuesday", WEEKDAYS)
    since: str = setting("BYLINE_NEWSLETTER_SINCE", "")
    subject: str = setting("BYLINE_NEWSLETTER_SUBJECT", "{name} #{number}: {lead_title}")
    preheader: str = setting("BYLINE_NEWSLETTER_PREHEADER", "{lead_standfirst}")
    call_to_action: str = _choice("BYLINE_NEWSLETTER_CALL_TO_ACTION", "forward", CALLS_TO_ACTION)
    subscribe_url: str = setting("BYLINE_NEWSLETTER_SUBSCRIBE_URL", "")
    reason: str = setting(
        "BYLINE_NEWSLETTER_REASON", "You are receiving this because you subscribed on our website."
    )
    postal_address: str = setting("BYLINE_NEWSLETTER_POSTAL_ADDRESS", "")
    most_read_count: int = setting("BYLINE_NEWSLETTER_MOST_READ_COUNT", 3, minimum=0)
    max_stories: int = setting("BYLINE_NEWSLETTER_MAX_STORIES", 8, minimum=0)
    utm: bool = setting("BYLINE_NEWSLETTER_UTM", True)
    max_html_kb: int = setting("BYLINE_NEWSLETTER_MAX_HTML_KB", 90, minimum=1)
    site_url: str = setting("BYLINE_NEWSLETTER_SITE_URL", "")
    sent_dir: str = setting("BYLINE_NEWSLETTER_SENT_DIR", "data/newsletter")
    language: str = setting("BYLINE_NEWSLETTER_LANGUAGE", "")
    timezone: str = setting("BYLINE_NEWSLETTER_TIMEZONE", "")


@dataclass(frozen=True)
class SendingSettings:
    """`invoke newsletter.send`; sending.config turns these into a SendConfig with secrets."""

    provider: str = setting("BYLINE_SEND_PROVIDER", "smtp")
    subscribers: str = setting("BYLINE_SEND_SUBSCRIBERS", "data/subscribers.csv")
    ledger: str = setting("BYLINE_SEND_LEDGER", "data/send-ledger.jsonl")
    dry_run_dir: str = setting("BYLINE_SEND_DRY_RUN_DIR", "data/send-dry-run")
    from_address: str = setting("BYLINE_SEND_FROM_ADDRESS", "")
    from_name: str = setting("BYLINE_SEND_FROM_NAME", "")
    reply_to: str = setting("BYLINE_SEND_REPLY_TO", "")
    unsubscribe_url: str = setting("BYLINE_SEND_UNSUBSCRIBE_URL", "")
    unsubscribe_mailto: str = setting("BYLINE_SEND_UNSUBSCRIBE_MAILTO", "")
    unsubscribe_secret_env: str = setting(
        "BYLINE_SEND_UNSUBSCRIBE_SECRET_ENV", "BYLINE_UNSUBSCRIBE_SECRET"
    )
    smtp_host: str = setting("BYLINE_SEND_SMTP_HOST", "")
    smtp_port: int = setting("BYLINE_SEND_SMTP_PORT", 0, minimum=0)
    smtp_security: str = _choice("BYLINE_SEND_SMTP_SECURITY", "starttls", SMTP_SECURITIES)
    smtp_username: str = setting("BYLINE_SEND_SMTP_USERNAME", "")
    smtp_password_env: str = setting("BYLINE_SEND_SMTP_PASSWORD_ENV", "BYLINE_SMTP_PASSWORD")
    smtp_timeout: float = setting("BYLINE_SEND_SMTP_TIMEOUT", 30, "number", minimum=0.1)
    smtp_helo: str = setting("BYLINE_SEND_SMTP_HELO", "")
    rate: float = setting("BYLINE_SEND_RATE", 10, "number", minimum=0)
    retries: int = setting("BYLINE_SEND_RETRIES", 3, minimum=0)
    retry_delay: float = setting("BYLINE_SEND_RETRY_DELAY", 2.0, minimum=0)
    max_consecutive_failures: int = setting("BYLINE_SEND_MAX_CONSECUTIVE_FAILURES", 20, minimum=1)
    buttondown_api_url: str = setting(
        "BYLINE_SEND_BUTTONDOWN_API_URL", "https://api.buttondown.com/v1"
    )
    buttondown_api_key_env: str = setting(
        "BYLINE_SEND_BUTTONDOWN_API_KEY_ENV", "BUTTONDOWN_API_KEY"
    )
    buttondown_timeout: float = setting("BYLINE_SEND_BUTTONDOWN_TIMEOUT", 30, "number", minimum=0.1)


@dataclass(frozen=True)
class SubscriptionSettings:
    """The subscription service beside the site (byline.subscriptions): sign-up with double
    opt-in, one-click unsubscribe, the readers' database that an SMTP send reads."""

    url: str = setting("BYLINE_SUBSCRIPTIONS_URL", "")
    database: str = setting("BYLINE_SUBSCRIPTIONS_DATABASE", "data/subscribers.sqlite3")
    database_url_env: str = setting("BYLINE_SUBSCRIPTIONS_DATABASE_URL_ENV", "BYLINE_DATABASE_URL")
    host: str = setting("BYLINE_SUBSCRIPTIONS_HOST", "127.0.0.1")
    port: int = setting("BYLINE_SUBSCRIPTIONS_PORT", 8040, minimum=1)
    confirm_hours: float = setting(
        "BYLINE_SUBSCRIPTIONS_CONFIRM_HOURS", 48, "number", minimum=0, above=True
    )
    trusted_header: str = setting("BYLINE_SUBSCRIPTIONS_TRUSTED_HEADER", "")
    address_limit: int = setting("BYLINE_SUBSCRIPTIONS_ADDRESS_LIMIT", 3, minimum=1)
    client_limit: int = setting("BYLINE_SUBSCRIPTIONS_CLIENT_LIMIT", 30, minimum=1)


@dataclass(frozen=True)
class LintSettings:
    """The content checks; lint.config adds the codes' check and Pelican's URL settings."""

    on_build: bool = setting("BYLINE_LINT_ON_BUILD", True)
    disable: tuple[str, ...] = setting("BYLINE_LINT_DISABLE", [], "words")
    summary_max: int = setting("BYLINE_LINT_SUMMARY_MAX", 160, minimum=1)
    title_max: int = setting("BYLINE_LINT_TITLE_MAX", 65, minimum=1)
    brands: tuple[str, ...] = setting("BYLINE_LINT_BRANDS", [])
    exclude: tuple[str, ...] = setting("BYLINE_LINT_EXCLUDE", [])
    known_paths: tuple[str, ...] = setting("BYLINE_LINT_KNOWN_PATHS", [])


@dataclass(frozen=True)
class DeploySettings:
    """`invoke publish` and `invoke gh-pages` (read only by tasks)."""

    target: str = _choice("BYLINE_DEPLOY_TARGET", "rsync", DEPLOY_TARGETS)
    folder: str = setting("BYLINE_DEPLOY_FOLDER", "")
    git_remote: str = setting("BYLINE_DEPLOY_GIT_REMOTE", "origin")
    ssh_user: str = setting("BYLINE_DEPLOY_SSH_USER", "")
    ssh_host: str = setting("BYLINE_DEPLOY_SSH_HOST", "")
    ssh_port: int = setting("BYLINE_DEPLOY_SSH_PORT", 22, minimum=1)
    ssh_path: str = setting("BYLINE_DEPLOY_SSH_PATH", "")
    github_pages_branch: str = setting("BYLINE_GITHUB_PAGES_BRANCH", "gh-pages")


@dataclass(frozen=True)
class BylineSettings:
    """Every Byline setting, typed and checked, one section per feature."""

    site: SiteSettings = field(default_factory=SiteSettings)
    article: ArticleSettings = field(default_factory=ArticleSettings)
    images: ImageSettings = field(default_factory=ImageSettings)
    related: RelatedSettings = field(default_factory=RelatedSettings)
    most_read: MostReadSettings = field(default_factory=MostReadSettings)
    pageviews: PageviewSettings = field(default_factory=PageviewSettings)
    analytics: AnalyticsSettings = field(default_factory=AnalyticsSettings)
    search: SearchSettings = field(default_factory=SearchSettings)
    newsletter: NewsletterSection = field(default_factory=NewsletterSection)
    sending: SendingSettings = field(default_factory=SendingSettings)
    subscriptions: SubscriptionSettings = field(default_factory=SubscriptionSettings)
    lint: LintSettings = field(default_factory=LintSettings)
    deploy: DeploySettings = field(default_factory=DeploySettings)


SECTIONS: tuple[type, ...] = tuple(f.default_factory for f in fields(BylineSettings))


def specs(section: type | None = None) -> Iterator[Spec]:
    """Every setting's Spec, in the order of the README's table (or one section's)."""
    for cls in (section,) if section else SECTIONS:
        for item in fields(cls):
            yield item.metadata["spec"]


SPECS: dict[str, Spec] = {spec.name: spec for spec in specs()}

#: Key -> default, as a site writes it in pelicanconf.py (lists as lists).
DEFAULTS: dict[str, Any] = {name: spec.default for name, spec in SPECS.items()}


def default(name: str) -> Any:
    """The default of ``name`` (a fresh copy, so callers may change lists)."""
    return copy.deepcopy(SPECS[name].default)


def value(settings: Mapping[str, Any], name: str) -> Any:
    """The site's value of ``name``, or its default when unset (missing or None)."""
    found = settings.get(name)
    return default(name) if found is None else found


def apply_defaults(settings: dict[str, Any]) -> None:
    """Fill in every Byline setting the site did not set, in place."""
    for name, spec in SPECS.items():
        if name not in settings:
            settings[name] = copy.deepcopy(spec.default)


def problem(spec: Spec, found: Any) -> str:
    """The message for a value that cannot be used: the setting, the value, what is allowed."""
    return f"{spec.name} is {found!r} in pelicanconf.py; {spec.allowed()}, e.g. {spec.default!r}"


def read_section(
    cls: type,
    settings: Mapping[str, Any],
    error: type[Exception] = BylineSettingsError,
    on_problem: Callable[[str, str], None] | None = None,
) -> Any:
    """One section, typed, from a settings mapping (unset keys take their defaults).

    Every unusable value is reported: raised together as ``error`` or, with ``on_problem``,
    passed to it (setting, message) one by one while the default is used instead.
    """
    values: dict[str, Any] = {}
    problems: list[str] = []
    for item in fields(cls):
        spec: Spec = item.metadata["spec"]
        found = settings.get(spec.name)
        if found is None or (found == "" and spec.kind not in ("text", "words")):
            continue
        try:
            values[item.name] = spec.convert(found)
        except ValueError:
            message = problem(spec, found)
            if on_problem is None:
                problems.append(message)
            else:
                on_problem(spec.name, message)
    if problems:
        raise error("\n".join(problems))
    return cls(**values)


def load_settings(
    settings: Mapping[str, Any], on_problem: Callable[[str, str], None] | None = None
) -> BylineSettings:
    """Every section, typed and checked; raises BylineSettingsError naming each bad value."""
    problems: list[str] = []
    sections = {}
    for item in fields(BylineSettings):
        try:
            section = read_section(item.default_factory, settings, on_problem=on_problem)
            sections[item.name] = section
        except BylineSettingsError as error:
            problems.append(str(error))
    if problems:
        raise BylineSettingsError("\n".join(problems))
    return BylineSettings(**sections)


def nearest(name: str) -> str | None:
    """The known setting a misspelt ``name`` most likely meant, if any is close."""
    close = difflib.get_close_matches(name, SPECS, n=1, cutoff=0.75)
    return close[0] if close else None


def unknown_settings(settings: Mapping[str, Any]) -> list[str]:
    """A warning for every BYLINE_* key that is not a setting, naming the nearest known one."""
    messages = []
    for name in sorted(settings):
        if not isinstance(name, str) or not name.startswith("BYLINE_"):
            continue
        if name in SPECS or name in NOT_SETTINGS:
            continue
        guess = nearest(name)
        hint = f"did you mean {guess}?" if guess else "see the README's settings table"
        messages.append(f"{name} in pelicanconf.py is not a Byline setting and is ignored; {hint}")
    return messages


def check_settings(settings: dict[str, Any], warn: Callable[[str], None]) -> BylineSettings:
    """Once per build: warn about unknown keys and unusable values, then return typed settings.

    An unusable value is replaced by its default in ``settings`` (after a warning naming
    it), so every later reader of the dict sees a usable value and the build goes on.
    """
    for message in unknown_settings(settings):
        warn(message)

    def repair(name: str, message: str) -> None:
        settings[name] = default(name)
        warn(f"{message}; the default {settings[name]!r} is used for this build")

    apply_defaults(settings)
    return load_settings(settings, on_problem=repair)
