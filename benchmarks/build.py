"""Build time of Byline against plain Pelican on the same synthetic content.

Makes N synthetic articles (default 1,000 and 5,000) with authors, sections, tags,
standfirsts and hero images, then builds them with
  - plain Pelican: its default theme and no plugins, and
  - Byline: this project's theme and plugins,
with every other setting the same (URLs, pagination, Markdown extensions, feeds on as
in publishconf.py). Each build runs in a fresh process; the best of the runs counts.
Times are the build process's CPU time (user + system), which other work on the
machine disturbs far less than wall-clock time; a build is single-threaded, so on a
quiet machine the two agree.
With ``--images``, one more table: what image variants and social cards cost, on content
where three articles in four have a hero of their own (a distinct file, so nothing is
shared) and the fourth has none (it gets a social card): Byline with both off, then on
with an empty cache (cold: every image is made) and with the cache of an earlier build
(warm: nothing is made, files are only hashed and copied).
Prints, against plain Pelican: the site alone (theme and plugin with related stories,
Most read, the digest, build-time lint and search off; goal: at most 1.15 at 5,000),
everything on but the search index ("all", a rebuild: the caches of the earlier builds of
the same content are warm, as they are for an editor's every build but the first; goals:
at most 1.30 at 1,000 and 1.10 at 5,000; "all_x_med" is the median over the runs of each
run's own ratio, which the machine's drift between runs cannot tilt), the same on a first
build ("first": every cache emptied; the lint, the related ranking and the image variants
all work from scratch),
peak memory, what exporting every newsletter issue adds: the CPU
time of the digest generator itself, as a share of the plain build (goal: at most 5% at
5,000), and what the search index adds: the Pagefind step's CPU time, the Pagefind
program's own (a child process, every core it used) included, as a share of the plain
build (goal: at most 10% at 1,000), on a rebuild (the index of the earlier build is reused
when no indexed text changed) and on the first build ("srch1st": Pagefind reads every
article). A Byline build's time includes its child processes.

    .venv/bin/python benchmarks/build.py [--sizes 1000 5000] [--runs 2] [--images]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SYLLABLES = "ka lo mi ne su ta ri po ve da gu fi ho ja ze ba cu wo yi pe".split()
COMMON = "the a of and to in that it is was for on with as at by from this we they you".split()


def vocabulary(size: int, rng: random.Random) -> list[str]:
    """Made-up words, so the text has a real vocabulary's spread without real text."""
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def zipf_sampler(words: list[str], rng: random.Random):
    """Draw words with Zipf-like frequencies, as in natural text."""
    weights = [1.0 / (rank + 1) for rank in range(len(words))]
    return lambda k: rng.choices(words, weights=weights, k=k)


SECTIONS = ["Marketing", "People", "Money", "Clients", "Tools", "Craft", "Local", "Ideas"]

