"""Newsletter settings: every BYLINE_NEWSLETTER_* key's check (defaults: byline.settings).

The digest is rebuilt from the content on every build, so everything that shapes it
lives here and nowhere else: two machines with the same settings and articles send the
same email. ``from_settings`` turns Pelican's settings dict into a frozen value object
and fails early, naming the key, when a value cannot work.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import BylineSettingsError
from ..newsletter_layout import ARCHIVE_URL
from ..settings import NewsletterSection, read_section

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


def _site_url(chosen: str, settings: dict[str, Any]) -> str:
    site_url = (chosen or str(settings.get("SITEURL") or "")).strip()
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise NewsletterConfigError(
            f"the newsletter needs an absolute site URL, got {site_url!r}: set SITEURL "
            "(or BYLINE_NEWSLETTER_SITE_URL) to e.g. 'https://example.com'"
        )
    return site_url.rstrip("/")


def _timezone(chosen: str, settings: dict[str, Any]) -> str:
    timezone = str(chosen or settings.get("TIMEZONE") or "UTC").strip()
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise NewsletterConfigError(
            f"time zone {timezone!r} (BYLINE_NEWSLETTER_TIMEZONE or TIMEZONE) is unknown; "
            "use a name such as 'Europe/London'"
        ) from None
    return timezone


def _since(chosen: str) -> str:
    since = chosen.strip()
    if since:
        try:
            date.fromisoformat(since)
        except ValueError:
            raise NewsletterConfigError(
                f"BYLINE_NEWSLETTER_SINCE must be a date like '2026-01-06', got {since!r}"
            ) from None
    return since


def from_settings(settings: dict[str, Any]) -> NewsletterSettings:
    """Build the newsletter settings from Pelican's settings and byline.settings' defaults.

    Raises NewsletterConfigError naming the key when a value is unusable: a wrong type or
    choice (checked by byline.settings), or a site URL that is not absolute (emails cannot
    carry relative links), an unknown time zone, a template placeholder nobody fills.
    """
    read: NewsletterSection = read_section(NewsletterSection, settings, NewsletterConfigError)
    site_name = str(settings.get("SITENAME") or "").strip()
    name = read.name.strip() or site_name
    if not name:
        raise NewsletterConfigError("BYLINE_NEWSLETTER_NAME is empty and so is SITENAME")
    site_url = _site_url(read.site_url, settings)
    # Forwarded readers land on the newsletter page, where the sign-up form is, not the home page.
    subscribe_url = read.subscribe_url.strip() or f"{site_url}/{ARCHIVE_URL}"
    if urlsplit(subscribe_url).scheme not in ("http", "https"):
        raise NewsletterConfigError(
            f"BYLINE_NEWSLETTER_SUBSCRIBE_URL must be absolute, got {subscribe_url!r}"
        )
    _check_template("BYLINE_NEWSLETTER_SUBJECT", read.subject)
    _check_template("BYLINE_NEWSLETTER_PREHEADER", read.preheader)
    language = str(read.language or settings.get("DEFAULT_LANG") or "en")
    return NewsletterSettings(
        name=name,
        from_name=read.from_name.strip() or name,
        period=read.period,
        weekday=read.weekday,
        subject_template=read.subject,
        preheader_template=read.preheader,
        call_to_action=read.call_to_action,
        reason=read.reason.strip(),
        postal_address=read.postal_address.strip(),
        utm=read.utm,
        max_html_kb=read.max_html_kb,
        site_url=site_url,
        site_name=site_name or name,
        language=language.strip() or "en",
        timezone=_timezone(read.timezone, settings),
        subscribe_url=subscribe_url,
        most_read_count=read.most_read_count,
        since=_since(read.since),
        max_stories=read.max_stories,
    )
