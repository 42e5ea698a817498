"""The ready-to-edit draft that `invoke new-post "Title"` writes, and its placeholders.

The placeholders are kept here, as data, so the draft and the checks that refuse to
publish a draft's leftovers (lint E217, the publish gate) can never drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from .errors import BylineError
from .slugs import slugify

# Every value new-post fills in for the writer to replace. Each is matched as written.
PLACEHOLDER_AUTHOR = "TODO Your name"
PLACEHOLDER_CATEGORY = "TODO Section, e.g. Money"
PLACEHOLDER_TAGS = "TODO, comma, separated"
PLACEHOLDER_SUMMARY = (
    "TODO The standfirst: one or two sentences (110-155 characters) that\n"
    "    make a reader want to read on. It is also the page's search description."
)
PLACEHOLDER_IMAGE_ALT = "TODO What the picture shows, for readers who cannot see it"
PLACEHOLDER_IMAGE_CREDIT = "TODO Photographer or illustrator"
PLACEHOLDER_BODY = (
    "TODO Write the column here. Use ## for subheadings, > for a pull quote.\n"
    "Straight quotes and -- become curly quotes and dashes on the site.\n"
    "\n"
    "When it is ready: set a real Date, add a Modified line if you update it after\n"
    "publishing, and delete the Status line to publish.\n"
)

# What a line must contain to still be new-post's text: the start of each placeholder,
# long enough never to occur in a real column by chance.
PLACEHOLDER_MARKERS: tuple[str, ...] = (
    PLACEHOLDER_AUTHOR,
    PLACEHOLDER_CATEGORY,
    PLACEHOLDER_TAGS,
    "TODO The standfirst:",
    "TODO What the picture shows",
    PLACEHOLDER_IMAGE_CREDIT,
    "TODO Write the column here.",
    "Straight quotes and -- become curly quotes and dashes on the site.",
    "When it is ready: set a real Date",
    "publishing, and delete the Status line to publish.",
)


class DraftExistsError(BylineError, FileExistsError):
    """A post with that slug is already there; nothing was overwritten."""


class UnknownAuthorError(BylineError, ValueError):
    """The author asked for has no entry in authors.toml; the message lists who does."""


def choose_author(
    requested: str,
    default: str,
    pelican_author: str,
    known: Iterable[str] | None,
    authors_file: str = "authors.toml",
) -> str:
    """The byline for a new draft: --author, else BYLINE_DEFAULT_AUTHOR, else AUTHOR.

    A name given on purpose (the option or the setting) must be in the authors file
    when there is one, so the post gets its bio box; without any name the draft says
    ``TODO Your name`` and publishing refuses it until it is filled in.
    """
    names = sorted(known) if known is not None else None
    for value, where in ((requested, "--author"), (default, "BYLINE_DEFAULT_AUTHOR")):
        value = (value or "").strip()
        if not value:
            continue
        if names is not None and value not in names:
            listed = ", ".join(f'"{name}"' for name in names) or "none yet"
            raise UnknownAuthorError(
                f'{where} "{value}" is not in {authors_file}; use one of: {listed} '
                f'(or add a ["{value}"] table to {authors_file} first)'
            )
        return value
    return (pelican_author or "").strip() or PLACEHOLDER_AUTHOR


def draft_text(title: str, author: str, category: str, when: datetime) -> str:
    """Every metadata field Byline reads, filled in or marked TODO, status draft."""
    slug = slugify(title)
    return (
        f"Title: {title}\n"
        f"Date: {when:%Y-%m-%d %H:%M}\n"
        f"Author: {author}\n"
        f"Category: {category}\n"
        f"Tags: {PLACEHOLDER_TAGS}\n"
        f"Summary: {PLACEHOLDER_SUMMARY}\n"
        f"Image: images/heroes/{slug}.jpg\n"
        f"Image_alt: {PLACEHOLDER_IMAGE_ALT}\n"
        f"Image_credit: {PLACEHOLDER_IMAGE_CREDIT}\n"
        "Status: draft\n"
        "\n"
        f"{PLACEHOLDER_BODY}"
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
