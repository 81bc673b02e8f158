"""The ``check`` command: a table of reported values through GRIM, GRIMMER, DEBIT or SPRITE.

``cohort-reanalysis check grim TABLE.csv --mean COL --n COL`` reads every cell as text (so that
trailing zeros, the precision, survive), runs :func:`~.checks.check_table` and prints one row
per case and the audit summary, or JSON with ``--format json``. Every problem of the table is
one line on stderr, and the exit status is then 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

__all__ = ["add_check_command", "run_check"]

#: The keys of ``checks._table.CHECKS`` (tests/presentation/test_cli_check.py keeps them equal).
_CHECKS = ("grim", "grimmer", "debit", "sprite")

_EPILOG = """\
examples:
  cohort-reanalysis check grim means.csv --mean mean --n n
  cohort-reanalysis check grimmer table.csv --mean-sd "mean (SD)" --n n --rounding up
  cohort-reanalysis check sprite table.csv --mean m --sd s --n n --bounds 1 7 --format json
"""


def add_check_command(commands: Any) -> None:
    """Register ``check`` on the command line's subparsers."""
    # Light imports only: --help must not load pandas (the checks package does).
    from ..verification._rounding import ROUNDING_NAMES

    check = commands.add_parser(
        "check",
        help="check a table of reported means (and SDs) with GRIM, GRIMMER, DEBIT or SPRITE",
        description="Check every row of a table of reported values (CSV, read as text).",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("check", choices=_CHECKS, help="which check")
    check.add_argument("table", metavar="TABLE.csv", help="the table of reported values")
    check.add_argument("--mean", metavar="COL", help="column of means (default: mean)")
    check.add_argument("--sd", metavar="COL", help="column of SDs (default: sd)")
    check.add_argument("--n", metavar="COL", help="column of sample sizes (default: n)")
    check.add_argument("--items", metavar="COL", help="column of item counts (GRIM, GRIMMER)")
    check.add_argument(
        "--mean-sd", metavar="COL", help='one column printed as "2.65 (0.27)" or "2.65 ± 0.27"'
    )
    check.add_argument("--rounding", choices=ROUNDING_NAMES, help="default: up_or_down")
    check.add_argument("--threshold", type=float, help="for up_from, down_from, ...")
    check.add_argument(
        "--symmetric", action="store_true", default=None, help="for up, down, up_from, ..."
    )
    check.add_argument("--percent", action="store_true", help="GRIM: means are per-cents")
    check.add_argument(
        "--bounds", nargs=2, type=int, metavar=("LOW", "HIGH"), help="scale (SPRITE, GRIMMER)"
    )
    check.add_argument("--seed", type=int, default=0, help="SPRITE's seed (default: 0)")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--out", metavar="FILE", help="write here instead of stdout")
    check.set_defaults(command="check")


def _options(args: argparse.Namespace) -> tuple[dict[str, str], dict[str, Any]]:
    columns = {
        role: getattr(args, attr)
        for role, attr in (
            ("mean", "mean"),
            ("sd", "sd"),
            ("n", "n"),
            ("items", "items"),
            ("mean_sd", "mean_sd"),
        )
        if getattr(args, attr) is not None
    }
    options: dict[str, Any] = {}
    for name in ("rounding", "threshold", "symmetric"):
        if getattr(args, name) is not None:
            options[name] = getattr(args, name)
    if args.percent:
        options["percent"] = True
    if args.bounds is not None:
        options["bounds"] = tuple(args.bounds)
    if args.check == "sprite":
        options["seed"] = args.seed
    return columns, options


def _json(result: Any) -> str:
    def plain(value: Any) -> Any:
        if hasattr(value, "item"):
            value = value.item()
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return value

    rows = [{k: plain(v) for k, v in row.items()} for row in result.frame.to_dict("records")]
    summary = {k: plain(v) for k, v in result.summary().items()}
    return json.dumps({"check": result.check, "summary": summary, "rows": rows}, indent=2)


def _text(result: Any, columns: list[str]) -> str:
    frame = result.frame
    shown = [c for c in columns if c in frame.columns] + ["status"]
    extra = {"grim": "possible_means", "grimmer": "possible_sds", "debit": "counts"}
    if result.check in extra:
        shown.append(extra[result.check])
    else:
        shown.append("solution")
    table = [["row", *shown]] + [
        [str(i + 1), *("" if v is None else str(v) for v in row)]
        for i, row in enumerate(frame[shown].itertuples(index=False))
    ]
    widths = [max(len(r[j]) for r in table) for j in range(len(table[0]))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in table
    ]
    s = result.summary()
    rate = "n/a" if not s["cases"] else f"{s['rate']:.3g}"
    lines.append("")
    lines.append(
        f"{result.check}: {s['inconsistent']} inconsistent of {s['cases']} cases (rate {rate})"
        + (f"; {s['not_applicable']} not applicable" if s["not_applicable"] else "")
    )
    return "\n".join(lines)


def run_check(args: argparse.Namespace) -> int:
    """Run ``check``: 0 when it ran (whatever the verdicts), 2 with one line per problem."""
    import pandas as pd

    from ..verification.checks._table import TableError, check_table
    from ._cli import PROG, _emit

    columns, options = _options(args)
    try:
        frame = pd.read_csv(args.table, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        print(f"{PROG}: error: {args.table}: no such file", file=sys.stderr)
        return 2
    except (ValueError, OSError, pd.errors.ParserError) as error:
        print(f"{PROG}: error: {args.table}: {' '.join(str(error).split())}", file=sys.stderr)
        return 2
    try:
        result = check_table(frame, check=args.check, columns=columns, **options)
    except TableError as error:
        for problem in error.problems:
            print(f"{PROG}: error: {args.table}: {' '.join(problem.split())}", file=sys.stderr)
        return 2
    shown = list(dict.fromkeys(columns.get(r, r) for r in ("mean_sd", "mean", "sd", "n")))
    text = _json(result) if args.format == "json" else _text(result, shown)
    _emit(text, args.out)
    return 0
