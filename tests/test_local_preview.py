"""The local preview as a writer uses it: `invoke serve` answers like the real host (404
page for a missing path), livereload sees every file that changes the site, and the
local build has the production feeds without anything else changing."""

from __future__ import annotations

import glob
import http.client
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import feedparser
import pytest
from byline.local_preview import make_server, watch_globs, with_root_base
from byline.settings import apply_defaults
from conftest import ROOT, build, copy_project, page
from pelican.settings import DEFAULT_CONFIG, get_settings_from_file

INVOKE = Path(sys.executable).parent / "invoke"
LOCAL = "http://127.0.0.1:8000"
SITE = "https://thecounter.example.com"


def _get(port: int, path: str, method: str = "GET") -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served_project(tmp_path, demo_site):
    """`invoke serve --port N` running in a copy of the project whose output/ is the demo."""
    project = copy_project(tmp_path / "project")
    shutil.copytree(demo_site, project / "output")
    port = _free_port()
    process = subprocess.Popen(
        [str(INVOKE), "serve", "--port", str(port)],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(100):
            try:
                _get(port, "/")
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"invoke serve stopped: {process.stderr.read()}")
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_invoke_serve_answers_a_missing_page_with_the_404_page(served_project):
    status, headers, body = _get(served_project, "/no-such-column/")
    assert status == 404
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    html = body.decode()
    assert '<h1 class="headline">Page not found</h1>' in html
    assert '<meta name="robots" content="noindex">' in html
    # its stylesheet still loads from a deep address
    assert '<base href="/">' in html and 'href="./theme/css/byline.css"' in html
    status, _, css = _get(served_project, "/theme/css/byline.css")
    assert status == 200 and b".signup" in css

    status, _, body = _get(served_project, "/a/b/missing.html", method="HEAD")
    assert status == 404 and body == b""
    status, _, body = _get(served_project, "/cash-flow-is-a-calendar/")
    assert status == 200 and b"Cash flow is a calendar" in body


def test_the_preview_server_serves_pages_like_a_static_host(tmp_path):
    site = tmp_path / "site"
    (site / "about").mkdir(parents=True)
    (site / "about" / "index.html").write_text("<p>about</p>")
    (site / "old.html").write_text("<p>old</p>")
    server = make_server(site, port=0)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert _get(port, "/about/")[2] == b"<p>about</p>"
        status, headers, _ = _get(port, "/about")
        assert status == 301 and headers["Location"] == "/about/"
        assert _get(port, "/old")[2] == b"<p>old</p>"
        # no 404.html in this site: the standard error page, still a 404
        status, _, body = _get(port, "/missing/")
        assert status == 404 and b"404" in body
    finally:
        server.shutdown()
        server.server_close()


def test_the_404_page_gets_a_root_base_once():
    html = b'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n</head></html>'
    based = with_root_base(html)
    assert based.startswith(b'<!doctype html>\n<html lang="en">\n<head>\n<base href="/">\n<meta')
    assert with_root_base(based) == based
    assert with_root_base(b"<p>no head</p>") == b"<p>no head</p>"


def _local_settings() -> dict:
    settings = dict(DEFAULT_CONFIG)
    settings.update(get_settings_from_file(str(ROOT / "pelicanconf.py")))
    apply_defaults(settings)
    return settings


def test_livereload_watches_images_authors_and_the_snapshot(monkeypatch):
    globs = watch_globs(_local_settings())
    assert "content/authors.toml" in globs
    assert "content/images/**/*" in globs and "theme/static/**/*" in globs
    assert "data/pageviews.json" in globs and "pelicanconf.py" in globs
    monkeypatch.chdir(ROOT)
    watched = {path for pattern in globs for path in glob.glob(pattern, recursive=True)}
    for path in (
        "content/authors.toml",
        "content/images/authors/priya-nair.png",
        "content/cash-flow-is-a-calendar.md",
        "content/pages/about.md",
        "theme/templates/partials/signup.html",
        "theme/static/css/byline.css",
        "data/pageviews.json",
    ):
        assert path in watched, path


def test_the_local_build_has_the_production_feeds(demo_site, demo_publish):
    feeds = sorted(p.relative_to(demo_publish) for p in demo_publish.glob("feeds/**/*.xml"))
    assert len(feeds) > 8
    assert sorted(p.relative_to(demo_site) for p in demo_site.glob("feeds/**/*.xml")) == feeds
    local = feedparser.parse((demo_site / "feeds/all.atom.xml").read_bytes())
    live = feedparser.parse((demo_publish / "feeds/all.atom.xml").read_bytes())
    assert not local.bozo and len(local.entries) == len(live.entries) == 13
    assert [e.title for e in local.entries] == [e.title for e in live.entries]
    assert local.entries[0].link == f"{LOCAL}/buy-the-good-chisel/"
    assert [e.link.replace(LOCAL, SITE) for e in local.entries] == [e.link for e in live.entries]
    assert feedparser.parse((demo_site / "feeds/all.rss.xml").read_bytes()).entries
    home = page(demo_site, "index.html")
    assert home.xpath("//link[@type='application/atom+xml']/@href") == [
        f"{LOCAL}/feeds/all.atom.xml"
    ]
    # pages still link relatively, so any port (`invoke serve --port 8001`) shows them styled
    assert home.xpath("//link[@rel='stylesheet']/@href") == ["./theme/css/byline.css"]


_FEED_LINKS = re.compile(
    r'<link rel="alternate" type="application/(?:atom|rss)\+xml"[^>]*>\n'
    r'|<li><a href="http://127\.0\.0\.1:8000/feeds/[^"]*">(?:Atom|RSS) feed</a></li>'
)


_PAGE_FIELD = re.compile(r'(name="page" value=")[^"]*')


def test_the_local_site_url_changes_nothing_but_the_feed_links(demo_site, tmp_path):
    """Most read (whose snapshot holds full URLs), links, images: as without a SITEURL."""
    without = build(
        tmp_path / "output",
        search=True,  # as the demo fixture builds it
        SITEURL="",
        FEED_DOMAIN="",
        FEED_ALL_ATOM=None,
        FEED_ALL_RSS=None,
        CATEGORY_FEED_ATOM=None,
        AUTHOR_FEED_ATOM=None,
    )
    pages = sorted(p.relative_to(without) for p in without.rglob("*.html"))
    assert len(pages) > 40
    for relative in pages:
        # The sign-up form's page field is absolute by design (it goes with the consent).
        before = _PAGE_FIELD.sub(r"\1", (without / relative).read_text())
        after = _PAGE_FIELD.sub(r"\1", _FEED_LINKS.sub("", (demo_site / relative).read_text()))
        assert after == before, relative
    # the snapshot's full-URL entry still counts: the post is in the local Most read
    most_read = page(demo_site, "index.html").xpath(
        "string(//section[contains(@class,'most-read')])"
    )
    assert "Stop boosting posts" in most_read
