"""Byline "related stories" ranker.

Method (all defaults are corpus-independent; nothing here looks at labels):

1. Text -> weighted bag of stems.  Lower-cased whitespace chunks, each DISTINCT chunk split into
   unicode-aware letter runs (``[^\\W\\d_]+``, so numbers/punctuation are dropped); words shorter than 2 letters and English stop words are dropped,
   Snowball (PyStemmer) stems, CJK runs are split into character bigrams.  The title counts
   3x, the summary 2x and the body 1x (titles/summaries are written to say what a story is about).
2. Sublinear TF (1 + ln tf) x smoothed IDF, terms in only one document dropped (they can never
   match) and, for corpora of 20+ docs, terms in more than half the docs dropped; L2 norm, then each
   document keeps only its 128 heaviest terms (bounds the cost, measured neutral for quality).
3. A 128-dim LSA sketch (randomised SVD, fixed seed) gives, per document, the top-50 candidates
   (plus the metadata bonuses, so the same section/tags are preferred already here).  This is
   the only all-pairs step and it is a dense float32 BLAS product done in row chunks.
4. Candidates are re-scored exactly: text = cos(tf-idf) + 0.1 * cos(LSA).  The LSA part adds
   topic-level evidence (a big gain on short news texts, a small one on long posts).
5. Second-order ("shared neighbours") similarity: each doc is described by its 25 nearest
   candidates weighted by text score; the cosine of two such profiles is added with weight 0.5.
   This neighbourhood smoothing fixes many single-word false matches.
6. Metadata: same section (+1.0 by default: a hard-ish preference, since text scores rarely
   differ by that much), shared tags (+1.0 x cosine of IDF-weighted tag sets, so one rare shared
   tag counts much more than one ubiquitous tag), same series (+0.5), same author (+0.05).
7. Deterministic ordering: score desc, then timestamp desc (newer first), then slug asc.
   Picks with a non-positive score (nothing in common) are not returned.
"""

from __future__ import annotations

import gc
import itertools
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

try:  # Snowball stemmer (C extension); a tiny pure-Python suffix stripper is the fallback.
    import Stemmer as _Stemmer

    _STEMMER = _Stemmer.Stemmer("english")

    def _stem_words(words):
        return _STEMMER.stemWords(words)
except Exception:  # pragma: no cover - exercised only without PyStemmer
    _SUFFIXES = (
        "ational",
        "ization",
        "fulness",
        "ousness",
        "iveness",
        "ations",
        "ation",
        "ement",
        "ments",
        "ment",
        "ness",
        "ings",
        "ing",
        "ies",
        "ied",
        "edly",
        "ed",
        "ly",
        "es",
        "s",
    )

    def _stem_one(w):
        for suf in _SUFFIXES:
            if w.endswith(suf) and len(w) - len(suf) >= 3:
                w = w[: -len(suf)]
                if suf in ("ies", "ied"):
                    w += "i"
                break
        return w

    def _stem_words(words):
        return [_stem_one(w) for w in words]


@dataclass(frozen=True)
class Doc:
    slug: str
    title: str
    summary: str
    body: str  # plain text
    section: str = ""
    tags: tuple[str, ...] = ()
    author: str = ""
    series: str = ""
    timestamp: float = 0.0  # publication time, for ties and the older-only option


@dataclass(frozen=True)
class Weights:
    """How much each signal counts (added to the text score, which is ~0..1.5).

    text:    multiplier of the text score (cosine tf-idf + 0.1 LSA + 0.5 shared-neighbour cosine).
    tags:    multiplier of the cosine between IDF-weighted tag sets (1.0 = all tags shared).
    section: bonus for the same non-empty section; 1.0 makes it a hard-ish preference.
    author:  bonus for the same non-empty author (small: authors write about many things).
    series:  bonus for the same non-empty series.
    """

    text: float = 1.0
    tags: float = 1.0
    section: float = 1.0
    author: float = 0.05
    series: float = 0.5


class Pick(NamedTuple):
    """One automatic pick (a named tuple: thousands are made per build, and tuples are cheap)."""

    index: int  # index into docs
    score: float
    reasons: tuple[str, ...]  # which signals contributed


