"""The evaluation result, read by tables, figures, notebooks and the report alike.

As a statsmodels fit returns a results object, `planlib.evaluate` returns an `Evaluation`:
``summary_frame(lang=)`` is the evaluation table and ``ev[id]`` (or ``ev[id, region]``) an
`IndicatorResult` holding everything one indicator's figure or paragraph needs: the history
used, the fit window, progress, the model selection as data, the per-year path on the
target's own scale, P(met), both statuses and the notes. Nothing downstream recomputes a
number, so nothing downstream can disagree with the table.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, overload

import numpy as np
import pandas as pd

from planlib.constants import Bounds, check_levels, clip_to
from planlib.core import area_rule, labels
from planlib.core.columns import core_names, dtypes, extra_names
from planlib.core.cycle_columns import CYCLE_COLUMNS, cycle_columns
from planlib.core.labels import Note
from planlib.core.models import Forecast
from planlib.core.models.base import Selection
from planlib.core.progress import Progress, TargetSpec
from planlib.core.targets.registry import flow_total, kind_of
from planlib.inputs.plan import Indicator, Plan


@dataclass(frozen=True)
class Outlook:
    """The outlook at the target year of one indicator (target scale, within bounds)."""

    model: str
    reason: str
    median: float
    lower: dict[int, float]
    upper: dict[int, float]
    p_meet: float
    notes: list[Note] = field(default_factory=list)

    @classmethod
    def empty(cls, levels: Sequence[int], model: str, reason: str,
              notes: list[Note] | None = None) -> Outlook:
        """No projection (too few data, or a project judged by its schedule)."""
        nan = math.nan
        return cls(model, reason, nan, dict.fromkeys(levels, nan), dict.fromkeys(levels, nan),
                   nan, list(notes or []))


@dataclass(frozen=True)
class IndicatorResult:
    """Everything the evaluation says about one indicator in one region (see module doc).

    ``history`` has one row per observation up to the evaluation year: year, value (on the
    target's scale: the running total since the baseline for cumulative targets on yearly
    additions), raw_value (as published), flag, and in_fit (inside the fit window).
    """

    indicator: Indicator
    region: str
    spec: TargetSpec
    as_of: int
    levels: tuple[int, ...]
    history: pd.DataFrame
    fit_from: int | None
    fit_to: int | None
    progress: Progress
    outlook: Outlook
    forecast: Forecast | None
    p_meet_by_model: dict[str, float]
    call_robust: bool | None
    outlook_status: str
    schedule_status: str | None
    latest_flag: str
    notes: tuple[Note, ...]
    reliability: str = ""  # planlib.core.reliability: "" (nothing projected), reliable, …

    # -- identity and target ------------------------------------------------------------
    @property
    def id(self) -> str:
        return self.indicator.id

    def name(self, lang: str = "zh") -> str:
        """The indicator's name in ``lang`` (Chinese name when no English one is given)."""
        return (self.indicator.name_en or self.indicator.name_zh) if lang == "en" \
            else self.indicator.name_zh

    def source(self, lang: str = "zh") -> str:
        """Where the target comes from, in ``lang`` (``source`` when no English one is given)."""
        return (self.indicator.source_en or self.indicator.source) if lang == "en" \
            else self.indicator.source

    @property
    def target_kind(self) -> str:
        return self.spec.kind

    @property
    def target_year(self) -> int:
        return self.spec.target_year

    @property
    def target_level(self) -> float:
        """The target as an equivalent level at the target year (progress module doc)."""
        return self.progress.target_level

    @property
    def bounds(self) -> Bounds:
        """The indicator's natural bounds (floats, None for open)."""
        return self.indicator.bounds

    # -- progress -------------------------------------------------------------------------
    @property
    def baseline_year(self) -> int | None:
        return self.progress.baseline_year

    @property
    def baseline_value(self) -> float:
        return self.progress.baseline_value

    @property
    def latest_year(self) -> int | None:
        return self.progress.latest_year

    @property
    def latest_value(self) -> float:
        return self.progress.latest_value

    @property
    def progress_status(self) -> str | None:
        return self.progress.status

    # -- outlook --------------------------------------------------------------------------
    @property
    def model(self) -> str:
        return self.outlook.model

    @property
    def selection(self) -> Selection | None:
        """The model choice as data (members, weights, scores, widening), or None."""
        return None if self.forecast is None else self.forecast.selection

    @property
    def median(self) -> float:
        return self.outlook.median

    @property
    def lower(self) -> dict[int, float]:
        return self.outlook.lower

    @property
    def upper(self) -> dict[int, float]:
        return self.outlook.upper

    @property
    def p_meet(self) -> float:
        return self.outlook.p_meet

    @property
    def p_meet_text(self) -> str:
        """P(met) as printed ("0.42", "< 0.01", "> 0.99", "" when none)."""
        return labels.format_p(self.p_meet)

    @property
    def at_risk(self) -> bool:
        """True when the outlook is unlikely or very unlikely, or a project runs late."""
        return self.outlook_status in labels.AT_RISK or self.schedule_status == "late"

    def without_target(self) -> IndicatorResult:
        """This result for an area not judged against a target: its outlook kept, progress
        and P(met) empty, status ``no_area_target`` (the columns
        `area_rule.UNJUDGED_COLUMNS` names)."""
        nan = math.nan
        prog = replace(self.progress, target_level=nan, progress_share=nan,
                       progress_ratio=nan, status=None, required_pace=nan,
                       acceleration_needed=nan, growth_ratio=nan)
        return replace(self, progress=prog, outlook=replace(self.outlook, p_meet=nan),
                       p_meet_by_model={}, call_robust=None,
                       outlook_status=area_rule.NO_AREA_TARGET,
                       notes=tuple(labels.unique_notes(area_rule.unjudged_notes(self.notes))))

    def notes_text(self, lang: str = "en") -> str:
        """All notes in one string, in ``lang``."""
        return labels.join_notes(self.notes, lang)

    # -- the per-year path ------------------------------------------------------------------
    def summary_frame(self, levels: Sequence[int] | None = None) -> pd.DataFrame:
        """Per year from the first observation to the target year: observed, fitted,
        plan_path (straight from baseline to target; compound for growth targets), median
        and lo<L>/hi<L> for each level, on the target's scale and within the bounds. The
        target-year row equals the evaluation table's row."""
        levels = self.levels if levels is None else check_levels(levels)
        first = int(self.history["year"].min()) if len(self.history) else self.target_year
        if self.baseline_year is not None:
            first = min(first, self.baseline_year)
        years = np.arange(first, self.target_year + 1)
        frame = pd.DataFrame({"year": years})
        observed = self.history.set_index("year")["value"]
        frame["observed"] = frame["year"].map(observed).astype("float64")
        frame["fitted"] = frame["year"].map(self._fitted()).astype("float64")
        frame["plan_path"] = [self._plan_level(int(t)) for t in years]
        projected = self._projection(levels)
        for col in ["median", *[f"{s}{lv}" for lv in levels for s in ("lo", "hi")]]:
            frame[col] = frame["year"].map(projected[col]) if len(projected) else math.nan
            frame[col] = frame[col].astype("float64")
        return frame

    def _plan_level(self, year: int) -> float:
        """The plan path: where the indicator would be in ``year`` on an even schedule."""
        t0, b, v, big_t = self.spec.baseline_year, self.baseline_value, self.target_level, \
            self.target_year
        if self.baseline_year is None or math.isnan(b) or not t0 <= year <= big_t:
            return math.nan
        share = (year - t0) / (big_t - t0)
        return float(kind_of(self.spec.kind).line(np.asarray(b), np.asarray(v), share))

    def _fitted(self) -> pd.Series:
        """In-sample fitted values over the fit window, on the target's scale."""
        fc = self.forecast
        if fc is None:
            return pd.Series(dtype="float64")
        fitted = pd.Series(fc.fit_values, index=fc.fit_years, dtype="float64")
        if not self._flow_total:
            return fitted.clip(*self.bounds)
        after = fitted[fitted.index > self.spec.baseline_year]
        return after.cumsum()

    @property
    def _flow_total(self) -> bool:
        return flow_total(self.spec.kind, self.spec.measure)

    def _projection(self, levels: Sequence[int]) -> pd.DataFrame:
        """median, lo<L>, hi<L> per forecast year, indexed by year (empty if none)."""
        fc = self.forecast
        if fc is None or len(fc.years) == 0:
            if self.model == "observed":  # the target year is observed: the outcome
                row = {"median": self.median} | {f"{s}{lv}": self.median
                                                 for lv in levels for s in ("lo", "hi")}
                return pd.DataFrame([row], index=[self.target_year])
            return pd.DataFrame()
        cols: dict[str, np.ndarray] = {}
        if self._flow_total:
            done = 0.0 if self.latest_year is None else self.latest_value
            if fc.samples is None:
                cols["median"] = done + np.cumsum(fc.median)
                nan = np.full(len(fc.years), math.nan)
                cols |= {f"{s}{lv}": nan for lv in levels for s in ("lo", "hi")}
            else:
                totals = done + np.cumsum(fc.samples, axis=1)
                cols["median"] = np.median(totals, axis=0)
                for lv in levels:
                    a = (100 - lv) / 200
                    cols[f"lo{lv}"] = np.quantile(totals, a, axis=0)
                    cols[f"hi{lv}"] = np.quantile(totals, 1 - a, axis=0)
        else:
            bounds = self.bounds
            cols["median"] = clip_to(fc.median, bounds)
            for lv in levels:
                lo, hi = _level_band(fc, lv)
                cols[f"lo{lv}"], cols[f"hi{lv}"] = clip_to(lo, bounds), clip_to(hi, bounds)
        return pd.DataFrame(cols, index=fc.years)

    def cycle(self) -> dict[str, Any]:
        """The plan-cycle columns of this row (`planlib.core.cycle_columns`): the stage and,
        in the final stage, the observed outcome of the target."""
        h = self.history
        prog = self.progress
        cols = cycle_columns(
            h["year"].to_numpy(dtype=float)[None, :], h["value"].to_numpy(dtype=float)[None, :],
            h["flag"].fillna("").astype(str).to_numpy(dtype=object)[None, :],
            baseline_year=self.spec.baseline_year, target_year=self.spec.target_year,
            as_of=self.as_of,
            latest_year=math.nan if prog.latest_year is None else prog.latest_year,
            target_level=prog.target_level, direction=self.spec.direction)
        return {name: cols[name][0] for name in CYCLE_COLUMNS}

    # -- the table row ------------------------------------------------------------------------
    def row(self, lang: str = "en") -> dict[str, Any]:
        """This result as one row of the evaluation table (`Evaluation.summary_frame`)."""
        prog, ind, spec = self.progress, self.indicator, self.spec
        row: dict[str, Any] = {
            "indicator_id": ind.id, "region": self.region, "target_kind": spec.kind,
            "baseline_year": prog.baseline_year, "baseline_value": prog.baseline_value,
            "target_year": spec.target_year, "target_value": prog.target_level,
            "latest_year": prog.latest_year, "latest_value": prog.latest_value,
            "n_obs": int(self.history["in_fit"].sum()),
            "schedule_share": prog.schedule_share, "progress_share": prog.progress_share,
            "progress_ratio": prog.progress_ratio, "progress_status": prog.status,
            "required_pace": prog.required_pace, "recent_pace": prog.recent_pace,
            "model": self.model, "median": self.median,
        }
        for lv in self.levels:
            row[f"lo{lv}"], row[f"hi{lv}"] = self.lower[lv], self.upper[lv]
        sel = self.selection
        row |= {
            "p_meet": self.p_meet, "outlook_status": self.outlook_status,
            "name_zh": ind.name_zh, "name_en": ind.name_en, "unit": ind.unit,
            "nature": ind.nature, "group": ind.group, "direction": ind.direction,
            "measure": ind.measure, "region_role": area_rule.region_role(self.region),
            "target_raw_value": spec.value,
            "acceleration_needed": prog.acceleration_needed, "growth_ratio": prog.growth_ratio,
            # a context indicator (no target) has no progress to word
            "progress_status_zh": labels.label(prog.status, "zh", labels.PROGRESS_LABELS)
            if ind.target is not None else "",
            "progress_status_en": labels.label(prog.status, "en", labels.PROGRESS_LABELS)
            if ind.target is not None else "",
            "outlook_status_zh": labels.label(self.outlook_status, "zh"),
            "outlook_status_en": labels.label(self.outlook_status, "en"),
            **self.cycle(),
            "reliability": self.reliability,
            "latest_flag": self.latest_flag, "model_reason": self.outlook.reason,
            "notes": self.notes_text(lang),
            "notes_zh": self.notes_text("zh"), "notes_en": self.notes_text("en"),
            "note_codes": ",".join(n.code for n in self.notes),
            "fit_from": self.fit_from, "fit_to": self.fit_to,
            "model_members": "+".join(sel.members) if sel else "",
            "p_meet_text": self.p_meet_text,
            "p_meet_by_model": json.dumps({m: round(p, 6) for m, p in
                                           self.p_meet_by_model.items()}, sort_keys=True),
            "call_robust": self.call_robust,
            "schedule_status": self.schedule_status or "",
            "schedule_status_zh": labels.label(self.schedule_status, "zh")
            if self.schedule_status else "",
            "schedule_status_en": labels.label(self.schedule_status, "en")
            if self.schedule_status else "",
        }
        return row


