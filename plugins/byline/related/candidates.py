"""Candidates: the few docs each doc's exact score is worked out for (never all n x n).

Two sources. (a) A cheap candidate score, text weight x LSA cosine + the metadata bonuses,
searched exactly on a small site and through the cluster index (index.py) on a big one;
(b) docs sharing rare words (rare.py). Their union, without duplicates, goes on to scoring.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .index import nearest_candidates
from .metadata import Metadata
from .rare import rare_candidates
from .weights import Weights

CANDIDATES = 25  # from the candidate score, per doc
RARE_CANDIDATES = 25  # extra candidates per doc from rare shared terms
MAX_ONEHOT = 256  # metadata one-hot columns folded into the candidate product


@dataclass
class CandidateScorer:
    """Scores (rows x cols) blocks of the candidate score
    text*LSA + section/series/author bonuses + tags*tag-cosine, with impossible pairs at -inf."""

    lsa: np.ndarray | None  # n x d LSA rows (unit length)
    text_weight: np.float32
    left: np.ndarray | None  # n x d, weighted dense metadata features (query side)
    right: np.ndarray | None  # n x d, unweighted dense metadata features (candidate side)
    slow: list[tuple[np.ndarray, np.float32]]  # (codes, weight) fields compared directly
    tags: sp.csr_matrix | None  # tag vectors too wide for the dense part (scored sparsely)
    tag_weight: np.float32
    blocked: np.ndarray  # bool, True = never pick
    ts: np.ndarray
    older_only: bool

    def block(self, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(candidate score, LSA cosine) of every (row, col) pair."""
        if self.lsa is not None:
            lsa = self.lsa[rows] @ self.lsa[cols].T
            sc = lsa * self.text_weight
        else:
            lsa = sc = np.zeros((len(rows), len(cols)), dtype=np.float32)
        if self.left is not None:
            sc += self.left[rows] @ self.right[cols].T
        for codes, w in self.slow:
            cr, cc = codes[rows, None], codes[None, cols]
            np.add(sc, w, out=sc, where=(cr == cc) & (cr >= 0))
        if self.tags is not None:
            sc += (self.tags[rows] @ self.tags[cols].T).toarray() * self.tag_weight
        sc[:, self.blocked[cols]] = -np.inf
        if self.older_only:
            np.copyto(sc, np.float32(-np.inf), where=self.ts[None, cols] >= self.ts[rows, None])
        sc[rows[:, None] == cols[None, :]] = -np.inf
        return sc, lsa


def build_scorer(
    z: np.ndarray | None,
    meta: Metadata,
    weights: Weights,
    blocked: np.ndarray,
    ts: np.ndarray,
    older_only: bool,
) -> tuple[CandidateScorer, np.ndarray | None]:
    """The candidate scorer, and the symmetric embedding the cluster index clusters.

    Candidate score = [w*LSA | w*onehot(section) | ...] . [LSA | onehot | ...]: every bonus is
    added by BLAS; fields with too many distinct values (> MAX_ONEHOT) are compared directly.
    The embedding [sqrt|w|*LSA | sqrt|w|*onehot | ...] has the candidate score as its inner
    product (for non-negative weights)."""
    n = len(ts)
    left, right, embed, slow = [], [], [], []
    if z is not None:
        embed.append(z * np.float32(np.sqrt(abs(weights.text))))
    budget = MAX_ONEHOT
    for field in meta.fields:
        if not field.used:
            continue
        w = field.weight
        if field.distinct > budget:
            slow.append((field.codes, np.float32(w)))
            continue
        budget -= field.distinct
        oh = np.zeros((n, field.distinct), dtype=np.float32)
        has = field.codes >= 0
        oh[np.flatnonzero(has), field.codes[has]] = 1.0
        left.append(oh * np.float32(w))
        right.append(oh)
        embed.append(oh * np.float32(np.sqrt(abs(w))))
    sparse_tags = None
    if meta.tags is not None and meta.tags.shape[1] <= budget:
        td = meta.tags.toarray()
        left.append(td * np.float32(meta.tag_weight))
        right.append(td)
        embed.append(td * np.float32(np.sqrt(abs(meta.tag_weight))))
    elif meta.tags is not None:
        sparse_tags = meta.tags
    scorer = CandidateScorer(
        lsa=z,
        text_weight=np.float32(weights.text),
        left=np.ascontiguousarray(np.hstack(left), dtype=np.float32) if left else None,
        right=np.ascontiguousarray(np.hstack(right), dtype=np.float32) if right else None,
        slow=slow,
        tags=sparse_tags,
        tag_weight=np.float32(meta.tag_weight),
        blocked=blocked,
        ts=ts,
        older_only=older_only,
    )
    return scorer, np.hstack(embed) if embed else None


def gather(
    x: sp.csr_matrix,
    z: np.ndarray | None,
    meta: Metadata,
    built: tuple[CandidateScorer, np.ndarray | None],
    count: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Every doc's candidates (n x c, -1 = none) and their LSA cosines (0 without a sketch);
    `built` is what build_scorer returned, `count` the picks each doc needs."""
    scorer, embed = built
    n = x.shape[0]
    c = min(CANDIDATES, n - 1)
    cand, lsa = nearest_candidates(scorer, embed, n, c, min(count, c))
    if x.nnz == 0 or not RARE_CANDIDATES:
        return cand, lsa
    section = meta.section
    rare = rare_candidates(
        x,
        min(RARE_CANDIDATES, n - 1),
        section.codes if section.used else None,
        section.weight,
        scorer.blocked,
        scorer.ts,
        scorer.older_only,
    )
    if (rare >= 0).any():
        cand, lsa = merge(cand, lsa, rare, z)
    return cand, lsa


def merge(
    cand: np.ndarray, lsa: np.ndarray, extra: np.ndarray, z: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Union of the candidate lists (-1 = none) without duplicates, with every pick's LSA
    cosine."""
    n = cand.shape[0]
    extra_lsa = np.zeros(extra.shape, dtype=np.float32)
    if z is not None:
        rows = np.flatnonzero((extra >= 0).any(axis=1))
        for s in range(0, len(rows), 1024):
            r = rows[s : s + 1024]
            e = extra[r]
            extra_lsa[r] = np.einsum("ij,icj->ic", z[r], z[np.maximum(e, 0)], optimize=False)
    u = np.concatenate([cand, extra], axis=1)
    v = np.concatenate([lsa, extra_lsa], axis=1)
    big = np.iinfo(np.int64).max
    key = np.where(u >= 0, u, big)
    order = np.argsort(key, axis=1, kind="stable")
    u = np.take_along_axis(key, order, 1)
    v = np.take_along_axis(v, order, 1)
    dup = np.zeros(u.shape, dtype=bool)
    dup[:, 1:] = u[:, 1:] == u[:, :-1]
    gone = dup | (u == big)
    order = np.argsort(gone, axis=1, kind="stable")
    u = np.where(np.take_along_axis(gone, order, 1), -1, np.take_along_axis(u, order, 1))
    v = np.take_along_axis(v, order, 1)
    width = int((u >= 0).sum(axis=1).max()) if n else 0
    width = max(width, cand.shape[1])
    return np.ascontiguousarray(u[:, :width]), np.ascontiguousarray(v[:, :width])
