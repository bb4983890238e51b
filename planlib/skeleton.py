"""`planlib init DIR`: a new planlib project that validates and runs as created: a plan.yaml
with every field commented, ``data/`` with a data template in the wide layout offices keep
(指标代码, 指标名称, 单位, 2018年 …, 备注) as CSV and as XLSX, an empty ``outputs/`` (where
every result goes, see ``planlib.project_folder``) and a README of the next commands.

The example numbers are marked 示例数据 (illustrative): replace them with your own.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from planlib.errors import InputError, Problem
from planlib.outputs.files.atomic import csv_bytes, write_bytes_atomic

HEADERS = ["指标代码", "指标名称", "单位", "2018年", "2019年", "2020年", "2021年", "2022年", "备注"]
#: Two example series: a rate with a level target, and yearly additions with a total.
ROWS = [
    ["example_rate", "示例达标率", "%", 61.2, 63.0, 64.1, 66.3, 67.5, "示例数据，请替换"],
    ["example_places_added", "示例新增学位数", "个", 1200, 1350, 1500, 1480, 1620,
     "示例数据，请替换；每年新增"],
]

PLAN_TEMPLATE = """\
# A new plan for planlib. Every field is explained; optional ones show their default.
# Full reference: docs/plan-format.md. Check it, in this folder, with:  planlib validate
plan:
  id: {plan_id}                # letters, digits, _ and -; names the output folders
  title_zh: 示例规划主要指标      # the plan's title, used in tables, figures and the report
  title_en: Example plan indicators   # optional English title
  baseline_year: 2020          # default baseline year of every indicator
  target_year: 2025            # default target year of every indicator
  as_of: 2023                  # evaluation year: observations up to 2022 are used
  # area: 示例区                # optional: the plan area's own name (its total, e.g. 全区)
  # targets_status: adopted     # optional: adopted (published, default) | draft (targets
  #                             # being drafted: the report calls them 草案目标)

# Data files, as globs relative to this file (outputs/ is never read). When several
# files give the same indicator, region and year, the later file wins and a warning lists
# every value replaced. The same template is in data/data.xlsx: to keep your data in
# Excel, write ["data/data.xlsx"] instead (or list both, the workbook last, for updates).
data: ["data/data.csv"]       # data files (see above)

# Optional cut-offs on the progress ratio r = progress share / schedule share:
# ahead if r >= ahead, on schedule if >= on_schedule, behind if >= behind, else moving away.
status_cutoffs: {{ahead: 1.2, on_schedule: 0.95, behind: 0}}   # optional (the defaults)

# Optional: fit every trend from this year on (or "baseline"); default: every observation.
# fit_from: 2018

# Optional: where an area's name comes from: auto (default: sheets with area-like names),
# sheet (one sheet per area) or column (a 地区 column only). docs/plan-format.md, "Areas".
# region_from: auto

# Optional: series the data carry without a target, e.g. births as a driver (below).
# context:
#   - {{id: births, name_zh: 出生人口, unit: 万人, source: 国家统计局}}

indicators:
  - id: example_rate           # unique in the plan; the 指标代码 of the data file
    # series: example_rate     # optional: the data's 指标代码 to read (default: id)
    name_zh: 示例达标率            # the name in tables, figures and the report
    name_en: Example attainment rate   # optional
    # aliases: [达标率]        # optional: other names the data files use for it
    unit: "%"                  # optional; a ratio to one is written 教师=1 (shown 17.0:1)
    # unit_en: percent         # optional: the unit in English outputs (pupils per teacher)
    bounds: [0, 100]           # natural bounds; null for open (default [null, null])
    direction: increase        # increase | decrease: which way is better
    nature: binding            # binding (约束性) | expected (预期性) | unknown (default)
    group: 示例分组              # optional, groups rows in tables and figures
    measure: stock             # stock: a level (default) | flow: additions per year
    # kind: level_at_least | level_at_most | annual_change | cumulative_increase |
    #       average_growth | milestone; year defaults to plan.target_year
    target: {{kind: level_at_least, value: 72}}   # reach at least 72 % by 2025
    baseline: {{year: 2020}}     # optional; value defaults to the observation that year
    # fit_from: baseline       # optional, overrides the plan's fit_from
    # breaks: [2021]           # optional: years of a definitional break
    # targets_by_region: {{城关街道: 75}}   # optional: each area's own target (same kind)
    # driver: {{series: births, lags: [3, 4, 5]}}   # optional: the cohort it follows
    # outlook_year: 2025       # a context indicator (no target:): the year of its outlook
    source: 示例：规划文本第X条  # optional: where the target comes from
    # source_en: Plan text, article X   # optional: the source in English outputs
    note: ""                   # optional

  - id: example_places_added
    name_zh: 示例新增学位数
    name_en: Example new school places
    unit: 个
    bounds: [0, null]
    direction: increase
    nature: expected
    group: 示例分组
    measure: flow              # the data give each year's additions
    target: {{kind: cumulative_increase, value: 8000}}   # total to add over 2021-2025
    source: 示例
    # A discrete project (one new school) is judged by its schedule, not a trend:
    # target: {{kind: milestone, value: 1}}
    # schedule: {{expected_year: 2024, status: under_construction}}  # or planned, completed
