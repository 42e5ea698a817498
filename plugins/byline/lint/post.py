"""A post split into header fields and body blocks, every piece keeping its line and column.

The checks never see raw Markdown. They see *units* (one header value, or one paragraph,
list item or heading of the body) in two masked forms of the same length as the source:

* ``raw``: code blocks, code spans and HTML comments blanked out, because nothing inside
  code is prose and the spec says to ignore it entirely;
* ``prose``: additionally URLs, link destinations, HTML tags, e-mail addresses, @handles
  and #hashtags blanked out, so wording checks never trip over ``?s=1`` or ``#onFacebook``.

Blanking replaces characters with spaces, so an offset into a masked string is an offset
into the source line, which is what keeps column numbers exact.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

BOM = "\ufeff"

_META_KEY = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):[ \t]*(?P<value>.*)$")
_META_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)$")
_YAML_START = re.compile(r"^-{3}\s*$")
_YAML_END = re.compile(r"^(-{3}|\.{3})\s*$")

_FENCE = re.compile(r"^(?P<indent>[ ]{0,3})(?P<fence>`{3,}|~{3,})")
_BLOCK_START = re.compile(
    r"^\s{0,3}(?:[-*+][ \t]|\d{1,9}[.)][ \t]|#{1,6}(?:[ \t]|$)|>|\||(?:[-*_][ \t]*){3,}$)"
)
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,9}[.)])[ \t]")
_CODE_SPAN = re.compile(r"(?<!`)(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)")
_REF_DEFINITION = re.compile(r"^[ ]{0,3}\[(?!\^)[^\]]+\]:[ \t]*\S.*$")
_LINK_DESTINATION = re.compile(
    r"(?<=\])\((?:<[^>\n]*>|(?:[^()\s]|\([^()\s]*\))*)"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?\s*\)"
)
_HTML_TAG = re.compile(
    r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"  # tags
    r"|<[A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*>"  # autolinks
    r"|<[^<>\s@]+@[^<>\s]+>"  # e-mail autolinks
)
_BARE_URL = re.compile(
    r"(?:\b[A-Za-z][A-Za-z0-9+.-]*://|\bwww\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]"
)
_BARE_DOMAIN = re.compile(r"(?<![\w@/.-])(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}/[^\s<>()\[\]]*")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_HANDLE = re.compile(r"(?<![\w@&])[@#][A-Za-z0-9_]*[A-Za-z_][A-Za-z0-9_]*")
_PELICAN_LINK = re.compile(r"[{|](?:filename|static|attach|index|tag|category|author)[}|]\S*")
_ATTR_LIST = re.compile(r"\{:?[ ]*[.#][^}\n]*\}")
# In order, each with the text a match cannot do without.
_PROSE_MASKS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (_LINK_DESTINATION, ("](",)),
    (_HTML_TAG, ("<",)),
    (_PELICAN_LINK, ("{", "|")),
    (_BARE_URL, ("://", "www.")),
    (_BARE_DOMAIN, ("/",)),
    (_EMAIL, ("@",)),
    (_HANDLE, ("@", "#")),
    (_ATTR_LIST, ("{",)),
)

# Header values that are paths, dates or switches, not prose to check for damage.
NOT_PROSE_KEYS = frozenset(
    {
        "date",
        "modified",
        "image",
        "slug",
        "status",
        "save_as",
        "url",
        "template",
        "related",
        "lang",
        "translation",
        "lint",
        "lint_disable",
        "lint-disable",
    }
)


@dataclass(frozen=True)
class Field:
    """One metadata line (with any indented continuation lines)."""

    key: str  # as written, e.g. "Image_alt"
    name: str  # lower-cased, as Pelican names it
    value: str  # continuation lines joined with a space
    line: int  # 1-based line of the key
    column: int  # 1-based column where the value starts
    parts: tuple[tuple[int, int, str], ...]  # (line, 0-based start, text) per physical line


@dataclass
class Unit:
    """A run of text the checks see as one paragraph, with a map back to line and column."""

    raw: str
    prose: str
    starts: list[int] = field(default_factory=list)  # offset in unit where each piece starts
    places: list[tuple[int, int]] = field(default_factory=list)  # (line, 0-based col) of piece
    header: str | None = None  # lower-cased key when the unit is a metadata value

    def locate(self, offset: int) -> tuple[int, int]:
        """(line, 1-based column) of an offset into ``raw``/``prose``."""
        index = bisect.bisect_right(self.starts, offset) - 1
        line, column = self.places[index]
        return line, column + (offset - self.starts[index]) + 1


@dataclass
class Post:
    path: str
    text: str  # the text as checked: BOM removed
    lines: list[str]  # physical lines without line endings
    fields: dict[str, Field]
    body_start: int  # 1-based line of the first body line (len(lines)+1 if no body)
    raw_lines: list[str]  # code-masked lines, header lines blank
    prose_lines: list[str]  # prose-masked lines, header lines blank
    units: list[Unit]
    bom: bool = False
    decode_errors: list[tuple[int, int, str]] = field(default_factory=list)  # (line, col, char)

    def meta(self, name: str, default: str = "") -> str:
        found = self.fields.get(name)
        return found.value if found else default

    def line_offsets(self) -> list[int]:
        """Offset of each line's first character in ``text``."""
        offsets = [0]
        for line_text in self.text.split("\n")[:-1]:
            offsets.append(offsets[-1] + len(line_text) + 1)
        return offsets


