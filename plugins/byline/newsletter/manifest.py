"""The per-issue manifest: what a sender or reviewer needs to know without opening HTML.

Deterministic on purpose (no build time in it): the same articles and settings give a
byte-identical manifest, so a diff of the output folder shows exactly what changed in
an issue. ``content_hash`` covers the HTML and the text twin.

``site_url`` is the absolute site the links point at, so a sender can refuse an issue
built for a local or placeholder address; ``sendable`` is false when the export found
problems (listed in ``problems``, each naming the issue and the fix) that would reach
readers, such as an introduction that breaks the size budget. New keys only ever get
added, so the schema version stays 1 for readers that ignore what they do not know.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from .config import UNSUBSCRIBE_TOKEN, NewsletterSettings
from .models import Issue

SCHEMA_VERSION = 1
PATH_KEYS = ("html", "text", "archive")


def content_hash(html: str, text: str) -> str:
    """sha256 over the HTML, a NUL byte and the text, as 'sha256:<hex>'."""
    digest = hashlib.sha256()
    digest.update(html.encode("utf-8"))
    digest.update(b"\0")
    digest.update(text.encode("utf-8"))
    return "sha256:" + digest.hexdigest()


def build_manifest(
    issue: Issue,
    settings: NewsletterSettings,
    html: str,
    text: str,
    paths: dict[str, str],
    problems: Sequence[str] = (),
) -> dict[str, Any]:
    """The manifest dict (the glue dumps it as JSON).

    ``paths`` holds the output-relative paths of the files for this issue under the keys
    ``html`` (email.html), ``text`` (email.txt) and ``archive`` (the archive page).
    ``problems`` are the reasons the issue must not be sent; none means sendable.
    """
    missing = [key for key in PATH_KEYS if key not in paths]
    if missing:
        raise ValueError(f"build_manifest needs paths for: {', '.join(missing)}")
    articles = [
        {"slug": s.slug, "title": s.title, "url": s.url, "role": "lead" if i == 0 else "story"}
        for i, s in enumerate(issue.articles)
    ]
    articles.extend(
        {"slug": s.slug, "title": s.title, "url": s.url, "role": "most_read"}
        for s in issue.most_read
    )
    return {
        "schema_version": SCHEMA_VERSION,
        "id": issue.id,
        "number": issue.number,
        "date": issue.date.isoformat(),
        "period": {"start": issue.plan.start.isoformat(), "end": issue.plan.end.isoformat()},
        "newsletter": issue.name,
        "site_url": settings.site_url,
        "sendable": not problems,
        "problems": list(problems),
        "subject": issue.subject,
        "preheader": issue.preheader,
        "from_name": settings.from_name,
        "paths": {key: paths[key] for key in sorted(paths)},
        "archive_url": issue.archive_url,
        "articles": articles,
        "utm": {"enabled": settings.utm, "campaign": issue.campaign},
        "unsubscribe_token": UNSUBSCRIBE_TOKEN,
        "sizes": {
            "html": len(html.encode("utf-8")),
            "text": len(text.encode("utf-8")),
        },
        "content_hash": content_hash(html, text),
    }
