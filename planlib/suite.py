"""`planlib run`: evaluate a plan, then execute the notebook suite on it with papermill and
export each executed notebook as offline HTML, into a run folder of its own.

Every run gets a new folder, ``<project runs>/<as_of>-<lang>-<n>/`` (a planlib project's
``outputs/<plan_id>/runs/``, this repository's ``reports/<plan_id>/runs/``; n counts up
from 1, so an earlier run is never overwritten), or the ``--out`` folder, which must be
empty. It holds ``processed/`` (evaluation and tidy observations with their manifest),
``notebooks/`` (the executed ``.ipynb`` and their ``.html``), ``figures/`` and
``report/`` (written by notebooks 3.0 and 4.0; 5.0-targets shows a new plan's target
proposals and writes nothing).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planlib import config
from planlib.constants import DEFAULT_LEVELS
from planlib.core import labels
from planlib.core.options import RunOptions
from planlib.errors import InputError, Problem
from planlib.inputs.input_warnings import WARNING_PREFIX
from planlib.inputs.plan import Plan, load_plan
from planlib.outputs.files.atomic import write_bytes_atomic
from planlib.outputs.files.file_modes import dir_mode
from planlib.outputs.files.safe_text import clean_html
from planlib.project_folder import project_of

#: The suite, in the order it runs (each notebook stands alone; the order is the story).
NOTEBOOKS: tuple[str, ...] = ("1.0-data-check", "2.0-trends", "3.0-outlook",
                              "4.0-forecast-section", "5.0-targets")
KERNEL_NAME = "python3"
#: Where the notebook sources live: the checkout's notebooks/, or the installed package's.
SOURCE_DIR = config.NOTEBOOKS_DIR

#: nbconvert's lab template without the script tags that would fetch require.js, MathJax
#: and mermaid from a CDN: the exported page reads offline (figures are inline PNG).
_OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


#: The kernel's own log (its TCP notice, a KeyboardInterrupt at shutdown) stays off the
#: terminal; errors in cells reach us through the notebook, not this log.
_KERNEL_QUIET = ["--Application.log_level=CRITICAL"]


@dataclass(frozen=True)
class Step:
    """One step of a run: its name, how long it took and what it wrote."""

    name: str
    seconds: float
    written: tuple[Path, ...]


@dataclass(frozen=True)
class NotebookFailure:
    """A notebook that raised: which cell, the error, and where the partial notebook is."""

    notebook: str
    cell: int | None
    exec_count: int | None
    source: str
    ename: str
    evalue: str
    partial: Path

    def message(self) -> str:
        """What failed, where, and where to look (one paragraph for the terminal)."""
        first = next((ln for ln in self.source.splitlines() if ln.strip()), "")
        where = f"In [{self.exec_count}]" if self.exec_count is not None else "a cell"
        if self.cell is not None:  # papermill's 0-based index, injected parameters counted
            where += f" (cell {self.cell + 1} of the executed notebook)"
        return (f"notebook {self.notebook} failed in {where}: {self.ename}: {self.evalue}\n"
                f"  the cell begins: {first}\n"
                f"  the partial notebook is kept for inspection: "
                f"{config.display_path(self.partial)}")


@dataclass
class SuiteRun:
    """What `run_suite` did: the run folder, the steps in order, and any failure."""

    folder: Path
    steps: list[Step] = field(default_factory=list)
    failure: NotebookFailure | None = None

    @property
    def ok(self) -> bool:
        """True when every notebook ran to the end."""
        return self.failure is None

    def summary(self) -> str:
        """The closing summary: each step's time and files, the folder, the total."""
        lines = [f"{'step':<24} {'seconds':>8}  written"]
        for s in self.steps:
            names = ", ".join(_short_list(s.written, self.folder)) or "-"
            lines.append(f"{s.name:<24} {s.seconds:>8.1f}  {names}")
        total = sum(s.seconds for s in self.steps)
        lines.append(f"{'total':<24} {total:>8.1f}")
        lines.append(f"run folder: {config.display_path(self.folder)}")
        return "\n".join(lines)


def _short_list(paths: Sequence[Path], folder: Path, most: int = 6) -> list[str]:
    """File names for the summary: a folder with more than ``most`` new files is one
    entry, "figures/demo_city/zh/ (30 files)"."""
    by_dir: dict[Path, list[Path]] = {}
    for p in paths:
        by_dir.setdefault(Path(p).parent, []).append(Path(p))
    out = []
    for parent, files in by_dir.items():
        if len(files) > most:
            out.append(f"{_relative(parent, folder)}/ ({len(files)} files)")
        else:
            out.extend(_relative(p, folder) for p in files)
    return out


