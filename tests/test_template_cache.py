"""The theme's compiled templates are kept between builds, and an edited template is
never served from that cache."""

from __future__ import annotations

import shutil

from byline.template_cache import FOLDER, settings_key
from conftest import ROOT, build, page, write_site
from jinja2 import Environment

POST = (
    "Title: Closing the books early\nDate: 2026-08-25 09:00\nCategory: Money\n"
    "Summary: Why the books close early.\n\nA few plain words.\n"
)


def test_a_rebuild_compiles_nothing_and_an_edited_template_shows(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    content = write_site(tmp_path, {"books.md": POST})
    output = build(tmp_path / "output", content=content, THEME=str(theme))
    kept = tmp_path / "cache" / FOLDER
    first = {p: p.stat().st_mtime_ns for p in kept.rglob("*.cache")}
    assert first  # the theme's templates, compiled once
    html = (output / "books/index.html").read_bytes()

    build(tmp_path / "output", content=content, THEME=str(theme))
    assert {p: p.stat().st_mtime_ns for p in kept.rglob("*.cache")} == first
    assert (output / "books/index.html").read_bytes() == html

    article = theme / "templates" / "article.html"
    article.write_text(
        article.read_text().replace('<div class="standfirst">', '<div class="standfirst edited">')
    )
    build(tmp_path / "output", content=content, THEME=str(theme))
    assert page(output, "books/").xpath("//div[@class='standfirst edited']")


def test_other_template_settings_keep_their_own_compiled_code():
    plain = Environment()
    assert settings_key(plain) == settings_key(Environment())
    assert settings_key(Environment(trim_blocks=True)) != settings_key(plain)
    assert settings_key(Environment(autoescape=True)) != settings_key(plain)
    assert settings_key(Environment(extensions=["jinja2.ext.do"])) != settings_key(plain)