# One process per build, so nothing is shared between runs.
CHILD = r"""
import json, resource, sys, time
from pelican import Pelican
from pelican.settings import read_settings
settings_file, override = sys.argv[1], json.loads(sys.argv[2])
steps = {}
def cpu():
    # this process's CPU time plus that of its finished children (Pagefind)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime
def time_it(owner, name, label):
    # CPU time of one step, summed over its calls: where a build's time goes
    method = getattr(owner, name, None)
    if method is None:  # a step this version does not have
        return
    def timed(*args, _method=method, **kwargs):
        started = cpu()
        try:
            return _method(*args, **kwargs)
        finally:
            steps[label] = steps.get(label, 0.0) + cpu() - started
    setattr(owner, name, timed)
from pelican import generators
time_it(generators.ArticlesGenerator, "generate_context", "read articles")
time_it(generators.ArticlesGenerator, "generate_output", "write articles")
time_it(generators.PagesGenerator, "generate_output", "write pages")
if "byline.plugin" in override.get("PLUGINS", []):
    from byline import plugin
    from byline.digest import NewsletterGenerator
    for name, label in (("_prepare", "records"), ("_more_from_candidates", "more from"),
                        ("_attach_related", "related"), ("_attach_most_read", "most read"),
                        ("_attach_blocks", "blocks"), ("_lint_on_build", "lint"),
                        ("on_article_generator_pretaxonomy", "collisions"),
                        ("_strip_image_metadata", "image metadata"),
                        ("_index_for_search", "search")):
        time_it(plugin, name, label)
    for name in ("generate_context", "generate_output"):
        time_it(NewsletterGenerator, name, "digest")
start, started = time.perf_counter(), cpu()
settings = read_settings(settings_file or None, override=override)
Pelican(settings).run()
seconds = time.perf_counter() - start
print(json.dumps({"seconds": cpu() - started, "wall": seconds,
                  "digest": steps.get("digest", 0.0), "search": steps.get("search", 0.0),
                  "steps": steps,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make_content(folder: Path, count: int, seed: int = 7) -> None:
    """``count`` articles of about 450 words: general vocabulary plus one of 40 topics."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    images = folder / "images" / "heroes"
    images.mkdir(parents=True)
    demo_images = sorted((ROOT / "content" / "images" / "heroes").glob("*.jpg"))
    for image in demo_images:
        shutil.copy(image, images / image.name)
    authors = [f"Writer {n:02d}" for n in range(30)]
    (folder / "authors.toml").write_text(
        "".join(f'["{a}"]\nrole = "{a} runs a small firm."\nbio = "Bio of {a}."\n' for a in authors)
    )
    general = zipf_sampler(COMMON + vocabulary(4000, rng), rng)
    topic_words = [vocabulary(150, random.Random(seed * 100 + t)) for t in range(40)]
    topics = [zipf_sampler(words, rng) for words in topic_words]
    for n in range(count):
        topic = n % 40
        words = general(320) + topics[topic](130)
        rng.shuffle(words)
        paragraphs = "\n\n".join(
            " ".join(words[i : i + 75]).capitalize() + "." for i in range(0, 450, 75)
        )
        image = demo_images[n % len(demo_images)].name
        day = 1 + n % 28
        title = " ".join(topics[topic](5) + general(2))
        tags = sorted(set(topic_words[topic][t] for t in rng.sample(range(12), 3)))
        (folder / f"post-{n:05d}.md").write_text(
            f"Title: Post {n}: {title}\n"
            f"Date: {2020 + n % 6}-{1 + n % 12:02d}-{day:02d} 09:{n % 60:02d}\n"
            f"Author: {authors[n % len(authors)]}\n"
            f"Category: {SECTIONS[topic % len(SECTIONS)]}\n"
            f"Tags: {', '.join(tags)}\n"
            f"Summary: {' '.join(topics[topic](8) + general(10))}.\n"
            f"Image: images/heroes/{image}\n"
            f"Image_alt: Illustration {n}\n"
            f"Image_credit: The benchmark\n\n"
            f'{paragraphs}\n\n## A subheading\n\n"Quoted" words -- and a dash.\n'
        )


def give_own_heroes(folder: Path) -> None:
    """Three posts in four get a hero file of their own (a demo image with a stripe and
    the post's number drawn on it, so every file hashes differently); the fourth loses
    its hero and gets a social card instead."""
    from PIL import Image, ImageDraw

    demo_images = sorted((ROOT / "content" / "images" / "heroes").glob("*.jpg"))
    sources = [Image.open(path).convert("RGB") for path in demo_images]
    for post in sorted(folder.glob("post-*.md")):
        n = int(post.stem.split("-")[1])
        lines = post.read_text().splitlines(keepends=True)
        if n % 4 == 3:
            lines = [line for line in lines if not line.startswith("Image")]
        else:
            image = sources[n % len(sources)].copy()
            draw = ImageDraw.Draw(image)
            draw.rectangle((0, 20 + n % 600, 1200, 60 + n % 600), fill=(n % 256, 90, 160))
            draw.text((40, 40), f"{n:05d}", fill=(255, 255, 255))
            image.save(folder / "images" / "heroes" / f"own-{n:05d}.jpg", quality=85)
            lines = [
                f"Image: images/heroes/own-{n:05d}.jpg\n" if line.startswith("Image:") else line
                for line in lines
            ]
        post.write_text("".join(lines))


