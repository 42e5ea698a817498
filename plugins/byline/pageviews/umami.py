"""Umami API: pageviews per path from the website metrics endpoint (Cloud or self-hosted)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote, urlsplit

from .errors import PageviewSourceError
from .http import HttpClient

EXPECTED = '[{"x": "/path", "y": pageviews}, ...]'


def metrics_url(base_url: str, website_id: str) -> str:
    """The metrics endpoint for a base URL.

    Self-hosted servers serve the API under ``/api`` ("https://stats.example.com" →
    ".../api/websites/ID/metrics"); Umami Cloud serves it under ``/v1`` with no ``/api``
    ("https://api.umami.is" or ".../v1" → "https://api.umami.is/v1/websites/ID/metrics").
    A base that already ends in /api or /v1 (or /v1/eu and the like) is used as is.
    """
    base = base_url.rstrip("/")
    parts = urlsplit(base)
    segments = [segment for segment in parts.path.split("/") if segment]
    if parts.netloc.lower() == "api.umami.is" and not segments:
        base += "/v1"
    elif not (segments and (segments[-1] == "api" or "v1" in segments)):
        base += "/api"
    return f"{base}/websites/{quote(website_id, safe='')}/metrics"


def fetch_umami(
    client: HttpClient,
    *,
    base_url: str,
    website_id: str,
    api_key: str,
    auth: str,
    start: datetime,
    end: datetime,
) -> dict[str, int]:
    """``GET .../websites/{id}/metrics?type=path`` (``type=url`` on servers that answer 400).

    ``auth`` is "api-key" (Umami Cloud: ``x-umami-api-key``) or "bearer" (self-hosted token).
    """
    url = metrics_url(base_url, website_id)
    if auth == "bearer":
        headers = {"Authorization": f"Bearer {api_key}"}
    else:
        headers = {"x-umami-api-key": api_key}
    headers["Accept"] = "application/json"
    params = {
        "startAt": int(start.timestamp() * 1000),
        "endAt": int(end.timestamp() * 1000),
        "type": "path",
    }
    try:
        data = client.request_json("GET", url, headers=headers, params=params, expected=EXPECTED)
    except PageviewSourceError as exc:
        if exc.status != 400:
            raise
        params["type"] = "url"  # Umami before the 2025 rename of url to path
        data = client.request_json("GET", url, headers=headers, params=params, expected=EXPECTED)
    if not isinstance(data, list):
        raise PageviewSourceError(
            f"Umami answered with {type(data).__name__}, not a list; expected {EXPECTED}"
        )
    views: dict[str, int] = {}
    for number, row in enumerate(data, start=1):
        path = row.get("x") if isinstance(row, dict) else None
        count = row.get("y") if isinstance(row, dict) else None
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise PageviewSourceError(
                f"Umami row {number} is malformed ({str(row)[:120]}); expected {EXPECTED}"
            )
        if not isinstance(path, str) or not path:
            continue  # Umami reports views it could not attribute with x = null
        views[path] = views.get(path, 0) + count
    return views
