"""Lighthouse scores for the demo's home, article and search pages, mobile and desktop.

Builds the production site (publishconf.py) pointed at a local server, with its search
index and without an analytics provider's script (a third party Lighthouse would count),
serves it on 127.0.0.1 and runs the npm `lighthouse` package against Debian's Chromium.
Prints one line per page and device; the README records the figures.

    .venv/bin/python scripts/lighthouse.py            (after scripts/test has run npm ci)
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
PAGES = {"home": "/", "article": "/cash-flow-is-a-calendar/", "search": "/search/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def _build(output: Path, site_url: str) -> None:
    env = dict(os.environ, BYLINE_SITEURL=site_url)
    subprocess.run(
        [
            *(sys.executable, "-m", "pelican", "-s", "publishconf.py", "-o", str(output), "-q"),
            *("-e", "BYLINE_ANALYTICS_SCRIPT=false", "BYLINE_SEARCH=true"),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )


def _audit(url: str, device: str, report: Path) -> dict[str, int]:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    if device == "desktop":
        command.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    subprocess.run(command, check=True, env=env, timeout=300)
    data = json.loads(report.read_text())
    failed = [
        audit["id"]
        for audit in data["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") == "binary"
    ]
    if failed:
        print(f"    below full marks: {', '.join(sorted(failed))}", file=sys.stderr)
    return {c: round(data["categories"][c]["score"] * 100) for c in CATEGORIES}


def main() -> int:
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `npm ci` (scripts/test does) first.")
    with tempfile.TemporaryDirectory() as temp:
        output = Path(temp) / "output"
        handler = functools.partial(_Quiet, directory=str(output))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        _build(output, base)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"{'page':8} {'device':8} " + " ".join(f"{c:>14}" for c in CATEGORIES))
        for name, path in PAGES.items():
            for device in ("mobile", "desktop"):
                scores = _audit(base + path, device, Path(temp) / f"{name}-{device}.json")
                print(f"{name:8} {device:8} " + " ".join(f"{scores[c]:>14}" for c in CATEGORIES))
        server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
