"""Which build a folder holds, so `invoke serve` never shows an unstyled site.

The local build (output/) links its stylesheet relatively; a production build links it
at the site's address, which a browser on this machine may not reach. A folder left
from before the local and production builds had their own folders, or filled by hand,
is rebuilt rather than served broken.
"""

from __future__ import annotations

import re
from pathlib import Path

_STYLESHEET = re.compile(
    r"<link\b[^>]*\brel=[\"']?stylesheet[\"']?[^>]*\bhref=[\"'](?P<href>[^\"']+)[\"']"
    r"|<link\b[^>]*\bhref=[\"'](?P<href2>[^\"']+)[\"'][^>]*\brel=[\"']?stylesheet",
    re.IGNORECASE,
)


def local_build_problem(folder: Path) -> str | None:
    """Why ``folder`` cannot be served as the local site as it is, or None when it can."""
    index = folder / "index.html"
    try:
        text = index.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return f"there is no local build in {folder}/ yet"
    for match in _STYLESHEET.finditer(text):
        href = match["href"] or match["href2"]
        if href.startswith(("http://", "https://", "//")):
            return (
                f"{folder}/ holds a production build (its styles load from {href}), "
                "which would show unstyled here"
            )
    return None
