"""The invoke tasks a user runs, run as the user runs them, in a copy of the project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

INVOKE = Path(sys.executable).parent / "invoke"
QUICKSTART_TASKS = [
    "clean",
    "build",
    "rebuild",
    "regenerate",
    "serve",
    "reserve",
    "preview",
    "livereload",
    "publish",
    "gh-pages",
]


@pytest.fixture
def project(tmp_path) -> Path:
    for name in ("tasks.py", "pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    for name in ("theme", "plugins"):
        os.symlink(ROOT / name, tmp_path / name)
    (tmp_path / "content").mkdir()
    shutil.copy(ROOT / "content" / "authors.toml", tmp_path / "content" / "authors.toml")
    return tmp_path


def invoke(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(INVOKE), *args], cwd=project, capture_output=True, text=True, timeout=120
    )


def test_every_quickstart_task_and_new_post_is_there(project):
    listed = invoke(project, "--list").stdout.split()
    for name in [*QUICKSTART_TASKS, "new-post"]:
        assert name in listed, name


def test_new_post_writes_a_draft_that_builds_as_a_draft(project):
    result = invoke(project, "new-post", "Why we stopped discounting")
    assert result.returncode == 0, result.stderr
    post = project / "content" / "why-we-stopped-discounting.md"
    text = post.read_text()
    assert "Title: Why we stopped discounting" in text and "Status: draft" in text
    assert "Author: Maya Okafor" in text  # the first author in authors.toml
    again = invoke(project, "new-post", "Why we stopped discounting")
    assert again.returncode != 0 and "already exists" in again.stderr
    assert post.read_text() == text

    built = invoke(project, "build")
    assert built.returncode == 0, built.stderr
    assert (project / "output" / "drafts" / "why-we-stopped-discounting.html").is_file()
    assert not (project / "output" / "why-we-stopped-discounting").exists()


def test_preview_builds_the_production_site(project):
    post = "Title: Hello\nDate: 2026-01-02 09:00\nAuthor: Maya Okafor\nSummary: Hi.\n\nBody.\n"
    (project / "content" / "hello.md").write_text(post)
    result = invoke(project, "preview")
    assert result.returncode == 0, result.stderr
    html = (project / "output" / "hello" / "index.html").read_text()
    assert 'rel="canonical" href="https://thecounter.example.com/hello/"' in html
    assert (project / "output" / "feeds" / "all.atom.xml").is_file()


def test_publish_refuses_without_a_server_and_says_which_settings(project):
    result = invoke(project, "publish")
    assert result.returncode != 0
    assert "BYLINE_DEPLOY_SSH_HOST" in result.stderr and "pelicanconf.py" in result.stderr
    assert not (project / "output" / "index.html").exists()


def _send_project(project: Path) -> dict[str, str]:
    data = project / "data"
    data.mkdir(exist_ok=True)
    shutil.copy(ROOT / "data" / "subscribers.example.csv", data / "subscribers.csv")
    post = "Title: Hello\nDate: 2026-01-06 09:00\nAuthor: Maya Okafor\nSummary: Hi.\n\nBody.\n"
    (project / "content" / "hello.md").write_text(post)
    assert invoke(project, "build").returncode == 0
    return {"PATH": os.environ["PATH"], "BYLINE_UNSUBSCRIBE_SECRET": "s3cret-for-tests"}


def test_newsletter_send_dry_run_writes_eml_files_and_reports_bad_rows(project):
    env = _send_project(project)
    result = subprocess.run(
        [str(INVOKE), "newsletter.send", "--dry-run"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    emls = sorted((project / "data" / "send-dry-run").rglob("*.eml"))
    assert [p.name.split("-", 1)[1] for p in emls] == [
        "reader.one@example.com.eml",
        "reader.two@example.net.eml",
    ]
    assert "line 6 'not-an-address': not a valid email address" in result.stdout
    assert "duplicate address" in result.stdout and "status 'unsubscribed'" in result.stdout
    assert "s3cret-for-tests" not in "".join(p.read_text() for p in emls)


def test_newsletter_send_asks_first_and_sends_nothing_without_an_answer(project):
    env = _send_project(project)
    env["BYLINE_SMTP_PASSWORD"] = "pw-for-tests"  # the server is never reached
    result = subprocess.run(
        [str(INVOKE), "newsletter.send"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode != 0
    assert "2 recipient(s)" in result.stdout and "nothing was sent" in result.stderr
    assert (
        not (project / "data" / "send-ledger.jsonl").exists()
        or "sent" not in (project / "data" / "send-ledger.jsonl").read_text()
    )
