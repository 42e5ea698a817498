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
from collections.abc import Callable, Mapping
from typing import TypeVar
from urllib.parse import urlsplit

OVERRIDE = "BYLINE_ALLOW_NON_PUBLIC_URL"
PLACEHOLDER_SITE_URL = "https://thecounter.example.com"  # what publishconf.py ships with
LOCAL_SITE_URL = "http://127.0.0.1:8000"  # where `invoke serve` shows a local build

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


# Each rule is a test and the reason printed when it holds; the first that holds wins,
# so a table reads as the order a reader of the rule would check by hand.
_Address = ipaddress.IPv4Address | ipaddress.IPv6Address
T = TypeVar("T")

_ADDRESS_RULES: tuple[tuple[Callable[[_Address], bool], str], ...] = (
    (lambda a: a.is_loopback, "{url} is a loopback address (this machine only)"),
    (lambda a: a.is_unspecified, "{url} is the unspecified address"),
    (
        lambda a: a.is_private or a.is_link_local or a.is_reserved,
        "{url} is a private address, not reachable from the internet",
    ),
)

_NAME_RULES: tuple[tuple[Callable[[str], bool], str], ...] = (
    (
        lambda host: host in ("localhost", "home.arpa") or host.endswith(_RESERVED_SUFFIXES),
        "{url} uses a reserved name ({host}) that no reader can reach",
    ),
    (
        lambda host: host.split(".")[-2:-1] == ["example"],
        "{url} uses a reserved example domain ({host})",
    ),
    (lambda host: "." not in host, "{url} has a host name ({host}) without a domain"),
)


def non_public_reason(url: str) -> str | None:
    """Why ``url`` is not a public web address readers can open, or None when it is."""
    url = str(url or "").strip()
    reason = _shape_reason(url)
    if reason is not None:
        return reason
    host = _host(url)
    address = _ip_address(host)
    if address is not None:
        return _first_reason(_ADDRESS_RULES, address, url=url, host=host)
    return _first_reason(_NAME_RULES, host, url=url, host=host)


def _shape_reason(url: str) -> str | None:
    """What makes ``url`` no site address at all: empty, not http(s), no host, the placeholder."""
    if not url:
        return "no site URL is set"
    if urlsplit(url).scheme not in ("http", "https"):
        return f"{url!r} is not an http(s) address"
    if not _host(url):
        return f"{url!r} has no host name"
    if url.rstrip("/") == PLACEHOLDER_SITE_URL:
        return f"{url} is the placeholder Byline ships with"
    return None


def _host(url: str) -> str:
    """The host name as DNS compares it: lower case, without the root's trailing dot."""
    return (urlsplit(url).hostname or "").rstrip(".").lower()


def _ip_address(host: str) -> _Address | None:
    """The host as an IP address, or None when it is a name."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _first_reason(
    rules: tuple[tuple[Callable[[T], bool], str], ...], subject: T, **names: str
) -> str | None:
    """The reason of the first rule that holds for ``subject``, filled in; None when none does."""
    return next((message.format(**names) for test, message in rules if test(subject)), None)


def allows_non_public(settings: Mapping | None = None, environ: Mapping | None = None) -> bool:
    """The documented override: the setting, or the environment variable set to 1."""
    if settings is not None and bool(settings.get(OVERRIDE)):
        return True
    return environ is not None and str(environ.get(OVERRIDE, "")).strip() in ("1", "true", "yes")
