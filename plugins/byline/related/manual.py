"""The editor's ``Related:`` line as slugs.

Its own light module: every build reads the line for every article (the article record
carries it), and that must not load numpy and scipy when related stories are off.
"""

from __future__ import annotations

import re


def parse_manual(value: object) -> list[str]:
    """Slugs from a ``Related:`` line: commas and/or spaces between them."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        value = ",".join(str(v) for v in value)
    return [slug for slug in re.split(r"[,\s]+", str(value).strip()) if slug]
