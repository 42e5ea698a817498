"""Whether a site address is one readers can reach: the publish gate and the sender ask.

A production build made for ``https://thecounter.example.com`` (the shipped placeholder)
or ``http://127.0.0.1:8000`` (a local build) must never be deployed or mailed: every
canonical link, feed entry and newsletter link would point nowhere. Reserved names
(RFC 2606, RFC 6761, RFC 8375), loopback, private, link-local and unspecified addresses
are not public. ``BYLINE_ALLOW_NON_PUBLIC_URL`` (a setting, or the environment variable
of that name set to 1) is the one deliberate way through, for a staging site on a
private address and for tests.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from urllib.parse import urlsplit

OVERRIDE = "BYLINE_ALLOW_NON_PUBLIC_URL"
PLACEHOLDER_SITE_URL = "https://thecounter.example.com"  # what publishconf.py ships with

_RESERVED_SUFFIXES = (
    ".test",
    ".invalid",
    ".local",
    ".localhost",
    ".internal",
    ".example",
    ".home.arpa",
    ".lan",
)


def non_public_reason(url: str) -> str | None:
    """Why ``url`` is not a public web address readers can open, or None when it is."""
    url = str(url or "").strip()
    if not url:
        return "no site URL is set"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"{url!r} is not an http(s) address"
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        return f"{url!r} has no host name"
    if url.rstrip("/") == PLACEHOLDER_SITE_URL:
        return f"{url} is the placeholder Byline ships with"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        if address.is_loopback:
            return f"{url} is a loopback address (this machine only)"
        if address.is_unspecified:
            return f"{url} is the unspecified address"
        if address.is_private or address.is_link_local or address.is_reserved:
            return f"{url} is a private address, not reachable from the internet"
        return None
    labels = host.split(".")
    if host == "localhost" or host.endswith(_RESERVED_SUFFIXES) or host == "home.arpa":
        return f"{url} uses a reserved name ({host}) that no reader can reach"
    if len(labels) >= 2 and labels[-2] == "example":
        return f"{url} uses a reserved example domain ({host})"
    if len(labels) == 1:
        return f"{url} has a host name ({host}) without a domain"
    return None


def allows_non_public(settings: Mapping | None = None, environ: Mapping | None = None) -> bool:
    """The documented override: the setting, or the environment variable set to 1."""
    if settings is not None and bool(settings.get(OVERRIDE)):
        return True
    return environ is not None and str(environ.get(OVERRIDE, "")).strip() in ("1", "true", "yes")
