"""Why a story was picked: the signals that contributed, in words an editor reads."""

from __future__ import annotations

import numpy as np

from .doc import SIGNALS

TEXT_REASON_MIN = 0.05  # a weighted text score above this counts as a "text match"
SHARED_TAGS = "shared tags"


def signal_parts(
    order: np.ndarray,
    text: np.ndarray | None,
    text_weight: float,
    tag_cosine: np.ndarray | None,
    tag_weight: float,
    same: dict[str, np.ndarray | None],
    field_weights: dict[str, float],
) -> np.ndarray:
    """How much each signal (SIGNALS) added to each chosen pick's score (rows x picks x 5);
    the parts sum to the score."""
    parts = np.zeros((*order.shape, len(SIGNALS)), dtype=np.float64)
    if text is not None:
        parts[..., 0] = np.take_along_axis(text, order, 1) * np.float32(text_weight)
    if tag_cosine is not None:
        parts[..., 1] = np.take_along_axis(tag_cosine, order, 1) * np.float32(tag_weight)
    for k, name in enumerate(SIGNALS[2:], 2):
        if same.get(name) is not None:
            parts[..., k] = np.take_along_axis(same[name], order, 1) * field_weights[name]
    return parts


def reason_flags(
    text: np.ndarray | None,
    text_weight: float,
    tag_cosine: np.ndarray | None,
    same: dict[str, np.ndarray | None],
) -> dict[str, np.ndarray | None]:
    """Per reason (in the order they are shown), where it applies (None: it never does)."""
    return {
        "text match": text * text_weight > TEXT_REASON_MIN if text is not None else None,
        SHARED_TAGS: tag_cosine > 0 if tag_cosine is not None else None,
        "same section": same["section"],
        "same series": same["series"],
        "same author": same["author"],
    }


class ReasonNames:
    """Bit patterns of reasons -> tuples of words; one shared tuple per distinct pattern
    (and per set of shared tags), since thousands of picks carry the same few."""

    def __init__(self, names: list[str]) -> None:
        self.tag_bit = 1 << names.index(SHARED_TAGS)
        self.patterns = {
            p: tuple(name for bit, name in enumerate(names) if p >> bit & 1)
            for p in range(1 << len(names))
        }
        self._with_tags: dict[tuple[int, frozenset[str]], tuple[str, ...]] = {}

    def __call__(self, bits: int, shared: frozenset[str] | None) -> tuple[str, ...]:
        """The reasons for a pick; with shared tags, the tags are named."""
        if not bits & self.tag_bit or shared is None:
            return self.patterns[bits]
        key = (bits, shared)
        if key not in self._with_tags:
            named = f"{SHARED_TAGS}: " + ", ".join(sorted(shared))
            self._with_tags[key] = tuple(
                named if r == SHARED_TAGS else r for r in self.patterns[bits]
            )
        return self._with_tags[key]


def reason_bits(flags: dict[str, np.ndarray | None], order: np.ndarray) -> list[list[int]]:
    """Each chosen pick's reasons as a bit pattern (bit i = the i-th reason of `flags`)."""
    on = np.zeros(order.shape, dtype=np.int64)
    for bit, flag in enumerate(flags.values()):
        if flag is not None:
            on |= np.take_along_axis(flag, order, 1).astype(np.int64) << bit
    return on.tolist()
