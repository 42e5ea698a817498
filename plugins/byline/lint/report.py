"""Compiler-style output: ``file:line:column: CODE message``, a summary, an exit code.

Editors and CI annotators already understand this shape, so a writer can click straight
from the terminal to the damaged character.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Finding


def format_finding(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}:{finding.column}: {finding.code} {finding.message}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def format_summary(findings: Iterable[Finding], files_checked: int | None = None) -> str:
    """One line: counts of errors and warnings, files affected, and how many --fix repairs."""
    findings = list(findings)
    checked = f" in {_plural(files_checked, 'file')}" if files_checked is not None else ""
    if not findings:
        return f"No problems found{checked}."
    errors = sum(1 for finding in findings if finding.severity == "error")
    warnings = len(findings) - errors
    files = len({finding.path for finding in findings})
    fixable = sum(1 for finding in findings if finding.fixable)
    parts = [_plural(errors, "error"), _plural(warnings, "warning")]
    line = f"{' and '.join(parts)} in {_plural(files, 'file')}"
    if files_checked is not None:
        line += f" ({files_checked} checked)"
    if fixable:
        line += f"; {fixable} can be fixed automatically with --fix"
    return line + "."


def format_findings(findings: Iterable[Finding], files_checked: int | None = None) -> str:
    """Every finding on its own line, sorted by file and position, then the summary."""
    findings = sorted(findings)
    lines = [format_finding(finding) for finding in findings]
    lines.append(format_summary(findings, files_checked))
    return "\n".join(lines) + "\n"


def exit_code(findings: Iterable[Finding], strict: bool = False) -> int:
    """1 when there is any error (or, with ``strict``, any warning); otherwise 0."""
    for finding in findings:
        if finding.severity == "error" or strict:
            return 1
    return 0
