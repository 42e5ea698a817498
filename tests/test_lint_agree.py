"""``invoke lint`` and ``--fix`` agree: every change the fix makes was reported first.

The property tests write posts from the kinds of damage the linter knows (apostrophes typed
as "?", stray closing quotes, mojibake, C1 controls, double-escaped entities) mixed with
what it must leave alone (contractions, quotations, code, URLs, brand names), in the body
and in the metadata fields, and check the promise three ways: each changed line holds a
fixable finding covering the change, a second fix changes nothing, and nothing fixable is
left. The regression tests run the real tasks on the two cases reported in issue 11.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from byline.lint import Finding, fix_text, lint_text
from conftest import copy_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

INVOKE = Path(sys.executable).parent / "invoke"

# Damage the linter repairs, and text it must leave exactly as it is.
DAMAGE = [
    "doesn?t", "we?re", "O?Brien", "won?t", "Don?t", "Isn?t", "it?s", "?n?", "?90s",
    "point”", 'point"', "yours””", "time\x94", "timeâ€?",
    "â€™", "Ã©", "cafÃ©", "â€œ", "Â ", "Ã¢â‚¬â„¢", "Ã",
    "\x92", "\x93", "\x96", "\x85", "\x0b", "\x01", "\ufffd", "don\ufffdt",
    "&amp;rsquo;", "&amp;amp;rdquo;", "&amp;#63;", "&amp;lt;", "&amp;eacute;",
]  # fmt: skip
KEEP = [
    "Why", "What", "How", "Is", "Isn't", "Doesn’t", "And", "but", "it", "that", "the",
    "matter", "here", "you", "think", "so", ".", ",", "?", ":", "—", "(", ")", "'", "’",
    "“", "”", '"', "*", "_", "rock 'n' roll", "the '90s", "LinkedIn", "iPhone", "eBay",
    "onFacebook", "`doesn?t`", "`Ã©`", "https://example.com/?s=1&amp;rsquo;",
    "www.example.org/a?re=1", "[the shop](https://example.com/?s=1)", "<b>", "@we?re",
    "#onFacebook", "£8", "Tomás", "café…”",
]  # fmt: skip
FIELDS = ["Title", "Summary", "Image_alt", "Image_credit", "Tags", "Category", "Subtitle"]
FENCED = "```\nIt doesn?t matter, cafÃ©, “Is it”, &amp;rsquo; \x92\n```"

words = st.sampled_from(DAMAGE + KEEP)
gaps = st.sampled_from(["", " ", " ", " "])
phrase = st.lists(st.tuples(words, gaps), min_size=1, max_size=12).map(
    lambda pairs: "".join(word + gap for word, gap in pairs).strip()
)
# A sentence built to open like a question and end in each way a question mark gets lost.
OPENERS = ["Doesn?t", "Isn?t", "Won?t", "Why", "Is", "And how", "“Is", "Isnâ€™t", "\x93Why"]
ENDINGS = ["”", '"', "?", ".", "””", "â€?", "\x94", "&amp;rdquo;", "?”"]
question = st.tuples(st.sampled_from(OPENERS), phrase, st.sampled_from(ENDINGS)).map(
    lambda parts: f"{parts[0]} {parts[1]}{parts[2]}"
)
sentences = st.lists(st.one_of(question, phrase), min_size=1, max_size=3).map(" ".join)
paragraph = st.one_of(
    sentences,
    sentences.map(lambda text: "- " + text),
    st.tuples(sentences, sentences).map(lambda pair: "\n".join(pair)),
    st.just(FENCED),
)


@st.composite
def posts(draw) -> str:
    header = ["Date: 2026-01-02 09:00", "Image: images/hero.jpg"]
    for name in draw(st.lists(st.sampled_from(FIELDS), unique=True, max_size=4)):
        header.append(f"{name}: {draw(sentences)}")
        if name == "Summary" and draw(st.booleans()):
            header.append(f"    {draw(sentences)}")  # a continuation line
    header = draw(st.permutations(header))
    body = draw(st.lists(paragraph, min_size=1, max_size=4))
    return "\n".join(header) + "\n\n" + "\n\n".join(body) + "\n"


def _changed_span(before: str, after: str) -> tuple[int, int]:
    """[start, end) of ``before`` that differs from ``after`` (common ends trimmed)."""
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    tail = 0
    while (
        tail < min(len(before), len(after)) - start
        and before[len(before) - 1 - tail] == after[len(after) - 1 - tail]
    ):
        tail += 1
    return start, len(before) - tail


def assert_fix_was_reported(text: str, findings: list[Finding], fixed: str) -> None:
    before, after = text.split("\n"), fixed.split("\n")
    assert len(before) == len(after)  # no repair adds or removes a line
    for number, (old, new) in enumerate(zip(before, after, strict=True), start=1):
        if old == new:
            continue
        reported = [f for f in findings if f.fixable and f.line == number]
        assert reported, f"line {number} changed with nothing reported: {old!r} -> {new!r}"
        start, end = _changed_span(old, new)
        assert min(f.column - 1 for f in reported) <= start
        assert max(f.column - 1 + f.length for f in reported) >= end


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=posts())
def test_every_fix_was_reported_and_fixing_settles_at_once(text):
    findings = lint_text(text)
    fixed, diff = fix_text(text)
    assert_fix_was_reported(text, findings, fixed)
    assert bool(diff) == any(f.fixable for f in findings)
    assert fix_text(fixed) == (fixed, "")  # a second fix changes nothing
    assert not [f for f in lint_text(fixed) if f.fixable]  # nothing fixable is left
    assert (FENCED in fixed) == (FENCED in text)  # code is never touched


@pytest.mark.parametrize("field", FIELDS)
def test_a_question_behind_a_typed_apostrophe_is_reported_in_every_field(field):
    text = f"Title: T\nDate: 2026-01-02 09:00\n{field}: Doesn?t that matter”\n\nBody.\n"
    if field == "Title":
        text = text.replace("Title: T\n", "")
    findings = lint_text(text)
    line = 3 if field != "Title" else 2
    start = len(f"{field}: ") + 1
    found = {(f.line, f.column, f.code) for f in findings if f.fixable}
    assert found == {(line, start + 5, "E101"), (line, start + 19, "E102")}
    assert f"{field}: Doesn't that matter?" in fix_text(text)[0]


def test_a_repair_that_makes_a_stray_quote_is_reported_with_it():
    # "â€?" is a closing quote whose last byte was lost; once decoded it ends a question.
    text = "Title: T\n\nIs it time for a change\u00e2\u20ac? We think so.\n"
    findings = [f for f in lint_text(text) if f.fixable]
    assert {(f.line, f.column, f.code) for f in findings} == {(3, 24, "E104"), (3, 24, "E102")}
    assert fix_text(text)[0] == "Title: T\n\nIs it time for a change? We think so.\n"


def test_a_quote_opened_by_mojibake_is_not_taken_for_a_stray_one():
    # Decoded, "â€œso”" is a quotation; the closing quote must stay.
    text = "Title: T\n\nWhy is it \u00e2\u20ac\u0153so” big, then.\n"
    assert [f.code for f in lint_text(text) if f.fixable] == ["E104"]
    assert fix_text(text)[0] == "Title: T\n\nWhy is it “so” big, then.\n"


# The real tasks, as a user runs them, in a copy of the project.


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path)


def invoke(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(INVOKE), *args], cwd=project, capture_output=True, text=True, timeout=120
    )


HEADER = "Title: Prices\nDate: 2026-01-07 09:00\nAuthor: Maya Okafor\n"


@pytest.mark.parametrize(
    ("post", "line", "reported", "fixed_line"),
    [
        (  # E102 after an apostrophe typed as "?" in the same sentence
            HEADER + "Summary: Fine.\n\nIt rose again. Doesn?t that tell you something”\n",
            6,
            ["6:21: E101", "6:47: E102"],
            "It rose again. Doesn't that tell you something?",
        ),
        (  # E102 in Summary:
            HEADER + "Summary: Isn?t it time we asked why prices rise”\n\nBody.\n",
            4,
            ["4:13: E101", "4:48: E102"],
            "Summary: Isn't it time we asked why prices rise?",
        ),
    ],
)
def test_invoke_lint_reports_what_fix_then_changes(project, post, line, reported, fixed_line):
    path = project / "content" / "prices.md"
    path.write_text(post, encoding="utf-8")
    first = invoke(project, "lint")
    assert first.returncode == 1
    shown = re.findall(r"^content/prices\.md:(\d+:\d+: E\d+) ", first.stdout, re.MULTILINE)
    assert shown == reported
    assert "2 can be fixed automatically with --fix" in first.stdout

    fixed = invoke(project, "lint", "--fix")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert f"+{fixed_line}" in fixed.stdout and "No problems found" in fixed.stdout
    assert path.read_text(encoding="utf-8").split("\n")[line - 1] == fixed_line

    again = invoke(project, "lint", "--fix")
    assert again.returncode == 0 and "+++" not in again.stdout
    assert path.read_text(encoding="utf-8").split("\n")[line - 1] == fixed_line


def test_a_soft_return_beside_a_space_is_deleted_not_doubled():
    fixed, _ = fix_text("Title: Why we quit\x0b for good\n\nOne\x0btwo.\n")
    assert fixed == "Title: Why we quit for good\n\nOne two.\n"
