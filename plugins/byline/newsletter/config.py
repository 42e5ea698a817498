"""Newsletter settings: every BYLINE_NEWSLETTER_* key's check (defaults: byline.settings).

The digest is rebuilt from the content on every build, so everything that shapes it
lives here and nowhere else: two machines with the same settings and articles send the
same email. ``from_settings`` turns Pelican's settings dict into a frozen value object
and fails early, naming the key, when a value cannot work.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import BylineSettingsError
from ..settings import CALLS_TO_ACTION, PERIODS, WEEKDAYS, NewsletterSection, value

#: The placeholder the sending service replaces with each reader's own unsubscribe link.
#: It is written verbatim into href attributes and the text twin, never URL-encoded.
UNSUBSCRIBE_TOKEN = "{{unsubscribe_url}}"


#: Placeholders the subject and preheader templates may use.
TEMPLATE_FIELDS = (
    "name",
    "number",
    "date",
    "lead_title",
    "lead_standfirst",
    "lead_author",
    "count",
)


_D = NewsletterSection()  # the defaults, from byline.settings


class NewsletterConfigError(BylineSettingsError):
    """A BYLINE_NEWSLETTER_* value that cannot produce an email; the message names the key."""


@dataclass(frozen=True)
class NewsletterSettings:
    """What the newsletter modules need, already checked and with defaults applied."""

    name: str
    from_name: str
    period: str
    weekday: str
    subject_template: str
    preheader_template: str
    call_to_action: str
    reason: str
    postal_address: str
    utm: bool
    max_html_kb: int
    site_url: str
    site_name: str
    language: str
    timezone: str = "UTC"  # when neither BYLINE_NEWSLETTER_TIMEZONE nor TIMEZONE is set
    subscribe_url: str = _D.subscribe_url
    most_read_count: int = _D.most_read_count
    since: str = _D.since
    max_stories: int = _D.max_stories

    @property
    def tz(self) -> ZoneInfo:
        """The zone whose midnights bound the periods."""
        return ZoneInfo(self.timezone)


def _check_template(key: str, template: str) -> None:
    """Fail on a placeholder the composer cannot fill, before any issue is built."""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as error:
        raise NewsletterConfigError(
            f"{key} {template!r} is not a valid template: {error}"
        ) from None
    for field in fields:
        base = field.split(".")[0].split("[")[0]
        if base not in TEMPLATE_FIELDS:
            known = ", ".join("{" + f + "}" for f in TEMPLATE_FIELDS)
            raise NewsletterConfigError(
                f"{key} uses {{{field}}}, which is not known; use any of {known}"
            )


def _choice(settings: dict[str, Any], key: str, choices: tuple[str, ...]) -> str:
    chosen = str(value(settings, key)).strip().lower()
    if chosen not in choices:
        raise NewsletterConfigError(f"{key} is {chosen!r}; use one of: {', '.join(choices)}")
    return chosen


def from_settings(settings: dict[str, Any]) -> NewsletterSettings:
    """Build the newsletter settings from Pelican's settings and byline.settings' defaults.

    Raises NewsletterConfigError naming the key when a value is unusable, for example a
    site URL that is not absolute (emails cannot carry relative links).
    """

    def get(key: str) -> Any:
        return value(settings, key)

    site_name = str(settings.get("SITENAME") or "").strip()
    name = str(get("BYLINE_NEWSLETTER_NAME")).strip() or site_name
    if not name:
        raise NewsletterConfigError("BYLINE_NEWSLETTER_NAME is empty and so is SITENAME")

    site_url = str(get("BYLINE_NEWSLETTER_SITE_URL") or settings.get("SITEURL") or "").strip()
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise NewsletterConfigError(
            f"the newsletter needs an absolute site URL, got {site_url!r}: set SITEURL "
            "(or BYLINE_NEWSLETTER_SITE_URL) to e.g. 'https://example.com'"
        )
    site_url = site_url.rstrip("/")

    subscribe_url = str(get("BYLINE_NEWSLETTER_SUBSCRIBE_URL")).strip() or site_url + "/"
    if urlsplit(subscribe_url).scheme not in ("http", "https"):
        raise NewsletterConfigError(
            f"BYLINE_NEWSLETTER_SUBSCRIBE_URL must be absolute, got {subscribe_url!r}"
        )

    timezone = str(get("BYLINE_NEWSLETTER_TIMEZONE") or settings.get("TIMEZONE") or "UTC").strip()
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise NewsletterConfigError(
            f"time zone {timezone!r} (BYLINE_NEWSLETTER_TIMEZONE or TIMEZONE) is unknown; "
            "use a name such as 'Europe/London'"
        ) from None

    subject = str(get("BYLINE_NEWSLETTER_SUBJECT"))
    preheader = str(get("BYLINE_NEWSLETTER_PREHEADER"))
    _check_template("BYLINE_NEWSLETTER_SUBJECT", subject)
    _check_template("BYLINE_NEWSLETTER_PREHEADER", preheader)

    max_kb = get("BYLINE_NEWSLETTER_MAX_HTML_KB")
    if isinstance(max_kb, bool) or not isinstance(max_kb, int) or max_kb <= 0:
        raise NewsletterConfigError(
            f"BYLINE_NEWSLETTER_MAX_HTML_KB must be a positive whole number, got {max_kb!r}"
        )
    most_read = get("BYLINE_NEWSLETTER_MOST_READ_COUNT")
    if isinstance(most_read, bool) or not isinstance(most_read, int) or most_read < 0:
        raise NewsletterConfigError(
            f"BYLINE_NEWSLETTER_MOST_READ_COUNT must be 0 or more, got {most_read!r}"
        )

    max_stories = get("BYLINE_NEWSLETTER_MAX_STORIES")
    if isinstance(max_stories, bool) or not isinstance(max_stories, int) or max_stories < 0:
        raise NewsletterConfigError(
            f"BYLINE_NEWSLETTER_MAX_STORIES must be 0 or more (stories beside the lead), "
            f"got {max_stories!r}"
        )

    since = str(get("BYLINE_NEWSLETTER_SINCE") or "").strip()
    if since:
        from datetime import date

        try:
            date.fromisoformat(since)
        except ValueError:
            raise NewsletterConfigError(
                f"BYLINE_NEWSLETTER_SINCE must be a date like '2026-01-06', got {since!r}"
            ) from None

    language = str(get("BYLINE_NEWSLETTER_LANGUAGE") or settings.get("DEFAULT_LANG") or "en")
    return NewsletterSettings(
        name=name,
        from_name=str(get("BYLINE_NEWSLETTER_FROM_NAME")).strip() or name,
        period=_choice(settings, "BYLINE_NEWSLETTER_PERIOD", PERIODS),
        weekday=_choice(settings, "BYLINE_NEWSLETTER_WEEKDAY", WEEKDAYS),
        subject_template=subject,
        preheader_template=preheader,
        call_to_action=_choice(settings, "BYLINE_NEWSLETTER_CALL_TO_ACTION", CALLS_TO_ACTION),
        reason=str(get("BYLINE_NEWSLETTER_REASON")).strip(),
        postal_address=str(get("BYLINE_NEWSLETTER_POSTAL_ADDRESS")).strip(),
        utm=bool(get("BYLINE_NEWSLETTER_UTM")),
        max_html_kb=max_kb,
        site_url=site_url,
        site_name=site_name or name,
        language=language.strip() or "en",
        timezone=timezone,
        subscribe_url=subscribe_url,
        most_read_count=most_read,
        since=since,
        max_stories=max_stories,
    )
