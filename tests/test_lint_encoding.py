"""Encoding damage (E104-E106): each kind gets the message and repair a writer acts on."""

from __future__ import annotations

from datetime import datetime

import pytest
from byline.lint import lint_text

NOW = datetime(2026, 11, 25, 12, 0)
HEADER = (
    "Title: A test post\nDate: 2026-09-01 09:00\nAuthor: Ann Lee\n"
    "Summary: A short standfirst for the test post.\n\n"
)


def _damage(body: str) -> list[tuple[int, str, str | None, str]]:
    """(column, code, fix, message) of the encoding findings in a one-line body."""
    return [
        (f.column, f.code, f.fix, f.message)
        for f in lint_text(HEADER + body + "\n", now=NOW)
        if f.code in ("E104", "E105", "E106")
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "don\u00ef\u00bf\u00bdt",
            (
                4,
                "E104",
                None,
                'mojibake "ï¿½" stands for U+FFFD: the original character was lost; retype it',
            ),
        ),
        ("£5Â each", (3, "E104", "", 'stray "Â" left by an encoding mix-up; delete it')),
        (
            "won\ufffdt",
            (
                4,
                "E105",
                "'",
                'replacement character U+FFFD in "won\ufffdt": the original '
                'character was lost; write "won\'t"',
            ),
        ),
        (
            "caf\ufffd",
            (
                4,
                "E105",
                None,
                'replacement character U+FFFD in "caf\ufffd": the original '
                "character was lost; retype it",
            ),
        ),
        (
            "a \x0cbreak",
            (3, "E106", "", "control character U+000C; delete it (a space is already there)"),
        ),
        ("a\x0bbreak", (2, "E106", " ", "control character U+000B; replace it with a space")),
        (
            "it\x92s",
            (
                3,
                "E106",
                "’",
                'control character U+0092 (Windows-1252 "’" read as Latin-1); write "’"',
            ),
        ),
        (
            "odd\x81",
            (4, "E106", None, "control character U+0081; delete it or retype what was meant"),
        ),
        ("bell\x07", (5, "E106", "", "control character U+0007; delete it")),
    ],
)
def test_each_kind_of_encoding_damage_has_its_own_message_and_repair(body, expected):
    assert _damage(body) == [expected]


def test_a_control_character_inside_mojibake_is_reported_once_with_the_run():
    # "ä¸\xadæ–‡" is "中文" read as Windows-1252: its U+00AD is part of the run, not E106.
    found = _damage("ä¸\u00adæ–‡ is Chinese")
    assert [(column, code, fix) for column, code, fix, _ in found] == [(1, "E104", "中文")]


def test_one_character_of_another_script_alone_is_not_called_mojibake():
    # "Ð¿" decodes to a Cyrillic letter: real text in a name could look like that, so a
    # lone one passes; two in a row ("Ð¿Ñ€") are damage.
    assert _damage("Ð¿ alone") == []
    assert [code for _, code, _, _ in _damage("Ð¿Ñ€ together")] == ["E104"]
    assert [code for _, code, _, _ in _damage("ä¸­ alone")] == []
