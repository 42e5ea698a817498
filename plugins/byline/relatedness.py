"""Where the ranker used to live; it is now the ``related`` package (start at its docstring).

Kept only so imports of ``byline.relatedness`` keep working until they name ``byline.related``.
"""

from __future__ import annotations

from .related import Doc, Pick, Weights, paused_gc, rank_related

__all__ = ["Doc", "Pick", "Weights", "paused_gc", "rank_related"]
