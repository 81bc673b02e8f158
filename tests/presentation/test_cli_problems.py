"""Every mistake at once, through the command line (issue 16, item 7): a claims file, a
metadata file or a table with several problems gives one line on stderr per problem, each
naming the file and where (claim and field, or row and column), the value and the rule;
exit status 2, no traceback, nothing on stdout."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from cohort_reanalysis.cohort import dataset_info
from cohort_reanalysis.presentation._cli import main

PREFIX = "cohort-reanalysis: error: "


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, list[str]]:
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, [line for line in err.splitlines() if line.strip()]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the bundled Student 1908 dataset, to break."""
    target = tmp_path / "sleep"
    shutil.copytree(dataset_info("student1908_sleep").folder, target)
    return target


def _edit(path: Path, change: Any) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")


def test_a_claims_file_with_three_mistakes_gives_three_lines(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claims = folder / "claims.json"

    def break_three(doc: dict[str, Any]) -> None:
        by_id = {claim["id"]: claim for claim in doc["claims"]}
        by_id["n_patients"]["comparator"] = "~"
        by_id["mean_1"]["quantity"]["statistic"] = "average"
        by_id["mean_2"]["colour"] = "red"

    _edit(claims, break_three)
    code, out, lines = run(["verify", str(folder)], capsys)
    assert code == 2
    assert out == ""
    assert len(lines) == 3, lines
    assert all(line.startswith(f"{PREFIX}{claims}: ") for line in lines)
    first, second, third = lines
    assert "claim 'n_patients'" in first and "'comparator'" in first and "'~'" in first
    assert "claim 'mean_1'" in second and "quantity.statistic" in second
    assert "'average'" in second
    assert "claim 'mean_2'" in third and "'colour'" in third


def test_a_metadata_file_with_two_mistakes_gives_two_lines(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meta = folder / "metadata.json"

    def break_two(doc: dict[str, Any]) -> None:
        doc["sha256"] = "not-a-digest"
        doc["flavour"] = "vanilla"

    _edit(meta, break_two)
    for command in ("verify", "describe"):
        code, out, lines = run([command, str(folder)], capsys)
        assert code == 2
        assert out == ""
        assert len(lines) == 2, lines
        assert all(line.startswith(f"{PREFIX}{meta}: bad metadata: field ") for line in lines)
        text = "\n".join(lines)
        assert "'flavour': unknown field" in text
        assert "'sha256': 64 lowercase hex digits ('not-a-digest')" in text


def test_a_table_with_two_kinds_of_mistake_gives_two_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "t.csv"
    table.write_text("b,a\n7.5,x\n8.1,6.2\ninf,6.0\n", encoding="utf-8")
    code, out, lines = run(["analyze", str(table), "--before", "b", "--after", "a"], capsys)
    assert code == 2 and out == ""
    assert len(lines) == 2, lines
    assert all(line.startswith(f"{PREFIX}{table}: column ") for line in lines)
    assert any("'a'" in line and "row 1" in line for line in lines)
    assert any("'b'" in line and "row 3" in line for line in lines)


def test_one_problem_is_still_one_line(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(folder / "claims.json", lambda doc: doc["claims"][0].update(comparator="~"))
    code, _, lines = run(["verify", str(folder)], capsys)
    assert code == 2
    assert len(lines) == 1
