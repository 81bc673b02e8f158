"""The figure workers of ``verify --figures``: the same files as drawing in one process,
matplotlib imported once (and pandas never by a worker), and the figures drawn here when a
worker dies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def test_figure_workers_draw_what_one_process_draws(tmp_path: Path) -> None:
    import os

    from cohort_reanalysis import load_dataset, verify
    from cohort_reanalysis.presentation._cli import _draw_figures
    from cohort_reanalysis.presentation._figure_workers import figure_workers
    from cohort_reanalysis.presentation.figures import render_figures
    from cohort_reanalysis.presentation.figures._all import figure_job

    with figure_workers(enabled=False) as none:
        assert none is None
    cohort = load_dataset("matsuoka2025")
    audit = verify(cohort)
    with figure_workers() as workers:
        forked = hasattr(os, "sched_getaffinity") and len(os.sched_getaffinity(0)) > 1
        assert (workers is not None) == (forked and sys.platform != "darwin")
        if workers is not None:  # as the command does: the figures with no verdict first
            workers.draw(figure_job(cohort))
            assert "audit" not in workers.sent and "forest" in workers.sent
        embedded = _draw_figures(cohort, audit, tmp_path, embed=True, workers=workers)
    serial = render_figures(cohort, audit)
    assert embedded == {name: files["png"] for name, files in serial.items()}
    for name, files in serial.items():
        for kind, data in files.items():
            assert (tmp_path / f"{name}.{kind}").read_bytes() == data, (name, kind)


def test_verify_with_figures_imports_matplotlib_once_and_pandas_once(tmp_path: Path) -> None:
    """However many processes draw, matplotlib is imported once: by the first worker, which
    forks the others from itself (or by the command itself where there are no workers). The
    workers are forked before pandas is imported and draw from results, so pandas too is
    imported once, by the command."""
    from cohort_reanalysis.presentation._figure_workers import figure_workers

    with figure_workers() as workers:
        has_workers = workers is not None
    # A finder that counts, across forked processes, the imports of matplotlib.
    script = f"""
import multiprocessing, sys
imports = {{name: multiprocessing.Value("i", 0) for name in ("matplotlib", "pandas")}}
class Count:
    def find_spec(self, name, path=None, target=None):
        if name in imports:
            with imports[name].get_lock():
                imports[name].value += 1
sys.meta_path.insert(0, Count())
from cohort_reanalysis.presentation._cli import main
status = main(["verify", "matsuoka2025", "--format", "json", "--figures", {str(tmp_path)!r}])
print(status, imports["pandas"].value, imports["matplotlib"].value, "matplotlib" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True
    )
    assert done.stdout.split()[-4:] == ["0", "1", "1", str(not has_workers)]
    assert len(list(tmp_path.glob("*.png"))) == len(list(tmp_path.glob("*.svg"))) == 8


def test_figures_are_drawn_here_when_a_worker_dies(tmp_path: Path) -> None:
    import os
    import signal
    from concurrent.futures.process import BrokenProcessPool

    from cohort_reanalysis import load_dataset, verify
    from cohort_reanalysis.presentation._cli import _draw_figures
    from cohort_reanalysis.presentation._figure_workers import figure_workers

    class Broken:
        sent = ()

        def draw(self, job: object) -> None:
            pass

        def files(self) -> dict[str, dict[str, bytes]]:
            raise BrokenProcessPool("a worker was killed")

    cohort = load_dataset("matsuoka2025")
    audit = verify(cohort)
    embedded = _draw_figures(cohort, audit, tmp_path / "a", embed=True, workers=Broken())  # type: ignore[arg-type]
    assert embedded is not None and len(embedded) == len(list(tmp_path.glob("a/*.png"))) == 8
    # A real death: the first worker killed while it warms up.
    with figure_workers() as workers:
        if workers is None:
            pytest.skip("no worker processes on this machine")
        assert workers.pid is not None
        os.kill(workers.pid, signal.SIGKILL)
        again = _draw_figures(cohort, audit, tmp_path / "b", embed=True, workers=workers)
    assert again == embedded


def test_leaving_stops_the_worker_at_once() -> None:
    """An error in the command (a bad table, read after the worker started) stops the worker
    without waiting for its warm-up; so does leaving without figures."""
    import os
    import signal

    from cohort_reanalysis.presentation._figure_workers import figure_workers

    left = []
    with pytest.raises(ValueError, match="a bad table"):
        with figure_workers() as workers:
            if workers is None:
                pytest.skip("no worker processes on this machine")
            left.append(workers)
            raise ValueError("a bad table")
    with figure_workers() as workers:
        assert workers is not None
        left.append(workers)
    for stopped in left:
        assert stopped._process.exitcode == -signal.SIGKILL  # killed, not waited for
        with pytest.raises(ProcessLookupError):  # and reaped
            os.kill(stopped.pid, 0)  # type: ignore[arg-type]


def test_workers_end_when_the_command_is_killed(tmp_path: Path) -> None:
    """A command killed outright (no chance to stop its pool) leaves no worker behind."""
    import os
    import signal
    import time

    from cohort_reanalysis.presentation._figure_workers import figure_workers

    with figure_workers() as workers:
        if workers is None or not sys.platform.startswith("linux"):
            pytest.skip("no worker processes on this machine")
    command = [sys.executable, "-m", "cohort_reanalysis", "verify", "matsuoka2025"]
    for delay in (0.5, 1.5):  # warming up, then (on most machines) drawing
        process = subprocess.Popen(
            [*command, "--format", "json", "--figures", str(tmp_path / str(delay))],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        if not children.exists():  # a kernel without CONFIG_PROC_CHILDREN
            process.kill()
            process.wait()
            pytest.skip("this kernel does not list a process's children")
        deadline = time.monotonic() + 60
        while not children.read_text().split():  # until the first worker is forked
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.02)
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        deadline = time.monotonic() + 20
        while True:
            try:
                os.killpg(process.pid, 0)  # anyone left in the command's process group?
            except ProcessLookupError:
                break
            assert time.monotonic() < deadline, "a figure worker outlived the command"
            time.sleep(0.05)


@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_job_larger_than_the_pipe_does_not_hold_the_command_up() -> None:
    """The worker reads jobs only once warm; a job larger than the pipe's buffer is written
    from a thread, so the command goes on (verifying) meanwhile, and leaving ends it."""
    import numpy as np

    from cohort_reanalysis.presentation._figure_workers import figure_workers
    from cohort_reanalysis.presentation.figures._all import FigureJob, _Drawing

    with figure_workers() as workers:
        if workers is None:
            pytest.skip("no worker processes on this machine")
        # 8 MB of results, far more than a pipe holds, sent while the worker warms up.
        big = FigureJob(
            (_Drawing("before_after", np.sum, (np.zeros(1_000_000),)),), ("png",), 72, None
        )
        workers.draw(big)
        sending = workers._sending
        assert sending is not None and sending.is_alive()  # still writing, and we went on
    assert not sending.is_alive()  # the worker was stopped, and the writing with it
