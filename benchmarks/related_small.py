"""Related stories on sites of the size Byline's users have: 30, 100 and 300 articles.

Run through ``benchmarks/related_quality.py --small`` (which fetches the corpora). For each
size n and each of ten fixed seeds, a subsample is drawn the way a real site grows: first a
few labels (about 6 topics for n = 30, 10 for n = 100, every label for n = 300), then the
articles, at least MIN_PER_LABEL per topic and the rest at random from those topics. Each
subsample is built as a real Pelican site with Byline's plugin three ways:

- ``20ng``: 20 Newsgroups, the coarse group (comp, rec, sci, ...) as the Category;
- ``20ng-one``: the same subsample with one Category for every article (a one-section site);
- ``r8``: Reuters R8, no metadata.

Label measure: precision@5 (share of the 5 picks with the article's label). Closeness
measure, label-free: every article is cut into two halves that become two articles of one
site; the mean reciprocal rank of each half's twin among its first 10 picks. Both for
Byline's picks from the build and, computed in the same run from the same article text, for
plain TF-IDF cosine, TF-IDF over Byline's own tokens and stems, and BM25. The paired
difference Byline minus stemmed TF-IDF (same subsample) is reported with a 95% interval
(Student t over the seeds).
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parent.parent
SIZES = (30, 100, 300)
SEEDS = 10
LABELS_DRAWN = {30: 6, 100: 10}  # topics a subsample of that size draws; other sizes: all
MIN_PER_LABEL = 3  # articles each drawn topic gets before the rest are drawn at random
MRR_DEPTH = 10  # picks the closeness measure looks at
VARIANTS = {  # name: (corpus, one Category for every article)
    "20ng": ("20ng", False),
    "20ng-one": ("20ng", True),
    "r8": ("r8", False),
}
T_975 = {  # Student t quantiles for a two-sided 95% interval, by degrees of freedom
    1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
    9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 14: 2.145, 19: 2.093, 29: 2.045,
}  # fmt: skip
METHODS = ("byline", "tfidf", "tfidf-stem", "bm25")
GOAL = 0.03  # the paired difference to stemmed TF-IDF every row must reach (label measure)


def subsample(
    rows: Sequence[tuple[str, str]], n: int, seed: int, corpus: str
) -> list[tuple[str, str]]:
    """n (label, text) rows: labels first, then at least MIN_PER_LABEL articles of each."""
    rng = random.Random(f"{corpus}-{n}-{seed}")
    by_label: dict[str, list[int]] = {}
    for i, (label, _text) in enumerate(rows):
        by_label.setdefault(label, []).append(i)
    labels = sorted(by_label)
    drawn = LABELS_DRAWN.get(n, len(labels))
    chosen = sorted(rng.sample(labels, min(drawn, len(labels))))
    picked: list[int] = []
    for label in chosen:
        picked += rng.sample(by_label[label], min(MIN_PER_LABEL, len(by_label[label])))
    taken = set(picked)
    rest = [i for label in chosen for i in by_label[label] if i not in taken]
    picked += rng.sample(rest, min(n - len(picked), len(rest)))
    picked.sort()
    return [rows[i] for i in picked]


def halves(sample: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each article cut into two (by words); the twins share the label, nothing else."""
    out = []
    for label, text in sample:
        words = text.split()
        middle = len(words) // 2
        out += [(label, " ".join(words[:middle])), (label, " ".join(words[middle:]))]
    return out


def write_site(folder: Path, sample: Sequence[tuple[str, str]], category: Callable) -> None:
    """One Markdown article per row; the title says nothing (numbers are not words)."""
    folder.mkdir(parents=True)
    start = datetime(2020, 1, 1)
    for i, (label, text) in enumerate(sample):
        when = start + timedelta(hours=i)
        (folder / f"doc-{i:04d}.md").write_text(
            f"Title: Part {i}\nDate: {when:%Y-%m-%d %H:%M}\nCategory: {category(label)}\n"
            f"Label: {label}\n\n{text}\n",
            encoding="utf-8",
        )


