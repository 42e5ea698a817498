"""Reading time from an article's HTML body."""

from __future__ import annotations

import html as html_entities
import math
import re

from .settings import default

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+(?:['’]\w+)*")
WORDS_PER_MINUTE: int = default("BYLINE_WORDS_PER_MINUTE")  # a site may set its own


def body_text(html: str) -> str:
    """What a reader reads: tags stripped, entities decoded.

    Worked out once per article and shared by the reading time and related stories.
    """
    text = _TAG.sub(" ", html or "")
    return html_entities.unescape(text) if "&" in text else text


def count_text_words(text: str) -> int:
    """Words in plain text, contractions counted once."""
    return len(_WORD.findall(text))


def count_words(html: str) -> int:
    """Words a reader reads in an HTML body."""
    return count_text_words(body_text(html))


def minutes_for(words: int, words_per_minute: int = WORDS_PER_MINUTE) -> int:
    """Whole minutes, never less than one, as news sites round them."""
    return max(1, math.ceil(words / max(1, words_per_minute)))


def reading_minutes(html: str, words_per_minute: int = WORDS_PER_MINUTE) -> int:
    """Reading time of an HTML body."""
    return minutes_for(count_words(html), words_per_minute)


def plain_text(html: str) -> str:
    """HTML as one line of text, entities decoded: for standfirsts and descriptions."""
    from markupsafe import Markup

    return Markup(html or "").striptags()


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary and add an ellipsis, as search results do."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