# Tuned once on both benchmark corpora together, then frozen.
FIELD_WEIGHTS = (3, 2, 1)  # title, summary, body
MAX_TERMS = 128  # heaviest terms kept per document
LSA_DIM = 128
LSA_WEIGHT = 0.1
CANDIDATES = 50
NEIGHBOURS = 25  # for the shared-neighbour profile
SECOND_ORDER = 0.5
SELF_WEIGHT = 0.5
MAX_DF = 0.5
CHUNK = 1024
MAX_ONEHOT = 256  # metadata one-hot columns folded into the candidate product

_STOP = frozenset(
    """
a about above across after afterwards again against all almost alone along already also although always am among
amongst an and another any anyhow anyone anything anyway anywhere are aren around as at back be became because become
becomes becoming been before beforehand behind being below beside besides between beyond both but by can cannot could
couldn did didn do does doesn doing don done down due during each either else elsewhere enough etc even ever every
everyone everything everywhere except few for former formerly from further get gets getting go goes going gone got had
hadn has hasn have haven having he hence her here hereafter hereby herein hers herself him himself his how however i ie
if in indeed instead into is isn it its itself just keep kept last latter latterly least less let like ll made make makes
many may maybe me meanwhile might mine more moreover most mostly much must my myself namely neither never nevertheless
next no nobody none noone nor not nothing now nowhere of off often on once one only onto or other others otherwise our
ours ourselves out over own per perhaps please put quite rather re really said same say says see seem seemed seeming seems
several shall she should shouldn since so some somehow someone something sometime sometimes somewhere still such than that
the their theirs them themselves then thence there thereafter thereby therefore therein thereupon these they this those
though through throughout thru thus to together too toward towards under until up upon us use used uses using ve very via
was wasn way we well were weren what whatever when whence whenever where whereafter whereas whereby wherein whereupon
wherever whether which while whither who whoever whole whom whose why will with within without won would wouldn yes yet
you your yours yourself yourselves
""".split()
)

_LETTERS = re.compile(r"[^\W\d_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


# ----------------------------------------------------------------------------- text features
def _word_terms(words):
    """Map each distinct surface word to a list of terms (stems, CJK bigrams, or nothing)."""
    out = [()] * len(words)
    plain_idx = []
    letters = _LETTERS.findall
    for i, w in enumerate(words):
        parts = (w,) if w.isalpha() else letters(w)  # "don't" -> don, t ; "x11," -> x
        terms = []
        for p in parts:
            if _CJK.search(p):
                terms.extend(p[j : j + 2] for j in range(max(1, len(p) - 1)))
            elif len(p) >= 2 and p not in _STOP:
                plain_idx.append((i, len(terms)))
                terms.append(p)
        out[i] = terms
    stems = _stem_words([words_part for words_part in (out[i][j] for i, j in plain_idx)])
    for (i, j), st in zip(plain_idx, stems, strict=True):
        out[i][j] = st
    return out


def _count_matrix(docs):
    """Documents -> sparse term-count matrix (title/summary/body weighted).

    Python touches each token once (a whitespace split and one dict look-up that numbers
    the distinct surface words); lower-casing, punctuation, stop words and stemming are
    worked out once per distinct word, and a sparse product with the word -> term matrix
    sums every document's counts per term in C.
    """
    wt, ws, wb = FIELD_WEIGHTS
    n = len(docs)
    word_ids = defaultdict(itertools.count().__next__)
    lengths = np.zeros(n + 1, dtype=np.int64)

    def token_lists():
        for i, d in enumerate(docs):
            tokens = " ".join([d.title] * wt + [d.summary] * ws + [d.body] * wb).split()
            lengths[i + 1] = len(tokens)
            yield tokens

    wid = np.fromiter(
        map(word_ids.__getitem__, itertools.chain.from_iterable(token_lists())), dtype=np.int32
    )
    words = list(word_ids)  # in id order
    term_index: dict[str, int] = {}
    rows, cols = [], []
    for i, terms in enumerate(_word_terms([w.lower() for w in words])):
        for term in terms:
            rows.append(i)
            cols.append(term_index.setdefault(term, len(term_index)))
    if not cols:
        return sp.csr_matrix((n, 0), dtype=np.float32)
    word_terms = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(words), len(term_index))
    )
    doc_words = sp.csr_matrix(
        (np.ones(len(wid), dtype=np.float32), wid, np.cumsum(lengths)), shape=(n, len(words))
    )
    counts = sp.csr_matrix(doc_words @ word_terms)  # duplicates are summed by the product
    counts.sort_indices()
    return counts


def _l2(m):
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags((1.0 / norms).astype(np.float32)) @ m)


