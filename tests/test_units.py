"""Byline's pure modules, tested without a build."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from byline.authors import AuthorDataError, parse_authors
from byline.drafts import DraftExistsError, write_draft
from byline.images import resolve_hero
from byline.memo import Memo
from byline.more_from import more_from
from byline.reading import count_words, reading_minutes
from byline.record import ArticleRecord
from byline.settings import DEFAULTS, apply_defaults

ROOT = Path(__file__).resolve().parent.parent


def test_reading_time_rounds_up_and_never_says_zero():
    assert reading_minutes("") == 1
    assert reading_minutes("<p>" + "word " * 231 + "</p>", 230) == 2
    assert reading_minutes("<p>" + "word " * 230 + "</p>", 230) == 1


def test_word_count_ignores_markup_and_keeps_contractions_whole():
    assert count_words('<p>It doesn’t <a href="/x-y-z">matter</a> much.</p>') == 4


def _story(slug, day, author, section):
    date = datetime(2026, 1, 1) + timedelta(days=day)
    return ArticleRecord(slug, f"{slug}/", slug, date, author=author, section=section)


def _slugs(stories, picks, slug, which="by_author"):
    """One story's candidates of one kind, as slugs."""
    index = [story.slug for story in stories].index(slug)
    return [stories[other].slug for other in getattr(picks[index], which)]


def test_more_from_keeps_the_authors_stories_apart_from_the_sections():
    stories = [
        _story("a1", 1, "Ann", "Money"),
        _story("a2", 2, "Ann", "Tools"),
        _story("a3", 3, "Ann", "Money"),
        _story("b1", 4, "Bob", "Money"),
        _story("b2", 5, "Bob", "People"),
        _story("c1", 6, "Cat", "Money"),
    ]
    picks = more_from(stories, 4)
    # "More from Ann" holds Ann's stories only, newest first; the section's go apart
    assert _slugs(stories, picks, "a1") == ["a3", "a2"]
    assert _slugs(stories, picks, "a1", "in_section") == ["c1", "b1"]  # nobody's Ann's
    assert _slugs(stories, picks, "b2") == ["b1"]
    assert _slugs(stories, picks, "b2", "in_section") == []  # nobody else in People
    assert "a1" not in _slugs(stories, picks, "a1")


def test_more_from_breaks_date_ties_by_slug_and_honours_count():
    stories = [_story(s, 1, "Ann", "X") for s in ("c", "a", "b", "d", "e")]
    assert _slugs(stories, more_from(stories, 2), "d") == ["a", "b"]
    assert _slugs(stories, more_from(stories, 3), "d") == ["a", "b", "c"]
    assert _slugs(stories, more_from(stories, 0), "d") == []


def test_a_single_story_author_gets_only_the_sections_other_stories():
    stories = [
        _story("dan", 5, "Dan Hartley", "Money"),
        _story("m1", 1, "Maya", "Money"),
        _story("m2", 2, "Maya", "Money"),
        _story("t1", 3, "Tom", "Tools"),
    ]
    picks = more_from(stories, 4)
    assert _slugs(stories, picks, "dan") == []
    assert _slugs(stories, picks, "dan", "in_section") == ["m2", "m1"]


def test_a_story_without_a_byline_or_section_has_no_candidates_for_that_block():
    stories = [
        _story("x", 1, "", "Money"),
        _story("y", 2, "", "Money"),
        _story("z", 3, "Ann", ""),
        _story("w", 4, "Ann", ""),
    ]
    picks = more_from(stories, 4)
    # no byline: no "More from" list; the section's other stories are all by someone else
    assert _slugs(stories, picks, "x") == [] and _slugs(stories, picks, "x", "in_section") == ["y"]
    assert _slugs(stories, picks, "z") == ["w"] and _slugs(stories, picks, "z", "in_section") == []


def test_authors_file_parses_role_bio_photo_links():
    profiles = parse_authors(
        '["Ann Lee"]\nrole = "Ann is co-founder of X."\nbio = "Bio."\n'
        'photo = "images/a.png"\nlinks = { "Site" = "https://x.example" }\n'
    )
    ann = profiles["Ann Lee"]
    assert ann.role == "Ann is co-founder of X."
    assert ann.photo_alt == "Portrait of Ann Lee"
    assert [(link.label, link.url) for link in ann.links] == [("Site", "https://x.example")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ('["Ann"\nrole = "x"', "Fix the TOML syntax"),
        ('Ann = "writer"', 'should be a table such as ["Ann"]'),
        ('["Ann"]\nrol = "x"', "unknown key(s) rol"),
    ],
)
def test_bad_authors_file_says_where_and_how_to_fix(text, expected):
    with pytest.raises(AuthorDataError, match="authors.toml") as error:
        parse_authors(text, "content/authors.toml")
    assert expected in str(error.value)


