"""The ready-to-edit draft that `invoke new-post "Title"` writes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify as pelican_slugify


def slugify(title: str) -> str:
    """The slug Pelican would give this title with its default substitutions."""
    return pelican_slugify(title, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


class DraftExistsError(FileExistsError):
    """A post with that slug is already there; nothing was overwritten."""


def draft_text(title: str, author: str, category: str, when: datetime) -> str:
    """Every metadata field Byline reads, filled in or marked TODO, status draft."""
    slug = slugify(title)
    return (
        f"Title: {title}\n"
        f"Date: {when:%Y-%m-%d %H:%M}\n"
        f"Author: {author}\n"
        f"Category: {category}\n"
        "Tags: TODO, comma, separated\n"
        "Summary: TODO The standfirst: one or two sentences (110-155 characters) that\n"
        "    make a reader want to read on. It is also the page's search description.\n"
        f"Image: images/heroes/{slug}.jpg\n"
        "Image_alt: TODO What the picture shows, for readers who cannot see it\n"
        "Image_credit: TODO Photographer or illustrator\n"
        "Status: draft\n"
        "\n"
        "TODO Write the column here. Use ## for subheadings, > for a pull quote.\n"
        "Straight quotes and -- become curly quotes and dashes on the site.\n"
        "\n"
        "When it is ready: set a real Date, add a Modified line if you update it after\n"
        "publishing, and delete the Status line to publish.\n"
    )


def write_draft(
    content_path: Path, title: str, author: str, category: str, when: datetime | None = None
) -> Path:
    """Write ``content/<slug>.md``; refuse to overwrite an existing post."""
    title = title.strip()
    if not title:
        raise ValueError('Give the post a title: invoke new-post "Why we stopped discounting"')
    path = content_path / f"{slugify(title)}.md"
    if path.exists():
        raise DraftExistsError(f"{path} already exists; pick another title or edit that file.")
    path.write_text(draft_text(title, author, category, when or datetime.now()), encoding="utf-8")
    return path
