"""Social cards: a 1200x630 image for a post that has no hero, for og:image and twitter:image.

A link shared without an image is easy to scroll past. The card prints the headline, the
section, the author and the site's name in the theme's colours (read from its CSS), in
Source Serif Pro (SIL Open Font License), installed with Byline from PyPI as
``font-source-serif-pro``, never the machine's fonts, so every build machine draws the
same card, accents and all (Pillow's own bundled font has no "á"). Text stays inside a
safe area 80 px from every edge, which LinkedIn, Facebook and X leave uncropped; a long
headline wraps and, if it must, shrinks, then ends in an ellipsis.

Cards are cached like image variants: by a hash of everything drawn, under ``CACHE_PATH``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .durable import write_atomic

WIDTH, HEIGHT = 1200, 630
SAFE = 80  # px kept clear on every side
CARD_VERSION = 1
OUTPUT_FOLDER = "images/cards"
HEADLINE_SIZES = (84, 72, 62, 54, 46)  # tried in turn until the headline fits
HEADLINE_LINES = 4
LEADING = 1.16  # line height as a share of the font size
LABEL_SIZE = 30
FOOTER_SIZE = 30

_VARIABLE = re.compile(r"--(bg|fg|muted|accent|rule)\s*:\s*(#[0-9a-fA-F]{3,8})")
_ROOT = re.compile(r":root\s*\{([^}]*)\}")
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Palette:
    """The colours a card uses, named as the theme's CSS custom properties."""

    bg: str = "#fdfcf9"
    fg: str = "#1d1c1a"
    muted: str = "#57534c"
    accent: str = "#a3281b"
    rule: str = "#d9d4ca"


@dataclass(frozen=True)
class CardText:
    headline: str
    section: str = ""
    author: str = ""
    site_name: str = ""


def theme_palette(css: str) -> Palette:
    """The light scheme's colours from the theme's first ``:root`` block; any colour the
    CSS does not set keeps the default theme's."""
    match = _ROOT.search(css)
    found = dict(_VARIABLE.findall(match.group(1))) if match else {}
    return Palette(**{**asdict(Palette()), **found})


@functools.cache
def _drawn_with() -> tuple[str, str]:
    """The versions of Pillow and of the font package (read once: each lookup is slow)."""
    from importlib.metadata import version

    return version("pillow"), version("font-source-serif-pro")


def card_key(text: CardText, palette: Palette) -> str:
    """A hash of everything the card shows, and of the code and font that draw it."""
    payload = json.dumps([CARD_VERSION, *_drawn_with(), asdict(text), asdict(palette)])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


def wrap(text: str, measure: Callable[[str], float], width: float) -> list[str]:
    """Greedy line breaking at spaces; a word wider than the line is split where it must."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if measure(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while measure(line) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and measure(line[:cut] + "-") > width:
                cut -= 1
            lines.append(line[:cut] + "-")
            line = line[cut:]
    if line:
        lines.append(line)
    return lines


def shorten_lines(
    lines: list[str], count: int, measure: Callable[[str], float], width: float
) -> list[str]:
    """At most ``count`` lines; when cut, the last one ends in an ellipsis that fits."""
    if len(lines) <= count:
        return lines
    kept = lines[:count]
    last = kept[-1]
    while last and measure(last.rstrip(" -") + "…") > width:
        last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]  # whole words first
    kept[-1] = last.rstrip(" -") + "…"
    return kept


def fit_headline(
    headline: str, font_at: Callable[[int], Any], width: float, height: float
) -> tuple[Any, list]:
    """The largest size at which the headline fits the box in at most four lines, and its
    lines; at the smallest size, what does not fit ends in an ellipsis."""
    for size in HEADLINE_SIZES:
        face = font_at(size)
        room = max(1, min(HEADLINE_LINES, int(height // (size * LEADING))))
        lines = wrap(headline, face.getlength, width)
        if len(lines) <= room:
            return face, lines
    return face, shorten_lines(lines, room, face.getlength, width)


@functools.cache
def serif(weight: str, size: int) -> Any:
    """Source Serif Pro at ``weight`` ("Regular", "Semibold", "Bold") from its package,
    loaded once per size for the whole build."""
    from importlib.resources import files

    from PIL import ImageFont

    path = files("font_source_serif_pro") / "files" / f"SourceSerifPro-{weight}.ttf"
    return ImageFont.truetype(str(path), size)


def one_line(text: str, face: Any, width: float) -> str:
    """``text`` on one line of ``width``, cut with an ellipsis when longer."""
    lines = shorten_lines(wrap(text, face.getlength, width), 1, face.getlength, width)
    return lines[0] if lines else ""


def render_card(text: CardText, palette: Palette) -> bytes:
    """The card as PNG bytes (flat colours and text compress far better as PNG)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), palette.bg)
    draw = ImageDraw.Draw(image)
    inner = WIDTH - 2 * SAFE
    draw.rectangle((0, 0, WIDTH, 14), fill=palette.accent)
    top = SAFE
    if text.section:
        label = serif("Semibold", LABEL_SIZE)
        draw.text(
            (SAFE, top),
            one_line(text.section.upper(), label, inner),
            font=label,
            fill=palette.accent,
        )
        top += LABEL_SIZE + 30
    footer_top = HEIGHT - SAFE - FOOTER_SIZE
    room = footer_top - 48 - top
    headline, lines = fit_headline(text.headline, lambda size: serif("Bold", size), inner, room)
    for line in lines:
        draw.text((SAFE, top), line, font=headline, fill=palette.fg)
        top += round(headline.size * LEADING)
    draw.line((SAFE, footer_top - 28, WIDTH - SAFE, footer_top - 28), fill=palette.rule, width=2)
    site_face = serif("Semibold", FOOTER_SIZE)
    site_name = one_line(text.site_name, site_face, inner / 2)
    site_width = site_face.getlength(site_name)
    draw.text(
        (WIDTH - SAFE - site_width, footer_top), site_name, font=site_face, fill=palette.accent
    )
    if text.author:
        author_face = serif("Regular", FOOTER_SIZE)
        author = one_line(text.author, author_face, inner - site_width - 40)
        draw.text((SAFE, footer_top), author, font=author_face, fill=palette.muted)
    out = io.BytesIO()
    image.quantize(64).save(out, "PNG", optimize=True)
    return out.getvalue()


@dataclass(frozen=True)
class Card:
    path: str  # relative to the site root
    cached: Path  # the file in the cache
    made: bool  # drawn in this build, rather than found in the cache


def make_card(text: CardText, palette: Palette, slug: str, cache_dir: Path) -> Card:
    """The card for one post, drawn only when the cache has no card for this exact text."""
    key = card_key(text, palette)
    cached = Path(cache_dir) / "byline-cards" / key[:2] / f"{key}.png"
    made = not cached.is_file()
    if made:
        write_atomic(cached, render_card(text, palette), durable=False)
    stem = _UNSAFE.sub("-", slug).strip("-") or "card"
    return Card(f"{OUTPUT_FOLDER}/{stem}-{key[:8]}.png", cached, made)
