"""The per-issue Markdown override: subject, preheader, lead and the editor's intro."""

from __future__ import annotations

from pathlib import Path

import newsletter_kit as h
import pytest
from byline.newsletter import (
    OverrideError,
    compose,
    parse_override,
    plan_issues,
    read_override,
    render_email_html,
    render_email_text,
)

FIXTURES = Path(__file__).parent / "fixtures" / "newsletter"


def test_the_override_file_sets_subject_preheader_lead_and_intro():
    override = read_override(FIXTURES / "3.md")
    assert override.subject == "The apprentice issue"
    assert override.preheader == "What happens when you let go of the till"
    assert override.lead == "about-page-does-the-selling"
    assert "<strong>two owners</strong>" in override.intro_html
    assert "<li>Reply with your own answer.</li>" in override.intro_html


def test_the_email_uses_the_override():
    issue, conf = h.issue(3, "3.md")
    assert issue.subject == "The apprentice issue"
    assert issue.preheader == "What happens when you let go of the till"
    assert issue.lead.slug == "about-page-does-the-selling"
    assert [s.slug for s in issue.stories] == ["apprentice-taught-me-to-delegate"]
    html = render_email_html(issue, conf)
    assert "<title>The apprentice issue</title>" in html
    # The intro is shown above the lead story.
    assert html.index("Hello from the workshop") < html.index("Your about page does the selling")
    text = render_email_text(issue, conf)
    assert text.index("Hello from the workshop") < text.index("Your about page does the selling")
    assert "- Reply with your own answer." in text


def test_without_an_override_subject_and_preheader_come_from_the_lead():
    issue, _ = h.issue(3)
    assert issue.lead.slug == "apprentice-taught-me-to-delegate"  # the newest story
    assert issue.subject == "The Counter Weekly #3: My apprentice taught me to delegate"
    assert issue.preheader == "Letting go of the till was the hardest part."
    assert issue.intro_html == ""


def test_subject_template_from_settings():
    issue, _ = h.issue(2, BYLINE_NEWSLETTER_SUBJECT="{date}: {count} stories from {lead_author}")
    assert issue.subject == "17 November 2026: 3 stories from Tom Reyes"


def test_an_unknown_key_is_refused_naming_the_file_and_key():
    with pytest.raises(OverrideError) as error:
        read_override(FIXTURES / "unknown-key.md")
    assert "unknown-key.md" in str(error.value)
    assert "Sender" in str(error.value)


def test_a_lead_that_is_not_in_the_issue_is_refused_naming_the_file():
    conf = h.settings()
    plan = plan_issues(h.load_stories(), conf)[2]
    override = read_override(FIXTURES / "missing-lead.md")
    with pytest.raises(OverrideError) as error:
        compose(plan, conf, [], override, "https://example.com/newsletter/3/")
    message = str(error.value)
    assert "missing-lead.md" in message
    assert "not-a-story-in-this-issue" in message
    assert "#3" in message
    assert "apprentice-taught-me-to-delegate" in message  # what the editor can choose


def test_a_missing_file_is_reported_by_name():
    with pytest.raises(OverrideError, match="99.md"):
        read_override(FIXTURES / "99.md")


def test_metadata_is_optional_and_a_blank_first_line_protects_a_colon_intro():
    override = parse_override("\nNote: this week is short.\n", Path("content/newsletter/4.md"))
    assert (override.subject, override.preheader, override.lead) == ("", "", "")
    assert override.intro_html == "<p>Note: this week is short.</p>"
    only_meta = parse_override("Subject: Just a subject", Path("5.md"))
    assert only_meta.subject == "Just a subject"
    assert only_meta.intro_html == ""
