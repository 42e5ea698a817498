"""Related stories on a site big enough for the ranker's index, rare words and topics."""

from __future__ import annotations

import random

import numpy as np
import pytest
from byline.related import Doc, index, rank_related, scoring
from byline.related.rare import rare_candidates
from byline.related.tokens import count_matrix
from byline.related.vectors import tfidf

SECTIONS = ("Money", "People", "Tools")


def _site(count: int, topics: int = 12, seed: int = 7) -> tuple[list[Doc], list[int]]:
    """Invented posts: a shared everyday vocabulary plus one topic's own words each."""
    rng = random.Random(seed)
    syllables = "ka lo mi ne su ta ri po ve da gu fi ho ja ze ba".split()

    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))

    common = [word() for _ in range(400)]
    own = [[word() for _ in range(60)] for _ in range(topics)]
    docs, labels = [], []
    for i in range(count):
        topic = rng.randrange(topics)
        body = rng.choices(common, k=60) + rng.choices(own[topic], k=25)
        rng.shuffle(body)
        docs.append(
            Doc(
                slug=f"post-{i:05d}",
                title=" ".join(rng.choices(own[topic], k=4)),
                summary="",
                body=" ".join(body),
                section=SECTIONS[topic % len(SECTIONS)],
                timestamp=1_600_000_000 + i * 3600,
            )
        )
        labels.append(topic)
    return docs, labels


@pytest.fixture(scope="module")
def big_site() -> tuple[list[Doc], list[int]]:
    docs, labels = _site(index.IVF_MIN_DOCS + 400)
    return docs, labels


def test_a_big_site_gets_on_topic_picks_the_same_way_every_time(big_site):
    docs, labels = big_site
    first = rank_related(docs, count=5)
    again = rank_related(docs, count=5)
    assert first == again
    on_topic = [labels[p.index] == labels[i] for i, picks in enumerate(first) for p in picks]
    assert len(on_topic) == 5 * len(docs)
    assert sum(on_topic) / len(on_topic) > 0.95


def test_the_index_finds_what_scoring_every_pair_finds(big_site, monkeypatch):
    docs, _ = big_site
    indexed = rank_related(docs, count=5)
    monkeypatch.setattr(index, "IVF_MIN_DOCS", len(docs) + 1)  # score every pair
    exact = rank_related(docs, count=5)
    pairs = zip(indexed, exact, strict=True)
    same = sum(len({p.index for p in a} & {p.index for p in b}) for a, b in pairs)
    assert same / (5 * len(docs)) > 0.9


def test_a_big_site_keeps_the_rules_for_older_and_hidden_stories(big_site):
    docs, _ = big_site
    hidden = {i for i in range(0, len(docs), 7)}
    eligible = [i not in hidden for i in range(len(docs))]
    lists = rank_related(docs, count=5, older_only=True, eligible=eligible)
    assert lists[0] == []
    for i, picks in enumerate(lists):
        assert all(p.index != i and p.index not in hidden for p in picks)
        assert all(docs[p.index].timestamp < docs[i].timestamp for p in picks)
    # everything from the 20th story on has enough older, visible, on-topic stories to fill up
    assert all(len(picks) == 5 for picks in lists[20:])


def _x(docs: list[Doc]):
    return tfidf(count_matrix(docs)[0])


def test_a_rare_word_two_stories_share_makes_them_candidates():
    docs, _ = _site(300, topics=3)
    shared = "saltmarsh"  # in these two stories only
    docs[10] = docs[10]._replace(body=docs[10].body + f" {shared} {shared}")
    docs[250] = docs[250]._replace(body=docs[250].body + f" {shared}")
    x = _x(docs)
    ts = np.array([d.timestamp for d in docs])
    nobody_blocked = np.zeros(len(docs), dtype=bool)
    rare = rare_candidates(x, 25, None, 0.0, nobody_blocked, ts, False)
    assert 250 in rare[10] and 10 in rare[250]
    assert all(i not in rare[i] for i in range(len(docs)))
    older = rare_candidates(x, 25, None, 0.0, nobody_blocked, ts, True)
    assert 250 not in older[10] and 10 in older[250]
    blocked = nobody_blocked.copy()
    blocked[250] = True
    assert 250 not in rare_candidates(x, 25, None, 0.0, blocked, ts, False)[10]


def test_topic_clusterings_put_a_topic_together_and_skip_empty_stories():
    docs, labels = _site(240, topics=3, seed=11)
    docs.append(Doc(slug="empty", title="", summary="", body=""))
    x = _x(docs)
    runs = scoring.topic_labels(x)
    assert runs.shape == (len(scoring.TOPIC_KS) * scoring.TOPIC_SEEDS, len(docs))
    assert (runs[:, -1] == -1).all()
    assert (scoring.topic_labels(x) == runs).all()
    together = (runs[:, :-1, None] == runs[:, None, :-1]).mean(axis=0)
    same = np.equal.outer(labels, labels)
    np.fill_diagonal(same, False)
    other = ~np.equal.outer(labels, labels)
    assert together[same].mean() > together[other].mean() + 0.3


def test_ranking_leaves_the_garbage_collector_as_it_found_it():
    import gc

    docs, _ = _site(30, topics=3)
    assert gc.isenabled()
    rank_related(docs)
    assert gc.isenabled()
    gc.disable()
    try:
        rank_related(docs)
        assert not gc.isenabled()
    finally:
        gc.enable()
