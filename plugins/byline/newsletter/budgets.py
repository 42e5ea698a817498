"""Budget checks on the finished email: the failures a sender would otherwise find late.

Gmail clips messages over about 102 KB (hiding the footer and its unsubscribe link),
email clients have no base URL to resolve relative links against, and images without
width or alt break Outlook layouts and screen readers. ``check_budgets`` returns a list
of problems, each naming the issue and saying what to fix; an empty list means pass.

``compose_within_budget`` makes sure the stories alone can never break the size budget:
the cap (``BYLINE_NEWSLETTER_MAX_STORIES``) already bounds them, and an issue whose
stories still come out too big (very long standfirsts) shows fewer of them, the rest
one link away. What is left to break a budget is the editor's own introduction.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from html import unescape

from .compose import compose
from .config import UNSUBSCRIBE_TOKEN, NewsletterSettings
from .email_html import render_email_html
from .links import is_absolute, is_exempt
from .models import Issue, IssuePlan, Override, Story

URL_ATTRIBUTES = ("href", "src", "background", "poster", "action")
FORBIDDEN_TAGS = ("script", "form", "iframe", "embed", "object")


_COMMENT = re.compile(r"<!--.*?-->", re.S)
_NEWLINE = re.compile(r"\n")
_TAG = re.compile(r"<([a-zA-Z][\w:-]*)([^<>]*)>")
_ATTRIBUTE = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


def _tags(markup: str) -> list[tuple[str, dict[str, str | None], int]]:
    """Every start tag with its attributes and line, outside comments (MSO blocks too).

    A regular-expression scan: the export checks every issue on every build, and
    html.parser made the check the slowest part of it.
    """
    blanked = _COMMENT.sub(
        lambda m: (
            " " * len(m.group(0)) if "\n" not in m.group(0) else re.sub(r"[^\n]", " ", m.group(0))
        ),
        markup,
    )
    newlines = [m.start() for m in _NEWLINE.finditer(blanked)]
    found = []
    for match in _TAG.finditer(blanked):
        attrs: dict[str, str | None] = {}
        for name, double, single, bare in _ATTRIBUTE.findall(match.group(2)):
            value = double or single or bare
            has_value = bool(double or single or bare) or f"{name}=" in match.group(2)
            attrs[name.lower()] = unescape(value) if has_value else None
        found.append((match.group(1).lower(), attrs, bisect_right(newlines, match.start()) + 1))
    return found


def _short(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def check_budgets(issue: Issue, html: str, settings: NewsletterSettings) -> list[str]:
    """Problems with this issue's email HTML, each a sentence naming issue and fix."""
    label = f"newsletter issue #{issue.number} ({issue.date.isoformat()})"
    problems: list[str] = []

    size = len(html.encode("utf-8"))
    limit = settings.max_html_kb * 1024
    if size > limit:
        problems.append(
            f"{label}: email HTML is {size / 1024:.1f} KB, over the "
            f"{settings.max_html_kb} KB budget (BYLINE_NEWSLETTER_MAX_HTML_KB); Gmail clips "
            "long emails and hides the footer. Shorten the introduction "
            f"(the issue's override file, {issue.number}.md) or the lead story's Summary."
        )

    for tag, attrs, line in _tags(html):
        if tag in FORBIDDEN_TAGS:
            problems.append(
                f"{label}: line {line} has a <{tag}>, which email clients strip or block; "
                "remove it (the introduction is the usual place it comes from)."
            )
        for name in URL_ATTRIBUTES:
            value = attrs.get(name)
            if value is None:
                continue
            if is_exempt(value) or is_absolute(value):
                continue
            problems.append(
                f'{label}: <{tag} {name}="{_short(value)}"> on line {line} is not an '
                "absolute http(s) URL; emails have no base URL, so write it in full "
                f"(e.g. {settings.site_url}/...)."
            )
        if tag == "img":
            src = _short(attrs.get("src") or "(no src)")
            if attrs.get("alt") is None:
                problems.append(
                    f"{label}: image {src} on line {line} has no alt text; add one (or "
                    'alt="" if it is purely decorative).'
                )
            if not (attrs.get("width") or "").strip().isdigit():
                problems.append(
                    f"{label}: image {src} on line {line} has no width attribute in pixels; "
                    "add one (Outlook shows images at full size without it)."
                )

    if UNSUBSCRIBE_TOKEN not in html:
        problems.append(
            f"{label}: the unsubscribe link {UNSUBSCRIBE_TOKEN} is missing; the template "
            "must keep it so the sending service can fill it in."
        )
    if not settings.postal_address:
        problems.append(
            f"{label}: no postal address in the footer; set BYLINE_NEWSLETTER_POSTAL_ADDRESS "
            "(anti-spam laws require one in marketing email)."
        )
    return problems


def fits_size(html: str, settings: NewsletterSettings) -> bool:
    """Whether the inlined HTML is within BYLINE_NEWSLETTER_MAX_HTML_KB."""
    return len(html.encode("utf-8")) <= settings.max_html_kb * 1024


def compose_within_budget(
    plan: IssuePlan,
    settings: NewsletterSettings,
    most_read: Sequence[Story],
    override: Override | None,
    archive_url: str,
) -> tuple[Issue, str]:
    """The composed issue and its email HTML, with as many stories as fit the size budget.

    Normally that is the cap. When the capped stories are too big, the issue drops its
    lowest-ranked ones until the email fits; if even the lead alone does not fit, the
    stories are not the cause (the introduction is) and the full issue is returned for
    ``check_budgets`` to report.
    """
    issue = compose(plan, settings, most_read, override, archive_url)
    html = render_email_html(issue, settings)
    if fits_size(html, settings):
        return issue, html
    for limit in range(len(issue.stories) - 1, -1, -1):
        smaller = compose(plan, settings, most_read, override, archive_url, limit=limit)
        smaller_html = render_email_html(smaller, settings)
        if fits_size(smaller_html, settings):
            return smaller, smaller_html
    return issue, html