def shared_settings(content: Path, output: Path) -> dict:
    """Everything but theme and plugins, as the published Byline site has it."""
    sys.path.insert(0, str(ROOT))
    import pelicanconf  # noqa: PLC0415

    keep = (
        "ARTICLE_URL",
        "ARTICLE_SAVE_AS",
        "PAGE_URL",
        "PAGE_SAVE_AS",
        "CATEGORY_URL",
        "CATEGORY_SAVE_AS",
        "AUTHOR_URL",
        "AUTHOR_SAVE_AS",
        "TAG_URL",
        "TAG_SAVE_AS",
        "DEFAULT_PAGINATION",
        "MARKDOWN",
        "TIMEZONE",
        "SLUGIFY_SOURCE",
        "YEAR_ARCHIVE_SAVE_AS",
        "MONTH_ARCHIVE_SAVE_AS",
        "STATIC_PATHS",
    )
    settings = {name: getattr(pelicanconf, name) for name in keep}
    settings["PAGINATION_PATTERNS"] = [list(p) for p in pelicanconf.PAGINATION_PATTERNS]
    settings.update(
        PATH=str(content),
        OUTPUT_PATH=str(output),
        SITEURL="https://example.com",
        FEED_DOMAIN="https://example.com",
        FEED_ALL_ATOM="feeds/all.atom.xml",
        FEED_ALL_RSS="feeds/all.rss.xml",
        CATEGORY_FEED_ATOM="feeds/section/{slug}.atom.xml",
        AUTHOR_FEED_ATOM="feeds/author/{slug}.atom.xml",
        AUTHOR_FEED_RSS=None,
        TRANSLATION_FEED_ATOM=None,
        RELATIVE_URLS=False,
        DELETE_OUTPUT_DIRECTORY=True,
        CACHE_PATH=str(output.parent / "cache"),
        LOAD_CONTENT_CACHE=False,
    )
    return settings


def jinja_environment() -> dict:
    """The theme's template settings as the site has them (pelicanconf.py)."""
    sys.path.insert(0, str(ROOT))
    import pelicanconf  # noqa: PLC0415

    return dict(pelicanconf.JINJA_ENVIRONMENT)


