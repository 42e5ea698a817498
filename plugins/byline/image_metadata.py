"""Strip EXIF, XMP and text metadata (where a phone hides GPS) from the images a build
publishes as they are: the originals Pelican copies from ``STATIC_PATHS``.

Variants are made without metadata (``variants.py``), but the source files are published
too (a post's inline images, a hero a page links to directly). Their pixels are left
alone: the metadata segments are cut out of the file's structure, so nothing is
re-encoded or loses quality. A JPEG's orientation lives in its EXIF; when it is not the
default it is kept, alone, in a minimal EXIF block, so no photo turns on its side.

Only a file's headers are read unless there is something to cut, and a changed file is
written as a new file (never edited in place: with ``STATIC_CREATE_LINKS`` it would be a
hard link to the source in ``content/``).
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path

from .durable import write_atomic

#: JPEG segments that carry metadata: APP1 (EXIF, XMP), APP13 (Photoshop IPTC), COM.
_JPEG_DROP = {0xE1, 0xED, 0xFE}
_JPEG_HEAD = 16 * 1024  # usually holds every segment before the image data
#: PNG chunks that carry metadata: EXIF and the three kinds of text (XMP is iTXt).
_PNG_DROP = {b"eXIf", b"tEXt", b"zTXt", b"iTXt"}
_WEBP_DROP = {b"EXIF", b"XMP "}
_ORIENTATION = 0x0112
SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}


def reaches_image_data(head: bytes) -> bool:
    """Whether ``head`` (a JPEG's first bytes) holds every segment before the image data."""
    end = max((end for _marker, _start, end in _jpeg_segments(head)), default=2)
    return end + 4 <= len(head) and head[end : end + 2] == b"\xff\xda"


def _jpeg_segments(data: bytes) -> Iterator[tuple[int, int, int]]:
    """(marker, start, end) of each segment before the image data (SOS)."""
    position = 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xDA:  # start of scan: image data follows
            return
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        yield marker, position, position + 2 + length
        position += 2 + length


def _orientation_only(segment: bytes) -> bytes:
    """A minimal APP1 holding only the EXIF orientation, or b"" when it is the default."""
    from PIL import Image

    exif = Image.Exif()
    try:
        exif.load(segment[4:])
    except Exception:  # noqa: BLE001 - damaged EXIF: nothing worth keeping
        return b""
    orientation = exif.get(_ORIENTATION)
    if orientation in (None, 1):
        return b""
    minimal = Image.Exif()
    minimal[_ORIENTATION] = orientation
    payload = minimal.tobytes()
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def strip_jpeg(head: bytes, read_all) -> bytes | None:
    """The JPEG without its metadata segments, or None when it has none (an EXIF block
    that holds only a non-default orientation is what this leaves, so it counts as none)."""
    if not head.startswith(b"\xff\xd8"):
        return None
    replacements: list[tuple[int, int, bytes]] = []
    for marker, start, end in _jpeg_segments(head):
        if marker not in _JPEG_DROP:
            continue
        segment = head[start:end]
        is_exif = marker == 0xE1 and segment[4:10] == b"Exif\x00\x00"
        kept = _orientation_only(segment) if is_exif and not replacements else b""
        if kept != segment:
            replacements.append((start, end, kept))
    if not replacements:
        return None
    data = read_all()
    pieces, position = [], 0
    for start, end, kept in replacements:
        pieces += [data[position:start], kept]
        position = end
    pieces.append(data[position:])
    return b"".join(pieces)


def _chunks(data: bytes, start: int, little: bool) -> Iterator[tuple[bytes, int, int]]:
    """(type, start, end) of each PNG (big-endian, CRC) or RIFF (little-endian) chunk."""
    position = start
    while position + 8 <= len(data):
        if little:
            kind = data[position : position + 4]
            size = struct.unpack("<I", data[position + 4 : position + 8])[0]
            end = position + 8 + size + (size & 1)
        else:
            size = struct.unpack(">I", data[position : position + 4])[0]
            kind = data[position + 4 : position + 8]
            end = position + 12 + size
        yield kind, position, end
        position = end


def _has_chunk(path: Path, start: int, little: bool, kinds: set[bytes]) -> bool:
    """Whether the file has a chunk of one of ``kinds``, reading chunk headers only (a
    published PNG or WebP is read whole only when there is something to cut)."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        position = start
        while position + 8 <= size:
            handle.seek(position)
            header = handle.read(8)
            if little:
                kind, length = header[:4], struct.unpack("<I", header[4:])[0]
                position += 8 + length + (length & 1)
            else:
                length, kind = struct.unpack(">I", header[:4])[0], header[4:]
                position += 12 + length
            if kind in kinds:
                return True
    return False


def strip_png(data: bytes) -> bytes | None:
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return None
    chunks = list(_chunks(data, 8, little=False))
    if not any(kind in _PNG_DROP for kind, _, _ in chunks):
        return None
    return data[:8] + b"".join(data[a:b] for kind, a, b in chunks if kind not in _PNG_DROP)


def strip_webp(data: bytes) -> bytes | None:
    if not (data.startswith(b"RIFF") and data[8:12] == b"WEBP"):
        return None
    chunks = list(_chunks(data, 12, little=True))
    if not any(kind in _WEBP_DROP for kind, _, _ in chunks):
        return None
    body = bytearray()
    for kind, start, end in chunks:
        if kind in _WEBP_DROP:
            continue
        chunk = bytearray(data[start:end])
        if kind == b"VP8X":
            chunk[8] &= ~0x0C & 0xFF  # the flags no longer promise EXIF (0x08) or XMP (0x04)
        body += chunk
    return b"RIFF" + struct.pack("<I", len(body) + 4) + b"WEBP" + bytes(body)


def strip_file(path: Path) -> bool:
    """Cut the metadata out of one published image; True when the file changed."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".jpg", ".jpeg"):
            with path.open("rb") as handle:
                head = handle.read(_JPEG_HEAD)
            if not reaches_image_data(head):  # big metadata: read it all
                head = path.read_bytes()
            cleaned = strip_jpeg(head, path.read_bytes)
        elif suffix == ".png":
            found = _has_chunk(path, 8, little=False, kinds=_PNG_DROP)
            cleaned = strip_png(path.read_bytes()) if found else None
        elif suffix == ".webp":
            found = _has_chunk(path, 12, little=True, kinds=_WEBP_DROP)
            cleaned = strip_webp(path.read_bytes()) if found else None
        else:
            return False
    except (OSError, struct.error):
        return False
    if cleaned is None:
        return False
    write_atomic(path, cleaned, durable=False)
    return True


def strip_published_images(output: Path, files: Iterable[str], folders: Iterable[str] = ()) -> int:
    """Strip the images among ``files`` (relative to ``output``: what Pelican copied from
    ``STATIC_PATHS``) and every image under ``folders`` (the theme's static files);
    returns how many files changed.

    Only these are published as they are (variants and social cards are made without
    metadata), so only these are opened: a walk of the whole output would list every
    page's folder too, 8,600 of them at 5,000 articles.
    """
    names = dict.fromkeys(files)
    for folder in folders:
        for root, _subfolders, found in os.walk(output / folder):
            here = os.path.relpath(root, output)
            names.update(dict.fromkeys(os.path.join(here, name) for name in found))
    changed = 0
    for name in names:
        if os.path.splitext(name)[1].lower() in SUFFIXES and os.path.isfile(output / name):
            changed += strip_file(output / name)
    return changed
