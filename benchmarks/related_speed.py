"""Time to compute every article's related stories, against a plain Pelican build.

For 5,000 and 20,000 synthetic articles (the same generator as benchmarks/build.py):
  - the plain Pelican build (default theme, no plugins) of that content, in a fresh
    process, and
  - the time Byline's related-stories step takes on the same articles, run exactly as a
    build runs it (the plugin's own function on the articles Pelican read),
and prints the ratio. Goal: at most 5% at both sizes, without an N-by-N matrix; the
step's peak memory (tracemalloc, numpy included) is printed too.

    .venv/bin/python benchmarks/related_speed.py [--sizes 5000 20000]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from build import make_content, run_build, shared_settings  # noqa: E402


def related_step(articles: list, settings: dict) -> tuple[float, float]:
    """Seconds and peak MB of the plugin's related step on already-read articles."""
    from byline.plugin import _attach_related
    from byline.settings import apply_defaults

    apply_defaults(settings)
    generator = SimpleNamespace(articles=articles, settings=settings)
    start = time.process_time()  # CPU time, as benchmarks/build.py measures the build
    _attach_related(generator)
    seconds = time.process_time() - start
    tracemalloc.start()  # a second, traced run for memory: tracing slows numpy down a lot
    _attach_related(generator)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    assert all(len(a.related) == settings["BYLINE_RELATED_COUNT"] for a in articles)
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000])
    args = parser.parse_args()
    logging.getLogger("byline").setLevel(logging.ERROR)
    from byline.related_report import read_articles

    print(f"{'articles':>9} {'plain build s':>14} {'related s':>10} {'ratio':>7} {'peak MB':>8}")
    for count in args.sizes:
        with tempfile.TemporaryDirectory() as temp:
            work = Path(temp)
            content = work / "content"
            make_content(content, count)
            plain = run_build(dict(shared_settings(content, work / "out"), PLUGINS=[]))
            articles = read_articles(
                ROOT / "pelicanconf.py", {"PATH": str(content), "BYLINE_NEWSLETTER_EXPORT": False}
            )
            settings = {"BYLINE_RELATED_COUNT": 5}
            best = min(related_step(articles, dict(settings)) for _ in range(2))
            ratio = best[0] / plain["seconds"]
            print(
                f"{count:>9} {plain['seconds']:>14.2f} {best[0]:>10.2f} {ratio:>7.1%} "
                f"{best[1]:>8.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
