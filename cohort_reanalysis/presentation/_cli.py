"""The command line: ``cohort-reanalysis`` (also ``python -m cohort_reanalysis``).

A thin shell over the public API. Every failure a user can cause (a bad path, a bad table,
a bad claims file, a wrong column name) ends in exit status 2 and one line on stderr per
problem (a claims or metadata file with three mistakes gives three lines), never a
traceback; ``verify --fail-on VERDICT`` exits 1 when a claim has that verdict. Reports go
to stdout (or ``--out``); progress goes to stderr, so ``--format json`` stays valid JSON.
``verify --figures`` draws the figures with :func:`~.figures.render_figures` on a standard
``ProcessPoolExecutor`` (:func:`~._cli_pools.figure_pool`); Ctrl-C is one line and exit status 130.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    pass

from ._cli_draft import run_draft
from ._cli_parser import PROG, UsageError, build_parser
from ._cli_pools import draw_figures

__all__ = ["main"]

_TABLE_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".parquet", ".pq"}


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
        args = build_parser().parse_args(args_list)
    except UsageError as err:
        return _fail(str(err))
    except SystemExit as exit_:  # --help and --version
        return exit_.code if isinstance(exit_.code, int) else 0
    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        "datasets": _cmd_datasets,
        "describe": _cmd_describe,
        "verify": _cmd_verify_any,
        "analyze": _cmd_analyze,
        "draft": run_draft,
        "check": _cmd_check,
        "init": _cmd_init,
    }
    run = commands[args.command]
    if sys.stdout is None and getattr(args, "out", None) is None:
        return _fail("standard output is closed: there is nowhere to write (use --out FILE)")
    previous = _handle_sigterm()
    try:
        return run(args)
    except KeyboardInterrupt:
        return _fail("interrupted", status=130)
    except _Terminated:
        return _fail("terminated", status=143)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error of ours. Point stdout at devnull
        # so that Python's final flush does not complain (the recipe of the signal docs).
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):  # pragma: no cover - stdout without a file descriptor
            pass
        return 0
    except Exception as err:  # the one place where every failure becomes lines for people
        if os.environ.get(_TRACEBACK_VARIABLE):
            raise
        for line in _messages(err)[:-1]:
            _fail(line)
        return _fail(_messages(err)[-1])
    finally:
        if previous is not None:
            import signal

            signal.signal(signal.SIGTERM, previous)


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread like KeyboardInterrupt for Ctrl-C (a BaseException,
    so that no ``except Exception`` on the way swallows it)."""


def _handle_sigterm() -> Any:
    """Turn SIGTERM into :class:`_Terminated` (one line, exit 143, outputs left whole);
    returns the previous handler, or None where signals cannot be set (not the main thread)."""
    import signal

    def terminate(signum: int, frame: Any) -> None:
        raise _Terminated

    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, terminate)


#: Set this environment variable to see the traceback of an error instead of one line.
_TRACEBACK_VARIABLE = "COHORT_REANALYSIS_TRACEBACK"


def _messages(err: BaseException) -> list[str]:
    """One line per problem of an error that lists several (a claims file, a metadata file
    or a table with several mistakes: each names its file, and its claim, field, row or
    column, value and rule); else the one line of :func:`_message`."""
    lines = getattr(err, "lines", None)
    if isinstance(err, ValueError) and callable(lines):
        found = [" ".join(str(line).split()) for line in lines()]
        if found:
            return found
    return [_message(err)]


def _message(err: BaseException) -> str:
    """One line for people: the exception's own message, without Python's decorations.

    Bad data, bad claims, bad paths and bad names (CohortValidationError and ClaimsError are
    ValueErrors) are the user's to fix; anything else is our bug and is called so.
    """
    if isinstance(err, KeyError) and err.args:
        text = str(err.args[0])
    elif isinstance(err, OSError) and err.errno == errno.EBADF:
        text = "standard output is closed: there is nowhere to write (use --out FILE)"
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


def _check_outputs(args: argparse.Namespace) -> None:
    """Refuse ``--out`` and ``--figures`` that cannot be written before any work is done."""
    from .._atomic import check_output_file, check_output_folder

    if getattr(args, "out", None) is not None:
        check_output_file(args.out, option="--out")
    if getattr(args, "figures", None) is not None:
        check_output_folder(args.figures, option="--figures")


