"""``cohort-reanalysis init TABLE [--out DIR]`` (issue 16, item 8): a dataset folder whose
roles and units are guessed and marked as guesses, that always loads and verifies, written
atomically, never over a folder that holds something."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from cohort_reanalysis.cohort import load_dataset
from cohort_reanalysis.presentation._cli import main

DOCS = Path(__file__).resolve().parents[2] / "docs"

SCHEMAS = {
    name: Draft202012Validator(
        json.loads((DOCS / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    )
    for name in ("metadata", "claims")
}
SLEEP = (
    "patient,sleep_gain_1,sleep_gain_2,difference_2_minus_1\n"
    "1,0.7,1.9,1.2\n2,-1.6,0.8,2.4\n3,-0.2,1.1,1.3\n4,-1.2,0.1,1.3\n5,-0.1,-0.1,0.0\n"
)
VISITS = (
    "patient,arm,age,sbp_0,sbp_6,sbp_12\n"
    "p1,A,60,140,135,130\np2,B,55,150,149,141\np3,A,70,160,,150\np4,B,49,145,140,139\n"
)
TABLES: dict[str, str] = {
    "sleep.csv": SLEEP,
    "visits.csv": VISITS,
    "tabbed.tsv": VISITS.replace(",", "\t"),
    "semicolons.csv": VISITS.replace(",", ";"),
    # No role in any name: the first two numeric columns are the pair.
    "anonymous.csv": "a,b,c\n1.5,2.5,x\n2.0,2.0,y\n3.5,1.0,z\n",
    # A column named like an id that repeats: the richer guess cannot load, the plain one can.
    "repeated_id.csv": "id,before,after\n1,5.0,4.0\n1,6.0,5.5\n2,7.0,6.0\n",
    # An age no one has: the guess "age" does not load, the plain guess does, and says why.
    "impossible_age.csv": "age,before,after\n500,5.0,4.0\n40,6.0,5.5\n",
    # One numeric column: no pair, a measurement.
    "one_measure.csv": "name,weight_kg\nann,70\nbob,82\n",
}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def _write(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text(TABLES[name], encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(TABLES))
def test_init_then_verify_succeeds(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = _write(tmp_path, name)
    out = tmp_path / "folder"
    code, stdout, err = run(["init", str(table), "--out", str(out)], capsys)
    assert code == 0, err
    assert stdout == ""
    assert sorted(p.name for p in out.iterdir()) == sorted(["claims.json", "metadata.json", name])
    assert (out / name).read_bytes() == table.read_bytes()
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    notes = meta["provenance"]["notes"]
    assert "guess" in notes[0]
    for note in notes[1:]:
        assert note in err  # what the metadata says was guessed, stderr said too
    assert all("guessed" in c["label"] for c in meta["columns"])
    if name == "impossible_age.csv":
        assert "the first guess did not load" in err and "'age'" in err
        assert _roles(out) == {"before": "before", "after": "after"}
    claims = json.loads((out / "claims.json").read_text(encoding="utf-8"))
    assert claims["claims"] == [] and claims["dataset"] == meta["name"]
    for doc, schema in ((meta, "metadata"), (claims, "claims")):  # the documented formats
        SCHEMAS[schema].validate(doc)
    code, stdout, err = run(["verify", str(out), "--format", "json"], capsys)
    assert code == 0, err
    assert json.loads(stdout)["n_rows"] == len(TABLES[name].splitlines()) - 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging left


def _roles(folder: Path) -> dict[str, str]:
    meta: dict[str, Any] = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    return {c["role"]: c["name"] for c in meta["columns"] if c["role"] != "covariate"}


def test_several_candidate_pairs_take_the_first_by_column_order_and_say_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = _write(tmp_path, "visits.csv")
    code, _, err = run(["init", str(table), "--out", str(tmp_path / "v")], capsys)
    assert code == 0
    roles = _roles(tmp_path / "v")
    assert roles == {"id": "patient", "group": "arm", "age": "age", "before": "sbp_0",
                     "after": "sbp_6"}  # fmt: skip
    assert "several columns could be the before/after pair" in err
    assert "took the first by column order" in err
    cohort = load_dataset(tmp_path / "v")
    assert [e.row for e in cohort.pair().excluded] == [3]


def test_anonymous_columns_are_paired_by_column_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = _write(tmp_path, "anonymous.csv")
    assert run(["init", str(table), "--out", str(tmp_path / "a")], capsys)[0] == 0
    assert _roles(tmp_path / "a") == {"before": "a", "after": "b"}


def test_the_default_folder_is_the_tables_name_in_the_current_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    table = _write(tmp_path, "sleep.csv")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert run(["init", str(table)], capsys)[0] == 0
    assert (work / "sleep" / "metadata.json").is_file()


def test_an_existing_folder_is_refused_unless_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = _write(tmp_path, "sleep.csv")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(["init", str(table), "--out", str(empty)], capsys)[0] == 0
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("mine", encoding="utf-8")
    code, _, err = run(["init", str(table), "--out", str(full)], capsys)
    assert code == 2
    assert "not an empty folder" in err and str(full) in err
    assert [p.name for p in full.iterdir()] == ["keep.txt"]
    code, _, err = run(["init", str(table), "--out", str(empty)], capsys)  # now full
    assert code == 2


def test_a_table_that_cannot_be_a_cohort_leaves_nothing_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "words.csv"
    table.write_text("name,colour\nann,red\nbob,blue\n", encoding="utf-8")
    code, _, err = run(["init", str(table), "--out", str(tmp_path / "w")], capsys)
    assert code == 2
    assert err.startswith("cohort-reanalysis: error: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["words.csv"]


def test_init_of_excel_and_parquet_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("openpyxl")
    pytest.importorskip("pyarrow")
    frame = pd.DataFrame(
        {"id": ["a", "b", "c"], "w_before": [80.0, 90, 70], "w_after": [78, 85, 71.5]}
    )
    frame.to_excel(tmp_path / "t.xlsx", index=False)
    frame.to_parquet(tmp_path / "t.parquet", index=False)
    for name in ("t.xlsx", "t.parquet"):
        out = tmp_path / name.replace(".", "_")
        assert run(["init", str(tmp_path / name), "--out", str(out)], capsys)[0] == 0
        assert _roles(out) == {"id": "id", "before": "w_before", "after": "w_after"}
        assert run(["verify", str(out)], capsys)[0] == 0
