"""The vectorised path: the table rows of thousands of series of one indicator at once.

`evaluate` writes the rows of an indicator's regions through `rows.py` (flows through
`flows.py`) -- the same numbers and the same model choice as the per-series
`planlib.core.models.forecast` (tests check 1e-9), without a Python loop per series: series
are padded (S, N) matrices (`panel`), every trend model is fitted to all rows at once
(`fits`), `auto`'s rolling-origin backtest loops over the origin index only (`backtest`),
and quantile averaging and P(met) are vectorised (`mixture`). The rules and constants are
imported from `planlib.core.models.selection`, never copied.
"""

from .panel import Panel, panel_from_long

__all__ = ["Panel", "panel_from_long"]
