"""``verify TABLE --claims CLAIMS.json [--before COL ...]`` and ``verify FOLDER --claims
OTHER.json`` (issue 16, item 8): a reviewer's own table and claims, without a metadata file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cohort_reanalysis.cohort import dataset_info
from cohort_reanalysis.presentation._cli import main

PREFIX = "cohort-reanalysis: error: "
SLEEP = dataset_info("student1908_sleep")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.fixture
def table(tmp_path: Path) -> Path:
    """Student's table under a name of the reviewer's, beside nothing else."""
    path = tmp_path / "my_table.csv"
    assert SLEEP.data_file is not None
    shutil.copy(SLEEP.data_file, path)
    return path


@pytest.fixture
def claims(tmp_path: Path) -> Path:
    """Student's claims, with a `dataset` that names no table."""
    assert SLEEP.claims_file is not None
    doc = json.loads(SLEEP.claims_file.read_text(encoding="utf-8"))
    doc["dataset"] = "whatever_the_reviewer_wrote"
    path = tmp_path / "my_claims.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _flags() -> list[str]:
    return ["--before", "sleep_gain_1", "--after", "sleep_gain_2", "--id", "patient"]


def test_a_table_and_claims_verify_without_metadata(
    table: Path, claims: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["verify", str(table), "--claims", str(claims), *_flags()], capsys)
    assert code == 0, err
    assert out.startswith("Verification of my_table.csv: ")  # the report names the table
    code, out, _ = run(
        ["verify", str(table), "--claims", str(claims), *_flags(), "--format", "json"], capsys
    )
    doc = json.loads(out)
    assert doc["dataset"] == "my_table.csv"
    # The same verdicts as the bundled folder gives for the same table and claims.
    code, bundled, _ = run(["verify", "student1908_sleep", "--format", "json"], capsys)
    expected = {c["id"]: c["verdict"] for c in json.loads(bundled)["claims"]}
    assert {c["id"]: c["verdict"] for c in doc["claims"]} == expected


def test_roles_not_given_are_guessed_and_said(
    table: Path, claims: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["verify", str(table), "--claims", str(claims)], capsys)
    assert code == 0, err
    assert "guessed: before = 'sleep_gain_1', after = 'sleep_gain_2'" in err
    assert "several columns could be the before/after pair" in err


def test_unknown_columns_name_the_flag_and_the_column_each_on_a_line(
    table: Path, claims: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["verify", str(table), "--claims", str(claims), "--before", "nope"]
    code, out, err = run([*argv, "--after", "sleep_gain_2", "--dose", "mg"], capsys)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 2, err
    assert all(line.startswith(f"{PREFIX}{table}: ") for line in lines)
    assert "'nope'" in lines[0] and "--before" in lines[0]
    assert "'mg'" in lines[1] and "--dose" in lines[1]
    assert "sleep_gain_1" in lines[0]  # the columns it does have


def test_one_column_for_two_flags_is_refused(
    table: Path, claims: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["verify", str(table), "--claims", str(claims)]
    code, _, err = run([*argv, "--before", "sleep_gain_1", "--after", "sleep_gain_1"], capsys)
    assert code == 2
    assert "--before" in err and "--after" in err


def test_a_table_without_claims_is_refused(table: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["verify", str(table)], capsys)
    assert code == 2
    assert "--claims" in err


def test_other_claims_replace_a_folders_own(
    tmp_path: Path, claims: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "folder"
    shutil.copytree(SLEEP.folder, folder)
    doc = json.loads(claims.read_text(encoding="utf-8"))
    doc["claims"] = [c for c in doc["claims"] if c["id"] in ("n_patients", "mean_1")]
    claims.write_text(json.dumps(doc), encoding="utf-8")
    code, out, err = run(
        ["verify", str(folder), "--claims", str(claims), "--format", "json"], capsys
    )
    assert code == 0, err
    assert [c["id"] for c in json.loads(out)["claims"]] == ["n_patients", "mean_1"]


def test_role_flags_are_for_a_table_not_a_folder(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["verify", "student1908_sleep", "--before", "x"], capsys)
    assert code == 2
    assert "--before" in err


def test_a_folder_still_keeps_its_files_inside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "folder"
    shutil.copytree(SLEEP.folder, folder)
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    meta["data_file"] = "../outside.csv"
    (folder / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    code, _, err = run(["verify", str(folder)], capsys)
    assert code == 2
    assert "inside the dataset folder" in err


def test_an_excel_table_verifies_through_the_same_reading_path(
    table: Path, claims: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("openpyxl")
    xlsx = table.with_suffix(".xlsx")
    pd.read_csv(table, dtype=str).to_excel(xlsx, index=False)
    code, out, err = run(
        ["verify", str(xlsx), "--claims", str(claims), *_flags(), "--format", "json"], capsys
    )
    assert code == 0, err
    assert json.loads(out)["dataset"] == "my_table.xlsx"
