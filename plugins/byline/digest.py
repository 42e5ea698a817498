"""The Pelican side of the newsletter digest: a generator that exports every issue.

Reads the published articles and the Most read list from the build's context, hands
plain ``Story`` values to the ``newsletter`` package, and writes what it returns:
``newsletter/<n>/`` (archive page, email.html, email.txt, manifest.json) and the issue
feeds. Imported only when Pelican asks the plugin for its generators.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from pelican.generators import Generator

logger = logging.getLogger(__name__)

LOCAL_SITE_URL = "http://127.0.0.1:8000"  # where `invoke serve` shows a local build


class NewsletterBudgetError(RuntimeError):
    """An issue breaks a budget; the message names the issue and the fix."""


@dataclass(frozen=True)
class IssueLink:
    """What the site's templates get for each issue: enough for an archive list."""

    number: int
    date: object
    date_label: str  # "13 November 2026"
    subject: str
    preheader: str
    url: str  # relative to the site, like "newsletter/3/"


def site_url_for_email(settings: dict) -> str:
    """Emails need absolute links: the newsletter setting, SITEURL, or the local server."""
    chosen = settings.get("BYLINE_NEWSLETTER_SITE_URL") or ""
    if not chosen:
        site = str(settings.get("SITEURL") or "")
        chosen = site if site.startswith(("http://", "https://")) else LOCAL_SITE_URL
    return chosen.rstrip("/")


def _story(article, site_url: str):
    from .newsletter import Story

    hero = getattr(article, "hero", None)
    image_url, width, height = "", None, None
    if hero is not None:
        image_url = hero.src if hero.is_remote else f"{site_url}/{hero.src}"
        if hero.width and hero.height:
            width, height = 600, round(600 * hero.height / hero.width)
    return Story(
        slug=article.slug,
        url=f"{site_url}/{article.url}",
        title=str(article.title),
        standfirst=getattr(article, "standfirst", ""),
        author=article.author.name if getattr(article, "author", None) else "",
        section=article.category.name if getattr(article, "category", None) else "",
        date=article.date,
        image_url=image_url,
        image_alt=hero.alt if hero is not None else "",
        image_width=width,
        image_height=height,
    )


def latest_issue_email(output: Path) -> Path | None:
    """The newest exported issue's email.html in a built site, if any."""
    numbers = [int(p.name) for p in (output / "newsletter").glob("*") if p.name.isdigit()]
    for number in sorted(numbers, reverse=True):
        email = output / "newsletter" / str(number) / "email.html"
        if email.is_file():
            return email
    return None


class NewsletterGenerator(Generator):
    """Plans and composes the issues with the context, writes them with the output."""

    def generate_context(self) -> None:
        from .newsletter import compose, format_date, from_settings, plan_issues, read_override

        self.issues = []
        self.context["newsletter_issues"] = []
        if not self.settings.get("BYLINE_NEWSLETTER_EXPORT", True):
            return
        site_url = site_url_for_email(self.settings)
        self.newsletter = from_settings(dict(self.settings, BYLINE_NEWSLETTER_SITE_URL=site_url))
        articles = self.context.get("articles", [])
        stories = {article.slug: _story(article, site_url) for article in articles}
        most_read = []
        if self.context.get("most_read_class") == "most-read":
            most_read = [stories[a.slug] for a in self.context["most_read"] if a.slug in stories]
        overrides = Path(self.settings["PATH"]) / self.settings["BYLINE_NEWSLETTER_OVERRIDES"]
        for plan in plan_issues(list(stories.values()), self.newsletter):
            override_file = overrides / f"{plan.number}.md"
            override = read_override(override_file) if override_file.is_file() else None
            url = f"newsletter/{plan.number}/"
            issue = compose(plan, self.newsletter, most_read, override, f"{site_url}/{url}")
            self.issues.append((issue, url))
        self.context["newsletter_issues"] = [
            IssueLink(
                issue.number,
                issue.date,
                format_date(issue.date),
                issue.subject,
                issue.preheader,
                url,
            )
            for issue, url in reversed(self.issues)
        ]

    def generate_output(self, writer) -> None:
        from .newsletter import (
            build_feeds,
            build_manifest,
            check_budgets,
            format_date,
            render_email_html,
            render_email_text,
            render_feed_html,
        )

        if not self.issues:
            return
        output = Path(self.output_path)
        template = self.get_template("newsletter_issue")
        failures: list[str] = []
        entries = []
        for issue, url in self.issues:
            html = render_email_html(issue, self.newsletter)
            text = render_email_text(issue, self.newsletter)
            for problem in check_budgets(issue, html, self.newsletter):
                if "BYLINE_NEWSLETTER_POSTAL_ADDRESS" in problem:
                    logger.warning("%s", problem)  # the sender refuses; the site is fine
                else:
                    failures.append(problem)
            archive_html = render_feed_html(issue, self.newsletter)
            entries.append((issue, archive_html))
            folder = output / url
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "email.html").write_text(html, encoding="utf-8")
            (folder / "email.txt").write_text(text, encoding="utf-8")
            paths = {"html": f"{url}email.html", "text": f"{url}email.txt", "archive": url}
            manifest = build_manifest(issue, self.newsletter, html, text, paths)
            (folder / "manifest.json").write_text(
                json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            writer.write_file(
                f"{url}index.html",
                template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                issue_url=url,
                issue=issue,
                issue_date=format_date(issue.date),
                issue_html=archive_html,
                email_site_url=self.newsletter.site_url,
            )
        site_url = self.newsletter.site_url
        atom, rss = build_feeds(
            entries,
            self.newsletter,
            {
                "atom": f"{site_url}/newsletter/feed.atom.xml",
                "rss": f"{site_url}/newsletter/feed.rss.xml",
                "archive": f"{site_url}/newsletter/",
            },
        )
        (output / "newsletter" / "feed.atom.xml").write_text(atom, encoding="utf-8")
        (output / "newsletter" / "feed.rss.xml").write_text(rss, encoding="utf-8")
        if failures:
            raise NewsletterBudgetError(
                "the newsletter export broke its budgets:\n  " + "\n  ".join(failures)
            )
