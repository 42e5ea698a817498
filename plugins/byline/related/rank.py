"""rank_related: every story's automatic picks, stage by stage (the one place it happens)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from ..collector import paused_gc
from .candidates import build_scorer, gather
from .doc import Doc
from .metadata import metadata
from .picks import Pick, final_order, pick_lists
from .prior import document_shares, prior_docs
from .reasons import reason_flags, signal_parts
from .runtime import one_blas_thread
from .scoring import text_scores, total_scores
from .tokens import count_matrix
from .vectors import lsa, tfidf
from .weights import DEFAULT_WEIGHTS, Weights


def text_rows(docs: Sequence[Doc]) -> sp.csr_matrix:
    """The docs' tf-idf rows, with the general-English prior while the site is small."""
    counts, terms = count_matrix(docs)
    prior = prior_docs(len(docs))
    shares = document_shares(terms) if prior > 0 else None
    return tfidf(counts, shares, prior)


@paused_gc()
@one_blas_thread()
def rank_related(
    docs: Sequence[Doc],
    count: int = 5,
    weights: Weights = DEFAULT_WEIGHTS,
    older_only: bool = False,
    eligible: Sequence[bool] | None = None,
) -> list[list[Pick]]:
    """For each doc, up to `count` picks, best first. Docs with eligible[i] False are never
    picked (but still get lists). With older_only, a doc's picks are only docs published
    before it."""
    docs = list(docs)
    n = len(docs)
    if n == 0:
        return []
    if n == 1 or count <= 0:
        return [[] for _ in range(n)]
    elig = np.ones(n, dtype=bool) if eligible is None else np.asarray(list(eligible), dtype=bool)
    if elig.shape != (n,):
        raise ValueError("eligible must have one entry per doc")
    ts = np.array([float(d.timestamp) for d in docs], dtype=np.float64)

    # 1. features: text (tf-idf rows and their LSA sketch) and metadata
    x = text_rows(docs) if weights.text else sp.csr_matrix((n, 0), dtype=np.float32)
    has_text = x.nnz > 0
    z = lsa(x) if has_text else None
    meta = metadata(docs, weights)
    # 2. candidates: a cheap score over an index, plus shared rare words
    built = build_scorer(z, meta, weights, ~elig, ts, older_only)
    cand, cand_lsa = gather(x, z, meta, built, count)
    # 3. exact scores of the candidates: text, then weighted bonuses
    text = text_scores(x, z, cand, cand_lsa) if has_text else np.zeros(cand.shape, np.float32)
    score, same, tag_cosine = total_scores(text, meta, weights, cand)
    # 4. order, cut, reasons
    order, rounded = final_order(score, cand, ts, [d.slug for d in docs], count)
    text_or_none = text if has_text else None
    flags = reason_flags(text_or_none, weights.text, tag_cosine, same)
    field_weights = {field.name: field.weight for field in meta.fields}
    parts = signal_parts(
        order, text_or_none, weights.text, tag_cosine, weights.tags, same, field_weights
    )
    return pick_lists(order, cand, rounded, flags, meta.tag_sets, parts)
