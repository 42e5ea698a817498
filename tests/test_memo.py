"""Answers kept between builds (word counts, sanitised standfirsts, image sizes and
hashes): a rebuild reuses them, and any change to what they depend on is seen."""

from __future__ import annotations

import io
import json
import logging

from byline.memo import MEMO_NAME, Memo
from conftest import build, page, write_site
from PIL import Image

HERO = "//figure[@class='hero']//img"


def picture(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(out, "JPEG")
    return out.getvalue()


def post(summary: str = "Why the books close early.", words: int = 40) -> str:
    body = " ".join(["ledger"] * words)
    return (
        "Title: Closing the books early\nDate: 2026-08-25 09:00\nAuthor: Priya Nair\n"
        f"Category: Money\nSummary: {summary}\nImage: images/heroes/desk.jpg\n"
        f"Image_alt: A desk\n\n{body}\n"
    )


def site(tmp_path, **files):
    return write_site(tmp_path, {"images/heroes/desk.jpg": picture(1600, 900), **files})


def kept_answers(caplog) -> str:
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Kept answers")]
    assert lines, [r.getMessage()[:80] for r in caplog.records]
    return lines[-1]


def test_a_rebuild_reuses_every_answer_and_prints_the_same_pages(tmp_path, caplog):
    content = site(tmp_path, **{"books.md": post()})
    caplog.set_level(logging.DEBUG, logger="byline.plugin")
    output = build(tmp_path / "output", content=content)
    first = (output / "books/index.html").read_bytes()
    assert kept_answers(caplog).startswith("Kept answers: 0 reused")
    memo = tmp_path / "cache" / MEMO_NAME
    stamp = memo.stat().st_mtime_ns
    caplog.clear()
    build(tmp_path / "output", content=content)
    assert kept_answers(caplog).endswith(" 0 worked out afresh")
    assert (output / "books/index.html").read_bytes() == first
    assert memo.stat().st_mtime_ns == stamp  # nothing new, so not rewritten


def test_an_edited_body_and_standfirst_show_on_the_rebuild(tmp_path):
    content = site(tmp_path, **{"books.md": post()})
    output = build(tmp_path / "output", content=content)
    assert page(output, "books/").xpath("string(//*[@class='reading-time'])") == "1 min read"
    (content / "books.md").write_text(
        post('Close <em>early</em><script>alert("x")</script> and sleep.', words=900)
    )
    build(tmp_path / "output", content=content)
    doc = page(output, "books/")
    assert doc.xpath("string(//*[@class='reading-time'])") == "4 min read"
    [standfirst] = doc.xpath("//div[@class='standfirst']")
    assert standfirst.xpath("string(.//em)") == "early"
    assert not standfirst.xpath(".//script") and "alert" not in standfirst.text_content()


def test_a_hero_replaced_by_one_of_another_size_shows_its_new_size(tmp_path):
    for variants in (False, True):
        root = tmp_path / f"variants-{variants}"
        content = site(root, **{"books.md": post()})
        output = build(root / "output", content=content, BYLINE_IMAGE_VARIANTS=variants)
        img = page(output, "books/").xpath(HERO)[0]
        assert int(img.get("width")) * 9 == int(img.get("height")) * 16, variants
        (content / "images/heroes/desk.jpg").write_bytes(picture(1000, 1000))
        build(root / "output", content=content, BYLINE_IMAGE_VARIANTS=variants)
        img = page(output, "books/").xpath(HERO)[0]
        assert img.get("width") == img.get("height"), (variants, img.get("width"))


def test_a_damaged_or_foreign_kept_file_is_only_a_miss(tmp_path):
    content = site(tmp_path, **{"books.md": post()})
    output = build(tmp_path / "output", content=content)
    first = (output / "books/index.html").read_bytes()
    memo = tmp_path / "cache" / MEMO_NAME
    whole = memo.read_text()
    head, body = whole.split("\n", 1)
    tables = json.loads(body)
    # a count edited by hand to nonsense: the checksum no longer matches, so not trusted
    tables["words"] = {key: "many" for key in tables["words"]}
    edited = head + "\n" + json.dumps(tables)
    other_code = json.dumps({"code": "other", "check": ""}) + "\n" + body
    for damage in ("{not json", other_code, "[]", whole[: len(whole) // 2], edited):
        memo.write_text(damage)
        build(tmp_path / "output", content=content)
        assert (output / "books/index.html").read_bytes() == first
        assert memo.read_text() == whole  # worked out again and kept afresh


def test_answers_not_used_by_a_build_are_not_kept(tmp_path):
    path = tmp_path / MEMO_NAME
    memo = Memo(path, "code-1")
    assert memo.of_text("words", "one two", lambda t: len(t.split())) == 2
    assert memo.of_text("words", "three", lambda t: len(t.split())) == 1
    memo.save()
    again = Memo(path, "code-1")
    assert again.of_text("words", "one two", lambda t: 99) == 2  # kept, not worked out
    again.save()
    tables = json.loads(path.read_text().split("\n", 1)[1])
    assert len(tables["words"]) == 1  # "three" left the site, so it left the file
    assert Memo(path, "code-2").of_text("words", "one two", lambda t: 99) == 99


def test_the_build_s_lint_sees_an_edit_and_a_changed_limit(tmp_path, warnings_log):
    # findings are kept by each file's size and time and the lint settings: an edited post
    # and a new limit each show on the very next build
    def title_warnings() -> list[str]:
        return [m for m in warnings_log() if "W201" in m and "books.md" in m]

    long_title = "Closing the books early, every single month, without one late night"
    content = write_site(
        tmp_path, {"books.md": post().replace("Closing the books early", long_title)}
    )
    build(tmp_path / "output", content=content)
    assert len(title_warnings()) == 1
    (content / "books.md").write_text(post())
    build(tmp_path / "output", content=content)
    assert len(title_warnings()) == 1  # fixed: nothing new
    (content / "books.md").write_text(post().replace("Closing the books early", long_title + "!"))
    build(tmp_path / "output", content=content)
    assert len(title_warnings()) == 2 and "68 characters" in title_warnings()[-1]
    build(tmp_path / "output", content=content, BYLINE_LINT_TITLE_MAX=40)
    assert len(title_warnings()) == 3 and "show about 40" in title_warnings()[-1]
