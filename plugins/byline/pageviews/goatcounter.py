"""GoatCounter API v0: hits per path, paged by excluding path ids already seen."""

from __future__ import annotations

from datetime import date

from .errors import PageviewSourceError
from .http import HttpClient

EXPECTED = '{"hits": [{"path_id": 1, "path": "/x", "count": n}], "more": true|false}'
MAX_PAGES = 1000
PAGE_SIZE = 100  # paths per request: a few hundred articles take a handful of requests
REQUESTS_PER_SECOND = 4  # GoatCounter's documented API rate limit


def fetch_goatcounter(
    client: HttpClient,
    *,
    base_url: str,
    api_key: str,
    start: date,
    end: date,
    page_size: int = PAGE_SIZE,
) -> dict[str, int]:
    """``GET {base}/api/v0/stats/hits``; while "more", ask again excluding seen path ids.

    Give ``client`` ``min_interval=1 / REQUESTS_PER_SECOND`` to respect the rate limit.
    """
    url = base_url.rstrip("/") + "/api/v0/stats/hits"
    headers = {"Authorization": f"Bearer {api_key}", "Accept": "application/json"}
    views: dict[str, int] = {}
    seen: list[int] = []
    seen_set: set[int] = set()
    for _ in range(MAX_PAGES):
        params: dict[str, str | int] = {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "limit": page_size,
        }
        if seen:
            params["exclude_paths"] = ",".join(str(path_id) for path_id in seen)
        data = client.request_json("GET", url, headers=headers, params=params, expected=EXPECTED)
        hits = data.get("hits") if isinstance(data, dict) else None
        more = data.get("more") if isinstance(data, dict) else None
        if not isinstance(hits, list) or not isinstance(more, bool):
            raise PageviewSourceError(
                f'GoatCounter answered without a "hits" list and a "more" flag; expected {EXPECTED}'
            )
        new = 0
        for hit in hits:
            path = hit.get("path") if isinstance(hit, dict) else None
            path_id = hit.get("path_id") if isinstance(hit, dict) else None
            count = hit.get("count") if isinstance(hit, dict) else None
            if (
                not isinstance(path, str)
                or not isinstance(path_id, int)
                or isinstance(path_id, bool)
                or not isinstance(count, int)
                or isinstance(count, bool)
                or count < 0
            ):
                raise PageviewSourceError(
                    f"GoatCounter hit is malformed ({str(hit)[:120]}); expected {EXPECTED}"
                )
            if path_id in seen_set:
                continue
            seen_set.add(path_id)
            seen.append(path_id)
            new += 1
            views[path] = views.get(path, 0) + count
        if not more:
            return views
        if new == 0:
            raise PageviewSourceError(
                'GoatCounter said "more": true but sent no new paths; stopped to avoid a loop'
            )
    raise PageviewSourceError(f"GoatCounter kept saying there is more after {MAX_PAGES} pages")
