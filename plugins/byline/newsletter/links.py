"""Campaign parameters on links, and the URL rules an email needs.

UTM parameters go only on links to the site itself (the host of the site URL): they are
for the site's own analytics, and adding them to other people's links leaks the
campaign and can break signed URLs. Existing query parameters are kept in order, any
existing utm_source/utm_medium/utm_campaign is replaced, and the #fragment is kept.
``mailto:`` links and the unsubscribe token are never touched.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..slugs import slugify as _slugify
from .config import UNSUBSCRIBE_TOKEN

UTM_SOURCE = "newsletter"
UTM_MEDIUM = "email"


# Campaign names keep to a-z, 0-9 and single hyphens, so analytics tools never re-encode them.
_CAMPAIGN_SUBSTITUTIONS = ((r"[^a-z0-9]+", "-"), (r"\A-+|-+\Z", ""))


def slugify(text: str) -> str:
    """ASCII, lower case, words joined by hyphens: 'Café Notes #3' -> 'cafe-notes-3'."""
    return _slugify(text, regex_subs=_CAMPAIGN_SUBSTITUTIONS) or "newsletter"


def campaign_name(name: str, number: int) -> str:
    """The utm_campaign value for one issue, e.g. 'the-counter-weekly-14'."""
    return f"{slugify(name)}-{number}"


def is_absolute(url: str) -> bool:
    """An http(s) URL with a host: the only kind an email client can always follow."""
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def is_exempt(url: str) -> bool:
    """Links that are neither absolute web links nor mistakes: mailto: and the token."""
    stripped = url.strip()
    return stripped == UNSUBSCRIBE_TOKEN or stripped.lower().startswith("mailto:")


def _same_site(url: str, site_url: str) -> bool:
    return urlsplit(url).netloc.lower() == urlsplit(site_url).netloc.lower()


@lru_cache(maxsize=8192)  # each link appears in the HTML, the text and the feed
def add_utm(url: str, campaign: str, site_url: str, enabled: bool = True) -> str:
    """``url`` with the issue's campaign parameters, when it points at the site."""
    if not enabled or is_exempt(url) or not is_absolute(url) or not _same_site(url, site_url):
        return url
    parts = urlsplit(url)
    ours = {"utm_source": UTM_SOURCE, "utm_medium": UTM_MEDIUM, "utm_campaign": campaign}
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in ours]
    query.extend(ours.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


class Linker:
    """One issue's link rule, so templates call ``link(url)`` and never forget it."""

    def __init__(self, campaign: str, site_url: str, enabled: bool) -> None:
        self.campaign = campaign
        self.site_url = site_url
        self.enabled = enabled

    def __call__(self, url: str) -> str:
        return add_utm(url, self.campaign, self.site_url, self.enabled)