def _emit(text: str, out: str | None) -> None:
    if out is None:
        stream: IO[str] = sys.stdout
        stream.write(text if text.endswith("\n") else text + "\n")
        stream.flush()
        return
    from .._atomic import write_atomic

    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text if text.endswith("\n") else text + "\n")


# ---------------------------------------------------------------------------- commands


def _cmd_check(args: argparse.Namespace) -> int:
    from ._cli_check import run_check

    return run_check(args)


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


def _cmd_init(args: argparse.Namespace) -> int:
    from ._cli_init import cmd_init

    return cmd_init(args)


def _cmd_verify_any(args: argparse.Namespace) -> int:
    """``verify`` of a corpus (several datasets, a folder of them) or of one dataset."""
    from ._cli_corpus import OptionProblems, is_corpus, run_corpus, single_problems

    if is_corpus(args):
        return run_corpus(args)
    problems = single_problems(args)
    if problems:
        raise OptionProblems(problems)
    args.target = args.target[0]
    return _cmd_verify(args)


def _cmd_verify(args: argparse.Namespace) -> int:
    from ..cohort import dataset_info
    from ..verification.claims import load_claims
    from ._cli_multiverse import check_multiverse_option, merge_figures, run_multiverse
    from ._cli_table import cohort_of_table, given_roles, is_table

    started = time.perf_counter()
    _check_outputs(args)
    check_multiverse_option(args)
    roles = given_roles(args)
    if is_table(args.target):
        if args.claims is None:
            raise ValueError(f"{args.target}: a table file needs --claims CLAIMS.json")
        claims = load_claims(args.claims)
        cohort = cohort_of_table(Path(args.target), roles)
        name = cohort.name
    else:
        if roles:
            flags = ", ".join(f"--{r}" for r in roles)
            raise ValueError(f"{flags}: for a table file; a dataset's metadata gives its roles")
        info = dataset_info(args.target)
        if args.claims is None and info.claims_file is None:
            raise ValueError(
                f"dataset {info.name!r} has no claims file: there is nothing to verify"
            )
        if not info.has_table:
            return _verify_summary(args, info, started)
        from ..cohort import load_dataset

        source = args.claims if args.claims is not None else info.claims_file
        assert source is not None  # checked above
        claims = load_claims(source)
        cohort = load_dataset(args.target)
        name = info.name
    from ..verification._audit import verify
    from ._cli_corpus import cli_executor

    if claims.summary_claims:  # never skipped in silence (a report of both is not built yet)
        _note(
            f"{len(claims.summary_claims)} summary-level claim(s) of {claims.source} are not "
            "checked with a table; check them with cr.verify_summary(claims)"
        )
    with (
        cli_executor(args) as executor,
        _progress(f"verifying {len(claims.claims)} claims of {name} against {len(cohort)} rows…"),
    ):
        audit = verify(cohort, claims, executor=executor)
        curves = run_multiverse(args, cohort, claims, executor) if args.multiverse else {}
    figures = None
    if args.figures is not None:
        with _progress("drawing figures…"):
            figures = draw_figures(cohort, audit, Path(args.figures), embed=args.format == "html")
    _emit(_render(audit, args.format, merge_figures(figures, curves)), args.out)
    _done(started, audit.counts, args.out)
    verdicts = [(r.id, r.verdict.value) for r in audit.results]
    return _fail_on(verdicts, {args.fail_on} if args.fail_on else set(), args.fail_on)


def _verify_summary(args: argparse.Namespace, info: Any, started: float) -> int:
    """``verify`` for a dataset with claims but no patient table: summary-level checks."""
    from ..verification._audit import verify_summary
    from ..verification.claims import load_claims
    from ._summary_report import render_summary

    if args.multiverse is not None:
        raise ValueError(
            f"--multiverse: dataset {info.name!r} has no patient table, so there is no "
            "specification to recompute"
        )
    claims = load_claims(args.claims or info.claims_file)
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
    from ._verdict_style import VERDICT_LABELS

    tally = ", ".join(f"{n} {VERDICT_LABELS.get(what, what)}" for what, n in counts.items() if n)
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
