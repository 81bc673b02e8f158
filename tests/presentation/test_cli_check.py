"""The check command: a table in, a table (or JSON) out; one line per problem, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cohort_reanalysis.presentation._cli import main


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "t.csv"
    path.write_text("study,mean,sd,n\nA,5.19,1.00,28\nB,5.23,2.55,31\nC,5.23,2.55,35\n")
    return path


def test_check_prints_a_table_and_the_audit(
    table: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "grimmer", str(table)]) == 0
    out = capsys.readouterr().out
    assert "inconsistent" in out and "grimmer: 2 inconsistent of 3 cases" in out


def test_check_json(table: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["check", "grim", str(table), "--mean", "mean", "--n", "n", "--format", "json"]) == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"]["inconsistent"] == 1 and doc["summary"]["cases"] == 3
    assert [r["consistency"] for r in doc["rows"]] == [False, True, True]
    assert doc["rows"][0]["possible_means"] == "5.1786, 5.2143"


def test_check_problems_one_line_each(table: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "grim", str(table), "--mean", "avg", "--sd", "sd"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("cohort-reanalysis: error:") for line in err)
    assert main(["check", "grim", str(table.parent / "missing.csv")]) == 2
    assert main(["check", "grim", str(table), "--rounding", "half_up", "--threshold", "3"]) == 2


def test_the_command_offers_every_check() -> None:
    from cohort_reanalysis.presentation._cli_check import _CHECKS
    from cohort_reanalysis.verification.checks._table import CHECKS

    assert _CHECKS == tuple(CHECKS)
