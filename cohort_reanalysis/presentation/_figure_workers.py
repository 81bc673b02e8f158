"""Where ``verify --figures`` draws: worker processes that import matplotlib once.

matplotlib draws in one thread, and the figures are most of a ``verify --figures`` run, so
they are drawn in worker processes. Importing matplotlib costs a worker about as much CPU
as drawing two figures, so it is done once, and beside the command's own work: a first
worker is forked before the command reads its table (before it imports pandas), and
imports matplotlib while the command reads, verifies and computes what the figures show.
The command then sends it a :class:`~.figures._all.FigureJob` (results, not the table), and
the worker forks the drawing workers from itself, so they start with matplotlib imported
and warm. The command never imports matplotlib, and the workers never import pandas.

Workers are forked, so this is Linux (and other POSIX systems with a safe ``fork``) only;
elsewhere, and on one core, the figures are drawn in this process.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from .figures._all import FigureJob

__all__ = ["FigureWorkers", "figure_workers"]


class FigureWorkers:
    """A warmed-up worker that renders figures on processes forked from itself.

    Made by :func:`figure_workers`. Send it jobs with :meth:`draw` (drawing starts as soon
    as the worker is warm), then ask once for :meth:`files`: the same bytes as rendering
    the jobs here.
    """

    def __init__(self, connection: Connection, process: BaseProcess, *, drawers: int) -> None:
        self._connection = connection
        self._process = process
        self._sending: threading.Thread | None = None
        self._lost: BaseException | None = None
        self._sent: list[str] = []
        self.drawers = drawers

    @property
    def pid(self) -> int | None:
        """The first worker's process id."""
        return self._process.pid

    @property
    def sent(self) -> tuple[str, ...]:
        """The names of the figures sent so far."""
        return tuple(self._sent)

    def draw(self, job: FigureJob) -> None:
        """Send ``job`` to be drawn beside this process's work, and return at once.

        The job is written to the pipe from a thread: the worker reads it only once warm,
        and a job larger than the pipe's buffer (a big table's results) would otherwise hold
        this process up until then. A dead worker is reported by :meth:`files`.
        """
        self._sent += [drawing.name for drawing in job.drawings]
        self._send(job)

    def files(self) -> dict[str, dict[str, bytes]]:
        """The files of every job sent, ``{figure name: {format: contents}}``, in the order
        the jobs list them.

        Raises ``BrokenProcessPool`` if a worker died (killed, out of memory), and what
        drawing raised if it failed.
        """
        from concurrent.futures.process import BrokenProcessPool

        self._send(None)  # no more jobs
        self._sent_all()
        try:
            if self._lost is not None:
                raise self._lost
            failed, result = self._connection.recv()
        except (EOFError, OSError) as err:  # the worker is gone (a closed pipe, or a reset)
            raise BrokenProcessPool("the figure worker died") from err
        if failed:
            raise result
        return result

    def _sent_all(self) -> None:
        """Wait until every job is written to the pipe, or the writing failed."""
        if self._sending is not None:
            self._sending.join()

    def _send(self, job: FigureJob | None) -> None:
        previous = self._sending

        def send() -> None:
            if previous is not None:
                previous.join()  # one after the other, in order
            if self._lost is None:
                try:
                    self._connection.send(job)
                except OSError as err:
                    self._lost = err

        self._sending = threading.Thread(target=send, name="figure job", daemon=True)
        self._sending.start()


