"""The cluster index: which candidates each doc is scored against on a big site.

Below IVF_MIN_DOCS every pair is scored (dense BLAS, row chunks). Above it, spherical
k-means (~CLUSTER_SIZE docs per cluster) on the symmetric candidate embedding, whose inner
product is the candidate score; each cluster's members are scored against the members of the
PROBES clusters its members lean to most, in one dense block. Docs left with fewer than
`need` positive candidates (older-only, ineligible docs, bad luck) are redone against all.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .kmeans import SEED, nearest, sample, spherical_kmeans

IVF_MIN_DOCS = 2000  # below this the candidate stage is exact (all pairs, row chunks)
CLUSTER_SIZE = 150  # mean cluster size (k = n / CLUSTER_SIZE clusters)
PROBES = 8  # clusters scored per cluster (its own + 7)
VOTE_TOP = 4  # each doc votes for its VOTE_TOP nearest centroids when choosing probes
KMEANS_SAMPLE = 8192  # docs the index's clustering is trained on
KMEANS_ITERS = 8


def top_cols(
    sc: np.ndarray, lsa: np.ndarray, cols: np.ndarray, c: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Top-c columns of each row of sc, best first (ties by position): doc ids (-1 where
    impossible), their scores and their LSA cosines."""
    m = sc.shape[1]
    if m > c:
        part = np.argpartition(sc, m - c, axis=1)[:, m - c :]
        vals = np.take_along_axis(sc, part, 1)
    else:
        part = np.broadcast_to(np.arange(m), sc.shape)
        vals = sc
    order = np.lexsort((part, -vals), axis=1)
    part = np.take_along_axis(part, order, 1)
    vals = np.take_along_axis(vals, order, 1)
    rows = sc.shape[0]
    out_i = np.full((rows, c), -1, dtype=np.int64)
    out_v = np.full((rows, c), -np.inf, dtype=np.float32)
    out_l = np.zeros((rows, c), dtype=np.float32)
    k = min(c, m)
    ok = np.isfinite(vals[:, :k])
    out_i[:, :k] = np.where(ok, cols[part[:, :k]], -1)
    out_v[:, :k] = vals[:, :k]
    out_l[:, :k] = np.where(ok, np.take_along_axis(lsa, part[:, :k], 1), 0.0)
    return out_i, out_v, out_l


def nearest_candidates(
    scorer, embed: np.ndarray | None, n: int, c: int, need: int
) -> tuple[np.ndarray, np.ndarray]:
    """Top-c candidates per doc (-1 = none) by the scorer's candidate score, and their LSA
    cosines; `scorer` is a candidates.CandidateScorer."""
    cand = np.full((n, c), -1, dtype=np.int64)
    cval = np.full((n, c), -np.inf, dtype=np.float32)
    clsa = np.zeros((n, c), dtype=np.float32)
    everyone = np.arange(n)

    def score(rows: np.ndarray, cols: np.ndarray) -> None:
        step = max(1, (1 << 22) // max(len(cols), 1))  # ~16 MB score block
        for s in range(0, len(rows), step):
            r = rows[s : s + step]
            cand[r], cval[r], clsa[r] = top_cols(*scorer.block(r, cols), cols, c)

    if n < IVF_MIN_DOCS or embed is None:
        score(everyone, everyone)
        return cand, clsa
    for rows, cols in cluster_blocks(embed):
        score(rows, cols)
    short = np.flatnonzero((cval > 0).sum(axis=1) < need)
    if len(short):
        score(short, everyone)
    return cand, clsa


def cluster_blocks(embed: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(members of a cluster, members of its probe clusters) for every non-empty cluster."""
    n = len(embed)
    k = max(2, round(n / CLUSTER_SIZE))
    nrm = np.linalg.norm(embed, axis=1, keepdims=True)
    nrm[nrm == 0] = 1.0
    e = np.ascontiguousarray(embed / nrm, dtype=np.float32)
    rng = np.random.default_rng(SEED)
    pick = sample(rng, n, KMEANS_SAMPLE)
    train = e if len(pick) == n else e[pick]
    start = np.sort(rng.choice(len(train), k, replace=False))
    cen, bounds = spherical_kmeans(train, [start], KMEANS_ITERS)
    lab = nearest(e, cen, bounds)[0]
    order = np.argsort(lab, kind="stable")
    edges = np.searchsorted(lab[order], np.arange(k + 1))
    members = [order[edges[j] : edges[j + 1]] for j in range(k)]
    # probe lists: clusters most often among the members' VOTE_TOP nearest centroids
    aff = e @ cen.T
    votes = np.argpartition(-aff, VOTE_TOP - 1, axis=1)[:, :VOTE_TOP] if k > VOTE_TOP else None
    cc = cen @ cen.T
    probes = min(PROBES, k)
    for j in range(k):
        rows = members[j]
        if len(rows) == 0:
            continue
        pref = cc[j].astype(np.float64) * 1e-3
        if votes is not None:
            pref += np.bincount(votes[rows].ravel(), minlength=k)
        pref[j] = np.inf
        probe = np.sort(np.argsort(-pref, kind="stable")[:probes])
        yield rows, np.concatenate([members[q] for q in probe])
