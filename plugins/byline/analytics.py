"""The analytics provider's page script: which tag, if any, production pages load.

A site that counts pageviews with Plausible, GoatCounter or Umami (the same
``BYLINE_PAGEVIEWS_SOURCE`` and ``BYLINE_PAGEVIEWS_SITE_ID`` that `invoke pageviews`
reads) needs the provider's counting script on its pages. All three are cookie-free.
The script goes only into production builds (absolute ``SITEURL``, no relative URLs:
``publishconf.py``), so looking at the local build never counts as a visit;
``BYLINE_ANALYTICS_SCRIPT = False`` leaves it out everywhere. It is the only request a
page makes to another host, and it is ``defer``red so it never holds up the page.

``analytics_script`` is pure: settings in, the tag's attributes (or nothing, and why) out.
The theme prints the attributes as they come.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .settings import value

PROVIDERS = ("plausible", "goatcounter", "umami")

# The providers' public services: where their script is served from when no
# self-hosted address is set.
_PUBLIC = {
    "plausible": "https://plausible.io",
    "goatcounter": "https://gc.zgo.at",
    "umami": "https://cloud.umami.is",
}
# API hosts of the public services, which serve no script (Umami Cloud's API lives apart).
_PUBLIC_API_HOSTS = ("plausible.io", "api.umami.is", "cloud.umami.is")


@dataclass(frozen=True)
class ScriptTag:
    """A ``<script defer>`` tag's other attributes, in the order they are printed."""

    attributes: tuple[tuple[str, str], ...]

    @property
    def src(self) -> str:
        return dict(self.attributes)["src"]


@dataclass(frozen=True)
class AnalyticsChoice:
    """The tag production pages load (None: no script), and a warning for the owner if any."""

    tag: ScriptTag | None = None
    problem: str = ""


def is_production_build(settings: Mapping[str, Any]) -> bool:
    """A build for the real address: absolute SITEURL and no relative URLs (publishconf.py)."""
    site_url = str(settings.get("SITEURL") or "")
    return not settings.get("RELATIVE_URLS") and site_url.startswith(("http://", "https://"))


def analytics_script(settings: Mapping[str, Any]) -> AnalyticsChoice:
    """The provider's script for this build, or none: local build, turned off, no provider."""
    source = str(value(settings, "BYLINE_PAGEVIEWS_SOURCE")).strip().lower()
    if source not in PROVIDERS or not value(settings, "BYLINE_ANALYTICS_SCRIPT"):
        return AnalyticsChoice()
    if not is_production_build(settings):
        return AnalyticsChoice()
    site_id = str(value(settings, "BYLINE_PAGEVIEWS_SITE_ID")).strip()
    if not site_id:
        return AnalyticsChoice(problem=_missing_site_id(source))
    base, problem = _script_base(source, settings)
    if problem:
        return AnalyticsChoice(problem=problem)
    return AnalyticsChoice(tag=ScriptTag(_attributes(source, site_id, base)))


def _script_base(source: str, settings: Mapping[str, Any]) -> tuple[str | None, str]:
    """The self-hosted server's address (None: the public service), or why it is unusable.

    ``BYLINE_ANALYTICS_SCRIPT_URL`` wins; else a self-hosted ``BYLINE_PAGEVIEWS_API_URL``
    (one server answers the API and serves the script); else the public service.
    """
    chosen = str(value(settings, "BYLINE_ANALYTICS_SCRIPT_URL")).strip()
    name = "BYLINE_ANALYTICS_SCRIPT_URL"
    if not chosen:
        chosen, name = str(value(settings, "BYLINE_PAGEVIEWS_API_URL")).strip(), ""
        host = (urlsplit(chosen).hostname or "").lower()
        if not chosen or host in _PUBLIC_API_HOSTS or host.endswith(".goatcounter.com"):
            return None, ""
        name = "BYLINE_PAGEVIEWS_API_URL"
    if not chosen.lower().startswith("https://") or not urlsplit(chosen).hostname:
        return None, (
            f"{name} is {chosen!r} in pelicanconf.py, not an https:// address, so production "
            f"pages load no {source} script; set it to your {source} server's address, "
            'e.g. "https://stats.example.com"'
        )
    return chosen.rstrip("/"), ""


def _attributes(source: str, site_id: str, base: str | None) -> tuple[tuple[str, str], ...]:
    if source == "plausible":
        return (("data-domain", site_id), ("src", f"{base or _PUBLIC[source]}/js/script.js"))
    if source == "goatcounter":
        counter = f"{base}/count" if base else f"https://{site_id}.goatcounter.com/count"
        return (("data-goatcounter", counter), ("src", f"{base or _PUBLIC[source]}/count.js"))
    return (("data-website-id", site_id), ("src", f"{base or _PUBLIC[source]}/script.js"))


def _missing_site_id(source: str) -> str:
    what = {
        "plausible": "your site's domain as Plausible knows it",
        "goatcounter": "your GoatCounter code (from yourcode.goatcounter.com)",
        "umami": "your Umami website id",
    }[source]
    return (
        f"BYLINE_PAGEVIEWS_SOURCE is {source!r} but BYLINE_PAGEVIEWS_SITE_ID is empty in "
        f"pelicanconf.py, so production pages load no {source} script; set it to {what}, "
        "or set BYLINE_ANALYTICS_SCRIPT = False to leave the script out"
    )
