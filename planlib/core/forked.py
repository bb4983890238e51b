"""Work spread over forked worker processes, in order: the evaluation of a plan with many
indicators and the drawing of its figures (measured in benchmarks/README.md, many
indicators), on machines of 2 to 8 cores.

Workers are forked (Linux), so the function and its inputs -- often closures over an
evaluation, which cannot be pickled -- are inherited rather than sent; only an index goes
out and the result comes back (pickled), in the inputs' order. Callers keep the result
independent of the number of workers (seeds per indicator and region, figures drawn alone).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Environment variable setting the number of worker processes (1: work here, no workers).
WORKERS_ENV = "PLANLIB_WORKERS"
#: At most this many workers by default (more add memory faster than speed).
MAX_WORKERS = 2

#: The function and inputs being mapped, inherited by forked workers (set only while a
#: pool runs).
_JOB: list[tuple[Callable[[Any], Any], Sequence[Any]]] = []


def can_fork() -> bool:
    """True where workers can be forked (Linux with the fork start method)."""
    return sys.platform.startswith("linux") \
        and "fork" in multiprocessing.get_all_start_methods()


def workers(n_tasks: int, pool_from: int) -> int:
    """How many worker processes share ``n_tasks`` tasks: PLANLIB_WORKERS when set, else up
    to MAX_WORKERS and the cores; 1 (no workers) below ``pool_from`` tasks (starting workers
    would cost more than it saves) or where fork is not available."""
    wanted = os.environ.get(WORKERS_ENV, "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        n = int(wanted)
    else:
        n = min(MAX_WORKERS, os.cpu_count() or 1)
    if n_tasks < pool_from or not can_fork():
        return 1
    return max(1, min(n, n_tasks))


def _run(index: int) -> Any:
    """In a worker: the function of the job applied to its input ``index``."""
    fn, items = _JOB[0]
    return fn(items[index])


def forked_map(fn: Callable[[T], R], items: Sequence[T], n_workers: int,
               chunksize: int = 1) -> Iterator[R]:
    """``fn`` of each item, in order: here when ``n_workers`` <= 1, else in that many forked
    workers (each result pickled back; ``chunksize`` items go out at a time)."""
    if n_workers <= 1:
        yield from map(fn, items)
        return
    global _JOB  # noqa: PLW0603 -- read by the forked workers, never pickled
    _JOB = [(fn, items)]
    try:
        with ProcessPoolExecutor(n_workers,
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(_run, range(len(items)), chunksize=max(1, chunksize))
    finally:
        _JOB = []
