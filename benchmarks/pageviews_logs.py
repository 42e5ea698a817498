"""Speed and memory of the access-log pageview counter on a generated 1,000,000-line log.

Writes a combined-format log (articles, assets, feeds, bots, 404s, POSTs, repeat visits,
garbage lines; 30 days, time-ordered) into a temp dir, then:
  - times ``read_access_logs`` on it (no tracing, one core) and prints seconds, lines/s and
    the process's peak RSS (resource.getrusage) before and after counting;
  - counts again under tracemalloc, at a quarter of the lines and at all of them, and prints
    both peaks: flat memory means the peak does not grow with the log.
Goal: <= 5 s for 1,000,000 lines on one core, with flat memory.

    .venv/bin/python benchmarks/pageviews_logs.py [--lines 1000000] [--gz]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import random
import resource
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

from byline.pageviews.logs import count_log_lines, read_access_logs

ROOT = Path(__file__).resolve().parent.parent

GOAL_SECONDS = 5.0
START = datetime(2026, 5, 1, tzinfo=UTC)
DAYS = 30
BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36",
]
BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "curl/8.5.0",
    "python-requests/2.32.3",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/126.0.0.0",
    "-",
]
ASSETS = [
    "/theme/css/main.css",
    "/theme/js/menu.js",
    "/images/cover.jpg",
    "/theme/fonts/body.woff2",
    "/feeds/all.atom.xml",
    "/favicon.ico",
    "/robots.txt",
    "/sitemap.xml",
]


def generate(path: Path, lines: int, seed: int = 7) -> Path:
    """Write ``lines`` time-ordered combined-format lines to ``path`` (gzip if .gz)."""
    rng = random.Random(seed)
    articles = [f"/article-{number}/" for number in range(400)]
    weights = [1 / (rank + 1) for rank in range(len(articles))]
    article_picks = rng.choices(articles, weights, k=4096)
    clients = [
        f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        for _ in range(20_000)
    ]
    step = DAYS * 86400 / lines
    opener = gzip.open if path.suffix == ".gz" else open
    recent: list[tuple[str, str, str]] = []
    with opener(path, "wt", encoding="utf-8") as out:
        chunk: list[str] = []
        for index in range(lines):
            moment = START + timedelta(seconds=index * step)
            stamp = moment.strftime("%d/%b/%Y:%H:%M:%S +0000")
            roll = rng.random()
            method, status, agent = "GET", 200, rng.choice(BROWSERS)
            client = rng.choice(clients)
            if roll < 0.50:
                target = rng.choice(article_picks)
                if rng.random() < 0.1:
                    target += "?utm_source=newsletter"
                recent.append((client, target, agent))
                if len(recent) > 200:
                    recent.pop(0)
            elif roll < 0.60 and recent:
                client, target, agent = rng.choice(recent)  # a reload: a repeat view
            elif roll < 0.80:
                target = rng.choice(ASSETS)
                status = rng.choice((200, 200, 304))
            elif roll < 0.88:
                target, agent = rng.choice(article_picks), rng.choice(BOTS)
            elif roll < 0.93:
                target, status = f"/missing-{rng.randrange(1000)}/", 404
            elif roll < 0.96:
                method, target = "POST", "/newsletter/"
            elif roll < 0.99:
                target = rng.choice(article_picks)
                method = "HEAD"
            else:
                chunk.append("garbage \x00 line " + str(index) + "\n")
                continue
            chunk.append(
                f'{client} - - [{stamp}] "{method} {target} HTTP/1.1" {status} '
                f'{rng.randrange(200, 40000)} "https://www.example.org/" "{agent}"\n'
            )
            if len(chunk) >= 10_000:
                out.write("".join(chunk))
                chunk.clear()
        out.write("".join(chunk))
    return path


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def traced_peak(path: Path, limit: int | None) -> float:
    """tracemalloc peak (MB) while counting the first ``limit`` lines (all if None)."""
    start, end = START, START + timedelta(days=DAYS)
    tracemalloc.start()
    if limit is None:
        read_access_logs(str(path), start, end)
    else:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
            count_log_lines(itertools.islice(handle, limit), start, end)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--gz", action="store_true", help="write and read a .gz log")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        log_path = Path(temp) / ("access.log.gz" if args.gz else "access.log")
        began = time.perf_counter()
        generate(log_path, args.lines)
        print(
            f"generated {args.lines:,} lines ({log_path.stat().st_size / 2**20:.0f} MB"
            f"{', gzip' if args.gz else ''}) in {time.perf_counter() - began:.1f} s"
        )
        rss_before = maxrss_mb()
        began = time.perf_counter()
        cpu_began = time.process_time()
        result = read_access_logs(str(log_path), START, START + timedelta(days=DAYS))
        seconds = time.perf_counter() - began
        cpu = time.process_time() - cpu_began
        rss_after = maxrss_mb()
        stats = result.stats
        print(stats.describe())
        print(f"distinct paths counted: {len(result.views)}")
        print(f"parse: {seconds:.2f} s wall, {cpu:.2f} s CPU, {stats.lines / seconds:,.0f} lines/s")
        print(f"peak RSS (getrusage): {rss_before:.1f} MB before counting, {rss_after:.1f} after")
        quarter = traced_peak(log_path, args.lines // 4)
        full = traced_peak(log_path, None)
        print(
            f"tracemalloc peak: {quarter:.2f} MB at {args.lines // 4:,} lines, "
            f"{full:.2f} MB at {args.lines:,} lines"
        )
        verdict = "PASS" if seconds <= GOAL_SECONDS else "FAIL"
        print(
            f"goal: <= {GOAL_SECONDS:.0f} s for 1,000,000 lines on one core, flat memory: {verdict}"
        )


if __name__ == "__main__":
    main()
