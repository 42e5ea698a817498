"""A small JSON-over-HTTP client for the analytics APIs: timeouts, retries, clear errors.

Every call has a timeout; connection errors, 429 and 5xx are retried with exponential
back-off (``Retry-After`` honoured on 429 and 503) up to ``max_attempts``; ``sleep`` and
``clock`` are injectable so tests never really wait. Failures become one
``PageviewSourceError`` whose message says what to fix. Headers (and so API keys) never
appear in messages or logs. A redirect to another origin (scheme, host, port) loses every
header we set but the harmless ones: requests itself drops only ``Authorization``, and
Umami's key travels in ``x-umami-api-key``. ``requests`` is imported lazily: builds never
need it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from ..retry import backoff_delay, parse_retry_after
from ..settings import default
from .errors import PageviewSourceError

log = logging.getLogger("byline.pageviews")

# Headers that say nothing about who we are: the only ones kept when a redirect leaves
# the provider's origin.
SAFE_ACROSS_ORIGINS = frozenset(
    {"accept", "accept-encoding", "connection", "content-length", "content-type", "user-agent"}
)

# How hard a refresh tries; not user settings: a refresh run by hand or by CI is simply run
# again. Four attempts, one, two and four seconds apart, ride out a short outage, and
# a provider asking for more than two minutes is better told to the user than waited out.
MAX_ATTEMPTS = 4
BACKOFF_SECONDS = 1.0  # the first wait; each retry doubles it (byline.retry)
MAX_WAIT_SECONDS = 120.0


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the scheme's default port filled in, for comparing URLs."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None:
        port = {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower().rstrip("."), port


def _session() -> Any:
    """A requests session that drops credentials when a redirect leaves the origin."""
    import requests

    class OriginBoundSession(requests.Session):
        def rebuild_auth(self, prepared_request: Any, response: Any) -> None:
            # Replaces requests' own rule (strip Authorization on a host change, then add
            # ~/.netrc credentials for the new host) with: leave the origin, lose them all.
            if origin(response.request.url) != origin(prepared_request.url):
                for name in list(prepared_request.headers):
                    if name.lower() not in SAFE_ACROSS_ORIGINS:
                        del prepared_request.headers[name]

    return OriginBoundSession()


class HttpClient:
    """JSON requests to one provider with retries, rate limiting and friendly errors."""

    def __init__(
        self,
        provider: str,
        *,
        timeout: float = float(default("BYLINE_PAGEVIEWS_TIMEOUT")),
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        max_attempts: int = MAX_ATTEMPTS,
        backoff: float = BACKOFF_SECONDS,
        max_wait: float = MAX_WAIT_SECONDS,
        min_interval: float = 0.0,
        key_env: str | None = None,
        settings_hint: str = "BYLINE_PAGEVIEWS_SITE_ID and BYLINE_PAGEVIEWS_API_URL",
    ) -> None:
        self.provider = provider
        self.timeout = timeout
        self.sleep = sleep
        self.clock = clock
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff
        self.max_wait = max_wait
        self.min_interval = min_interval
        self.key_env = key_env
        self.settings_hint = settings_hint
        self.requests_made = 0
        self._last_request: float | None = None
        self._session: Any = None

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled connections."""
        if self._session is not None:
            self._session.close()
            self._session = None

    def _throttle(self) -> None:
        """Keep at least ``min_interval`` seconds between requests (GoatCounter: 4/s)."""
        if self.min_interval <= 0:
            return
        now = self.clock()
        if self._last_request is not None:
            delay = self._last_request + self.min_interval - now
            if delay > 0:
                self.sleep(delay)
                now = self.clock()
        self._last_request = now

    def _where(self, url: str) -> str:
        parts = urlsplit(url)
        host = parts.netloc.rsplit("@", 1)[-1]  # never echo user:password@ from a URL
        return f"{parts.scheme}://{host}{parts.path}"

    def _key_hint(self) -> str:
        if self.key_env:
            return f"check the API key in the environment variable {self.key_env}"
        return "check the API key"

    def request_json(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        expected: str = "a JSON document",
    ) -> Any:
        """Send one request (retrying as documented) and return the parsed JSON answer."""
        if self._session is None:
            self._session = _session()
        where = self._where(url)
        request = {"headers": headers, "params": params, "json": json}
        for attempt in range(1, self.max_attempts + 1):
            response = self._send(method, url, request, where, attempt)
            if response is None or self._retry_later(response, where, attempt):
                continue
            self._refuse_error(response, url, where, headers)
            try:
                return response.json()
            except ValueError:
                raise PageviewSourceError(
                    f"{self.provider} answered {where} with something that is not JSON "
                    f"({_snippet(response, headers)!r}); expected {expected}",
                    status=response.status_code,
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(
        self, method: str, url: str, request: Mapping[str, Any], where: str, attempt: int
    ) -> Any:
        """The response, or None after waiting when the network failed and tries remain."""
        import requests  # lazily: only refreshes talk to the network

        self._throttle()
        self.requests_made += 1
        try:
            return self._session.request(
                method,
                url,
                headers=dict(request["headers"] or {}),  # a fresh copy for every attempt
                params=request["params"],
                json=request["json"],
                timeout=self.timeout,
                auth=_no_netrc,
            )
        except (requests.ConnectionError, requests.Timeout) as exc:
            problem = exc.__class__.__name__
            if attempt < self.max_attempts:
                wait = backoff_delay(self.backoff, attempt)
                log.info("%s: %s on %s; retrying in %.1f s", self.provider, problem, where, wait)
                self.sleep(wait)
                return None
            raise PageviewSourceError(
                f"could not reach {self.provider} at {where} after {attempt} attempts "
                f"({problem}); check BYLINE_PAGEVIEWS_API_URL and the network, "
                "then run `invoke pageviews` again"
            ) from None
        except requests.RequestException as exc:
            raise PageviewSourceError(
                f"request to {self.provider} at {where} failed ({exc.__class__.__name__}); "
                "check BYLINE_PAGEVIEWS_API_URL"
            ) from None

    def _retry_later(self, response: Any, where: str, attempt: int) -> bool:
        """True after waiting when a 429 or 5xx may pass; raises when it will not."""
        status = response.status_code
        if not (status == 429 or 500 <= status <= 599):
            return False
        asked = None
        if status in (429, 503):
            asked = parse_retry_after(response.headers.get("Retry-After"))
        wait = backoff_delay(self.backoff, attempt, asked)
        response.close()
        if wait > self.max_wait:
            raise PageviewSourceError(
                f"{self.provider} asked to wait {wait:.0f} s before trying again "
                f"(HTTP {status}); run `invoke pageviews` again later",
                status=status,
            )
        if attempt < self.max_attempts:
            log.info("%s: HTTP %s from %s; retrying in %.1f s", self.provider, status, where, wait)
            self.sleep(wait)
            return True
        if status == 429:
            raise PageviewSourceError(
                f"{self.provider} kept rate-limiting requests (HTTP 429) after "
                f"{attempt} attempts; wait a few minutes and run `invoke pageviews` again",
                status=status,
            )
        raise PageviewSourceError(
            f"{self.provider} had a server error (HTTP {status}) on {where} "
            f"{attempt} times; try again later",
            status=status,
        )

    def _refuse_error(
        self, response: Any, url: str, where: str, headers: Mapping[str, str] | None
    ) -> None:
        """Raise what a 4xx answer means for the user: key, address or request."""
        status = response.status_code
        if status in (401, 403):
            moved = origin(response.url) != origin(url)
            raise PageviewSourceError(
                f"{self.provider} refused the request (HTTP {status}) on {where}; "
                + (
                    f"it was redirected to {self._where(response.url)}, another address, "
                    "so the key was not sent there: if that is the provider's new "
                    "address, put it in BYLINE_PAGEVIEWS_API_URL"
                    if moved
                    else f"{self._key_hint()} and that it may read this site's stats"
                ),
                status=status,
            )
        if status == 404:
            raise PageviewSourceError(
                f"{self.provider} answered 404 Not Found for {where}; check "
                f"{self.settings_hint} in pelicanconf.py",
                status=status,
            )
        if status >= 400:
            raise PageviewSourceError(
                f"{self.provider} rejected the request (HTTP {status}) on {where}: "
                f"{_snippet(response, headers)}",
                status=status,
            )


def _no_netrc(request: Any) -> Any:
    """An explicit no-op auth, so requests never swaps our header for ~/.netrc credentials."""
    return request


def _snippet(response: Any, headers: Mapping[str, str] | None = None, limit: int = 200) -> str:
    """The start of a response body, on one line, for an error message.

    Any header value we sent (an API key) is blanked, in case a server echoes it back.
    """
    try:
        text = response.text
    except Exception:  # noqa: BLE001 - any decoding problem: say nothing more
        return "<unreadable body>"
    for value in (headers or {}).values():
        token = value.split()[-1] if value.split() else ""
        if len(token) >= 8:
            text = text.replace(token, "[redacted]")
    text = " ".join(text.split())
    return text[:limit] + ("…" if len(text) > limit else "")
