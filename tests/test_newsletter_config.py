"""Newsletter settings: defaults, fallbacks and errors that name the setting."""

from __future__ import annotations

import re
from pathlib import Path

import newsletter_kit as h
import pytest
from byline.newsletter import NewsletterConfigError, from_settings
from byline.settings import SPECS

FIXTURES = Path(__file__).parent / "fixtures" / "newsletter"


PACKAGE = Path(__file__).parent.parent / "plugins" / "byline" / "newsletter"


def test_defaults_give_a_weekly_tuesday_newsletter_named_after_the_site():
    conf = from_settings({"SITENAME": "The Counter", "SITEURL": "https://example.com/"})
    assert conf.name == "The Counter"
    assert conf.from_name == "The Counter"
    assert (conf.period, conf.weekday) == ("weekly", "tuesday")
    assert conf.subject_template == "{name} #{number}: {lead_title}"
    assert conf.preheader_template == "{lead_standfirst}"
    assert conf.call_to_action == "forward"
    assert conf.utm is True
    assert conf.max_html_kb == 90
    assert conf.site_url == "https://example.com"
    assert conf.subscribe_url == "https://example.com/newsletter/"  # the page with the form
    assert conf.language == "en"
    assert conf.timezone == "UTC"


def test_the_package_reads_settings_only_through_byline_settings():
    source = "\n".join(p.read_text() for p in PACKAGE.glob("*.py"))
    assert not re.search(r"\.get\(\s*['\"]BYLINE_", source), "read it from NewsletterSection"
    named = set(re.findall(r"BYLINE_NEWSLETTER_[A-Z_]+", source))
    assert named and named <= set(SPECS), named - set(SPECS)


def test_the_package_never_imports_pelican():
    for module in PACKAGE.glob("*.py"):
        assert not re.search(r"^\s*(from|import)\s+pelican", module.read_text(), re.M), module


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("BYLINE_NEWSLETTER_PERIOD", "daily", "weekly, fortnightly, monthly"),
        ("BYLINE_NEWSLETTER_WEEKDAY", "funday", "tuesday"),
        ("BYLINE_NEWSLETTER_CALL_TO_ACTION", "donate", "forward, reply"),
        ("BYLINE_NEWSLETTER_SUBJECT", "{name} {headline}", "{lead_title}"),
        ("BYLINE_NEWSLETTER_MAX_HTML_KB", 0, "positive"),
        ("BYLINE_NEWSLETTER_SINCE", "last tuesday", "2026-01-06"),
        ("BYLINE_NEWSLETTER_TIMEZONE", "Mars/Olympus", "Europe/London"),
    ],
)
def test_unusable_values_are_refused_naming_the_setting(key, value, words):
    with pytest.raises(NewsletterConfigError) as error:
        h.settings(**{key: value})
    assert key in str(error.value)
    assert words in str(error.value)


def test_a_relative_site_url_is_refused_because_emails_need_absolute_links():
    with pytest.raises(NewsletterConfigError, match="SITEURL"):
        from_settings({"SITENAME": "The Counter", "SITEURL": ""})


def test_site_url_and_language_can_be_set_for_the_newsletter_alone():
    conf = h.settings(
        SITEURL="",
        BYLINE_NEWSLETTER_SITE_URL="https://news.example.com",
        BYLINE_NEWSLETTER_LANGUAGE="en-GB",
        BYLINE_NEWSLETTER_FROM_NAME="Maya at The Counter",
    )
    assert conf.site_url == "https://news.example.com"
    assert conf.language == "en-GB"
    assert conf.from_name == "Maya at The Counter"
    assert conf.timezone == "Europe/London"