def _level_band(fc: Forecast, level: int) -> tuple[np.ndarray, np.ndarray]:
    """The central ``level`` % band per forecast year (any level, from the distribution)."""
    if level in fc.lower:
        return fc.lower[level], fc.upper[level]
    a = (100 - level) / 200
    return fc.quantile(a), fc.quantile(1 - a)


#: The documented columns of the evaluation table, in order (README; other tools rely on
#: them). Interval columns follow ``levels``; these are the defaults (80, 95).
CORE_COLUMNS: list[str] = core_names()  # the schema: planlib/core/columns.py
EXTRA_COLUMNS: list[str] = extra_names()


def core_columns(levels: Sequence[int]) -> list[str]:
    """The table's core columns for these interval levels."""
    columns = [c for c in CORE_COLUMNS if not c.startswith(("lo", "hi"))]
    at = columns.index("median") + 1
    for lv in levels:
        columns[at:at] = [f"lo{lv}", f"hi{lv}"]
        at += 2
    return columns


def table_columns(levels: Sequence[int]) -> list[str]:
    """The table's columns for these interval levels."""
    return core_columns(levels) + EXTRA_COLUMNS


Key = tuple[str, str]


class Results(Sequence[IndicatorResult]):
    """The results in table order, each built on first access (`build(id, region)`: from
    the panel's arrays, `planlib.core.panel_results`), so a run over
    100,000 regions does not hold 100,000 rich results it may never read."""

    def __init__(self, keys: Sequence[Key], built: Mapping[Key, IndicatorResult],
                 build: Callable[[str, str], IndicatorResult] | None = None) -> None:
        self._keys = list(keys)
        self._built = dict(built)
        self._build = build
        self.position = {k: i for i, k in enumerate(self._keys)}

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, i: int) -> IndicatorResult: ...

    @overload
    def __getitem__(self, i: slice) -> list[IndicatorResult]: ...

    def __getitem__(self, i: int | slice) -> IndicatorResult | list[IndicatorResult]:
        if isinstance(i, slice):
            return [self.get(k) for k in self._keys[i]]
        return self.get(self._keys[i])

    def __iter__(self) -> Iterator[IndicatorResult]:
        return (self.get(k) for k in self._keys)

    def keys(self) -> list[Key]:
        """(indicator id, region) of every result, in order."""
        return list(self._keys)

    def get(self, key: Key) -> IndicatorResult:
        """The result of (indicator id, region), built if it was not yet."""
        if key not in self._built:
            if self._build is None or key not in self.position:
                raise KeyError(key)
            self._built[key] = self._build(*key)
        return self._built[key]


