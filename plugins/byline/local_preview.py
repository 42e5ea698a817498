"""The local preview: how `invoke serve` answers, and what `invoke livereload` watches.

A reader who mistypes an address on the real site gets the theme's 404 page with status
404 (the README says how to set that up on each host). The preview server does the same,
so the page can be looked at before it goes live, and a broken link shows up as a 404 in
the browser's tools instead of an empty reply. Only the standard library: no Pelican.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

NOT_FOUND_PAGE = "404.html"  # content/pages/404.md is saved there
_HEAD = re.compile(rb"<head\b[^>]*>", re.IGNORECASE)


def with_root_base(html: bytes) -> bytes:
    """``html`` with ``<base href="/">`` first in its head, unless it has a base already.

    The local build's 404.html links its stylesheet and pages relative to the site's root
    (``./theme/css/...``). Served in place of ``/a/b/missing``, those links would point
    under ``/a/b/``; the base makes them resolve from the root, as on the page itself.
    """
    if re.search(rb"<base\b", html, re.IGNORECASE):
        return html
    head = _HEAD.search(html)
    if head is None:
        return html
    return html[: head.end()] + b'\n<base href="/">' + html[head.end() :]


class PreviewHandler(SimpleHTTPRequestHandler):
    """A built site as a static host serves it: ``/x/`` is ``x/index.html``, ``/x`` is
    ``x.html`` when there is one, and a missing path is the site's 404 page, status 404."""

    def translate_path(self, path: str) -> str:
        found = super().translate_path(path)
        wants_folder = path.split("?", 1)[0].endswith("/")
        if not wants_folder and not os.path.exists(found) and os.path.isfile(found + ".html"):
            return found + ".html"
        return found

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        page = Path(self.directory) / NOT_FOUND_PAGE
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = with_root_base(page.read_bytes())
        self.log_error("code %d, message %s", code, message or "Not Found")
        self.send_response(code, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def make_server(folder: Path | str, host: str = "127.0.0.1", port: int = 8000):
    """A threaded HTTP server for the built site in ``folder`` (port 0: any free port).

    Call ``serve_forever()`` on it; ``server_address`` says where it listens.
    """
    handler = functools.partial(PreviewHandler, directory=str(folder))
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def watch_globs(settings: Mapping[str, Any], settings_file: str = "pelicanconf.py") -> list[str]:
    """Every file whose change should rebuild the local site, as recursive globs.

    Posts and pages, the author data (bios, photos' alt text), the images and other
    files in ``STATIC_PATHS``, the theme (templates, CSS, its own images), the settings
    and the pageview snapshot behind Most read.
    """
    content = str(settings.get("PATH") or "content").rstrip("/")
    theme = str(settings.get("THEME") or "theme").rstrip("/")
    globs = [
        settings_file,
        f"{content}/**/*.md",
        f"{content}/**/*.rst",
        f"{content}/{settings.get('BYLINE_AUTHORS_FILE') or 'authors.toml'}",
        f"{theme}/templates/**/*.html",
        f"{theme}/static/**/*",
    ]
    for folder in settings.get("STATIC_PATHS") or ():
        globs.append(f"{content}/{str(folder).strip('/')}/**/*")
    snapshot = settings.get("BYLINE_PAGEVIEWS_SNAPSHOT")
    if snapshot:
        globs.append(str(snapshot))
    return list(dict.fromkeys(globs))
