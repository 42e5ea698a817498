"""The standfirst's HTML, cut down to what inline Markdown makes.

A ``Summary:`` line is Markdown, so Pelican turns it into HTML and any raw HTML in it
comes along: a pasted ``<script>`` or ``<img onerror=...>`` would run on the article
page, in the feeds and wherever a theme prints the summary. The standfirst only needs
emphasis, links, code and abbreviations, so everything else goes. nh3 (the Ammonia
sanitiser) does the work; this module only says what is allowed.
"""

from __future__ import annotations

import nh3

# What Markdown's inline syntax (with `extra` and `smarty`) produces, plus the paragraph
# and line break a multi-line Summary makes. No images, media, forms, tables or styles.
ALLOWED_TAGS: frozenset[str] = frozenset(
    {"a", "abbr", "b", "br", "code", "del", "em", "i", "ins", "mark", "p", "s", "strong"}
    | {"sub", "sup"}
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
}
# Relative links (and Pelican's {filename} links) have no scheme and always pass.
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
# Elements whose text is code or markup, not prose: dropped with what they hold.
DROPPED_WITH_CONTENT: frozenset[str] = frozenset(
    {"script", "style", "iframe", "noscript", "template", "object", "embed", "textarea"}
    | {"svg", "math", "title", "select"}
)


def clean_standfirst(html: str) -> str:
    """``html`` with only inline formatting and safe links left; links get
    ``rel="noopener noreferrer"`` as nh3 adds it."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        strip_comments=True,
    )
