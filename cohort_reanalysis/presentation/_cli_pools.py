"""The worker processes the command line opens: their start method, Ctrl-C left to the
command, and the pool that draws the figures.

The start method is the platform's default, or the one named by the environment variable
``COHORT_REANALYSIS_START_METHOD`` (spawn, forkserver or fork); ``verify --figures`` and
``verify ... --jobs N`` both take it from :func:`start_context`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from concurrent.futures import Executor

__all__ = [
    "START_METHOD_VARIABLE",
    "draw_figures",
    "figure_pool",
    "ignore_interrupts",
    "start_context",
]

#: Start method of the worker processes (spawn, forkserver or fork); the platform's default
#: when unset.
START_METHOD_VARIABLE = "COHORT_REANALYSIS_START_METHOD"


def start_context() -> Any:
    """The multiprocessing context of the start method asked for (or the default).

    Raises
    ------
    ValueError
        If ``COHORT_REANALYSIS_START_METHOD`` names a start method this platform lacks.
    """
    import multiprocessing

    method = os.environ.get(START_METHOD_VARIABLE) or None
    if method is not None and method not in multiprocessing.get_all_start_methods():
        known = ", ".join(multiprocessing.get_all_start_methods())
        raise ValueError(f"{START_METHOD_VARIABLE}={method!r}: not a start method here ({known})")
    return multiprocessing.get_context(method)


def ignore_interrupts() -> None:
    """A worker leaves Ctrl-C (SIGINT, sent to the whole process group) to the command,
    instead of printing a traceback of its own."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def draw_figures(
    cohort: Any, audit: Any, folder: Path, *, embed: bool
) -> dict[str, bytes | str] | None:
    """Draw every figure once into ``folder`` (PNG at 150 dpi and SVG), on worker processes
    (:func:`figure_pool`), or here on one core or if a worker died (killed, out of memory).

    With ``embed``, return the PNGs as written, for the HTML report: drawing a figure is the
    costly part, so it is drawn once for both.
    """
    from concurrent.futures.process import BrokenProcessPool

    from .figures import render_figures

    with figure_pool() as pool:
        try:
            rendered = render_figures(cohort, audit, executor=pool)
        except BrokenProcessPool:
            rendered = render_figures(cohort, audit)
    from .._atomic import write_atomic

    folder.mkdir(parents=True, exist_ok=True)
    for name, files in rendered.items():
        for kind, data in files.items():
            write_atomic(folder / f"{name}.{kind}", data)
    if not embed:
        return None
    return {name: files["png"] for name, files in rendered.items()}


@contextmanager
def figure_pool() -> Iterator[Executor | None]:
    """Worker processes to draw the figures on, one per core up to four; ``None`` on one
    core.

    The start method is :func:`start_context`'s. The workers ignore Ctrl-C, which is the
    command's to handle (one line, exit status 130); on leaving, also on an error or
    Ctrl-C, figures not yet started are dropped and the workers stop.
    """
    from concurrent.futures import ProcessPoolExecutor

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if (cores or 1) < 2:
        yield None
        return
    context = start_context()
    _preload_drawing(context)
    pool = ProcessPoolExecutor(
        min(cores or 1, 4), mp_context=context, initializer=ignore_interrupts
    )
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _preload_drawing(context: Any) -> None:
    """Import what drawing needs once, in the process the workers are forked from.

    Under fork that is this process (the workers start at the first figure sent, and
    inherit the modules); under forkserver, the server (its documented preload). Under
    spawn each worker imports them itself. Each worker importing matplotlib and scipy.stats
    anew costs about a second of CPU, as much as drawing half the figures.
    """
    import importlib

    from .figures._files import DRAWING_MODULES

    method = context.get_start_method()
    if method == "fork":
        for name in DRAWING_MODULES:
            importlib.import_module(name)
    elif method == "forkserver":
        context.set_forkserver_preload(list(DRAWING_MODULES))
