"""Related stories: ranking on hand-written corpora, manual picks, exclusions, ties."""

from __future__ import annotations

import json
import random

import pytest
from byline.related import (
    EDITOR_REASON,
    Doc,
    Weights,
    parse_manual,
    rank_related,
    related_lists,
    weights_from_settings,
)

TOPICS = {
    "bread": [
        "Our sourdough starter needs feeding twice a day; the flour and water ferment and "
        "the loaf rises slowly before it goes in a hot oven for a dark crust.",
        "Rye flour makes a dense loaf. Long proofing lets the dough ferment, and a steamy "
        "oven gives the bread its crust.",
        "A baguette wants a strong white flour, a wet dough, and a very hot oven; the "
        "bakery sells out of loaves by nine.",
    ],
    "bikes": [
        "A bicycle chain wears out and stretches; change it before it ruins the gears and "
        "the cassette on the rear wheel.",
        "Fixing a puncture: take the tyre off the wheel, find the hole in the inner tube, "
        "patch it, and check the tyre for thorns before the next ride.",
        "Indexing the derailleur so the gears shift cleanly takes a barrel adjuster and "
        "patience; a clean chain helps every ride.",
    ],
    "tax": [
        "The VAT return is due a month after the quarter ends; keep every invoice and "
        "receipt so the tax figures add up.",
        "At the end of the tax year, sort the receipts, total the expenses, and check the "
        "invoices against the bank before you file the return.",
        "Self-assessment tax deadlines come round every January; estimate the bill early "
        "and put money aside from each invoice.",
    ],
}


def _corpus(**overrides) -> list[Doc]:
    docs = []
    for topic, texts in TOPICS.items():
        for n, text in enumerate(texts, 1):
            slug = f"{topic}-{n}"
            fields = dict(
                slug=slug,
                title=f"Notes {slug}",
                summary="",
                body=text,
                timestamp=1_700_000_000 + len(docs) * 86_400,
            )
            fields.update(overrides.get(slug, {}))
            docs.append(Doc(**fields))
    return docs


def _slugs(docs, picks) -> list[str]:
    return [docs[p.index].slug for p in picks]


def test_text_alone_finds_the_same_topic_first():
    docs = _corpus()
    lists = rank_related(docs, count=2)
    for doc, picks in zip(docs, lists, strict=True):
        topic = doc.slug.split("-")[0]
        assert [s.split("-")[0] for s in _slugs(docs, picks)] == [topic, topic], doc.slug
        assert all("text match" in p.reasons for p in picks)
        assert doc.slug not in _slugs(docs, picks)


def test_shared_tags_pull_a_story_in_and_say_so():
    docs = _corpus(**{"bread-1": {"tags": ("pricing",)}, "tax-3": {"tags": ("pricing",)}})
    picks = rank_related(docs, count=3)[0]
    assert "tax-3" in _slugs(docs, picks)
    reasons = picks[_slugs(docs, picks).index("tax-3")].reasons
    assert "shared tags: pricing" in reasons


def test_same_section_and_author_are_reasons_with_weights():
    docs = _corpus(**{"bikes-1": {"section": "Money"}, "tax-1": {"section": "Money"}})
    strong = rank_related(docs, count=1, weights=Weights(section=100.0))
    assert _slugs(docs, strong[3]) == ["tax-1"]
    assert "same section" in strong[3][0].reasons
    none = rank_related(docs, count=1, weights=Weights(section=0.0))
    assert _slugs(docs, none[3])[0].startswith("bikes")


def test_count_scores_and_order_are_consistent():
    docs = _corpus()
    for picks in rank_related(docs, count=5):
        assert len(picks) == 5
        scores = [p.score for p in picks]
        assert scores == sorted(scores, reverse=True)


def test_ties_break_by_newer_date_then_slug():
    text = "identical words about invoices and bread and bicycles"
    docs = [
        Doc(slug="query", title="q", summary="", body=text, timestamp=50),
        Doc(slug="b-old", title="t", summary="", body=text, timestamp=10),
        Doc(slug="a-new", title="t", summary="", body=text, timestamp=20),
        Doc(slug="c-new", title="t", summary="", body=text, timestamp=20),
    ]
    assert _slugs(docs, rank_related(docs, count=3)[0]) == ["a-new", "c-new", "b-old"]


