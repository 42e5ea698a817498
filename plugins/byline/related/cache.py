"""Ranked lists kept between builds, so a rebuild of an unchanged site ranks nothing.

The automatic picks are a pure function of the docs, the count, the weights, the
older-only switch, the ranker's own code and the libraries it calls (numpy, scipy,
PyStemmer, wordfreq). The key hashes all of that; a build whose key matches the stored
one reads the picks back (and never imports numpy or scipy), and any difference at all
(one word of one story, a weight, an upgrade) ranks afresh and stores the new lists. One
entry is kept, the last build's: a local build and the production build of the same
content share it. The file is a ``byline.memo.Memo`` (checksummed; a missing, damaged or
foreign file is only a miss).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from .doc import Doc, Pick
from .weights import Weights

CACHE_NAME = "byline-related.json"
CACHE_VERSION = 1
LIBRARIES = ("numpy", "scipy", "PyStemmer", "wordfreq", "threadpoolctl")


def code_fingerprint() -> str:
    """The ranker's source, Python's version and the versions of the libraries it uses."""
    from ..memo import fingerprint

    return fingerprint(Path(__file__).parent.glob("*.py"), LIBRARIES, salt=str(CACHE_VERSION))


def rank_key(
    docs: Sequence[Doc], count: int, weights: Weights, older_only: bool, code: str = ""
) -> str:
    """One hash of everything the ranked lists depend on (``code``: the ranker's
    fingerprint, worked out here when not given)."""
    digest = hashlib.sha256((code or code_fingerprint()).encode())
    digest.update(json.dumps([count, asdict(weights), older_only], sort_keys=True).encode())
    for doc in docs:
        # the long text as it is, length first (no escaping to pay for), the rest as JSON
        body = doc.body.encode("utf-8", "surrogatepass")
        rest = json.dumps(doc._replace(body=""), ensure_ascii=False)
        digest.update(b"%d\0%s\0" % (len(body), rest.encode("utf-8", "surrogatepass")))
        digest.update(body)
    return digest.hexdigest()


def cached_rank(
    docs: Sequence[Doc],
    count: int,
    weights: Weights,
    older_only: bool,
    cache_dir: Path | None,
) -> list[list[Pick]]:
    """``rank_related`` through the cache in ``cache_dir`` (no cache when it is None)."""
    if cache_dir is None or len(docs) < 2 or count <= 0:
        return _rank(docs, count, weights, older_only)
    from ..memo import Memo

    code = code_fingerprint()
    memo = Memo(Path(cache_dir) / CACHE_NAME, code)
    key = rank_key(docs, count, weights, older_only, code)
    rows = memo.answer("lists", key, lambda: _rows(_rank(docs, count, weights, older_only)))
    memo.save()
    return [
        [
            Pick(int(i), float(score), tuple(reasons), tuple(parts))
            for i, score, reasons, parts in row
        ]
        for row in rows
    ]


def _rows(lists: Sequence[Sequence[Pick]]) -> list:
    """The lists as JSON keeps them."""
    return [[[p.index, p.score, list(p.reasons), list(p.parts)] for p in row] for row in lists]


def _rank(docs: Sequence[Doc], count: int, weights: Weights, older_only: bool) -> list[list[Pick]]:
    """Rank afresh (the only path that imports numpy and scipy)."""
    from .rank import rank_related

    return rank_related(docs, count=count, weights=weights, older_only=older_only)
