"""The publish gate: what a careless week leaves behind never reaches readers.

Each refusal runs `invoke publish` as a user does, in a copy of the project, and checks
that nothing was refreshed, built into public/ or deployed. The lint codes behind the
gate (E217 placeholders, E218 missing hero files) are checked on real files too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from byline.drafts import (
    PLACEHOLDER_AUTHOR,
    UnknownAuthorError,
    choose_author,
    draft_text,
)
from byline.lint import exit_code, lint_file, lint_site, lint_text
from conftest import ROOT, copy_project

INVOKE = Path(sys.executable).parent / "invoke"
NOW = datetime(2026, 11, 25, 12, 0)
CLEAN = (
    "Title: Hello\nDate: 2026-01-06 09:00\nAuthor: Maya Okafor\nCategory: Money\n"
    "Summary: Hi there.\n\nA clean post.\n"
)
PUBLIC_URL = "https://www.thecounter.co.uk"  # never contacted: a build touches no network


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project with one clean post, deploying to a local folder."""
    root = copy_project(tmp_path / "project", data=True)
    shutil.copy(ROOT / "data" / "pageviews-export.csv", root / "data" / "pageviews-export.csv")
    (root / "content" / "hello.md").write_text(CLEAN)
    with open(root / "pelicanconf.py", "a") as conf:
        conf.write(f'\nBYLINE_DEPLOY_TARGET = "folder"\nBYLINE_DEPLOY_FOLDER = "{tmp_path}/live"\n')
    return root


def run(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`invoke ARGS` in the project, with a clean environment plus ``env``."""
    environ = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), **env}
    return subprocess.run(
        [str(INVOKE), *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=180,
        env=environ,
    )


def assert_nothing_happened(project: Path) -> None:
    """Refused before the pageview refresh, the production build and the deploy."""
    assert not (project / "data" / "pageviews.json").exists()
    assert not (project / "public").exists()
    assert not (project.parent / "live").exists()


def _published_draft(project: Path) -> Path:
    """The issue's first week: new-post, delete `Status: draft`, nothing else."""
    made = run(project, "new-post", "Why we stopped discounting")
    assert made.returncode == 0, made.stderr
    post = project / "content" / "why-we-stopped-discounting.md"
    post.write_text(post.read_text().replace("Status: draft\n", ""))
    return post


# --- the refusals, one by one ---------------------------------------------------------


def test_a_published_draft_with_placeholders_is_refused_naming_file_and_line(project):
    _published_draft(project)
    result = run(project, "publish", BYLINE_SITEURL=PUBLIC_URL)
    assert result.returncode != 0
    where = "content/why-we-stopped-discounting.md"
    assert f"{where}:4:11: E217 Category still holds the placeholder" in result.stdout
    assert "TODO Section, e.g. Money" in result.stdout
    for line in (5, 6, 9, 10, 12):  # tags, summary, alt, credit, the body
        assert f"{where}:{line}:" in result.stdout
    assert f"{where}:8:8: E218" in result.stdout  # the hero new-post named is not there
    assert "Nothing was published" in result.stderr
    assert_nothing_happened(project)

    # `invoke lint` says the same, as errors, and fails
    lint = run(project, "lint")
    assert lint.returncode != 0
    assert f"{where}:4:11: E217" in lint.stdout and f"{where}:8:8: E218" in lint.stdout


def test_the_draft_itself_is_not_refused(project):
    made = run(project, "new-post", "Why we stopped discounting")
    assert made.returncode == 0, made.stderr
    lint = run(project, "lint")
    assert "E217" not in lint.stdout and "E218" not in lint.stdout
    result = run(project, "publish", BYLINE_SITEURL=PUBLIC_URL)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (project.parent / "live" / "why-we-stopped-discounting").exists()


def test_a_missing_hero_file_is_refused(project):
    (project / "content" / "hero.md").write_text(
        CLEAN.replace(
            "Summary:",
            "Image: images/heroes/hero.jpg\nImage_alt: A till\nImage_credit: Ann Lee\nSummary:",
        )
    )
    result = run(project, "publish", BYLINE_SITEURL=PUBLIC_URL)
    assert result.returncode != 0
    assert 'content/hero.md:5:8: E218 Image "images/heroes/hero.jpg"' in result.stdout
    assert "content/images/heroes/hero.jpg" in result.stdout
    assert_nothing_happened(project)


def test_the_shipped_placeholder_address_is_refused_naming_publishconf(project):
    result = run(project, "publish")
    assert result.returncode != 0
    lines = (project / "publishconf.py").read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("SITEURL ="))
    assert (
        f"publishconf.py:{line}: https://thecounter.example.com is the placeholder Byline ships "
        "with" in result.stderr
    )
    assert "BYLINE_ALLOW_NON_PUBLIC_URL=1" in result.stderr  # the way through, named
    assert_nothing_happened(project)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://192.168.1.20", "private address"),
        ("http://127.0.0.1:8000", "loopback"),
        ("https://news.thecounter.test", "reserved name"),
        ("http://0.0.0.0", "unspecified"),
    ],
)
def test_a_site_url_readers_cannot_reach_is_refused(project, url, why):
    result = run(project, "publish", BYLINE_SITEURL=url)
    assert result.returncode != 0
    assert f"publish: BYLINE_SITEURL (environment): {url}" in result.stderr
    assert why in result.stderr
    assert_nothing_happened(project)