def _tfidf(counts):
    """Sublinear tf x smoothed idf, df cut-offs, L2 norm, keep the MAX_TERMS heaviest terms."""
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    keep = df >= 2
    if n >= 20:
        keep &= df <= MAX_DF * n
    x = counts[:, np.flatnonzero(keep)].tocsr()
    df = df[keep]
    x.data = (1.0 + np.log(x.data)).astype(np.float32)
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
    x = sp.csr_matrix(x @ sp.diags(idf))
    long_rows = np.flatnonzero(np.diff(x.indptr) > MAX_TERMS)
    if len(long_rows):
        data, ptr = x.data, x.indptr
        for r in long_rows:
            a, b = ptr[r], ptr[r + 1]
            seg = data[a:b]
            # exact, deterministic cut: stable sort by weight desc, then column
            order = np.lexsort((x.indices[a:b], -seg))
            seg[order[MAX_TERMS:]] = 0.0
        x.eliminate_zeros()
    return _l2(x)


def _orth(y):
    """Orthonormal basis of the columns of y (Cholesky-QR via an eigendecomposition, cheap for thin y)."""
    g = (y.T @ y).astype(np.float64)
    w, u = np.linalg.eigh(g)
    keep = w > w.max() * 1e-10 if w.size and w.max() > 0 else np.zeros(len(w), bool)
    u = u[:, keep] / np.sqrt(w[keep])
    return (y @ u.astype(np.float32)).astype(np.float32)


def _lsa(x, dim):
    """Randomised SVD sketch (fixed seed, one power iteration); rows L2-normalised."""
    n, v = x.shape
    d = min(dim, n - 1, v - 1)
    if d < 2 or x.nnz == 0:
        return None
    rng = np.random.default_rng(12345)
    p = min(d + 16, min(n, v))
    xt = sp.csr_matrix(x.T)
    y = x @ rng.standard_normal((v, p)).astype(np.float32)
    y = _orth(y)
    y = x @ (xt @ y)
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


def _pair_dots(a, b, cand, chunk=256):
    """For every row i and each j in cand[i]: a[i] . b[j] (a, b CSR with same columns)."""
    n, c = cand.shape
    out = np.zeros((n, c), dtype=np.float32)
    if a.nnz == 0 or b.nnz == 0 or c == 0:
        return out
    for s in range(0, n, chunk):
        e = min(n, s + chunk)
        dense = a[s:e].toarray()
        y = b[cand[s:e].ravel()]
        lens = np.diff(y.indptr)
        if y.nnz == 0:
            continue
        rows = np.repeat(np.repeat(np.arange(e - s), c), lens)
        prod = y.data * dense[rows, y.indices]
        starts = y.indptr[:-1]
        nonempty = lens > 0
        sums = np.zeros(len(lens), dtype=np.float32)
        sums[nonempty] = np.add.reduceat(prod, starts[nonempty])
        out[s:e] = sums.reshape(e - s, c)
    return out


# ----------------------------------------------------------------------------- metadata
def _codes(values):
    """Non-empty strings -> int codes, empty -> -1 (empty never matches)."""
    table, out = {}, np.empty(len(values), dtype=np.int64)
    for i, v in enumerate(values):
        out[i] = table.setdefault(v, len(table)) if v else -1
    return out, len(table)


def _tag_matrix(docs):
    """IDF-weighted, L2-normalised tag vectors (tags compared case-insensitively)."""
    table, rows, cols = {}, [], []
    for i, d in enumerate(docs):
        for t in set(t.strip().lower() for t in d.tags if t and t.strip()):
            rows.append(i)
            cols.append(table.setdefault(t, len(table)))
    n = len(docs)
    if not table:
        return None, []
    m = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, len(table)))
    df = np.bincount(m.indices, minlength=len(table))
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
    names = [None] * len(table)
    for t, j in table.items():
        names[j] = t
    return _l2(sp.csr_matrix(m @ sp.diags(idf))), names


