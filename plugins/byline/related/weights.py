"""How much each signal counts: the one place to change a weight.

``Weights`` are the site owner's knobs (``BYLINE_RELATED_WEIGHTS`` in pelicanconf.py maps
onto them by name); the constants below shape the text score and were tuned once on
20 Newsgroups and Reuters R8 together, then frozen. Nothing here looks at labels.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Weights:
    """How much each signal counts (added to the text score, which is ~0..1.5).

    text:    multiplier of the text score (cosine tf-idf + 0.1 LSA + 0.5 shared-neighbour
             cosine + 0.4 topic agreement).
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


DEFAULT_WEIGHTS = Weights()

# Inside the text score (tuned, then frozen):
FIELD_WEIGHTS = (3, 2, 1)  # how often a title, standfirst and body word counts
LSA_WEIGHT = 0.1  # x cosine of the LSA sketches
SECOND_ORDER = 0.5  # x cosine of the shared-neighbour profiles
SELF_WEIGHT = 0.5  # a story's own entry in its shared-neighbour profile
TOPIC_WEIGHT = 0.4  # x the share of topic clusterings that put two stories together
