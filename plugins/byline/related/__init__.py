"""Related stories: each story's editor's picks, then the ranker's, with scores and reasons.

Where things are (a newcomer's map):
- ``editor.related_lists``: a story's whole list (``Related:`` picks first, then automatic).
- ``rank.rank_related``: the automatic picks, in four stages you can read top to bottom.
- ``cache.cached_rank``: those picks read back from the last build when nothing they
  depend on changed (an unchanged site is never ranked twice).
- ``weights.py``: every weight (``Weights`` and the text score's constants). To change one,
  change it there; tests/test_related_golden.py then shows every demo pick that moved.

The method, stage by stage (all of it corpus-independent; nothing looks at labels):
1. tokens.py: text -> weighted bag of stems (title 3x, standfirst 2x, body 1x).
2. vectors.py: sublinear tf x smoothed idf, rare/common terms dropped, 128 terms a doc, L2;
   a 96-dim LSA sketch (randomised SVD, fixed seed). Below 2,000 docs prior.py lowers the
   idf of everyday English words (wordfreq), fading smoothly as the site grows.
3. candidates.py: 25 per doc by a cheap score (text weight x LSA cosine + metadata bonuses),
   exact on a small site and through a cluster index (index.py, spherical k-means from
   kmeans.py) on a big one; plus up to 25 sharing rare words (rare.py).
4. scoring.py: the exact text score of each candidate (tf-idf cosine, LSA, shared
   neighbours (about sqrt(n) of them, at most 25), topic clusterings), times the text
   weight, plus section, series, author and tag bonuses (metadata.py).
5. picks.py and reasons.py: score desc, then newer first, then slug; non-positive scores
   dropped; each pick says which signals contributed and how much (advice.py words what
   that means on a small site for the build's warning and ``invoke related``).

Memory is O(n x candidates); no n x n matrix (dense or sparse) is ever built.
"""

from __future__ import annotations

import importlib
from typing import Any

# Names by the module they live in. Imported on first use (PEP 562): the ranker's modules
# load numpy and scipy, which a build with related stories off should never pay for.
_HOMES = {
    "EDITOR_REASON": "editor",
    "RelatedEntry": "editor",
    "RelatedPick": "editor",
    "related_for_records": "editor",
    "related_lists": "editor",
    "weights_from_settings": "editor",
    "parse_manual": "manual",
    "Doc": "doc",
    "Pick": "doc",
    "rank_related": "rank",
    "Weights": "weights",
    "small_site_note": "advice",
    "text_is_thin": "advice",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "EDITOR_REASON",
    "Doc",
    "Pick",
    "RelatedEntry",
    "RelatedPick",
    "Weights",
    "parse_manual",
    "rank_related",
    "related_for_records",
    "related_lists",
    "small_site_note",
    "text_is_thin",
    "weights_from_settings",
]
