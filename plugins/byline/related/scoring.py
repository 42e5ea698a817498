"""The exact score of every candidate: text, then the metadata bonuses.

Text: cos(tf-idf) + LSA_WEIGHT x cos(LSA), then
- shared neighbours: each doc's profile is its best candidates (about sqrt(n), at most
  NEIGHBOURS) weighted by that score (+ itself, SELF_WEIGHT), L2;
  + SECOND_ORDER x cos(profile_i, profile_j);
- topic: + TOPIC_WEIGHT x the share of spherical k-means clusterings of the tf-idf rows
  (k in TOPIC_KS, TOPIC_SEEDS seeds each, trained together on a fixed sample) that put
  both docs together.
Then Weights.text x that, + section, series and author bonuses, + tags x the tag cosine.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

from .kmeans import SEED, nearest, sample, spherical_kmeans
from .metadata import Metadata, same_value
from .vectors import padded, pair_dots
from .weights import LSA_WEIGHT, SECOND_ORDER, SELF_WEIGHT, TOPIC_WEIGHT, Weights

NEIGHBOURS = 25  # candidates in a doc's shared-neighbour profile
TOPIC_KS = (5, 10, 20)  # clusters per clustering
TOPIC_SEEDS = 3  # clusterings per k
TOPIC_ITERS = 3
TOPIC_SAMPLE = 4096  # docs the clusterings are trained on


def text_scores(
    x: sp.csr_matrix, z: np.ndarray | None, cand: np.ndarray, cand_lsa: np.ndarray
) -> np.ndarray:
    """The text score of each doc and each of its candidates (0 where there is none)."""
    valid = cand >= 0
    safe = np.where(valid, cand, 0)
    xp = padded(x)
    text = pair_dots(xp, xp, x.shape[1], safe)
    if z is not None:
        text += np.float32(LSA_WEIGHT) * cand_lsa
    text[~valid] = 0.0
    text = text + np.float32(SECOND_ORDER) * shared_neighbours(text, valid, safe)
    if TOPIC_WEIGHT:
        labels = topic_labels(x)
        if len(labels):
            together = np.zeros(cand.shape, dtype=np.float32)
            for lab in labels:
                together += (lab[safe] == lab[:, None]) & (lab[:, None] >= 0)
            text += np.float32(TOPIC_WEIGHT / len(labels)) * together
    text[~valid] = 0.0
    return text


def neighbour_count(n: int, candidates: int) -> int:
    """How many best matches make a doc's shared-neighbour profile: about sqrt(n), at most
    NEIGHBOURS. On 30 articles 25 neighbours would be nearly the whole site, and a profile of
    everyone says nothing; sqrt(n) is the usual size of a neighbourhood that grows with the
    data (one more neighbour at each square, so no list jumps when an article is added)."""
    return max(1, min(NEIGHBOURS, candidates, math.isqrt(max(n - 1, 0)) + 1))


def shared_neighbours(text: np.ndarray, valid: np.ndarray, safe: np.ndarray) -> np.ndarray:
    """Cosine of the two docs' neighbour profiles, for each doc and each of its candidates.

    Two stories whose best matches are the same stories are close even when their own
    words differ."""
    n, c = text.shape
    k = neighbour_count(n, c)
    kv = np.where(valid, np.maximum(text, 0), 0).astype(np.float32)
    order = np.argsort(-kv, axis=1, kind="stable")
    ranked = np.take_along_axis(kv, order, 1)
    # the k best, and any that tie with the k-th: equal stories get equal profiles
    kth = ranked[:, k - 1 : k]
    width = max(k, int(((ranked >= kth) & (kth > 0)).sum(axis=1).max()))
    top = order[:, :width]
    ki = np.where(np.take_along_axis(valid, top, 1), np.take_along_axis(safe, top, 1), n)
    kw = np.where(ranked[:, :width] >= kth, ranked[:, :width], 0)
    # profile = (self: SELF_WEIGHT, k nearest: their text score), L2-normalised, padded form
    pcols = np.concatenate([np.arange(n, dtype=np.int64)[:, None], ki], axis=1)
    pvals = np.concatenate([np.full((n, 1), SELF_WEIGHT, dtype=np.float32), kw], axis=1)
    pnorm = np.sqrt((pvals * pvals).sum(axis=1, keepdims=True))
    pvals /= pnorm  # > 0: the self entry is always there
    profile = (pcols, pvals)
    return pair_dots(profile, profile, n, safe)


def topic_labels(x: sp.csr_matrix) -> np.ndarray:
    """Cluster ids (clusterings x n, -1 for docs without terms) from spherical k-means on the
    tf-idf rows, for each k in TOPIC_KS and TOPIC_SEEDS seeds.

    Two stories that most clusterings put together share a topic beyond any single word."""
    n = x.shape[0]
    has = np.flatnonzero(np.diff(x.indptr) > 0)
    chosen = has[sample(np.random.default_rng(SEED), len(has), TOPIC_SAMPLE)]
    m = len(chosen)
    specs = [
        (min(k, m // 2), seed)
        for k in TOPIC_KS
        for seed in range(TOPIC_SEEDS)
        if min(k, m // 2) >= 2
    ]
    if not specs:
        return np.zeros((0, n), dtype=np.int64)
    starts = [np.sort(np.random.default_rng(seed).choice(m, k, replace=False)) for k, seed in specs]
    centroids, bounds = spherical_kmeans(sp.csr_matrix(x[chosen]), starts, TOPIC_ITERS)
    labels = np.full((len(specs), n), -1, dtype=np.int64)
    labels[:, has] = nearest(x[has], centroids, bounds)
    return labels


def total_scores(
    text: np.ndarray, meta: Metadata, weights: Weights, cand: np.ndarray
) -> tuple[np.ndarray, dict[str, np.ndarray | None], np.ndarray | None]:
    """Final scores (float64, -inf where there is no candidate), which fields each pair
    shares (by field name; None where unused) and the tag cosines (None without tags)."""
    valid = cand >= 0
    safe = np.where(valid, cand, 0)
    same = {field.name: same_value(field, safe, valid) for field in meta.fields}
    tag_cosine = None
    if meta.tags is not None:
        tags = padded(meta.tags)
        tag_cosine = pair_dots(tags, tags, meta.tags.shape[1], safe)
    score = np.float32(weights.text) * text
    for field in meta.fields:
        if same[field.name] is not None:
            score = score + np.float32(field.weight) * same[field.name]
    if tag_cosine is not None:
        score = score + np.float32(weights.tags) * tag_cosine
    return np.where(valid, score, -np.inf).astype(np.float64), same, tag_cosine