"""


def plan_id_for(folder: Path) -> str:
    """A valid plan id from a folder name: other characters become ``_``, a leading
    non-letter gets a ``plan_`` prefix."""
    text = re.sub(r"[^A-Za-z0-9_\-]", "_", folder.name).strip("_") or "plan"
    return text if text[0].isalpha() else f"plan_{text}"


def template_xlsx_bytes() -> bytes:
    """The data template as a workbook with a fixed timestamp (same bytes every time)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(HEADERS)
    for row in ROWS:
        ws.append(row)
    fixed = dt.datetime(2020, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_frame():  # noqa: ANN201 - a pandas DataFrame
    """The data template as a frame (the CSV's content)."""
    import pandas as pd

    return pd.DataFrame(ROWS, columns=HEADERS)


README_TEMPLATE = """\
# {plan_id}: a planlib project

- `plan.yaml`: the plan (indicators, targets); reference: planlib's docs/plan-format.md.
- `data/`: your data files, as the plan's `data:` globs name them.
- `outputs/{plan_id}/`: everything planlib writes (never read as data):
  `processed/` (evaluation table, tidy data, manifest), `figures/<lang>/`,
  `report/<lang>/` (report.md, .html, .docx, tables) and `runs/` (one folder per
  `planlib run`, with the executed notebooks).

Next, in this folder:

    planlib validate              # check the plan and the data; lists every problem
    planlib evaluate              # the evaluation table: outputs/{plan_id}/processed/
    planlib report --lang zh,en   # the forecast section: outputs/{plan_id}/report/
    planlib run                   # everything, notebooks too: outputs/{plan_id}/runs/
"""

#: The files `planlib init` writes, relative to the project folder (data files apart).
PROJECT_FILES = ("plan.yaml", "README.md")


def check_new_project(folder: Path, names: tuple[str, ...]) -> None:
    """Refuse to overwrite: every file ``init`` would write must be new."""
    existing = [folder / n for n in names if (folder / n).exists()]
    if existing:
        raise InputError([Problem(str(p), None, None, None, "the file exists already",
                                  "choose a new folder for the plan (init never overwrites)")
                          for p in existing])


def project_plan_id(folder: Path, plan_id: str | None) -> str:
    """The plan id given with ``--id`` (checked), else one made from the folder's name."""
    pid = plan_id or plan_id_for(folder.resolve())
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_\-]*", pid):
        raise InputError([Problem("--id", None, "id", pid, "not a valid plan id",
                                  "use letters, digits, _ and -, starting with a letter")])
    return pid


def write_project(folder: Path, plan_text: str, plan_id: str,
                  data: dict[str, bytes]) -> list[Path]:
    """Write a project: plan.yaml, README.md, ``data`` (name under data/ → bytes) and an
    empty outputs/; return the files written."""
    from planlib.project_folder import OUTPUTS

    written = [write_bytes_atomic(folder / "plan.yaml", plan_text.encode("utf-8")),
               write_bytes_atomic(folder / "README.md",
                                  README_TEMPLATE.format(plan_id=plan_id).encode("utf-8"))]
    written += [write_bytes_atomic(folder / "data" / name, body) for name, body in data.items()]
    (folder / OUTPUTS).mkdir(exist_ok=True)
    return written


def write_drafted(folder: Path | str, workbook: Path, plan_id: str | None = None) -> list[Path]:
    """Create the project ``folder`` with a plan.yaml drafted from ``workbook`` (copied
    into data/ unchanged), README.md and an empty outputs/; refuse to overwrite."""
    from planlib.inputs.draft_plan import draft_plan_yaml

    folder, workbook = Path(folder), Path(workbook)
    check_new_project(folder, (*PROJECT_FILES, f"data/{workbook.name}"))
    pid = project_plan_id(folder, plan_id)
    text = draft_plan_yaml(workbook, pid, f"data/{workbook.name}")
    return write_project(folder, text, pid, {workbook.name: workbook.read_bytes()})


def write_skeleton(folder: Path | str, plan_id: str | None = None) -> list[Path]:
    """Create the project ``folder`` with plan.yaml, README.md, data/data.csv and
    data/data.xlsx and an empty outputs/; refuse to overwrite."""
    folder = Path(folder)
    check_new_project(folder, (*PROJECT_FILES, "data/data.csv", "data/data.xlsx"))
    pid = project_plan_id(folder, plan_id)
    text = PLAN_TEMPLATE.format(plan_id=pid)
    return write_project(folder, text, pid, {"data.csv": csv_bytes(template_frame()),
                                             "data.xlsx": template_xlsx_bytes()})
