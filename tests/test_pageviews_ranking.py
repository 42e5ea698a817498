"""Ranking for "Most read": top N, exclusions, ties, optional recency weighting."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from byline.pageviews import is_excluded, rank_most_read

VIEWS = {
    "/a/": 100,
    "/b/": 80,
    "/about/": 500,
    "/newsletter/": 300,
    "/c/": 80,
    "/d/": 60,
    "/e/": 10,
    "/f/": 5,
    "/g/": 0,
}


def paths(ranked):
    return [item.path for item in ranked]


def test_top_five_by_views_with_ties_broken_by_path():
    ranked = rank_most_read(VIEWS, exclude=["/about/", "/newsletter/"])
    assert paths(ranked) == ["/a/", "/b/", "/c/", "/d/", "/e/"]
    assert [item.views for item in ranked] == [100, 80, 80, 60, 10]
    assert ranked[0].score == 100.0


def test_count_and_zero_views():
    assert paths(rank_most_read(VIEWS, count=2)) == ["/about/", "/newsletter/"]
    assert rank_most_read(VIEWS, count=0) == []
    assert "/g/" not in paths(rank_most_read(VIEWS, count=50))
    assert rank_most_read({}) == []


def test_excludes_match_any_spelling_and_globs():
    assert is_excluded("/about", ["/about/"])
    assert is_excluded("/about/index.html", ["/about/"])
    assert is_excluded("/tag/money/", ["/tag/*"])
    assert not is_excluded("/about-us/", ["/about/"])
    ranked = rank_most_read({"/tag/x/": 9, "/a/": 1, "/About/": 5}, exclude=["/tag/*", "/about/"])
    assert paths(ranked) == ["/a/"]


def test_recency_weighting_with_a_half_life():
    views = {"/old/": 100, "/new/": 60, "/undated/": 20}
    dates = {"/old/": date(2026, 4, 1), "/new/": date(2026, 5, 31)}
    now = datetime(2026, 5, 31, tzinfo=UTC)
    ranked = rank_most_read(views, dates=dates, now=now, half_life_days=30)
    assert paths(ranked) == ["/new/", "/old/", "/undated/"]
    assert ranked[1].score == pytest.approx(100 * 0.5 ** (60 / 30))
    assert ranked[1].views == 100
    # Without a half-life the dates change nothing.
    assert paths(rank_most_read(views, dates=dates, now=now)) == ["/old/", "/new/", "/undated/"]


def test_weighted_ties_fall_back_to_views_then_path():
    views = {"/x/": 40, "/y/": 20, "/z/": 20}
    now = datetime(2026, 5, 31, tzinfo=UTC)
    dates = {"/x/": datetime(2026, 5, 1, tzinfo=UTC), "/y/": now, "/z/": now}
    ranked = rank_most_read(views, dates=dates, now=now, half_life_days=30)
    assert [item.score for item in ranked] == pytest.approx([20, 20, 20])
    assert paths(ranked) == ["/x/", "/y/", "/z/"]


def test_future_dates_are_not_boosted_and_bad_half_life_is_refused():
    now = datetime(2026, 5, 31, tzinfo=UTC)
    ranked = rank_most_read({"/a/": 10}, dates={"/a/": date(2026, 7, 1)}, now=now, half_life_days=7)
    assert ranked[0].score == 10
    with pytest.raises(ValueError):
        rank_most_read({"/a/": 1}, dates={}, now=now, half_life_days=-1)


def test_pure_function_does_not_change_its_inputs():
    views = dict(VIEWS)
    rank_most_read(views, exclude=["/about/"])
    assert views == VIEWS