def decode(data: bytes) -> tuple[str, list[int]]:
    """UTF-8 text, with any byte that is not UTF-8 read as Windows-1252 and its offset noted.

    Pelican would stop on such a file; the linter reports each byte with its likely meaning.
    """
    pieces: list[str] = []
    bad: list[int] = []
    length = 0
    start = 0
    while True:
        try:
            pieces.append(data[start:].decode("utf-8"))
            break
        except UnicodeDecodeError as error:
            good = data[start : start + error.start].decode("utf-8")
            pieces.append(good)
            length += len(good)
            byte = data[start + error.start : start + error.start + 1]
            try:
                pieces.append(byte.decode("cp1252"))
            except UnicodeDecodeError:
                pieces.append(byte.decode("latin-1"))
            bad.append(length)
            length += 1
            start = start + error.start + 1
    return "".join(pieces), bad


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _spaces(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


def _blank_matches(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(_spaces, text)


def _mask_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """Blank HTML comments, which may run over several lines."""
    position = 0
    while True:
        if in_comment:
            end = line.find("-->", position)
            if end == -1:
                return _blank(line, position, len(line)), True
            line = _blank(line, position, end + 3)
            position = end + 3
            in_comment = False
        start = line.find("<!--", position)
        if start == -1:
            return line, False
        line = _blank(line, start, start + 4)
        position = start + 4
        in_comment = True


def mask_prose(line: str) -> str:
    """Blank what is not prose in an already code-masked line (URLs, tags, handles...)."""
    if _REF_DEFINITION.match(line):
        return " " * len(line)
    for pattern, needs in _PROSE_MASKS:
        if any(text in line for text in needs):  # a cheap look spares most lines the regex
            line = _blank_matches(line, pattern)
    return line


def mask_body(lines: list[str]) -> list[str]:
    """Blank fenced and indented code, code spans and HTML comments; keep line lengths."""
    masked: list[str] = []
    fence: tuple[str, int] | None = None
    in_comment = False
    previous_blank = True
    previous_code = False
    in_list = False
    for line in lines:
        if fence is not None:
            masked.append(" " * len(line))
            closing = _FENCE.match(line)
            if (
                closing
                and closing["fence"][0] == fence[0]
                and len(closing["fence"]) >= fence[1]
                and not line[closing.end() :].strip()
            ):
                fence = None
            previous_blank = False
            continue
        opening = _FENCE.match(line)
        if opening and not in_comment:
            fence = (opening["fence"][0], len(opening["fence"]))
            masked.append(" " * len(line))
            previous_blank = previous_code = False
            continue
        blank = not line.strip()
        indented = line.startswith(("    ", "\t"))
        if (
            indented
            and not blank
            and not in_list
            and not in_comment
            and (previous_blank or previous_code)
        ):
            masked.append(" " * len(line))
            previous_code, previous_blank = True, False
            continue
        if not blank:
            if _LIST_ITEM.match(line):
                in_list = True
            elif not indented and previous_blank:
                in_list = False
        line, in_comment = _mask_comments(line, in_comment)
        line = _blank_matches(line, _CODE_SPAN)
        masked.append(line)
        previous_blank = blank
        previous_code = False
    return masked


def _header_end(lines: list[str]) -> tuple[int, int, list[tuple[int, re.Match[str]]]]:
    """Index of the first body line, of the first header line, and the matched header lines."""
    index = 0
    if lines and _YAML_START.match(lines[0]):
        index = 1
    first = index
    matched: list[tuple[int, re.Match[str]]] = []
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            return index + 1, first, matched
        if first == 1 and _YAML_END.match(line):
            return index + 1, first, matched
        key = _META_KEY.match(line)
        more = _META_MORE.match(line) if matched else None
        if key is None and more is None:
            break  # Python-Markdown ends the header here and the line starts the body
        matched.append((index, key or more))
        index += 1
    return index, first, matched


def parse(text: str, path: str = "post.md") -> Post:
    """Split a post into its header fields and masked body, keeping positions."""
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
    body_index, _, matched = _header_end(lines)

    fields: dict[str, Field] = {}
    current: dict | None = None
    for index, match in matched:
        if match.re is _META_KEY:
            if current is not None:
                _store(fields, current)
            current = {
                "key": match["key"],
                "line": index + 1,
                "column": match.start("value") + 1,
                "parts": [(index + 1, match.start("value"), match["value"])],
            }
        elif current is not None:
            current["parts"].append((index + 1, match.start("value"), match["value"]))
    if current is not None:
        _store(fields, current)

    raw_lines = [" " * len(line) for line in lines[:body_index]] + mask_body(lines[body_index:])
    prose_lines = [mask_prose(line) for line in raw_lines]
    units = _header_units(fields) + _body_units(raw_lines, prose_lines, body_index)
    return Post(
        path=path,
        text=text,
        lines=lines,
        fields=fields,
        body_start=body_index + 1,
        raw_lines=raw_lines,
        prose_lines=prose_lines,
        units=units,
        bom=bom,
    )


def _store(fields: dict[str, Field], data: dict) -> None:
    name = data["key"].lower()
    if name in fields:  # Pelican keeps the first value of a repeated single-valued key
        return
    parts = tuple((line, start, value.rstrip()) for line, start, value in data["parts"])
    value = " ".join(part[2].strip() for part in parts if part[2].strip())
    fields[name] = Field(data["key"], name, value, data["line"], data["column"], parts)


def _header_units(fields: dict[str, Field]) -> list[Unit]:
    units = []
    for entry in fields.values():
        if entry.name in NOT_PROSE_KEYS:
            continue
        unit = Unit(raw="", prose="", header=entry.name)
        pieces = []
        for line, start, value in entry.parts:
            unit.starts.append(sum(len(piece) + 1 for piece in pieces))
            unit.places.append((line, start))
            pieces.append(value)
        unit.raw = "\n".join(pieces)
        unit.prose = "\n".join(mask_prose(piece) for piece in pieces)
        units.append(unit)
    return units


def _body_units(raw_lines: list[str], prose_lines: list[str], body_index: int) -> list[Unit]:
    """Paragraphs, list items, headings and quote lines, each a unit."""
    units: list[Unit] = []
    current: Unit | None = None
    for index in range(body_index, len(raw_lines)):
        raw, prose = raw_lines[index], prose_lines[index]
        if not raw.strip():
            current = None
            continue
        if current is None or _BLOCK_START.match(raw):
            current = Unit(raw="", prose="")
            units.append(current)
        else:
            current.raw += "\n"
            current.prose += "\n"
        current.starts.append(len(current.raw))
        current.places.append((index + 1, 0))
        current.raw += raw
        current.prose += prose
    return units
