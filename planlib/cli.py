"""The ``planlib`` command line: validate plans and data, evaluate, and (later) report.

Exit codes: 0 success, 2 bad input (every problem listed with file, row, column, value
and a fix), 1 internal error.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from planlib import __version__, config
from planlib.constants import MODEL_CHOICES, YEAR_MAX, YEAR_MIN, check_levels, in_year_range
from planlib.errors import InputError

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
    print(msg, flush=True)


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
        for note in loaded.warnings:
            _say(f"warning: {note}")
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
        for note in run.loaded.warnings:
            _say(f"  warning: {note}")
        if len(ev) > MAX_LINES:  # many regions: a summary per indicator, not a line each
            from planlib.core.regions import region_summary, summary_lines

            for line in summary_lines(region_summary(run.table)):
                _say(line)
        for r in ev if len(ev) <= MAX_LINES else []:
            status = r.progress_status or "-"
            name = f"{r.id} {r.region}".strip()
            p_text = r.p_meet_text or "-"
            _say(f"  {name:<32} {status:<12} P(met)={p_text:>6}  {r.outlook_status}")
        _say("  wrote " + ", ".join(config.display_path(p) for p in run.written))
    return EXIT_OK


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
    val.set_defaults(func=cmd_validate)

    ev = sub.add_parser(
        "evaluate", help="progress to date and outlook per indicator; write the tables",
        description="Validate a plan's data, compute progress to date and the outlook to the "
        "target year for every indicator, and write evaluation.csv/.parquet, tidy "
        "observations.csv/.parquet and manifest.json.")
    ev.add_argument("--plan", default=None, help=plan_help)
    ev.add_argument("--as-of", type=_year, default=None, metavar="YEAR",
                    help="evaluation year: data up to YEAR-1 are used (default: the plan's as_of)")
    ev.add_argument("--model", default="auto",
                    choices=list(MODEL_CHOICES),
                    help="trend model (default: auto, chosen per indicator by backtest)")
    ev.add_argument("--levels", type=_levels, default=(80, 95), metavar="L1,L2",
                    help="central interval levels in percent (default: 80,95)")
    ev.add_argument("--seed", type=int, default=0,
                    help="seed of the sample paths; same seed, same tables (default: 0)")
    ev.add_argument("--out", default=None, metavar="DIR",
                    help="output folder (default: data/processed/<plan_id>/; with --plan all, "
                    "one sub-folder per plan)")
    ev.set_defaults(func=cmd_evaluate)
    return parser


def run(argv: Sequence[str] | None, handler: Callable[[str], None] | None = None) -> int:
    """Parse arguments and run a command; map errors to exit codes (no traceback)."""
    err = handler or (lambda m: print(m, file=sys.stderr, flush=True))
    args = build_parser().parse_args(argv)
    try:
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
    """Console-script entry point."""
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
