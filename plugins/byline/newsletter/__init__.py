"""The newsletter digest: pure functions from stories and settings to email files.

No Pelican import anywhere in this package: the glue hands over plain ``Story`` values
(absolute URLs, timezone-aware dates) and writes the strings and dicts returned here.
One build, per issue::

    settings = from_settings(pelican_settings)
    for plan in plan_issues(stories, settings):
        override = read_override(path) if path.exists() else None
        issue, html = compose_within_budget(plan, settings, most_read, override, archive_url)
        text = render_email_text(issue, settings)
        problems = check_budgets(issue, html, settings)
        manifest = build_manifest(issue, settings, html, text, paths, problems)
        data = dump_issue(issue)  # issue.json; read_issue(path) gives the issue back
    atom, rss = build_feeds([(issue, render_feed_html(issue, settings)), ...], settings, urls)

The unsubscribe placeholder is ``UNSUBSCRIBE_TOKEN`` (``{{unsubscribe_url}}``).
"""

from .budgets import check_budgets, compose_within_budget
from .compose import compose, format_date, more_stories_label
from .config import (
    UNSUBSCRIBE_TOKEN,
    NewsletterConfigError,
    NewsletterSettings,
    from_settings,
)
from .email_html import render_email_html
from .email_text import render_email_text
from .feeds import build_feeds, render_feed_html
from .issue_data import IssueDataError, dump_issue, issue_from_data, issue_to_data, read_issue
from .links import add_utm, campaign_name, slugify
from .manifest import build_manifest
from .models import Issue, IssuePlan, Override, Story
from .override import OverrideError, parse_override, read_override
from .periods import plan_issues

__all__ = [
    "UNSUBSCRIBE_TOKEN",
    "Issue",
    "IssueDataError",
    "IssuePlan",
    "NewsletterConfigError",
    "NewsletterSettings",
    "Override",
    "OverrideError",
    "Story",
    "add_utm",
    "build_feeds",
    "build_manifest",
    "campaign_name",
    "check_budgets",
    "compose",
    "compose_within_budget",
    "dump_issue",
    "format_date",
    "from_settings",
    "issue_from_data",
    "issue_to_data",
    "more_stories_label",
    "parse_override",
    "plan_issues",
    "read_issue",
    "read_override",
    "render_email_html",
    "render_email_text",
    "render_feed_html",
    "slugify",
]
