"""Run the service with uvicorn: ``invoke subscriptions.serve`` and ``python -m
byline.subscriptions`` both end here."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .config import service_config


def serve(
    settings: Mapping[str, Any],
    environ: Mapping[str, str],
    base_dir: Path | str,
    *,
    host: str = "",
    port: int = 0,
) -> None:
    """Serve until stopped. One process, one event loop: SQLite wants one writer, and one
    core answers far more sign-ups than a column site ever sees (README: figures)."""
    import logging

    import uvicorn

    from .app import create_app

    config = service_config(settings, environ, base_dir)
    # uvicorn's access log would keep every confirmation token; the app logs each request
    # itself, without query strings, and never a full address.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    from sqlalchemy.engine import make_url

    logging.getLogger(__name__).info(
        "readers in %s; links in emails start %s; sign-ups go on to %s",
        make_url(config.database).render_as_string(hide_password=True),
        config.service_url,
        config.thanks_url,
    )
    from ..siteurl import non_public_reason

    for name, url in (
        ("SITEURL", config.site_url),
        ("BYLINE_SUBSCRIPTIONS_URL", config.service_url),
    ):
        reason = non_public_reason(url)
        if reason:
            logging.getLogger(__name__).warning(
                "%s: %s; readers cannot reach it (fine for trying the service on this "
                "computer; on the server set the real address)",
                name,
                reason,
            )
    uvicorn.run(
        create_app(config),
        host=host or config.host,
        port=port or config.port,
        proxy_headers=False,  # the client address comes from BYLINE_SUBSCRIPTIONS_TRUSTED_HEADER
        server_header=False,
        log_level="info",
        access_log=False,
    )