@dataclass(frozen=True)
class Evaluation:
    """The evaluation of a plan: one `IndicatorResult` per indicator and region, in plan
    order (regions sorted), with the parameters that produced them. ``tables`` holds the
    table rows of every indicator (any number of regions); the results are built when
    read, from the panel's arrays."""

    plan: Plan
    results: Sequence[IndicatorResult]
    as_of: int
    model: str
    levels: tuple[int, ...]
    seed: int
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.results)

    def __iter__(self) -> Iterator[IndicatorResult]:
        return iter(self.results)

    def __getitem__(self, key: str | tuple[str, str]) -> IndicatorResult:
        """``ev["preschool_ger"]`` (the national or only series) or ``ev[id, region]``."""
        ident, region = (key, None) if isinstance(key, str) else key
        if isinstance(self.results, Results) and (ident, region) in self.results.position:
            return self.results.get((ident, str(region)))  # direct: no scan of 100k keys
        mine = self._regions.get(ident, [])
        if not mine:
            known = ", ".join(self._regions)
            raise KeyError(f"no indicator {ident!r} in this evaluation; known: {known}")
        if region is None:
            if "" in mine or len(mine) == 1:
                return self._get((ident, "" if "" in mine else mine[0]))
            regions = ", ".join(mine[:20]) + (", ..." if len(mine) > 20 else "")
            raise KeyError(f"{ident!r} has several regions ({regions}): use ev[{ident!r}, "
                           "region]")
        if (ident, region) in self._positions:
            return self._get((ident, region))
        shown = ", ".join(r or "(national)" for r in mine[:20]) + \
            (", ..." if len(mine) > 20 else "")
        raise KeyError(f"no region {region!r} for {ident!r}; regions: {shown}")

    def _get(self, key: Key) -> IndicatorResult:
        if isinstance(self.results, Results):
            return self.results.get(key)
        return self._by_key[key]

    @functools.cached_property
    def _regions(self) -> dict[str, list[str]]:
        """The regions of each indicator, in order (built once: no scan per look-up)."""
        out: dict[str, list[str]] = {}
        for ident, region in self.keys():
            out.setdefault(ident, []).append(region)
        return out

    @functools.cached_property
    def _positions(self) -> set[Key]:
        """Every (indicator id, region) of this evaluation."""
        return set(self.keys())

    @functools.cached_property
    def _by_key(self) -> dict[Key, IndicatorResult]:
        """A plain list of results keyed by (indicator id, region), built once."""
        return {(r.id, r.region): r for r in self.results}

    def keys(self) -> list[tuple[str, str]]:
        """(indicator id, region) of every result, in order."""
        if isinstance(self.results, Results):
            return self.results.keys()
        return [(r.id, r.region) for r in self.results]

    def latest_years(self) -> np.ndarray:
        """The latest observed year of every result (NaN: none; the table rows of the
        vectorised path first, then the other results): read from those rows where they
        exist, so that asking the plan's stage builds no result (5,000 areas would each
        build one)."""
        tabled = [t["latest_year"].astype("Float64").to_numpy(float, na_value=np.nan)
                  for t in self.tables.values()]
        others = (iter(self.results) if not self.tables else
                  (self._get(k) for k in self.keys() if k[0] not in self.tables))
        rest = [np.nan if r.latest_year is None else r.latest_year for r in others]
        return np.concatenate([*tabled, np.array(rest, dtype="float64")])

    def summary_frame(self, lang: str = "en") -> pd.DataFrame:
        """The evaluation table: one row per result; ``notes`` in ``lang`` (notes_zh and
        notes_en are always there). Columns: README "What the evaluation computes"."""
        labels.check_lang(lang)
        columns = table_columns(self.levels)
        parts: list[pd.DataFrame] = []
        pending: list[dict[str, Any]] = []
        keys = self.keys()
        start = 0
        while start < len(keys):
            ident = keys[start][0]
            stop = start
            while stop < len(keys) and keys[stop][0] == ident:
                stop += 1
            if ident in self.tables:
                if pending:
                    parts.append(pd.DataFrame(pending, columns=columns))
                    pending = []
                part = self.tables[ident].copy()
                part["notes"] = part[f"notes_{lang}"]
                parts.append(part[columns])
            else:
                pending += [self._get(k).row(lang) for k in keys[start:stop]]
            start = stop
        if pending or not parts:
            parts.append(pd.DataFrame(pending, columns=columns))
        frame = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
        # The schema's dtypes (core/columns.py) for the typed columns; text ("object")
        # keeps pandas' own text dtype: casting pandas 3's compact strings to Python
        # objects changes no value and raised bench-scale's peak memory by a sixth.
        return frame.astype({n: t for n, t in dtypes(columns).items() if t != "object"})

    @property
    def at_risk(self) -> list[IndicatorResult]:
        """Results whose target is at risk (unlikely or very unlikely, or running late)."""
        out = []
        for key in self.keys():
            table = self.tables.get(key[0])
            if table is None:
                result = self._get(key)
                if result.at_risk:
                    out.append(result)
        for ident, table in self.tables.items():
            risky = table["outlook_status"].isin(labels.AT_RISK) | \
                (table["schedule_status"] == "late")
            out += [self._get((ident, r)) for r in table.loc[risky, "region"]]
        order = {k: i for i, k in enumerate(self.keys())}
        return sorted(out, key=lambda r: order[(r.id, r.region)])
