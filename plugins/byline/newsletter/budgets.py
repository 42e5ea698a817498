"""Budget checks on the finished email: the failures a sender would otherwise find late.

Gmail clips messages over about 102 KB (hiding the footer and its unsubscribe link),
email clients have no base URL to resolve relative links against, and images without
width or alt break Outlook layouts and screen readers. ``check_budgets`` returns a list
of problems, each naming the issue and saying what to fix; an empty list means pass.
"""

from __future__ import annotations

from html.parser import HTMLParser

from .config import UNSUBSCRIBE_TOKEN, NewsletterSettings
from .links import is_absolute, is_exempt
from .models import Issue

URL_ATTRIBUTES = ("href", "src", "background", "poster", "action")
FORBIDDEN_TAGS = ("script", "form", "iframe", "embed", "object")


class _Collector(HTMLParser):
    """Every tag with its attributes, by position, from the finished HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None], int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs), self.getpos()[0]))

    handle_startendtag = handle_starttag


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
            "long emails and hides the footer. Shorten the introduction, standfirsts or "
            "the number of stories in the period."
        )

    collector = _Collector()
    collector.feed(html)
    collector.close()
    for tag, attrs, line in collector.tags:
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
