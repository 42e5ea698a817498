"""Term counts to vectors: tf-idf rows, the LSA sketch, and padded-row dot products.

Sublinear TF (1 + ln tf) x smoothed IDF; terms in one document only, or (from 20 docs) in
more than half of them, are dropped; each document keeps its MAX_TERMS heaviest terms; L2
norm. The LSA sketch is a randomised SVD (fixed seed, one power iteration).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

MAX_TERMS = 128  # heaviest terms kept per document
MAX_DF = 0.5  # from 20 docs on, a term in more than this share of them says nothing
LSA_DIM = 96
LSA_POWER = 1  # power iterations of the randomised SVD
LSA_SEED = 12345


def l2(m: sp.csr_matrix) -> sp.csr_matrix:
    """Rows scaled to unit length (empty rows stay empty)."""
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags((1.0 / norms).astype(np.float32)) @ m)


def row_slots(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the given CSR rows' entries, padded to the longest (padding points at 0),
    and which slots are real: a block of rows to cut with one vectorised call."""
    lengths = indptr[rows + 1] - indptr[rows]
    width = int(lengths.max()) if len(rows) else 0
    real = np.arange(width) < lengths[:, None]
    return np.where(real, indptr[rows][:, None] + np.arange(width), 0), real


def tfidf(
    counts: sp.csr_matrix, shares: np.ndarray | None = None, prior: float = 0.0
) -> sp.csr_matrix:
    """Sublinear tf x smoothed idf, df cut-offs, L2 norm, keep the MAX_TERMS heaviest terms.

    With a prior (prior.py), each term's general-English document share counts as `prior`
    extra documents: idf = min(own idf, ln((1 + n + prior) / (1 + df + prior x share)) + 1).
    Only lowering: the prior is there to catch everyday words that look rare on a small site
    by chance, never to make a site's own common words count more."""
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    keep = df >= 2
    if n >= 20:
        keep &= df <= MAX_DF * n
    x = counts[:, np.flatnonzero(keep)].tocsr()
    df = df[keep]
    x.data = (1.0 + np.log(x.data)).astype(np.float32)
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    if shares is not None and prior > 0:  # the prior only ever lowers an idf
        with_prior = np.log((1.0 + n + prior) / (1.0 + df + prior * shares[keep])) + 1.0
        idf = np.minimum(idf, with_prior)
    idf = idf.astype(np.float32)
    x = sp.csr_matrix(x @ sp.diags(idf))
    _keep_heaviest(x, MAX_TERMS)
    return l2(x)


def _keep_heaviest(x: sp.csr_matrix, most: int) -> None:
    """Zero all but each row's `most` heaviest entries, in place (deterministic for one input)."""
    long_rows = np.flatnonzero(np.diff(x.indptr) > most)
    for start in range(0, len(long_rows), 512):
        spot, real = row_slots(x.indptr, long_rows[start : start + 512])
        weight = np.where(real, -x.data[spot], np.inf)
        order = np.argpartition(weight, most - 1, axis=1)[:, most:]
        dropped = np.take_along_axis(spot, order, 1)[np.take_along_axis(real, order, 1)]
        x.data[dropped] = 0.0
    if len(long_rows):
        x.eliminate_zeros()


def _orth(y: np.ndarray) -> np.ndarray:
    """Orthonormal basis of y's columns (Cholesky-QR via an eigendecomposition: cheap, thin y)."""
    g = (y.T @ y).astype(np.float64)
    w, u = np.linalg.eigh(g)
    keep = w > w.max() * 1e-10 if w.size and w.max() > 0 else np.zeros(len(w), bool)
    u = u[:, keep] / np.sqrt(w[keep])
    return (y @ u.astype(np.float32)).astype(np.float32)


def lsa(x: sp.csr_matrix, dim: int = LSA_DIM) -> np.ndarray | None:
    """Randomised SVD sketch (fixed seed, LSA_POWER power iterations); rows L2-normalised."""
    n, v = x.shape
    d = min(dim, n - 1, v - 1)
    if d < 2 or x.nnz == 0:
        return None
    rng = np.random.default_rng(LSA_SEED)
    p = min(d + 16, min(n, v))
    xt = sp.csr_matrix(x.T)
    y = x @ rng.standard_normal((v, p)).astype(np.float32)
    for _ in range(LSA_POWER):
        y = x @ (xt @ _orth(y))
    q = _orth(y)
    b = np.asarray(xt @ q)  # v x p
    # eigen-decomposition of the small p x p Gram matrix instead of an SVD of the wide matrix
    evals, evecs = np.linalg.eigh((b.T @ b).astype(np.float64))
    top = np.argsort(-evals, kind="stable")[:d]
    s = np.sqrt(np.maximum(evals[top], 0.0))
    z = (q @ (evecs[:, top] * s).astype(np.float32)).astype(np.float32)
    nrm = np.linalg.norm(z, axis=1, keepdims=True)
    nrm[nrm == 0] = 1.0
    return np.ascontiguousarray(z / nrm)


def padded(b: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """CSR rows -> (n x w) column ids and values, w = longest row; padding points at column
    b.shape[1] (a dummy column that is always 0) with value 0."""
    n = b.shape[0]
    lens = np.diff(b.indptr)
    w = int(lens.max()) if n else 0
    cols = np.full((n, w), b.shape[1], dtype=np.int64)
    vals = np.zeros((n, w), dtype=np.float32)
    within = np.arange(b.nnz) - np.repeat(b.indptr[:-1], lens)
    rows = np.repeat(np.arange(n), lens)
    cols[rows, within] = b.indices
    vals[rows, within] = b.data
    return cols, vals


def pair_dots(
    query: tuple[np.ndarray, np.ndarray],
    cands: tuple[np.ndarray, np.ndarray],
    width: int,
    cand: np.ndarray,
) -> np.ndarray:
    """For every row i and each j in cand[i]: query[i] . cands[j], both given padded (see
    `padded`) over `width` columns.

    A chunk of query rows is scattered into a small reused dense buffer, the candidates' padded
    (column, value) rows are gathered, looked up in the buffer and summed with one einsum
    (no per-pair Python, no CSR slicing)."""
    n, c = cand.shape
    out = np.zeros((n, c), dtype=np.float32)
    qcols, qvals = query
    pcols, pvals = cands
    if n == 0 or c == 0 or qcols.shape[1] == 0 or pcols.shape[1] == 0:
        return out
    v = width + 1  # + the dummy padding column (always 0 in the buffer)
    chunk = int(max(1, min(n, (1 << 17) // (c * pcols.shape[1]), (1 << 21) // v)))
    buf = np.zeros(chunk * v, dtype=np.float32)
    for s in range(0, n, chunk):
        e = min(n, s + chunk)
        pos = qcols[s:e] + (np.arange(e - s, dtype=np.int64) * v)[:, None]
        buf[pos] = qvals[s:e]
        buf[np.arange(e - s) * v + width] = 0.0  # padding entries wrote zeros to the dummy column
        rows = cand[s:e]
        look = pcols[rows]
        look += (np.arange(e - s, dtype=np.int64) * v)[:, None, None]
        out[s:e] = np.einsum("qck,qck->qc", buf[look], pvals[rows])
        buf[pos] = 0.0
    return out
