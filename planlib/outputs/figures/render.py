"""Figures drawn to file bytes, in two worker processes when there are many: a plan of 200
indicators has over 230 charts and each costs about 0.4 s of CPU for its three formats, nearly
all of it in matplotlib's text layout, rasteriser and PDF font subsetting, so the large
saving left that keeps every byte is to draw on both cores at once.

Workers are forked (Linux), so the recipes -- closures over the evaluation, which cannot
be pickled -- are inherited rather than sent; only an index goes out and the bytes come
back, in the recipes' order. Each figure is drawn alone from its recipe, in a worker or
here, and a figure's bytes do not depend on what was drawn before it (style.freeze_layout),
so the output is the same with any number of workers. Warnings a worker raises (a name
the font cannot draw) are raised again here, in order.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from matplotlib.figure import Figure

from planlib.outputs.figures import style

#: A figure not drawn yet: its file stem and the call that draws it.
Recipe = tuple[str, Callable[[], Figure]]

#: Environment variable setting the number of worker processes (1: draw here, no workers).
WORKERS_ENV = "PLANLIB_WORKERS"
#: At most this many workers by default (the machines planlib runs on have 2 to 8 cores;
#: more workers add memory faster than speed).
MAX_WORKERS = 2
#: Fewer figures than this are drawn here: starting workers would cost more than it saves.
POOL_FROM = 8

#: The recipes and formats being drawn, inherited by forked workers (set only while a
#: pool runs).
_TASKS: list[tuple[Recipe, tuple[str, ...]]] = []

Files = list[tuple[str, bytes]]


def workers(n_figures: int) -> int:
    """How many worker processes draw ``n_figures`` figures: PLANLIB_WORKERS when set, else
    up to MAX_WORKERS and the cores; 1 (no workers) for few figures or where fork is not
    available."""
    wanted = os.environ.get(WORKERS_ENV, "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        n = int(wanted)
    else:
        n = min(MAX_WORKERS, os.cpu_count() or 1)
    if n_figures < POOL_FROM or not sys.platform.startswith("linux") \
            or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(n, n_figures))


def _draw(recipe: Recipe, formats: Sequence[str]) -> Files:
    """One figure drawn from its recipe and encoded in ``formats``."""
    stem, draw = recipe
    return style.figure_files(draw(), stem, formats)


def _draw_task(index: int) -> tuple[Files, list[Warning | str]]:
    """In a worker: the files of task ``index`` and the warnings drawing it raised (whole,
    so their fields survive the trip)."""
    recipe, formats = _TASKS[index]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        files = _draw(recipe, formats)
    return files, [w.message for w in caught]


def rendered(recipes: Sequence[Recipe], formats: Sequence[str] = style.FORMATS,
             n_workers: int | None = None) -> Iterator[tuple[str, Files]]:
    """(stem, [(file name, bytes), …]) for each recipe, in order, each figure drawn only
    when reached (one at a time here, or in ``n_workers`` worker processes; default
    `workers`)."""
    formats = tuple(formats)
    n = workers(len(recipes)) if n_workers is None else n_workers
    if n <= 1:
        for recipe in recipes:
            yield recipe[0], _draw(recipe, formats)
        return
    global _TASKS  # noqa: PLW0603 -- read by the forked workers, never pickled
    _TASKS = [(recipe, formats) for recipe in recipes]
    try:
        with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork")) as pool:
            for recipe, (files, caught) in zip(recipes, pool.map(_draw_task,
                                                                 range(len(recipes))),
                                               strict=True):
                for message in caught:
                    warnings.warn(message, stacklevel=2)
                yield recipe[0], files
    finally:
        _TASKS = []
