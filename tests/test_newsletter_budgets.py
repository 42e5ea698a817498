"""Budget checks: each broken issue yields a message naming the issue and the fix."""

from __future__ import annotations

import re
from pathlib import Path

import newsletter_kit as h
from byline.newsletter import check_budgets, parse_override, render_email_html

FIXTURES = Path(__file__).parent / "fixtures" / "newsletter"


def problems_for(override_text=None, **overrides):
    issue, conf = h.issue(3, None, **overrides)
    if override_text is not None:
        from byline.newsletter import compose, plan_issues

        override = parse_override(override_text, Path("content/newsletter/3.md"))
        plan = plan_issues(h.load_stories(), conf)[2]
        issue = compose(plan, conf, h.most_read_pool(), override, issue.archive_url)
    html = render_email_html(issue, conf)
    return check_budgets(issue, html, conf), html


def test_a_normal_issue_passes_every_budget():
    for number in (1, 2, 3):
        issue, conf = h.issue(number)
        assert check_budgets(issue, render_email_html(issue, conf), conf) == []


def test_an_email_over_the_size_budget_is_reported():
    problems, html = problems_for(BYLINE_NEWSLETTER_MAX_HTML_KB=5)
    assert len(html.encode()) > 5 * 1024
    assert len(problems) == 1
    assert "issue #3 (2026-11-24)" in problems[0]
    assert "over the 5 KB budget" in problems[0]
    assert "BYLINE_NEWSLETTER_MAX_HTML_KB" in problems[0]


def test_a_long_intro_pushes_the_default_budget_over_90_kb():
    paragraph = "This paragraph is long enough to matter when repeated many times. " * 20
    problems, _ = problems_for("\n\n".join([paragraph] * 80))
    assert any("over the 90 KB budget" in p for p in problems)


def test_relative_links_and_images_without_width_are_reported():
    problems, _ = problems_for((FIXTURES / "relative-link.md").read_text())
    relative = [p for p in problems if "/archives/" in p]
    assert len(relative) == 1
    assert "issue #3" in relative[0] and "absolute" in relative[0]
    assert "https://example.com/..." in relative[0]  # says how to fix it
    width = [p for p in problems if "no width" in p]
    assert len(width) == 1 and "chart.png" in width[0]


def test_an_image_without_alt_is_reported():
    issue, conf = h.issue(3)
    html = render_email_html(issue, conf)
    stripped = re.sub(r' alt="[^"]*"', "", html, count=1)
    problems = check_budgets(issue, stripped, conf)
    assert len(problems) == 1
    assert "has no alt text" in problems[0] and "apprentice.jpg" in problems[0]


def test_script_and_forms_pasted_into_the_intro_are_reported():
    problems, _ = problems_for(
        'Hi.\n\n<script>alert("x")</script>\n\n<form action="https://x.example/"></form>'
    )
    assert any("<script>" in p for p in problems)
    assert any("<form>" in p for p in problems)


def test_mailto_and_the_unsubscribe_token_are_allowed():
    problems, html = problems_for("Write to [the editor](mailto:editor@example.com).")
    assert 'href="mailto:editor@example.com"' in html
    assert problems == []


def test_a_missing_postal_address_is_reported():
    problems, _ = problems_for(BYLINE_NEWSLETTER_POSTAL_ADDRESS="")
    assert len(problems) == 1
    assert "BYLINE_NEWSLETTER_POSTAL_ADDRESS" in problems[0]
