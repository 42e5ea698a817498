"""The demo content lints clean and fast; the report reads like a compiler's; no Pelican."""

from __future__ import annotations

import ast
import time
from datetime import datetime
from pathlib import Path

from byline.lint import Finding, exit_code, format_findings, format_summary, lint_site, sources
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
NOW = datetime(2026, 11, 25, 12, 0)


def test_the_demo_content_raises_nothing_with_the_sites_settings():
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    assert len([s for s in sources(CONTENT, settings) if not s.is_page]) == 13
    assert lint_site(CONTENT, settings, NOW) == []


def test_the_demo_content_raises_nothing_with_no_settings():
    assert lint_site(CONTENT, {}, NOW) == []


def test_linting_the_demo_takes_well_under_a_second():
    lint_site(CONTENT, {}, NOW)  # warm up imports and compiled patterns
    # CPU time of this process, not wall time: other work on a busy machine does not count.
    start = time.process_time()
    lint_site(CONTENT, {}, NOW)
    assert time.process_time() - start < 0.5


def _finding(code="E101", severity="error", fix="'", length=1, path="content/a.md", line=3):
    return Finding(path, line, 7, code, "message", severity, fix, length)


def test_report_lines_summary_and_exit_code():
    findings = [
        _finding(),
        _finding("W201", "warning", None, 0, line=1),
        _finding("E103", fix="on Facebook", length=10, path="content/b.md"),
    ]
    report = format_findings(findings, files_checked=13)
    assert report.splitlines() == [
        "content/a.md:1:7: W201 message",
        "content/a.md:3:7: E101 message",
        "content/b.md:3:7: E103 message",
        "2 errors and 1 warning in 2 files (13 checked); 1 can be fixed automatically with --fix.",
    ]
    assert exit_code(findings) == 1
    assert exit_code(findings[1:2]) == 0
    assert exit_code(findings[1:2], strict=True) == 1
    assert exit_code([]) == 0
    assert format_summary([], 13) == "No problems found in 13 files."


def test_the_lint_package_never_imports_pelican():
    for path in (ROOT / "plugins" / "byline" / "lint").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] == "pelican" for name in names), path
