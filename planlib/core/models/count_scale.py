"""Counts on the log scale (issue #17 item 5): an interval for a count is multiplicative.

A count (bounds [0, open): children, places, schools, places per 1,000 people) fitted by
a model on the identity scale (drift, drift_recent, linear, damped) gets a symmetric
additive interval, clipped at zero: "0–29,158" for a count at 19,870, an interval whose
lower end is a pile of probability at zero. Here each such member's margin in a future
year is re-expressed on the log scale with the same median and the same local spread
(the delta method: log-scale centre log c, scale s / c). The median is unchanged, a
narrow interval hardly changes (c ± q·s ≈ c·e^(±q·s/c)), a wide one becomes
multiplicative -- never below zero, longer above than below.

The delta method holds while the spread is small against the level. Where the median is
not positive (a trend heading below zero by that year) the log scale has no centre, and
where the scale exceeds MAX_SPREAD × the median the lognormal's upper tail would explode
(a member centred near zero with a wide scale gave an 80 % upper end of 74 million
children for a count of 3,584万); that year (or panel row) keeps the identity scale,
clipped at zero as before, and its interval -- wider than the level -- is what the
reliability rule (`planlib.core.reliability`) flags as ``too_wide``.

Which series: the indicator's declared bounds are [0, open) and so are the bounds the
model uses -- a rate whose target lies on 100 %, fitted with its top opened, is not a
count; nor is a count whose target of 0 opened its floor. One function on arrays
(`to_count_scale`) for the per-series fits (`count_fit`, called by `api.forecast` after
widening, told by `outlook` whether the indicator is a count) and the panel members
(`batch.auto`), so both paths give the same numbers.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .base import Bounds, Fit, Transform


def is_count(bounds: tuple[float | None, float | None]) -> bool:
    """A count: lower bound 0, no upper bound (None or NaN)."""
    lo, hi = bounds
    return lo == 0 and (hi is None or bool(np.isnan(hi)))


#: Largest scale / median a margin may have to be re-expressed on the log scale.
MAX_SPREAD = 0.5


def to_count_scale(center: np.ndarray, scale: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(log-scale centre, scale, on) of identity-scale margins: log c and s / c where the
    centre c > 0 and s <= MAX_SPREAD × c (`on`), unchanged elsewhere."""
    center = np.asarray(center, dtype=float)
    c = np.nan_to_num(center)
    with np.errstate(invalid="ignore"):
        on = (c > 0) & (np.nan_to_num(np.asarray(scale, dtype=float), nan=np.inf)
                        <= MAX_SPREAD * c)
    safe = np.where(on, center, 1.0)
    return (np.where(on, np.log(safe), center), np.where(on, np.asarray(scale) / safe, scale),
            on)


def count_transform(on: np.ndarray) -> Transform:
    """The working scale of converted margins: log where `on`, identity elsewhere."""
    return Transform("count", np.asarray(on, dtype=float))  # type: ignore[arg-type]


def count_fits(fits: list[Fit], bounds: Bounds) -> list[Fit]:
    """`count_fit` of many fits of equal length (one series: a list of one)."""
    if not fits or not is_count(bounds) or fits[0].center.size == 0:
        return fits
    ident = [i for i, f in enumerate(fits) if f.transform.kind == "identity"]
    if not ident:
        return fits
    centers = np.stack([fits[i].center for i in ident])
    center, _, on = to_count_scale(centers, np.stack([fits[i].scale for i in ident]))
    factor = np.where(on, 1.0 / np.where(on, centers, 1.0), 1.0)
    out = list(fits)
    for j, i in enumerate(ident):
        if on[j].any():
            out[i] = replace(fits[i], transform=count_transform(on[j]), center=center[j],
                             loadings=fits[i].loadings * factor[j][:, None])
    return out


def count_fit(fit: Fit, bounds: Bounds) -> Fit:
    """`fit` with its identity-scale margins re-expressed on the log scale for a count
    (unchanged for other bounds or working scales, or if no year has a positive centre).
    Scaling the rows of the loadings by 1 / c keeps the joint paths' dependence."""
    return count_fits([fit], bounds)[0]
