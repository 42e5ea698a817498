"""HTML in a Summary never runs: the standfirst keeps inline formatting and nothing else."""

from __future__ import annotations

import feedparser
from conftest import build, page, write_site

AUTHORS = '["Ann Lee"]\nrole = "Ann Lee runs a shop."\nbio = "Bio."\n'
HOSTILE = (
    "<script>alert(1)</script> <img src=x onerror=alert(1)> *emphasis* and a "
    "[link](https://x.org), [bad](javascript:alert(2)) <iframe src=https://evil.test></iframe>"
    '<span onclick="alert(3)">tap</span>'
)


def _site(tmp_path, settings_file: str):
    content = write_site(
        tmp_path,
        {
            "authors.toml": AUTHORS,
            "post.md": (
                "Title: A post\nDate: 2026-02-03 10:00\nAuthor: Ann Lee\nCategory: Money\n"
                f"Summary: {HOSTILE}\n\nBody of the post.\n"
            ),
            "pages/about.md": f"Title: About\nSummary: {HOSTILE}\n\nAbout us.\n",
        },
    )
    return build(tmp_path / "output", settings_file, content=content)


def _assert_harmless(output) -> None:
    for path in output.rglob("*"):
        if path.suffix not in {".html", ".xml", ".json", ".txt"}:
            continue
        text = path.read_text(encoding="utf-8")
        for bad in ("alert(", "onerror", "onclick", "javascript:", "evil.test", "<img src=x"):
            assert bad not in text, (path, bad)


def test_the_standfirst_keeps_emphasis_and_links_and_nothing_that_runs(tmp_path):
    output = _site(tmp_path, "pelicanconf.py")

    for url in ("post/", "about/"):
        [standfirst] = page(output, url).xpath("//div[@class='standfirst']")
        assert standfirst.xpath("string(.//em)") == "emphasis"
        links = standfirst.xpath(".//a")
        assert [a.get("href") for a in links] == ["https://x.org", None]
        assert links[0].get("rel") == "noopener noreferrer"
        assert not standfirst.xpath(".//script | .//img | .//iframe | .//@onclick")
        assert "tap" in standfirst.text_content()
    _assert_harmless(output)


def test_feeds_carry_the_sanitised_summary(tmp_path):
    output = _site(tmp_path, "publishconf.py")

    feed = feedparser.parse((output / "feeds/all.atom.xml").read_bytes())
    summary = feed.entries[0].summary
    assert "<em>emphasis</em>" in summary and 'href="https://x.org"' in summary
    _assert_harmless(output)
