"""Local and production builds never share a folder, and `invoke serve` shows a styled site.

output/ is the local build (relative links, for `invoke serve`); public/ is the production
build (absolute links to SITEURL, what is deployed and mailed). Every test runs the tasks
as a user does, in a copy of the project.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
import pytest
from conftest import copy_project

INVOKE = Path(sys.executable).parent / "invoke"
POST = (
    "Title: Hello\nDate: 2026-01-06 09:00\nAuthor: Maya Okafor\nCategory: Money\n"
    "Summary: Hi there.\n\nA clean post.\n"
)


@pytest.fixture
def project(tmp_path) -> Path:
    root = copy_project(tmp_path / "project")
    (root / "content" / "hello.md").write_text(POST)
    return root


def run(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), **env}
    return subprocess.run(
        [str(INVOKE), *args], cwd=project, capture_output=True, text=True, timeout=180, env=environ
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


def serve_and_fetch_styles(project: Path) -> tuple[str, str]:
    """Start `invoke serve --port N`, fetch / and its stylesheet; (stylesheet href, stdout)."""
    port = free_port()
    server = subprocess.Popen(
        [str(INVOKE), "serve", "--port", str(port)],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root")},
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, _, body = fetch(base)
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "invoke serve did not start"
                time.sleep(0.3)
        assert status == 200
        href = lxml.html.fromstring(body).xpath("//link[@rel='stylesheet']/@href")[0]
        status, kind, css = fetch(urljoin(base, href))
        assert status == 200 and kind.startswith("text/css")
        assert b".story" in css or b"body" in css  # the theme's stylesheet, not an error page
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    return href, output


def test_build_then_serve_shows_a_styled_site(project):
    assert run(project, "build").returncode == 0
    href, output = serve_and_fetch_styles(project)
    assert not href.startswith(("http:", "https:", "//"))  # relative: works on any port
    assert "building the local site first" not in output  # the build was used as it was


def test_serve_builds_first_when_there_is_no_local_build(project):
    href, output = serve_and_fetch_styles(project)
    assert "there is no local build in output/ yet" in output
    assert (project / "output" / "hello" / "index.html").is_file()


def test_serve_rebuilds_a_production_build_left_in_output(project):
    """A folder from before the split (publish wrote output/) would show unstyled."""
    assert run(project, "preview").returncode == 0
    shutil.copytree(project / "public", project / "output")
    href, output = serve_and_fetch_styles(project)
    assert "output/ holds a production build" in output
    assert "https://thecounter.example.com/theme/css/byline.css" in output
    assert not href.startswith(("http:", "https:", "//"))


def test_preview_writes_public_and_leaves_the_local_build_alone(project):
    assert run(project, "build").returncode == 0
    before = snapshot(project / "output")
    result = run(project, "preview")
    assert result.returncode == 0, result.stderr
    assert snapshot(project / "output") == before
    html = (project / "public" / "hello" / "index.html").read_text()
    assert 'href="https://thecounter.example.com/theme/css/byline.css"' in html
    assert (project / "public" / "feeds" / "all.atom.xml").is_file()


def test_publish_builds_public_and_leaves_the_local_build_alone(project, tmp_path):
    with open(project / "pelicanconf.py", "a") as conf:
        conf.write(f'\nBYLINE_DEPLOY_TARGET = "folder"\nBYLINE_DEPLOY_FOLDER = "{tmp_path}/live"\n')
    assert run(project, "build").returncode == 0
    before = snapshot(project / "output")
    result = run(project, "publish", BYLINE_SITEURL="https://www.thecounter.co.uk")
    assert result.returncode == 0, result.stdout + result.stderr
    assert snapshot(project / "output") == before
    assert snapshot(tmp_path / "live") == snapshot(project / "public")
    assert "https://www.thecounter.co.uk/hello/" in (tmp_path / "live/hello/index.html").read_text()


def test_clean_empties_both_folders_and_says_which(project):
    assert run(project, "build").returncode == 0
    assert run(project, "preview").returncode == 0
    result = run(project, "clean")
    assert result.returncode == 0
    assert "output/ (the local build) and public/ (the production build)" in result.stdout
    assert list((project / "output").iterdir()) == [] and list((project / "public").iterdir()) == []
    again = run(project, "clean")
    assert "Emptied output/ (the local build) and public/" in again.stdout


def test_serve_refuses_a_port_that_is_not_one(project):
    result = run(project, "serve", "--port", "http")
    assert result.returncode != 0 and "--port 'http' is not a port number" in result.stderr