def run_build(settings: dict) -> dict:
    # Flush what the last build left to write first: otherwise the disk writes it back
    # during this build, and which build pays for it depends on the order, not the code.
    os.sync()
    result = subprocess.run(
        [sys.executable, "-c", CHILD, "", json.dumps(settings)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if result.returncode != 0:  # show why the build failed, not only that it did
        sys.exit(f"a benchmark build failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def byline_settings(base: dict) -> dict:
    """Byline with everything on, on the shared settings."""
    return dict(
        base,
        THEME=str(ROOT / "theme"),
        PLUGINS=["byline.plugin", "sitemap"],
        JINJA_ENVIRONMENT=jinja_environment(),
        BYLINE_NEWSLETTER_FORM_URL="https://example.com/subscribe",
        BYLINE_NEWSLETTER_POSTAL_ADDRESS="1 Example Street, Example Town",
        # 5,000 synthetic articles over six years put 16 stories in a weekly issue, far
        # more than a small business writes; lift the size budget so every issue exports.
        BYLINE_NEWSLETTER_MAX_HTML_KB=1000,
    )


def site_settings(base: dict) -> dict:
    """The site alone: theme, bio, More from, sitemap, images; no related stories, Most
    read, digest, build-time lint or search, the features measured on their own."""
    return dict(
        byline_settings(base),
        BYLINE_SEARCH=False,
        BYLINE_NEWSLETTER_EXPORT=False,
        BYLINE_RELATED_COUNT=0,
        BYLINE_MOST_READ_COUNT=0,
        BYLINE_LINT_ON_BUILD=False,
    )


def measure(count: int, runs: int, work: Path) -> tuple[dict, dict, list[float]]:
    content = work / f"content-{count}"
    make_content(content, count)
    base = shared_settings(content, work / "out")
    plain = dict(base, PLUGINS=[])
    byline = byline_settings(base)
    site_only = site_settings(base)
    configs = {"plain": plain, "site": site_only, "byline": byline}
    # Each its own output folder: a build deletes and rewrites its own earlier output, as
    # on a user's machine, never another configuration's (a bigger one costs more to delete).
    for name, settings in configs.items():
        settings["OUTPUT_PATH"] = str(work / f"out-{name}")
    best: dict = dict.fromkeys(configs)
    # A first build: everything on, every cache empty (lint findings, ranked related lists,
    # image variants), as on a new machine or after a change that touches every story.
    shutil.rmtree(work / "cache", ignore_errors=True)
    first = run_build(byline)
    first_s = first["seconds"] - first["search"]
    run_build(plain)  # untimed, so every timed build below replaces an output of its own
    run_build(site_only)
    search_s = float("inf")  # the search step's best on its own: the noise of the rest is not its
    paired: list[float] = []  # each run's "all" over the same run's plain build
    for run in range(runs):  # alternate, so drift on the machine hits all alike
        seconds = {}
        # each run starts one further along (plain-site-all, site-all-plain, all-plain-site):
        # every configuration takes every place in turn, and none ever runs twice in a row
        # (a build that deletes the output it wrote a moment before pays more for it)
        order = list(configs.items())
        shift = run % len(order)
        for name, settings in order[shift:] + order[:shift]:
            figures = run_build(settings)
            seconds[name] = figures["seconds"] - figures["search"]
            if best[name] is None or figures["seconds"] < best[name]["seconds"]:
                best[name] = figures
            if name == "byline":
                search_s = min(search_s, figures["search"])
        paired.append(seconds["byline"] / seconds["plain"])
    plain_s = best["plain"]["seconds"]
    return (
        {
            "articles": count,
            "plain_s": round(plain_s, 2),
            "site_s": round(best["site"]["seconds"], 2),
            "site_x": round(best["site"]["seconds"] / plain_s, 3),
            # "all" is everything but the search index, which has its own columns (issue 12)
            "byline_s": round(best["byline"]["seconds"] - best["byline"]["search"], 2),
            "all_x": round((best["byline"]["seconds"] - best["byline"]["search"]) / plain_s, 3),
            # the same ratio run by run, its median: the machine's drift cancels within a run
            "all_x_med": round(statistics.median(paired), 3),
            "first_s": round(first_s, 2),
            "first_x": round(first_s / plain_s, 3),
            "plain_mb": round(best["plain"]["peak_mb"]),
            "byline_mb": round(best["byline"]["peak_mb"]),
            "digest_s": round(best["byline"]["digest"], 2),
            "digest_pct": f"{best['byline']['digest'] / plain_s:.1%}",
            "search_s": round(search_s, 2),
            "search_pct": f"{search_s / plain_s:.1%}",
            "search_first_s": round(first["search"], 2),
            "search_first_pct": f"{first['search'] / plain_s:.1%}",
        },
        {name: best[name]["steps"] for name in configs},
        paired,
    )


def measure_images(count: int, runs: int, work: Path) -> dict:
    """Image variants and social cards: off, cold cache and warm cache, against plain."""
    content = work / f"content-images-{count}"
    make_content(content, count)
    give_own_heroes(content)
    base = shared_settings(content, work / "out-images")
    plain = dict(base, PLUGINS=[])
    site = site_settings(base)
    off = dict(site, BYLINE_IMAGE_VARIANTS=False, BYLINE_SOCIAL_CARDS=False)
    warm = dict(site, CACHE_PATH=str(work / "cache-warm"))
    run_build(warm)  # fills the warm cache; not counted
    best: dict = {}
    for run in range(runs):
        cold = dict(site, CACHE_PATH=str(work / f"cache-cold-{run}"))
        for name, settings in (("plain", plain), ("off", off), ("cold", cold), ("warm", warm)):
            if name == "cold" and run:  # minutes of work; once is enough to see it
                continue
            seconds = run_build(settings)["seconds"]
            best[name] = min(best.get(name, seconds), seconds)
    plain_s = best["plain"]
    return {
        "articles": count,
        "heroes": count - count // 4,
        "cards": count // 4,
        "plain_s": round(plain_s, 2),
        "off_s": round(best["off"], 2),
        "cold_s": round(best["cold"], 2),
        "cold_x": round(best["cold"] / plain_s, 2),
        "warm_s": round(best["warm"], 2),
        "warm_x": round(best["warm"] / plain_s, 3),
        "warm_add": f"{(best['warm'] - best['off']) / plain_s:.1%}",
    }


def print_steps(count: int, plain_s: float, steps: dict) -> None:
    """Where the time goes: each step's CPU seconds and its share of the plain build.

    "read articles" holds Byline's steps that run while Pelican reads (records, more from,
    related, most read, blocks: the per-page dedupe of the story blocks, lint,
    collisions); "other" is what no step names (settings, static files, feeds, archives,
    sitemap, Python's start); "search" runs after the site is written and holds the
    Pagefind program's own CPU time.
    """
    print(f"\nwhere the time goes at {count:,} articles (CPU s; share of plain Pelican)")
    labels = sorted({label for named in steps.values() for label in named}, key=str.lower)
    print(f"{'step':<16}" + "".join(f"{name:>16}" for name in steps))
    for label in labels:
        cells = [steps[name].get(label) for name in steps]
        print(
            f"{label:<16}"
            + "".join(
                f"{'-':>16}" if cell is None else f"{cell:>8.2f} {cell / plain_s:>6.1%}"
                for cell in cells
            )
        )


def median_interval(values: list[float], confidence: float = 0.95) -> tuple[float, float] | None:
    """A distribution-free interval for the median (order statistics, binomial): the
    machine's noise is neither normal nor symmetric, so no mean and standard error.
    None when there are too few values for the confidence asked."""
    ordered = sorted(values)
    n = len(ordered)
    below = 0.0  # P(Binomial(n, 1/2) < k), grown one k at a time
    k = 0
    while True:
        term = math.comb(n, k) / 2**n
        if below + term > (1 - confidence) / 2:
            break
        below += term
        k += 1
    if k == 0:
        return None
    return ordered[k - 1], ordered[n - k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--images", action="store_true", help="only the image variants and social cards table"
    )
    parser.add_argument(
        "--work",
        help="folder for the content, outputs and caches (default: the system's temp folder); "
        "a memory-backed one such as /dev/shm keeps the disk's journal out of both builds' time",
    )
    args = parser.parse_args()
    if args.images:
        with tempfile.TemporaryDirectory(dir=args.work) as temp:
            for count in args.sizes:
                row = measure_images(count, args.runs, Path(temp))
                if count == args.sizes[0]:
                    print(" ".join(f"{name:>9}" for name in row))
                print(" ".join(f"{value:>9}" for value in row.values()), flush=True)
        return
    header = "articles plain_s site_s site_x all_s all_x all_x_med first_s first_x plain_MB all_MB "
    header += "digest_s digest_% "
    header += "search_s search_% srch1st_s srch1st_%"
    header = header.split()
    print(" ".join(f"{name:>9}" for name in header))
    breakdowns: list[tuple[int, float, dict]] = []
    pairs: list[tuple[int, list[float]]] = []
    with tempfile.TemporaryDirectory(dir=args.work) as temp:
        for count in args.sizes:
            row, steps, paired = measure(count, args.runs, Path(temp))
            print(" ".join(f"{value:>9}" for value in row.values()), flush=True)
            breakdowns.append((count, row["plain_s"], steps))
            pairs.append((count, paired))
    # Every pair's ratio, in run order: runs can be pooled later, and drift shows.
    for count, paired in pairs:
        print(f"\nall/plain, run by run, at {count:,} articles:", *(f"{r:.3f}" for r in paired))
        interval = median_interval(paired)
        if interval:
            print(
                f"median {statistics.median(paired):.3f}, "
                f"95% interval {interval[0]:.3f}-{interval[1]:.3f}"
            )
    for count, plain_s, steps in breakdowns:
        print_steps(count, plain_s, steps)


if __name__ == "__main__":
    main()
