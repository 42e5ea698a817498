"""The demo content lints clean and fast; the report reads like a compiler's; no Pelican."""

from __future__ import annotations

import ast
import shutil
import sys
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


def _calls_to_lint(content: Path) -> tuple[int, int]:
    """(Python function calls one warm lint of ``content`` makes, files it checks).

    Counting calls instead of timing them gives the same answer on a busy machine and a
    quiet one, and still catches what made lint slow before: a slow parser on every
    date, the whole site re-read per post, pairwise work across posts.
    """
    lint_site(content, {}, NOW)  # warm up imports and compiled patterns
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(count)
    try:
        lint_site(content, {}, NOW)
    finally:
        sys.setprofile(None)
    return calls, len(sources(content, {}))


def test_linting_does_a_small_fixed_amount_of_work_per_file(tmp_path):
    calls, files = _calls_to_lint(CONTENT)
    # About 1,600 calls a file today (well under 0.2 s for the demo); 3,000 leaves room to
    # grow, and a check that re-reads the site per post goes far past it.
    assert calls / files < 3000, f"{calls} calls for {files} files"

    doubled = tmp_path / "content"
    shutil.copytree(CONTENT, doubled)
    for post in CONTENT.glob("*.md"):
        text = post.read_text(encoding="utf-8").replace("Title: ", "Title: Copy of ", 1)
        (doubled / f"{post.stem}-copy.md").write_text(text, encoding="utf-8")
    more_calls, more_files = _calls_to_lint(doubled)
    assert more_files > files + 10
    # Twice the posts costs about twice the work, not four times.
    assert more_calls / more_files < 1.15 * calls / files, (calls, files, more_calls, more_files)


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
