"""Two things wanting one URL: the build keeps one and says so; `invoke lint` reports E211."""

from __future__ import annotations

import re

import feedparser
import pytest
from byline.lint import lint_site
from conftest import ROOT, build, page, write_site
from pelican.settings import read_settings

AUTHORS = '["Ann Lee"]\nrole = "Ann Lee runs a shop."\nbio = "Bio."\n'


def _post(title: str, date: str = "2026-02-03 10:00", **fields: str) -> str:
    header = {
        "Title": title,
        "Date": date,
        "Author": "Ann Lee",
        "Category": "Money",
        "Summary": f"About {title}.",
        **fields,
    }
    return "\n".join(f"{k}: {v}" for k, v in header.items()) + f"\n\nThe text of {title}.\n"


def _page(title: str, **fields: str) -> str:
    header = {"Title": title, "Summary": f"The {title} page.", **fields}
    return "\n".join(f"{k}: {v}" for k, v in header.items()) + f"\n\nThe {title} page text.\n"


def _e211(messages: list[str]) -> list[str]:
    return [m for m in messages if "E211" in m]


def _h1(output, url: str) -> str:
    return page(output, url).xpath("string(//h1)").strip()


def _listed(output) -> str:
    """Every title the home page and the archive list."""
    return " ".join(page(output, url).text_content() for url in ("index.html", "archives/"))


def test_two_posts_with_one_slug_keep_the_earlier(site, warnings_log):
    output = site(
        {
            "authors.toml": AUTHORS,
            "later.md": _post("The later post", "2026-03-01 09:00", Slug="shared"),
            "sooner.md": _post("The sooner post", "2026-02-01 09:00", Slug="shared"),
        }
    )

    assert _h1(output, "shared/") == "The sooner post"
    assert "The later post" not in _listed(output)
    [message] = _e211(warnings_log())
    assert "later.md" in message and "sooner.md" in message and "/shared/" in message
    assert re.search(r"keeps \S*sooner\.md and leaves \S*later\.md out", message)


def test_one_file_name_in_two_folders_keeps_the_first_path(site, warnings_log):
    output = site(
        {
            "authors.toml": AUTHORS,
            "b/notes.md": _post("Notes from b"),
            "a/notes.md": _post("Notes from a"),
        }
    )

    assert _h1(output, "notes/") == "Notes from a"
    assert "Notes from b" not in _listed(output)
    [message] = _e211(warnings_log())
    assert "a/notes.md" in message and "b/notes.md" in message and "/notes/" in message


@pytest.mark.parametrize(
    ("name", "url", "owner"),
    [("archives", "archives/", "archives page"), ("sections", "sections/", "sections page")],
)
def test_a_post_named_like_a_generated_page_leaves_the_page_alone(
    site, warnings_log, name, url, owner
):
    output = site(
        {
            "authors.toml": AUTHORS,
            "real.md": _post("A real column"),
            f"{name}.md": _post(f"A post called {name}"),
        }
    )

    generated = page(output, url).text_content()
    assert f"A post called {name}" not in generated
    assert "Money" in generated if name == "sections" else "A real column" in generated
    assert f"A post called {name}" not in _listed(output)
    [message] = _e211(warnings_log())
    assert f"{name}.md" in message and owner in message and f"/{url}" in message


def test_a_post_named_like_a_page_gives_way_to_the_page(site, warnings_log):
    output = site(
        {
            "authors.toml": AUTHORS,
            "about.md": _post("About my week"),
            "pages/about.md": _page("About"),
        }
    )

    assert _h1(output, "about/") == "About"
    assert "About my week" not in _listed(output)
    [message] = _e211(warnings_log())
    assert "content/about.md" in message and "pages/about.md" in message
    assert "/about/" in message


