"""Byline "related stories" ranker.

Method (all defaults are corpus-independent; nothing here looks at labels; the constants
below were tuned on 20 Newsgroups and Reuters R8 together, then frozen):

1. Text -> weighted bag of stems.  Whitespace chunks, numbered once each; every DISTINCT chunk
   is lower-cased and split into unicode letter runs (numbers and punctuation drop out), words
   under 2 letters and English stop words are dropped, the rest Snowball-stemmed (PyStemmer);
   CJK runs become character bigrams.  Title tokens count 3x, the standfirst 2x, the body 1x.
2. Sublinear TF (1 + ln tf) x smoothed IDF; terms in one document only, or (from 20 docs) in
   more than half of them, are dropped; each document keeps its 128 heaviest terms; L2 norm.
3. Candidates, three sources:
   a. a 96-dim LSA sketch (randomised SVD, fixed seed, one power iteration) scored together with
      the metadata bonuses.  Below IVF_MIN_DOCS every pair is scored (dense BLAS, row chunks);
      above it an IVF index: spherical k-means (~CLUSTER_SIZE docs per cluster) on the symmetric
      embedding [sqrt(w) LSA | sqrt(w) one-hot section/series/author | sqrt(w) tags], whose inner
      product is the candidate score; each cluster is scored against PROBES clusters in one
      dense block.  Top 25 per doc.  Docs left short (older_only, ineligible docs) are redone
      against all docs.
   b. up to 25 docs sharing RARE terms (in at most max(20, 0.5% of the docs)), ranked by the
      part of the tf-idf dot product those terms carry (+ the section bonus), from an inverted
      index whose cost is bounded by df_max x nnz.  A low-rank sketch cannot hold a rare term,
      and close neighbours share exactly those.
4. Exact text score of every candidate: cos(tf-idf) + 0.1 cos(LSA) (padded term rows, one
   gather and one einsum per chunk), then
   - shared neighbours: each doc's profile is its 25 best candidates weighted by that score
     (+ itself, 0.5), L2; + 0.5 x cos(profile_i, profile_j);
   - topic: + 0.4 x the share of 9 spherical k-means clusterings of the tf-idf rows (k = 5, 10,
     20; 3 seeds each; trained together on a fixed sample of 4,096 docs) that put both together.
5. Metadata: same section (+1.0 by default: a hard-ish preference, since text scores rarely
   differ by that much), shared tags (+1.0 x cosine of IDF-weighted tag sets, so one rare shared
   tag counts much more than one ubiquitous tag), same series (+0.5), same author (+0.05).
6. Deterministic ordering: score desc, then timestamp desc (newer first), then slug asc.
   Picks with a non-positive score (nothing in common) are not returned.

Memory is O(n x candidates); no n x n matrix (dense or sparse) is ever built.
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


class Doc(NamedTuple):
    """One article as the ranker sees it (a named tuple: cheap to make thousands of)."""

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
LSA_DIM = 96
LSA_POWER = 1  # power iterations of the randomised SVD
LSA_WEIGHT = 0.1
CANDIDATES = 25
NEIGHBOURS = 25  # for the shared-neighbour profile
SECOND_ORDER = 0.5
SELF_WEIGHT = 0.5
MAX_DF = 0.5
MAX_ONEHOT = 256  # metadata one-hot columns folded into the candidate product
IVF_MIN_DOCS = 2000  # below this the candidate stage is exact (all pairs, row chunks)
CLUSTER_SIZE = 150  # mean IVF cluster size (k = n / CLUSTER_SIZE clusters)
PROBES = 8  # clusters scored per cluster (its own + 7)
VOTE_TOP = 4  # each doc votes for its VOTE_TOP nearest centroids when choosing probes
KMEANS_SEED = 12345
KMEANS_SAMPLE = 8192
KMEANS_ITERS = 8
RARE_SHARE = 0.005  # a term in at most this share of the docs (and at least RARE_MIN_DF) is rare
RARE_MIN_DF = 20
RARE_CANDIDATES = 25  # extra candidates per doc from rare shared terms
TOPIC_WEIGHT = 0.4  # x the share of clusterings that put two docs together
TOPIC_KS = (5, 10, 20)  # clusters per clustering
TOPIC_SEEDS = 3  # clusterings per k
TOPIC_ITERS = 3
TOPIC_SAMPLE = 4096  # docs the clusterings are trained on

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
    n = len(docs)
    word_ids = defaultdict(itertools.count().__next__)
    lengths: list[int] = []  # tokens in each doc's title, summary and body, in turn

    def token_lists():
        for d in docs:
            title, summary, body = d.title.split(), d.summary.split(), d.body.split()
            lengths.extend((len(title), len(summary), len(body)))
            title += summary
            title += body
            yield title

    wid = np.fromiter(
        map(word_ids.__getitem__, itertools.chain.from_iterable(token_lists())), dtype=np.int32
    )
    # each token counts as often as its field's weight: no repeated look-ups
    per_field = np.asarray(lengths, dtype=np.int64)
    field_weight = np.repeat(np.tile(np.asarray(FIELD_WEIGHTS, dtype=np.float32), n), per_field)
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
    indptr = np.concatenate([[0], np.cumsum(per_field.reshape(n, 3).sum(axis=1))])
    doc_words = sp.csr_matrix((field_weight, wid, indptr), shape=(n, len(words)))
    return sp.csr_matrix(doc_words @ word_terms)  # duplicates are summed by the product


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
    lengths = np.diff(x.indptr)
    long_rows = np.flatnonzero(lengths > MAX_TERMS)
    for start in range(0, len(long_rows), 512):
        # rows padded to a block; the selection is deterministic for the same input
        spot, real = _row_slots(x.indptr, long_rows[start : start + 512])
        weight = np.where(real, -x.data[spot], np.inf)
        order = np.argpartition(weight, MAX_TERMS - 1, axis=1)[:, MAX_TERMS:]
        dropped = np.take_along_axis(spot, order, 1)[np.take_along_axis(real, order, 1)]
        x.data[dropped] = 0.0
    if len(long_rows):
        x.eliminate_zeros()
    return _l2(x)


def _row_slots(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the given CSR rows' entries, padded to the longest (padding points at 0),
    and which slots are real: a block of rows to cut with one vectorised call."""
    lengths = indptr[rows + 1] - indptr[rows]
    width = int(lengths.max()) if len(rows) else 0
    real = np.arange(width) < lengths[:, None]
    return np.where(real, indptr[rows][:, None] + np.arange(width), 0), real


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


