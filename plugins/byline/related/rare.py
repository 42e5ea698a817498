"""Candidates from shared rare words: what a low-rank sketch cannot hold.

A term in few documents (at most max(RARE_MIN_DF, RARE_SHARE of them)) says the most about
them, and close neighbours share exactly those. Each doc's best matches by the part of the
tf-idf dot product those terms carry (+ the section bonus) come from an inverted index whose
cost is bounded by df_max x nnz.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .vectors import row_slots

RARE_SHARE = 0.005  # a term in at most this share of the docs (and at least RARE_MIN_DF) is rare
RARE_MIN_DF = 20


def rare_candidates(
    x: sp.csr_matrix,
    k: int,
    bonus_codes: np.ndarray | None,
    bonus_weight: float,
    blocked: np.ndarray,
    ts: np.ndarray,
    older_only: bool,
) -> np.ndarray:
    """Top-k docs per doc (-1 = none) by the part of the tf-idf dot product carried by rare
    terms, plus bonus_weight where bonus_codes (the sections) agree."""
    n = x.shape[0]
    out = np.full((n, k), -1, dtype=np.int64)
    df = np.bincount(x.indices, minlength=x.shape[1])
    most = max(RARE_MIN_DF, int(RARE_SHARE * n))
    rare = np.flatnonzero((df >= 2) & (df <= most))
    if len(rare) == 0 or k == 0:
        return out
    xr = sp.csr_matrix(x[:, rare])
    xr_t = sp.csr_matrix(xr.T)
    for s in range(0, n, 2048):
        e = min(n, s + 2048)
        shared = sp.csr_matrix(xr[s:e] @ xr_t)
        if shared.nnz == 0:
            continue
        row = np.repeat(np.arange(s, e), np.diff(shared.indptr))
        col = shared.indices.astype(np.int64)
        value = shared.data.astype(np.float32)
        if bonus_codes is not None:
            same = (bonus_codes[row] == bonus_codes[col]) & (bonus_codes[row] >= 0)
            value = value + np.float32(bonus_weight) * same
        impossible = (col == row) | blocked[col] | (shared.data <= 0)
        if older_only:
            impossible |= ts[col] >= ts[row]
        value[impossible] = -np.inf
        out[s:e] = top_per_row(shared.indptr, col, value, k, e - s)
    return out


def top_per_row(
    indptr: np.ndarray, cols: np.ndarray, vals: np.ndarray, k: int, rows: int
) -> np.ndarray:
    """The k best columns of each CSR row (value desc, then column), rows x k, -1 = none.

    Rows are padded in blocks of similar length and cut with argpartition: linear in the
    entries, where sorting them all would not be. Entries at -inf never count."""
    out = np.full((rows, k), -1, dtype=np.int64)
    lengths = np.diff(indptr)
    by_length = np.argsort(lengths, kind="stable")
    for start in range(0, rows, 1024):
        block = by_length[start : start + 1024]
        spot, real = row_slots(indptr, block)
        width = spot.shape[1]
        if width == 0:
            continue
        value = np.where(real, -vals[spot], np.inf)
        column = np.where(real, cols[spot], np.iinfo(np.int64).max)
        if width > k:
            best = np.argpartition(value, k - 1, axis=1)[:, :k]
            value = np.take_along_axis(value, best, 1)
            column = np.take_along_axis(column, best, 1)
        order = np.lexsort((column, value), axis=1)
        value = np.take_along_axis(value, order, 1)
        column = np.take_along_axis(column, order, 1)
        width = min(k, width)
        out[block, :width] = np.where(np.isfinite(value[:, :width]), column[:, :width], -1)
    return out
