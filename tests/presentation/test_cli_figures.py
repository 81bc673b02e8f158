"""``verify --figures``: every figure drawn on a standard ProcessPoolExecutor under each start
method, the same files as one process draws, and Ctrl-C still one line and exit status 130."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cohort_reanalysis import load_dataset, verify
from cohort_reanalysis.presentation._cli import main
from cohort_reanalysis.presentation._cli_pools import START_METHOD_VARIABLE
from cohort_reanalysis.presentation.figures import render_figures

COMMAND = [sys.executable, "-m", "cohort_reanalysis", "verify", "matsuoka2025"]


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


@pytest.fixture(scope="module")
def expected() -> dict[str, dict[str, bytes]]:
    cohort = load_dataset("matsuoka2025")
    return render_figures(cohort, verify(cohort))  # one process, the command's options


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_the_command_draws_every_figure_under_each_start_method(
    method: str, expected: dict[str, dict[str, bytes]], tmp_path: Path
) -> None:
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} start method here")
    if _cores() < 2:
        pytest.skip("one core: the command draws the figures in its own process")
    env = {**os.environ, START_METHOD_VARIABLE: method}
    done = subprocess.run(
        [*COMMAND, "--format", "json", "--figures", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"{name}.{kind}" for name in expected for kind in ("png", "svg"))
    for name, files in expected.items():
        for kind, data in files.items():
            assert (tmp_path / f"{name}.{kind}").read_bytes() == data, (method, name, kind)


def test_one_core_draws_here(
    expected: dict[str, dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from cohort_reanalysis.presentation import _cli_pools

    monkeypatch.setattr(_cli_pools.os, "sched_getaffinity", lambda pid: {0}, raising=False)
    with _cli_pools.figure_pool() as pool:
        assert pool is None
    assert main(["verify", "matsuoka2025", "--format", "json", "--figures", str(tmp_path)]) == 0
    capsys.readouterr()
    for name, files in expected.items():
        for kind, data in files.items():
            assert (tmp_path / f"{name}.{kind}").read_bytes() == data, (name, kind)


def test_an_unknown_start_method_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if _cores() < 2:
        pytest.skip("one core: no worker processes to start")
    monkeypatch.setenv(START_METHOD_VARIABLE, "teleport")
    assert main(["verify", "matsuoka2025", "--figures", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("cohort-reanalysis: error: ") and "'teleport'" in err
    assert len(err.splitlines()) == 1


def test_ctrl_c_while_drawing_is_one_line_and_exit_130(tmp_path: Path) -> None:
    """Ctrl-C reaches the whole foreground process group: the command and its workers."""
    if _cores() < 2 or not sys.platform.startswith("linux"):
        pytest.skip("needs worker processes and Linux's /proc")
    process = subprocess.Popen(
        [*COMMAND, "--format", "json", "--figures", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives it
    )
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.monotonic() + 120
    try:
        while not (children.exists() and children.read_text().split()):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.skip("the figures were drawn before a worker could be seen")
            time.sleep(0.01)
        time.sleep(0.3)  # the workers are drawing
        os.killpg(process.pid, signal.SIGINT)
        _, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == "cohort-reanalysis: error: interrupted"
    assert [line for line in err.splitlines() if "error" in line] == [
        "cohort-reanalysis: error: interrupted"
    ]
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):  # no worker outlived the command
        os.killpg(process.pid, 0)