def _relative(path: Path, folder: Path) -> str:
    try:
        return str(Path(path).relative_to(folder))
    except ValueError:
        return config.display_path(path)


def runs_dir(plan_id: str, plan_file: Path | None = None) -> Path:
    """Where the run folders of a plan go: its project's ``outputs/<plan_id>/runs/``
    (``reports/<plan_id>/runs/`` in this repository)."""
    return project_of(plan_file).runs_dir(plan_id)


def next_run_folder(plan_id: str, as_of: int, lang: str, plan_file: Path | None = None) -> Path:
    """The next free ``runs/<as_of>-<lang>-<n>/`` (n one above the highest there); it is
    not claimed: use `claim_run_folder` to make it yours."""
    base = runs_dir(plan_id, plan_file)
    pattern = re.compile(rf"{as_of}-{lang}-(\d+)")
    taken = [int(m.group(1)) for p in base.glob(f"{as_of}-{lang}-*")
             if (m := pattern.fullmatch(p.name))]
    return base / f"{as_of}-{lang}-{max(taken, default=0) + 1}"


#: How many times `claim_run_folder` retries when other runs keep taking the next number.
CLAIM_TRIES = 1000


def claim_run_folder(plan_id: str, as_of: int, lang: str,
                     plan_file: Path | None = None) -> Path:
    """Create and return the next free run folder. ``os.mkdir`` of the final name fails if
    another run made it first, so two concurrent runs never share a folder: the loser
    takes the number after."""
    runs_dir(plan_id, plan_file).mkdir(mode=dir_mode(), parents=True, exist_ok=True)
    for _ in range(CLAIM_TRIES):
        folder = next_run_folder(plan_id, as_of, lang, plan_file)
        try:
            os.mkdir(folder, dir_mode())
        except FileExistsError:
            continue
        return folder
    raise RuntimeError(f"could not claim a run folder under {runs_dir(plan_id, plan_file)} "
                       f"after "
                       f"{CLAIM_TRIES} tries")


def _out_folder(out: Path | str | None, plan: Plan, as_of: int, lang: str) -> Path:
    """The run folder: ``--out`` when given (it must be empty), else a new one, claimed."""
    if out is None:
        return claim_run_folder(plan.id, as_of, lang, plan.path)
    folder = Path(out)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InputError([Problem(str(out), None, "--out", str(out),
                                  "the output folder is not empty: an earlier run's "
                                  "outputs would be overwritten",
                                  "give a new or empty folder, or leave out --out to get "
                                  "a new run folder under the project's runs/")])
    return folder


def check_kernel(name: str = KERNEL_NAME) -> None:
    """Refuse to run when kernel ``name`` would start another Python than this one (a
    ``python3`` kernel spec in the user's Jupyter folder can shadow the environment's)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise InputError([Problem("jupyter kernels", None, "kernel", name,
                                  "no Jupyter kernel of that name is installed",
                                  f"run {sys.executable} -m pip install ipykernel")]) from None
    exe = spec.argv[0] if spec.argv else ""
    major, minor = sys.version_info[:2]
    aliases = {"python", f"python{major}", f"python{major}.{minor}"}
    if exe in aliases or Path(exe).resolve() == Path(sys.executable).resolve():
        return  # jupyter_client starts the aliases with this interpreter
    spec_file = Path(spec.resource_dir) / "kernel.json"
    raise InputError([Problem(str(spec_file), None, "argv", exe,
                              f"kernel {name!r} runs another Python than planlib's "
                              f"({sys.executable})",
                              f"remove that kernel spec (jupyter kernelspec remove {name}) or "
                              f"run {sys.executable} -m ipykernel install --user --name {name}")])


def notebook_parameters(plan: Plan, plan_arg: str | Path | None, *, as_of: int, lang: str,
                        levels: Sequence[int], model: str, seed: int,
                        folder: Path) -> dict[str, Any]:
    """The papermill parameters of every notebook: the plan as the user named it (an
    absolute path unless it is a shipped id), the run's options and its output folders."""
    shipped = config.plan_path(plan.id)
    named = plan_arg is None or (isinstance(plan_arg, str) and plan_arg == plan.id)
    is_id = named and shipped.is_file() and (
        plan.path is None or Path(plan.path).resolve() == shipped.resolve())
    plan_ref = plan.id if is_id or plan.path is None else str(Path(plan.path).absolute())
    return {"plan": plan_ref, "as_of": as_of, "lang": lang, "levels": list(levels),
            "model": model, "seed": seed,
            "processed_dir": str(folder / "processed"),
            "figures_dir": str(folder / "figures"),
            "report_dir": str(folder / "report")}


