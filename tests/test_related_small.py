"""Small sites: the size-dependent switches (the general-English prior, the shared-neighbour
profile), each pick's deciding signal, and the small-site note in the build and the report."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from byline.related import Doc, rank_related, small_site_note, text_is_thin
from byline.related.prior import PRIOR_END, document_shares, prior_docs
from byline.related.rank import text_rows
from byline.related.reasons import SIGNALS
from byline.related.scoring import NEIGHBOURS, neighbour_count
from byline.related.vectors import tfidf
from byline.related_report import picks_as_text, read_articles
from conftest import ROOT, write_site


def test_the_prior_fades_smoothly_and_is_gone_on_a_big_site():
    weights = [prior_docs(n) for n in range(1, PRIOR_END + 50)]
    steps = np.abs(np.diff(weights))
    assert steps.max() < 0.11  # one more article never moves it by more than a tenth of a doc
    assert all(a >= b for a, b in zip(weights, weights[1:], strict=False))  # only fades
    assert prior_docs(30) > 90 and prior_docs(300) < 75 and prior_docs(1000) < 26
    assert prior_docs(PRIOR_END) == prior_docs(20_000) == 0.0


def test_the_shared_neighbour_profile_grows_one_neighbour_at_a_time():
    counts = [neighbour_count(n, n - 1) for n in range(2, 3000)]
    assert max(np.diff(counts)) <= 1 and min(np.diff(counts)) >= 0
    assert neighbour_count(30, 29) == 6 and neighbour_count(13, 12) == 4
    assert neighbour_count(20_000, 50) == NEIGHBOURS  # big sites: unchanged


def _two_terms(n: int) -> np.ndarray:
    """tf-idf weights of 'peopl' (an everyday word) and 'sourdough' (a rare one), each in the
    same two of n documents, with the prior at its strength for n."""
    counts = sp.csr_matrix(
        ([1.0, 1.0, 1.0, 1.0], ([0, 0, 1, 1], [0, 1, 0, 1])), shape=(n, 2), dtype=np.float32
    )
    shares = document_shares(["peopl", "sourdough"])
    return tfidf(counts, shares, prior_docs(n)).toarray()[0]


def test_an_everyday_word_counts_less_than_a_rare_one_on_a_small_site_only():
    assert document_shares(["peopl"])[0] > 10 * document_shares(["sourdough"])[0]
    sizes = (30, 100, 300, 600, 1000, 1500, PRIOR_END)
    ratios = [(lambda w: w[0] / w[1])(_two_terms(n)) for n in sizes]
    assert max(ratios[:3]) < 0.7  # up to 300 articles "people" counts clearly less
    assert ratios[2:] == sorted(ratios[2:])  # then the site's own counts take over
    assert ratios[-1] == 1.0  # and from PRIOR_END on they stand alone


def test_the_prior_never_raises_an_idf():
    # "sourdough" in 20 of 30 docs: common on this site, rare in English; it keeps the
    # site's own (low) idf rather than the prior's high one
    rows = list(range(20)) + [0]
    cols = [0] * 20 + [1]
    rows, cols = [*rows, 1], [*cols, 1]
    counts = sp.csr_matrix((np.ones(22), (rows, cols)), shape=(30, 2), dtype=np.float32)
    with_prior = tfidf(counts, document_shares(["sourdough", "zzz"]), prior_docs(30))
    without = tfidf(counts)
    assert np.allclose(with_prior.toarray(), without.toarray())


def _doc(slug: str, body: str, day: int, **extra) -> Doc:
    return Doc(slug=slug, title=slug, summary="", body=body, timestamp=day * 86_400.0, **extra)


FILLER = [
    "Quarterly tax returns and receipts for the accountant.",
    "Bicycle chains stretch and gears wear on long rides.",
    "Garden beds need mulch before the frost arrives.",
    "Invoices go out on the first working day of the month.",
]


def test_on_a_small_site_an_unusual_shared_word_weighs_more_than_an_everyday_one():
    docs = [
        _doc("query", "Thoughts on sourdough and people at the market stall.", 1),
        # the same shape of overlap: one word each, in two documents each
        _doc("a-everyday", "Many people queue early on a Saturday.", 9),
        _doc("b-unusual", "Feeding sourdough takes a routine.", 2),
    ] + [_doc(f"filler-{i}", text, 3 + i) for i, text in enumerate(FILLER)]
    query = text_rows(docs).toarray()[0]
    people, sourdough = sorted(query[query > 0])  # the site's own counts would make them equal
    assert sourdough - people > 0.03


def test_each_pick_says_what_decided_it_and_the_parts_add_up():
    docs = [
        _doc("query", "Late payers and invoices.", 1, tags=("cash",)),
        _doc("tagged", "Weather on the coast.", 2, tags=("cash",)),
        _doc("texty", "Chasing late payers about their invoices.", 3),
    ]
    picks = rank_related(docs, count=2)[0]
    for pick in picks:
        assert len(pick.parts) == len(SIGNALS)
        assert abs(sum(pick.parts) - pick.score) < 1e-4
    decided = {docs[p.index].slug: SIGNALS[int(np.argmax(p.parts))] for p in picks}
    assert decided == {"tagged": "tags", "texty": "text"}


def test_text_is_thin_below_about_ninety_articles():
    assert text_is_thin(13) and text_is_thin(80)
    assert not text_is_thin(100) and not text_is_thin(5000)


def _post(title: str, body: str, tags: str) -> str:
    return f"Title: {title}\nDate: 2026-01-05 09:00\nSummary: s.\nTags: {tags}\n\n{body}\n"


def test_a_small_site_build_warns_and_the_report_says_the_same(tmp_path, warnings_log):
    files = {
        "bread.md": _post("Bread", "Sourdough flour, a long proof and a hot oven.", "baking"),
        "rye.md": _post("Rye", "A dark, heavy bake for winter evenings.", "baking"),
        "bikes.md": _post("Bikes", "Chains, gears and tyres on a ride.", "cycling"),
        "tax.md": _post("Tax", "Receipts and invoices for the tax return.", "money"),
    }
    content = write_site(tmp_path, files)
    # a minimum no other test uses: Pelican drops a warning it has already shown
    overrides = {"PATH": str(content), "BYLINE_RELATED_MIN_ARTICLES": 11}
    articles = read_articles(ROOT / "pelicanconf.py", overrides)
    warning = f"Related stories: {small_site_note(4)} (BYLINE_RELATED_MIN_ARTICLES = 11)."
    assert warning in warnings_log()
    report = picks_as_text(articles, "bread")
    assert small_site_note(4)[1:] in report  # the same words (capitalised in the report)
    first = report.splitlines()[2]
    assert "rye" in first and "by tags" in first and "shared tags: baking" in first
