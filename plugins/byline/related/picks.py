"""From scores to pick lists: the final order, the cut, and each pick's reasons.

Deterministic ordering: score desc, then timestamp desc (newer first), then slug asc. Picks
with a non-positive score (nothing in common) are not returned.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .doc import Pick
from .reasons import ReasonNames, reason_bits


def final_order(
    score: np.ndarray, cand: np.ndarray, ts: np.ndarray, slugs: Sequence[str], count: int
) -> tuple[np.ndarray, np.ndarray]:
    """The best `count` candidate columns of each row, and the scores rounded to 6 places
    (robust to last-bit float noise) that ordered them."""
    n = len(slugs)
    safe = np.where(cand >= 0, cand, 0)
    slug_rank = np.empty(n, dtype=np.int64)
    slug_rank[sorted(range(n), key=slugs.__getitem__)] = np.arange(n)
    rounded = np.round(score, 6)
    order = np.lexsort((slug_rank[safe], -ts[safe], -rounded), axis=1)[:, :count]
    return order, rounded


def pick_lists(
    order: np.ndarray,
    cand: np.ndarray,
    score: np.ndarray,
    flags: dict[str, np.ndarray | None],
    tag_sets: list[frozenset[str]],
    parts: np.ndarray,
) -> list[list[Pick]]:
    """Pick lists from the chosen candidate columns (order) with positive score; reasons in
    the order of `flags`, shared tags named; each pick's signal parts (rows x picks x signals,
    from reasons.signal_parts) rounded like the score."""
    pick_idx = np.take_along_axis(cand, order, 1).tolist()
    pick_parts = np.round(parts, 6).tolist()
    pick_sc = np.take_along_axis(score, order, 1)
    keep = (np.isfinite(pick_sc) & (pick_sc > 0)).tolist()
    pick_sc = pick_sc.tolist()
    names = ReasonNames(list(flags))
    tag_bit = names.tag_bit
    results: list[list[Pick]] = []
    rows = zip(keep, pick_idx, pick_sc, reason_bits(flags, order), pick_parts, strict=True)
    for i, (row_keep, row_idx, row_score, row_on, row_parts) in enumerate(rows):
        picks = []
        for ok, m, value, bits, part in zip(
            row_keep, row_idx, row_score, row_on, row_parts, strict=True
        ):
            if ok:
                shared = tag_sets[i] & tag_sets[m] if bits & tag_bit else None
                picks.append(Pick(m, value, names(bits, shared), tuple(part)))
        results.append(picks)
    return results