def export_html(notebook: Path) -> Path:
    """Write ``<notebook>.html`` beside an executed notebook: nbconvert's lab layout with
    no network references, so the page reads offline; Markdown and HTML outputs sanitised
    (safe_text.clean_html) and script outputs left out, as plan and data text is shown."""
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        extra_loaders=[jinja2.DictLoader({"planlib_offline.html.j2": _OFFLINE_TEMPLATE})],
        template_file="planlib_offline.html.j2", sanitize_html=True)
    exporter.register_filter("clean_html", clean_html)
    body, _ = exporter.from_notebook_node(nbformat.read(notebook, as_version=4))
    return write_bytes_atomic(notebook.with_suffix(".html"), body.encode("utf-8"))


def _execute(source: Path, target: Path, parameters: dict[str, Any]) -> NotebookFailure | None:
    """Run one notebook with papermill; on an error, describe it (the partial notebook
    papermill saved stays at ``target``)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        papermill.execute_notebook(str(source), str(target), parameters=parameters,
                                   kernel_name=KERNEL_NAME, progress_bar=False,
                                   cwd=str(target.parent), log_output=False,
                                   extra_arguments=_KERNEL_QUIET)
    except PapermillExecutionError as exc:
        return NotebookFailure(source.stem, exc.cell_index, exc.exec_count, exc.source,
                               exc.ename, exc.evalue, target)
    return None


def select_notebooks(spec: str | None) -> tuple[str, ...]:
    """The notebooks named by ``--notebooks 1.0,3.0`` (number or full name), in suite
    order; all of them for None."""
    if not spec:
        return NOTEBOOKS
    wanted = [w.strip() for w in spec.split(",") if w.strip()]
    unknown = [w for w in wanted if not any(n == w or n.startswith(w + "-") for n in NOTEBOOKS)]
    if unknown or not wanted:
        raise InputError([Problem("--notebooks", None, "notebooks", spec,
                                  f"unknown notebook(s): {', '.join(unknown) or spec!r}",
                                  f"name them by number or name: {', '.join(NOTEBOOKS)}")])
    return tuple(n for n in NOTEBOOKS if any(n == w or n.startswith(w + "-") for w in wanted))


def _files_in(folder: Path) -> set[Path]:
    """Every file under ``folder`` (to tell which files a step wrote)."""
    return {p for p in folder.rglob("*") if p.is_file()}


def _say(msg: str, end: str = "\n") -> None:
    print(msg, end=end, flush=True)


def run_suite(
    plan_arg: str | Path | None = None, *, lang: str = "zh", as_of: int | None = None,
    model: str = "auto", levels: Sequence[int] = DEFAULT_LEVELS, seed: int = 0,
    out: Path | str | None = None, notebooks: Sequence[str] = NOTEBOOKS,
    say: Callable[..., None] = _say,
) -> SuiteRun:
    """Evaluate the plan (writing its tables), then execute each notebook and export it as
    HTML, one progress line per step. Bad input raises InputError before anything is
    written (every bad run option listed at once, `RunOptions.checked`); a failing
    notebook stops the run and is described in ``SuiteRun.failure``."""
    from planlib.pipeline import run_plan

    if lang not in labels.LANGS:
        raise InputError([Problem("--lang", None, "lang", lang, "unknown language",
                                  "write zh or en")])
    plan = load_plan(plan_arg)
    opts = RunOptions.checked(plan, as_of=as_of, model=model, levels=levels, seed=seed)
    year = opts.as_of
    check_kernel()
    folder = _out_folder(out, plan, year, lang)
    result = SuiteRun(folder)
    t0 = time.perf_counter()
    say(f"[0/{len(notebooks)}] evaluate {plan.id} as of {year} ... ", end="")
    try:
        run = run_plan(plan, as_of=year, model=opts.model, levels=opts.levels, seed=opts.seed,
                       out_dir=folder / "processed")
    except InputError:
        if out is None:  # bad data: give back the folder claimed for this run
            shutil.rmtree(folder, ignore_errors=True)
        raise
    result.steps.append(Step("evaluate", time.perf_counter() - t0, tuple(run.written)))
    say(f"{result.steps[-1].seconds:.1f} s")
    for line in run.loaded.warning_lines(lang):
        say(f"  {WARNING_PREFIX[lang]}{line}")
    params = notebook_parameters(plan, plan_arg, as_of=year, lang=lang, levels=opts.levels,
                                 model=opts.model, seed=opts.seed, folder=folder)
    out_dir = folder / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(notebooks, 1):
        say(f"[{i}/{len(notebooks)}] {name} ... ", end="")
        t0 = time.perf_counter()
        target = out_dir / f"{name}.ipynb"
        before = _files_in(folder)
        failure = _execute(SOURCE_DIR / f"{name}.ipynb", target, params)
        export_html(target)
        written = tuple(sorted(_files_in(folder) - before))
        result.steps.append(Step(name, time.perf_counter() - t0, written))
        if failure is not None:
            say(f"FAILED after {result.steps[-1].seconds:.1f} s")
            result.failure = failure
            break
        say(f"{result.steps[-1].seconds:.1f} s")
    return result


# -- every shipped plan (planlib run --plan all) --------------------------------------------
@dataclass(frozen=True)
class PlanOutcome:
    """How the suite went on one plan of ``--plan all``: its exit code (0 ok, 1 a notebook
    failed or an internal error, 2 bad input), time, run folder and a few words."""

    plan_id: str
    exit_code: int
    seconds: float
    folder: Path | None
    what: str

    def line(self) -> str:
        """The plan's line in the closing summary."""
        status = {0: "ok", 1: "FAILED", 2: "REFUSED"}.get(self.exit_code, "FAILED")
        where = config.display_path(self.folder) if self.folder is not None else "-"
        return f"{self.plan_id:<24} {status:<8} {self.seconds:>7.1f} s  {where}  {self.what}"


