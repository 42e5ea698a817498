"""The header checks that both the build and ``invoke lint`` make, decided and worded once.

An editor who never runs lint must still hear, while the site builds, that a post has no
standfirst, no alt text, an unknown author or a date nobody can read; and lint must say
the same at the line and column, so the two never disagree about a post. Each check is
a small pure function here that returns a ``Problem`` (lint's code and its message) or
None. The build prints it as a warning naming the file, adding what it does meanwhile
(``BUILD_CONSEQUENCES``); lint prints it as a finding. Which codes the build reports
itself is declared once, in ``lint/codes.py`` (``Code.build_reports``), and the build's
own lint pass skips exactly those, so nothing is said twice.

No Pelican here, and nothing from lint: both sides import this.
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import unquote

from .dates import DATE_FIX, parse_date


@dataclass(frozen=True)
class Problem:
    """One finding about a post's header: lint's code, the words, and an optional fix."""

    code: str
    message: str
    suggestion: str | None = None  # the value lint would suggest in place of the bad one

    def for_build(self, source: str, meanwhile: str | None = None) -> str:
        """The build's warning: file, code, words, and what the build does meanwhile."""
        after = BUILD_CONSEQUENCES.get(self.code, "") if meanwhile is None else meanwhile
        return f"{source}: {self.code} {self.message}.{' ' + after if after else ''}"


#: What the build does about each problem while it waits for the editor's fix.
BUILD_CONSEQUENCES = {
    "E202": "For now the page has no standfirst and its meta description is cut from the body.",
    "E205": "For now the picture is shown with empty alt text.",
    "E210": "For now the article is built without an author bio.",
    "E214": "For now the post is dated by its file's modification time.",
    "E218": "For now the article is built without a hero image.",
}


def summary_problem(summary: str) -> Problem | None:
    """E202: the Summary line is the standfirst and the meta description."""
    if summary.strip():
        return None
    return Problem(
        "E202",
        "missing Summary: the standfirst is also the meta description; add "
        "`Summary: ...` (110-155 characters)",
    )


def alt_problem(image: str, alt: str) -> Problem | None:
    """E205: a hero image needs words for readers who cannot see it."""
    if not image.strip() or alt.strip():
        return None
    return Problem(
        "E205",
        "Image is set but Image_alt is missing; add `Image_alt: <what the picture shows>` "
        "so screen-reader users know what it is",
    )


def author_problem(
    author: str,
    known: Collection[str],
    authors_file: str = "authors.toml",
    *,
    several: bool = False,
) -> Problem | None:
    """E210: an author with no entry in authors.toml gets no bio box.

    ``several`` is true for a name from an ``Authors:`` line, where commas separate names;
    on an ``Author:`` line a comma means the editor meant ``Authors:``.
    """
    if not author or author in known:
        return None
    found = difflib.get_close_matches(author, sorted(known), n=1, cutoff=0.6)
    suggestion = found[0] if found else None
    if not several and "," in author:
        hint, suggestion = "for several authors write `Authors: First Name, Second Name`", None
    elif suggestion:
        hint = f'did you mean "{suggestion}"?'
    else:
        hint = f'add a ["{author}"] table with role and bio there (see the README, "Authors")'
    return Problem(
        "E210",
        f'author "{author}" is not in {authors_file}, so the post gets no bio; {hint}',
        suggestion,
    )


def date_problem(field: str, value: str) -> Problem | None:
    """E213: a Date or Modified line that neither Pelican nor Byline can read."""
    if parse_date(value) is not None:
        return None
    return Problem("E213", f"{field} '{value}' is not a date; {DATE_FIX}")


def missing_date_problem() -> Problem:
    """E214: a post (not a page) needs a Date to be placed in the site and the newsletter."""
    return Problem(
        "E214", f"missing Date; add `Date: ...` ({DATE_FIX.removeprefix('write it as ')})"
    )


def local_image_path(image: str) -> str | None:
    """Where a local ``Image:`` lives in the content folder; None for a remote or empty one."""
    value = image.strip()
    if not value or value.startswith(("http://", "https://", "//")):
        return None
    return posixpath.normpath(unquote(value).lstrip("/"))


def hero_file_problem(image: str, files: Collection[str]) -> Problem | None:
    """E218: a local hero image that is not in the content folder would leave the page bare.

    ``files`` are the content folder's files as relative paths (lint has them indexed; the
    build passes a view that asks the disk); the likeliest right path is suggested.
    """
    path = local_image_path(image)
    if path is None or path in files:
        return None
    found = difflib.get_close_matches(path, sorted(f for f in files if "/" in f), n=1, cutoff=0.75)
    suggestion = found[0] if found else None
    hint = f'; did you mean "{suggestion}"?' if suggestion else ""
    return Problem(
        "E218",
        f'Image "{image.strip()}" is not in the content folder, so the page would go out '
        f"without its hero; add the file at content/{path} or correct the path{hint}",
        suggestion,
    )
