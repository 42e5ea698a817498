"""The header checks both the build and lint make say the same thing, once.

For each shared check (post_checks.py) a real site is built with one post that has the
problem, and lint runs on the same content folder: the build's warning carries lint's code
and lint's very words, and the build says it once (its own lint pass does not repeat it).
"""

from __future__ import annotations

import pytest
from byline.lint import lint_site
from byline.lint.codes import BUILD_REPORTED

AUTHORS = '["Ann Lee"]\nrole = "Ann Lee runs a shop."\nbio = "Bio."\n'
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x08"
    b"\x08\x02\x00\x00\x00\x00\x00\x00\x00"
)


def _post(**fields: str | None) -> str:
    header = {
        "Title": "A post about cash",
        "Date": "2026-02-03 10:00",
        "Author": "Ann Lee",
        "Summary": "A standfirst about cash flow for a small shop.",
        "Image": "images/p.png",
        "Image_alt": "A till",
        "Image_credit": "Ann Lee",
    }
    header.update(fields)
    lines = [f"{key}: {value}" for key, value in header.items() if value is not None]
    return "\n".join(lines) + "\n\nCash flow is a calendar, not a number.\n"


CASES = {
    "E202": _post(Summary=None),
    "E205": _post(Image_alt=None),
    "E210": _post(Author="Ann Leigh"),
    "E213": _post(Modified="last tuesday-ish"),
    "E214": _post(Date=None),
    "E218": _post(Image="images/gone.png"),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_the_build_warns_in_lints_words_and_only_once(code, site, tmp_path, warnings_log):
    site(
        {"authors.toml": AUTHORS, "images/p.png": PNG, "post.md": CASES[code]},
        BYLINE_LINT_ON_BUILD=True,
    )
    [finding] = [f for f in lint_site(tmp_path / "content") if f.code == code]
    said = [m for m in warnings_log() if f"{code} " in m and "post.md" in m]
    assert len(said) == 1, said  # once: the build's lint pass skips what the build says
    assert f"{code} {finding.message}" in said[0]


def test_every_code_the_build_reports_has_a_case_here():
    """A code marked build_reports without a shared check would drop out of the build."""
    assert set(BUILD_REPORTED) == {*CASES, "E211"}  # E211: collisions.py, its own tests
