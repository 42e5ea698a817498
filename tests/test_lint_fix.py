"""``--fix``: only safe fixes, a unified diff, and a clean round trip."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from byline.lint import fix_file, fix_site, fix_text, lint_site, lint_text
from hypothesis import given, settings
from hypothesis import strategies as st

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "lint"
NOW = datetime(2026, 11, 25, 12, 0)


def _damaged() -> str:
    return (FIXTURES / "text" / "damaged-text.md").read_text(encoding="utf-8")


def test_fix_repairs_the_damaged_fixture_line_by_line():
    fixed, diff = fix_text(_damaged(), "damaged-text.md")
    lines = fixed.split("\n")
    assert lines[0] == "Title: Why it doesn't pay to boost posts"
    assert lines[9] == (
        "It doesn't matter how often you post if nobody's reading. Isn't that the point?"
    )
    # Brand joins are only suggested: a person decides.
    assert lines[10] == (
        "We've tried it onFacebook, viaLinkedIn and atAmazon, and we'll try it inLinkedIn too."
    )
    assert lines[11] == (
        "The café on the corner sells a “proper” breakfast for £8 and it don’t disappoint."
    )
    assert lines[12] == "Double damage: it’s everywhere. A price: 5 € a go. Emoji: 😀 great."
    assert lines[13] == "Lost characters: won't and caf� are both broken."
    assert lines[14] == "Escaped twice: it’s and “quoted” and Fig &amp; Fennel."
    assert lines[15] == "He asked, “Is it yours?” and then left."
    assert lines[16] == "Rock 'n' roll, O'Brien and the '90s."
    assert lines[23] == "`doesn?t` inside code is left alone, and so is https://example.com/?s=1."
    assert diff.startswith("--- a/damaged-text.md\n+++ b/damaged-text.md\n")
    assert "-It doesn?t matter" in diff and "+It doesn't matter" in diff


def test_round_trip_leaves_nothing_fixable_and_a_second_fix_changes_nothing():
    fixed, _ = fix_text(_damaged(), "damaged-text.md")
    remaining = lint_text(fixed, now=NOW)
    assert not [f for f in remaining if f.fixable]
    assert sorted({f.code for f in remaining}) == ["E103", "E105"]  # for a person to decide
    again, diff = fix_text(fixed, "damaged-text.md")
    assert again == fixed and diff == ""


def test_clean_text_is_left_exactly_as_it_was():
    text = (FIXTURES / "text" / "clean-prose.md").read_text(encoding="utf-8")
    assert fix_text(text) == (text, "")


def test_fix_respects_switches():
    damaged = "It doesn?t matter.\n"
    assert fix_text("Title: T\nLint: off\n\n" + damaged)[1] == ""
    assert fix_text("Title: T\nLint_disable: E101\n\n" + damaged)[1] == ""
    assert fix_text("Title: T\n\n" + damaged, settings={"BYLINE_LINT_DISABLE": ["E101"]})[1] == ""


def test_fix_keeps_bom_and_windows_line_endings():
    text = "\ufeffTitle: T\r\n\r\nIt doesn?t, cafÃ©.\r\n"
    fixed, _ = fix_text(text)
    assert fixed == "\ufeffTitle: T\r\n\r\nIt doesn't, café.\r\n"


def test_fix_file_writes_only_when_asked(tmp_path):
    post = tmp_path / "post.md"
    post.write_text("Title: T\n\nIt doesn?t.\n", encoding="utf-8")
    fixed, diff = fix_file(post)
    assert fixed == "Title: T\n\nIt doesn't.\n" and diff
    assert post.read_text(encoding="utf-8") == "Title: T\n\nIt doesn?t.\n"
    fix_file(post, write=True)
    assert post.read_text(encoding="utf-8") == fixed
    assert fix_file(post) == (fixed, "")


def test_fix_file_saves_windows_1252_bytes_as_utf8(tmp_path):
    post = tmp_path / "post.md"
    post.write_bytes(b"Title: T\n\nIt doesn\x92t, caf\xe9.\n")
    fixed, diff = fix_file(post, write=True)
    assert fixed == "Title: T\n\nIt doesn’t, café.\n"
    assert "-It doesn\\x92t, caf\\xe9." in diff
    assert post.read_bytes().decode("utf-8") == fixed


def test_fix_site_round_trip(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "text", content)
    changed = fix_site(content, write=True)
    assert [path.name for path, _, _ in changed] == ["damaged-text.md"]
    assert not [f for f in lint_site(content, now=NOW) if f.fixable]
    assert fix_site(content) == []


ALPHABET = "ab Ist'?”“\"\n`-ÃÂâ€™œ©£\u00a0\ufffd\x92\x9d&;#amprsquo"


@settings(max_examples=300, deadline=None)
@given(body=st.text(alphabet=ALPHABET, max_size=80))
def test_fixing_is_idempotent_and_never_crashes(body):
    text = "Title: T\n\n" + body
    fixed, _ = fix_text(text)
    assert fix_text(fixed) == (fixed, "")
    assert not [f for f in lint_text(fixed, now=NOW) if f.fixable]
