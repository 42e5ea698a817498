"""How the ranker runs: the garbage collector paused and numpy's BLAS on one thread.

Kept apart from rank.py so the glue can pause the collector around the related step
without importing numpy (a build whose ranked lists come from the cache never loads it).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of short-lived objects are made.

    Tokens, picks and records hold no reference cycles, yet each burst of allocations would
    make the collector walk every object of the build (all articles and their HTML) again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run numpy's BLAS on one thread while ranking.

    The matrices are small (about 100 x 100 for the LSA sketch), so BLAS's worker threads
    only spin: on a busy 2-core machine three small eigendecompositions cost 0.3 s of CPU
    and a second of wall time with them, 6 ms without.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield
