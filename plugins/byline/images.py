"""Hero images: where the file is, how big it is, and what to say when it is missing."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .post_checks import Problem, alt_problem, hero_file_problem, local_image_path

if TYPE_CHECKING:
    from .memo import Memo
    from .variants import ImageSet


@dataclass(frozen=True)
class HeroImage:
    src: str  # path relative to the site root, or an absolute URL
    alt: str
    credit: str
    width: int | None = None
    height: int | None = None
    # With image variants on (byline.site_images): ``src`` is then the widest fallback
    # variant, ``variants`` the srcset candidates, ``email_src`` a JPEG or PNG at a path
    # that stays the same when the image changes (sent emails keep loading it).
    variants: ImageSet | None = None
    email_src: str = ""

    @property
    def is_remote(self) -> bool:
        return self.src.startswith(("http://", "https://", "//"))

    def url(self, site_url: str) -> str:
        """Where a page or an email loads the image: a remote URL as it is, a local
        file under ``site_url`` (the page's SITEURL, relative or absolute, or the site's
        address in an email). The one place this rule is written."""
        return self.src if self.is_remote else f"{site_url}/{self.src}"

    def email_url(self, site_url: str) -> str:
        """Where an email loads the image: never WebP, which mail clients cannot show."""
        if self.email_src:
            return f"{site_url}/{self.email_src}"
        return self.url(site_url)

    def scaled_to(self, width: int) -> tuple[int, int] | None:
        """Width and height shown at ``width`` pixels wide, when the size is known."""
        if not (self.width and self.height):
            return None
        return width, round(width * self.height / self.width)


class ContentFiles(Collection[str]):
    """The content folder's files as relative paths, asked of the disk only when needed:
    a lookup is one ``stat``; the full listing (for a "did you mean") only on a miss."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __contains__(self, relative: object) -> bool:
        # os.path, not pathlib: asked once per article of every build, and pathlib's join
        # costs several times the stat itself
        return isinstance(relative, str) and os.path.isfile(os.path.join(self.root, relative))

    def __iter__(self) -> Iterator[str]:
        for path in self.root.rglob("*"):
            if path.is_file():
                yield path.relative_to(self.root).as_posix()

    def __len__(self) -> int:
        return sum(1 for _ in self)


def image_size(path: Path) -> tuple[int, int] | None:
    """Width and height read from the file's header, or None if unreadable."""
    import imagesize  # lazy: only builds with hero images need it

    try:
        width, height = imagesize.get(str(path))
    except (OSError, ValueError):
        return None
    if width <= 0 or height <= 0:
        return None
    return int(width), int(height)


def resolve_hero(
    image: str, alt: str, credit: str, content_path: Path, memo: Memo
) -> tuple[HeroImage | None, list[Problem]]:
    """The hero for an article's ``Image`` line, and the problems found with it (E205, E218).

    A local path is relative to the content folder (``images/heroes/x.jpg``); a missing
    file drops the hero rather than printing a broken image.
    """
    problems: list[Problem] = []
    src = image.strip().lstrip("/")
    if image.strip().startswith(("http://", "https://", "//")):
        src = image.strip()
    if not src:
        return None, problems
    hero = HeroImage(src=src, alt=alt.strip(), credit=credit.strip())
    no_alt = alt_problem(image, alt)
    if no_alt:
        problems.append(no_alt)
    if hero.is_remote:
        return hero, problems
    file = content_path / (local_image_path(image) or src)
    missing = hero_file_problem(image, ContentFiles(content_path))
    if missing:
        problems.append(missing)
        return None, problems
    # read once per version of the file, not once per build
    found = memo.of_file("image-size", file, lambda p: list(image_size(p) or ()))
    size = (found[0], found[1]) if found else None
    if size:
        hero = HeroImage(src=src, alt=hero.alt, credit=hero.credit, width=size[0], height=size[1])
    return hero, problems
