"""General-English word frequencies as a prior for IDF, for sites too small to have their own.

On 40 articles a document frequency is mostly noise: a word in two of them may be a rare
word two columns share or an everyday word that happened to come up twice. The frequency
lists of the ``wordfreq`` package (CC BY-SA data, read from the installed package at run
time; nothing derived from them is stored) say which is which. Each stem's general
frequency f (the sum over the English words that stem to it) becomes the share of ordinary
articles of DOC_WORDS words expected to contain it, 1 - exp(-DOC_WORDS x f), and that share
counts as ``prior_docs(n)`` extra documents in the IDF (vectors.tfidf):

    idf = min(ln((1 + n) / (1 + df)), ln((1 + n + m) / (1 + df + m x share))) + 1,
    m = prior_docs(n)

The prior only lowers: an everyday word that looks rare on a small site by chance counts
less, and a site's own common words never count more. The site's own counts outweigh the
prior as they grow (half and half at n = PRIOR_DOCS), and m falls smoothly to exactly 0 at
PRIOR_END articles, where wordfreq is no longer read.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

PRIOR_DOCS = 100.0  # the prior counts as this many documents on a small site
PRIOR_END = 2000  # from this many articles on, the site's own statistics stand alone
DOC_WORDS = 300  # words in an ordinary article, to turn a word frequency into a share
UNLISTED = 1e-7  # frequency of a stem wordfreq's list does not have (it lists >= 1e-6)


def prior_docs(n: int) -> float:
    """How many documents the general-English prior counts as on a site of n articles.

    PRIOR_DOCS x (1 - n / PRIOR_END)^2: smooth (no step the day a site gains an article;
    the slope is 0 where it reaches 0) and exactly 0 from PRIOR_END on."""
    if n >= PRIOR_END:
        return 0.0
    return PRIOR_DOCS * (1.0 - n / PRIOR_END) ** 2


@lru_cache(maxsize=1)
def stem_frequencies() -> dict[str, float]:
    """Each English stem's frequency in general text (empty without wordfreq)."""
    try:
        from wordfreq import get_frequency_dict
    except ImportError:  # pragma: no cover - wordfreq is a dependency
        return {}
    from .tokens import stem_words

    words = get_frequency_dict("en", wordlist="small")
    plain = [w for w in words if w.isalpha() and w.isascii()]
    table: dict[str, float] = {}
    for word, stem in zip(plain, stem_words(plain), strict=True):
        table[stem] = table.get(stem, 0.0) + words[word]
    return table


def document_shares(terms: Sequence[str]) -> np.ndarray:
    """For each term, the share of ordinary English articles expected to contain it."""
    import numpy as np  # here, not above: prior_docs is read by builds that never rank

    table = stem_frequencies()
    freq = np.fromiter((table.get(t, UNLISTED) for t in terms), dtype=np.float64, count=len(terms))
    return -np.expm1(-DOC_WORDS * freq)
