"""Text to terms: words, stop words, Snowball stems, CJK bigrams, and the count matrix.

Whitespace chunks are numbered once each; every DISTINCT chunk is lower-cased and split
into unicode letter runs (numbers and punctuation drop out), words under 2 letters and
English stop words are dropped, the rest stemmed; CJK runs become character bigrams.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from .doc import Doc
from .weights import FIELD_WEIGHTS

try:  # Snowball stemmer (C extension); a tiny pure-Python suffix stripper is the fallback.
    import Stemmer as _Stemmer

    _STEMMER = _Stemmer.Stemmer("english")

    def stem_words(words: list[str]) -> list[str]:
        """Snowball English stems of lower-case words."""
        return _STEMMER.stemWords(words)
except Exception:  # pragma: no cover - exercised only without PyStemmer
    _SUFFIXES = (
        *("ational", "ization", "fulness", "ousness", "iveness", "ations", "ation", "ement"),
        *("ments", "ment", "ness", "ings", "ing", "ies", "ied", "edly", "ed", "ly", "es", "s"),
    )

    def _stem_one(w: str) -> str:
        for suf in _SUFFIXES:
            if w.endswith(suf) and len(w) - len(suf) >= 3:
                w = w[: -len(suf)]
                if suf in ("ies", "ied"):
                    w += "i"
                break
        return w

    def stem_words(words: list[str]) -> list[str]:
        return [_stem_one(w) for w in words]


STOP_WORDS = frozenset(
    """
a about above across after afterwards again against all almost alone along already also although
always am among amongst an and another any anyhow anyone anything anyway anywhere are aren around
as at back be became because become becomes becoming been before beforehand behind being below
beside besides between beyond both but by can cannot could couldn did didn do does doesn doing don
done down due during each either else elsewhere enough etc even ever every everyone everything
everywhere except few for former formerly from further get gets getting go goes going gone got had
hadn has hasn have haven having he hence her here hereafter hereby herein hers herself him himself
his how however i ie if in indeed instead into is isn it its itself just keep kept last latter
latterly least less let like ll made make makes many may maybe me meanwhile might mine more
moreover most mostly much must my myself namely neither never nevertheless next no nobody none
noone nor not nothing now nowhere of off often on once one only onto or other others otherwise our
ours ourselves out over own per perhaps please put quite rather re really said same say says see
seem seemed seeming seems several shall she should shouldn since so some somehow someone something
sometime sometimes somewhere still such than that the their theirs them themselves then thence
there thereafter thereby therefore therein thereupon these they this those though through
throughout thru thus to together too toward towards under until up upon us use used uses using ve
very via was wasn way we well were weren what whatever when whence whenever where whereafter
whereas whereby wherein whereupon wherever whether which while whither who whoever whole whom
whose why will with within without won would wouldn yes yet you your yours yourself yourselves
""".split()
)

_LETTERS = re.compile(r"[^\W\d_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def word_terms(words: list[str]) -> list[list[str]]:
    """Map each distinct surface word to a list of terms (stems, CJK bigrams, or nothing)."""
    out: list[list[str]] = [[] for _ in words]
    plain_idx = []
    letters = _LETTERS.findall
    for i, w in enumerate(words):
        parts = (w,) if w.isalpha() else letters(w)  # "don't" -> don, t ; "x11," -> x
        terms = out[i]
        for p in parts:
            if _CJK.search(p):
                terms.extend(p[j : j + 2] for j in range(max(1, len(p) - 1)))
            elif len(p) >= 2 and p not in STOP_WORDS:
                plain_idx.append((i, len(terms)))
                terms.append(p)
    stems = stem_words([out[i][j] for i, j in plain_idx])
    for (i, j), st in zip(plain_idx, stems, strict=True):
        out[i][j] = st
    return out


def count_matrix(docs: Sequence[Doc]) -> tuple[sp.csr_matrix, list[str]]:
    """Documents -> sparse term-count matrix (title/summary/body weighted), and the term
    of each column.

    Python touches each token once (a whitespace split and one dict look-up that numbers
    the distinct surface words); lower-casing, punctuation, stop words and stemming are
    worked out once per distinct word, and a sparse product with the word -> term matrix
    sums every document's counts per term in C.
    """
    n = len(docs)
    word_ids: defaultdict[str, int] = defaultdict(itertools.count().__next__)
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
    for i, terms in enumerate(word_terms([w.lower() for w in words])):
        for term in terms:
            rows.append(i)
            cols.append(term_index.setdefault(term, len(term_index)))
    if not cols:
        return sp.csr_matrix((n, 0), dtype=np.float32), []
    word_to_term = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(words), len(term_index))
    )
    indptr = np.concatenate([[0], np.cumsum(per_field.reshape(n, 3).sum(axis=1))])
    doc_words = sp.csr_matrix((field_weight, wid, indptr), shape=(n, len(words)))
    counts = sp.csr_matrix(doc_words @ word_to_term)  # duplicates are summed by the product
    return counts, list(term_index)
