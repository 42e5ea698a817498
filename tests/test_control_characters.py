"""Control characters pasted into a post never reach a feed, an email or a manifest."""

from __future__ import annotations

import json

import feedparser
from conftest import build, page, write_site

AUTHORS = '["Ann Lee"]\nrole = "Ann Lee runs a shop."\nbio = "Bio."\n'


def _post(title: str = "A post", body: str = "Body of the post.", **fields: str) -> str:
    header = {
        "Title": title,
        "Date": "2026-02-03 10:00",
        "Author": "Ann Lee",
        "Category": "Money",
        "Summary": "A standfirst.",
        **fields,
    }
    return "\n".join(f"{k}: {v}" for k, v in header.items()) + f"\n\n{body}\n"


def _publish(tmp_path, files: dict[str, str]):
    content = write_site(tmp_path, {"authors.toml": AUTHORS, **files})
    return build(tmp_path / "output", "publishconf.py", content=content)


def test_a_word_soft_return_in_a_title_builds_with_valid_feeds(tmp_path, warnings_log):
    output = _publish(tmp_path, {"soft.md": _post(title="A\x0bB")})

    assert page(output, "soft/").xpath("string(//h1)") == "A B"
    for name in ("feeds/all.atom.xml", "feeds/all.rss.xml", "feeds/section/money.atom.xml"):
        feed = feedparser.parse((output / name).read_bytes())
        assert not feed.bozo, (name, feed.bozo_exception)
        assert [entry.title for entry in feed.entries] == ["A B"]
    [message] = [m for m in warnings_log() if "soft.md" in m and "held control" in m]
    assert "Title" in message and "U+000B" in message and "removed" in message


def test_every_metadata_field_is_cleaned_once_per_field(tmp_path, warnings_log):
    output = _publish(
        tmp_path,
        {
            "many.md": _post(
                title="Line\u2028separator",
                Summary="Next\x85line and a bell\x07 here.",
                Tags="cash\x0cflow, prices",
                Category="Mo\x1fney",
            )
        },
    )

    doc = page(output, "many/")
    assert doc.xpath("string(//h1)") == "Line separator"
    assert doc.xpath("string(//div[@class='standfirst'])") == "Next line and a bell here."
    assert (output / "tag" / "cash-flow" / "index.html").is_file()
    assert (output / "section" / "mo-ney" / "index.html").is_file()
    for path in output.rglob("*"):
        if path.suffix in {".html", ".xml", ".json", ".txt"}:
            text = path.read_text(encoding="utf-8")
            assert not any(char in text for char in "\x0b\x0c\x07\x1f\x85\u2028"), path
    messages = [m for m in warnings_log() if "many.md" in m and "held control" in m]
    assert sorted(m.split(":")[1].split(" held")[0].strip() for m in messages) == [
        "Category",
        "Summary",
        "Tags",
        "Title",
    ]
    assert any("Summary" in m and "U+0085" in m and "U+0007" in m for m in messages)


def test_a_control_character_in_the_body_cannot_break_the_feed(tmp_path, warnings_log):
    output = _publish(tmp_path, {"body.md": _post(body="Cash\x0bflow and\x1b more.")})

    feed = feedparser.parse((output / "feeds/all.atom.xml").read_bytes())
    assert not feed.bozo
    assert "Cash flow and more." in feed.entries[0].content[0].value
    assert any("body.md" in m and "the body" in m and "U+001B" in m for m in warnings_log())


def test_the_newsletter_manifest_never_holds_a_control_character(tmp_path):
    output = _publish(tmp_path, {"n.md": _post(title="Pay\u2029day")})

    manifests = list((output / "newsletter").glob("*/manifest.json"))
    assert manifests
    for manifest in manifests:
        text = manifest.read_text(encoding="utf-8")
        assert "\u2029" not in text and "Pay day" in json.loads(text)["subject"] + text


def test_an_html_post_with_pasted_control_characters_builds_with_valid_feeds(
    tmp_path, warnings_log
):
    # Pelican also reads .html files as posts; a paste from Word reaches them just the same
    html = (
        "<html><head><title>Cash\x0bflow notes</title>"
        '<meta name="date" content="2026-02-03 10:00">'
        '<meta name="author" content="Ann Lee"><meta name="category" content="Money">'
        '<meta name="tags" content="cash\x0cflow, prices">'
        '<meta name="summary" content="Why\x07 it matters.">'
        "</head><body><p>A body with a \x1b stray escape.</p></body></html>"
    )
    output = _publish(tmp_path, {"notes.html": html})

    doc = page(output, "notes/")
    assert doc.xpath("string(//h1)") == "Cash flow notes"
    assert (output / "tag" / "cash-flow" / "index.html").is_file()
    for name in ("feeds/all.atom.xml", "feeds/all.rss.xml"):
        feed = feedparser.parse((output / name).read_bytes())
        assert not feed.bozo, (name, feed.bozo_exception)
        assert [entry.title for entry in feed.entries] == ["Cash flow notes"]
    for path in output.rglob("*.html"):
        assert not any(c in path.read_text() for c in "\x0b\x0c\x07\x1b"), path
    messages = [m for m in warnings_log() if "notes.html" in m and "held control" in m]
    assert {m.split(" held")[0].rsplit(": ", 1)[1] for m in messages} == {
        "Title",
        "Tags",
        "Summary",
        "the body",
    }
    assert all("retype the text in the file" in m and "lint" not in m for m in messages)
