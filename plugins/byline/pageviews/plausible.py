"""Plausible Stats API v2: pageviews per page over a date range, paged by offset."""

from __future__ import annotations

from datetime import date

from .errors import PageviewSourceError
from .http import HttpClient

EXPECTED = '{"results": [{"dimensions": ["/path"], "metrics": [pageviews]}], "meta": {...}}'
MAX_PAGES = 1000
PAGE_SIZE = 1000  # pages per request: most sites' whole list in one answer


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def fetch_plausible(
    client: HttpClient,
    *,
    base_url: str,
    site_id: str,
    api_key: str,
    start: date,
    end: date,
    page_size: int = PAGE_SIZE,
) -> dict[str, int]:
    """``POST {base}/api/v2/query`` for event:page pageviews, pages until a short page."""
    url = base_url.rstrip("/") + "/api/v2/query"
    headers = {"Authorization": f"Bearer {api_key}", "Accept": "application/json"}
    views: dict[str, int] = {}
    offset = 0
    for _ in range(MAX_PAGES):
        body = {
            "site_id": site_id,
            "metrics": ["pageviews"],
            "date_range": [start.isoformat(), end.isoformat()],
            "dimensions": ["event:page"],
            "order_by": [["pageviews", "desc"]],
            "pagination": {"limit": page_size, "offset": offset},
        }
        data = client.request_json("POST", url, headers=headers, json=body, expected=EXPECTED)
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            raise PageviewSourceError(
                f'Plausible answered without a "results" list; expected {EXPECTED}'
            )
        for number, row in enumerate(results, start=offset + 1):
            dims = row.get("dimensions") if isinstance(row, dict) else None
            metrics = row.get("metrics") if isinstance(row, dict) else None
            count = _whole(metrics[0]) if isinstance(metrics, list) and metrics else None
            if not (isinstance(dims, list) and dims and isinstance(dims[0], str)) or (
                count is None or count < 0
            ):
                raise PageviewSourceError(
                    f"Plausible result {number} is malformed ({str(row)[:120]}); "
                    f"expected {EXPECTED}"
                )
            views[dims[0]] = views.get(dims[0], 0) + count
        if len(results) < page_size:
            return views
        offset += page_size
    raise PageviewSourceError(
        f"Plausible kept returning full pages after {MAX_PAGES} requests; stopped"
    )
