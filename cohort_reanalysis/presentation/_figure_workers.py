"""Where ``verify --figures`` draws: worker processes that import matplotlib once.

matplotlib draws in one thread, and the figures are most of a ``verify --figures`` run, so
they are drawn in worker processes. Importing matplotlib costs a worker about as much CPU
as drawing two figures, so it is done once: a first worker is forked as soon as the
command has read its table and claims, and imports matplotlib while this process
verifies. When the figures are wanted, that worker forks the drawing workers from itself,
and they start with matplotlib imported and warm. This process never imports matplotlib.

Workers are forked, so this is Linux (and other POSIX systems with a safe ``fork``) only;
elsewhere, and on one core, the figures are drawn in this process.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from concurrent.futures import ProcessPoolExecutor

    from ..cohort import Cohort
    from ..verification._audit import Audit

__all__ = ["FigureWorkers", "figure_workers"]


class FigureWorkers:
    """A warmed-up worker that draws a dataset's figures on processes forked from itself.

    Made by :func:`figure_workers`; :meth:`render` returns what
    :func:`~.figures.render_figures` returns, the same bytes as drawing in this process.
    """

    def __init__(self, pool: ProcessPoolExecutor, *, drawers: int) -> None:
        self._pool = pool
        self.drawers = drawers

    def render(self, cohort: Cohort, audit: Audit | None) -> dict[str, dict[str, bytes]]:
        """Every figure of ``cohort`` (and ``audit``), as ``{name: {format: bytes}}``.

        Raises ``BrokenProcessPool`` if a worker died (killed, out of memory).
        """
        return self._pool.submit(_render_in_forks, cohort, audit, self.drawers).result()


@contextmanager
def figure_workers(*, enabled: bool = True) -> Iterator[FigureWorkers | None]:
    """Start the first figure worker now, or yield ``None`` where figures are drawn here.

    ``None`` when not ``enabled``, on one core, and where ``fork`` is missing or unsafe
    (Windows, macOS). Start it as early as possible: it imports matplotlib while the
    caller goes on.

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset, verify
    >>> cohort = load_dataset("matsuoka2025")
    >>> with figure_workers() as workers:
    ...     audit = verify(cohort)  # meanwhile, the worker imports matplotlib
    ...     files = workers.render(cohort, audit) if workers else None
    """
    import multiprocessing

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    if (
        not enabled
        or cores < 2
        or sys.platform == "darwin"
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        yield None
        return
    from concurrent.futures import ProcessPoolExecutor

    import scipy.special  # noqa: F401  (verifying and drawing both need it: import it once)

    with ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_warm_up,
        initargs=(os.getpid(),),
    ) as pool:
        with _forking():
            pool.submit(int)  # fork it, and start its warm-up, now
        yield FigureWorkers(pool, drawers=min(cores, 4))


def _warm_up(parent: int) -> None:
    """The first worker's initializer: import all that drawing needs (matplotlib, and the
    verification classes that unpickling an audit needs), and exercise matplotlib."""
    _end_with(parent)
    import scipy.special  # noqa: F401

    from ..verification import _audit  # noqa: F401
    from .figures._all import warm_up

    warm_up()


def _render_in_forks(
    cohort: Cohort, audit: Audit | None, drawers: int
) -> dict[str, dict[str, bytes]]:
    """Run in the first worker: draw on ``drawers`` processes forked from this warm one.

    This worker only hands out the figures and waits, so ``drawers`` processes draw at once.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from .figures import render_figures

    with (
        _forking(),
        ProcessPoolExecutor(
            drawers,
            multiprocessing.get_context("fork"),
            initializer=_end_with,
            initargs=(os.getpid(),),
        ) as pool,
    ):
        return render_figures(cohort, audit, executor=pool)


def _end_with(parent: int) -> None:
    """End this worker when ``parent``, the process that forked it, ends.

    A pool's workers wait for work until their pool says stop; a parent killed outright (by
    SIGTERM or SIGKILL) never says it, and would leave them waiting for ever. Linux can send
    a signal when the parent dies (``PR_SET_PDEATHSIG``); elsewhere this does nothing.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # 1 is PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - no prctl in this C library
        return
    if os.getppid() != parent:  # it died before the request was made
        os._exit(1)


@contextmanager
def _forking() -> Iterator[None]:
    # Python 3.12+ warns that forking a threaded process may deadlock the child; the
    # workers only draw and return bytes, and hold no lock the forking process needs.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", ".*fork.*", DeprecationWarning)
        yield
