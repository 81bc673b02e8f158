"""The command line: ``cohort-reanalysis`` (also ``python -m cohort_reanalysis``).

A thin shell over the public API. Every failure a user can cause (a bad path, a bad table,
a bad claims file, a wrong column name) ends in one line on stderr and exit status 2, never
a traceback; ``verify --fail-on VERDICT`` exits 1 when a claim has that verdict. Reports go
to stdout (or ``--out``); progress goes to stderr, so ``--format json`` stays valid JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:  # pragma: no cover
    from ._figure_workers import FigureWorkers

__all__ = ["main"]

PROG = "cohort-reanalysis"
VERDICTS = ("reproduced", "reproduced_under_alternative", "not_reproduced", "not_checkable")
_TABLE_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".parquet", ".pq"}


class _UsageError(Exception):
    """A command-line usage error, printed as one line (exit 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr instead of the usage block."""

    def error(self, message: str) -> NoReturn:
        hint = f" (see '{self.prog} --help')"
        raise _UsageError(message + hint)


# ---------------------------------------------------------------------------- parser

_DESCRIPTION = """\
Re-analyse patient-level tables printed in clinical papers, and check every number the
paper states against a recomputation.
"""

_EPILOG = """\
examples:
  cohort-reanalysis datasets
  cohort-reanalysis describe matsuoka2025
  cohort-reanalysis verify matsuoka2025 --format html --out report.html --figures figures/
  cohort-reanalysis analyze my_table.csv --before hba1c_0 --after hba1c_12 --group sex

exit status: 0 success, 1 when --fail-on finds a claim with that verdict,
             2 bad usage or bad data (one line on stderr).
"""


def _build_parser() -> _Parser:
    parser = _Parser(
        prog=PROG,
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from .._version import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    datasets = commands.add_parser(
        "datasets",
        help="list the bundled datasets",
        description="List the bundled datasets: name, printed rows, reported n, DOI and title.",
        epilog="example:\n  cohort-reanalysis datasets\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    datasets.set_defaults(run=_cmd_datasets)

    describe = commands.add_parser(
        "describe",
        help="describe a dataset or table: provenance, columns, missing cells, Table 1",
        description=(
            "Describe a dataset: where it comes from, its columns with roles, units and missing\n"
            "cells, the rows printed against the n the paper reports, and Table 1."
        ),
        epilog=(
            "examples:\n"
            "  cohort-reanalysis describe matsuoka2025\n"
            "  cohort-reanalysis describe path/to/dataset_folder\n"
            "  cohort-reanalysis describe table.csv      # needs its sidecar table.cohort.json\n"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    describe.add_argument(
        "target",
        metavar="NAME|PATH",
        help="a bundled dataset name, a dataset folder, or a CSV with a .cohort.json sidecar",
    )
    describe.set_defaults(run=_cmd_describe)

    verify = commands.add_parser(
        "verify",
        help="check every claim of a dataset against a recomputation",
        description=(
            "Recompute every number a paper states about its cohort and give each claim a\n"
            "verdict: reproduced, reproduced_under_alternative, not_reproduced or not_checkable."
        ),
        epilog=(
            "examples:\n"
            "  cohort-reanalysis verify matsuoka2025\n"
            "  cohort-reanalysis verify matsuoka2025 --format json > audit.json\n"
            "  cohort-reanalysis verify matsuoka2025 --format html \\\n"
            "      --out report/matsuoka2025.html --figures report/figures\n"
            "  cohort-reanalysis verify matsuoka2025 --fail-on not_reproduced   # exit 1 if any\n"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verify.add_argument("target", metavar="NAME|PATH", help="a bundled dataset name or folder")
    verify.add_argument(
        "--format",
        choices=("text", "markdown", "html", "json"),
        default="text",
        help="report format (default: text)",
    )
    verify.add_argument("--out", metavar="FILE", help="write the report to FILE, not stdout")
    verify.add_argument(
        "--figures",
        metavar="DIR",
        help="draw the figures into DIR (and embed them in an HTML report)",
    )
    verify.add_argument(
        "--fail-on",
        metavar="VERDICT",
        choices=VERDICTS,
        help=(
            "exit 1 if any claim has this verdict (one of: " + ", ".join(VERDICTS) + "); for a "
            "dataset without a patient table, reproduced/not_reproduced/not_checkable mean "
            "consistent/inconsistent/not applicable"
        ),
    )
    verify.set_defaults(run=_cmd_verify)

    analyze = commands.add_parser(
        "analyze",
        help="paired before/after analysis of your own table",
        description=(
            "Paired change (after - before) of your own table: paired t-test with 95% CI and\n"
            "the Wilcoxon signed-rank test, overall and per group. Rows missing a value are\n"
            "left out and listed by their row number in the file (first data row = 1)."
        ),
        epilog=(
            "examples:\n"
            "  cohort-reanalysis analyze table.csv --before hba1c_0 --after hba1c_12\n"
            "  cohort-reanalysis analyze table.csv --before w0 --after w12 --group arm \\\n"
            "      --measure weight --unit kg --format json\n"
            "  cohort-reanalysis analyze table.csv --before b --after a --dose dose"
            " --followup months\n"
            "  cohort-reanalysis analyze table_fr.csv --before b --after a --decimal ,\n"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    analyze.add_argument("csv", metavar="CSV", help="the table (CSV, TSV; Excel or Parquet too)")
    analyze.add_argument("--before", required=True, metavar="COL", help="column before")
    analyze.add_argument("--after", required=True, metavar="COL", help="column after")
    analyze.add_argument("--group", metavar="COL", help="analyse each level of COL too")
    analyze.add_argument("--dose", metavar="COL", help="correlate the change with the dose")
    analyze.add_argument(
        "--followup", metavar="COL", help="correlate the change with the follow-up time"
    )
    analyze.add_argument(
        "--format", choices=("text", "json"), default="text", help="output (default: text)"
    )
    analyze.add_argument("--measure", metavar="NAME", help="what is measured, e.g. HbA1c")
    analyze.add_argument("--unit", metavar="UNIT", help="its unit, e.g. %% or kg")
    analyze.add_argument(
        "--decimal", metavar="CHAR", default=".", help="decimal mark of the file (default: .)"
    )
    analyze.add_argument("--encoding", metavar="ENC", help="text encoding (default: UTF-8)")
    analyze.set_defaults(run=_cmd_analyze)
    return parser


# ---------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status.

    Examples
    --------
    >>> main(["datasets"])  # doctest: +ELLIPSIS
    matsuoka2025 ...
    0
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _build_parser().parse_args(args_list)
    except _UsageError as err:
        return _fail(str(err))
    except SystemExit as exit_:  # --help and --version
        return exit_.code if isinstance(exit_.code, int) else 0
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except KeyboardInterrupt:
        return _fail("interrupted", status=130)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error of ours. Point stdout at devnull
        # so that Python's final flush does not complain (the recipe of the signal docs).
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):  # pragma: no cover - stdout without a file descriptor
            pass
        return 0
    except Exception as err:  # the one place where every failure becomes one line
        if os.environ.get(_TRACEBACK_VARIABLE):
            raise
        return _fail(_message(err))


#: Set this environment variable to see the traceback of an error instead of one line.
_TRACEBACK_VARIABLE = "COHORT_REANALYSIS_TRACEBACK"


def _message(err: BaseException) -> str:
    """One line for people: the exception's own message, without Python's decorations.

    Bad data, bad claims, bad paths and bad names (CohortValidationError and ClaimsError are
    ValueErrors) are the user's to fix; anything else is our bug and is called so.
    """
    if isinstance(err, KeyError) and err.args:
        text = str(err.args[0])
    elif isinstance(err, FileNotFoundError) and err.filename is not None:
        text = f"{err.filename}: no such file"
    elif isinstance(err, (ValueError, OSError, LookupError)):
        text = str(err)
    else:
        text = (
            f"internal error: {type(err).__name__}: {err} (please report it; set "
            f"{_TRACEBACK_VARIABLE}=1 to see the traceback)"
        )
    return " ".join(text.split()) or type(err).__name__


def _fail(message: str, *, status: int = 2) -> int:
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr)
    return status


def _note(message: str) -> None:
    """Progress and side notes go to stderr, so stdout stays a clean report."""
    print(message, file=sys.stderr, flush=True)


@contextmanager
def _progress(message: str, *, after: float = 1.0) -> Iterator[None]:
    """Say what is running only if it is still running ``after`` seconds later.

    Quick runs stay quiet, and an error found at once (a bad claims file) remains the only
    line on stderr.
    """
    timer = threading.Timer(after, _note, args=(message,))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _emit(text: str, out: str | None) -> None:
    if out is None:
        stream: IO[str] = sys.stdout
        stream.write(text if text.endswith("\n") else text + "\n")
        stream.flush()
        return
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------- commands


def _cmd_datasets(args: argparse.Namespace) -> int:
    from ..cohort import CohortValidationError, dataset_info, list_datasets

    names = list_datasets()
    if not names:
        _note("no bundled datasets found")
        return 0
    width = max(len(name) for name in names)
    for name in names:
        try:
            info = dataset_info(name)
        except CohortValidationError as err:
            # One broken folder should not hide the others; say what is wrong with it.
            print(f"{name.ljust(width)}  unreadable: {' '.join(str(err).split())}")
            continue
        prov = info.provenance
        counts = []
        if not info.has_table:
            counts.append("no patient table")
        elif prov.printed_rows is not None:
            counts.append(f"{prov.printed_rows} rows")
        if prov.reported_n is not None:
            counts.append(f"n = {prov.reported_n} reported")
        line = f"{name.ljust(width)}  {', '.join(counts)}"
        if prov.doi:
            line += f"  doi:{prov.doi}"
        print(line.rstrip())
        if info.title:
            indent = " " * (width + 2)
            print(textwrap.fill(info.title, 100, initial_indent=indent, subsequent_indent=indent))
    return 0


def _cmd_describe(args: argparse.Namespace) -> int:
    from ..cohort import Cohort, dataset_info, load_dataset
    from ._describe import describe_cohort, describe_dataset_info

    path = Path(args.target)
    if path.suffix.lower() in _TABLE_SUFFIXES:  # a table file with its sidecar
        if not path.is_file():
            raise FileNotFoundError(2, "no such file", str(path))
        print(describe_cohort(Cohort.read(path)))
        return 0
    info = dataset_info(args.target)
    if not info.has_table:
        print(describe_dataset_info(info))
        return 0
    print(describe_cohort(load_dataset(args.target), info=info))
    return 0


def _cmd_analyze(args: argparse.Namespace) -> int:
    from ..cohort import Cohort
    from ._analyze import analyze_table, render_analysis_text

    roles = {"before": args.before, "after": args.after}
    for role in ("group", "dose", "followup"):
        if getattr(args, role) is not None:
            roles[role] = getattr(args, role)
    given: dict[str, str] = {}
    for role, column in roles.items():
        if column in given:
            raise ValueError(f"column {column!r} is given to both --{given[column]} and --{role}")
        given[column] = role
    path = Path(args.csv)
    if path.is_dir():
        raise ValueError(f"{path}: a folder, not a table file")
    if not path.is_file():
        raise FileNotFoundError(2, "no such file", str(path))
    if len(args.decimal) != 1:
        raise ValueError(f"--decimal must be one character, got {args.decimal!r}")
    cohort = Cohort.read(
        path,
        columns=roles,
        measure=args.measure,
        unit=args.unit,
        decimal=args.decimal,
        encoding=args.encoding,
    )
    summary = analyze_table(
        cohort,
        group="group" if args.group is not None else None,
        dose=args.dose is not None,
        followup=args.followup is not None,
    )
    if args.format == "json":
        _emit(json.dumps(summary, indent=2, allow_nan=False, ensure_ascii=False), None)
    else:
        _emit(render_analysis_text(summary), None)
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from ..cohort import dataset_info

    started = time.perf_counter()
    info = dataset_info(args.target)
    if info.claims_file is None:
        raise ValueError(f"dataset {info.name!r} has no claims file: there is nothing to verify")
    if not info.has_table:
        return _verify_summary(args, info, started)
    from ._figure_workers import figure_workers

    # The first figure worker starts before the table is read, and before pandas and the
    # verification modules are imported: it imports matplotlib meanwhile. It draws from
    # results, never the table, so it needs no pandas. (A bad table stops it at once.)
    with figure_workers(enabled=args.figures is not None) as workers:
        from ..cohort import load_dataset
        from ..verification._audit import verify
        from ..verification.claims import load_claims
        from .figures._all import figure_job

        claims = load_claims(info.claims_file)
        cohort = load_dataset(args.target)
        if workers is not None:  # the figures that show no verdict are drawn meanwhile
            workers.draw(figure_job(cohort))
        with _progress(
            f"verifying {len(claims.claims)} claims of {info.name} against {len(cohort)} rows…"
        ):
            audit = verify(cohort, claims)
        with _progress("drawing figures…"):
            figures = None
            if args.figures is not None:
                figures = _draw_figures(
                    cohort, audit, Path(args.figures), embed=args.format == "html", workers=workers
                )
    _emit(_render(audit, args.format, figures), args.out)
    _done(started, audit.counts, args.out)
    verdicts = [(r.id, r.verdict.value) for r in audit.results]
    return _fail_on(verdicts, {args.fail_on} if args.fail_on else set(), args.fail_on)


def _verify_summary(args: argparse.Namespace, info: Any, started: float) -> int:
    """``verify`` for a dataset with claims but no patient table: summary-level checks."""
    from ..verification._audit import verify_summary
    from ..verification.claims import load_claims
    from ._summary_report import render_summary

    claims = load_claims(info.claims_file)
    with _progress(f"checking {len(claims.summary_claims)} summary claims of {info.name}…"):
        summary = verify_summary(claims)
    if args.figures is not None:
        _note("no patient table, so no figures; --figures ignored")
    _emit(render_summary(summary, format=args.format), args.out)
    _done(started, summary.counts, args.out)
    statuses = {_SUMMARY_STATUS.get(args.fail_on)} if args.fail_on else set()
    return _fail_on([(r.id, r.status) for r in summary.results], statuses, args.fail_on)


# Summary-level checks have statuses, not verdicts; --fail-on maps onto them like this.
_SUMMARY_STATUS = {
    "reproduced": "consistent",
    "not_reproduced": "inconsistent",
    "not_checkable": "not applicable",
}


def _fail_on(found: list[tuple[str, str]], wanted: set[str | None], verdict: str | None) -> int:
    hits = [claim_id for claim_id, status in found if status in wanted]
    if not hits:
        return 0
    _note(f"--fail-on {verdict}: {len(hits)} claim(s): {', '.join(hits)}")
    return 1


def _done(started: float, counts: Mapping[str, int], out: str | None) -> None:
    tally = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in counts.items() if n)
    wrote = f"; wrote {out}" if out is not None else ""
    _note(f"done in {time.perf_counter() - started:.1f} s: {tally or 'no claims'}{wrote}")


def _render(audit: Any, fmt: str, figures: Mapping[str, bytes | str] | None) -> str:
    if fmt == "json":
        from ._json import render_json

        return render_json(audit)
    if fmt == "markdown":
        from ._markdown import render_markdown

        return render_markdown(audit)
    if fmt == "html":
        from ._html_report import render_html

        return render_html(audit, figures=figures)
    from ._text import render_text

    return render_text(audit)


def _draw_figures(
    cohort: Any, audit: Any, folder: Path, *, embed: bool, workers: FigureWorkers | None = None
) -> dict[str, bytes | str] | None:
    """Draw every figure once into ``folder`` (PNG at 150 dpi and SVG).

    With ``embed``, return the PNGs as written, for the HTML report: drawing a figure is the
    costly part, so it is drawn once for both.
    """
    from concurrent.futures.process import BrokenProcessPool

    from .figures._all import FIGURE_NAMES, figure_job, figure_names

    rendered = None
    if workers is not None:  # they may be drawing some already (the ones with no verdict)
        rest = [name for name in figure_names(cohort, audit) if name not in workers.sent]
        try:
            if rest:
                workers.draw(figure_job(cohort, audit, names=rest))
            rendered = workers.files()
        except BrokenProcessPool:  # a worker died (killed, out of memory): draw them here
            rendered = None
    if rendered is None:
        rendered = figure_job(cohort, audit).render()
    rendered = {name: rendered[name] for name in FIGURE_NAMES if name in rendered}
    folder.mkdir(parents=True, exist_ok=True)
    for name, files in rendered.items():
        for kind, data in files.items():
            (folder / f"{name}.{kind}").write_bytes(data)
    if not embed:
        return None
    return {name: files["png"] for name, files in rendered.items()}
