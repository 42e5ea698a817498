"""Page weight of the demo's home and article pages, with image variants off and on.

Builds the production site (publishconf.py) twice, once with ``BYLINE_IMAGE_VARIANTS``
off (the source images, as before variants) and once on, serves each on 127.0.0.1 and
loads the pages in Debian's Chromium at a phone's width (375 px) and a desktop's (1280 px).
Counts the bytes of the HTML, CSS and images the browser fetched: at load (what
Lighthouse weighs; lazy images below the fold wait) and after scrolling to the end.
The README records the figures.

    .venv/bin/python scripts/page_weight.py
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = {"home": "/", "article": "/cash-flow-is-a-calendar/"}
WIDTHS = (375, 1280)
KINDS = ("document", "stylesheet", "image")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def _build(output: Path, site_url: str, variants: bool) -> None:
    env = dict(os.environ, BYLINE_SITEURL=site_url)
    command = [sys.executable, "-m", "pelican", "-s", "publishconf.py", "-o", str(output), "-q"]
    command += ["-e", f"BYLINE_IMAGE_VARIANTS={'true' if variants else 'false'}"]
    command += ["CACHE_PATH=" + f'"{output.parent / "cache"}"']
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def _weigh(browser, url: str, width: int) -> tuple[int, int]:
    """Bytes of HTML, CSS and images fetched at load, and after scrolling to the end."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    fetched: list[tuple[str, int]] = []

    def count(response) -> None:
        # the local server sends no compression, so Content-Length is what crossed the wire
        if response.request.resource_type in KINDS:
            fetched.append((response.url, int(response.headers.get("content-length", 0))))

    tab.on("response", count)
    tab.goto(url, wait_until="networkidle")
    at_load = sum(size for _, size in fetched)
    tab.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    tab.wait_for_load_state("networkidle")
    tab.wait_for_timeout(500)
    scrolled = sum(size for _, size in fetched)
    tab.remove_listener("response", count)
    context.close()
    return at_load, scrolled


def main() -> int:
    from playwright.sync_api import sync_playwright

    results: dict[tuple[str, str, int], tuple[int, int]] = {}
    with tempfile.TemporaryDirectory() as temp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        for label, variants in (("before", False), ("after", True)):
            output = Path(temp) / label / "output"
            handler = functools.partial(_Quiet, directory=str(output))
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            base = f"http://127.0.0.1:{server.server_address[1]}"
            _build(output, base, variants)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            for name, path in PAGES.items():
                for width in WIDTHS:
                    results[(name, label, width)] = _weigh(browser, base + path, width)
            server.shutdown()
        browser.close()
    print(
        f"{'page':8} {'width':>5} {'before load':>12} {'after load':>11} "
        f"{'before all':>11} {'after all':>10}"
    )
    for name in PAGES:
        for width in WIDTHS:
            before, after = results[(name, "before", width)], results[(name, "after", width)]
            print(
                f"{name:8} {width:>5} {before[0] / 1000:>10.1f}KB {after[0] / 1000:>9.1f}KB "
                f"{before[1] / 1000:>9.1f}KB {after[1] / 1000:>8.1f}KB"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