def _padded(b: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
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


def _pair_dots(
    query: tuple[np.ndarray, np.ndarray],
    cands: tuple[np.ndarray, np.ndarray],
    width: int,
    cand: np.ndarray,
) -> np.ndarray:
    """For every row i and each j in cand[i]: query[i] . cands[j], both given padded (see _padded)
    over `width` columns.

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
        buf[np.arange(e - s) * v + width] = 0.0  # padding entries wrote (zeros) to the dummy column
        rows = cand[s:e]
        look = pcols[rows]
        look += (np.arange(e - s, dtype=np.int64) * v)[:, None, None]
        out[s:e] = np.einsum("qck,qck->qc", buf[look], pvals[rows])
        buf[pos] = 0.0
    return out


# ----------------------------------------------------------------------------- metadata
def _codes(values):
    """Non-empty strings -> int codes, empty -> -1 (empty never matches)."""
    table, out = {}, np.empty(len(values), dtype=np.int64)
    for i, v in enumerate(values):
        out[i] = table.setdefault(v, len(table)) if v else -1
    return out, len(table)


def _tag_matrix(docs: Sequence[Doc]) -> tuple[sp.csr_matrix | None, list[frozenset[str]]]:
    """IDF-weighted, L2-normalised tag vectors (tags compared case-insensitively), and each doc's
    set of normalised tags."""
    table: dict[str, int] = {}
    rows, cols, sets = [], [], []
    for i, d in enumerate(docs):
        tags = frozenset(t.strip().lower() for t in d.tags if t and t.strip())
        sets.append(tags)
        for t in tags:
            rows.append(i)
            cols.append(table.setdefault(t, len(table)))
    n = len(docs)
    if not table:
        return None, sets
    m = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, len(table)))
    m.sum_duplicates()
    df = np.bincount(m.indices, minlength=len(table))
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
    return _l2(sp.csr_matrix(m @ sp.diags(idf))), sets


# ----------------------------------------------------------------------------- candidate stage
@dataclass
class _CandidateScorer:
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


def _top_cols(
    sc: np.ndarray, lsa: np.ndarray, cols: np.ndarray, c: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Top-c columns of each row of sc, best first (ties by position): doc ids (-1 where impossible),
    their scores and their LSA cosines."""
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


def _kmeans(e: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Spherical k-means (fixed seed, fixed iterations, trained on a fixed sample): centroids, labels."""
    rng = np.random.default_rng(KMEANS_SEED)
    n = len(e)
    train = e if n <= KMEANS_SAMPLE else e[np.sort(rng.choice(n, KMEANS_SAMPLE, replace=False))]
    cen = train[np.sort(rng.choice(len(train), k, replace=False))].copy()
    for _ in range(KMEANS_ITERS):
        lab = np.argmax(train @ cen.T, axis=1)
        onehot = np.zeros((len(train), k), dtype=np.float32)
        onehot[np.arange(len(train)), lab] = 1.0
        new = onehot.T @ train
        nrm = np.linalg.norm(new, axis=1)
        ok = nrm > 0
        new[ok] /= nrm[ok, None]
        new[~ok] = cen[~ok]  # empty cluster keeps its old centroid
        cen = new
    return cen, np.argmax(e @ cen.T, axis=1)


def _candidates(
    scorer: _CandidateScorer, embed: np.ndarray | None, n: int, c: int, need: int
) -> tuple[np.ndarray, np.ndarray]:
    """Top-c candidates per doc (-1 = none).  Small corpora: exact, all pairs in row chunks.
    Also returns the candidates' LSA cosines.  Large ones: IVF - spherical k-means on the (symmetric) candidate embedding; each cluster's
    members are scored exactly against the members of the PROBES clusters its members lean to
    most (one dense block per cluster).  Docs left with fewer than `need` positive candidates
    (older_only / ineligible docs / bad luck) are re-done exactly against all docs."""
    cand = np.full((n, c), -1, dtype=np.int64)
    cval = np.full((n, c), -np.inf, dtype=np.float32)
    clsa = np.zeros((n, c), dtype=np.float32)
    everyone = np.arange(n)

    def exact(rows: np.ndarray) -> None:
        step = max(1, (1 << 22) // n)  # ~16 MB score block
        for s in range(0, len(rows), step):
            r = rows[s : s + step]
            cand[r], cval[r], clsa[r] = _top_cols(*scorer.block(r, everyone), everyone, c)

    if n < IVF_MIN_DOCS or embed is None:
        exact(everyone)
        return cand, clsa
    k = max(2, round(n / CLUSTER_SIZE))
    nrm = np.linalg.norm(embed, axis=1, keepdims=True)
    nrm[nrm == 0] = 1.0
    e = np.ascontiguousarray(embed / nrm, dtype=np.float32)
    cen, lab = _kmeans(e, k)
    order = np.argsort(lab, kind="stable")
    bounds = np.searchsorted(lab[order], np.arange(k + 1))
    members = [order[bounds[j] : bounds[j + 1]] for j in range(k)]
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
        cols = np.concatenate([members[q] for q in probe])
        step = max(1, (1 << 22) // max(len(cols), 1))
        for s in range(0, len(rows), step):
            r = rows[s : s + step]
            cand[r], cval[r], clsa[r] = _top_cols(*scorer.block(r, cols), cols, c)
    short = np.flatnonzero((cval > 0).sum(axis=1) < need)
    if len(short):
        exact(short)
    return cand, clsa


def _top_per_row(
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
        spot, real = _row_slots(indptr, block)
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


def _rare_candidates(
    x: sp.csr_matrix,
    k: int,
    bonus_codes: np.ndarray | None,
    bonus_weight: float,
    blocked: np.ndarray,
    ts: np.ndarray,
    older_only: bool,
) -> np.ndarray:
    """Top-k docs per doc by the part of the tf-idf dot product carried by rare terms.

    A term in few documents says the most about them, yet a low-rank sketch cannot hold it;
    these matches come from an inverted index instead (cost bounded by df_max * nnz)."""
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
        out[s:e] = _top_per_row(shared.indptr, col, value, k, e - s)
    return out


def _merge_candidates(
    cand: np.ndarray, lsa: np.ndarray, extra: np.ndarray, z: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Union of the candidate lists (-1 = none) without duplicates, with every pick's LSA cosine."""
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


def _topic_labels(x: sp.csr_matrix) -> np.ndarray:
    """Cluster ids (clusterings x n, -1 for docs without terms) from spherical k-means on the
    tf-idf rows, for each k in TOPIC_KS and TOPIC_SEEDS seeds.

    Two stories that most clusterings put together share a topic beyond any single word. All
    clusterings train at once on a fixed sample: one sparse product per step assigns every
    sample doc in every clustering, and one more recomputes every centroid.
    """
    n = x.shape[0]
    has = np.flatnonzero(np.diff(x.indptr) > 0)
    rng = np.random.default_rng(KMEANS_SEED)
    sample = (
        has if len(has) <= TOPIC_SAMPLE else np.sort(rng.choice(has, TOPIC_SAMPLE, replace=False))
    )
    m = len(sample)
    specs = [
        (min(k, m // 2), seed)
        for k in TOPIC_KS
        for seed in range(TOPIC_SEEDS)
        if min(k, m // 2) >= 2
    ]
    if not specs:
        return np.zeros((0, n), dtype=np.int64)
    xs = sp.csr_matrix(x[sample])
    xs_t = sp.csr_matrix(xs.T)
    bounds = np.concatenate([[0], np.cumsum([k for k, _ in specs])])
    first = [np.sort(np.random.default_rng(seed).choice(m, k, replace=False)) for k, seed in specs]
    centroids = xs[np.concatenate(first)].toarray()
    runs = len(specs)

    def assign(rows: sp.csr_matrix) -> np.ndarray:
        affinity = np.asarray(rows @ centroids.T)
        return np.stack(
            [np.argmax(affinity[:, bounds[r] : bounds[r + 1]], axis=1) for r in range(runs)]
        )

    for _ in range(TOPIC_ITERS):
        members = np.zeros((m, bounds[-1]), dtype=np.float32)
        members[np.tile(np.arange(m), runs), (assign(xs) + bounds[:-1, None]).ravel()] = 1.0
        moved = np.ascontiguousarray((xs_t @ members).T, dtype=np.float32)
        norms = np.linalg.norm(moved, axis=1)
        ok = norms > 0
        moved[ok] /= norms[ok, None]
        moved[~ok] = centroids[~ok]  # an empty cluster keeps its centroid
        centroids = moved
    labels = np.full((runs, n), -1, dtype=np.int64)
    labels[:, has] = assign(x[has])
    return labels


def _picks(
    order: np.ndarray,
    cand: np.ndarray,
    score: np.ndarray,
    flags: dict[str, np.ndarray | None],
    taglists: list[frozenset[str]],
) -> list[list[Pick]]:
    """Pick lists from the chosen candidate columns (order) with positive score; reasons in the
    order of `flags` (one shared tuple per distinct reason pattern, tag names filled in per pick)."""
    n, npk = order.shape
    pick_idx = np.take_along_axis(cand, order, 1).tolist()
    pick_sc = np.take_along_axis(score, order, 1)
    keep = (np.isfinite(pick_sc) & (pick_sc > 0)).tolist()
    pick_sc = pick_sc.tolist()
    names = list(flags)
    on = np.zeros((n, npk), dtype=np.int64)  # bit pattern of the reasons that apply
    for bit, name in enumerate(names):
        if flags[name] is not None:
            on |= np.take_along_axis(flags[name], order, 1).astype(np.int64) << bit
    on = on.tolist()
    tag_bit = 1 << names.index("shared tags")
    patterns = {
        p: tuple(name for bit, name in enumerate(names) if p >> bit & 1)
        for p in range(1 << len(names))
    }
    with_tags: dict[tuple[int, frozenset[str]], tuple[str, ...]] = {}

    def tagged(bits: int, shared: frozenset[str]) -> tuple[str, ...]:
        """The reasons with the shared tags named; one tuple per distinct combination."""
        key = (bits, shared)
        if key not in with_tags:
            named = "shared tags: " + ", ".join(sorted(shared))
            with_tags[key] = tuple(named if r == "shared tags" else r for r in patterns[bits])
        return with_tags[key]

    results: list[list[Pick]] = []
    for i, row_keep, row_idx, row_score, row_on in zip(
        range(n), keep, pick_idx, pick_sc, on, strict=True
    ):
        picks = []
        for ok, m, value, bits in zip(row_keep, row_idx, row_score, row_on, strict=True):
            if ok:
                reasons = (
                    tagged(bits, taglists[i] & taglists[m]) if bits & tag_bit else patterns[bits]
                )
                picks.append(Pick(m, value, reasons))
        results.append(picks)
    return results


# ----------------------------------------------------------------------------- main entry
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


@paused_gc()
def rank_related(
    docs: Sequence[Doc],
    count: int = 5,
    weights: Weights = Weights(),
    older_only: bool = False,
    eligible: Sequence[bool] | None = None,
) -> list[list[Pick]]:
    """For each doc, up to `count` picks. Docs with eligible[i] False are never picked (but still get lists).
    With older_only, a doc's picks are only docs published before it."""
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
    tagm, taglists = _tag_matrix(docs) if weights.tags else (None, [])
    use_sec = weights.section != 0 and nsec > 0 and (sec >= 0).sum() > 1
    use_aut = weights.author != 0 and naut > 0 and (aut >= 0).sum() > 1
    use_ser = weights.series != 0 and nser > 0 and (ser >= 0).sum() > 1

    # Candidate score = [w*LSA | w*onehot(section) | ...] . [LSA | onehot | ...]: every bonus is
    # added by BLAS.  Fields with too many distinct values (> MAX_ONEHOT) are compared directly.
    # The IVF clustering uses the symmetric embedding [sqrt|w|*LSA | sqrt|w|*onehot | ...] whose
    # inner product is the candidate score (for non-negative weights).
    left, right, embed, slow = [], [], [], []
    if z is not None:
        embed.append(z * np.float32(np.sqrt(abs(weights.text))))
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
            embed.append(oh * np.float32(np.sqrt(abs(w))))
        else:
            slow.append((codes, np.float32(w)))
    sparse_tags = None
    if tagm is not None:
        if tagm.shape[1] <= budget:
            td = tagm.toarray()
            left.append(td * np.float32(weights.tags))
            right.append(td)
            embed.append(td * np.float32(np.sqrt(abs(weights.tags))))
        else:
            sparse_tags = tagm
    scorer = _CandidateScorer(
        lsa=z,
        text_weight=np.float32(weights.text),
        left=np.ascontiguousarray(np.hstack(left), dtype=np.float32) if left else None,
        right=np.ascontiguousarray(np.hstack(right), dtype=np.float32) if right else None,
        slow=slow,
        tags=sparse_tags,
        tag_weight=np.float32(weights.tags),
        blocked=~elig,
        ts=ts,
        older_only=older_only,
    )
    c = min(CANDIDATES, n - 1)
    cand, lsa = _candidates(scorer, np.hstack(embed) if embed else None, n, c, min(count, c))
    if has_text and RARE_CANDIDATES:
        rare = _rare_candidates(
            x,
            min(RARE_CANDIDATES, n - 1),
            sec if use_sec else None,
            weights.section,
            ~elig,
            ts,
            older_only,
        )
        if (rare >= 0).any():
            cand, lsa = _merge_candidates(cand, lsa, rare, z)
            c = cand.shape[1]
    valid = cand >= 0
    safe = np.where(valid, cand, 0)

    # exact text re-scoring + LSA + shared-neighbour profiles
    text = np.zeros((n, c), dtype=np.float32)
    if has_text:
        xp = _padded(x)
        text = _pair_dots(xp, xp, x.shape[1], safe)
        if z is not None:
            text += np.float32(LSA_WEIGHT) * lsa
        text[~valid] = 0.0
        k = min(NEIGHBOURS, c)
        kv = np.where(valid, np.maximum(text, 0), 0).astype(np.float32)
        top = np.argsort(-kv, axis=1, kind="stable")[:, :k]
        ki = np.where(
            np.take_along_axis(valid, top, 1), np.take_along_axis(safe, top, 1), n
        )  # n = padding
        kw = np.take_along_axis(kv, top, 1)
        # profile = (self: SELF_WEIGHT, k nearest: their text score), L2-normalised, padded form
        pcols = np.concatenate([np.arange(n, dtype=np.int64)[:, None], ki], axis=1)
        pvals = np.concatenate([np.full((n, 1), SELF_WEIGHT, dtype=np.float32), kw], axis=1)
        pnorm = np.sqrt((pvals * pvals).sum(axis=1, keepdims=True))
        pvals /= pnorm  # > 0: the self entry is always there
        prof = (pcols, pvals)
        second = _pair_dots(prof, prof, n, safe)
        text = text + np.float32(SECOND_ORDER) * second
        if TOPIC_WEIGHT:
            labels = _topic_labels(x)
            if len(labels):
                co = np.zeros(cand.shape, dtype=np.float32)
                for lab in labels:
                    co += (lab[safe] == lab[:, None]) & (lab[:, None] >= 0)
                text += np.float32(TOPIC_WEIGHT / len(labels)) * co
        text[~valid] = 0.0
    score = np.float32(weights.text) * text

    same_sec = (sec[:, None] == sec[safe]) & (sec[:, None] >= 0) & valid if use_sec else None
    same_ser = (ser[:, None] == ser[safe]) & (ser[:, None] >= 0) & valid if use_ser else None
    same_aut = (aut[:, None] == aut[safe]) & (aut[:, None] >= 0) & valid if use_aut else None
    tagp = _padded(tagm) if tagm is not None else None
    tagsim = _pair_dots(tagp, tagp, tagm.shape[1], safe) if tagm is not None else None
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
        order,
        cand,
        rounded,
        {
            "text match": text * weights.text > 0.05 if has_text else None,
            "shared tags": tagsim > 0 if tagsim is not None else None,
            "same section": same_sec,
            "same series": same_ser,
            "same author": same_aut,
        },
        taglists,
    )
