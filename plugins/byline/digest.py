"""The Pelican side of the newsletter digest: a generator that exports every issue.

Reads the published articles' ``ArticleRecord``s and the pageview ranking from the
build's context, hands them to the ``newsletter`` package, and writes what it returns:
``newsletter/<n>/`` (archive page, email.html, email.txt, manifest.json, issue.json) and
the issue feeds. Imported only when Pelican asks the plugin for its generators.

Two promises hold here. The newsletter never stops the site: an issue with a problem
(an introduction over the size budget, a broken override file) is logged as an error
and marked unsendable in its manifest, and the build goes on. And what was sent stays
what was sent: an issue with a frozen copy in the project (``newsletter/frozen.py``)
gets its email files copied byte for byte and its archive page and feed entry rendered
from the frozen ``issue.json``, whatever today's content and pageviews say.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from .collector import paused_gc
from .siteurl import LOCAL_SITE_URL  # where `invoke serve` shows a local build

logger = logging.getLogger(__name__)


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


def ranking(articles: list, stories: dict, context: dict) -> list:
    """The site's stories by pageviews, best first, for the Most read block and the cap.

    Starts with the site's own Most read list (same order, so the email agrees with the
    site), then every other story with views, most first, then newest. Empty without a
    fresh snapshot: the cap then keeps the newest stories.
    """
    block = context.get("most_read")
    if block is None or not block.ranked:
        return []
    ranked = [stories[a.slug] for a in block.stories if a.slug in stories]
    seen = {story.slug for story in ranked}
    rest = [
        (getattr(a, "views", 0) or 0, stories[a.slug])
        for a in articles
        if a.slug in stories and a.slug not in seen and (getattr(a, "views", 0) or 0) > 0
    ]
    rest.sort(key=lambda pair: (-pair[0], -pair[1].date.timestamp(), pair[1].slug))
    return ranked + [story for _, story in rest]


@dataclass
class ExportedIssue:
    """One issue on its way to the output: composed today, or rebuilt from its frozen copy."""

    issue: Any  # newsletter.Issue
    url: str  # "newsletter/3/"
    html: str = ""  # the email files, when composed today
    text: str = ""
    problems: list[str] = field(default_factory=list)  # why it must not be sent
    frozen: Path | None = None  # the frozen folder whose email files are copied


class NewsletterGenerator(Generator):
    """Plans and composes the issues with the context, writes them with the output."""

    @paused_gc()  # stories and issues hold no cycles (see byline.collector)
    def generate_context(self) -> None:
        from .newsletter import Story, format_date, from_settings, plan_issues
        from .newsletter.frozen import frozen_folder, is_frozen, sent_dir
        from .newsletter_layout import issue_url

        self.issues: list[ExportedIssue] = []
        self.context["newsletter_issues"] = []
        if not self.settings["BYLINE_NEWSLETTER_EXPORT"]:  # filled in by check_settings
            return
        site_url = site_url_for_email(self.settings)
        self.newsletter = from_settings(dict(self.settings, BYLINE_NEWSLETTER_SITE_URL=site_url))
        articles = self.context.get("articles", [])
        stories = {a.slug: Story.from_record(a.record, site_url) for a in articles}
        ranked = ranking(articles, stories, self.context)
        frozen_root = sent_dir(self.settings, Path(self.settings["PATH"]).resolve().parent)
        planned = {
            plan.number: plan for plan in plan_issues(list(stories.values()), self.newsletter)
        }
        numbers = set(planned)
        if frozen_root.is_dir():
            numbers |= {
                int(p.name) for p in frozen_root.iterdir() if p.name.isdigit() and int(p.name) > 0
            }
        for number in sorted(numbers):
            url = issue_url(number)
            if is_frozen(frozen_root, number):
                exported = self._from_frozen(frozen_folder(frozen_root, number), url)
                if exported is None and number in planned:  # issue.json unreadable
                    exported = self._compose(planned[number], ranked, url)
                    exported.frozen = frozen_folder(frozen_root, number)
            elif number in planned:
                exported = self._compose(planned[number], ranked, url)
            else:
                exported = None
            if exported is not None:
                self.issues.append(exported)
        self.context["newsletter_issues"] = [
            IssueLink(
                entry.issue.number,
                entry.issue.date,
                format_date(entry.issue.date),
                entry.issue.subject,
                entry.issue.preheader,
                entry.url,
            )
            for entry in reversed(self.issues)
        ]

    def _from_frozen(self, folder: Path, url: str) -> ExportedIssue | None:
        """The sent issue as it was; None (after an error naming the file) if unreadable."""
        from .newsletter import IssueDataError, read_issue

        try:
            issue = read_issue(folder / "issue.json")
        except IssueDataError as error:
            logger.error(
                "%s. Issue %s was sent: its email files are copied from the frozen folder, "
                "but its archive page and feed entry are built from today's content until "
                "the file is fixed.",
                error,
                folder.name,
            )
            return None
        return ExportedIssue(issue=issue, url=url, frozen=folder)

    def _compose(self, plan, ranked: list, url: str) -> ExportedIssue:
        """Compose one issue from today's content; problems are logged, never raised."""
        from .newsletter import (
            OverrideError,
            check_budgets,
            compose_within_budget,
            read_override,
            render_email_text,
        )

        label = f"newsletter issue #{plan.number} ({plan.date.isoformat()})"
        problems: list[str] = []
        overrides = Path(self.settings["PATH"]) / self.settings["BYLINE_NEWSLETTER_OVERRIDES"]
        override_file = overrides / f"{plan.number}.md"
        override = None
        if override_file.is_file():
            try:
                override = read_override(override_file)
            except OverrideError as error:
                problems.append(
                    f"{label}: {error}. The issue is built without its override file; "
                    "fix the file so the email says what you wrote."
                )
        for warning in override.warnings if override else ():
            logger.warning("%s", warning)
        settings = self.newsletter
        archive_url = f"{settings.site_url}/{url}"
        issue, html = compose_within_budget(plan, settings, ranked, override, archive_url)
        capped = min(settings.max_stories, len(issue.every_other_story))
        if len(issue.stories) < capped:
            logger.warning(
                "%s: the email shows %d stories beside the lead, not %d, to stay under "
                "BYLINE_NEWSLETTER_MAX_HTML_KB (%d KB); the rest are linked from its "
                "archive page. Shorter Summary: lines (or a shorter introduction) let more fit.",
                label,
                len(issue.stories),
                capped,
                settings.max_html_kb,
            )
        for problem in check_budgets(issue, html, settings):
            if "BYLINE_NEWSLETTER_POSTAL_ADDRESS" in problem:
                logger.warning("%s", problem)  # the site is fine; the sender's concern
            else:
                problems.append(problem)
        for problem in problems:
            logger.error(
                "%s The issue is marked unsendable in its manifest.json; the rest of the "
                "site is built.",
                problem,
            )
        return ExportedIssue(
            issue=issue,
            url=url,
            html=html,
            text=render_email_text(issue, settings),
            problems=problems,
        )

    def generate_output(self, writer) -> None:
        from .newsletter import build_feeds, format_date, render_feed_html
        from .newsletter_layout import ARCHIVE_URL, FEED_URLS

        self._write_thanks(writer)
        if not self.issues:
            return
        output = Path(self.output_path)
        template = self.get_template("newsletter_issue")
        entries = []
        links = list(reversed(self.context["newsletter_issues"]))  # oldest first, as self.issues
        for index, exported in enumerate(self.issues):
            issue = exported.issue
            folder = output / exported.url
            if exported.frozen is not None:
                self._copy_frozen(exported, folder)
            else:
                self._write_composed(exported, folder)
            entries.append((issue, render_feed_html(issue, self.newsletter)))
            writer.write_file(
                f"{exported.url}index.html",
                template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                issue_url=exported.url,
                issue=issue,
                issue_date=format_date(issue.date),
                issue_html=render_feed_html(issue, self.newsletter, every_story=True),
                email_site_url=issue.site_url or self.newsletter.site_url,
                previous_issue=links[index - 1] if index > 0 else None,
                next_issue=links[index + 1] if index + 1 < len(links) else None,
            )
        site_url = self.newsletter.site_url
        atom, rss = build_feeds(
            entries,
            self.newsletter,
            {
                "atom": f"{site_url}/{FEED_URLS['atom']}",
                "rss": f"{site_url}/{FEED_URLS['rss']}",
                "archive": f"{site_url}/{ARCHIVE_URL}",
            },
        )
        (output / FEED_URLS["atom"]).write_text(atom, encoding="utf-8")
        (output / FEED_URLS["rss"]).write_text(rss, encoding="utf-8")

    def _write_thanks(self, writer) -> None:
        """The page the sign-up provider sends a new reader to: confirm, then go on reading.

        Not an article or a page, so no feed lists it; the sitemap leaves it out
        (``plugin.on_initialized``) and the page itself says noindex.
        """
        from .newsletter_layout import ARCHIVE_URL, THANKS_SAVE_AS, THANKS_URL, builds_thanks_page

        if not builds_thanks_page(self.settings):
            return
        pages = self.context.get("pages") or []
        has_archive = any(getattr(p, "url", None) == ARCHIVE_URL for p in pages)
        writer.write_file(
            THANKS_SAVE_AS,
            self.get_template("newsletter_thanks"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            thanks_url=THANKS_URL,
            archive_url=ARCHIVE_URL if has_archive else "",
            newsletter_name=self.settings["BYLINE_NEWSLETTER_NAME"] or self.settings["SITENAME"],
        )

    def _write_composed(self, exported: ExportedIssue, folder: Path) -> None:
        from .durable import write_atomic
        from .newsletter import build_manifest, dump_issue

        url = exported.url
        paths = {"html": f"{url}email.html", "text": f"{url}email.txt", "archive": url}
        manifest = build_manifest(
            exported.issue, self.newsletter, exported.html, exported.text, paths, exported.problems
        )
        write_atomic(folder / "email.html", exported.html, durable=False)
        write_atomic(folder / "email.txt", exported.text, durable=False)
        write_atomic(folder / "issue.json", dump_issue(exported.issue), durable=False)
        # The manifest last: a sender never finds one naming files not yet written.
        write_atomic(
            folder / "manifest.json",
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
            durable=False,
        )

    def _copy_frozen(self, exported: ExportedIssue, folder: Path) -> None:
        """The sent email files, byte for byte, whatever today's content says."""
        from .durable import write_atomic
        from .newsletter.frozen import FROZEN_FILES

        for name in (*FROZEN_FILES[1:], FROZEN_FILES[0]):  # the manifest last
            source = exported.frozen / name
            if name == "issue.json" and exported.html:  # the frozen one could not be read
                continue
            if source.is_file():
                write_atomic(folder / name, source.read_bytes(), durable=False)
            else:
                logger.error(
                    "%s is missing from the frozen copy of sent issue %s; restore it from "
                    "git. The export leaves it out rather than write a different one.",
                    source,
                    exported.frozen.name,
                )
