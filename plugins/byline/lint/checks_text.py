"""Checks for text damaged on its way from a word processor or CMS (codes E101-E107).

Each check looks at one unit (a header value or a body paragraph) and reports hits as
offsets into it. Wording checks (E101-E103) read the prose mask, so URLs, tags and code
never count; encoding checks (E104-E106) read the code mask, because mojibake in a link's
text or an alt attribute is still damage.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from . import mojibake
from .post import Unit


@dataclass(frozen=True)
class Hit:
    offset: int
    length: int
    code: str
    message: str
    fix: str | None


# Brands whose names get run into the word before them when a CMS drops a space or a link.
BRANDS: tuple[str, ...] = (
    "Facebook", "Instagram", "LinkedIn", "Twitter", "TikTok", "YouTube", "WhatsApp",
    "Pinterest", "Snapchat", "Threads", "Bluesky", "Mastodon", "Reddit", "Nextdoor",
    "Google", "Gmail", "Amazon", "Etsy", "Shopify", "Squarespace", "Wix", "WordPress",
    "Mailchimp", "Substack", "Buttondown", "Xero", "QuickBooks", "FreeAgent", "Sage",
    "PayPal", "Stripe", "SumUp", "Zettle", "Square", "Zoom", "Slack", "Microsoft", "Outlook",
    "Excel", "Apple", "Canva", "Trustpilot", "Tripadvisor", "TripAdvisor", "Yelp", "Gumtree",
    "Checkatrade", "Deliveroo", "Airbnb", "Eventbrite", "Dropbox", "Notion", "Trello",
    "HubSpot", "Hootsuite", "Vimeo", "Spotify", "Indeed", "Glassdoor", "Fiverr", "Upwork",
    "Monzo", "Starling", "Revolut", "Vinted", "Depop", "eBay", "iPhone", "iPad",
)  # fmt: skip
PREFIXES: tuple[str, ...] = (
    "on", "in", "at", "via", "from", "to", "with", "and", "the", "our", "your", "for", "by",
    "of", "an", "a", "my", "their", "his", "her", "its", "into", "onto", "using", "like",
)  # fmt: skip

_QUESTION_WORDS = frozenset(
    """who what when where why how which whose whom is isn't are aren't am was wasn't were
    weren't do does doesn't don't did didn't can can't could couldn't would wouldn't should
    shouldn't will won't shall have haven't has hasn't had hadn't may might must mustn't
    ought""".split()
)
_LEAD_INS = frozenset("and but so or then well".split())

_APOSTROPHE_PATTERNS = (
    # "rock ?n? roll": both marks are apostrophes
    (re.compile(r"(?<=\s)\?n\?(?=\s)"), "{a}n{a}"),
    (re.compile(r"(?<=[A-Za-z0-9])\?(?=(?:s|re|ve|ll|d|S|RE|VE|LL|D)\b)"), "{a}"),
    (re.compile(r"(?<=[nN])\?(?=[tT]\b)"), "{a}"),
    (re.compile(r"(?<=\bI)\?(?=m\b)"), "{a}"),
    (re.compile(r"(?<=\b[OD])\?(?=[A-Z][a-z])"), "{a}"),
    (re.compile(r"(?:(?<=\s)|^)\?(?=(?:em|tis|twas|til|cause|cos|\d0s)\b)"), "{a}"),
)
_SENTENCE_BREAK = re.compile(r"[.!?…][\"”’')\]*_]*\s+|[:;]\s+|\n")
_LEADING_MARKUP = re.compile(r"^[\s>#*_\-–—“\"‘'(\[]*(?:\d+[.)]\s*)?[\s*_“\"‘'(\[]*")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
_QUOTES = re.compile('["“”]')
_APOSTROPHE_IN_WORD = re.compile(r"(?<=[a-z])[’?](?=[a-z])")
_DOUBLE_ESCAPED = re.compile(
    r"&amp;(?:amp;)*(?P<entity>#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_REPLACEMENT = re.compile(r"\ufffd+")
_CONTRACTION_TAIL = re.compile(r"(?:s|t|re|ve|ll|d|m)\b")


def brand_pattern(extra_brands: Iterable[str] = ()) -> re.Pattern[str]:
    """A lower-case prefix glued to a known brand: "onFacebook", "viaLinkedIn", "aniPhone"."""
    brands = sorted({*BRANDS, *extra_brands}, key=len, reverse=True)
    prefixes = sorted(PREFIXES, key=len, reverse=True)
    return re.compile(
        rf"(?<![A-Za-z0-9_])(?P<prefix>{'|'.join(prefixes)})"
        rf"(?P<brand>{'|'.join(map(re.escape, brands))})(?![A-Za-z0-9])"
    )


def apostrophe_style(text: str) -> str:
    """The apostrophe the post already uses between letters: straight unless mostly curly."""
    curly = len(re.findall(r"[A-Za-z]’[A-Za-z]", text))
    straight = len(re.findall(r"[A-Za-z]'[A-Za-z]", text))
    return "’" if curly > straight else "'"


def _word_at(text: str, start: int, end: int) -> str:
    """The damaged token for a message: the span widened to the surrounding word."""
    low, high = start, end
    while low > 0 and not text[low - 1].isspace() and start - low < 20:
        low -= 1
    while high < len(text) and not text[high].isspace() and high - end < 20:
        high += 1
    return text[low:high].strip("()[]*_,;:.")


def _show(text: str) -> str:
    return "".join(
        f"\\u{ord(char):04x}" if char == "\xa0" or not char.isprintable() else char for char in text
    )


def check_apostrophes(unit: Unit, apostrophe: str) -> Iterator[Hit]:
    """E101: "doesn?t", "we?re", "O?Brien" -- a question mark where an apostrophe was."""
    if "?" not in unit.prose:  # every pattern needs one; most paragraphs have none
        return
    taken: set[int] = set()
    for pattern, template in _APOSTROPHE_PATTERNS:
        for match in pattern.finditer(unit.prose):
            if match.start() in taken:
                continue
            taken.update(range(match.start(), match.end()))
            fix = template.format(a=apostrophe)
            word = _word_at(unit.raw, match.start(), match.end())
            fixed = word.replace(match.group(), fix, 1) if template == "{a}" else word
            hint = f'; write "{fixed}"' if template == "{a}" else f'; write "{fix}"'
            yield Hit(
                match.start(),
                match.end() - match.start(),
                "E101",
                f'apostrophe typed as "?" in "{word}"{hint}',
                fix,
            )


def _is_question(sentence: str) -> bool:
    """Whether a sentence opens like a question: "Isn't...", "Why...", "But how...".

    Only whole words count, so "is:open" or "What-if" never make a sentence a question. An
    apostrophe typed as "?" (E101) still counts as one: "Doesn?t it..." opens a question.
    """
    tokens = _LEADING_MARKUP.sub("", sentence).split()[:2]
    words = [_APOSTROPHE_IN_WORD.sub("'", token.rstrip(",").lower()) for token in tokens]
    if len(words) > 1 and words[0] in _LEAD_INS:
        words = words[1:]
    return bool(words) and words[0] in _QUESTION_WORDS


def _sentence_start(text: str, end: int, floor: int = 0) -> int:
    start = floor
    for match in _SENTENCE_BREAK.finditer(text, floor, end):
        start = match.end()
    return start


def check_question_quotes(unit: Unit) -> Iterator[Hit]:
    """E102: a question ending in a stray closing quote ("Isn't that the point”").

    Only a closing quote with no opening quote before it counts, right after a letter, at the
    end of a sentence that starts like a question. A doubled closing quote after a quoted
    question ("“Is it yours””") is the same damage inside a quotation.
    """
    text = unit.prose
    if "”" not in text and '"' not in text:  # only a closing quote can be the damage
        return
    opened: list[int] = []
    last_close: tuple[int, int] | None = None  # (closing offset, its opening offset)
    for index, char in enumerate(text):
        if char == "“":
            opened.append(index)
            continue
        if char == '"':
            before = text[index - 1] if index else " "
            after = text[index + 1] if index + 1 < len(text) else " "
            if not before.isalnum() and not after.isspace():  # "word or :"word opens
                opened.append(index)
                continue
        elif char != "”":
            continue
        after = text[index + 1] if index + 1 < len(text) else " "
        if opened:
            last_close = (index, opened.pop())
            continue
        if after.isalnum():
            continue
        before = text[index - 1] if index else " "
        if before.isalpha():
            start = _sentence_start(text, index)
            sentence = text[start:index]
            if not _QUOTES.search(sentence) and _is_question(sentence):
                snippet = text[max(start, index - 30) : index + 1].lstrip()
                yield Hit(
                    index,
                    1,
                    "E102",
                    f'question ends in "{char}" instead of "?": "{snippet}"; write "?"',
                    "?",
                )
        elif last_close and last_close[0] == index - 1 and text[index - 2 : index - 1].isalpha():
            open_at = last_close[1]
            start = _sentence_start(text, index - 1, open_at + 1)
            if _is_question(text[start : index - 1]):
                snippet = text[max(open_at, index - 31) : index + 1]
                yield Hit(
                    index - 1,
                    1,
                    "E102",
                    f'quoted question ends in "{text[index - 1]}{char}" instead of "?{char}": '
                    f'"{snippet}"; write "?"',
                    "?",
                )


def check_brands(unit: Unit, pattern: re.Pattern[str]) -> Iterator[Hit]:
    """E103: "onFacebook", "viaLinkedIn" -- a short word run into a brand name."""
    for match in pattern.finditer(unit.prose):
        fixed = f"{match['prefix']} {match['brand']}"
        yield Hit(
            match.start(),
            match.end() - match.start(),
            "E103",
            f'"{match.group()}" runs a word into a brand name; write "{fixed}"',
            fixed,
        )


def check_encoding(unit: Unit, apostrophe: str) -> Iterator[Hit]:
    """E104 mojibake, E105 U+FFFD, E106 control characters."""
    text = unit.raw
    spans = mojibake.find(text)
    # A character inside a mojibake run is reported once, as part of that run.
    taken = {offset for span in spans for offset in range(span.start, span.end)}
    yield from (_mojibake_hit(text, span) for span in spans)
    yield from _replacement_hits(text, taken, apostrophe)
    yield from _control_hits(text, taken)


def _mojibake_hit(text: str, span: mojibake.Span) -> Hit:
    """E104: one mojibake run, with its repair or the news that the character is lost."""
    bad = _show(text[span.start : span.end])
    if span.fix is None:
        message = f'mojibake "{bad}" stands for U+FFFD: the original character was lost; retype it'
    elif span.fix == "":
        message = f'stray "{bad}" left by an encoding mix-up; delete it'
    else:
        message = f'mojibake "{bad}" (UTF-8 read as Windows-1252); write "{_show(span.fix)}"'
    return Hit(span.start, span.end - span.start, "E104", message, span.fix)


def _replacement_hits(text: str, taken: set[int], apostrophe: str) -> Iterator[Hit]:
    """E105: U+FFFD outside mojibake; a lone one between a letter and "t", "s"... was an
    apostrophe, any other is a character nobody can guess."""
    for match in _REPLACEMENT.finditer(text):
        if match.start() in taken:
            continue
        before = text[match.start() - 1] if match.start() else " "
        fix = None
        if (
            match.end() - match.start() == 1
            and before.isalpha()
            and _CONTRACTION_TAIL.match(text, match.end())
        ):
            fix = apostrophe
        word = _word_at(text, match.start(), match.end())
        hint = f'; write "{word.replace(chr(0xFFFD), fix)}"' if fix else "; retype it"
        yield Hit(
            match.start(),
            match.end() - match.start(),
            "E105",
            f'replacement character U+FFFD in "{_show(word)}": the original character was lost'
            + hint,
            fix,
        )


def _control_hits(text: str, taken: set[int]) -> Iterator[Hit]:
    """E106: control characters outside mojibake, each with its repair."""
    for match in _CONTROL.finditer(text):
        if match.start() in taken:
            continue
        point = ord(match.group())
        fix, meaning = _control_fix(text, match.start())
        yield Hit(match.start(), 1, "E106", f"control character U+{point:04X}{meaning}", fix)


def _control_fix(text: str, offset: int) -> tuple[str | None, str]:
    """The repair of the control character at ``offset`` and the words that explain it."""
    char = text[offset]
    point = ord(char)
    if 0x80 <= point <= 0x9F:
        try:
            fix = bytes([point]).decode("cp1252")
        except UnicodeDecodeError:
            return None, "; delete it or retype what was meant"
        return fix, f' (Windows-1252 "{fix}" read as Latin-1); write "{fix}"'
    if char in "\x0b\x0c":
        # A break pasted beside a space would leave two: then the break just goes.
        beside = text[offset - 1 : offset] + text[offset + 1 : offset + 2]
        if beside.strip(" ") != beside:
            return "", "; delete it (a space is already there)"
        return " ", "; replace it with a space"
    return "", "; delete it"


def _entity_fix(entity: str) -> str | None:
    reference = f"&{entity};"
    char = html.unescape(reference)
    if char == reference:
        return None
    if char in "<>&" or not char.isprintable() or char.isspace():
        return reference  # keep these as an entity: a bare "<" or no-break space misleads
    return char


def check_entities(unit: Unit) -> Iterator[Hit]:
    """E107: "&amp;rsquo;" -- an entity escaped twice, which shows as "&rsquo;" on the page."""
    for match in _DOUBLE_ESCAPED.finditer(unit.prose):
        fix = _entity_fix(match["entity"])
        if fix is None:
            continue
        shown = match.group().replace("&amp;", "&", 1)
        yield Hit(
            match.start(),
            match.end() - match.start(),
            "E107",
            f'double-escaped entity "{match.group()}" shows as "{shown}" on the page; '
            f'write "{_show(fix)}"',
            fix,
        )


def check_unit(unit: Unit, apostrophe: str, brands: re.Pattern[str]) -> list[Hit]:
    """Every text check on one unit, ordered by position."""
    hits = [
        *check_apostrophes(unit, apostrophe),
        *check_question_quotes(unit),
        *check_brands(unit, brands),
        *check_encoding(unit, apostrophe),
        *check_entities(unit),
    ]
    return sorted(hits, key=lambda hit: (hit.offset, hit.code))
