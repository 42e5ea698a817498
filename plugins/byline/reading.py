"""Reading time from an article's HTML body."""

from __future__ import annotations

import math
import re

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+(?:['’]\w+)*")


def count_words(html: str) -> int:
    """Words a reader reads: tags stripped, contractions counted once."""
    return len(_WORD.findall(_TAG.sub(" ", html or "")))


def reading_minutes(html: str, words_per_minute: int = 230) -> int:
    """Whole minutes, never less than one, as news sites round them."""
    words = count_words(html)
    return max(1, math.ceil(words / max(1, words_per_minute)))


def plain_text(html: str) -> str:
    """HTML as one line of text, entities decoded: for standfirsts and descriptions."""
    from markupsafe import Markup

    return Markup(html or "").striptags()


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary and add an ellipsis, as search results do."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
