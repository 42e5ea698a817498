"""Text relevance plus the editor's metadata: the ranking behind "Related stories".

Interim version: sublinear TF-IDF over title, standfirst and body (title and standfirst
counted more), cosine similarity in row chunks of a sparse matrix (never N x N), plus
weighted bonuses for shared tags, section, author and series.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"[^\W\d_]{2,}")
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    also get got one two may might must shall us let lot lots much many every really still yet
    even ever like make made way new says said say""".split()
)


@dataclass(frozen=True)
class Doc:
    slug: str
    title: str
    summary: str
    body: str
    section: str = ""
    tags: tuple[str, ...] = ()
    author: str = ""
    series: str = ""
    timestamp: float = 0.0


@dataclass(frozen=True)
class Weights:
    text: float = 1.0
    tags: float = 0.2  # per shared tag, up to three
    section: float = 0.15
    author: float = 0.05
    series: float = 0.3


@dataclass(frozen=True)
class Pick:
    index: int
    score: float
    reasons: tuple[str, ...]


def tokens(text: str) -> list[str]:
    """Lower-case words of two letters or more, stop words left out."""
    return [t for t in _TOKEN.findall(text.lower()) if t not in STOP_WORDS]


def _stemmer():
    try:
        import Stemmer  # PyStemmer: a C Snowball stemmer, fast enough for 20,000 articles

        return Stemmer.Stemmer("english").stemWords
    except ImportError:  # pragma: no cover - PyStemmer is a dependency
        return lambda words: words


def _matrix(docs: Sequence[Doc]):
    """Row-normalised sublinear TF-IDF, title x3 and standfirst x2."""
    import numpy as np
    from scipy import sparse

    stem = _stemmer()
    vocabulary: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for row, doc in enumerate(docs):
        counts: dict[int, float] = {}
        for text, weight in ((doc.title, 3.0), (doc.summary, 2.0), (doc.body, 1.0)):
            for word in stem(tokens(text)):
                column = vocabulary.setdefault(word, len(vocabulary))
                counts[column] = counts.get(column, 0.0) + weight
        for column, count in counts.items():
            rows.append(row)
            cols.append(column)
            vals.append(1.0 + math.log(count))
    n = len(docs)
    matrix = sparse.csr_matrix(
        (np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(n, max(1, len(vocabulary)))
    )
    df = np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.float32)
    idf = np.log((n + 1) / (df + 1)) + 1.0
    idf[df < 2] = 0.0  # a word in one article links it to nothing
    matrix = matrix @ sparse.diags(idf.astype(np.float32))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags((1.0 / norms).astype(np.float32)) @ matrix


def _codes(values: Sequence[str]):
    import numpy as np

    table: dict[str, int] = {}
    codes = [table.setdefault(v, len(table)) if v else -1 for v in values]
    return np.asarray(codes, dtype=np.int64)


def rank_related(
    docs: Sequence[Doc],
    count: int = 5,
    weights: Weights | None = None,
    older_only: bool = False,
    eligible: Sequence[bool] | None = None,
) -> list[list[Pick]]:
    """For each doc, up to ``count`` picks, best first; ties by newer date, then slug."""
    import numpy as np
    from scipy import sparse

    weights = weights or Weights()
    n = len(docs)
    if n == 0 or count <= 0:
        return [[] for _ in docs]
    text = _matrix(docs).tocsr()
    tag_names = sorted({t for d in docs for t in d.tags})
    tag_index = {t: i for i, t in enumerate(tag_names)}
    tag_rows = [i for i, d in enumerate(docs) for t in set(d.tags)]
    tag_cols = [tag_index[t] for d in docs for t in set(d.tags)]
    tags = sparse.csr_matrix(
        (np.ones(len(tag_rows), dtype=np.float32), (tag_rows, tag_cols)),
        shape=(n, max(1, len(tag_names))),
    )
    section, author, series = (
        _codes([getattr(d, f) for d in docs]) for f in ("section", "author", "series")
    )
    stamps = np.asarray([d.timestamp for d in docs], dtype=np.float64)
    allowed = np.ones(n, dtype=bool) if eligible is None else np.asarray(eligible, dtype=bool)
    slug_rank = np.empty(n, dtype=np.int64)
    slug_rank[np.argsort(np.asarray([d.slug for d in docs]), kind="stable")] = np.arange(n)
    text_t, tags_t = text.T.tocsr(), tags.T.tocsr()
    results: list[list[Pick]] = []
    chunk = 1000
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        cosine = (text[start:stop] @ text_t).toarray()
        shared = (tags[start:stop] @ tags_t).toarray()
        score = weights.text * cosine + weights.tags * np.minimum(shared, 3)
        for codes, weight in (
            (section, weights.section),
            (author, weights.author),
            (series, weights.series),
        ):
            if weight:
                same = (codes[start:stop, None] == codes[None, :]) & (codes[None, :] >= 0)
                score += weight * same
        score[:, ~allowed] = -np.inf
        score[np.arange(stop - start), np.arange(start, stop)] = -np.inf
        if older_only:
            score[stamps[None, :] >= stamps[start:stop, None]] = -np.inf
        for offset in range(stop - start):
            i = start + offset
            row = score[offset]
            k = min(count, n)
            candidates = np.argpartition(-row, k - 1)[:k] if k < n else np.arange(n)
            threshold = row[candidates].min()
            candidates = np.flatnonzero(row >= threshold)  # keep every tie at the edge
            candidates = candidates[np.isfinite(row[candidates])]
            order = np.lexsort((slug_rank[candidates], -stamps[candidates], -row[candidates]))
            picks = []
            for j in candidates[order][:count]:
                picks.append(
                    Pick(int(j), float(row[j]), _reasons(docs[i], docs[j], cosine[offset, j]))
                )
            results.append(picks)
    return results


def _reasons(doc: Doc, other: Doc, cosine: float) -> tuple[str, ...]:
    reasons = []
    if cosine > 0.02:
        reasons.append("text match")
    shared = sorted(set(doc.tags) & set(other.tags))
    if shared:
        reasons.append("shared tags: " + ", ".join(shared))
    if doc.section and doc.section == other.section:
        reasons.append("same section")
    if doc.author and doc.author == other.author:
        reasons.append("same author")
    if doc.series and doc.series == other.series:
        reasons.append("same series")
    return tuple(reasons)
