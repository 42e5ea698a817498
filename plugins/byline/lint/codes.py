"""Every lint code in one table: its severity, a short name, and whether ``--fix`` may apply it.

Codes are stable: a site's ``BYLINE_LINT_DISABLE`` and a post's ``Lint_disable:`` line name
them, so a code is never renumbered or reused for a different check.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    severity: str  # "error" or "warning"
    name: str
    safe_fix: bool  # --fix applies its suggested fix without asking
    #: The build reports it itself, while it builds (post_checks.py, collisions.py); the
    #: build's own lint pass skips it so it is said once.
    build_reports: bool = False


_TABLE = [
    # Damaged text
    Code("E101", "error", "apostrophe typed as a question mark", True),
    Code("E102", "error", "question mark turned into a closing quote", True),
    Code("E103", "error", "word run into a brand name", False),
    Code("E104", "error", "mojibake (UTF-8 read as Windows-1252)", True),
    Code("E105", "error", "replacement character U+FFFD", True),
    Code("E106", "error", "control character", True),
    Code("E107", "error", "double-escaped HTML entity", True),
    Code("E108", "error", "byte that is not UTF-8", True),
    # Metadata, images and links
    Code("W201", "warning", "title too long for search results", False),
    Code("E202", "error", "missing Summary", False, build_reports=True),
    Code("E203", "error", "Summary too long for a meta description", False),
    Code("E204", "error", "missing Title", False),
    Code("E205", "error", "Image without Image_alt", False, build_reports=True),
    Code("E206", "error", "Image without Image_credit", False),
    Code("E207", "error", "body image without alt text", False),
    Code("E208", "error", "link to a missing file", False),
    Code("E209", "error", "link to a slug that is not a post or page", False),
    Code("E210", "error", "author not in authors.toml", False, build_reports=True),
    Code("E211", "error", "duplicate slug", False, build_reports=True),
    Code("E212", "error", "published post dated in the future", False),
    Code("E213", "error", "malformed date", False, build_reports=True),
    Code("E214", "error", "missing Date", False, build_reports=True),
    Code("W215", "warning", "Modified earlier than Date", False),
    Code("W216", "warning", "TODO placeholder in a published post", False),
    Code("E217", "error", "new-post placeholder in a published post", False),
    Code("E218", "error", "hero Image file missing", False, build_reports=True),
    # The linter's own configuration
    Code("W301", "warning", "unknown code in Lint_disable", False),
]

CODES: dict[str, Code] = {entry.code: entry for entry in _TABLE}
SAFE_CODES: frozenset[str] = frozenset(c.code for c in _TABLE if c.safe_fix)
BUILD_REPORTED: tuple[str, ...] = tuple(c.code for c in _TABLE if c.build_reports)


def severity(code: str) -> str:
    return CODES[code].severity


def codes_table() -> str:
    """The Markdown table the README copies, generated so it cannot drift from the code."""
    rows = ["| code | severity | check | `--fix` |", "|---|---|---|---|"]
    for entry in _TABLE:
        fix = "yes" if entry.safe_fix else ""
        rows.append(f"| {entry.code} | {entry.severity} | {entry.name} | {fix} |")
    return "\n".join(rows)
