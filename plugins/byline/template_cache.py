"""Compiled templates kept between builds, so a rebuild does not compile the theme again.

Pelican gives every generator its own Jinja environment, and each compiles the templates
it renders: 29 compilations of the same few files in a demo-sized build, 2% of the CPU of
a 1,000-article one. Jinja's ``FileSystemBytecodeCache`` keeps the compiled code under
``CACHE_PATH/byline-templates/`` and checks each template's source on every load (a
changed template compiles afresh); Jinja's own marker covers its version and Python's.
Code compiled under other template settings (delimiters, whitespace handling, extensions,
autoescaping) lives in a folder of its own, so two sites never share a wrong compile.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

FOLDER = "byline-templates"

# What the compiled code depends on besides the template's own text.
_SETTINGS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "is_async",
)


def settings_key(env: Any) -> str:
    """A short hash of the environment's compile-time settings."""
    parts = [repr(getattr(env, name, None)) for name in _SETTINGS]
    parts.append(repr(sorted(env.extensions)))
    autoescape = env.autoescape
    parts.append(repr(autoescape) if isinstance(autoescape, bool) else f"callable:{autoescape!r}")
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def keep_compiled_templates(env: Any, cache_dir: Path | None) -> None:
    """Give ``env`` a bytecode cache in ``cache_dir`` unless it has one (or no cache)."""
    if cache_dir is None or getattr(env, "bytecode_cache", None) is not None:
        return
    from jinja2 import FileSystemBytecodeCache

    folder = Path(cache_dir) / FOLDER / settings_key(env)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a cache folder that cannot be written: compile as before
        return
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))
