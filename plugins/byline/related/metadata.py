"""Section, series, author and tags as numbers the scorer can compare in bulk."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .doc import Doc
from .vectors import l2
from .weights import Weights


@dataclass(frozen=True)
class Field:
    """One single-valued field: a code per doc (-1 = empty, never matches) and its bonus."""

    name: str  # as in the reasons: "same <name>"
    codes: np.ndarray
    distinct: int
    weight: float
    used: bool  # weighted, and at least two docs have a value


@dataclass(frozen=True)
class Metadata:
    """Everything but the text: the fields in scoring order, and the tags."""

    fields: tuple[Field, ...]  # section, series, author
    tags: sp.csr_matrix | None  # IDF-weighted, L2-normalised tag vectors (None: no tags)
    tag_sets: list[frozenset[str]]  # each doc's normalised tags, to name the shared ones
    tag_weight: float

    @property
    def section(self) -> Field:
        return self.fields[0]


def codes(values: Sequence[str]) -> tuple[np.ndarray, int]:
    """Non-empty strings -> int codes, empty -> -1 (empty never matches)."""
    table: dict[str, int] = {}
    out = np.empty(len(values), dtype=np.int64)
    for i, v in enumerate(values):
        out[i] = table.setdefault(v, len(table)) if v else -1
    return out, len(table)


def tag_matrix(docs: Sequence[Doc]) -> tuple[sp.csr_matrix | None, list[frozenset[str]]]:
    """IDF-weighted, L2-normalised tag vectors (tags compared case-insensitively), and each
    doc's set of normalised tags."""
    table: dict[str, int] = {}
    rows, cols, sets = [], [], []
    for i, d in enumerate(docs):
        tags = frozenset(t.strip().lower() for t in d.tags if t and t.strip())
        sets.append(tags)
        for t in tags:
            rows.append(i)
            cols.append(table.setdefault(t, len(table)))
    n = len(docs)
    if not table:
        return None, sets
    m = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, len(table)))
    m.sum_duplicates()
    df = np.bincount(m.indices, minlength=len(table))
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
    return l2(sp.csr_matrix(m @ sp.diags(idf))), sets


def metadata(docs: Sequence[Doc], weights: Weights) -> Metadata:
    """The docs' metadata, with the fields nobody shares (or nobody weights) switched off."""

    def field(name: str, values: list[str], weight: float) -> Field:
        found, distinct = codes(values)
        used = weight != 0 and distinct > 0 and (found >= 0).sum() > 1
        return Field(name, found, distinct, weight, bool(used))

    fields = (
        field("section", [d.section for d in docs], weights.section),
        field("series", [d.series for d in docs], weights.series),
        field("author", [d.author for d in docs], weights.author),
    )
    tags, sets = tag_matrix(docs) if weights.tags else (None, [])
    return Metadata(fields, tags, sets, weights.tags)


def same_value(field: Field, safe: np.ndarray, valid: np.ndarray) -> np.ndarray | None:
    """Whether each doc and each of its candidates share the field's value (None: unused)."""
    if not field.used:
        return None
    mine = field.codes[:, None]
    return (mine == field.codes[safe]) & (mine >= 0) & valid
