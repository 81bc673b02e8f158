"""What the command line writes, when writing fails or the run is stopped.

Reports and figures are written whole or not at all (a file-size limit, ``/dev/full``), the
outputs are checked before any work is done, SIGTERM ends the run like Ctrl-C (one line,
exit 143), and a closed standard output is one line, not a traceback.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cohort_reanalysis.presentation._cli import main

ERROR = "cohort-reanalysis: error: "


def one_error(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith(ERROR)]
    assert len(errors) == 1, stderr
    return errors[0][len(ERROR) :]


def test_out_and_figures_are_checked_before_the_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "figures.txt"
    a_file.write_text("not a folder")
    assert main(["verify", "matsuoka2025", "--out", str(tmp_path)]) == 2
    assert one_error(capsys.readouterr().err).endswith(": is a folder, not a file")
    assert main(["verify", "matsuoka2025", "--figures", str(a_file)]) == 2
    assert one_error(capsys.readouterr().err).endswith(": is a file, not a folder")
    assert a_file.read_text() == "not a folder"


def _limited(limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    """The command line in a process whose files may not grow beyond ``limit`` bytes."""
    code = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"  # EFBIG instead of a kill
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
        "from cohort_reanalysis.presentation._cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits")
def test_a_report_cut_short_by_a_size_limit_leaves_the_previous_one(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    report.write_text("the previous report\n")
    done = _limited(20_000, "verify", "matsuoka2025", "--format", "html", "--out", str(report))
    assert done.returncode == 2
    assert "File too large" in one_error(done.stderr)
    assert report.read_text() == "the previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_a_full_disk_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "matsuoka2025", "--format", "json", "--out", "/dev/full"]) == 2
    assert "No space left on device" in one_error(capsys.readouterr().err)
    assert Path("/dev/full").is_char_device()


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_is_one_line_and_exit_143_and_leaves_outputs_whole(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    report.write_text("the previous report\n")
    command = ["verify", "matsuoka2025", "--format", "html", "--out", str(report)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "cohort_reanalysis", *command, "--figures", str(tmp_path / "f")],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stderr is not None
    # The progress note says the command (and its SIGTERM handler) is running.
    line = proc.stderr.readline()
    assert "verifying" in line or "drawing" in line, line
    proc.send_signal(signal.SIGTERM)
    rest = proc.stderr.read()
    assert proc.wait(timeout=120) == 143
    assert one_error(line + rest) == "terminated"
    assert report.read_text() == "the previous report\n"
    figures = tmp_path / "f"
    if figures.exists():  # any figure written is whole, and no temporary file is left
        assert not [p for p in figures.iterdir() if p.name.startswith(".tmp-")]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file descriptors")
def test_a_closed_standard_output_is_one_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cohort_reanalysis", "datasets"],
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=lambda: os.close(1),
    )
    assert done.returncode == 2
    assert one_error(done.stderr).startswith("standard output is closed")


def test_sigterm_handler_is_restored_after_main(capsys: pytest.CaptureFixture[str]) -> None:
    before = signal.getsignal(signal.SIGTERM)
    assert main(["datasets"]) == 0
    assert signal.getsignal(signal.SIGTERM) == before
