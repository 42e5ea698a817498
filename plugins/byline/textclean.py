"""Control characters out of text that becomes a header, a feed or a manifest.

Word's soft return (U+000B), a form feed, NEL (U+0085) or a Unicode line separator
(U+2028/2029) pasted into a title crash XML writers and split email headers. The one
rule, used wherever metadata is read or a header is built: such characters become a
space (runs of spaces collapse where there was a character), other C0 controls (but
tab and newline) are dropped, and single-line values lose tabs and newlines too.
"""

from __future__ import annotations

import re

# C0 controls but tab (09) and newline (0A), DEL, NEL and the two Unicode separators.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]")
_LINE_BREAKS = re.compile("[\t\n]")
# What reads as a break or a space in the source becomes a space; the rest goes.
_AS_SPACE = set("\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\u2028\u2029")


def has_control_characters(text: str) -> bool:
    """Whether ``clean_text`` would change ``text`` (tabs and newlines aside): the quick
    question asked of every field of every post, which almost never has any."""
    return _CONTROL.search(text) is not None


def control_characters(text: str, *, single_line: bool = False) -> list[str]:
    """The characters ``clean_text`` would change, each as ``U+XXXX``, in order of first use."""
    found = _CONTROL.findall(text)
    if single_line:
        found += _LINE_BREAKS.findall(text)
    seen: dict[str, None] = {}
    for char in found:
        seen.setdefault(f"U+{ord(char):04X}", None)
    return list(seen)


def clean_text(text: str, *, single_line: bool = False) -> str:
    """``text`` without control characters; ``single_line`` also turns tabs and newlines
    into spaces (titles, subjects, names: one line each by nature)."""
    if not _CONTROL.search(text) and not (single_line and _LINE_BREAKS.search(text)):
        return text

    def replace(match: re.Match[str]) -> str:
        return " " if match.group() in _AS_SPACE else ""

    cleaned = _CONTROL.sub(replace, text)
    if single_line:
        cleaned = _LINE_BREAKS.sub(" ", cleaned)
        cleaned = re.sub(r" {2,}", " ", cleaned).strip()
    return cleaned
