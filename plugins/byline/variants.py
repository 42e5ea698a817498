"""Responsive image variants: each source image resized once, in WebP and its own format.

A page asks the browser to pick from several widths (``srcset``), so a phone loads a
400 px file where a desktop loads 1200 px. WebP is what modern browsers load; the
source's own format (JPEG, or PNG for images with transparency) is the fallback and what
emails and social sites get. Every variant is made from the source with its EXIF and GPS
data left out (the photo is turned upright first) and never wider than the source.

Work is cached by the source file's content hash under the build's ``CACHE_PATH``,
outside the output folder, so Pelican's output clean-up never throws it away and an
unchanged image is never opened by Pillow again: a warm build reads a small manifest, and
with the build's ``Memo`` it does not even reread a file whose size and time are as they
were (its hash is kept in ``byline.memo``). ``VariantMaker.made`` and ``.reused`` count
both, and the plugin logs them. Pillow is imported only when an image has to be made.

No Pelican here: the glue (``byline.plugin``) hands in paths and copies the files out.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .durable import link_or_copy, write_atomic
from .memo import Memo

#: Bump when the way variants are made changes, so old cache entries are not reused.
RECIPE_VERSION = 1
#: Widths of hero and card images: a phone, a tablet or 2x phone, a desktop or 2x tablet.
HERO_WIDTHS = (400, 800, 1200)
#: The author photo's shown size (theme CSS: .author-photo), made at 1x and 2x.
PHOTO_SIZE = 96
PHOTO_WIDTHS = (PHOTO_SIZE, 2 * PHOTO_SIZE)
#: The most the smallest candidate may weigh: a story card on a phone loads it.
SMALLEST_MAX_BYTES = 40_000
#: Quality steps tried, best first, until the smallest candidate fits its budget.
WEBP_QUALITIES = (80, 70, 60, 50, 40, 30)
JPEG_QUALITIES = (82, 72, 62, 52, 42, 32)
#: Where variants are published, relative to the site's root.
OUTPUT_FOLDER = "images/variants"
CACHE_FOLDER = "byline-images"

_EXTENSION = {"webp": "webp", "jpeg": "jpg", "png": "png"}
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class Variant:
    """One made file: where the site publishes it, its size and format."""

    path: str  # relative to the site root, e.g. "images/variants/x-1a2b3c4d-400.webp"
    width: int
    height: int
    format: str  # "webp", "jpeg" or "png"
    bytes: int


@dataclass(frozen=True, slots=True)
class ImageSet:
    """A source image's variants, narrowest first: WebP, and the fallback in its own format."""

    webp: tuple[Variant, ...]
    fallback: tuple[Variant, ...]

    @property
    def largest(self) -> Variant:
        """The widest fallback: the ``<img src>``, the og:image and the email's image."""
        return self.fallback[-1]

    @property
    def width(self) -> int:
        return self.largest.width

    @property
    def height(self) -> int:
        return self.largest.height

    def srcset(self, site_url: str, kind: str = "webp", density: bool = False) -> str:
        """The ``srcset`` of one format ("webp" or "fallback"): width descriptors, or
        density ones (1x, 2x) against the narrowest candidate for fixed-size images."""
        candidates = self.webp if kind == "webp" else self.fallback
        base = candidates[0].width
        parts = []
        for variant in candidates:
            descriptor = f"{round(variant.width / base, 2):g}x" if density else f"{variant.width}w"
            parts.append(f"{site_url}/{variant.path} {descriptor}")
        return ", ".join(parts)


def planned_widths(source_width: int, widths: Iterable[int]) -> tuple[int, ...]:
    """The widths to make for a source this wide: never wider than the source itself, so
    a 1,000 px photo gets 400, 800 and 1,000, and a 300 px one only 300."""
    return tuple(sorted({min(width, source_width) for width in widths if width > 0}))


