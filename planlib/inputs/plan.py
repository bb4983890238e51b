"""The plan file: what a five-year plan promises, per indicator (DESIGN.md §1–2).

A plan is YAML (``data/raw/<plan_id>/plan.yaml``) validated by pydantic models. Every
problem is reported at once with the YAML line, the field and a fix. After loading,
per-indicator defaults are resolved (target year and baseline year fall back to the
plan's), so downstream code never has to look at two places.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from planlib.core.targets.registry import kind_of
from planlib.errors import InputError, Problem
from planlib.inputs import xml_chars
from planlib.inputs.data_files import find_data_file_groups, find_data_files
from planlib.inputs.plan_codes import code_of
from planlib.inputs.plan_drivers import ContextSeries, Driver, driver_problems
from planlib.inputs.plan_problems import (
    FORMAT_DOC,
    duplicate_ids,
    duplicate_keys,
    not_xml_problems,
    problem_from_error,
)
from planlib.inputs.yaml_limits import check_plan_size, check_yaml_limits
from planlib.inputs.yaml_lines import load_yaml_with_lines

TargetKind = Literal[
    "level_at_least",
    "level_at_most",
    "annual_change",
    "cumulative_increase",
    "average_growth",
    "milestone",
]
TARGET_KINDS: tuple[str, ...] = TargetKind.__args__  # type: ignore[attr-defined]

# Code fields, each also taking its codes' Chinese names (约束性, 下降: plan_codes).
Kind = Annotated[TargetKind, BeforeValidator(code_of("kind"))]
Direction = Annotated[Literal["increase", "decrease"], BeforeValidator(code_of("direction"))]
Nature = Annotated[Literal["binding", "expected", "unknown"], BeforeValidator(code_of("nature"))]
Measure = Annotated[Literal["stock", "flow"], BeforeValidator(code_of("measure"))]
#: Whether a target is published (adopted, 规划目标) or being drafted (draft, 草案目标).
TargetsStatus = Literal["adopted", "draft"]
ScheduleStatus = Annotated[Literal["planned", "under_construction", "completed"],
                           BeforeValidator(code_of("status"))]

_ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_\-]*$"
#: Longest plan or indicator id: ids name folders and files (docs/plan-format.md).
ID_MAX_LENGTH = 64


def _no_bool(value: object) -> object:
    """YAML reads yes/no/true as booleans; pydantic would take them as 1 and 0."""
    if isinstance(value, bool):
        raise PydanticCustomError("float_type", f"{str(value).lower()} is not a number")
    return value


#: A finite number written as a number (not true/false, not .nan or .inf).
Number = Annotated[float, Field(allow_inf_nan=False), BeforeValidator(_no_bool)]
#: Largest target value accepted (beyond it float arithmetic loses whole numbers).
TARGET_MAX = 1e15


class _Strict(BaseModel):
    """Base: unknown keys are errors (catches typos such as ``diretion``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PlanMeta(_Strict):
    """The plan's identity and its time frame."""

    id: str = Field(pattern=_ID_PATTERN, max_length=ID_MAX_LENGTH)
    title_zh: str
    title_en: str = ""
    baseline_year: int = Field(ge=1900, le=2100)
    target_year: int = Field(ge=1900, le=2100)
    as_of: int = Field(
        ge=1900,
        le=2100,
        description="Evaluation year: observations up to as_of - 1 are used.",
    )
    area: str = Field(default="", description="The plan area's own name (示例市): a sheet "
                      "or region so named is the total, as 全区/合计 are (inputs/areas.py).")
    targets_status: TargetsStatus = Field(
        default="adopted", description="Whether the targets are published (adopted) or "
        "drafts being written (draft): the planning report calls them 规划目标 or 草案目标; "
        "an indicator's own targets_status overrides it (`Plan.targets_status_of`).")

    @model_validator(mode="after")
    def _years_in_order(self) -> PlanMeta:
        if self.target_year <= self.baseline_year:
            raise ValueError(
                f"target_year {self.target_year} must be after baseline_year {self.baseline_year}"
            )
        if self.as_of <= self.baseline_year:
            raise ValueError(
                f"as_of {self.as_of} must be after baseline_year {self.baseline_year} "
                "(as_of is the evaluation year; data up to as_of - 1 are used)"
            )
        return self


class Target(_Strict):
    """What the plan promises for one indicator.

    ``value`` means, by kind: a level (level_at_least/at_most, milestone); a change per
    year (annual_change, negative for a fall); a total increase over the plan period
    (cumulative_increase); a growth rate in percent per year (average_growth).
    """

    kind: Kind
    value: Number
    year: int | None = Field(default=None, ge=1900, le=2100)

    @field_validator("value")
    @classmethod
    def _sane(cls, value: float, info: ValidationInfo) -> float:
        """Growth and change targets within what any plan promises (no overflow later)."""
        if abs(value) > TARGET_MAX:
            raise ValueError(f"a target of {value:g} is beyond ±{TARGET_MAX:g}; check the "
                             "number and its unit")
        kind = info.data.get("kind")
        if kind is not None and (problem := kind_of(kind).check_value(value)):
            raise ValueError(problem)
        return value


class Baseline(_Strict):
    """The starting point; year defaults to the plan's, value to the observation then."""

    year: int | None = Field(default=None, ge=1900, le=2100)
    value: Number | None = None


#: Where the trend is fitted from: a year, or "baseline" (the indicator's baseline year).
FitFrom = int | Literal["baseline"] | None


class Schedule(_Strict):
    """The schedule of a discrete project (one new high school): a trend says nothing
    about it, so the plan says when it is expected and how far it is."""

    expected_year: int = Field(ge=1900, le=2100)
    status: ScheduleStatus


class StatusCutoffs(_Strict):
    """Cut-offs on the progress ratio r = progress share / schedule share (DESIGN.md §3)."""

    ahead: Number = 1.2
    on_schedule: Number = 0.95
    behind: Number = 0.0

    @model_validator(mode="after")
    def _ordered(self) -> StatusCutoffs:
        if not self.ahead > self.on_schedule > self.behind:
            raise ValueError("status_cutoffs must satisfy ahead > on_schedule > behind")
        return self


class Indicator(_Strict):
    """One plan indicator with its target, baseline and metadata."""

    id: str = Field(pattern=_ID_PATTERN, max_length=ID_MAX_LENGTH)
    series: str | None = Field(
        default=None, description="Observation indicator_id to read; defaults to id."
    )
    name_zh: str
    name_en: str = ""
    aliases: list[str] = Field(
        default_factory=list,
        description="Other names data files use for this indicator (matched like name_zh).",
    )
    unit: str = ""
    unit_en: str = Field(default="", description="The unit in English reports and figures "
                         "(e.g. 'pupils per teacher' for 教师=1); default: a known "
                         "translation of unit, else unit.")
    bounds: tuple[Number | None, Number | None] = (None, None)
    direction: Direction
    nature: Nature = "unknown"
    group: str = ""
    measure: Measure = "stock"
    target: Target | None = Field(
        default=None, description="What the plan promises; none: a context indicator, "
        "evaluated for its outlook only (median and intervals to the plan's target year).")
    outlook_year: int | None = Field(
        default=None, ge=1900, le=2100, description="A context indicator's outlook year; "
        "default: the plan's target year.")
    baseline: Baseline = Baseline()
    source: str = ""
    source_en: str = Field(default="", description="The source in English reports and "
                           "figures; default: source.")
    note: str = ""
    fit_from: FitFrom = Field(
        default=None, description="Fit the trend from this year, or 'baseline'; "
        "default: the plan's fit_from, else every observation.")
    targets_status: TargetsStatus | None = Field(
        default=None, description="This indicator's target published (adopted) or drafted "
        "(draft); default: the plan's targets_status.")
    breaks: list[Annotated[int, Field(ge=1900, le=2100)]] = Field(
        default_factory=list, description="Years of definitional breaks (as the 'break' flag).")
    schedule: Schedule | None = None
    targets_by_region: dict[str, Number] = Field(
        default_factory=dict, description="Area -> this indicator's target for that area, "
        "of the same kind as target (inputs/area_targets.py adds those of the data files).")

    @field_validator("targets_by_region")
    @classmethod
    def _area_targets(cls, v: dict[str, float]) -> dict[str, float]:
        """Area names are names; the values as bounded as the plan's own target."""
        for area, value in v.items():
            if not str(area).strip():
                raise ValueError("an area in targets_by_region has an empty name")
            if abs(value) > TARGET_MAX:
                raise ValueError(f"the target of {area} ({value:g}) is beyond ±{TARGET_MAX:g}")
        return {str(k).strip(): v for k, v in v.items()}
    driver: Driver | None = Field(
        default=None, description="The series whose lagged values form the indicator's "
        "cohort (plan_drivers).")

    @field_validator("bounds")
    @classmethod
    def _bounds_ordered(
        cls, v: tuple[float | None, float | None]
    ) -> tuple[float | None, float | None]:
        lo, hi = v
        if lo is not None and hi is not None and lo >= hi:
            raise ValueError(f"bounds [{lo}, {hi}]: lower must be below upper")
        return v

    @property
    def target_year(self) -> int:
        """The target year, or a context indicator's outlook year (resolved by the Plan)."""
        year = self.target.year if self.target is not None else self.outlook_year
        if year is None:
            raise ValueError(f"indicator '{self.id}' has no year: read it through a Plan")
        return int(year)

    @property
    def role(self) -> str:
        """"target" for an indicator the plan sets a target for, "context" without one."""
        return "context" if self.target is None else "target"

    @model_validator(mode="after")
    def _target_consistent(self) -> Indicator:
        if self.target is None:
            return self._context_consistent()
        kind, value = self.target.kind, self.target.value
        if problem := kind_of(kind).check(value, *self.bounds, self.direction):
            raise ValueError(problem)
        if self.measure == "flow" and not kind_of(kind).sums_flows:
            raise ValueError(
                f"measure: flow (additions per year) with a {kind} target is ambiguous: "
                "is the target about one year's addition or the running total? Use "
                "kind: cumulative_increase for a total to add over the plan, or "
                "measure: stock if the data are levels"
            )
        return self

    def _context_consistent(self) -> Indicator:
        """A context indicator is a level with an outlook: no schedule, no area targets."""
        if self.measure != "stock":
            raise ValueError("an indicator without target (context) must be measure: stock")
        if self.schedule is not None or self.targets_by_region:
            raise ValueError("an indicator without target (context) has no schedule and no "
                             "targets_by_region; add a target or remove them")
        return self

    @property
    def series_id(self) -> str:
        """The observation series this indicator reads."""
        return self.series or self.id


class Plan(_Strict):
    """A validated plan; ``path`` is the plan file, data globs are relative to its folder."""

    plan: PlanMeta
    data: list[str] = Field(default_factory=lambda: ["*.csv", "*.xlsx"], min_length=1)
    status_cutoffs: StatusCutoffs = StatusCutoffs()
    fit_from: FitFrom = None
    region_from: Literal["auto", "sheet", "column"] = Field(
        default="auto", description="Where an area's name is read from: 'sheet' (one sheet "
        "per area), 'column' (a 地区 column only), 'auto' (sheets with area-like names).")
    indicators: list[Indicator] = Field(min_length=1)
    context: list[ContextSeries] = Field(
        default_factory=list, description="Series read without a target (drivers).")
    path: Path | None = Field(default=None, exclude=True)

    @field_validator("data", mode="before")
    @classmethod
    def _one_glob_is_a_list(cls, v: object) -> object:
        """``data: "*.csv"`` means ``data: ["*.csv"]``."""
        return [v] if isinstance(v, str) else v

    @field_validator("data")
    @classmethod
    def _globs_not_empty(cls, v: list[str]) -> list[str]:
        if any(not pattern.strip() for pattern in v):
            raise ValueError("an empty data glob matches nothing")
        return v

    @model_validator(mode="after")
    def _resolve_defaults(self) -> Plan:
        seen: set[str] = set()
        for ind in self.indicators:
            if ind.id in seen:
                raise ValueError(f"indicator id '{ind.id}' appears twice; ids must be unique")
            seen.add(ind.id)
        resolved = [self._resolve(ind) for ind in self.indicators]
        for ind in resolved:
            if ind.target is not None and ind.target.year <= ind.baseline.year:  # type: ignore[operator]
                raise ValueError(
                    f"indicator '{ind.id}': target year {ind.target.year} is not after "
                    f"its baseline year {ind.baseline.year}"
                )
        object.__setattr__(self, "indicators", resolved)
        return self

    def _resolve(self, ind: Indicator) -> Indicator:
        target = None if ind.target is None else ind.target.model_copy(
            update={"year": ind.target.year or self.plan.target_year})
        outlook_year = None if target is not None else ind.outlook_year or self.plan.target_year
        baseline = ind.baseline.model_copy(
            update={"year": ind.baseline.year or self.plan.baseline_year}
        )
        fit_from = ind.fit_from if ind.fit_from is not None else self.fit_from
        if fit_from == "baseline":
            fit_from = baseline.year
        return ind.model_copy(update={"target": target, "baseline": baseline,
                                      "fit_from": fit_from, "outlook_year": outlook_year})

    def targets_status_of(self, ind: Indicator) -> TargetsStatus:
        """Whether ``ind``'s target is published or drafted: its own targets_status, else
        the plan's (a draft plan may hold targets already adopted elsewhere)."""
        return ind.targets_status or self.plan.targets_status

    @property
    def id(self) -> str:
        return self.plan.id

    @property
    def folder(self) -> Path:
        """Folder of the plan file; data globs resolve against it."""
        if self.path is None:
            raise ValueError("plan has no file path; data globs cannot be resolved")
        return self.path.parent

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id (KeyError naming the known ids otherwise)."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        known = ", ".join(i.id for i in self.indicators)
        raise KeyError(f"no indicator '{indicator_id}' in plan {self.id}; known: {known}")

    def data_files(self) -> list[Path]:
        """Data files matched by the plan's globs, in glob order then name order (later
        files win); see ``data_files.find_data_files``."""
        return find_data_files(self.folder, self.data, self.path)

    def data_file_groups(self) -> list[tuple[int, Path]]:
        """(index of the data glob matching it, file) per data file; see ``data_files``."""
        return find_data_file_groups(self.folder, self.data, self.path)


def parse_plan(text: str, path: Path | None = None, display: str | None = None) -> Plan:
    """Validate plan YAML text; raise InputError listing every problem with its line."""
    file = display or (str(path) if path else "<plan>")
    try:
        check_yaml_limits(text, file)  # bounded work before anything is built
        data, lines = load_yaml_with_lines(text)
        duplicates = duplicate_keys(yaml.compose(text, Loader=yaml.SafeLoader), file)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        problem = str(getattr(exc, "problem", exc))
        fix = "fix the YAML syntax at that line"
        if isinstance(exc, yaml.reader.ReaderError):  # a control character: say its line
            row = text.count("\n", 0, exc.position) + 1
            fix = xml_chars.FIX
        if "\\t" in problem or "\t" in problem:
            fix = "indent with spaces, not tabs: replace the tab on that line with spaces"
        raise InputError(
            [Problem(file, row, None, None, f"not valid YAML ({exc.__class__.__name__}: "
                     f"{problem})", fix)]
        ) from None
    if data is None:
        raise InputError([Problem(file, None, None, None, "plan file is empty",
                                  f"write the plan as in {FORMAT_DOC}")])
    if not isinstance(data, dict):
        raise InputError(
            [Problem(file, 1, None, None,
                     f"plan file is a YAML {type(data).__name__}, not a mapping",
                     f"write 'plan:', 'data:' and 'indicators:' sections as in {FORMAT_DOC}")]
        )
    same_ids = duplicate_ids(data, file, lines)
    problems = duplicates + same_ids
    unsafe = not_xml_problems(data, file, lines)
    if unsafe:  # refused before the model, whose messages would repeat the text
        raise InputError(problems + unsafe)
    plan = None
    try:
        plan = Plan.model_validate({**data, "path": path})
    except ValidationError as exc:
        problems += [  # duplicate ids are already reported, at their line
            problem_from_error(e, file, lines)
            for e in exc.errors()
            if not (same_ids and "appears twice" in e["msg"])
        ]
    if plan is not None:
        problems += driver_problems(plan, file, lines)
    if problems or plan is None:
        raise InputError(problems)
    return plan


def load_plan(path_or_id: str | Path | None = None) -> Plan:
    """Load and validate a plan, given its file, its folder, or a shipped plan id.

    With no argument, the plan of the project the working directory lies in (the nearest
    plan.yaml from there up), else the default shipped plan (``cn_education_14th``).
    """
    from planlib import config

    path = _locate_plan(path_or_id, config)
    try:
        check_plan_size(path.stat().st_size, str(path))
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            [Problem(str(path), None, None, None, "plan file is not UTF-8 text",
                     "save the YAML file as UTF-8")]
        ) from None
    except OSError as exc:
        raise InputError(
            [Problem(str(path), None, None, None,
                     f"cannot read the plan file ({exc.strerror or type(exc).__name__})",
                     "give yourself read permission (chmod u+r) or copy the plan folder")]
        ) from None
    return parse_plan(text, path=path.resolve(), display=str(path))


def _locate_plan(path_or_id: str | Path | None, config) -> Path:  # noqa: ANN001
    """Resolve a plan argument (file, folder or shipped id) to an existing plan file."""
    if path_or_id is None:
        from planlib.project_folder import find_plan_file

        return find_plan_file() or config.plan_path(config.DEFAULT_PLAN_ID)
    candidate = Path(path_or_id)
    if candidate.is_dir():
        candidate = candidate / config.PLAN_FILENAME
    if candidate.is_file():
        return candidate
    shipped = config.plan_path(str(path_or_id))
    if shipped.is_file():
        return shipped
    known = ", ".join(config.shipped_plan_ids()) or "(none)"
    raise InputError(
        [Problem(str(path_or_id), None, None, None, "no such plan file, folder or plan id",
                 f"give a path to a plan.yaml or one of the shipped plan ids: {known}")]
    )
