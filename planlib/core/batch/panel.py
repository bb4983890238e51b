"""Many short series as padded matrices: one row per series, observations left-aligned.

Row i holds series i's years and values sorted by year in columns 0 .. n_i - 1; the rest is
padding (year 0, value 0) that every computation masks out with `valid`. Gaps between years
are kept as they are: every model uses the actual year spacing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Panel:
    """Padded (S, N) matrices of years and values; `n` observations per row."""

    keys: np.ndarray  # (S,) the series key (region) of each row
    years: np.ndarray  # (S, N) float years, 0 in the padding
    values: np.ndarray  # (S, N) float values, 0 in the padding
    n: np.ndarray  # (S,) int observations per row

    @classmethod
    def one(cls, years: np.ndarray, values: np.ndarray) -> Panel:
        """One series (sorted years, no missing value) as a panel of one row."""
        return cls(np.array([""], dtype=object), np.asarray(years, dtype=float)[None, :],
                   np.asarray(values, dtype=float)[None, :], np.array([len(values)]))

    @property
    def valid(self) -> np.ndarray:
        """(S, N) True where a column holds an observation."""
        return np.arange(self.years.shape[1])[None, :] < self.n[:, None]

    def last(self, matrix: np.ndarray) -> np.ndarray:
        """The entry of `matrix` in each row's last observed column (NaN when n = 0)."""
        idx = np.maximum(self.n - 1, 0)
        out = matrix[np.arange(len(self.n)), idx].astype(float)
        return np.where(self.n > 0, out, np.nan)

    def take(self, rows: np.ndarray) -> Panel:
        """The sub-panel of the given rows (boolean mask or indices)."""
        return Panel(self.keys[rows], self.years[rows], self.values[rows], self.n[rows])


def panel_from_long(frame: pd.DataFrame, key: str = "region") -> Panel:
    """Build a Panel from a long frame with columns `key`, year, value (missing values and
    rows with a missing year are dropped; duplicated (key, year) pairs raise ValueError)."""
    data = frame[[key, "year", "value"]].copy()
    data["value"] = pd.to_numeric(data["value"], errors="coerce")
    data = data[data["year"].notna() & data["value"].notna()]
    data[key] = data[key].fillna("")
    codes, keys = pd.factorize(data[key], sort=True)
    years = data["year"].to_numpy(dtype=float)
    values = data["value"].to_numpy(dtype=float)
    order = np.lexsort((years, codes))
    codes, years, values = codes[order], years[order], values[order]
    dup = (np.diff(codes) == 0) & (np.diff(years) == 0)
    if np.any(dup):
        i = int(np.flatnonzero(dup)[0])
        raise ValueError(f"duplicated year {int(years[i])} in series {keys[codes[i]]!r}")
    counts = np.bincount(codes, minlength=len(keys))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    col = np.arange(len(codes)) - starts[codes]
    width = int(counts.max()) if counts.size else 0
    ymat = np.zeros((len(keys), width))
    vmat = np.zeros((len(keys), width))
    ymat[codes, col] = years
    vmat[codes, col] = values
    return Panel(np.asarray(keys, dtype=object), ymat, vmat, counts.astype(np.int64))


def keep_columns(panel: Panel, keep: np.ndarray) -> Panel:
    """The panel with only the observations where `keep` (S, N) is True, re-left-aligned."""
    keep = keep & panel.valid
    n = keep.sum(axis=1)
    order = np.argsort(~keep, axis=1, kind="stable")  # kept columns first, in year order
    rows = np.arange(len(n))[:, None]
    width = max(int(n.max()), 1) if n.size else 0  # one padding column when all are empty,
    # as a series without observations is a grid of width one (`progress.progress`)
    years = panel.years[rows, order][:, :width]
    values = panel.values[rows, order][:, :width]
    pad = np.arange(width)[None, :] >= n[:, None]
    return Panel(panel.keys, np.where(pad, 0.0, years), np.where(pad, 0.0, values),
                 n.astype(np.int64))
