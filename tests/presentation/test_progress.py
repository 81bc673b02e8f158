"""Progress is said on stderr only when a step is still running after a delay."""

from __future__ import annotations

import time

import pytest

from cohort_reanalysis.presentation._cli import _progress


def test_a_slow_step_says_what_it_is_doing(capsys: pytest.CaptureFixture[str]) -> None:
    with _progress("verifying…", after=0.05):
        time.sleep(0.5)
    captured = capsys.readouterr()
    assert captured.err == "verifying…\n" and captured.out == ""


def test_a_quick_or_failing_step_stays_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValueError), _progress("verifying…", after=0.5):
        raise ValueError("bad claims file")
    time.sleep(0.7)  # past the delay: the cancelled timer must not fire
    assert capsys.readouterr().err == ""
