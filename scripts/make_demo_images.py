"""Draw the demo site's hero images, author portraits, favicon and social card.

Everything is generated here from shapes and colours, so the demo ships no third-party
artwork. Run once after adding a demo article: `python scripts/make_demo_images.py`.
Needs Pillow (a development dependency only; the site build never imports it).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SECTION_COLOURS = {
    "Marketing": ((164, 46, 32), (242, 184, 120)),
    "People": ((34, 94, 76), (170, 214, 170)),
    "Money": ((28, 60, 112), (150, 190, 236)),
    "Clients": ((92, 46, 110), (226, 170, 214)),
    "Tools": ((90, 70, 40), (230, 200, 140)),
}
AUTHOR_COLOURS = {
    "Maya Okafor": (196, 84, 20),
    "Tomás Reyes": (30, 110, 70),
    "Priya Nair": (30, 80, 160),
}


def _metadata(path: Path) -> dict[str, str]:
    head = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    return {k.lower(): v.strip() for k, v in re.findall(r"^(\w+):\s*(.*)$", head, re.M)}


def _mix(a: tuple[int, ...], b: tuple[int, ...], t: float) -> tuple[int, ...]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def hero(slug: str, section: str, size: tuple[int, int] = (1200, 675)) -> Image.Image:
    """An abstract composition: a gradient sky, soft discs and a few hard-edged blocks."""
    dark, light = SECTION_COLOURS.get(section, ((60, 60, 60), (200, 200, 200)))
    rng = random.Random(slug)
    width, height = size
    image = Image.new("RGB", size, light)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        draw.line([(0, y), (width, y)], fill=_mix(light, dark, (y / height) * 0.55))
    soft = Image.new("RGBA", size, (0, 0, 0, 0))
    soft_draw = ImageDraw.Draw(soft)
    for _ in range(6):
        r = rng.randint(60, 220)
        x, y = rng.randint(0, width), rng.randint(0, height)
        colour = _mix(light, (255, 255, 255), rng.random() * 0.6) + (rng.randint(90, 170),)
        soft_draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
    image.paste(
        soft.filter(ImageFilter.GaussianBlur(6)), (0, 0), soft.filter(ImageFilter.GaussianBlur(6))
    )
    draw = ImageDraw.Draw(image)
    baseline = int(height * 0.72)
    x = rng.randint(40, 140)
    while x < width - 60:
        w, h = rng.randint(50, 150), rng.randint(80, 300)
        draw.rectangle(
            [x, baseline - h, x + w, baseline], fill=_mix(dark, (0, 0, 0), rng.random() * 0.3)
        )
        x += w + rng.randint(10, 70)
    draw.rectangle([0, baseline, width, height], fill=_mix(dark, (0, 0, 0), 0.45))
    return image


def portrait(name: str, colour: tuple[int, int, int]) -> Image.Image:
    initials = "".join(part[0] for part in name.split()[:2])
    image = Image.new("RGBA", (192, 192), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse([0, 0, 191, 191], fill=colour)
    font = ImageFont.load_default(size=78)
    draw.text((96, 98), initials, font=font, fill=(255, 255, 255), anchor="mm")
    return image


def mark(size: int) -> Image.Image:
    """The site's mark: a deep-red square with a white counter-top line."""
    image = Image.new("RGBA", (size, size), (163, 40, 27, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle([size * 0.2, size * 0.58, size * 0.8, size * 0.68], fill=(255, 255, 255))
    draw.rectangle([size * 0.3, size * 0.3, size * 0.42, size * 0.58], fill=(255, 255, 255))
    return image


def main() -> None:
    heroes = CONTENT / "images" / "heroes"
    heroes.mkdir(parents=True, exist_ok=True)
    for post in sorted(CONTENT.glob("*.md")):
        meta = _metadata(post)
        if "image" in meta and meta["image"].startswith("images/heroes/"):
            hero(post.stem, meta.get("category", "")).save(
                CONTENT / meta["image"], quality=78, optimize=True, progressive=True
            )
    authors = CONTENT / "images" / "authors"
    authors.mkdir(parents=True, exist_ok=True)
    for name, colour in AUTHOR_COLOURS.items():
        slug = name.lower().replace(" ", "-").replace("á", "a")
        portrait(name, colour).save(authors / f"{slug}.png", optimize=True)
    card = hero("the-counter", "Marketing", (1200, 630))
    card.paste(mark(240), (480, 150), mark(240))
    card.save(CONTENT / "images" / "social-card.jpg", quality=80, optimize=True)
    extra = CONTENT / "extra"
    extra.mkdir(exist_ok=True)
    mark(64).save(extra / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    static = ROOT / "theme" / "static" / "images"
    static.mkdir(parents=True, exist_ok=True)
    mark(512).convert("RGB").save(static / "logo.png", optimize=True)
    (static / "favicon.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        '<rect width="100" height="100" fill="#a3281b"/>'
        '<rect x="20" y="58" width="60" height="10" fill="#fff"/>'
        '<rect x="30" y="30" width="12" height="28" fill="#fff"/></svg>\n',
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
