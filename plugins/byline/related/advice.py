"""What related stories can promise at a site's size, in the one wording the build's warning
and ``invoke related`` both use."""

from __future__ import annotations

from .doc import SIGNALS, deciding_signal
from .prior import prior_docs

EDITOR = "editor"  # what decided an editor's own pick


def text_is_thin(n: int) -> bool:
    """Whether a site of n articles is too small for its own word statistics: true while
    they weigh less than the general-English prior they are blended with (prior.py), that
    is under about 90 articles."""
    return n < prior_docs(n)


def small_site_note(n: int) -> str:
    """The plain-words warning for a small site (no trailing full stop)."""
    return (
        f"the site has {n} published articles, too few for text relevance to mean much; "
        "picks lean on shared tags, sections and series, so tag your posts, or add "
        "`Related: slug, slug` lines for the pairs that matter"
    )


def decided_by(score: float | None, parts: tuple[float, ...]) -> str:
    """The signal that decided a pick, as the report names it."""
    if score is None:
        return EDITOR
    return deciding_signal(parts)


def signal_table(parts: tuple[float, ...]) -> dict[str, float]:
    """A pick's parts by signal name ({} for an editor's pick)."""
    return dict(zip(SIGNALS, parts, strict=True)) if parts else {}