# ----------------------------------------------------------------------------- main entry
def rank_related(
    docs: Sequence[Doc],
    count: int = 5,
    weights: Weights = Weights(),
    older_only: bool = False,
    eligible: Sequence[bool] | None = None,
) -> list[list[Pick]]:
    """For each doc, up to `count` picks. Docs with eligible[i] False are never picked (but still get lists).
    With older_only, a doc's picks are only docs published before it."""
    with paused_gc():
        return _rank_related(docs, count, weights, older_only, eligible)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of short-lived objects are made.

    Tokens, picks and records hold no reference cycles, yet each burst of allocations would
    make the collector walk every object of the build (all articles and their HTML) again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _rank_related(
    docs: Sequence[Doc],
    count: int = 5,
    weights: Weights = Weights(),
    older_only: bool = False,
    eligible: Sequence[bool] | None = None,
) -> list[list[Pick]]:
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

    # text features
    x = _tfidf(_count_matrix(docs)) if weights.text else sp.csr_matrix((n, 0), dtype=np.float32)
    has_text = x.nnz > 0
    z = _lsa(x, LSA_DIM) if has_text else None

    # metadata features
    sec, nsec = _codes([d.section for d in docs])
    aut, naut = _codes([d.author for d in docs])
    ser, nser = _codes([d.series for d in docs])
    tagm, tagnames = _tag_matrix(docs) if weights.tags else (None, [])
    use_sec = weights.section != 0 and nsec > 0 and (sec >= 0).sum() > 1
    use_aut = weights.author != 0 and naut > 0 and (aut >= 0).sum() > 1
    use_ser = weights.series != 0 and nser > 0 and (ser >= 0).sum() > 1
    tagmt = sp.csr_matrix(tagm.T) if tagm is not None else None

    c = min(CANDIDATES, n - 1)
    cand = np.empty((n, c), dtype=np.int64)
    blocked_cols = np.flatnonzero(~elig)
    # Candidate stage: ONE dense product of [w*LSA | w*onehot(section) | ...] with [LSA | onehot | ...],
    # so every bonus is added by BLAS instead of separate N x N passes.  Fields with too many
    # distinct values (> MAX_ONEHOT) fall back to a per-chunk comparison.
    left, right, slow = [], [], []
    if z is not None:
        left.append(z * np.float32(weights.text))
        right.append(z)
    budget = MAX_ONEHOT
    for use, codes, ncodes, w in (
        (use_sec, sec, nsec, weights.section),
        (use_ser, ser, nser, weights.series),
        (use_aut, aut, naut, weights.author),
    ):
        if not use:
            continue
        if ncodes <= budget:
            budget -= ncodes
            oh = np.zeros((n, ncodes), dtype=np.float32)
            has = codes >= 0
            oh[np.flatnonzero(has), codes[has]] = 1.0
            left.append(oh * np.float32(w))
            right.append(oh)
        else:
            slow.append((codes, np.float32(w)))
    slow_tags = False
    if tagm is not None:
        if tagm.shape[1] <= budget:
            td = tagm.toarray()
            left.append(td * np.float32(weights.tags))
            right.append(td)
        else:
            slow_tags = True
    if left:
        lmat = np.ascontiguousarray(np.hstack(left), dtype=np.float32)
        rmat_t = np.ascontiguousarray(np.hstack(right).T, dtype=np.float32)
    for s in range(0, n, CHUNK):
        e = min(n, s + CHUNK)
        sc = lmat[s:e] @ rmat_t if left else np.zeros((e - s, n), dtype=np.float32)
        for codes, w in slow:
            np.add(
                sc, w, out=sc, where=(codes[s:e, None] == codes[None, :]) & (codes[s:e, None] >= 0)
            )
        if slow_tags:
            tg = (tagm[s:e] @ tagmt).toarray()
            tg *= np.float32(weights.tags)
            sc += tg
        if len(blocked_cols):
            sc[:, blocked_cols] = -np.inf
        if older_only:
            np.copyto(sc, np.float32(-np.inf), where=ts[None, :] >= ts[s:e, None])
        sc[np.arange(e - s), np.arange(s, e)] = -np.inf
        part = np.argpartition(sc, n - c, axis=1)[:, n - c :]
        vals = np.take_along_axis(sc, part, 1)
        order = np.argsort(-vals, axis=1, kind="stable")
        cand[s:e] = np.take_along_axis(part, order, 1)
        # impossible candidates (blocked / self / newer) are marked -1
        bad = ~np.isfinite(np.take_along_axis(vals, order, 1))
        cand[s:e][bad] = -1
    valid = cand >= 0
    safe = np.where(valid, cand, 0)

    # exact text re-scoring + LSA + shared-neighbour profiles
    text = np.zeros((n, c), dtype=np.float32)
    if has_text:
        text = _pair_dots(x, x, safe)
        if z is not None:
            text += np.float32(LSA_WEIGHT) * np.einsum(
                "ij,icj->ic", z, z[safe], optimize=False
            ).astype(np.float32)
        text[~valid] = 0.0
        k = min(NEIGHBOURS, c)
        kv = np.where(valid, np.maximum(text, 0), 0).astype(np.float32)
        top = np.argsort(-kv, axis=1, kind="stable")[:, :k]
        ki = np.take_along_axis(safe, top, 1)
        kw = np.take_along_axis(kv, top, 1)
        prof = sp.csr_matrix((kw.ravel(), ki.ravel(), np.arange(0, n * k + 1, k)), shape=(n, n))
        prof.sum_duplicates()
        prof = prof + sp.diags(np.full(n, SELF_WEIGHT, dtype=np.float32))
        prof.eliminate_zeros()
        prof = _l2(sp.csr_matrix(prof, dtype=np.float32))
        second = _pair_dots(prof, prof, safe)
        text = text + np.float32(SECOND_ORDER) * second
        text[~valid] = 0.0
    score = np.float32(weights.text) * text

    same_sec = (sec[:, None] == sec[safe]) & (sec[:, None] >= 0) & valid if use_sec else None
    same_ser = (ser[:, None] == ser[safe]) & (ser[:, None] >= 0) & valid if use_ser else None
    same_aut = (aut[:, None] == aut[safe]) & (aut[:, None] >= 0) & valid if use_aut else None
    tagsim = _pair_dots(tagm, tagm, safe) if tagm is not None else None
    if same_sec is not None:
        score = score + np.float32(weights.section) * same_sec
    if same_ser is not None:
        score = score + np.float32(weights.series) * same_ser
    if same_aut is not None:
        score = score + np.float32(weights.author) * same_aut
    if tagsim is not None:
        score = score + np.float32(weights.tags) * tagsim
    score = np.where(valid, score, -np.inf).astype(np.float64)

    # final deterministic order: score desc, timestamp desc, slug asc
    slugs = [d.slug for d in docs]
    slug_rank = np.empty(n, dtype=np.int64)
    slug_rank[sorted(range(n), key=slugs.__getitem__)] = np.arange(n)
    rounded = np.round(score, 6)  # robust to last-bit float noise
    order = np.lexsort((slug_rank[safe], -ts[safe], -rounded), axis=1)[:, :count]
    return _picks(
        docs,
        order,
        rounded,
        cand,
        [
            ("text match", text * np.float32(weights.text) > 0.05 if has_text else None),
            ("shared tags", tagsim > 0 if tagsim is not None else None),
            ("same section", same_sec),
            ("same series", same_ser),
            ("same author", same_aut),
        ],
    )


