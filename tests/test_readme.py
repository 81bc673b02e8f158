"""The README runs as printed, so the documentation cannot drift: its first Python example
runs, and every sample of command output (a fenced block whose first line is
``$ cohort-reanalysis ...``) is that command's real output, line for line; a line ``...``
stands for a stretch of output left out of the sample."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest

from cohort_reanalysis.presentation._cli import main

README = Path(__file__).resolve().parents[1] / "README.md"
ELISION = "..."


def test_readme_python_example_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks, "the README has no Python example"
    namespace: dict[str, object] = {}
    exec(compile(blocks[0], str(README), "exec"), namespace)  # our own README, not user data
    audit = namespace["audit"]
    assert sum(audit.counts.values()) == len(audit.results)  # type: ignore[attr-defined]


def _samples() -> list[tuple[str, list[str]]]:
    """Each ``$ cohort-reanalysis ...`` block of the README: its command and its lines."""
    blocks = re.findall(
        r"```\n(\$ cohort-reanalysis [^\n]*)\n(.*?)```", README.read_text("utf-8"), re.S
    )
    return [(command[2:], body.splitlines()) for command, body in blocks]


def _run(command: str) -> list[str]:
    args = shlex.split(command)
    assert args[0] == "cohort-reanalysis"
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = main(args[1:])
    assert status == 0, f"{command!r} exited with {status}"
    return out.getvalue().splitlines()


def _missing(sample: list[str], output: list[str]) -> str | None:
    """Where ``sample`` departs from ``output``: each stretch between ``...`` lines must be
    consecutive lines of the output, in order; without a leading (trailing) ``...`` the
    sample starts (ends) where the output does. None when it agrees."""
    stretches: list[list[str]] = [[]]
    for line in sample:
        if line == ELISION:
            stretches.append([])
        else:
            stretches[-1].append(line)
    at = 0
    for k, stretch in enumerate(stretches):
        if not stretch:
            continue
        first, last = k == 0, k == len(stretches) - 1
        starts = [at] if first else range(at, len(output) - len(stretch) + 1)
        found = next((i for i in starts if output[i : i + len(stretch)] == stretch), None)
        if found is None:
            return "\n".join(stretch)
        at = found + len(stretch)
        if last and at != len(output):
            return f"(the output goes on after)\n{stretch[-1]}"
    return None


SAMPLES = _samples()


def test_readme_has_a_sample_of_output() -> None:
    assert SAMPLES, "the README shows no '$ cohort-reanalysis ...' output"


@pytest.mark.parametrize(("command", "sample"), SAMPLES, ids=[c for c, _ in SAMPLES])
def test_readme_sample_output_is_verbatim(command: str, sample: list[str]) -> None:
    output = _run(command)
    assert any(line != ELISION for line in sample), "a sample of nothing"
    departure = _missing(sample, output)
    assert departure is None, (
        f"the README's output of {command!r} is not what it prints; these lines of the sample "
        f"are not in the real output:\n{departure}\n\nThe real output:\n" + "\n".join(output)
    )


def test_a_departing_sample_is_caught() -> None:
    output = ["a", "b", "c", "d"]
    assert _missing(["a", "b", "...", "d"], output) is None
    assert _missing(["...", "b", "c", "..."], output) is None
    assert _missing(["a", "c", "..."], output) == "a\nc"  # not consecutive
    assert _missing(["b", "..."], output) is not None  # the output starts with "a"
    assert _missing(["...", "c"], output) is not None  # and ends with "d"
    assert _missing(["...", "c", "...", "b", "..."], output) == "b"  # out of order
