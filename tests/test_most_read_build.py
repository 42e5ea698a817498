"""Most read in real builds: the demo's sample snapshot, and "Latest" when there is none."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from byline.related_report import read_articles
from conftest import ROOT, page

INVOKE = Path(sys.executable).parent / "invoke"
TOP = [
    "late-payers-are-a-process-problem",
    "raise-your-prices-early",  # two rows in the export, one with a query string
    "stop-boosting-posts",  # a full URL in the export
    "say-no-to-friday-deadlines",  # written with index.html
    "cash-flow-is-a-calendar",  # a fragment, plus an old URL through the redirect map
]


def _block(doc):
    blocks = doc.xpath(
        "//section[contains(@class,'most-read') or contains(@class,'latest-stories')]"
    )
    assert len(blocks) == 1
    block = blocks[0]
    slugs = [a.get("href").rstrip("/").split("/")[-1] for a in block.xpath(".//h3/a")]
    return block.get("class").split()[-1], block.xpath("string(.//h2)"), slugs


def test_demo_home_shows_the_sample_snapshots_top_five_in_order(demo_site):
    assert _block(page(demo_site, "index.html")) == ("most-read", "Most read", TOP)


def test_article_page_leaves_itself_and_the_blocks_above_out_of_most_read(demo_site):
    doc = page(demo_site, "raise-your-prices-early/")
    kind, heading, slugs = _block(doc)
    assert (kind, heading) == ("most-read", "Most read")
    above = {
        a.get("href").rstrip("/").split("/")[-1]
        for a in doc.xpath(
            "//section[contains(@class,'related-stories') or contains(@class,'more-from')"
            " or contains(@class,'more-in-section')]//h3/a"
        )
    }
    # the page's own story and the five Related stories (among them late-payers, say-no
    # and cash-flow of the top five) are left out; the block tops up from further down
    assert {"late-payers-are-a-process-problem", "cash-flow-is-a-calendar"} <= above
    assert slugs == [
        "stop-boosting-posts",
        "hire-for-the-second-year",
        "buy-the-good-chisel",
        "job-ad-a-good-joiner-would-answer",
        "networking-without-the-name-badge",
    ]
    assert not above & set(slugs)


def test_every_article_knows_its_views():
    views = {a.slug: a.views for a in read_articles(ROOT / "pelicanconf.py")}
    assert views["raise-your-prices-early"] == 1204 + 377
    assert views["cash-flow-is-a-calendar"] == 964 + 118
    assert views["apprentice-taught-me-to-delegate"] == 355


def _write_snapshot(root: Path, fetched: datetime, views: dict[str, int]) -> None:
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "pageviews.json").write_text(
        json.dumps(
            {
                "version": 1,
                "source": "file",
                "window": {"start": "2026-01-01", "end": "2026-01-30", "days": 30},
                "fetched_at": fetched.isoformat(),
                "views": views,
            }
        )
    )


POSTS = {
    f"post-{i}.md": f"Title: Post {i}\nDate: 2026-01-0{i} 09:00\nSummary: s.\n\nBody {i}.\n"
    for i in range(1, 5)
}
# Only the Most read block on these pages: with four posts, Related and More from would
# list them all first and leave Most read nothing (each story is shown once per page).
ALONE = {"BYLINE_RELATED_COUNT": 0, "BYLINE_MORE_FROM_COUNT": 0}


def test_stale_snapshot_shows_latest_and_warns(site, tmp_path, warnings_log):
    _write_snapshot(tmp_path, datetime.now(UTC) - timedelta(days=30), {"/post-1/": 10})
    output = site(POSTS, BYLINE_MOST_READ_MAX_AGE_DAYS=7, **ALONE)
    assert _block(page(output, "post-1/")) == (
        "latest-stories",
        "Latest",
        ["post-4", "post-3", "post-2"],
    )
    # the home page already lists the latest stories: no second "Latest" beside the lead
    assert not page(output, "index.html").xpath("//div[contains(@class,'has-side')]")
    [message] = [m for m in warnings_log() if m.startswith("Most read")]
    assert "days old" in message and "invoke pageviews" in message


def test_fresh_snapshot_ranks_and_missing_one_falls_back(site, tmp_path, warnings_log):
    _write_snapshot(tmp_path, datetime.now(UTC), {"/post-2/": 30, "/post-3/?x=1": 50})
    output = site(POSTS, BYLINE_MOST_READ_MAX_AGE_DAYS=7, **ALONE)
    assert _block(page(output, "index.html")) == ("most-read", "Most read", ["post-3", "post-2"])
    assert not [m for m in warnings_log() if m.startswith("Most read")]

    (tmp_path / "data" / "pageviews.json").unlink()
    output = site(POSTS, **ALONE)
    assert _block(page(output, "post-1/"))[:2] == ("latest-stories", "Latest")
    assert any("no pageview snapshot" in m for m in warnings_log())


def test_failed_refresh_says_how_to_fix_and_keeps_the_snapshot(tmp_path):
    for name in ("tasks.py", "pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    for name in ("theme", "plugins", "content"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "data").mkdir()
    before = (ROOT / "data" / "pageviews.json").read_bytes()
    (tmp_path / "data" / "pageviews.json").write_bytes(before)
    with open(tmp_path / "pelicanconf.py", "a") as conf:
        conf.write(
            '\nBYLINE_PAGEVIEWS_SOURCE = "plausible"\nBYLINE_PAGEVIEWS_SITE_ID = "x.example"\n'
        )
    env = {"PATH": "/usr/bin:/bin"}  # no PLAUSIBLE_API_KEY
    result = subprocess.run(
        [str(INVOKE), "pageviews"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode != 0
    assert "PLAUSIBLE_API_KEY" in result.stderr and "unchanged" in result.stderr
    assert (tmp_path / "data" / "pageviews.json").read_bytes() == before
