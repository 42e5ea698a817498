"""Feeds, Open Graph, Twitter cards, canonical URLs and JSON-LD."""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import feedparser
from conftest import page

SITE = "https://thecounter.example.com"
TRICKY_TITLE = 'Why "cheap" is dear </script><script>alert(1)</script> & other lies'


def _json_ld(doc) -> dict:
    scripts = doc.xpath("//script[@type='application/ld+json']")
    assert len(scripts) == 1
    return json.loads(scripts[0].text)


def test_feeds_parse_and_carry_absolute_ids_in_publish_mode(demo_publish):
    for name in (
        "feeds/all.atom.xml",
        "feeds/all.rss.xml",
        "feeds/section/money.atom.xml",
        "feeds/author/priya-nair.atom.xml",
    ):
        feed = feedparser.parse((demo_publish / name).read_bytes())
        assert feed.bozo == 0, (name, feed.get("bozo_exception"))
        assert feed.entries, name
        for entry in feed.entries:
            assert urlparse(entry.id).scheme in ("tag", "https"), entry.id
            assert entry.link.startswith(SITE + "/"), entry.link
    atom = feedparser.parse((demo_publish / "feeds/all.atom.xml").read_bytes())
    assert len(atom.entries) == 13
    home = page(demo_publish, "index.html")
    assert home.xpath("//link[@type='application/atom+xml']/@href") == [
        f"{SITE}/feeds/all.atom.xml"
    ]


def test_local_build_writes_the_feeds_with_links_to_the_local_server(demo_site):
    feed = feedparser.parse((demo_site / "feeds/all.atom.xml").read_bytes())
    assert feed.entries and feed.entries[0].link.startswith("http://127.0.0.1:8000/")


def test_article_head_has_canonical_open_graph_and_twitter_tags(demo_publish):
    doc = page(demo_publish, "raise-your-prices-early/")
    url = f"{SITE}/raise-your-prices-early/"

    def meta(attribute, name):
        return doc.xpath(f"//meta[@{attribute}='{name}']/@content")

    assert doc.xpath("//link[@rel='canonical']/@href") == [url]
    assert meta("property", "og:url") == [url]
    assert meta("property", "og:type") == ["article"]
    assert meta("property", "og:title") == ["Raise your prices before you need to"]
    description = meta("name", "description")[0]
    assert description.startswith("Most price rises happen in a panic")
    assert meta("property", "og:description") == [description]
    # the hero's widest JPEG variant (EXIF-free), named by its content hash
    [image] = meta("property", "og:image")
    assert re.fullmatch(rf"{SITE}/images/variants/raise-your-prices-early-\w{{8}}-1200\.jpg", image)
    assert meta("name", "twitter:image") == [image]
    assert meta("property", "og:image:alt")[0].startswith("Abstract illustration")
    assert meta("name", "twitter:card") == ["summary_large_image"]
    assert meta("property", "article:published_time")[0].startswith("2026-09-15T09:00")


def test_every_article_has_valid_news_article_json_ld(demo_publish):
    articles = [
        p
        for p in demo_publish.glob("*/index.html")
        if page(demo_publish, str(p.relative_to(demo_publish))).xpath(
            "//article[@class='story']//p[@class='byline']"
        )
    ]
    assert len(articles) == 13
    for path in articles:
        doc = page(demo_publish, str(path.relative_to(demo_publish)))
        data = _json_ld(doc)
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == doc.xpath("string(//h1)")
        assert data["author"][0]["@type"] == "Person" and data["author"][0]["name"]
        assert data["author"][0]["url"].startswith(SITE + "/author/")
        assert data["datePublished"] and data["dateModified"] >= data["datePublished"][:10]
        assert data["image"][0].startswith(SITE + "/images/variants/")
        assert data["publisher"]["name"] == "Fernhill Works"
        assert data["publisher"]["logo"]["url"].startswith(SITE + "/")
        assert data["mainEntityOfPage"]["@id"] == doc.xpath("//link[@rel='canonical']/@href")[0]


def test_a_title_with_quotes_and_script_tag_cannot_break_the_page(site):
    output = site(
        {
            "tricky.md": f"""
                Title: {TRICKY_TITLE}
                Date: 2026-03-01 10:00
                Author: Ann Lee
                Summary: A standfirst with "quotes" & a <b>bold</b> claim.

                Body text.
            """
        }
    )
    doc = page(output, "tricky/")
    assert _json_ld(doc)["headline"] == TRICKY_TITLE
    assert _json_ld(doc)["description"] == "A standfirst with “quotes” & a bold claim."
    # the only inline script is the JSON-LD block (the other is the theme's copy-link file):
    # nothing leaked out of it
    assert len(doc.xpath("//script[not(@src)]")) == 1
    assert doc.xpath("//script[@src]/@src") == ["../theme/js/copy-link.js"]
    assert doc.xpath("string(//h1)") == TRICKY_TITLE
    assert doc.findtext(".//title").startswith(TRICKY_TITLE)
    assert doc.xpath("//meta[@property='og:title']/@content") == [TRICKY_TITLE]
