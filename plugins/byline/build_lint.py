"""The content checks a build runs, shown as warnings, cached per file.

A build lints each post on its own (text damage, metadata, images, dates); the
cross-file checks (links, duplicate slugs, Related: lines) need the whole site and run
in `invoke lint` and `invoke publish`. Findings are cached by each file's size and
modification time, so an unchanged post costs a stat, not a re-read.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

from .durable import write_atomic

CACHE_NAME = "byline-lint.json"
CACHE_VERSION = 3  # 3: shared header checks (post_checks.py); 2: settled findings, E217, E218


def _fingerprint(settings: dict, today: str) -> str:
    lint_keys = {k: v for k, v in settings.items() if k.startswith("BYLINE_LINT_")}
    text = json.dumps([CACHE_VERSION, today, lint_keys], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def lint_for_build(
    content: Path, settings: dict, cache_dir: Path, now: datetime | None = None
) -> list:
    """Findings for every post and page, from the cache where the file is unchanged."""
    from .lint.config import LintConfig
    from .lint.index import SiteIndex, load_author_names
    from .lint.model import Finding
    from .lint.site import _now, lint_post, read_post, sources

    config = LintConfig.from_settings(settings)  # LintConfigError names the bad setting
    found = sources(content, settings)
    now = _now(now, config)
    key = _fingerprint(settings, now.date().isoformat())
    cache_file = cache_dir / CACHE_NAME
    try:
        cache = json.loads(cache_file.read_text(encoding="utf-8"))
        if cache.get("key") != key:
            cache = {}
    except (OSError, ValueError):
        cache = {}
    entries: dict = cache.get("files", {})
    index = SiteIndex(authors=load_author_names(content / config.authors_file))
    fresh: dict = {}
    findings: list = []
    for source in found:
        if source.excluded:
            continue
        stat = source.path.stat()
        stamp = [stat.st_mtime_ns, stat.st_size]
        entry = entries.get(source.relpath)
        if entry and entry["stamp"] == stamp:
            hits = [Finding(**item) for item in entry["findings"]]
        else:
            post = read_post(source.path, str(content / source.relpath))
            hits = lint_post(
                post,
                config=config,
                now=now,
                index=index,
                relpath=source.relpath,
                is_page=source.is_page,
            )
        fresh[source.relpath] = {"stamp": stamp, "findings": [vars(hit) for hit in hits]}
        findings += hits
    if fresh != entries:
        write_atomic(cache_file, json.dumps({"key": key, "files": fresh}), durable=False)
    return sorted(findings)
