"""How the ranker runs: numpy's BLAS on one thread (the collector is paused by
``byline.collector``, which the build's glue shares).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


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