def content_hash(data: bytes, recipe: str) -> str:
    """The cache key: the file's bytes and how its variants are made."""
    digest = hashlib.sha256(data)
    digest.update(recipe.encode("utf-8"))
    return digest.hexdigest()[:24]


def recipe_for(widths: tuple[int, ...], max_bytes: int | None) -> str:
    return f"v{RECIPE_VERSION}|{','.join(map(str, widths))}|{max_bytes}|{WEBP_QUALITIES[0]}"


def output_name(source: str, key: str, width: int, fmt: str) -> str:
    """The published name: readable stem, content hash (so a new file gets a new URL and
    every URL can be cached for ever), width and format."""
    stem = _UNSAFE.sub("-", Path(source).stem).strip("-") or "image"
    return f"{OUTPUT_FOLDER}/{stem}-{key[:8]}-{width}.{_EXTENSION[fmt]}"


class VariantMaker:
    """Makes (or finds in the cache) each image's variants and remembers what to publish."""

    def __init__(self, cache_dir: Path, memo: Memo | None = None) -> None:
        self.cache_dir = Path(cache_dir) / CACHE_FOLDER
        # a file's key by its size and time: no rereading unchanged files (kept between
        # builds when the build's memo has a file, else for this maker's life)
        self.memo = memo if memo is not None else Memo()
        self.made = 0  # variant files Pillow made in this build
        self.reused = 0  # variant files found in the cache
        self.problems: list[str] = []  # images that could not be used, for the build log
        self._done: dict[tuple[Path, tuple[int, ...]], ImageSet | None] = {}
        self._publish: dict[str, Path] = {}  # site path -> cached file

    def image_set(
        self,
        source: Path,
        site_path: str,
        widths: tuple[int, ...] = HERO_WIDTHS,
        max_bytes: int | None = SMALLEST_MAX_BYTES,
    ) -> ImageSet | None:
        """The variants of ``source`` (published under the name of ``site_path``), or None
        for a file Pillow cannot read or should not resize (an animation, an SVG)."""
        memo = (source, widths)
        if memo not in self._done:
            self._done[memo] = self._image_set(source, site_path, widths, max_bytes)
        return self._done[memo]

    def _image_set(
        self, source: Path, site_path: str, widths: tuple[int, ...], max_bytes: int | None
    ) -> ImageSet | None:
        recipe = recipe_for(widths, max_bytes)
        try:
            key = self.memo.of_file(
                f"variants {recipe}", source, lambda p: content_hash(p.read_bytes(), recipe)
            )
        except OSError:
            return None
        folder = self.cache_dir / key[:2] / key
        entries = self._cached(folder)
        if entries is None:
            try:
                data = source.read_bytes()
            except OSError:
                return None
            key = content_hash(data, recipe)  # the bytes as they are now, whatever was kept
            folder = self.cache_dir / key[:2] / key
            entries = self._cached(folder)
        if entries is None:
            try:
                entries = _render(data, widths, max_bytes)
            except UnusableImage as error:
                self.problems.append(
                    f"{site_path}: Pillow cannot read this image ({error}), so pages show the "
                    "file as it is; save it again as JPEG or PNG to get smaller copies"
                )
                return None
            if entries is None:
                return None
            for entry in entries:
                write_atomic(folder / entry["file"], entry.pop("data"), durable=False)
            manifest = [dict(entry) for entry in entries]
            write_atomic(folder / "manifest.json", json.dumps(manifest), durable=False)
            self.made += len(entries)
        else:
            self.reused += len(entries)
        variants: dict[str, list[Variant]] = {"webp": [], "fallback": []}
        for entry in entries:
            fmt = entry["format"]
            path = output_name(site_path, key, entry["width"], fmt)
            self._publish[path] = folder / entry["file"]
            variant = Variant(path, entry["width"], entry["height"], fmt, entry["bytes"])
            variants["webp" if fmt == "webp" else "fallback"].append(variant)
        return ImageSet(tuple(variants["webp"]), tuple(variants["fallback"]))

    def _cached(self, folder: Path) -> list[dict[str, Any]] | None:
        """The manifest of a finished cache entry, or None when any file is missing."""
        try:
            entries = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entries, list) or not all(
            isinstance(e, dict) and (folder / str(e.get("file"))).is_file() for e in entries
        ):
            return None
        return entries

    def cached_file(self, site_path: str) -> Path:
        """The cache's copy of a file this build publishes at ``site_path``."""
        return self._publish[site_path]

    def add_file(self, site_path: str, cached: Path) -> None:
        """Publish another cached file (a social card) with the variants."""
        self._publish[site_path] = cached

    def publish(self, output: Path) -> int:
        """Put every file this build uses into ``output``; returns how many were put there.

        Each is a hard link to the cache's copy where the file system allows (a build
        whose output folder was cleaned then costs no copying), else a copy; a file that
        is already there with the same bytes is left alone.
        """
        import filecmp

        placed = 0
        folders: set[Path] = set()
        for site_path, cached in sorted(self._publish.items()):
            target = output / site_path
            if target.is_file() and (
                os.path.samefile(target, cached) or filecmp.cmp(target, cached, shallow=False)
            ):
                continue
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            target.unlink(missing_ok=True)
            link_or_copy(cached, target)
            placed += 1
        return placed


class UnusableImage(ValueError):
    """Pillow cannot read the file (not an image, damaged, or too many pixels)."""


def _render(data: bytes, widths: tuple[int, ...], max_bytes: int | None) -> list[dict] | None:
    """Every variant of one image as {file, width, height, format, bytes, data}."""
    import io

    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as opened:
            if getattr(opened, "n_frames", 1) > 1:
                return None  # an animation: resizing would keep only its first frame
            source_format = opened.format
            icc = opened.info.get("icc_profile")
            upright = ImageOps.exif_transpose(opened)  # a copy: the EXIF stays behind
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError) as error:
        raise UnusableImage(str(error) or type(error).__name__) from None
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    fallback = "png" if has_alpha or source_format == "PNG" else "jpeg"
    upright = upright.convert("RGBA" if has_alpha else "RGB")
    upright.info = {}  # EXIF, XMP (GPS can hide in either), comments: none of it is saved
    entries = []
    for index, width in enumerate(planned_widths(upright.width, widths)):
        height = max(1, round(width * upright.height / upright.width))
        resized = (
            upright
            if (width, height) == upright.size
            else upright.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        )
        budget = max_bytes if index == 0 else None
        for fmt in ("webp", fallback):
            encoded = encode(resized, fmt, budget, icc)
            entries.append(
                {
                    "file": f"{width}.{_EXTENSION[fmt]}",
                    "width": width,
                    "height": height,
                    "format": fmt,
                    "bytes": len(encoded),
                    "data": encoded,
                }
            )
    return entries


def encode(image: Any, fmt: str, max_bytes: int | None = None, icc: bytes | None = None) -> bytes:
    """``image`` in ``fmt`` with no metadata but its colour profile; with ``max_bytes``,
    at the best quality that fits (the lowest tried when none does)."""
    import io

    extra: dict[str, Any] = {"icc_profile": icc} if icc else {}
    if fmt == "png":
        out = io.BytesIO()
        image.save(out, "PNG", optimize=True, **extra)
        if max_bytes and out.tell() > max_bytes and image.mode == "RGB":
            out = io.BytesIO()
            image.quantize(256).save(out, "PNG", optimize=True, **extra)
        return out.getvalue()
    qualities = WEBP_QUALITIES if fmt == "webp" else JPEG_QUALITIES
    encoded = b""
    for quality in qualities if max_bytes else qualities[:1]:
        out = io.BytesIO()
        if fmt == "webp":
            image.save(out, "WEBP", quality=quality, method=4, **extra)
        else:
            image.save(out, "JPEG", quality=quality, optimize=True, progressive=True, **extra)
        encoded = out.getvalue()
        if not max_bytes or len(encoded) <= max_bytes:
            break
    return encoded
