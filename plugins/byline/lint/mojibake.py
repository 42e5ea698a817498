"""Find mojibake (UTF-8 bytes that were read as Windows-1252 or Latin-1) and undo it.

Rather than a fixed table of sequences such as "Ã©" and "â€™", every character that
Windows-1252 (or Latin-1, for the C1 controls) could have produced is mapped back to its
byte, and runs of those bytes that form valid UTF-8 are decoded. That covers every accented
letter, curly quote, dash, currency sign and emoji, and text damaged twice ("Ã¢â‚¬â„¢").

Precision matters more than recall: "Tomás", "£34" and "café…”" must pass. A lone accented
letter is never a valid UTF-8 lead plus continuation, and decoded results are accepted only
when they are characters mojibake really produces (Latin letters, punctuation, symbols,
emoji); results in other scripts need two sequences in a row to count.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass


def _byte_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for byte in range(0x80, 0x100):
        with contextlib.suppress(UnicodeDecodeError):  # five bytes cp1252 leaves undefined
            table[bytes([byte]).decode("cp1252")] = byte
        table.setdefault(chr(byte), byte)  # Latin-1 reading: C1 controls stand for themselves
    return table


BYTE: dict[str, int] = _byte_table()


def _chars(low: int, high: int) -> str:
    return "".join(re.escape(char) for char, byte in BYTE.items() if low <= byte <= high)


_CONT = _chars(0x80, 0xBF)
SEQUENCE = re.compile(
    f"[{_chars(0xF0, 0xF4)}][{_CONT}]{{3}}"
    f"|[{_chars(0xE0, 0xEF)}][{_CONT}]{{2}}"
    f"|[{_chars(0xC2, 0xDF)}][{_CONT}]"
)
# "â€" whose third byte was lost (0x9D, the end of "”", has no Windows-1252 character).
_LOST_QUOTE = re.compile(f"â€(?:\\?|(?![{_CONT}]))")
# "Â" left in front of a space that was once a no-break space ("£5Â each").
_STRAY_A_CIRCUMFLEX = re.compile(r"(?<![A-ZÀ-Þ])Â(?= )")
# "voilÃ  tout": the 0xA0 of "à" became a space.
_STRAY_A_TILDE = re.compile(r"(?<=[a-z])Ã(?: (?= ))?(?= |$)")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    fix: str | None  # None when the original character is lost (U+FFFD)


# Which decoded characters mojibake really produces, by the length of the UTF-8 sequence
# they came from: (bytes, first code point, last code point, how sure). "maybe" ranges are
# real scripts a lone sequence could fake, so they count only two in a row.
_KINDS: tuple[tuple[int, int, int, str], ...] = (
    (2, 0xA0, 0x17F, "sure"),  # Latin-1 Supplement, Latin Extended-A: accents, £, ©
    (2, 0x180, 0x24F, "maybe"),  # Latin Extended-B
    (2, 0x370, 0x52F, "maybe"),  # Greek, Cyrillic
    (3, 0x2000, 0x2BFF, "sure"),  # punctuation, currency, arrows, symbols
    (3, 0x3000, 0x9FFF, "maybe"),  # CJK
    (3, 0xAC00, 0xD7AF, "maybe"),  # Hangul
    (3, 0xFF00, 0xFFEF, "maybe"),  # full-width forms
    (4, 0x1F000, 0x1FAFF, "sure"),  # emoji
)


def _kind(char: str, size: int) -> str | None:
    """How sure a decoded character is to be real mojibake: "sure", "maybe" or None."""
    point = ord(char)
    if point in (0xFEFF, 0xFFFD):  # a byte-order mark or a lost character: always damage
        return "sure"
    return next(
        (kind for length, low, high, kind in _KINDS if length == size and low <= point <= high),
        None,
    )


def _decode(chars: str) -> str | None:
    try:
        return bytes(BYTE[char] for char in chars).decode("utf-8")
    except UnicodeDecodeError:
        return None


def undo(text: str, rounds: int = 3) -> str:
    """Undo every mojibake run in ``text``, repeatedly for text damaged more than once."""
    for _ in range(rounds):
        spans = find(text)
        if not spans or any(span.fix is None for span in spans):
            break
        for span in reversed(spans):
            text = text[: span.start] + (span.fix or "") + text[span.end :]
    return text


def find(text: str) -> list[Span]:
    """Mojibake spans in ``text`` with their repaired text, left to right."""
    if text.isascii():  # every damaged sequence holds a non-ASCII character
        return []
    spans: list[Span] = []
    pending: list[tuple[int, int, str, str]] = []  # (start, end, decoded, kind), adjacent

    def flush() -> None:
        if pending and (len(pending) > 1 or pending[0][3] == "sure"):
            decoded = "".join(item[2] for item in pending)
            again = undo(decoded)  # damaged twice: "Ã¢â‚¬â„¢" -> "â€™" -> "’"
            fix = None if "\ufffd" in again else again.replace("\ufeff", "")
            spans.append(Span(pending[0][0], pending[-1][1], fix))
        pending.clear()

    for match in SEQUENCE.finditer(text):
        decoded = _decode(match.group())
        kind = _kind(decoded, match.end() - match.start()) if decoded else None
        if pending and (kind is None or pending[-1][1] != match.start()):
            flush()
        if kind is not None and decoded is not None:
            pending.append((match.start(), match.end(), decoded, kind))
    flush()

    taken = [(span.start, span.end) for span in spans]

    def free(start: int, end: int) -> bool:
        return all(end <= low or start >= high for low, high in taken)

    for pattern, fix in (
        (_LOST_QUOTE, "”"),
        (_STRAY_A_CIRCUMFLEX, ""),
        (_STRAY_A_TILDE, "à"),
    ):
        for match in pattern.finditer(text):
            if free(match.start(), match.end()):
                spans.append(Span(match.start(), match.end(), fix))
                taken.append((match.start(), match.end()))
    return sorted(spans, key=lambda span: span.start)
