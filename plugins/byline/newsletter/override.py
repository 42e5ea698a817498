"""Per-issue overrides: ``content/newsletter/<number>.md`` written by the editor.

The file may start with metadata lines, then a blank line, then the introduction in
Markdown (shown above the lead story)::

    Subject: Issue 12: the rent review special
    Preheader: Three owners on what they'd do differently
    Lead: rent-review-survival

    A short hello from the editor, with a [link](https://example.com/).

Only ``Subject``, ``Preheader`` and ``Lead`` (a story slug from that issue) are known;
any other key is refused, so a typo never silently does nothing. The metadata block ends
at the first blank line or at the first line that is not ``Key: value``; to open the
introduction with such a line, start the file with a blank line.

Control characters pasted in from a word processor (a soft return, a line separator)
are cleaned out of every value with the project's one rule (``byline.textclean``), and
the override says so in ``warnings``, naming the file and the field: a subject is an
email header and must stay one plain line.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import BylineError
from ..textclean import clean_text, control_characters
from .models import Override

KNOWN_KEYS = ("subject", "preheader", "lead")
_META_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):\s*(.*)$")


class OverrideError(BylineError, ValueError):
    """A per-issue override file that cannot be used; the message names the file."""


def render_markdown(text: str) -> str:
    """The editor's Markdown as HTML (the ``markdown`` package, with its common extras)."""
    import markdown

    return markdown.markdown(
        text,
        extensions=["markdown.extensions.extra", "markdown.extensions.smarty"],
        output_format="html",
    ).strip()


def parse_override(text: str, path: Path) -> Override:
    """Split metadata from the introduction; ``path`` only names the file in errors."""
    lines = text.replace("\r\n", "\n").removeprefix("\ufeff").split("\n")
    values: dict[str, str] = {}
    body_start = 0
    for index, line in enumerate(lines):
        match = _META_LINE.match(line)
        if not line.strip() or not match:
            body_start = index
            break
        key = match.group(1).lower()
        if key not in KNOWN_KEYS:
            raise OverrideError(
                f"{path}: line {index + 1} sets unknown key {match.group(1)!r}; "
                "use Subject:, Preheader: or Lead: (or leave a blank first line if the "
                "introduction starts with a colon)"
            )
        if key in values:
            raise OverrideError(f"{path}: line {index + 1} sets {match.group(1)!r} twice")
        values[key] = match.group(2).strip()
    else:
        body_start = len(lines)
    warnings: list[str] = []
    for key in list(values):
        found = control_characters(values[key], single_line=True)
        if found:
            values[key] = clean_text(values[key], single_line=True)
            warnings.append(_cleaned(path, f"{key.capitalize()}:", found))
    if "lead" in values and not values["lead"]:
        raise OverrideError(f"{path}: 'Lead:' is empty; give the slug of a story in the issue")
    body = "\n".join(lines[body_start:]).strip()
    found = control_characters(body)
    if found:
        body = clean_text(body).strip()
        warnings.append(_cleaned(path, "the introduction", found))
    return Override(
        path=path,
        subject=values.get("subject", ""),
        preheader=values.get("preheader", ""),
        lead=values.get("lead", ""),
        intro_markdown=body,
        intro_html=render_markdown(body) if body else "",
        warnings=tuple(warnings),
    )


def _cleaned(path: Path, field: str, found: list[str]) -> str:
    return (
        f"{path}: {field} held control characters ({', '.join(found)}), removed for the "
        "email; retype that text in the file so it stays as you mean it"
    )


def read_override(path: Path) -> Override:
    """Read and parse one override file; raises OverrideError naming the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise OverrideError(f"{path}: is not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise OverrideError(f"{path}: cannot be read ({error.strerror})") from None
    return parse_override(text, path)
