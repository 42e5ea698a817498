"""Metadata, image, link, author, slug and date checks, and turning checks off."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from byline.lint import LintConfigError, build_index, lint_file, lint_site, lint_text, sources

SITE = Path(__file__).resolve().parent / "fixtures" / "lint" / "site"
NOW = datetime(2026, 11, 25, 12, 0)
SETTINGS = {
    "ARTICLE_URL": "{slug}/",
    "PAGE_URL": "{slug}/",
    "ARCHIVES_SAVE_AS": "archives/index.html",
    "CATEGORY_URL": "section/{slug}/",
    "TIMEZONE": "Europe/London",
}


def _site(settings=None, now=NOW) -> list[tuple[str, int, int, str]]:
    return [
        (Path(f.path).relative_to(SITE).as_posix(), f.line, f.column, f.code)
        for f in lint_site(SITE, SETTINGS | (settings or {}), now)
    ]


def test_site_fixture_findings_are_exact():
    assert _site() == [
        ("dup-a.md", 1, 1, "E211"),
        ("dup-b.md", 3, 7, "E211"),  # at its Slug: value
        ("lint-disable.md", 1, 73, "W201"),  # column 73 = character 66 of the title
        ("lint-disable.md", 5, 26, "W301"),  # X999 is no code
        ("lint-disable.md", 7, 27, "E104"),  # E101 and E103 are off in this post
        ("long-summary.md", 1, 1, "E214"),
        ("long-summary.md", 2, 9, "E210"),
        ("long-summary.md", 3, 170, "E203"),  # column 170 = character 161 of the summary
        ("meta-problems.md", 1, 1, "E202"),
        ("meta-problems.md", 1, 73, "W201"),
        ("meta-problems.md", 2, 7, "E212"),
        ("meta-problems.md", 3, 11, "E213"),
        ("meta-problems.md", 4, 9, "E210"),
        ("meta-problems.md", 6, 1, "E205"),
        ("meta-problems.md", 6, 1, "E206"),
        ("meta-problems.md", 7, 22, "E209"),  # Related: good-psot
        ("meta-problems.md", 9, 1, "E207"),  # ![](...)
        ("meta-problems.md", 9, 26, "E207"),  # <img> without alt; alt="" is fine
        ("meta-problems.md", 10, 17, "E208"),
        ("meta-problems.md", 10, 52, "E209"),
        ("meta-problems.md", 10, 81, "E209"),
        ("meta-problems.md", 11, 1, "W216"),
    ]


def test_good_posts_pages_translations_drafts_and_newsletter_files_are_clean():
    flagged = {path for path, *_ in _site()}
    for clean in ("good-post.md", "other-post.md", "other-post-fr.md", "pages/about.md"):
        assert clean not in flagged
    assert "future-draft.md" not in flagged  # a draft may be dated ahead and say TODO
    assert "lint-off.md" not in flagged  # Lint: off
    assert "newsletter/1.md" not in [s.relpath for s in sources(SITE, SETTINGS)]


def test_suggestions_and_severities():
    findings = {(Path(f.path).name, f.line, f.column): f for f in lint_site(SITE, SETTINGS, NOW)}
    author = findings[("meta-problems.md", 4, 9)]
    assert author.fix == "Tomás Reyes" and author.severity == "error"
    assert 'did you mean "Tomás Reyes"' in author.message
    assert findings[("meta-problems.md", 10, 17)].fix == "{filename}other-post.md"
    assert findings[("meta-problems.md", 10, 81)].fix == "/other-post/"
    assert findings[("meta-problems.md", 10, 52)].fix is None  # nothing close
    assert findings[("meta-problems.md", 7, 22)].fix == "good-post"
    assert findings[("meta-problems.md", 1, 73)].severity == "warning"
    assert "Authors:" in findings[("long-summary.md", 2, 9)].message
    assert "dup-b.md" in findings[("dup-a.md", 1, 1)].message
    assert not any(f.fixable for f in findings.values() if f.code.startswith(("E2", "W2")))


def test_future_dates_follow_the_injected_now_and_the_site_timezone():
    later = [code for *_, code in _site(now=datetime(2027, 6, 1)) if code == "E212"]
    assert later == []
    # 09:00 London on 24 December is 09:00 UTC: one minute before is still the future.
    just_before = datetime(2026, 12, 24, 8, 59, tzinfo=UTC)
    assert ("meta-problems.md", 2, 7, "E212") in _site(now=just_before)
    just_after = datetime(2026, 12, 24, 9, 1, tzinfo=UTC)
    assert ("meta-problems.md", 2, 7, "E212") not in _site(now=just_after)


def test_settings_disable_codes_and_prefixes():
    codes = {code for *_, code in _site({"BYLINE_LINT_DISABLE": ["E209", "W2"]})}
    assert "E209" not in codes and "W201" not in codes and "W216" not in codes
    assert "E208" in codes and "E202" in codes


def test_settings_limits():
    codes = [
        (path, code)
        for path, _, _, code in _site(
            {"BYLINE_LINT_TITLE_MAX": 100, "BYLINE_LINT_SUMMARY_MAX": 200}
        )
    ]
    assert ("meta-problems.md", "W201") not in codes
    assert ("long-summary.md", "E203") not in codes


@pytest.mark.parametrize(
    "settings",
    [
        {"BYLINE_LINT_DISABLE": ["E999"]},
        {"BYLINE_LINT_DISABLE": ["X"]},
        {"BYLINE_LINT_TITLE_MAX": "long"},
    ],
)
def test_bad_settings_are_refused_with_a_message(settings):
    with pytest.raises(LintConfigError, match="BYLINE_LINT_"):
        lint_text("Title: x\n\nBody.\n", settings=settings)


def test_per_post_switches():
    damaged = "It doesn?t matter, the cafÃ© is onFacebook.\n"
    header = "Title: T\nDate: 2026-01-01\nSummary: S.\n"
    assert lint_text(header + "Lint: off\n\n" + damaged, now=NOW) == []
    codes = [f.code for f in lint_text(header + "Lint_disable: E101 E104\n\n" + damaged, now=NOW)]
    assert codes == ["E103"]
    codes = [f.code for f in lint_text(header + "Lint_disable: E1\n\n" + damaged, now=NOW)]
    assert codes == []


def test_pages_need_no_date_but_posts_do():
    text = "Title: About\nSummary: A page.\n\nBody.\n"
    assert lint_text(text, is_page=True, now=NOW) == []
    assert [f.code for f in lint_text(text, now=NOW)] == ["E214"]


def test_malformed_date_and_modified_before_date():
    text = "Title: T\nDate: 2026-13-45 09:00\nSummary: S.\n\nBody.\n"
    (finding,) = lint_text(text, now=NOW)
    assert (finding.line, finding.column, finding.code) == (2, 7, "E213")
    text = "Title: T\nDate: 2026-05-02 09:00\nModified: 2026-05-01\nSummary: S.\n\nBody.\n"
    assert [(f.line, f.code) for f in lint_text(text, now=NOW)] == [(3, "W215")]


def test_pelican_date_forms_are_accepted():
    for date in ("2026-05-02", "2026-05-02T09:00:00+01:00", "2 May 2026", "2026/05/02 09:00"):
        text = f"Title: T\nDate: {date}\nSummary: S.\n\nBody.\n"
        assert lint_text(text, now=NOW) == [], date


def test_multiline_summary_is_one_value():
    text = (
        "Title: T\nDate: 2026-05-02\nSummary: A standfirst that goes on\n"
        "    over a second line, which Pelican joins.\n\nBody.\n"
    )
    assert lint_text(text, now=NOW) == []


def test_slug_from_title_when_pelican_is_told_so():
    index = build_index(SITE, SETTINGS | {"SLUGIFY_SOURCE": "title"})
    assert ("shared", "a-good-post", "") in index.slugs
    index = build_index(SITE, SETTINGS)
    assert index.slugs[("shared", "dup-a", "")] == ("dup-a.md", "dup-b.md")
    assert index.slugs[("shared", "other-post", "fr")] == ("other-post-fr.md",)


def test_one_file_against_its_site():
    findings = lint_file(SITE / "meta-problems.md", SITE, SETTINGS, NOW)
    assert {f.code for f in findings} >= {"E208", "E209", "E210"}
    alone = lint_file(SITE / "meta-problems.md", settings=SETTINGS, now=NOW)
    assert not {f.code for f in alone} & {"E208", "E209", "E210", "E211"}