class SiteReader:
    """Pelican settings read once; each site is then read with the plugin, as a build does."""

    def __init__(self) -> None:
        from byline.related_report import read_only_settings

        self.base = read_only_settings(
            ROOT / "pelicanconf.py",
            {"BYLINE_NEWSLETTER_EXPORT": False, "DEFAULT_CATEGORY": "all", "CACHE_CONTENT": False},
        )

    def articles(self, content: Path, count: int) -> list:
        """The site's articles (sorted by file name) with their related picks."""
        from byline.related_report import read_with

        settings = copy.deepcopy(self.base)
        settings["PATH"] = str(content)
        settings["BYLINE_RELATED_COUNT"] = count
        with contextlib.redirect_stderr(io.StringIO()):  # Pelican's "Done: ..." per site
            found = read_with(settings)
        return sorted(found, key=lambda a: a.source_path)


# --- baselines: the same article text, scored by textbook methods --------------------------

_WORD = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


def _texts(articles: Sequence) -> list[str]:
    return [" ".join((a.record.title, a.record.standfirst, a.record.body_text)) for a in articles]


def _matrix(token_lists: list[list[str]]) -> sp.csr_matrix:
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, tokens in enumerate(token_lists):
        for t in tokens:
            rows.append(i)
            cols.append(vocab.setdefault(t, len(vocab)))
    m = sp.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(token_lists), max(1, len(vocab)))
    )
    m.sum_duplicates()
    return m


def plain_counts(texts: list[str]) -> sp.csr_matrix:
    """Lower-cased words of two or more characters, no stop words, no stemming."""
    return _matrix([_WORD.findall(t.lower()) for t in texts])


def stemmed_counts(texts: list[str]) -> sp.csr_matrix:
    """Byline's own tokens: its stop words, letter runs and Snowball stems."""
    from byline.related.tokens import word_terms

    chunks = [t.lower().split() for t in texts]
    distinct = sorted({c for doc in chunks for c in doc})
    terms = dict(zip(distinct, word_terms(distinct), strict=True))
    return _matrix([[term for c in doc for term in terms[c]] for doc in chunks])


def tfidf_scores(counts: sp.csr_matrix) -> np.ndarray:
    """Cosine of raw-tf x smoothed-idf rows (scikit-learn's TfidfVectorizer defaults)."""
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    x = counts @ sp.diags(np.log((1.0 + n) / (1.0 + df)) + 1.0)
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    x = sp.diags(1.0 / norms) @ x
    return (x @ x.T).toarray()


def bm25_scores(counts: sp.csr_matrix, k1: float = 1.2, b: float = 0.75) -> np.ndarray:
    """Okapi BM25 with each article's distinct words as the query."""
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
    length = np.asarray(counts.sum(axis=1)).ravel()
    norm = k1 * (1 - b + b * length / max(length.mean(), 1e-9))
    c = counts.tocoo()
    weight = c.data * (k1 + 1) / (c.data + norm[c.row]) * idf[c.col]
    doc = sp.csr_matrix((weight, (c.row, c.col)), shape=counts.shape)
    query = counts.copy()
    query.data[:] = 1.0
    return (query @ doc.T).toarray()


def ranked(scores: np.ndarray, depth: int) -> list[list[int]]:
    """Each row's best `depth` other rows (score desc, then position)."""
    s = scores.astype(np.float64).copy()
    np.fill_diagonal(s, -np.inf)
    order = np.lexsort((np.broadcast_to(np.arange(len(s)), s.shape), -s), axis=1)
    return [[int(j) for j in row[:depth] if np.isfinite(s[i, j])] for i, row in enumerate(order)]


def baseline_picks(articles: Sequence, depth: int) -> dict[str, list[list[int]]]:
    texts = _texts(articles)
    plain, stemmed = plain_counts(texts), stemmed_counts(texts)
    return {
        "tfidf": ranked(tfidf_scores(plain), depth),
        "tfidf-stem": ranked(tfidf_scores(stemmed), depth),
        "bm25": ranked(bm25_scores(plain), depth),
    }


def byline_picks(articles: Sequence) -> list[list[int]]:
    position = {id(a): i for i, a in enumerate(articles)}
    return [[position[id(p.article)] for p in a.related] for a in articles]


# --- the two measures ----------------------------------------------------------------------


