"""The damaged-text checks (E101-E108): exact positions and fixes, and silence on good prose."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from byline.lint import lint_file, lint_text
from byline.lint.codes import CODES, codes_table

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "lint" / "text"
NOW = datetime(2026, 11, 25, 12, 0)
HEADER = (
    "Title: A test post\nDate: 2026-09-01 09:00\nAuthor: Ann Lee\n"
    "Summary: A short standfirst for the test post.\n\n"
)
BODY_LINE = 6  # the first body line after HEADER


def _text_findings(text: str, **kwargs) -> list[tuple[int, int, str, str | None]]:
    """(line, column, code, fix) of the damaged-text findings only."""
    return [
        (f.line, f.column, f.code, f.fix)
        for f in lint_text(text, now=NOW, **kwargs)
        if f.code.startswith("E1")
    ]


def _body(text: str) -> list[tuple[int, str, str | None]]:
    """(column, code, fix) of text findings in a one-line body."""
    return [(col, code, fix) for line, col, code, fix in _text_findings(HEADER + text + "\n")]


def test_damaged_fixture_reports_every_kind_of_damage_at_its_exact_place():
    text = (FIXTURES / "damaged-text.md").read_text(encoding="utf-8")
    found = _text_findings(text)
    assert found == [
        (1, 20, "E101", "'"),  # Title: ...doesn?t
        (5, 12, "E101", "'"),  # Summary: We?re
        (5, 29, "E103", "on Facebook"),
        (5, 54, "E104", "é"),
        (5, 76, "E101", "'"),
        (7, 17, "E104", "é"),  # Image_alt
        (10, 9, "E101", "'"),  # doesn?t
        (10, 47, "E101", "'"),  # nobody?s
        (10, 79, "E102", "?"),  # Isn't that the point”
        (11, 3, "E101", "'"),  # We?ve
        (11, 16, "E103", "on Facebook"),
        (11, 28, "E103", "via LinkedIn"),
        (11, 44, "E103", "at Amazon"),
        (11, 60, "E101", "'"),  # we?ll
        (11, 71, "E103", "in LinkedIn"),
        (12, 8, "E104", "é"),  # cafÃ©
        (12, 33, "E104", "“"),  # â€œ
        (12, 42, "E104", "”"),  # â€ whose last byte was lost
        (12, 59, "E104", "£"),  # Â£
        (12, 73, "E104", "’"),  # â€™
        (13, 18, "E104", "’"),  # Ã¢â‚¬â„¢, damaged twice
        (13, 51, "E104", "€"),  # â‚¬
        (13, 68, "E104", "😀"),  # ðŸ˜€
        (14, 21, "E105", "'"),  # won�t: an apostrophe was lost
        (14, 31, "E105", None),  # caf�: no way to know the letter
        (15, 18, "E107", "’"),
        (15, 35, "E107", "“"),
        (15, 52, "E107", "”"),
        (15, 72, "E107", "&amp;"),
        (16, 23, "E102", "?"),  # “Is it yours””
        (17, 6, "E101", "'n'"),  # ?n?
        (17, 17, "E101", "'"),  # O?Brien
        (17, 32, "E101", "'"),  # ?90s
        (19, 13, "E101", "'"),  # heading
        (21, 6, "E101", "'"),  # list item
        (22, 20, "E103", "on Instagram"),
    ]


def test_columns_point_at_the_damaged_characters():
    text = (FIXTURES / "damaged-text.md").read_text(encoding="utf-8")
    lines = text.split("\n")
    spans = {
        (f.line, f.column): lines[f.line - 1][f.column - 1 : f.column - 1 + f.length]
        for f in lint_text(text, now=NOW)
        if f.code.startswith("E1")
    }
    assert spans[(10, 9)] == "?"
    assert spans[(10, 79)] == "”"
    assert spans[(11, 28)] == "viaLinkedIn"
    assert spans[(12, 33)] == "â€œ"
    assert spans[(13, 18)] == "Ã¢â‚¬â„¢"
    assert spans[(15, 18)] == "&amp;rsquo;"
    assert spans[(17, 6)] == "?n?"
    assert spans[(13, 68)] == "ðŸ˜€"


def test_messages_name_the_damage_and_the_fix():
    text = (FIXTURES / "damaged-text.md").read_text(encoding="utf-8")
    messages = {(f.line, f.column): f.message for f in lint_text(text, now=NOW)}
    assert messages[(10, 9)] == 'apostrophe typed as "?" in "doesn?t"; write "doesn\'t"'
    assert messages[(11, 16)] == '"onFacebook" runs a word into a brand name; write "on Facebook"'
    assert messages[(12, 8)] == 'mojibake "Ã©" (UTF-8 read as Windows-1252); write "é"'
    assert "Isn't that the point”" in messages[(10, 79)]


def test_clean_prose_fixture_raises_nothing():
    text = (FIXTURES / "clean-prose.md").read_text(encoding="utf-8")
    assert lint_text(text, "clean-prose.md", now=NOW) == []


def test_clean_prose_fixture_raises_nothing_in_a_site_either():
    findings = lint_file(FIXTURES / "clean-prose.md", FIXTURES, now=NOW)
    assert findings == []


@pytest.mark.parametrize(
    "prose",
    [
        "I don't think it's fair, and we're sure they've said you'll see I'm right.",
        "It was rock 'n' roll in the '90s at O'Brien's, open till six o'clock.",
        "Who said 'why?' first? \"Who said 'why?'\" is what I asked.",
        'Then: "Isn\'t that the point?" Was it really "fine"? Did she say “yes”?',
        "He asked, “Is it yours?” and she said, “It’s ours.” Doesn’t it sting?",
        "The brief said “a ‘dynamic’ team player”, which nobody is.",
        "We sell on LinkedIn, with an iPhone and an iPad, via PayPal, on YouTube and eBay.",
        "McDonald's, WordPress, GitHub, JavaScript, a PhD, macOS and TikTok are all fine.",
        "The Amazonian fern and the Googleplex are not brand joins; nor is theirs.",
        "£34 a month, €1,200.50 for the stall, 5p bags, 2019–2024.",
        "Tomás, José, Zoë, François, Ångström, Øresund, Łódź, Dvořák and São Paulo.",
        "CAFÉ’S OPEN, JOSÉ—BACK SOON, “café…” and „Wie geht’s?“ are all correct.",
        "An em dash — an en dash – an ellipsis… and three dots... and -- too.",
        "Fig & Fennel, Fig &amp; Fennel, Q&A and AT&T are fine.",
        "Mail hello@example.com or @fernhillworks, tag #onFacebook or #shopLocal.",
        "Read https://example.com/search?s=shoes&t=1 or example.com/page?s=2 today.",
        'A [guide](https://example.com/a?b=c "Is it useful?") and [x]({filename}a.md).',
        'Search is:open label:"feature request" on the tracker.',
        "He's 5'10\" tall. ¿Qué tal? Really?! Wait...",
        "`doesn?t` and `onFacebook` and `Ã©` are code, so they are fine.",
        "A thumbs-up 👍 and a heart ❤️ are fine.",
        "”Is it yours?” she asked, with the quotes typed the wrong way round.",
    ],
)
def test_tricky_but_correct_prose_raises_nothing(prose):
    assert _body(prose) == []


@pytest.mark.parametrize(
    "prose, expected",
    [
        ("It doesn?t work.", [(9, "E101", "'")]),
        (
            "We?re, they?ve, I?m, she?d, you?ll.",
            [
                (3, "E101", "'"),
                (12, "E101", "'"),
                (18, "E101", "'"),
                (25, "E101", "'"),
                (32, "E101", "'"),
            ],
        ),
        ("What?s new at D?Arcy?s?", [(5, "E101", "'"), (16, "E101", "'"), (21, "E101", "'")]),
        ("Isn't that the point”", [(21, "E102", "?")]),
        ('Why would anyone do that" she asked.', [(25, "E102", "?")]),
        ("But how did it end”", [(19, "E102", "?")]),
        (
            "We post onTikTok and fromYouTube.",
            [(9, "E103", "on TikTok"), (22, "E103", "from YouTube")],
        ),
        ("Bought aniPhone oneBay.", [(8, "E103", "an iPhone"), (17, "E103", "on eBay")]),
        ("naÃ¯ve", [(3, "E104", "ï")]),
        ("Ã‰cole", [(1, "E104", "É")]),
        ("voilÃ  tout", [(5, "E104", "à")]),
        ("£5Â each", [(3, "E104", "")]),
        ("Ð¿Ñ€Ð¸Ð²ÐµÑ‚", [(1, "E104", "привет")]),
        ("donï¿½t", [(4, "E104", None)]),
        ("&amp;#8217; and &amp;nbsp;", [(1, "E107", "’"), (17, "E107", "&nbsp;")]),
    ],
)
def test_damage_snippets(prose, expected):
    assert _body(prose) == expected


def test_a_statement_with_a_stray_quote_is_not_called_a_question():
    assert _body("That is the point” she said.") == []
    assert _body("Is 5'10\" tall") == []


def test_no_break_space_after_a_circumflex_a():
    assert _body("the priceÂ\u00a0list") == [(10, "E104", "\u00a0")]


def test_control_characters():
    found = _body("it\x92s a \x93quote\x94, a\x0bbreak, a bell\x07 and \x81")
    assert found == [
        (3, "E106", "’"),
        (8, "E106", "“"),
        (14, "E106", "”"),
        (18, "E106", " "),
        (32, "E106", ""),
        (38, "E106", None),
    ]


def test_tabs_and_windows_line_endings_are_not_damage():
    text = HEADER.replace("\n", "\r\n") + "A line\twith a tab.\r\n"
    assert lint_text(text, now=NOW) == []


def test_code_blocks_comments_and_indented_code_are_ignored():
    body = (
        "```\nIt doesn?t matter: cafÃ© onFacebook\n```\n\n"
        "~~~~ text\nwon?t\n~~~~\n\n"
        "    indented: won?t cafÃ©\n\n"
        "<!-- doesn?t\nonFacebook -->\n\n"
        "- a list item\n\n    with a continuation that doesn?t hide.\n"
    )
    found = _text_findings(HEADER + body)
    assert found == [(BODY_LINE + 15, 35, "E101", "'")]


def test_apostrophe_fix_follows_the_posts_style():
    curly = HEADER + "It’s what we’ve always done, and it doesn?t change.\n"
    assert _text_findings(curly) == [(BODY_LINE, 42, "E101", "’")]


def test_header_findings_use_header_columns():
    text = "Title: Caf\u00c3\u00a9 culture\nSummary: It doesn?t\n\nBody.\n"
    assert _text_findings(text) == [(1, 11, "E104", "é"), (2, 18, "E101", "'")]


def test_paths_and_dates_in_the_header_are_not_prose():
    text = "Title: Fine\nImage: images/caf\u00c3\u00a9?s.jpg\nSummary: Fine.\n\nBody.\n"
    assert _text_findings(text) == []


def test_extra_brands_from_settings():
    text = HEADER + "Find us onFernhill.\n"
    assert _text_findings(text) == []
    found = _text_findings(text, settings={"BYLINE_LINT_BRANDS": ["Fernhill"]})
    assert found == [(BODY_LINE, 9, "E103", "on Fernhill")]


def test_bytes_that_are_not_utf8_are_reported(tmp_path):
    post = tmp_path / "cp1252.md"
    post.write_bytes(HEADER.encode() + b"It doesn\x92t work, caf\xe9.\n")
    found = [(f.line, f.column, f.code, f.fix) for f in lint_file(post, now=NOW)]
    assert found == [(BODY_LINE, 9, "E108", "’"), (BODY_LINE, 21, "E108", "é")]


def test_a_byte_order_mark_does_not_shift_columns(tmp_path):
    post = tmp_path / "bom.md"
    post.write_text("\ufeff" + HEADER + "It doesn?t.\n", encoding="utf-8")
    found = [(f.line, f.column, f.code) for f in lint_file(post, now=NOW)]
    assert found == [(BODY_LINE, 9, "E101")]


def test_every_code_is_documented_in_the_package_docstring():
    import byline.lint

    for code, entry in CODES.items():
        assert f"| {code} | {entry.severity} |" in byline.lint.__doc__
        assert f"| {code} | {entry.severity} | {entry.name} |" in codes_table()
