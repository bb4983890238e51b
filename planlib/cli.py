"""The ``planlib`` command line: validate plans and data, evaluate, and (later) report.

Exit codes: 0 success, 2 bad input (every problem listed with file, row, column, value
and a fix), 1 internal error.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from planlib import __version__, config
from planlib.constants import (
    MODEL_CHOICES,
    SEED_MAX,
    YEAR_MAX,
    YEAR_MIN,
    check_levels,
    in_year_range,
    seed_message,
)
from planlib.errors import InputError
from planlib.inputs.input_warnings import WARNING_PREFIX

if TYPE_CHECKING:
    import pandas as pd

    from planlib.core.result import Evaluation

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2
#: Above this many results the console shows a summary per indicator instead of one line
#: per indicator and region.
MAX_LINES = 60


def _plans(arg: str | None) -> list[str | None]:
    """The plans a command works on: one plan, or every shipped plan for ``all``."""
    if arg == "all":
        return list(config.shipped_plan_ids())
    return [arg]


def _say(msg: str) -> None:
    """Print a progress line; if the reader of a pipe has gone (``| head -1``), carry on
    quietly so the run still finishes and writes its outputs."""
    try:
        print(msg, flush=True)
    except BrokenPipeError:
        _stdout_gone()


def _stdout_gone() -> None:
    """Send further standard output to the null device (the pipe's reader has left)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (AttributeError, OSError, ValueError):  # a stdout without a real file
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process


def _langs(text: str) -> tuple[str, ...]:
    """Parse ``--lang zh``, ``en`` or ``zh,en`` (``all``) into languages."""
    langs = ("zh", "en") if text == "all" else tuple(dict.fromkeys(
        x.strip() for x in text.split(",") if x.strip()))
    if not langs or any(lang not in ("zh", "en") for lang in langs):
        raise argparse.ArgumentTypeError(f"languages are zh, en, zh,en or all: {text!r}")
    return langs


def _formats(text: str) -> tuple[str, ...]:
    """Parse ``--format png,svg,pdf`` into figure formats."""
    formats = tuple(dict.fromkeys(x.strip().lower() for x in text.split(",") if x.strip()))
    if not formats or any(f not in ("png", "svg", "pdf") for f in formats):
        raise argparse.ArgumentTypeError(f"formats are png, svg and pdf: {text!r}")
    return formats


def cmd_figures(args: argparse.Namespace) -> int:
    """Evaluate each plan (writing no tables) and draw all its figures in each language."""
    import time

    from planlib.outputs.figures.charts import figures_dir, write_figures
    from planlib.pipeline import run_plan

    plans = _plans(args.plan)
    for i, plan_arg in enumerate(plans, 1):
        run = run_plan(plan_arg, as_of=args.as_of, model=args.model, levels=args.levels,
                       seed=args.seed, write=False)
        for line in run.loaded.warning_lines(args.lang[0]):
            _say(f"  {WARNING_PREFIX[args.lang[0]]}{line}")
        for lang in args.lang:
            start = time.perf_counter()
            written = write_figures(run.evaluation, lang, args.format, args.out)
            folder = config.display_path(figures_dir(run.plan.id, lang, args.out,
                                                     run.plan.path))
            _say(f"[{i}/{len(plans)}] {run.plan.id} ({lang}): wrote {len(written)} files to "
                 f"{folder}/ in {time.perf_counter() - start:.1f} s")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    """Check plan(s) and data files; list every problem, write nothing."""
    from planlib.inputs.observations import read_observations
    from planlib.inputs.plan import load_plan

    problems = []
    for plan_arg in _plans(args.plan):
        try:
            plan = load_plan(plan_arg)
            loaded = read_observations(plan, args.files or None)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        for line in loaded.warning_lines(args.lang):
            _say(f"{WARNING_PREFIX[args.lang]}{line}")
        n_ind = loaded.frame["indicator_id"].nunique()
        _say(f"ok: {plan.id}: {len(loaded.frame)} observations of {n_ind} series "
             f"in {len(loaded.files)} file(s)")
    if problems:
        raise InputError(problems)
    return EXIT_OK


def _levels(text: str) -> tuple[int, ...]:
    """Parse ``--levels 80,95`` into sorted integer percentages."""
    try:
        return check_levels(x for x in text.split(",") if x.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc} (write e.g. 80,95)") from None


def _year(text: str) -> int:
    """Parse a year option: an integer in planlib's year range."""
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a year: {text!r}") from None
    if not in_year_range(year):
        raise argparse.ArgumentTypeError(f"year {year} is outside {YEAR_MIN}-{YEAR_MAX}")
    return year


def _seed(text: str) -> int:
    """Parse ``--seed``: a whole number from 0 to 2**64 - 1 (what numpy's SeedSequence
    takes); a negative seed is refused rather than silently mapped to another."""
    try:
        seed = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text[:40]!r}") from None
    message = seed_message(seed)
    if message is not None:
        raise argparse.ArgumentTypeError(f"{message}; give one such as 0 or 42")
    return seed


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Evaluate each plan: progress and outlook table, tidy observations, manifest."""
    from planlib.pipeline import run_plan

    plans = _plans(args.plan)
    for i, plan_arg in enumerate(plans, 1):
        out = Path(args.out) / str(plan_arg) if args.out and len(plans) > 1 else args.out
        run = run_plan(plan_arg, as_of=args.as_of, model=args.model, levels=args.levels,
                       seed=args.seed, out_dir=out)
        ev = run.evaluation
        _say(f"[{i}/{len(plans)}] {run.plan.id}: {len(run.plan.indicators)} indicators, "
             f"as of {ev.as_of}")
        for line in run.loaded.warning_lines(args.lang):
            _say(f"  {WARNING_PREFIX[args.lang]}{line}")
        table = run.table
        from planlib.core.regions import has_areas

        if has_areas(table):  # a total and its areas: the total's line, the areas summed up
            _say_areas(ev, table, args.lang)
            _say("  wrote " + ", ".join(config.display_path(p) for p in run.written))
            continue
        if len(ev) > MAX_LINES:  # many regions: a summary per indicator, not a line each
            from planlib.core.regions import region_summary, summary_lines

            for line in summary_lines(region_summary(table)):
                _say(line)
        # one line per row, read from the table: no rich result is built to print it
        shown = table if len(ev) <= MAX_LINES else table.iloc[:0]
        for ident, region, progress, p_text, outlook in zip(
                shown["indicator_id"], shown["region"], shown["progress_status"],
                shown["p_meet_text"], shown["outlook_status"], strict=True):
            status = progress if isinstance(progress, str) and progress else "-"
            name = f"{ident} {region}".strip()
            _say(f"  {name:<32} {status:<12} P(met)={p_text or '-':>6}  {outlook}")
        _say("  wrote " + ", ".join(config.display_path(p) for p in run.written))
    return EXIT_OK


def _say_areas(ev: Evaluation, table: pd.DataFrame, lang: str) -> None:
    """Per indicator: the total's line, then its areas counted by band with the worst five
    named (`planlib.core.regions.area_line`), bounded at any number of areas."""
    from planlib.core.regions import area_line, area_summary

    areas = {row["indicator_id"]: row for row in area_summary(table).to_dict("records")}
    totals = {ident for ident, region in ev.keys() if region == ""}  # noqa: SIM118
    for ind in ev.plan.indicators:
        if ind.id in totals:
            r = ev[ind.id, ""]
            _say(f"  {ind.id:<32} {r.progress_status or '-':<12} "
                 f"P(met)={r.p_meet_text or '-':>6}  {r.outlook_status}")
        if ind.id in areas:
            _say(f"    {area_line(areas[ind.id], lang)}")


def _probabilities(text: str) -> tuple[int, ...]:
    """Parse ``--levels 50,80,90`` of ``propose``: probabilities in percent, 50 to 99."""
    from planlib.core.proposal import check_probabilities

    try:
        return check_probabilities([x for x in text.split(",") if x.strip()])
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc} (write e.g. 50,80,90)") from None


def cmd_propose(args: argparse.Namespace) -> int:
    """Propose targets for a plan: the levels reached with each probability by its target
    year, and the P(met) of its drafted targets, written to targets.csv with the folder's
    manifest."""
    from planlib.core.proposal import needed_levels, propose
    from planlib.core.reliability import reliable
    from planlib.outputs.files.targets import write_targets
    from planlib.pipeline import run_plan

    plans = _plans(args.plan)
    for i, plan_arg in enumerate(plans, 1):
        out = Path(args.out) / str(plan_arg) if args.out and len(plans) > 1 else args.out
        run = run_plan(plan_arg, as_of=args.as_of, model=args.model,
                       levels=needed_levels(args.levels), seed=args.seed, write=False)
        table = propose(run.evaluation, args.levels, run.loaded.frame)
        written = write_targets(run.plan, run.loaded, table, out,
                                {**run.parameters, "probabilities": list(args.levels)})
        _say(f"[{i}/{len(plans)}] {run.plan.id}: targets for {run.plan.plan.target_year}, "
             f"as of {run.evaluation.as_of}")
        for line in run.loaded.warning_lines(args.lang):
            _say(f"  {WARNING_PREFIX[args.lang]}{line}")
        cols = [f"p{q}" for q in args.levels]
        for row in table.head(MAX_LINES).itertuples(index=False):
            name = f"{row.indicator_id} {row.region}".strip()
            levels = "  ".join(f"{c}={getattr(row, c):.4g}" for c in cols) \
                if reliable(row.reliability) else row.reliability_en
            _say(f"  {name:<32} {levels}  draft={row.draft_target:.4g} "
                 f"P={row.p_draft:.2f} {row.draft_band} {row.draft_flag}".rstrip())
        _say("  wrote " + ", ".join(config.display_path(p) for p in written))
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    """Evaluate a plan and execute the notebook suite on it, into a new run folder."""
    from planlib.suite import run_suite, select_notebooks

    if args.plan == "all":
        return _run_every_plan(args)
    result = run_suite(args.plan, lang=args.lang, as_of=args.as_of, model=args.model,
                       levels=args.levels, seed=args.seed, out=args.out,
                       notebooks=select_notebooks(args.notebooks))
    _say(result.summary())
    if result.failure is not None:
        print(f"planlib run: {result.failure.message()}", file=sys.stderr, flush=True)
        return EXIT_INTERNAL
    return EXIT_OK


def _run_every_plan(args: argparse.Namespace) -> int:
    """``planlib run --plan all``: the suite on every shipped plan, one run folder each, one
    summary line per plan; a failing plan does not stop the others (exit 1 or 2 then)."""
    from planlib.suite import overall_exit_code, run_every_plan, select_notebooks

    outcomes = run_every_plan(
        config.shipped_plan_ids(), out=args.out,
        err=lambda m: print(m, file=sys.stderr, flush=True), lang=args.lang,
        as_of=args.as_of, model=args.model, levels=args.levels, seed=args.seed,
        notebooks=select_notebooks(args.notebooks))
    _say(f"{'plan':<24} {'status':<8} {'time':>9}  run folder")
    for outcome in outcomes:
        _say(outcome.line())
    return overall_exit_code(outcomes)


def cmd_init(args: argparse.Namespace) -> int:
    """Create a new planlib project (plan.yaml, data/, outputs/, README.md) in a folder,
    the plan drafted from a workbook with ``--from``."""
    from planlib.skeleton import write_drafted, write_skeleton

    if args.source is not None:
        written = write_drafted(args.dir, args.source, plan_id=args.id)
    else:
        written = write_skeleton(args.dir, plan_id=args.id)
    for path in written:
        _say(f"wrote {config.display_path(path)}")
    if args.source is not None:
        _say("plan.yaml is a draft: check every line marked '# check'")
        if "\n  - id:" not in (Path(args.dir) / "plan.yaml").read_text(encoding="utf-8"):
            _say("warning: no row of the workbook has a target the draft could read: write "
                 "the targets in plan.yaml, then remove the # before each indicator")
    _say(f"next: edit plan.yaml and the data, then, in {args.dir}: planlib validate, "
         "planlib run (outputs go to outputs/; see README.md there)")
    return EXIT_OK


def _report_formats(text: str) -> tuple[str, ...]:
    """Parse ``--format md,html,docx,xlsx`` (xlsx also writes the CSV)."""
    from planlib.outputs.report.section import check_formats

    try:
        return check_formats(text.split(","))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_report(args: argparse.Namespace) -> int:
    """Draft the forecast section of each plan in the chosen language(s) and formats."""
    from planlib.outputs.report.section import write_reports
    from planlib.pipeline import run_plan

    plans = _plans(args.plan)
    for i, plan_arg in enumerate(plans, 1):
        run = run_plan(plan_arg, as_of=args.as_of, model=args.model, levels=args.levels,
                       seed=args.seed, write=False)
        written = write_reports(run.evaluation, args.lang, args.format, args.out)
        _say(f"[{i}/{len(plans)}] {run.plan.id}: report in {', '.join(args.lang)}: "
             f"wrote {len(set(written))} files under "
             f"{config.display_path(written[-1].parent)}")
    return EXIT_OK


def _evaluation_options(parser: argparse.ArgumentParser) -> None:
    """--as-of, --model, --levels and --seed: the same evaluation options on every command
    that evaluates a plan."""
    parser.add_argument("--as-of", type=_year, default=None, metavar="YEAR",
                        help="evaluation year: data up to YEAR-1 are used (default: the "
                        "plan's as_of)")
    parser.add_argument("--model", default="auto", choices=list(MODEL_CHOICES),
                        help="trend model (default: auto, chosen per indicator by backtest)")
    parser.add_argument("--levels", type=_levels, default=(80, 95), metavar="L1,L2",
                        help="central interval levels in percent (default: 80,95)")
    parser.add_argument("--seed", type=_seed, default=0,
                        help=f"seed of the sample paths, 0 to {SEED_MAX}; same seed, same "
                        "outputs (default: 0)")


def _warning_lang(parser: argparse.ArgumentParser) -> None:
    """--lang on commands whose only words are the data warnings (zh, as everywhere)."""
    parser.add_argument("--lang", default="zh", choices=["zh", "en"],
                        help="language of the data warnings (default: zh)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with every option documented in --help."""
    parser = argparse.ArgumentParser(
        prog="planlib",
        description="Mid-term evaluation of five-year plan indicators: progress to date "
        "and the outlook to the target year.",
        epilog="Exit codes: 0 success, 2 bad input (each problem with file, row, column, "
        "value and a fix), 1 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"planlib {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show the Python traceback of internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    plan_help = (
        f"plan id under data/raw/, a plan folder or a plan.yaml path; 'all' for every "
        f"shipped plan (default: {config.DEFAULT_PLAN_ID})"
    )

    val = sub.add_parser("validate", help="check a plan and its data files, write nothing",
                         description="Check a plan file and its data; list every problem.")
    val.add_argument("--plan", default=None, help=plan_help)
    val.add_argument("files", nargs="*", type=Path, metavar="FILE",
                     help="data files to check instead of the plan's own (CSV or XLSX)")
    _warning_lang(val)
    val.set_defaults(func=cmd_validate)

    ev = sub.add_parser(
        "evaluate", help="progress to date and outlook per indicator; write the tables",
        description="Validate a plan's data, compute progress to date and the outlook to the "
        "target year for every indicator, and write evaluation.csv/.parquet, tidy "
        "observations.csv/.parquet and manifest.json.")
    ev.add_argument("--plan", default=None, help=plan_help)
    _evaluation_options(ev)
    ev.add_argument("--out", default=None, metavar="DIR",
                    help="output folder (default: data/processed/<plan_id>/; with --plan all, "
                    "one sub-folder per plan)")
    _warning_lang(ev)
    ev.set_defaults(func=cmd_evaluate)

    rn = sub.add_parser(
        "run", help="evaluate and execute the notebook suite; HTML of each notebook",
        description="Evaluate a plan, then execute the notebooks 1.0-4.0 on it with papermill "
        "(kernel python3) and export each as HTML, into a new folder "
        "reports/<plan_id>/runs/<as_of>-<lang>-<n>/ (earlier runs are kept). "
        "Exit 1 if a notebook fails (the cell and error are named, the partial notebook "
        "kept), 2 for bad input.")
    rn.add_argument("--plan", default=None, help=plan_help + "; with all, one run folder "
                    "per plan, and --out DIR holds one sub-folder per plan")
    rn.add_argument("--lang", default="zh", choices=["zh", "en"],
                    help="language of the figures and the forecast section (default: zh)")
    _evaluation_options(rn)
    rn.add_argument("--out", default=None, metavar="DIR",
                    help="run folder (must be new or empty; default: a new "
                    "reports/<plan_id>/runs/<as_of>-<lang>-<n>/)")
    rn.add_argument("--notebooks", default=None, metavar="1.0,3.0",
                    help="run only these notebooks, by number or name (default: all four)")
    rn.set_defaults(func=cmd_run)

    pr = sub.add_parser(
        "propose", help="propose targets: levels reached with P = 0.5/0.8/0.9, P of drafts",
        description="Evaluate a plan and write targets.csv (and the folder's manifest.json, "
        "which keeps evaluate's tables listed): per indicator and region the "
        "level reached or bettered with each probability by the target year (p50, p80, "
        "p90), the plan's drafted target with its P(met) in words (稳妥/积极/有挑战/难以实现) "
        "and, with many regions, the pace of the fastest quarter of comparable regions.")
    pr.add_argument("--plan", default=None, help=plan_help)
    pr.add_argument("--levels", type=_probabilities, default=(50, 80, 90), metavar="50,80,90",
                    help="probabilities in percent, 50 to 99 (default: 50,80,90)")
    pr.add_argument("--as-of", type=_year, default=None, metavar="YEAR",
                    help="evaluation year: data up to YEAR-1 are used (default: the "
                    "plan's as_of)")
    pr.add_argument("--model", default="auto", choices=list(MODEL_CHOICES),
                    help="trend model (default: auto, chosen per indicator by backtest)")
    pr.add_argument("--seed", type=_seed, default=0, help="seed of the sample paths "
                    "(default: 0)")
    pr.add_argument("--out", default=None, metavar="DIR",
                    help="output folder (default: the plan's processed folder, as evaluate)")
    _warning_lang(pr)
    pr.set_defaults(func=cmd_propose)

    it = sub.add_parser(
        "init", help="create a new project: plan.yaml, data/, outputs/, README.md",
        description="Create the project folder DIR with a commented plan.yaml, data/ holding "
        "a data template in the wide layout (CSV and XLSX, Chinese headers), an empty "
        "outputs/ where every result goes, and a README of the next commands; it validates "
        "and runs as created. Commands run in DIR (or with --plan DIR) use this project.")
    it.add_argument("dir", type=Path, metavar="DIR", help="the new project folder")
    it.add_argument("--id", default=None,
                    help="plan id (default: the folder name, made a valid id)")
    it.add_argument("--from", dest="source", type=Path, default=None, metavar="WORKBOOK",
                    help="draft plan.yaml from this workbook (XLSX or CSV: one indicator per "
                    "named row, 属性 and 2025年目标 columns read; guesses marked '# check'); "
                    "it is copied into data/")
    it.set_defaults(func=cmd_init)

    fig = sub.add_parser(
        "figures", help="draw the figures of a plan (per indicator, overview, progress, "
        "outlook)", description="Evaluate a plan (no tables written) and draw its figures: "
        "one per indicator, an overview grid, the progress chart and the outlook chart, as "
        "PNG (300 dpi), SVG and PDF in figures/<plan_id>/<lang>/. Chinese text uses a system "
        "Chinese font if there is one, else the font shipped with planlib.")
    fig.add_argument("--plan", default=None, help=plan_help)
    fig.add_argument("--lang", type=_langs, default=("zh",), metavar="zh|en|zh,en",
                     help="language of the figures' text (default: zh)")
    fig.add_argument("--format", type=_formats, default=("png", "svg", "pdf"),
                     metavar="png,svg,pdf", help="file formats (default: png,svg,pdf)")
    fig.add_argument("--out", default=None, metavar="DIR",
                     help="root folder: figures go to DIR/<plan_id>/<lang>/ (default: figures/)")
    _evaluation_options(fig)
    fig.set_defaults(func=cmd_figures)

    rep = sub.add_parser(
        "report", help="draft the forecast section (Markdown, HTML, Word, tables)",
        description="Evaluate a plan and draft the forecast section of its mid-term "
        "evaluation report (对2025年主要指标的预测分析) under reports/<plan_id>/<lang>/: "
        "report.md (+ figures/), one self-contained report.html, report.docx, tables.xlsx "
        "and table1_overview.csv, with reports/<plan_id>/manifest.json.")
    rep.add_argument("--plan", default=None, help=plan_help)
    rep.add_argument("--lang", default=("zh",), metavar="zh|en|zh,en", type=_langs,
                     help="language(s) of the section (default: zh)")
    rep.add_argument("--format", default=("md", "html", "docx", "xlsx"), type=_report_formats,
                     metavar="md,html,docx,xlsx",
                     help="formats to write (default: all; xlsx also writes the CSV)")
    _evaluation_options(rep)
    rep.add_argument("--out", default=None, metavar="DIR",
                     help="output folder (default: reports/); files go to DIR/<plan_id>/<lang>/")
    rep.set_defaults(func=cmd_report)
    return parser


@contextmanager
def _font_warnings_once(say: Callable[[str], None], lang: str) -> Iterator[None]:
    """A command's font warnings said once per text at its end, in ``lang`` (the run's
    first language), naming every figure that shows the text
    (`fonts.coverage.grouped_lines`); other warnings pass as usual. The coverage module
    is looked up, never imported: commands that draw nothing stay light."""
    caught: list[Warning] = []
    show = warnings.showwarning

    def keep(message: Warning | str, category: type[Warning], filename: str, lineno: int,
             file: object = None, line: str | None = None) -> None:
        coverage = sys.modules.get("planlib.fonts.coverage")
        if coverage is not None and isinstance(message, coverage.FontCoverageWarning):
            caught.append(message)
        else:
            show(message, category, filename, lineno, file, line)  # type: ignore[arg-type]

    with warnings.catch_warnings():
        warnings.showwarning = keep
        try:
            yield
        finally:
            if caught:
                coverage = sys.modules["planlib.fonts.coverage"]
                for text in coverage.grouped_lines(caught, lang):
                    say(f"{WARNING_PREFIX[lang]}{text}")


def _first_lang(args: argparse.Namespace) -> str:
    """The language a command speaks in: its --lang (the first of zh,en), else zh."""
    lang = getattr(args, "lang", "zh") or "zh"
    return lang if isinstance(lang, str) else lang[0]


def run(argv: Sequence[str] | None, handler: Callable[[str], None] | None = None) -> int:
    """Parse arguments and run a command; map errors to exit codes (no traceback)."""
    err = handler or (lambda m: print(m, file=sys.stderr, flush=True))
    args = build_parser().parse_args(argv)
    try:
        with _font_warnings_once(err, _first_lang(args)):
            return args.func(args)
    except InputError as exc:
        err(f"planlib {args.command}: {exc.report()}")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        err("planlib: interrupted")
        return 130
    except Exception as exc:  # noqa: BLE001 - the CLI's last line of defence
        if args.debug:
            traceback.print_exc()
        err(f"planlib {args.command}: internal error: {exc.__class__.__name__}: {exc}. "
            "This is a bug in planlib; rerun with --debug and report the traceback.")
        return EXIT_INTERNAL


def main() -> None:
    """Console-script entry point; a closed pipe (``planlib --help | head -1``) ends the
    program quietly, as other Unix tools do, never with a traceback."""
    try:
        code = run(sys.argv[1:])
        sys.stdout.flush()
    except BrokenPipeError:
        _stdout_gone()
        code = EXIT_OK
    sys.exit(code)


if __name__ == "__main__":
    main()