def precision_at_5(picks: list[list[int]], labels: list[str]) -> float:
    return float(
        np.mean([sum(labels[j] == labels[i] for j in row[:5]) / 5 for i, row in enumerate(picks)])
    )


def twin_mrr(picks: list[list[int]]) -> float:
    """Mean reciprocal rank of each half's twin (0 and 1, 2 and 3, ...) in its picks."""
    total = 0.0
    for i, row in enumerate(picks):
        twin = i ^ 1
        if twin in row[:MRR_DEPTH]:
            total += 1.0 / (row.index(twin) + 1)
    return total / len(picks)


def measure(reader: SiteReader, sample: list, one_section: bool, corpus: str) -> dict:
    """Both measures for every method on one subsample."""

    def category(label: str) -> str:
        if one_section or corpus != "20ng":
            return "all"
        return label.split(".")[0]

    out: dict[str, dict[str, float]] = {m: {} for m in METHODS}
    with tempfile.TemporaryDirectory() as temp:
        for measure_name, rows, depth in (
            ("p@5", sample, 5),
            ("mrr", halves(sample), MRR_DEPTH),
        ):
            content = Path(temp) / measure_name
            write_site(content, rows, category)
            articles = reader.articles(content, depth)
            assert len(articles) == len(rows), (len(articles), len(rows))
            labels = [a.metadata["label"] for a in articles]
            picks = {"byline": byline_picks(articles), **baseline_picks(articles, depth)}
            for method, lists in picks.items():
                score = precision_at_5(lists, labels) if measure_name == "p@5" else twin_mrr(lists)
                out[method][measure_name] = score
    return out


def interval(diffs: list[float]) -> tuple[float, float, float]:
    """Mean and 95% interval (Student t) of paired differences."""
    mean = statistics.fmean(diffs)
    if len(diffs) < 2:
        return mean, float("nan"), float("nan")
    dof = len(diffs) - 1
    t = T_975.get(dof) or T_975[max(k for k in T_975 if k <= dof)]
    half = t * statistics.stdev(diffs) / len(diffs) ** 0.5
    return mean, mean - half, mean + half


def summary(results: list[dict], measure_name: str) -> str:
    means = "  ".join(
        f"{statistics.fmean(r[m][measure_name] for r in results):.3f}" for m in METHODS
    )
    mean, lo, hi = interval(
        [r["byline"][measure_name] - r["tfidf-stem"][measure_name] for r in results]
    )
    return f"{means}  {mean:+.3f} [{lo:+.3f}, {hi:+.3f}]"


def run_small(
    read_tab: Callable,
    sizes: Sequence[int] | None = None,
    seeds: int | None = None,
    json_path: Path | None = None,
) -> dict:
    """Print the small-site table (and write every run's figures to json_path)."""
    from related_quality import FILES

    sizes = tuple(sizes or SIZES)
    seeds = seeds or SEEDS
    reader = SiteReader()
    corpora = {name: [row for f in files for row in read_tab(f)] for name, files in FILES.items()}
    heads = "  ".join(f"{m:>5}"[:5] for m in ("byl", "tfidf", "stem", "bm25"))
    print(
        f"{'corpus':<9} {'n':>4}  p@5: {heads}  byline-stem [95% CI]   "
        f"mrr: {heads}  byline-stem [95% CI]"
    )
    everything: dict = {}
    started = time.perf_counter()
    for variant, (corpus, one_section) in VARIANTS.items():
        for n in sizes:
            results = [
                measure(reader, subsample(corpora[corpus], n, seed, corpus), one_section, corpus)
                for seed in range(seeds)
            ]
            everything[f"{variant}/{n}"] = results
            print(
                f"{variant:<9} {n:>4}  p@5: {summary(results, 'p@5')}   "
                f"mrr: {summary(results, 'mrr')}",
                flush=True,
            )
    print(
        f"({seeds} subsamples per row; columns Byline, plain TF-IDF, TF-IDF with Byline's "
        f"stems, BM25; goal: p@5 difference >= {GOAL} with the interval above 0; "
        f"{time.perf_counter() - started:.0f} s)"
    )
    if json_path:
        json_path.write_text(json.dumps(everything, indent=1), encoding="utf-8")
    return everything
