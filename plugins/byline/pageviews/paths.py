"""Match the many spellings of a page in analytics data to the site's article paths.

Analytics report "/x/?utm_source=y", "https://SITE/x/index.html", "/x#part", "/x" or an
old slug that now redirects; they are all the same article. Anything that cannot be matched
is summed up in ``MatchResult`` (count and the top few by views) — never silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

INDEX_NAMES = ("index.html", "index.htm")
# How many unmatched paths a refresh names, busiest first: enough to spot a renamed article.
TOP_UNMATCHED = 5


def _without_query(text: str) -> str:
    """Everything before the first "?" or "#"."""
    for mark in ("#", "?"):
        cut = text.find(mark)
        if cut != -1:
            text = text[:cut]
    return text


def _is_full_url(text: str) -> bool:
    """ "https://host/x" or "//host/x", as opposed to a path."""
    return "://" in text[:12] or text.startswith("//")


def clean_path(raw: str) -> str:
    """Drop query string and fragment (they may carry personal data) and surrounding space.

    Keeps scheme and host of full URLs (lower-cased) so matching can tell other sites apart.
    Used before storing paths in a snapshot.
    """
    text = _without_query(raw.strip())
    if _is_full_url(text):
        parts = urlsplit(text)
        host = (parts.netloc or "").lower()
        scheme = parts.scheme.lower()
        prefix = f"{scheme}://" if scheme else "//"
        return f"{prefix}{host}{parts.path or '/'}"
    return text


def _host_key(netloc: str) -> str:
    """Host without port, user info or a leading www., for comparing to the site URL."""
    host = netloc.rsplit("@", 1)[-1].lower()
    # An IPv6 literal keeps its brackets; any other host loses its port.
    host = host.split("]", 1)[0] + "]" if host.startswith("[") else host.split(":", 1)[0]
    return host.removeprefix("www.").rstrip(".")


@dataclass(frozen=True)
class SiteURL:
    """The parts of SITEURL that matter: host (may be empty) and path prefix like /blog."""

    host: str
    prefix: str

    @classmethod
    def parse(cls, site_url: str | None) -> SiteURL:
        """Accept "", "https://Example.com", "https://example.com/blog/" and so on."""
        if not site_url:
            return cls("", "")
        text = site_url.strip()
        if "://" not in text and not text.startswith("//"):
            text = "//" + text if not text.startswith("/") else text
        parts = urlsplit(text)
        prefix = unquote(parts.path).rstrip("/")
        return cls(_host_key(parts.netloc), prefix)


def canonical_path(raw: str, site: SiteURL | None = None) -> str | None:
    """One comparable form: decoded, no query/fragment/index.html/trailing slash, lower-case.

    Returns None for a full URL on another host than the site's (it is not this site's page).
    The root page is "/".
    """
    site = site or SiteURL("", "")
    text = raw.strip()
    if not text:
        return None
    text = _without_query(text)
    if _is_full_url(text):
        parts = urlsplit(text)
        if site.host and _host_key(parts.netloc) != site.host:
            return None
        text = parts.path or "/"
    elif not text.startswith("/") and site.host:
        first, _, rest = text.partition("/")
        if _host_key(first) == site.host:  # "example.com/x/", as some exports write it
            text = "/" + rest
    path = unquote(text)
    if not path.startswith("/"):
        path = "/" + path
    while "//" in path:
        path = path.replace("//", "/")
    if site.prefix and (path == site.prefix or path.startswith(site.prefix + "/")):
        path = path[len(site.prefix) :] or "/"
    for name in INDEX_NAMES:
        if path.endswith("/" + name):
            path = path[: -len(name)]
            break
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return path.casefold()


@dataclass(frozen=True)
class MatchResult:
    """Views per known article path, and what could not be matched (never dropped silently)."""

    views: dict[str, int]
    matched_views: int
    unmatched_paths: int
    unmatched_views: int
    top_unmatched: list[tuple[str, int]] = field(default_factory=list)

    def describe(self) -> str:
        """A one-line summary for a build log."""
        text = (
            f"{self.matched_views} views matched {len(self.views)} articles; "
            f"{self.unmatched_paths} other paths with {self.unmatched_views} views"
        )
        if self.top_unmatched:
            top = ", ".join(f"{path} ({count})" for path, count in self.top_unmatched)
            text += f" (top: {top})"
        return text


def _resolve_redirects(redirects: Mapping[str, str], site: SiteURL) -> dict[str, str]:
    """Canonical old path -> canonical final path, following chains and ignoring loops."""
    step: dict[str, str] = {}
    for old, new in redirects.items():
        old_key = canonical_path(old, site)
        new_key = canonical_path(new, site)
        if old_key is not None and new_key is not None and old_key != new_key:
            step[old_key] = new_key
    final: dict[str, str] = {}
    for old in step:
        target = step[old]
        seen = {old}
        while target in step and target not in seen:
            seen.add(target)
            target = step[target]
        final[old] = target
    return final


def match_views(
    raw_views: Mapping[str, int],
    known_paths: Iterable[str],
    site_url: str | None = "",
    redirects: Mapping[str, str] | None = None,
    *,
    top_unmatched: int = TOP_UNMATCHED,
) -> MatchResult:
    """Sum ``raw_views`` onto ``known_paths`` (like "/cash-flow-is-a-calendar/").

    Each raw key may be a full URL or a path in any common spelling; old paths go through
    ``redirects`` ({old_path: new_path}, chains followed). Returned keys are the known paths
    exactly as given. Unmatched paths are counted and the top ``top_unmatched`` listed.
    """
    site = SiteURL.parse(site_url)
    by_key: dict[str, str] = {}
    for known in known_paths:
        key = canonical_path(known, site)
        if key is not None:
            by_key.setdefault(key, known)
    moved = _resolve_redirects(redirects or {}, site)
    views: dict[str, int] = {}
    unmatched: dict[str, int] = {}
    for raw, count in raw_views.items():
        if count <= 0:
            continue
        key = canonical_path(raw, site)
        if key is not None:
            key = moved.get(key, key)
        known = by_key.get(key) if key is not None else None
        if known is None:
            label = clean_path(raw) if key is None else key
            unmatched[label] = unmatched.get(label, 0) + count
        else:
            views[known] = views.get(known, 0) + count
    top = sorted(unmatched.items(), key=lambda item: (-item[1], item[0]))[:top_unmatched]
    return MatchResult(
        views=views,
        matched_views=sum(views.values()),
        unmatched_paths=len(unmatched),
        unmatched_views=sum(unmatched.values()),
        top_unmatched=top,
    )
