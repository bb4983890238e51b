"""Constants and small checks used across layers: model names, the year range, interval
levels and clipping to an indicator's bounds. One place, so the CLI, the library and the
plan validation cannot drift apart."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

# The single trend models (one spec each in the registry); ``auto`` chooses among them.
from planlib.core.models.registry import MODELS as MODELS

#: What ``--model`` / ``model=`` accepts.
MODEL_CHOICES: tuple[str, ...] = ("auto", *MODELS)
#: Languages planlib writes.
LANGS: tuple[str, ...] = ("zh", "en")


def check_lang(lang: str) -> str:
    """The language if planlib writes it (zh or en); ValueError otherwise."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; choose zh or en")
    return lang


#: Years planlib accepts anywhere (plan years, data years, --as-of).
YEAR_MIN, YEAR_MAX = 1900, 2100
#: Central interval levels in percent, by default.
DEFAULT_LEVELS: tuple[int, ...] = (80, 95)

#: Seeds numpy's SeedSequence takes: whole numbers from 0 to 2**64 - 1.
SEED_MAX = 2**64 - 1

Bounds = tuple[float | None, float | None]


def seed_message(seed: object) -> str | None:
    """Why a seed is refused, if it is: it must be a whole number in 0..SEED_MAX (a
    negative seed is refused rather than silently mapped to another)."""
    if not isinstance(seed, bool) and isinstance(seed, int | np.integer) \
            and 0 <= seed <= SEED_MAX:
        return None
    return f"seed {str(seed)[:40]} is not a whole number from 0 to {SEED_MAX}"


def check_levels(levels: Iterable[int | float | str]) -> tuple[int, ...]:
    """Sorted, de-duplicated integer percentages strictly between 0 and 100 (ValueError
    otherwise): the interval levels of every table, figure and report."""
    try:
        out = tuple(sorted({int(level) for level in levels}))
    except (TypeError, ValueError):
        raise ValueError(f"levels must be whole percentages like 80, 95; got {levels!r}") from None
    if not out or any(not 0 < level < 100 for level in out):
        raise ValueError(f"levels must be percentages strictly between 0 and 100, got {levels}")
    return out


def in_year_range(year: int) -> bool:
    """True for a year planlib accepts (YEAR_MIN..YEAR_MAX)."""
    return YEAR_MIN <= year <= YEAR_MAX


def clip_to(values: np.ndarray | float, bounds: Bounds) -> np.ndarray:
    """Values clipped to an indicator's natural bounds (None: unbounded on that side)."""
    lo, hi = bounds
    return np.clip(values, -np.inf if lo is None else lo, np.inf if hi is None else hi)


def clip_value(value: float, bounds: Bounds) -> float:
    """One value clipped to bounds, as a float (NaN stays NaN)."""
    return float(clip_to(value, bounds))