def _picks(docs, order, score, cand, flags) -> list[list[Pick]]:
    """Turn the top columns of each row into Pick records with their reasons.

    Reason flags are gathered for the chosen columns only and combined into one bit code per
    pick, so Python builds each distinct reason tuple once instead of testing every flag.
    """
    n, width = order.shape
    if width == 0:
        return [[] for _ in range(n)]
    chosen_score = np.take_along_axis(score, order, 1)
    chosen = np.take_along_axis(cand, order, 1)
    code = np.zeros(order.shape, dtype=np.int64)
    names = []
    for bit, (name, flag) in enumerate(flags):
        names.append(name)
        if flag is not None:
            code |= np.take_along_axis(flag, order, 1).astype(np.int64) << bit
    keep = np.isfinite(chosen_score) & (chosen_score > 0)
    tag_bit = 1 << names.index("shared tags")
    taglists = None
    reasons_of: dict[int, tuple[str, ...]] = {}
    results = []
    for i, (row_keep, row_cand, row_score, row_code) in enumerate(
        zip(keep.tolist(), chosen.tolist(), chosen_score.tolist(), code.tolist(), strict=True)
    ):
        picks = []
        for ok, m, value, bits in zip(row_keep, row_cand, row_score, row_code, strict=True):
            if not ok:
                continue
            reasons = reasons_of.get(bits)
            if reasons is None:
                reasons = reasons_of[bits] = tuple(
                    name for bit, name in enumerate(names) if bits >> bit & 1
                )
            if bits & tag_bit:
                if taglists is None:
                    taglists = [
                        {t.strip().lower() for t in d.tags if t and t.strip()} for d in docs
                    ]
                shared = "shared tags: " + ", ".join(sorted(taglists[i] & taglists[m]))
                reasons = tuple(shared if r == "shared tags" else r for r in reasons)
            picks.append(Pick(m, value, reasons))
        results.append(picks)
    return results
