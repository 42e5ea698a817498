"""Related stories in real builds: the demo's block, exclusions, cache, `invoke related`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from byline.related_report import read_articles
from conftest import ROOT, build, page, write_site

INVOKE = Path(sys.executable).parent / "invoke"


def _paths(block) -> list[str]:
    return ["/" + a.get("href").lstrip("./") for a in block.xpath(".//h3/a")]


def _block_paths(doc) -> list[str]:
    block = doc.xpath("//section[contains(@class,'related-stories')]")
    return _paths(block[0]) if block else []


def test_demo_article_shows_five_related_stories_with_image_headline_standfirst(demo_site):
    doc = page(demo_site, "cash-flow-is-a-calendar/")
    block = doc.xpath("//section[contains(@class,'related-stories')]")[0]
    cards = block.xpath(".//li[@class='story-card']")
    assert len(cards) == 5
    for card in cards:
        assert card.xpath(".//img[@class='story-thumb']")
        assert card.xpath("string(.//h3)")
        assert card.xpath("string(.//p[@class='story-standfirst'])")
    assert "/cash-flow-is-a-calendar/" not in _block_paths(doc)
    # the two other columns about cash flow are the closest
    assert set(_block_paths(doc)[:2]) == {
        "/late-payers-are-a-process-problem/",
        "/raise-your-prices-early/",
    }


def test_invoke_related_json_matches_every_built_block(demo_site):
    result = subprocess.run(
        [str(INVOKE), "related", "--json"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["articles"] == 13 and len(data["picks"]) == 13
    for url, picks in data["picks"].items():
        assert [p["url"] for p in picks] == _block_paths(page(demo_site, url.strip("/") + "/"))
        for pick in picks:  # each pick carries its score, why, and what decided it
            assert pick["reasons"] and pick["decided_by"] in pick["signals"]
            assert abs(sum(pick["signals"].values()) - pick["score"]) < 1e-3
    # the list is the page's after the dedupe, and says so; so is every block it reports
    assert data["after_dedupe"] is True and "never takes one out" in data["dedupe_note"]
    for url, blocks in data["shown_on_page"].items():
        doc = page(demo_site, url.strip("/") + "/")
        built = [
            (s.get("class").split()[-1], s.xpath("string(.//h2)"), _paths(s))
            for s in doc.xpath("//div[@class='story-blocks']/section")
        ]
        assert [(b["block"], b["heading"], b["urls"]) for b in blocks] == built


def test_invoke_related_slug_prints_scores_and_reasons():
    result = subprocess.run(
        [str(INVOKE), "related", "raise-your-prices-early"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith('Related stories for "Raise your prices before you need to"')
    # 13 articles: the editor is told text relevance means little here, then the 5 picks
    assert "too few for text relevance to mean much" in lines[1]
    assert "text match" in result.stdout and "shared tags: cash flow" in result.stdout
    assert all(" by " in line for line in lines[2:7])
    # then what the page shows, block by block, after the dedupe
    assert lines[7].startswith("Shown on the page, after the dedupe")
    assert lines[8] == "  Related stories: the 5 above, as listed (the first block)"
    assert lines[9:11] == [
        "  More from Priya Nair: (not shown: nothing left for it)",
        "  More in Money: (not shown: nothing left for it)",
    ]
    assert lines[11].startswith("  Most read: stop-boosting-posts, hire-for-the-second-year")
    assert len(lines) == 12
    wrong = subprocess.run(
        [str(INVOKE), "related", "raise-your-price"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert wrong.returncode != 0 and "Did you mean raise-your-prices-early" in wrong.stderr


def _post(title: str, body: str, **extra: str) -> str:
    lines = [f"Title: {title}", "Date: 2026-01-05 09:00", "Author: Ann", "Summary: s."]
    lines += [f"{k}: {v}" for k, v in extra.items()]
    return "\n".join(lines) + "\n\n" + body + "\n"


BREAD = "Sourdough flour, a wet dough, a long proof and a hot oven give the loaf its crust."


def test_drafts_hidden_and_translations_are_never_picked(site):
    output = site(
        {
            "bread.md": _post("Bread", BREAD),
            "bread-two.md": _post("Bread two", BREAD + " Rye too.", Date="2026-01-04 09:00"),
            "bread-draft.md": _post("Draft bread", BREAD, Status="draft"),
            "bread-hidden.md": _post("Hidden bread", BREAD, Status="hidden"),
            "bread-fr.md": _post("Pain", BREAD, Lang="fr", Slug="bread"),
            "bikes.md": _post("Bikes", "Chains, gears and tyres on a bicycle ride."),
        }
    )
    assert _block_paths(page(output, "bread/")) == ["/bread-two/", "/bikes/"]
    assert _block_paths(page(output, "bread-two/"))[0] == "/bread/"
    # the French translation shows the original's list, never itself or the original
    french = page(output, "bread-fr.html")
    assert "/bread/" not in _block_paths(french) and "/bread-fr.html" not in _block_paths(french)


def test_picks_are_identical_with_the_content_cache_on_or_off(tmp_path):
    files = {
        f"p{i}.md": _post(f"Post {i}", f"{BREAD} word{i % 3} " * (i + 1), Tags=f"t{i % 2}")
        for i in range(8)
    }
    content = write_site(tmp_path, files)
    settings = ROOT / "pelicanconf.py"

    def picks(**cache):
        articles = read_articles(settings, {"PATH": str(content), **cache})
        return {a.slug: [p.article.slug for p in a.related] for a in articles}

    cold = picks()
    cached = dict(CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True, CACHE_PATH=str(tmp_path / "c"))
    first, second = picks(**cached), picks(**cached)  # the second reads from the cache
    assert (tmp_path / "c").exists()
    assert cold == first == second


def _pipe(command: str) -> subprocess.CompletedProcess:
    """Run ``command`` through a shell pipeline from the project folder, with bash's
    PIPESTATUS (each command's exit status) printed to stderr at the end."""
    return subprocess.run(
        ["bash", "-c", f'{command}; echo "status ${{PIPESTATUS[*]}}" >&2'],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_invoke_related_closes_quietly_when_the_reader_stops_early():
    for form, first in (("--json", "{"), ("raise-your-prices-early", "Related stories for")):
        head = _pipe(f"{INVOKE} related {form} | head -1")
        assert head.stdout.startswith(first) and head.stdout.count("\n") == 1
        # a reader gone before anything is written: the pipe is surely closed by then
        gone = _pipe(f"{INVOKE} related {form} | true")
        for result in (head, gone):
            assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr
            assert "Exception ignored" not in result.stderr
        # invoke stops with 1, as Python advises for a closed pipe; the pipeline's own
        # status is the reader's
        assert gone.stderr.rstrip().endswith("status 1 0")


STORIES = {
    "bread.md": _post("Bread", BREAD),
    "rye.md": _post("Rye", BREAD + " Rye flour too.", Date="2026-01-04 09:00"),
    "bikes.md": _post("Bikes", "Chains, gears and tyres on a long bicycle ride.", Category="Sport"),
    "tyres.md": _post("Tyres", "Tyres and chains wear on every bicycle ride.", Category="Sport"),
    "ovens.md": _post("Ovens", "A hot oven and a baking stone.", Date="2026-01-03 09:00"),
}

WARM_BUILD = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from conftest import build
build(Path(sys.argv[2]), content=Path(sys.argv[3]))
print("numpy" in sys.modules, "scipy" in sys.modules)
"""


def _rebuild_in_fresh_process(output: Path, content: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", WARM_BUILD, str(ROOT / "tests"), str(output), str(content)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.split()[-2:]


def test_an_unchanged_site_is_not_ranked_again_and_its_pages_are_the_same(tmp_path):
    content = write_site(tmp_path, STORIES)
    output = tmp_path / "output"
    assert _rebuild_in_fresh_process(output, content) == ["True", "True"]  # ranked
    first = {p: (output / p).read_bytes() for p in ("bread/index.html", "tyres/index.html")}
    assert _block_paths(page(output, "bread/"))[0] == "/rye/"
    # the second build reads the lists the first one ranked: numpy and scipy never load
    assert _rebuild_in_fresh_process(output, content) == ["False", "False"]
    assert {p: (output / p).read_bytes() for p in first} == first


def test_one_changed_word_ranks_again_and_the_pages_follow(tmp_path):
    content = write_site(tmp_path, STORIES)
    output = tmp_path / "output"
    build(output, content=content)
    assert _block_paths(page(output, "ovens/"))[0] in {"/bread/", "/rye/"}
    (content / "ovens.md").write_text(
        _post("Ovens", "Tyres, chains and gears on a bicycle ride.", Date="2026-01-03 09:00"),
        encoding="utf-8",
    )
    build(output, content=content)
    assert _block_paths(page(output, "ovens/"))[0] in {"/bikes/", "/tyres/"}


def test_changed_related_settings_rank_again(tmp_path):
    content = write_site(tmp_path, STORIES)
    output = tmp_path / "output"
    build(output, content=content)
    assert _block_paths(page(output, "rye/"))[0] == "/bread/"
    before = _block_paths(page(output, "bread/"))
    build(output, content=content, BYLINE_RELATED_OLDER_ONLY=True)  # bread is newer than rye
    assert "/bread/" not in _block_paths(page(output, "rye/"))
    build(output, content=content, BYLINE_RELATED_WEIGHTS={"text": 0.0, "section": 1.0})
    weighed = _block_paths(page(output, "bread/"))
    assert weighed and weighed != before  # with text weighed at nothing the order is another


def test_a_damaged_related_cache_is_only_a_miss(tmp_path):
    content = write_site(tmp_path, STORIES)
    output = tmp_path / "output"
    build(output, content=content)
    expected = {slug: _block_paths(page(output, f"{slug}/")) for slug in ("bread", "bikes")}
    cache = tmp_path / "cache" / "byline-related.json"
    assert cache.is_file()
    for damage in ('{"key": "x", "lists": 3}', "not json at all", '{"key": '):
        cache.write_text(damage, encoding="utf-8")
        build(output, content=content)
        assert {slug: _block_paths(page(output, f"{slug}/")) for slug in expected} == expected
