"""The ranker's input: one article as plain fields, so the ranker never needs Pelican."""

from __future__ import annotations

from typing import NamedTuple


class Doc(NamedTuple):
    """One article as the ranker sees it (a named tuple: cheap to make thousands of)."""

    slug: str
    title: str
    summary: str
    body: str  # plain text
    section: str = ""
    tags: tuple[str, ...] = ()
    author: str = ""
    series: str = ""
    timestamp: float = 0.0  # publication time, for ties and the older-only option