def test_the_override_lets_a_private_address_through_and_says_so(project):
    result = run(
        project, "publish", BYLINE_SITEURL="http://192.168.1.20", BYLINE_ALLOW_NON_PUBLIC_URL="1"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Note: BYLINE_ALLOW_NON_PUBLIC_URL is set" in result.stdout
    assert "http://192.168.1.20" in result.stdout and "private address" in result.stdout
    html = (project.parent / "live" / "hello" / "index.html").read_text()
    assert 'rel="canonical" href="http://192.168.1.20/hello/"' in html
    assert (project / "data" / "pageviews.json").is_file()  # the refresh ran after the gate


def test_a_lint_error_is_refused_and_nothing_is_built(project):
    (project / "content" / "oops.md").write_text(CLEAN.replace("Hi there.", "It doesn?t."))
    result = run(project, "publish", BYLINE_SITEURL=PUBLIC_URL)
    assert result.returncode != 0
    assert "content/oops.md:5:18: E101" in result.stdout
    assert_nothing_happened(project)


def test_every_problem_is_reported_in_one_run(project):
    _published_draft(project)
    (project / "content" / "oops.md").write_text(CLEAN.replace("Hi there.", "It doesn?t."))
    with open(project / "pelicanconf.py", "a") as conf:
        conf.write('\nBYLINE_DEPLOY_FOLDER = ""\n')
    result = run(project, "publish")
    assert result.returncode != 0
    assert "E217" in result.stdout and "E218" in result.stdout and "E101" in result.stdout
    assert "the placeholder Byline ships with" in result.stderr
    assert "BYLINE_DEPLOY_FOLDER" in result.stderr
    assert "content error(s)" in result.stderr and "2 setting problem(s)" in result.stderr
    assert_nothing_happened(project)


def test_switching_lint_off_does_not_let_a_placeholder_through(project):
    post = _published_draft(project)
    post.write_text("Lint: off\n" + post.read_text())
    with open(project / "pelicanconf.py", "a") as conf:
        conf.write('\nBYLINE_LINT_DISABLE = ["E217", "E218"]\n')
    assert run(project, "lint").returncode == 0  # the writer silenced lint ...
    result = run(project, "publish", BYLINE_SITEURL=PUBLIC_URL)
    assert result.returncode != 0  # ... but not the gate
    assert "content/why-we-stopped-discounting.md:5:11: E217" in result.stdout
    assert_nothing_happened(project)


def test_gh_pages_is_gated_too(project):
    bare = project.parent / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "remote", "add", "origin", str(bare)], cwd=project, check=True)
    _published_draft(project)
    result = run(project, "gh-pages", BYLINE_SITEURL=PUBLIC_URL)
    assert result.returncode != 0 and "E217" in result.stdout
    branches = subprocess.run(
        ["git", "--git-dir", str(bare), "branch", "--list"], capture_output=True, text=True
    ).stdout
    assert "gh-pages" not in branches
    assert not (project / "public").exists()


# --- the lint codes behind it ---------------------------------------------------------


def test_every_placeholder_new_post_writes_is_an_error_once_the_draft_goes_live():
    draft = draft_text("Stop discounting", PLACEHOLDER_AUTHOR, "TODO Section, e.g. Money", NOW)
    assert not {f.code for f in lint_text(draft, now=NOW)} & {"E217", "W216"}
    live = draft.replace("Status: draft\n", "")
    findings = lint_text(live, now=NOW)
    placeholders = sorted({f.line for f in findings if f.code == "E217"})
    # author, section, tags, standfirst, alt text, credit, and the three body paragraphs
    assert placeholders == [3, 4, 5, 6, 9, 10, 12, 13, 15, 16]
    assert not {f.line for f in findings if f.code == "W216"} & set(placeholders)
    assert exit_code(findings) == 1


