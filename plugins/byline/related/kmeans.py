"""Spherical k-means: the one implementation, for the cluster index and the topic votes.

Deterministic (the caller picks the training sample and the first centroids with fixed
seeds) and batched: several independent clusterings of the same rows train at once, one
matrix product per step assigning every row in every clustering.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

SEED = 12345  # sampling seed shared by both users


def sample(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
    """Sorted row numbers of a training sample: all n rows, or `size` of them at random."""
    return np.arange(n) if n <= size else np.sort(rng.choice(n, size, replace=False))


def nearest(
    rows: np.ndarray | sp.csr_matrix, centroids: np.ndarray, bounds: np.ndarray
) -> np.ndarray:
    """Each row's closest centroid in every clustering (clusterings x rows).

    Clustering r owns centroids[bounds[r]:bounds[r + 1]]; rows and centroids are unit length,
    so the largest inner product is the closest."""
    affinity = np.asarray(rows @ centroids.T)
    return np.stack(
        [np.argmax(affinity[:, bounds[r] : bounds[r + 1]], axis=1) for r in range(len(bounds) - 1)]
    )


def spherical_kmeans(
    rows: np.ndarray | sp.csr_matrix, starts: Sequence[np.ndarray], iters: int
) -> tuple[np.ndarray, np.ndarray]:
    """Centroids of len(starts) clusterings of `rows` (dense or CSR, unit rows), and bounds.

    starts[r] are the rows that seed clustering r's centroids. Each step assigns every row to
    its nearest centroid and moves each centroid to its members' normalised sum; a cluster
    left empty keeps its centroid."""
    bounds = np.concatenate([[0], np.cumsum([len(s) for s in starts])])
    first = np.concatenate(list(starts))
    sparse = sp.issparse(rows)
    centroids = rows[first].toarray() if sparse else rows[first].copy()
    rows_t = sp.csr_matrix(rows.T) if sparse else None
    m, runs = rows.shape[0], len(starts)
    for _ in range(iters):
        members = np.zeros((m, bounds[-1]), dtype=np.float32)
        assigned = nearest(rows, centroids, bounds) + bounds[:-1, None]
        members[np.tile(np.arange(m), runs), assigned.ravel()] = 1.0
        sums = (rows_t @ members).T if sparse else members.T @ rows
        moved = np.ascontiguousarray(sums, dtype=np.float32)
        norms = np.linalg.norm(moved, axis=1)
        ok = norms > 0
        moved[ok] /= norms[ok, None]
        moved[~ok] = centroids[~ok]  # an empty cluster keeps its centroid
        centroids = moved
    return centroids, bounds
