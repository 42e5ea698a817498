"""The demo's related picks, pinned: slugs, order, scores (3 decimals) and reasons.

Any change to the ranker that moves a pick, a score or a reason on the demo fails here;
if the change is meant, regenerate the file with ``python tests/test_related_golden.py``
and say why in the commit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from conftest import build
from pelican import signals
from pelican.generators import ArticlesGenerator

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "related" / "demo_picks.json"


def demo_picks(output: Path) -> dict[str, list[list[str]]]:
    """Build the demo and return every published article's picks as plain JSON values."""
    found: list = []

    def grab(generators) -> None:
        for generator in generators:
            if isinstance(generator, ArticlesGenerator):
                found.extend(generator.articles)

    signals.all_generators_finalized.connect(grab)
    try:
        build(output)
    finally:
        signals.all_generators_finalized.disconnect(grab)
    return {
        article.slug: [
            [
                pick.article.slug,
                "editor" if pick.score is None else f"{pick.score:.3f}",
                "; ".join(pick.reasons),
            ]
            for pick in article.related
        ]
        for article in sorted(found, key=lambda a: a.slug)
    }


def test_the_demo_related_picks_are_the_pinned_ones(tmp_path):
    picks = demo_picks(tmp_path / "output")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert len(picks) == 13
    assert picks == golden


if __name__ == "__main__":  # regenerate the pinned file from today's code
    import tempfile

    with tempfile.TemporaryDirectory() as temp:
        data = demo_picks(Path(temp) / "output")
    rows = ",\n".join(
        f"  {json.dumps(slug)}: [\n" + ",\n".join(f"    {json.dumps(p)}" for p in picks) + "\n  ]"
        for slug, picks in data.items()
    )
    GOLDEN.write_text("{\n" + rows + "\n}\n", encoding="utf-8")
    print(f"wrote {GOLDEN} ({len(data)} articles)", file=sys.stderr)
