"""``verify A B ...`` and ``verify FOLDER`` (a folder of dataset folders): a corpus of papers
verified at once, in one report; ``--jobs N`` and ``--executor dask://HOST:PORT``.

The command is the shell of :func:`~cohort_reanalysis.verify_corpus`. It writes one
document (``--format json``: ``{"datasets": [...], "counts": {...}}``; ``jsonl``: one
dataset's object per line; text, Markdown, HTML: the summary table, then with ``--reports``
each dataset's report), then says on stderr, one line per problem, why each dataset that
failed did. Exit status: 2 if any dataset failed (the document is written all the same);
else 1 if ``--fail-on VERDICT`` finds a claim with that verdict; else 0.

``--jobs N`` verifies the datasets on N worker processes (a standard
``ProcessPoolExecutor``, started by the platform's default method or by
``COHORT_REANALYSIS_START_METHOD``); ``--executor dask://HOST:PORT`` on the workers of a
running Dask scheduler (``distributed.Client("tcp://HOST:PORT").get_executor()``; the
``dask`` extra). With one dataset, either evaluates its claims' specification spaces there.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from concurrent.futures import Executor

__all__ = ["add_corpus_options", "cli_executor", "is_corpus", "run_corpus", "single_problems"]

#: The scheme of ``--executor``'s address.
DASK_SCHEME = "dask://"

#: Options of one dataset, refused with several (a field the code does not use is an error).
_SINGLE_ONLY = ("claims", "figures", "multiverse")


class OptionProblems(ValueError):
    """Options that do not go together: one line per problem (exit 2)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems

    def lines(self) -> list[str]:
        return list(self.problems)


def add_corpus_options(verify: argparse.ArgumentParser) -> None:
    """``--jobs``, ``--executor`` and ``--reports`` of ``verify``."""
    verify.add_argument(
        "--jobs",
        metavar="N",
        type=int,
        help="verify on N worker processes (several datasets: one dataset per task; one "
        "dataset: its claims' specification spaces); default: this process only",
    )
    verify.add_argument(
        "--executor",
        metavar="dask://HOST:PORT",
        help="verify on the workers of this Dask scheduler (needs the dask extra)",
    )
    verify.add_argument(
        "--reports",
        action="store_true",
        help="several datasets: after the summary table, each dataset's own report "
        "(text, markdown, html)",
    )


def is_corpus(args: argparse.Namespace) -> bool:
    """Whether ``verify``'s targets are a corpus: several, a folder of dataset folders, or
    ``--format jsonl`` (one line per dataset, whatever their number)."""
    from ..verification._corpus import corpus_datasets

    targets = list(args.target)
    return len(targets) > 1 or args.format == "jsonl" or corpus_datasets(targets) != targets


def single_problems(args: argparse.Namespace) -> list[str]:
    """The options ``verify`` of one dataset does not use (each is an error)."""
    problems = []
    if args.reports:
        problems.append("--reports: for several datasets (verify A B ... or a folder of them)")
    if args.jobs is not None and args.executor is not None:
        problems.append("--jobs and --executor: give one of them")
    return problems


def run_corpus(args: argparse.Namespace) -> int:
    """``verify`` of several datasets; returns the exit status."""
    from ..verification._corpus import corpus_datasets, verify_corpus
    from ._cli import _SUMMARY_STATUS, _check_outputs, _emit, _fail, _note, _progress
    from ._corpus_report import render_corpus
    from ._guess_columns import ROLE_FLAGS

    problems = [
        f"--{name}: for one dataset; each dataset of a corpus is verified against its own "
        "claims file"
        if name == "claims"
        else f"--{name}: for one dataset, not a corpus"
        for name in _SINGLE_ONLY
        if getattr(args, name, None) is not None
    ]
    problems += [
        f"--{role}: for a table file; a corpus is made of dataset folders, whose metadata "
        "gives the roles"
        for role in ROLE_FLAGS
        if getattr(args, role, None) is not None
    ]
    if args.jobs is not None and args.executor is not None:
        problems.append("--jobs and --executor: give one of them")
    if problems:
        raise OptionProblems(problems)
    started = time.perf_counter()
    _check_outputs(args)
    sources = corpus_datasets(args.target)
    with cli_executor(args) as executor, _progress(f"verifying {len(sources)} datasets…"):
        corpus = verify_corpus(sources, executor=executor)
    _emit(render_corpus(corpus, format=args.format, reports=args.reports), args.out)
    for entry in corpus.failed:
        for line in entry.problems:
            _fail(line if entry.source in line else f"{entry.source}: {line}")
    counts = corpus.counts
    wrote = f"; wrote {args.out}" if args.out is not None else ""
    _note(
        f"done in {time.perf_counter() - started:.1f} s: {counts['datasets']} datasets, "
        f"{counts['verified']} verified, {counts['failed']} failed{wrote}"
    )
    if corpus.failed:
        return 2
    if args.fail_on is None:
        return 0
    hits = []
    for entry in corpus:
        assert entry.audit is not None  # failed entries returned above
        for r in entry.audit.results:
            verdict = getattr(r, "verdict", None)  # a summary-level claim has a status
            if verdict is not None:
                hit = verdict.value == args.fail_on
            else:
                hit = getattr(r, "status", None) == _SUMMARY_STATUS.get(args.fail_on)
            if hit:
                hits.append(f"{entry.dataset}:{r.id}")
    if not hits:
        return 0
    _note(f"--fail-on {args.fail_on}: {len(hits)} claim(s): {', '.join(hits)}")
    return 1


@contextmanager
def cli_executor(args: argparse.Namespace) -> Iterator[Executor | None]:
    """The executor ``--jobs`` or ``--executor`` asks for; None without either (or with
    ``--jobs 1``). A pool's workers stop on leaving, also on an error or Ctrl-C."""
    jobs, address = args.jobs, args.executor
    if address is not None:
        with _dask_executor(address) as executor:
            yield executor
        return
    if jobs is None or jobs == 1:
        yield None
        return
    if jobs < 1:
        raise ValueError(f"--jobs {jobs}: must be at least 1")
    from concurrent.futures import ProcessPoolExecutor

    from ._cli_pools import ignore_interrupts, start_context

    pool = ProcessPoolExecutor(jobs, mp_context=start_context(), initializer=ignore_interrupts)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def dask_address(spec: str) -> str:
    """The scheduler's address of ``--executor dask://HOST:PORT`` (``tcp://HOST:PORT``).

    Examples
    --------
    >>> dask_address("dask://127.0.0.1:8786")
    'tcp://127.0.0.1:8786'
    """
    rest = spec[len(DASK_SCHEME) :] if spec.startswith(DASK_SCHEME) else None
    host, _, port = (rest or "").rpartition(":")
    if not rest or not host or not port.isdigit() or "/" in rest:
        raise ValueError(f"--executor {spec!r}: expected dask://HOST:PORT")
    return f"tcp://{host}:{port}"


@contextmanager
def _dask_executor(spec: str) -> Iterator[Executor]:
    address = dask_address(spec)
    try:
        import distributed
    except ImportError:
        raise ValueError(
            f"--executor {spec}: needs Dask's distributed (pip install 'cohort-reanalysis[dask]')"
        ) from None
    try:
        client = distributed.Client(address, timeout="10s")
    except (OSError, TimeoutError) as err:
        raise ValueError(
            f"--executor {spec}: cannot reach a Dask scheduler at {address} ({err})"
        ) from None
    try:
        yield client.get_executor()
    finally:
        client.close()
