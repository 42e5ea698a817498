"""``--fix``: apply only the safe fixes, and show what changed as a unified diff.

Safe means the damage has exactly one sensible repair: an apostrophe where "?" stands in
"doesn?t", "?" for the stray quote ending a question, a known mojibake sequence, a
Windows-1252 control character, a double-escaped entity. Everything else (a brand run into
a word, an unknown author, a broken link) is reported with a suggestion for a person.

``--fix`` makes exactly the edits attached to the findings ``invoke lint`` reports, in one
pass: the linter has already worked out what each repair uncovers (``repairs.settle``), so
the report and the fix cannot disagree, and fixing twice changes nothing more.
"""

from __future__ import annotations

import difflib
from datetime import datetime
from pathlib import Path
from typing import Any

from ..durable import write_atomic
from .model import Finding
from .post import BOM, decode
from .repairs import finding_span, line_offsets
from .site import lint_file, lint_site, lint_text


def apply_fixes(text: str, findings: list[Finding]) -> str:
    """Apply the fixable findings (positions in ``text`` without a BOM), right to left.

    Findings that share one merged repair carry the same edit; it is made once.
    """
    offsets = line_offsets(text)
    edits = set()
    for finding in findings:
        span = finding_span(finding, text, offsets)
        if span is not None:
            edits.add((*span, finding.fix or ""))
    edits = sorted(edits, reverse=True)
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
    return _fixed(text, lint_text(text, path, settings=settings, now=now), path)


def _fixed(text: str, findings: list[Finding], path: str) -> tuple[str, str]:
    bom = text.startswith(BOM)
    body = text[1:] if bom else text
    new_text = (BOM if bom else "") + apply_fixes(body, findings)
    return new_text, unified_diff(text, new_text, path)


def fix_file(
    path: Path | str,
    settings: dict[str, Any] | None = None,
    *,
    write: bool = False,
    findings: list[Finding] | None = None,
) -> tuple[str, str]:
    """(fixed text, unified diff) for one file; with ``write`` the file is saved as UTF-8.

    ``findings`` are the file's findings as reported (linted here when not given). Bytes
    that are not UTF-8 are read as Windows-1252, so saving also repairs the encoding; the
    diff shows such bytes as ``\\x92`` on its minus side.
    """
    path = Path(path)
    data = path.read_bytes()
    text, bad = decode(data)
    if findings is None:
        findings = lint_file(path, settings=settings)
    new_text, _ = _fixed(text, findings, str(path))
    before = data.decode("utf-8", errors="backslashreplace") if bad else text
    diff = unified_diff(before, new_text, str(path))
    if write and diff:
        mode = path.stat().st_mode & 0o777
        write_atomic(path, new_text)
        path.chmod(mode)  # a post keeps the permissions its writer gave it
    return new_text, diff


def fix_site(
    content_path: Path | str, settings: dict[str, Any] | None = None, *, write: bool = False
) -> list[tuple[Path, str, str]]:
    """(path, fixed text, diff) for every post or page that ``--fix`` would change.

    The edits are the fixes on the findings ``lint_site`` reports for the same folder, so
    what ``invoke lint`` shows is what ``--fix`` does.
    """
    by_path: dict[str, list[Finding]] = {}
    for finding in lint_site(content_path, settings):
        by_path.setdefault(finding.path, []).append(finding)
    changed = []
    for shown, findings in by_path.items():
        if not any(finding.fixable for finding in findings):
            continue
        new_text, diff = fix_file(shown, settings, write=write, findings=findings)
        if diff:
            changed.append((Path(shown), new_text, diff))
    return changed
