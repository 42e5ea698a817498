"""``--fix``: apply only the safe fixes, and show what changed as a unified diff.

Safe means the damage has exactly one sensible repair: an apostrophe where "?" stands in
"doesn?t", "?" for the stray quote ending a question, a known mojibake sequence, a
Windows-1252 control character, a double-escaped entity. Everything else (a brand run into
a word, an unknown author, a broken link) is reported with a suggestion for a person.

Fixing repeats until nothing fixable is left, so fixing twice changes nothing more.
"""

from __future__ import annotations

import difflib
from datetime import datetime
from pathlib import Path
from typing import Any

from .model import Finding
from .post import BOM, decode
from .site import lint_text, sources

MAX_ROUNDS = 5


def apply_fixes(text: str, findings: list[Finding]) -> str:
    """Apply the fixable findings (positions in ``text`` without a BOM), right to left."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines[:-1]:
        offsets.append(offsets[-1] + len(line) + 1)
    edits = []
    for finding in findings:
        if finding.fixable and 1 <= finding.line <= len(lines):
            start = offsets[finding.line - 1] + finding.column - 1
            edits.append((start, start + finding.length, finding.fix or ""))
    edits.sort(reverse=True)
    boundary = len(text) + 1
    for start, end, replacement in edits:
        if end > boundary:  # overlaps an edit already made further right
            continue
        text = text[:start] + replacement + text[end:]
        boundary = start
    return text


def unified_diff(before: str, after: str, path: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )


def fix_text(
    text: str,
    path: str = "post.md",
    settings: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> tuple[str, str]:
    """(fixed text, unified diff); the diff is empty when there was nothing safe to fix."""
    bom = text.startswith(BOM)
    body = text[1:] if bom else text
    fixed = body
    for _ in range(MAX_ROUNDS):
        findings = lint_text(fixed, path, settings=settings, now=now)
        updated = apply_fixes(fixed, findings)
        if updated == fixed:
            break
        fixed = updated
    new_text = (BOM if bom else "") + fixed
    return new_text, unified_diff(text, new_text, path)


def fix_file(
    path: Path | str, settings: dict[str, Any] | None = None, *, write: bool = False
) -> tuple[str, str]:
    """(fixed text, unified diff) for one file; with ``write`` the file is saved as UTF-8.

    Bytes that are not UTF-8 are read as Windows-1252, so saving also repairs the encoding;
    the diff shows such bytes as ``\\x92`` on its minus side.
    """
    path = Path(path)
    data = path.read_bytes()
    text, bad = decode(data)
    new_text, _ = fix_text(text, str(path), settings)
    before = data.decode("utf-8", errors="backslashreplace") if bad else text
    diff = unified_diff(before, new_text, str(path))
    if write and diff:
        path.write_text(new_text, encoding="utf-8", newline="")
    return new_text, diff


def fix_site(
    content_path: Path | str, settings: dict[str, Any] | None = None, *, write: bool = False
) -> list[tuple[Path, str, str]]:
    """(path, fixed text, diff) for every post or page that ``--fix`` would change."""
    content = Path(content_path)
    changed = []
    for source in sources(content, settings):
        if source.excluded:
            continue
        new_text, diff = fix_file(content / source.relpath, settings, write=write)
        if diff:
            changed.append((content / source.relpath, new_text, diff))
    return changed
