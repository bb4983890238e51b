"""The vectorised path: the table rows of thousands of series of one indicator at once.

`evaluate` writes the rows of an indicator's regions through `rows.py` (flows through
`flows.py`) without a Python loop per series: series are padded (S, N) matrices (`panel`),
every trend model is fitted to all rows at once (`fits`), `auto`'s rolling-origin backtest
loops over the origin index only (`backtest`), the choice is one record of arrays
(`auto.choose`) and quantile averaging and P(met) are vectorised (`mixture`). One series
is a panel of one row: the per-series `planlib.core.models.forecast` takes its choice and
its quantiles from here too. The rules and constants are imported from
`planlib.core.models.selection`, never copied.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .panel import Panel, panel_from_long

#: Imported on first use: `planlib.core.models.api` imports the panel choice (`auto`)
#: below this package, and `rows` sits above `planlib.core.models`.
_EXPORTS = {"Panel": ".panel", "panel_from_long": ".panel"}
__all__ = ["Panel", "panel_from_long"]


def __getattr__(name: str) -> Any:
    """The public names, imported lazily (see `_EXPORTS`)."""
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
