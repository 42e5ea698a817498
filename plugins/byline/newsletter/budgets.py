"""Budget checks on the finished email: the failures a sender would otherwise find late.

Gmail clips messages over about 102 KB (hiding the footer and its unsubscribe link),
email clients have no base URL to resolve relative links against, and images without
width or alt break Outlook layouts and screen readers. ``check_budgets`` returns a list
of problems, each naming the issue and saying what to fix; an empty list means pass.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from html import unescape

from .config import UNSUBSCRIBE_TOKEN, NewsletterSettings
from .links import is_absolute, is_exempt
from .models import Issue

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
            "long emails and hides the footer. Shorten the introduction, standfirsts or "
            "the number of stories in the period."
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
