"""The one settings loader: defaults in one place, checked once, misspellings named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from byline.errors import BylineError, BylineSettingsError
from byline.settings import (
    DEFAULTS,
    SPECS,
    BylineSettings,
    apply_defaults,
    check_settings,
    load_settings,
)
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent
_ROW = re.compile(r"^\| `(BYLINE_[A-Z0-9_]+)` \| `(.*?)` \| (.+) \|$")


def _as_written(value: object) -> str:
    """A default as a site writes it in pelicanconf.py (double quotes, as ruff formats)."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_as_written(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = (f"{_as_written(k)}: {_as_written(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    return repr(value)


def _readme_rows() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    return [m.group(1, 2) for line in section.splitlines() if (m := _ROW.match(line))]


def test_the_readme_table_has_one_row_per_setting_with_its_default():
    rows = _readme_rows()
    names = [name for name, _ in rows]
    assert sorted(set(names)) == sorted(names), "a setting has two rows"
    assert set(names) == set(SPECS), "the table and byline/settings.py list different settings"
    wrong = {name: (shown, _as_written(DEFAULTS[name])) for name, shown in rows}
    assert {k: v for k, v in wrong.items() if v[0] != v[1]} == {}


def test_a_word_where_a_number_belongs_is_an_error_naming_setting_value_and_what_is_allowed():
    with pytest.raises(BylineSettingsError) as error:
        load_settings({"BYLINE_WORDS_PER_MINUTE": "fast", "BYLINE_NEWSLETTER_PERIOD": "daily"})
    lines = str(error.value).splitlines()
    assert lines[0] == (
        "BYLINE_WORDS_PER_MINUTE is 'fast' in pelicanconf.py; use a positive whole number, e.g. 230"
    )
    assert "BYLINE_NEWSLETTER_PERIOD is 'daily'" in lines[1]
    assert "weekly, fortnightly, monthly" in lines[1]
    assert isinstance(error.value, BylineError) and isinstance(error.value, ValueError)


@pytest.mark.parametrize(
    ("name", "bad", "words"),
    [
        ("BYLINE_SHARE_LINKS", "no", "True or False"),
        ("BYLINE_MOST_READ_EXCLUDE", "/about/", "list of text"),
        ("BYLINE_RELATED_WEIGHTS", [("tags", 2)], "dict"),
        ("BYLINE_PAGEVIEWS_TIMEOUT", 0, "positive number"),
        ("BYLINE_SEND_RATE", -1, "0 or more"),
        ("BYLINE_DEPLOY_TARGET", "ftp", "rsync, github-pages, folder"),
        ("BYLINE_LOCALE", 44, "text in quotes"),
    ],
)
def test_every_kind_of_bad_value_says_what_is_allowed(name, bad, words):
    with pytest.raises(BylineSettingsError, match=name) as error:
        load_settings({name: bad})
    assert repr(bad) in str(error.value) and words in str(error.value)


def test_values_a_site_may_write_are_read_into_their_types():
    loaded = load_settings(
        {
            "BYLINE_WORDS_PER_MINUTE": "200",
            "BYLINE_NEWSLETTER_PERIOD": " Monthly ",
            "BYLINE_LINT_DISABLE": "w201, E1",
            "BYLINE_MOST_READ_EXCLUDE": ["/shop/"],
            "BYLINE_SEND_RATE": 2.5,
            "BYLINE_PAGEVIEWS_SOURCE": "",  # empty: the default
            "BYLINE_TWITTER_SITE": None,  # None: the default
        }
    )
    assert loaded.article.words_per_minute == 200
    assert loaded.newsletter.period == "monthly"
    assert loaded.lint.disable == ("w201", "E1")
    assert loaded.most_read.exclude == ("/shop/",)
    assert loaded.sending.rate == 2.5
    assert loaded.pageviews.source == "file"
    assert loaded.site.twitter_site == ""


def test_a_misspelt_setting_is_a_warning_naming_the_nearest_one():
    warnings: list[str] = []
    check_settings(
        {"BYLINE_RELATD_COUNT": 3, "BYLINE_ZZZ": 1, "BYLINE_SITEURL": "x"}, warnings.append
    )
    assert warnings == [
        "BYLINE_RELATD_COUNT in pelicanconf.py is not a Byline setting and is ignored; "
        "did you mean BYLINE_RELATED_COUNT?",
        "BYLINE_ZZZ in pelicanconf.py is not a Byline setting and is ignored; "
        "see the README's settings table",
    ]


def test_a_build_check_warns_and_goes_on_with_the_default():
    settings = {"BYLINE_WORDS_PER_MINUTE": "fast", "BYLINE_MORE_FROM_COUNT": 2}
    warnings: list[str] = []
    loaded = check_settings(settings, warnings.append)
    assert warnings == [
        "BYLINE_WORDS_PER_MINUTE is 'fast' in pelicanconf.py; use a positive whole number, "
        "e.g. 230; the default 230 is used for this build"
    ]
    assert settings["BYLINE_WORDS_PER_MINUTE"] == 230  # later readers of the dict are safe
    assert loaded.article.words_per_minute == 230 and loaded.article.more_from_count == 2
    assert settings["BYLINE_LOCALE"] == "en_GB"  # and every default is filled in


def test_the_demo_settings_are_all_known_and_usable():
    for conf in ("pelicanconf.py", "publishconf.py"):
        settings = read_settings(str(ROOT / conf))
        warnings: list[str] = []
        loaded = check_settings(settings, warnings.append)
        assert warnings == [], conf
        assert loaded.newsletter.name == "The Counter Weekly"
        assert loaded.newsletter.weekday == "friday"


def test_defaults_are_fresh_copies_and_typed_defaults_match_them():
    settings: dict = {}
    apply_defaults(settings)
    settings["BYLINE_MOST_READ_EXCLUDE"].append("/shop/")
    assert DEFAULTS["BYLINE_MOST_READ_EXCLUDE"] == ["/about/", "/newsletter/"]
    assert load_settings({}) == BylineSettings()
    assert BylineSettings().most_read.exclude == ("/about/", "/newsletter/")


def test_the_feature_config_objects_take_their_defaults_from_the_one_place():
    from byline.lint import LintConfig
    from byline.newsletter import from_settings
    from byline.pageviews import config_from_settings as pageview_config
    from byline.pageviews.config import PageviewConfig
    from byline.sending import SendConfig
    from byline.sending import config_from_settings as send_config

    assert LintConfig.from_settings({}) == LintConfig()
    assert LintConfig().title_max == DEFAULTS["BYLINE_LINT_TITLE_MAX"]
    sent = send_config({}, {}, base_dir=".")
    built = SendConfig()
    for name in ("provider", "smtp_port", "smtp_timeout", "rate", "retries", "retry_delay"):
        assert getattr(sent, name) == getattr(built, name), name
    assert sent.ledger.name == Path(DEFAULTS["BYLINE_SEND_LEDGER"]).name == built.ledger.name
    views = pageview_config({}, {})
    assert (views.source, views.window_days, views.timeout) == (
        PageviewConfig().source,
        DEFAULTS["BYLINE_PAGEVIEWS_WINDOW_DAYS"],
        PageviewConfig().timeout,
    )
    newsletter = from_settings({"SITENAME": "S", "SITEURL": "https://example.com"})
    assert newsletter.max_html_kb == DEFAULTS["BYLINE_NEWSLETTER_MAX_HTML_KB"]


def test_errors_users_see_share_one_root():
    from byline.authors import AuthorDataError
    from byline.drafts import DraftExistsError, UnknownAuthorError
    from byline.lint import LintConfigError
    from byline.newsletter import IssueDataError, NewsletterConfigError, OverrideError
    from byline.pageviews import PageviewConfigError, PageviewError
    from byline.publish import PublishError
    from byline.related_report import UnknownSlugError
    from byline.sending import SendConfigError, SendError

    for error in (
        AuthorDataError,
        DraftExistsError,
        UnknownAuthorError,
        IssueDataError,
        OverrideError,
        PageviewError,
        PublishError,
        UnknownSlugError,
        SendError,
    ):
        assert issubclass(error, BylineError), error
    for error in (LintConfigError, NewsletterConfigError, PageviewConfigError, SendConfigError):
        assert issubclass(error, BylineSettingsError), error


def test_a_build_names_a_misspelt_key_and_a_bad_value_and_goes_on(site, warnings_log):
    post = "Title: Hi\nDate: 2026-01-02 09:00\nAuthor: Maya Okafor\nSummary: Hi.\n\nBody.\n"
    output = site({"hi.md": post}, BYLINE_WORDS_PER_MINUTE="fast", BYLINE_RELATD_COUNT=3)
    messages = "\n".join(warnings_log())
    assert "did you mean BYLINE_RELATED_COUNT?" in messages
    assert "BYLINE_WORDS_PER_MINUTE is 'fast'" in messages and "230" in messages
    assert (output / "hi" / "index.html").is_file()


def test_lint_disable_written_as_one_string_turns_off_only_those_codes(site, warnings_log):
    post = (
        "Title: " + "A headline far too long for any search result to show in full, surely" + "\n"
        "Date: 2026-01-02 09:00\nModified: 2026-01-01 09:00\nAuthor: Maya Okafor\n"
        "Summary: Hi.\n\nBody.\n"
    )
    site({"hi.md": post}, BYLINE_LINT_DISABLE="W201")
    messages = "\n".join(warnings_log())
    assert "W215" in messages  # "W201" is one code, not the letters W, 2, 0, 1
    assert "W201" not in messages
