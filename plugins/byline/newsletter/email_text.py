"""The plain-text twin of the email: same sections, every link, readable anywhere.

Multipart emails need it (spam filters and text-only clients read it), so it carries
everything the HTML does: the view-in-browser link, the editor's introduction, the lead,
the other stories, Most read, the call to action and the footer with the unsubscribe
token and postal address. Lines are wrapped at 76 characters; URLs are never broken and
always stand on a line of their own, so a long URL is the only thing that may run over.
Links in the introduction become numbered references listed after it.
"""

from __future__ import annotations

import textwrap
from html.parser import HTMLParser

from .compose import format_date
from .config import UNSUBSCRIBE_TOKEN, NewsletterSettings
from .email_html import address_lines, more_label
from .links import Linker
from .models import Issue, Story

WIDTH = 76
HEAVY_RULE = "=" * WIDTH
RULE = "-" * WIDTH


def wrap(text: str, indent: str = "") -> list[str]:
    """Wrap prose at WIDTH without splitting long words (URLs) or hyphenated words."""
    text = " ".join(text.split())
    if not text:
        return []
    return textwrap.wrap(
        text,
        width=WIDTH,
        initial_indent=indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


class _IntroText(HTMLParser):
    """Rendered Markdown to paragraphs of text, with links collected as references."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr"}

    def __init__(self, link: Linker) -> None:
        super().__init__(convert_charrefs=True)
        self.link = link
        self.paragraphs: list[str] = []
        self.links: list[str] = []
        self.current: list[str] = []
        self.prefix = ""
        self.href_stack: list[str | None] = []

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.paragraphs.append(self.prefix + text)
        self.current = []
        self.prefix = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self._flush()
            if tag == "li":
                self.prefix = "- "
        elif tag == "br":
            self.current.append(" ")
        elif tag == "a":
            self.href_stack.append(dict(attrs).get("href"))
        elif tag == "img":
            alt = dict(attrs).get("alt") or ""
            if alt:
                self.current.append(f"[{alt}]")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self._flush()
        elif tag == "a" and self.href_stack:
            href = self.href_stack.pop()
            if href:
                url = self.link(href)
                if url not in self.links:
                    self.links.append(url)
                self.current.append(f" [{self.links.index(url) + 1}]")

    def handle_data(self, data: str) -> None:
        self.current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def intro_text(issue: Issue, link: Linker) -> list[str]:
    """The editor's introduction as wrapped text lines, references last."""
    if not issue.intro_html:
        return []
    parser = _IntroText(link)
    parser.feed(issue.intro_html)
    parser.close()
    lines: list[str] = []
    previous_was_item = False
    for paragraph in parser.paragraphs:
        is_item = paragraph.startswith("- ")
        if lines and not (is_item and previous_was_item):
            lines.append("")
        if is_item:
            wrapped = wrap(paragraph[2:], "  ")
            wrapped[0] = "- " + wrapped[0][2:]
        else:
            wrapped = wrap(paragraph)
        lines.extend(wrapped)
        previous_was_item = is_item
    if parser.links:
        lines.append("")
        lines.extend(f"[{n}] {url}" for n, url in enumerate(parser.links, start=1))
    return lines


def _story_lines(story: Story, link: Linker, kicker: str = "") -> list[str]:
    lines = [kicker.upper()] if kicker else []
    lines.extend(wrap(story.title))
    byline = f"By {story.author}" + (f" · {story.section}" if story.section and not kicker else "")
    lines.extend(wrap(byline))
    if story.standfirst:
        lines.append("")
        lines.extend(wrap(story.standfirst))
    lines.append("")
    lines.append("Read the story:")
    lines.append(link(story.url))
    return lines


def render_email_text(issue: Issue, settings: NewsletterSettings) -> str:
    """The text/plain part of the email, ending with a newline."""
    link = Linker(issue.campaign, settings.site_url, settings.utm)
    out: list[str] = []
    out.extend(wrap(issue.name.upper()))
    out.append(f"Issue #{issue.number} · {format_date(issue.date)}")
    out.append("")
    out.append("View in browser:")
    out.append(link(issue.archive_url))

    intro = intro_text(issue, link)
    if intro:
        out.append("")
        out.extend(intro)

    out.extend(["", HEAVY_RULE, ""])
    out.extend(_story_lines(issue.lead, link, kicker=issue.lead.section or "The lead"))

    more = more_label(issue)
    if issue.stories or more:
        out.extend(["", RULE, f"ALSO THIS {issue.period_label.upper()}", RULE])
        for story in issue.stories:
            out.append("")
            out.extend(_story_lines(story, link))
        if more:
            out.extend(["", *wrap(more + ", every one on the issue's page:")])
            out.append(link(issue.archive_url))

    if issue.most_read:
        out.extend(["", RULE, "MOST READ", RULE])
        for rank, story in enumerate(issue.most_read, start=1):
            out.append("")
            out.extend(_ranked(rank, story.title))
            out.append("   " + link(story.url))

    out.extend(["", HEAVY_RULE, ""])
    if issue.call_to_action == "reply":
        out.extend(
            wrap(
                f"Got a view on this {issue.period_label}'s stories? Just hit reply: an "
                "editor reads every message."
            )
        )
    else:
        out.extend(wrap("Know someone who would enjoy this? Forward this email to a friend."))
        out.extend(wrap(f"Forwarded this one? Sign up for {issue.name}:"))
        out.append(link(settings.subscribe_url))

    out.extend(["", RULE])
    if settings.reason:
        out.extend(wrap(settings.reason))
        out.append("")
    out.append("Unsubscribe:")
    out.append(UNSUBSCRIBE_TOKEN)
    out.append("")
    out.append(f"{settings.site_name}:")
    out.append(link(settings.site_url + "/"))
    if settings.postal_address:
        out.append("")
        for line in address_lines(settings.postal_address):
            out.extend(wrap(line))
    return "\n".join(line.rstrip() for line in out) + "\n"


def _ranked(rank: int, title: str) -> list[str]:
    """'1. Title' with continuation lines aligned under the title."""
    lines = wrap(title, "   ")
    if lines:
        lines[0] = f"{rank}.".ljust(3) + lines[0][3:]
    return lines
