"""Where the newsletter lives in a built site: ``newsletter/<n>/``, its feeds, and the
thank-you page readers land on after signing up.

The digest writes there, ``invoke newsletter.send`` reads from there, and the collision
rules keep posts off it; all three ask this module, so the layout is written once.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ARCHIVE_URL = "newsletter/"  # the archive page the emails and feeds link to
FEED_URLS = {"atom": "newsletter/feed.atom.xml", "rss": "newsletter/feed.rss.xml"}
THANKS_URL = "newsletter/thanks/"  # where the sign-up provider sends a new reader
THANKS_SAVE_AS = THANKS_URL + "index.html"


def builds_thanks_page(settings: Mapping[str, Any]) -> bool:
    """Whether the site has Byline's own thank-you page.

    It does unless ``BYLINE_NEWSLETTER_THANKS_URL`` names another page (the site's own
    sign-up landing, or one elsewhere): then that page is the site's business and Byline
    neither writes nor reserves ``newsletter/thanks/``.
    """
    chosen = str(settings.get("BYLINE_NEWSLETTER_THANKS_URL") or "").strip()
    if not chosen:
        return True
    path = urlsplit(chosen).path
    return (path.rstrip("/") + "/").endswith("/" + THANKS_URL)


def issue_url(number: int) -> str:
    """The issue's folder as a URL relative to the site, like "newsletter/3/"."""
    return f"{ARCHIVE_URL}{int(number)}/"


def issue_folder(output: Path, number: int) -> Path:
    """The issue's folder in a built site (``output`` is output/ or public/)."""
    return Path(output) / issue_url(number)


def latest_issue_email(output: Path) -> Path | None:
    """The newest exported issue's email.html in a built site, if any."""
    numbers = [int(p.name) for p in (Path(output) / ARCHIVE_URL).glob("*") if p.name.isdigit()]
    for number in sorted(numbers, reverse=True):
        email = issue_folder(output, number) / "email.html"
        if email.is_file():
            return email
    return None
