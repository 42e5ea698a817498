"""Render each story card once per build, however many pages list the story.

A story's card (headline, standfirst, byline, thumbnail) is the same on every page that
lists it with the same arguments, yet a site prints it many times over: in Related
stories, More from and Most read on every article, and on the home page and archives.
``RenderMemo`` calls a template macro once per distinct set of arguments and hands back
the same HTML after that. The template still decides every character; this only
remembers what it said. One memo lives on each generator's template environment, so a
rebuild (``invoke livereload``) starts afresh.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_PLAIN = (str, int, float, bool, type(None))


def _key(value: Any) -> Any:
    """Plain values count by value; objects (an article, a pick) by identity (a 1-tuple,
    which no plain value is, so the two never meet)."""
    return value if isinstance(value, _PLAIN) else (id(value),)


class RenderMemo:
    """``memo(macro, *args, **kwargs)``: the macro's output, worked out once per arguments."""

    def __init__(self) -> None:
        self._done: dict[tuple, tuple] = {}

    def __call__(self, macro: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        # Keyword arguments in the order given: a call site always gives them in the same
        # order, and two orders only cost a second rendering, never a wrong card.
        key = (id(macro), *[_key(v) for v in args], *[(k, _key(v)) for k, v in kwargs.items()])
        done = self._done.get(key)
        if done is None:
            # Keep the arguments alive with the result, so no id in a key is ever reused.
            done = (macro(*args, **kwargs), macro, args, kwargs)
            self._done[key] = done
        return done[0]
