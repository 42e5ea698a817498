"""Bad posts build with a warning that names the file and says what to do."""

from __future__ import annotations

from conftest import page

GOOD_AUTHORS = '["Ann Lee"]\nrole = "Ann Lee runs a shop."\nbio = "Bio."\n'


def _post(**fields) -> str:
    header = {
        "Title": "A post",
        "Date": "2026-02-03 10:00",
        "Author": "Ann Lee",
        "Summary": "A standfirst.",
    }
    header.update(fields)
    lines = [f"{k}: {v}" for k, v in header.items() if v is not None]
    return "\n".join(lines) + "\n\nBody of the post.\n"


def test_malformed_date_builds_with_warning(site, warnings_log):
    output = site({"authors.toml": GOOD_AUTHORS, "bad-date.md": _post(Date="2026-13-45 25:99")})
    assert page(output, "bad-date/").xpath("string(//h1)") == "A post"
    [message] = [m for m in warnings_log() if "bad-date.md" in m]
    assert "Date '2026-13-45 25:99'" in message and "YYYY-MM-DD HH:MM" in message


def test_malformed_modified_is_ignored_with_warning(site, warnings_log):
    output = site({"authors.toml": GOOD_AUTHORS, "m.md": _post(Modified="last tuesday-ish")})
    assert not page(output, "m/").xpath("//*[@class='byline-updated']")
    assert any("m.md" in m and "Modified 'last tuesday-ish'" in m for m in warnings_log())


def test_missing_date_builds_with_warning(site, warnings_log):
    output = site({"authors.toml": GOOD_AUTHORS, "undated.md": _post(Date=None)})
    assert page(output, "undated/").xpath("//time")
    assert any("undated.md" in m and "E214 missing Date" in m for m in warnings_log())


def test_unknown_author_builds_without_bio_and_warns(site, warnings_log):
    output = site({"authors.toml": GOOD_AUTHORS, "guest.md": _post(Author="Guest Writer")})
    doc = page(output, "guest/")
    assert doc.xpath("string(//a[@rel='author'])") == "Guest Writer"
    assert not doc.xpath("//aside[@class='author-bio']")
    [message] = [m for m in warnings_log() if "guest.md" in m]
    assert 'E210 author "Guest Writer" is not in authors.toml' in message
    assert '["Guest Writer"]' in message


def test_missing_image_builds_without_hero_and_warns(site, warnings_log):
    output = site(
        {
            "authors.toml": GOOD_AUTHORS,
            "pic.md": _post(Image="images/gone.jpg", Image_alt="A picture"),
        }
    )
    assert not page(output, "pic/").xpath("//figure[@class='hero']")
    [message] = [m for m in warnings_log() if "pic.md" in m and "E218" in m]
    assert 'Image "images/gone.jpg" is not in the content folder' in message
    assert "without a hero image" in message


def test_image_without_alt_warns_and_prints_empty_alt(site, warnings_log):
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x08"
        b"\x08\x02\x00\x00\x00\x00\x00\x00\x00"
    )
    output = site(
        {"authors.toml": GOOD_AUTHORS, "images/p.png": png, "noalt.md": _post(Image="images/p.png")}
    )
    img = page(output, "noalt/").xpath("//figure[@class='hero']/img")[0]
    assert img.get("alt") == "" and (img.get("width"), img.get("height")) == ("16", "8")
    assert any("noalt.md" in m and "E205" in m and "Image_alt" in m for m in warnings_log())


def test_missing_summary_builds_with_description_from_body_and_warns(site, warnings_log):
    output = site({"authors.toml": GOOD_AUTHORS, "nosum.md": _post(Summary=None)})
    doc = page(output, "nosum/")
    assert not doc.xpath("//div[@class='standfirst']")
    assert doc.xpath("//meta[@name='description']/@content") == ["Body of the post."]
    assert any("nosum.md" in m and "E202 missing Summary" in m for m in warnings_log())


def test_broken_authors_file_is_an_error_naming_it_but_the_site_builds(site, caplog):
    output = site({"authors.toml": '["Ann Lee"\nrole = 1', "p.md": _post()})
    assert page(output, "p/").xpath("string(//h1)") == "A post"
    assert any(
        "authors.toml" in r.getMessage() and "TOML" in r.getMessage() for r in caplog.records
    )


def test_a_bio_pasted_with_a_control_character_is_one_error_not_one_per_post(site, caplog):
    # TOML refuses a Word soft return; the file is named once, with line and column, and no
    # post is then told its author is missing from a file that could not be read
    authors = '["Ann Lee"]\nrole = "Runs\x0b a shop."\nbio = "Bio."\n'
    output = site({"authors.toml": authors, "p.md": _post(), "q.md": _post(Title="Another")})
    assert page(output, "q/").xpath("string(//h1)") == "Another"
    messages = [r.getMessage() for r in caplog.records if r.levelname in ("WARNING", "ERROR")]
    [error] = [m for m in messages if "authors.toml" in m and "line 2" in m]
    assert "column" in error and ".." not in error and "without author bios" in error
    assert not [m for m in messages if "E210" in m]


def test_demo_builds_without_a_single_warning(tmp_path, warnings_log):
    from conftest import build

    build(tmp_path / "output")
    assert warnings_log() == []