def test_same_content_in_any_order_gives_the_same_lists():
    docs = _corpus(**{"bread-2": {"tags": ("flour",)}, "bread-3": {"tags": ("flour",)}})
    expected = {d.slug: _slugs(docs, p) for d, p in zip(docs, rank_related(docs, 4), strict=True)}
    shuffled = docs[:]
    random.Random(3).shuffle(shuffled)
    again = rank_related(shuffled, 4)
    assert {d.slug: _slugs(shuffled, p) for d, p in zip(shuffled, again, strict=True)} == expected


def test_older_only_never_picks_a_newer_story():
    docs = _corpus()
    for doc, picks in zip(docs, rank_related(docs, count=5, older_only=True), strict=True):
        assert all(docs[p.index].timestamp < doc.timestamp for p in picks)
    assert rank_related(docs, count=5, older_only=True)[0] == []  # the oldest has none


@pytest.mark.parametrize(
    "docs",
    [
        [Doc(slug="only", title="Alone", summary="", body="Just one article.")],
        [Doc(slug=f"e{i}", title="", summary="", body="") for i in range(4)],
        [
            Doc(slug="ja1", title="東京の小さな店", summary="", body="売上と現金の流れについて"),
            Doc(slug="ja2", title="大阪のパン屋", summary="", body="小麦粉とオーブン"),
            Doc(slug="ru1", title="Малый бизнес", summary="", body="Денежный поток и счета"),
            Doc(slug="ru2", title="Налоги", summary="", body="Счета, налоги и денежный поток"),
        ],
        [],
    ],
    ids=["one-article", "empty-bodies", "non-english", "no-articles"],
)
def test_odd_sites_do_not_crash(docs):
    lists = rank_related(docs, count=5)
    assert len(lists) == len(docs)
    for doc, picks in zip(docs, lists, strict=True):
        assert doc.slug not in _slugs(docs, picks)
        assert len(picks) <= max(0, len(docs) - 1)


def test_non_english_text_still_finds_its_neighbour():
    docs = [
        Doc(slug="ru1", title="Малый бизнес", summary="", body="Денежный поток и счета клиентов"),
        Doc(slug="ru2", title="Налоги", summary="", body="Счета клиентов и денежный поток"),
        Doc(slug="en1", title="Bread", summary="", body="Flour, water and a hot oven"),
    ]
    assert _slugs(docs, rank_related(docs, count=1)[0]) == ["ru2"]


def test_manual_picks_come_first_in_order_and_automatic_ones_fill_up():
    docs = _corpus()
    manual = [[] for _ in docs]
    manual[0] = ["tax-2", "bikes-3", "tax-2", "bread-1", "nope"]
    lists, problems = related_lists(docs, manual, count=4)
    first = [docs[e.index].slug for e in lists[0]]
    assert first[:2] == ["tax-2", "bikes-3"]
    assert lists[0][0].reasons == (EDITOR_REASON,) and lists[0][0].score is None
    assert len(first) == 4 and first[2].startswith("bread") and len(set(first)) == 4
    messages = [m for i, m in problems if i == 0]
    assert any("'nope' is not the slug" in m for m in messages)
    assert any("'bread-1' is this article itself" in m for m in messages)


def test_related_line_parsing_and_weight_settings():
    assert parse_manual("a-b, c  d,e") == ["a-b", "c", "d", "e"]
    assert parse_manual(None) == []
    assert weights_from_settings({"tags": 3}).tags == 3.0
    with pytest.raises(ValueError, match="unknown signal"):
        weights_from_settings({"colour": 1})


def test_picks_as_json_maps_urls_to_picks_with_scores_and_reasons():
    from types import SimpleNamespace

    from byline.related_report import picks_as_json

    a = SimpleNamespace(url="a/", related=[])
    pick = SimpleNamespace(
        article=a, score=0.9, reasons=("shared tags: x",), parts=(0.1, 0.8, 0.0, 0.0, 0.0)
    )
    b = SimpleNamespace(url="b/", related=[pick])
    data = json.loads(picks_as_json([a, b]))
    assert data["picks"]["/a/"] == []
    [only] = data["picks"]["/b/"]
    assert only["url"] == "/a/" and only["score"] == 0.9 and only["decided_by"] == "tags"
    assert data["text_is_thin"] and "too few" in data["note"]
