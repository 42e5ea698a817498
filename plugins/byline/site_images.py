"""A build's images: hero and author-photo variants and social cards, for the glue to attach.

One ``SiteImages`` lives for one build. It turns a local ``HeroImage`` into one whose
``src`` is its widest fallback variant (EXIF-free, never the full-size original) with
``variants`` for ``srcset``; it makes each author photo at 1x and 2x; it draws a social
card for a post without a hero; and at the end it copies every file the pages use from
the cache into the output folder. A remote hero (an ``https://`` URL) is used as it is.

No Pelican here: the glue (``byline.plugin``) passes plain values in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .images import HeroImage
from .social_cards import CardText, Palette, make_card, theme_palette
from .variants import PHOTO_WIDTHS, ImageSet, VariantMaker

if TYPE_CHECKING:
    from .memo import Memo

#: Where an email's copy of a hero goes: a path that follows the source's, so it stays
#: the same when the picture is changed and an email sent long ago still shows it.
EMAIL_FOLDER = "images/email"


@dataclass
class SiteImages:
    """What one build makes of its images (see the module's docstring)."""

    content: Path
    cache: Path
    site_name: str = ""
    variants: bool = True
    cards: bool = True
    palette: Palette = Palette()  # frozen, so one default is safely shared
    cards_made: int = 0
    cards_reused: int = 0
    memo: Memo | None = None  # the build's kept answers: image files are not rehashed

    def __post_init__(self) -> None:
        self.maker = VariantMaker(self.cache, self.memo)

    @classmethod
    def for_theme(cls, content: Path, cache: Path, theme: Path, **options) -> SiteImages:
        """With the card colours of the theme's stylesheet (the default theme's if none)."""
        css = Path(theme) / "static" / "css" / "byline.css"
        try:
            palette = theme_palette(css.read_text(encoding="utf-8"))
        except OSError:
            palette = Palette()
        return cls(content, cache, palette=palette, **options)

    def hero(self, hero: HeroImage | None) -> HeroImage | None:
        """The hero with its variants, or as it was (remote, unreadable, variants off)."""
        if hero is None or hero.is_remote or not self.variants:
            return hero
        found = self.maker.image_set(self.content / hero.src, hero.src)
        if found is None:
            return hero
        email = email_path(hero.src, found.largest.path)
        self.maker.add_file(email, self.maker.cached_file(found.largest.path))
        return replace(
            hero,
            src=found.largest.path,
            width=found.width,
            height=found.height,
            variants=found,
            email_src=email,
        )

    def photo(self, photo: str) -> ImageSet | None:
        """An author photo (a path relative to the content folder) at 1x and 2x."""
        if not photo or not self.variants or photo.startswith(("http://", "https://", "//")):
            return None
        relative = photo.lstrip("/")
        return self.maker.image_set(self.content / relative, relative, PHOTO_WIDTHS)

    def card(self, slug: str, text: CardText) -> HeroImage | None:
        """The social card for a post without a hero, as a HeroImage for the social tags."""
        if not self.cards:
            return None
        made = make_card(text, self.palette, slug, self.cache)
        if made.made:
            self.cards_made += 1
        else:
            self.cards_reused += 1
        self.maker.add_file(made.path, made.cached)
        alt = f"{text.headline} ({text.site_name})" if text.site_name else text.headline
        return HeroImage(src=made.path, alt=alt, credit="", width=1200, height=630)

    def publish(self, output: Path) -> str:
        """Copy what the pages use into ``output``; returns the line the build logs."""
        copied = self.maker.publish(output)
        return (
            f"Images: {self.maker.made} variants made, {self.maker.reused} from the cache; "
            f"{self.cards_made} social cards made, {self.cards_reused} from the cache; "
            f"{copied} files put in the output"
        )


@lru_cache(maxsize=4096)  # asked once per article; a site has far fewer heroes
def email_path(source: str, variant: str) -> str:
    """``images/heroes/x.jpg`` -> ``images/email/heroes/x.jpg`` (the variant's format)."""
    relative = PurePosixPath(source.lstrip("/"))
    if relative.parts and relative.parts[0] == "images":
        relative = PurePosixPath(*relative.parts[1:])
    return f"{EMAIL_FOLDER}/{relative.with_suffix(PurePosixPath(variant).suffix)}"