def test_hero_reads_size_and_reports_missing_file_and_alt(tmp_path):
    demo = ROOT / "content"
    hero, problems = resolve_hero(
        "images/heroes/buy-the-good-chisel.jpg", "A chisel", "Me", demo, Memo()
    )
    assert (hero.width, hero.height) == (1200, 675) and problems == []
    hero, problems = resolve_hero("images/nope.jpg", "alt", "", tmp_path, Memo())
    assert hero is None and [p.code for p in problems] == ["E218"]
    assert "nope.jpg" in problems[0].message
    hero, problems = resolve_hero("https://cdn.example/x.jpg", "", "", tmp_path, Memo())
    assert hero.is_remote and [p.code for p in problems] == ["E205"]
    assert "Image_alt" in problems[0].message


def test_defaults_fill_only_what_the_site_left_out():
    settings = {"BYLINE_MORE_FROM_COUNT": 2}
    apply_defaults(settings)
    assert settings["BYLINE_MORE_FROM_COUNT"] == 2
    assert settings["BYLINE_WORDS_PER_MINUTE"] == DEFAULTS["BYLINE_WORDS_PER_MINUTE"]


def test_draft_has_every_field_and_never_overwrites(tmp_path):
    path = write_draft(tmp_path, "Why we stopped discounting", "Ann Lee", "Money")
    text = path.read_text()
    assert path.name == "why-we-stopped-discounting.md"
    for field in (
        "Title:",
        "Date:",
        "Author: Ann Lee",
        "Category: Money",
        "Tags:",
        "Summary:",
        "Image:",
        "Image_alt:",
        "Image_credit:",
        "Status: draft",
    ):
        assert field in text
    with pytest.raises(DraftExistsError):
        write_draft(tmp_path, "Why we stopped discounting", "Ann Lee", "Money")


def test_plain_text_decodes_entities_and_shorten_cuts_at_a_word():
    from byline.reading import plain_text, shorten

    assert plain_text("<p>It&rsquo;s <em>fine</em> &amp; dandy</p>") == "It’s fine & dandy"
    assert shorten("one two three four", 12) == "one two…"
    assert shorten("short", 12) == "short"


def test_page_blocks_show_each_story_once_in_page_order_and_top_up():
    from byline.blocks import page_blocks

    blocks = page_blocks(
        "me",
        related=["r1", "a1"],
        by_author=["a1", "a2", "a3", "a4"],  # a1 is in Related already
        in_section=["s1", "r1", "s2"],
        most_read=["me", "a2", "m1", "s1", "m2", "m3"],
        more_count=4,
        most_read_count=2,
    )
    assert blocks.related == ["r1", "a1"]
    assert blocks.more_from == ["a2", "a3", "a4"]  # past the one Related took: all there is
    assert blocks.more_in == ["s1"]  # the rest of the budget, without r1 (in Related)
    assert blocks.most_read == ["m1", "m2"]  # not the page itself, a2 or s1 (shown above)
    links = blocks.all_links()
    assert len(links) == len(set(links))


def test_page_blocks_fall_back_to_the_section_under_its_own_list():
    from byline.blocks import page_blocks

    blocks = page_blocks(
        0,
        [],
        by_author=[],
        in_section=[3, 4],
        most_read=[0, 3, 5],
        more_count=4,
        most_read_count=5,
    )
    assert (blocks.more_from, blocks.more_in, blocks.most_read) == ([], [3, 4], [5])


def test_candidates_needed_covers_the_page_and_the_blocks_above():
    from byline.blocks import candidates_needed

    # Most read of 5 under Related (5) and More from (4) on an article page: 5 + 1 + 5 + 4
    assert candidates_needed(5, 1 + 5 + 4) == 15
    assert candidates_needed(0, 3) == 3 and candidates_needed(-1, -1) == 0


def test_messages_name_a_file_from_the_project_folder_or_in_full(tmp_path, monkeypatch):
    from byline.plugin import display_path

    project = tmp_path / "site"
    (project / "content").mkdir(parents=True)
    monkeypatch.chdir(project)
    post = str(project / "content" / "post.md")
    assert display_path(post) == "content/post.md"
    assert display_path(str(project / "content" / ".." / "content" / "post.md")) == (
        "content/post.md"
    )
    assert display_path(str(tmp_path / "elsewhere.md")) == str(tmp_path / "elsewhere.md")
    assert display_path(str(project)) == "."
    assert display_path("content/post.md") == "content/post.md"
    monkeypatch.chdir("/")
    assert display_path(post) == post.lstrip("/")


def test_a_story_card_is_rendered_once_per_distinct_arguments():
    from byline.cards import RenderMemo

    calls = []

    def card(siteurl, story, show_image=True):
        calls.append((siteurl, story, show_image))
        return f"{siteurl}/{story['slug']} {show_image}"

    memo = RenderMemo()
    first, second = {"slug": "a"}, {"slug": "b"}
    assert memo(card, "https://x", first) == memo(card, "https://x", first) == "https://x/a True"
    assert memo(card, "https://x", first, show_image=False) == "https://x/a False"
    assert memo(card, "https://x", second) == "https://x/b True"
    # an equal-looking but distinct story is another card: objects count by identity
    assert memo(card, "https://x", {"slug": "a"}) == "https://x/a True"
    assert len(calls) == 4