def run_every_plan(
    plan_ids: Sequence[str], *, out: Path | str | None = None,
    say: Callable[..., None] = _say, err: Callable[[str], None] = print,
    **options: Any,
) -> list[PlanOutcome]:
    """`run_suite` on each plan in turn, each into a run folder of its own (``--out DIR``:
    ``DIR/<plan_id>/``). A plan that fails is reported through ``err`` and the next one
    still runs."""
    check_kernel()  # one kernel for every plan: refuse once, up front
    outcomes = []
    for i, plan_id in enumerate(plan_ids, 1):
        say(f"== plan {i}/{len(plan_ids)}: {plan_id}")
        t0 = time.perf_counter()
        target = Path(out) / plan_id if out is not None else None
        try:
            result = run_suite(plan_id, out=target, say=say, **options)
        except InputError as exc:
            err(f"planlib run: {plan_id}: {exc.report()}")
            outcomes.append(PlanOutcome(plan_id, 2, time.perf_counter() - t0, None,
                                        "bad input, nothing written (see above)"))
            continue
        except Exception as exc:  # noqa: BLE001 - one plan's bug must not stop the others
            err(f"planlib run: {plan_id}: internal error: {exc.__class__.__name__}: {exc}. "
                "This is a bug in planlib; rerun this plan with --debug and report it.")
            outcomes.append(PlanOutcome(plan_id, 1, time.perf_counter() - t0, None,
                                        f"internal error: {exc.__class__.__name__}"))
            continue
        seconds = sum(s.seconds for s in result.steps)
        if result.failure is not None:
            err(f"planlib run: {plan_id}: {result.failure.message()}")
            outcomes.append(PlanOutcome(plan_id, 1, seconds, result.folder,
                                        f"notebook {result.failure.notebook} failed: "
                                        f"{result.failure.ename}"))
        else:
            outcomes.append(PlanOutcome(plan_id, 0, seconds, result.folder,
                                        f"{len(result.steps) - 1} notebook(s)"))
    return outcomes


def overall_exit_code(outcomes: Sequence[PlanOutcome]) -> int:
    """0 when every plan ran; else 1 if any plan failed in a notebook or internally, and
    2 if the only failures were bad input."""
    codes = {o.exit_code for o in outcomes}
    if codes <= {0}:
        return 0
    return 1 if 1 in codes else 2