def test_the_newsletter_address_belongs_to_the_newsletter(tmp_path, warnings_log):
    content = write_site(
        tmp_path,
        {
            "authors.toml": AUTHORS,
            "real.md": _post("A real column"),
            "newsletter.md": _post("My newsletter post"),
        },
    )
    output = build(tmp_path / "output", "publishconf.py", content=content)

    assert not (output / "newsletter" / "index.html").exists()
    assert (output / "newsletter" / "feed.atom.xml").is_file()
    feed = feedparser.parse((output / "feeds/all.atom.xml").read_bytes())
    assert [entry.title for entry in feed.entries] == ["A real column"]
    [message] = _e211(warnings_log())
    assert "newsletter.md" in message and "newsletter archive" in message


def test_a_page_named_like_a_generated_page_leaves_it_alone(site, warnings_log):
    output = site(
        {
            "authors.toml": AUTHORS,
            "real.md": _post("A real column"),
            "pages/archives.md": _page("Old archives"),
        }
    )

    assert "A real column" in page(output, "archives/").text_content()
    assert "Old archives" not in page(output, "archives/").text_content()
    [message] = _e211(warnings_log())
    assert "pages/archives.md" in message and "archives page" in message


def test_tags_and_sections_without_letters_get_usable_pages(site, warnings_log):
    output = site(
        {
            "authors.toml": AUTHORS,
            "odd.md": _post("Odd labels", Category="\U0001f4b0", Tags='"}, \U0001f642, prices'),
        }
    )

    article = page(output, "odd/")
    links = {a.text_content().strip(): a.get("href") for a in article.xpath("//a[@href]")}
    for label, folder in (('"}', "tag"), ("\U0001f642", "tag"), ("\U0001f4b0", "section")):
        href = links[label]
        assert re.fullmatch(rf"(\.\./)*{folder}/{folder}-[0-9a-f]{{8}}/", href), href
        assert "Odd labels" in page(output, href.replace("../", "")).text_content()
    assert links["prices"].endswith("tag/prices/")
    assert not (output / "tag" / "index.html").exists()
    messages = [m for m in warnings_log() if "odd.md" in m and "no letters or digits" in m]
    assert len(messages) == 3


def test_slugs_for_labels_without_letters_are_stable(tmp_path):
    files = {"authors.toml": AUTHORS, "odd.md": _post("Odd", Tags="\U0001f642")}
    first = build(tmp_path / "one", content=write_site(tmp_path / "a", files))
    second = build(tmp_path / "two", content=write_site(tmp_path / "b", files))
    assert sorted(p.name for p in (first / "tag").iterdir()) == sorted(
        p.name for p in (second / "tag").iterdir()
    )


def test_lint_reports_every_collision_as_e211_naming_both_files(tmp_path):
    content = write_site(
        tmp_path,
        {
            "authors.toml": AUTHORS,
            "later.md": _post("The later post", "2026-03-01 09:00", Slug="shared"),
            "sooner.md": _post("The sooner post", "2026-02-01 09:00", Slug="shared"),
            "a/notes.md": _post("Notes from a"),
            "b/notes.md": _post("Notes from b"),
            "archives.md": _post("A post called archives"),
            "sections.md": _post("A post called sections"),
            "newsletter.md": _post("My newsletter post"),
            "about.md": _post("About my week"),
            "pages/about.md": _page("About"),
            "fine.md": _post("A fine post"),
        },
    )
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(content)})

    found = [f for f in lint_site(content, settings) if f.code == "E211"]
    by_file: dict[str, list[str]] = {}
    for finding in found:
        assert finding.severity == "error"
        by_file.setdefault(finding.path.removeprefix(str(content) + "/"), []).append(
            finding.message
        )
    assert sorted(by_file) == [
        "a/notes.md",
        "about.md",
        "archives.md",
        "b/notes.md",
        "later.md",
        "newsletter.md",
        "pages/about.md",
        "sections.md",
        "sooner.md",
    ]
    [later] = by_file["later.md"]
    assert "sooner.md" in later and "/shared/" in later
    [notes] = by_file["b/notes.md"]
    assert "a/notes.md" in notes and "/notes/" in notes
    [about] = by_file["about.md"]
    assert "pages/about.md" in about and "/about/" in about
    assert "archives page (ARCHIVES_SAVE_AS)" in by_file["archives.md"][0]
    assert "/sections/" in by_file["sections.md"][0]
    assert "newsletter archive" in by_file["newsletter.md"][0]
