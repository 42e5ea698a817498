"""The content checks a build runs, shown as warnings, cached per file.

A build lints each post on its own (text damage, metadata, images, dates); the
cross-file checks (links, duplicate slugs, Related: lines) need the whole site and run
in `invoke lint` and `invoke publish`. Findings are cached by each file's size and
modification time, so an unchanged post costs a stat, not a re-read.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

CACHE_NAME = "byline-lint.json"
CACHE_VERSION = 4  # 4: a Memo under the checks' code; 3: shared header checks
# Modules outside lint/ whose checks the build's lint runs (the fingerprint reads them).
_CHECK_MODULES = ("post_checks.py", "dates.py", "slugs.py", "collisions.py", "textclean.py")


def _fingerprint(settings: dict, today: str) -> str:
    """What every kept finding depends on besides its file: the lint settings, today's
    date (a post can become future-dated or stale) and the checks' own code."""
    from .memo import fingerprint

    here = Path(__file__).parent
    sources = [*here.joinpath("lint").glob("*.py"), *(here / n for n in _CHECK_MODULES)]
    lint_keys = {k: v for k, v in settings.items() if k.startswith("BYLINE_LINT_")}
    text = json.dumps([today, lint_keys], sort_keys=True, default=str)
    return fingerprint(sources, (), salt=f"{CACHE_VERSION} {text}")


def lint_for_build(
    content: Path, settings: dict, cache_dir: Path, now: datetime | None = None
) -> list:
    """Findings for every post and page, from the cache where the file is unchanged."""
    from .lint.config import LintConfig
    from .lint.index import SiteIndex, load_author_names
    from .lint.model import Finding
    from .lint.site import _now, lint_post, read_post, sources
    from .memo import Memo

    config = LintConfig.from_settings(settings)  # LintConfigError names the bad setting
    found = sources(content, settings)
    now = _now(now, config)
    memo = Memo(cache_dir / CACHE_NAME, _fingerprint(settings, now.date().isoformat()))
    index = SiteIndex(authors=load_author_names(content / config.authors_file))
    findings: list = []
    for source in found:
        if source.excluded:
            continue

        def lint(path: Path, source=source) -> list[dict]:
            post = read_post(path, str(content / source.relpath))
            hits = lint_post(
                post,
                config=config,
                now=now,
                index=index,
                relpath=source.relpath,
                is_page=source.is_page,
            )
            return [vars(hit) for hit in hits]

        findings += [Finding(**item) for item in memo.of_file("findings", source.path, lint)]
    memo.save()
    return sorted(findings)