def test_a_todo_the_writer_typed_stays_a_warning():
    post = CLEAN.replace("A clean post.", "My TODO list is long.")
    codes = {f.code: f.severity for f in lint_text(post, now=NOW)}
    assert codes == {"W216": "warning"}


def test_hero_files_are_checked_against_the_content_folder(tmp_path):
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    (content / "images" / "till.jpg").write_bytes(
        (ROOT / "content" / "images" / "social-card.jpg").read_bytes()
    )
    head = "Title: T\nDate: 2026-01-06 09:00\nSummary: S.\nImage_alt: A\nImage_credit: C\n"
    posts = {
        "present.md": "Image: images/till.jpg\n",
        "leading-slash.md": "Image: /images/till.jpg\n",
        "remote.md": "Image: https://cdn.example.com/till.jpg\n",
        "typo.md": "Image: images/tilll.jpg\n",
        "draft.md": "Image: images/none.jpg\nStatus: draft\n",
    }
    for name, image in posts.items():
        (content / name).write_text(head + image + "\nBody.\n")
    found = [
        (Path(f.path).name, f.line, f.code, f.message)
        for f in lint_site(content, {}, NOW)
        if f.code == "E218"
    ]
    assert [entry[:3] for entry in found] == [("typo.md", 6, "E218")]
    assert 'did you mean "images/till.jpg"?' in found[0][3]
    alone = lint_file(content / "typo.md", now=NOW)  # no site: nothing to check against
    assert "E218" not in {f.code for f in alone}


# --- new-post's byline ------------------------------------------------------------------


def test_choose_author_prefers_the_option_then_the_setting_then_author():
    known = {"Maya Okafor", "Priya Nair"}
    assert choose_author("Priya Nair", "Maya Okafor", "X", known) == "Priya Nair"
    assert choose_author("", "Priya Nair", "Maya Okafor", known) == "Priya Nair"
    assert choose_author("", "", "Maya Okafor", known) == "Maya Okafor"
    assert choose_author("", "", "", known) == PLACEHOLDER_AUTHOR
    assert choose_author("Anyone", "", "", None) == "Anyone"  # no authors file to check
    with pytest.raises(UnknownAuthorError) as error:
        choose_author("", "Priya Niar", "", known, "content/authors.toml")
    assert 'BYLINE_DEFAULT_AUTHOR "Priya Niar" is not in content/authors.toml' in str(error.value)


def test_new_post_author_option_and_default_setting(project):
    made = run(project, "new-post", "Pay on time", "--author", "Priya Nair")
    assert made.returncode == 0, made.stderr
    assert "Author: Priya Nair\n" in (project / "content" / "pay-on-time.md").read_text()

    wrong = run(project, "new-post", "Pay late", "--author", "Pryia Nair")
    assert wrong.returncode != 0
    assert '--author "Pryia Nair" is not in content/authors.toml' in wrong.stderr
    assert '"Maya Okafor", "Priya Nair", "Tomás Reyes"' in wrong.stderr
    assert not (project / "content" / "pay-late.md").exists()

    with open(project / "pelicanconf.py", "a") as conf:
        conf.write('\nBYLINE_DEFAULT_AUTHOR = "Tomás Reyes"\n')
    made = run(project, "new-post", "Sharpen first")
    assert made.returncode == 0, made.stderr
    assert "Author: Tomás Reyes\n" in (project / "content" / "sharpen-first.md").read_text()


def test_new_post_without_any_author_writes_the_placeholder(project):
    conf = project / "pelicanconf.py"
    conf.write_text(conf.read_text().replace('AUTHOR = "Maya Okafor"\n', ""))
    made = run(project, "new-post", "Nobody yet")
    assert made.returncode == 0, made.stderr
    assert "Author: TODO Your name\n" in (project / "content" / "nobody-yet.md").read_text()


def test_the_build_shows_a_placeholder_as_a_warning_and_goes_on(site, warnings_log):
    live = draft_text("Stop discounting", "Maya Okafor", "TODO Section, e.g. Money", NOW)
    output = site({"stop-discounting.md": live.replace("Status: draft\n", "")})
    assert (output / "stop-discounting" / "index.html").is_file()  # the build went on
    shown = [m for m in warnings_log() if "E217" in m]
    assert any("stop-discounting.md:4:11: E217 Category still holds" in m for m in shown)
    # The missing hero is said once, by the build (E218), not again by its lint pass.
    hero = [m for m in warnings_log() if "E218" in m and "stop-discounting.jpg" in m]
    assert len(hero) == 1 and "without a hero image" in hero[0]
