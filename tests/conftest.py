"""Shared fixtures: real Pelican builds of the demo and of small purpose-made sites."""

from __future__ import annotations

import contextlib
import functools
import http.server
import logging
import os
import shutil
import socketserver
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from pelican import Pelican
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
INVOKE = Path(sys.executable).parent / "invoke"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ARTICLE = "/cash-flow-is-a-calendar/"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run scripts/test, which installs it with apt-get.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def _failed(request) -> str:
    """A request that failed, as a problem to report; "" for Chromium dropping a favicon
    fetch it no longer wants (net::ERR_ABORTED under load: nothing a reader sees; a missing
    favicon still shows as a 404 response)."""
    if request.failure == "net::ERR_ABORTED" and "favicon" in request.url:
        return ""
    return f"failed: {request.url} ({request.failure})"


@pytest.fixture
def tab(browser):
    context = browser.new_context()
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("requestfailed", lambda r: _failed(r) and page.problems.append(_failed(r)))
    page.on("response", lambda r: r.status >= 400 and page.problems.append(f"{r.status}: {r.url}"))
    yield page
    context.close()


def build(
    output: Path,
    settings_file: str = "pelicanconf.py",
    content: Path | None = None,
    *,
    search: bool = False,
    **overrides,
) -> Path:
    """Build a site with Pelican into ``output`` and return that folder.

    The search index (Pagefind, a second program over the whole output) is built only when
    ``search=True``: the tests that are not about search stay fast.
    """
    override = {
        "OUTPUT_PATH": str(output),
        "CACHE_PATH": str(output.parent / "cache"),
        "BYLINE_SEARCH": search,
    }
    if content is not None:
        override["PATH"] = str(content)
    override.update(overrides)
    settings = read_settings(str(ROOT / settings_file), override=override)
    Pelican(settings).run()
    return output


def copy_project(root: Path, *, authors: bool = True, data: bool = False) -> Path:
    """A copy of the project as a user has it: settings and tasks copied (tests edit them),
    theme and plugins linked, an empty content folder (with authors.toml), optionally data/."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("tasks.py", "pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, root / name)
    for name in ("theme", "plugins"):
        os.symlink(ROOT / name, root / name)
    (root / "content").mkdir()
    if authors:
        shutil.copy(ROOT / "content" / "authors.toml", root / "content" / "authors.toml")
    if data:
        (root / "data").mkdir()
    return root


def run_invoke(
    project: Path, *args: str, env: dict | None = None, stdin: str = "", timeout: float = 120
) -> subprocess.CompletedProcess:
    """`invoke ARGS` in a project copy, as a user runs it; ``env`` replaces the environment."""
    return subprocess.run(
        [str(INVOKE), *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        input=stdin,
    )


def write_site(root: Path, files: dict[str, str]) -> Path:
    """Write a content folder from {relative path: text}; returns the folder."""
    content = root / "content"
    for name, text in files.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    content.mkdir(parents=True, exist_ok=True)
    return content


def page(output: Path, relative: str) -> lxml.html.HtmlElement:
    """Parse one built page."""
    path = output / relative
    if path.is_dir() or relative.endswith("/"):
        path = path / "index.html"
    return lxml.html.fromstring(path.read_bytes())


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The demo content built with pelicanconf.py (local, relative URLs), search included."""
    return build(tmp_path_factory.mktemp("demo") / "output", search=True)


@pytest.fixture(scope="session")
def demo_publish(tmp_path_factory) -> Path:
    """The demo content built with publishconf.py (absolute URLs, feeds), search included."""
    return build(tmp_path_factory.mktemp("demo-publish") / "output", "publishconf.py", search=True)


@pytest.fixture
def site(tmp_path):
    """Build a purpose-made site: site({"post.md": "..."}, **settings) -> output folder."""

    def make(files: dict[str, str], **overrides) -> Path:
        content = write_site(tmp_path, files)
        return build(tmp_path / "output", content=content, **overrides)

    return make


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output readable
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 for as long as the block runs; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    socketserver.TCPServer.allow_reuse_address = True
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def demo_server(demo_site) -> Iterator[str]:
    """The demo site served on 127.0.0.1; yields its base URL."""
    with serve(demo_site) as url:
        yield url


@pytest.fixture
def warnings_log(caplog):
    """The text of every warning logged during the test."""
    caplog.set_level(logging.WARNING)

    def messages() -> list[str]:
        return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]

    return messages
