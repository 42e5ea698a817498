"""Where an exported issue lives in a built site: ``newsletter/<n>/`` and its feeds.

The digest writes there, ``invoke newsletter.send`` reads from there, and the collision
rules keep posts off it; all three ask this module, so the layout is written once.
"""

from __future__ import annotations

from pathlib import Path

ARCHIVE_URL = "newsletter/"  # the archive page the emails and feeds link to
FEED_URLS = {"atom": "newsletter/feed.atom.xml", "rss": "newsletter/feed.rss.xml"}


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