@contextmanager
def figure_workers(*, enabled: bool = True) -> Iterator[FigureWorkers | None]:
    """Start the first figure worker now, or yield ``None`` where figures are drawn here.

    ``None`` when not ``enabled``, on one core, and where ``fork`` is missing or unsafe
    (Windows, macOS). Start it as early as possible, before pandas is imported: it imports
    matplotlib while the caller goes on. On leaving, the worker is stopped at once, whether
    or not it rendered (an error in the caller does not wait for its warm-up).

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset, verify
    >>> from cohort_reanalysis.presentation.figures._all import figure_job
    >>> with figure_workers() as workers:
    ...     cohort = load_dataset("matsuoka2025")  # meanwhile, the worker imports matplotlib
    ...     job = figure_job(cohort, verify(cohort))
    ...     if workers:
    ...         workers.draw(job)
    ...     files = workers.files() if workers else job.render()
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
    import scipy.special  # noqa: F401  (verifying and drawing both need it: import it once)

    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    drawers = min(cores, 4)
    # Not a daemon: daemonic processes may not fork the drawers.
    worker = context.Process(target=_serve, args=(theirs, ours, os.getpid(), drawers), daemon=False)
    workers = None
    try:
        # Ctrl-C is held back while forking: the new process ignores it before it may
        # arrive, and this one receives it once the worker is known and will be stopped.
        with _forking(), _holding(signal.SIGINT):
            worker.start()
        theirs.close()
        workers = FigureWorkers(ours, worker, drawers=drawers)
        yield workers
    finally:
        if worker.pid is not None:
            worker.kill()  # done (its reply was read), idle, or abandoned: nothing to wait for
            worker.join()
        if workers is not None:
            workers._sent_all()  # a write still under way ends with the worker
        ours.close()


def _serve(connection: Connection, commands: Connection, parent: int, drawers: int) -> None:
    """The first worker: warm up, render the jobs the command sends until it sends ``None``,
    and reply ``(failed, files or exception)``. ``commands`` is the command's end of the
    pipe, which the fork copied: closed here, so that the pipe ends with the command."""
    commands.close()
    _end_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the command's to handle
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # held back by the fork
    failure: Exception | None = None
    try:
        _warm_up()
    except Exception as err:  # sent back as the reply, for the command to raise
        failure = err
    try:
        job = connection.recv()
    except EOFError:  # the command finished without figures
        return
    reply: tuple[bool, Any]
    try:
        if failure is not None:
            raise failure
        reply = (False, _render_in_forks(job, connection, drawers))
    except Exception as err:  # the command raises it (or, if it does not pickle, draws here)
        reply = (True, err)
    connection.send(reply)


def _warm_up() -> None:
    """Import all that drawing needs, and exercise matplotlib: none of it imports pandas."""
    import scipy.special  # noqa: F401  (the figures' t intervals)

    from ..analyses import _resampling  # noqa: F401  (the figures' bootstraps)
    from .figures._all import warm_up

    warm_up()


def _render_in_forks(
    job: FigureJob | None, connection: Connection, drawers: int
) -> dict[str, dict[str, bytes]]:
    """Render ``job``, and the jobs that follow it on ``connection`` until ``None``, on
    ``drawers`` processes forked from this warm one.

    This worker only hands out the figures and waits, so ``drawers`` processes draw at once.
    """
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    from .figures._all import drawing_order

    files: dict[str, dict[str, bytes]] = {}
    names: list[str] = []  # in the order the jobs list them
    waiting: list[FigureJob] = []  # one figure each, in drawing order
    running: set[Future[dict[str, dict[str, bytes]]]] = set()
    more = True  # the command may send more jobs
    with (
        _forking(),
        ProcessPoolExecutor(
            drawers,
            multiprocessing.get_context("fork"),
            initializer=_end_with,
            initargs=(os.getpid(),),
        ) as pool,
    ):
        # One figure per free drawer, and the jobs already sent taken in first, so that a
        # costly figure sent later (the audit's, after verifying) still starts before the
        # cheap ones waiting.
        while job is not None or waiting or running or more:
            if job is not None:
                names += [drawing.name for drawing in job.drawings]
                waiting = drawing_order([*waiting, job])
                job = None
            if more and (not (waiting or running) or connection.poll()):
                job = connection.recv()
                more = job is not None
                continue
            while waiting and len(running) < drawers:
                running.add(pool.submit(waiting.pop(0).render))
            # While more may come, look at the connection every 20 ms.
            done, running = wait(
                running, timeout=0.02 if more else None, return_when=FIRST_COMPLETED
            )
            for future in done:
                files.update(future.result())
    return {name: files[name] for name in names}


def _end_with(parent: int) -> None:
    """End this worker when ``parent``, the process that forked it, ends.

    Workers wait for work until the process that forked them says stop; a parent killed
    outright (by SIGTERM or SIGKILL) never says it, and would leave them waiting for ever.
    Linux can send a signal when the parent dies (``PR_SET_PDEATHSIG``); elsewhere this does
    nothing.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # 1 is PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - no prctl in this C library
        return
    if os.getppid() != parent:  # it died before the request was made
        os._exit(1)


@contextmanager
def _holding(signum: int) -> Iterator[None]:
    """Hold back ``signum`` in this thread while inside: it is delivered on leaving."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signum})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signum})


@contextmanager
def _forking() -> Iterator[None]:
    # Python 3.12+ warns that forking a threaded process may deadlock the child; the
    # workers only draw and return bytes, and hold no lock the forking process needs.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", ".*fork.*", DeprecationWarning)
        yield
