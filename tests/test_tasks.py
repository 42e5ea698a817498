"""The invoke tasks a user runs, run as the user runs them, in a copy of the project."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sendkit
from conftest import ROOT, copy_project

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
    return copy_project(tmp_path)


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
    assert "Author: Maya Okafor" in text  # AUTHOR in pelicanconf.py
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
    html = (project / "public" / "hello" / "index.html").read_text()
    assert 'rel="canonical" href="https://thecounter.example.com/hello/"' in html
    assert (project / "public" / "feeds" / "all.atom.xml").is_file()
    assert not (project / "output").exists()  # the local build's folder is left alone


def test_publish_refuses_without_a_server_and_says_which_settings(project):
    result = invoke(project, "publish")
    assert result.returncode != 0
    assert "BYLINE_DEPLOY_SSH_HOST" in result.stderr and "pelicanconf.py" in result.stderr
    assert not (project / "public" / "index.html").exists()


def _send_project(project: Path) -> dict[str, str]:
    data = project / "data"
    data.mkdir(exist_ok=True)
    shutil.copy(ROOT / "data" / "subscribers.example.csv", data / "subscribers.csv")
    with open(project / "publishconf.py", "a") as conf:  # these sends read the CSV
        conf.write(
            'BYLINE_SUBSCRIPTIONS_URL = ""\nBYLINE_SEND_UNSUBSCRIBE_URL = '
            '"https://thecounter.example.com/unsubscribe?email={email}&token={token}"\n'
        )
    post = "Title: Hello\nDate: 2026-01-06 09:00\nAuthor: Maya Okafor\nSummary: Hi.\n\nBody.\n"
    (project / "content" / "hello.md").write_text(post)
    assert invoke(project, "preview").returncode == 0
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
    # preview builds for the shipped placeholder address: the dry run says so, plainly.
    assert "LINKS NOT PUBLIC" in result.stdout and "thecounter.example.com" in result.stdout


def test_newsletter_send_asks_first_and_sends_nothing_without_an_answer(project):
    env = _send_project(project)
    env["BYLINE_SMTP_PASSWORD"] = "pw-for-tests"  # the server is never reached
    env["BYLINE_ALLOW_NON_PUBLIC_URL"] = "1"  # preview built for the placeholder address
    result = subprocess.run(
        [str(INVOKE), "newsletter.send"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1  # ExitCode.NOT_SENT
    assert "2 recipient(s)" in result.stdout and "nothing was sent" in result.stderr
    assert (
        not (project / "data" / "send-ledger.jsonl").exists()
        or "sent" not in (project / "data" / "send-ledger.jsonl").read_text()
    )


def test_newsletter_send_refuses_links_that_are_not_public(project):
    env = _send_project(project)
    env["BYLINE_SMTP_PASSWORD"] = "pw-for-tests"
    result = subprocess.run(
        [str(INVOKE), "newsletter.send", "--yes"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 2, result.stderr  # ExitCode.REFUSED
    assert "https://thecounter.example.com" in result.stderr
    assert "invoke preview" in result.stderr and "public/" in result.stderr
    assert not (project / "data" / "send-ledger.jsonl").exists()


# --- newsletter.send against a real SMTP server: one exit code per outcome


PUBLIC_SITE = "https://thecounter.news"  # a public-looking address; nothing fetches it
SMTP_SETTINGS = """
import os as _os
BYLINE_SEND_FROM_ADDRESS = "news@thecounter.news"
BYLINE_SEND_UNSUBSCRIBE_URL = "https://thecounter.news/unsubscribe?email={email}&token={token}"
BYLINE_SEND_SMTP_HOST = "127.0.0.1"
BYLINE_SEND_SMTP_PORT = int(_os.environ.get("TEST_SMTP_PORT", "0"))
BYLINE_SEND_SMTP_SECURITY = "none"
BYLINE_SEND_SMTP_USERNAME = ""  # aiosmtpd on 127.0.0.1 takes mail without a login
BYLINE_SEND_RATE = 0
BYLINE_SEND_RETRIES = 0
BYLINE_SEND_SMTP_TIMEOUT = 10
"""


@pytest.fixture(scope="module")
def built_for_sending(tmp_path_factory) -> Path:
    """A project with one post, built for production once (`invoke preview`)."""
    root = tmp_path_factory.mktemp("send-project")
    for name in ("tasks.py", "pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, root / name)
    for name in ("theme", "plugins"):
        os.symlink(ROOT / name, root / name)
    (root / "content").mkdir()
    shutil.copy(ROOT / "content" / "authors.toml", root / "content" / "authors.toml")
    post = "Title: Hello\nDate: 2026-01-06 09:00\nAuthor: Maya Okafor\nSummary: Hi.\n\nBody.\n"
    (root / "content" / "hello.md").write_text(post)
    with open(root / "pelicanconf.py", "a") as conf:
        conf.write(SMTP_SETTINGS)
    with open(root / "publishconf.py", "a") as conf:
        conf.write('BYLINE_SUBSCRIPTIONS_URL = ""  # these sends read data/subscribers.csv\n')
    (root / "data").mkdir()
    shutil.copy(ROOT / "data" / "subscribers.example.csv", root / "data" / "subscribers.csv")
    env = {**os.environ, "BYLINE_SITEURL": PUBLIC_SITE}
    built = subprocess.run(
        [str(INVOKE), "preview"], cwd=root, capture_output=True, text=True, timeout=120, env=env
    )
    assert built.returncode == 0, built.stderr
    return root


@pytest.fixture
def sendable(built_for_sending, tmp_path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(built_for_sending, copy, symlinks=True)
    return copy


def send(project: Path, port: int, *args: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/root"),
        "BYLINE_UNSUBSCRIBE_SECRET": "s3cret-for-tests",
        "BYLINE_SITEURL": PUBLIC_SITE,
        "TEST_SMTP_PORT": str(port),
    }
    return subprocess.run(
        [str(INVOKE), "newsletter.send", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
    )


READERS = {"reader.one@example.com", "reader.two@example.net"}


def test_newsletter_send_exits_0_when_everyone_has_it_and_2_when_asked_again(sendable):
    handler = sendkit.Recorder()
    with sendkit.Server(handler) as server:
        first = send(sendable, server.port, "--yes")
        assert first.returncode == 0, first.stdout + first.stderr
        assert handler.received() == {a: 1 for a in READERS}
        assert "commit data/newsletter/1/" in first.stdout
        assert (sendable / "data" / "newsletter" / "1" / "sent.json").is_file()
        again = send(sendable, server.port, "--yes")
    assert again.returncode == 2  # ExitCode.REFUSED: already sent
    assert "already sent" in again.stderr and "2 reader(s)" in again.stderr
    assert handler.received() == {a: 1 for a in READERS}


def test_newsletter_send_exits_3_when_readers_are_deferred(sendable):
    handler = sendkit.Recorder()
    handler.rcpt = lambda index, address: "451 4.7.1 later" if "two" in address else None
    with sendkit.Server(handler) as server:
        result = send(sendable, server.port, "--yes")
    assert result.returncode == 3, result.stdout + result.stderr
    assert "deferred (re-run to retry): reader.two@example.net" in result.stdout


def test_newsletter_send_exits_4_when_readers_failed_and_retry_failed_reaches_them(sendable):
    handler = sendkit.Recorder()
    handler.rcpt = lambda index, address: "550 5.1.1 no such user" if "two" in address else None
    with sendkit.Server(handler) as server:
        result = send(sendable, server.port, "--yes")
        assert result.returncode == 4, result.stdout + result.stderr
        assert "failed: reader.two@example.net: 550 5.1.1 no such user" in result.stdout
        handler.rcpt = None
        retry = send(sendable, server.port, "--yes", "--retry-failed")
    assert retry.returncode == 0, retry.stdout + retry.stderr
    assert handler.received() == {a: 1 for a in READERS}


def test_newsletter_send_exits_5_when_a_reader_is_uncertain(sendable):
    manifest = json.loads((sendable / "public/newsletter/1/manifest.json").read_text())
    line = {
        "time": "2026-01-09T09:00:00.000+00:00",
        "issue": manifest["id"],
        "round": 1,
        "provider": "smtp",
        "address": "reader.one@example.com",
        "state": "pending",
        "message_id": "<left-by-a-crash@thecounter.news>",
    }
    (sendable / "data" / "send-ledger.jsonl").write_text(json.dumps(line) + "\n")
    handler = sendkit.Recorder()
    with sendkit.Server(handler) as server:
        result = send(sendable, server.port, "--yes")
    assert result.returncode == 5, result.stdout + result.stderr
    assert handler.received() == {"reader.two@example.net": 1}
    assert "uncertain" in result.stdout and "--resend-uncertain" in result.stdout


def test_newsletter_send_lists_retry_failed(project):
    shown = invoke(project, "--help", "newsletter.send").stdout
    assert "--retry-failed" in shown and "--resend-uncertain" in shown


def _publishable(project: Path, **settings: str) -> dict[str, str]:
    """A clean post and deploy settings; the environment lets the placeholder URL through.

    The shipped https://thecounter.example.com is a reserved name that the publish gate
    refuses; these tests are about deploying, so they use the documented override.
    """
    post = "Title: Hello\nDate: 2026-01-06 09:00\nAuthor: Maya Okafor\nSummary: Hi there.\n\n"
    (project / "content" / "hello.md").write_text(post + "A clean post.\n")
    with open(project / "pelicanconf.py", "a") as conf:
        for name, value in settings.items():
            conf.write(f"\n{name} = {value!r}\n")
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/root"),
        "BYLINE_ALLOW_NON_PUBLIC_URL": "1",
    }


def test_publish_to_a_local_folder_prints_the_live_url(project, tmp_path):
    live = tmp_path / "live"
    env = _publishable(project, BYLINE_DEPLOY_TARGET="folder", BYLINE_DEPLOY_FOLDER=str(live))
    result = subprocess.run(
        [str(INVOKE), "publish"], cwd=project, capture_output=True, text=True, timeout=180, env=env
    )
    assert result.returncode == 0, result.stderr
    assert "Published: https://thecounter.example.com/" in result.stdout
    html = (live / "hello" / "index.html").read_text()
    assert 'href="https://thecounter.example.com/hello/"' in html
    assert (live / "feeds" / "all.atom.xml").is_file()


def test_publish_to_a_git_branch_in_a_bare_repository(project, tmp_path):
    bare = tmp_path / "remote.git"
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com"]
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "remote", "add", "origin", str(bare)], cwd=project, check=True)
    env = _publishable(project, BYLINE_DEPLOY_TARGET="github-pages")
    env.update(
        GIT_AUTHOR_NAME="T",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="T",
        GIT_COMMITTER_EMAIL="t@example.com",
    )
    result = subprocess.run(
        [str(INVOKE), "publish"], cwd=project, capture_output=True, text=True, timeout=180, env=env
    )
    assert result.returncode == 0, result.stderr
    shown = subprocess.run(
        [*git, "--git-dir", str(bare), "show", "gh-pages:hello/index.html"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "https://thecounter.example.com/hello/" in shown
    files = subprocess.run(
        ["git", "--git-dir", str(bare), "ls-tree", "--name-only", "gh-pages"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert ".nojekyll" in files and "index.html" in files


def test_a_lint_error_stops_publish_before_anything_is_deployed(project, tmp_path):
    live = tmp_path / "live"
    env = _publishable(project, BYLINE_DEPLOY_TARGET="folder", BYLINE_DEPLOY_FOLDER=str(live))
    damaged = "Title: Oops\nDate: 2026-01-07 09:00\nAuthor: Maya Okafor\nSummary: It doesn?t.\n"
    (project / "content" / "oops.md").write_text(damaged + "\nBody.\n")
    result = subprocess.run(
        [str(INVOKE), "publish"], cwd=project, capture_output=True, text=True, timeout=180, env=env
    )
    assert result.returncode != 0
    assert "content/oops.md:4:" in result.stdout and "E101" in result.stdout
    assert "Nothing was published" in result.stderr
    assert not live.exists() and not (project / "public" / "oops").exists()


def test_publish_refuses_without_a_site_url(project, tmp_path):
    env = _publishable(
        project, BYLINE_DEPLOY_TARGET="folder", BYLINE_DEPLOY_FOLDER=str(tmp_path / "live")
    )
    env["BYLINE_SITEURL"] = ""
    result = subprocess.run(
        [str(INVOKE), "publish"], cwd=project, capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode != 0 and "SITEURL is not set" in result.stderr
    assert not (tmp_path / "live").exists()


def test_lint_reports_like_a_compiler_and_fix_repairs_the_safe_ones(project):
    text = "Title: Oops\nDate: 2026-01-07 09:00\nAuthor: Maya Okafor\nSummary: Fine.\n\n"
    (project / "content" / "oops.md").write_text(
        text + "It doesn?t matter. Caf\u00c3\u00a9 time.\n"
    )
    first = invoke(project, "lint")
    assert first.returncode != 0
    assert "content/oops.md:6:9: E101" in first.stdout and "E104" in first.stdout
    fixed = invoke(project, "lint", "--fix")
    assert fixed.returncode == 0, fixed.stdout
    assert "+It doesn't matter. Café time." in fixed.stdout  # the diff is shown
    assert (project / "content" / "oops.md").read_text().endswith("It doesn't matter. Café time.\n")


def test_lint_piped_into_a_reader_that_has_gone_stops_without_a_traceback(project):
    (project / "content" / "post.md").write_text("Title: A post\nDate: 2026-01-01\n\nBody.\n")
    result = subprocess.run(
        ["bash", "-c", f'{INVOKE} lint | true; echo "status ${{PIPESTATUS[*]}}" >&2'],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr
    assert result.stderr.rstrip().endswith(" 0")  # the pipeline's status: the reader's
