"""Bundled datasets: listing, loading with provenance, checksum, folders, unknown names.

Expected provenance is read off the preprint (doi:10.20944/preprints202503.1601.v1: Table 1,
CC BY 4.0, "A total of 61 patients", 58 printed rows) and its journal abstract
(doi:10.37871/jbres2087).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cohort_reanalysis.cohort import (
    Cohort,
    CohortValidationError,
    DatasetInfo,
    Role,
    dataset_info,
    list_datasets,
    load_dataset,
)
from cohort_reanalysis.cohort._datasets import _bundled_root

PREPRINT_DOI = "10.20944/preprints202503.1601.v1"
JOURNAL_DOI = "10.37871/jbres2087"


@pytest.fixture
def dataset_copy(tmp_path: Path) -> Path:
    """A private copy of the matsuoka2025 folder, safe to alter."""
    folder = tmp_path / "matsuoka_copy"
    shutil.copytree(_bundled_root() / "matsuoka2025", folder)
    return folder


def test_list_datasets() -> None:
    names = list_datasets()
    assert "matsuoka2025" in names
    assert names == sorted(names)
    assert all(isinstance(n, str) for n in names)


def test_meta_analysis_dataset_is_listed() -> None:
    assert "meta_t1dm_2025" in list_datasets()


def test_load_matsuoka2025() -> None:
    cohort = load_dataset("matsuoka2025")
    assert isinstance(cohort, Cohort)
    assert len(cohort) == 58
    assert cohort.rows.tolist() == list(range(1, 59))
    assert cohort.name == "matsuoka2025"
    assert cohort.measure == "HbA1c"
    assert cohort.unit == "%"
    roles = {c.name: c.role for c in cohort.columns}
    assert roles == {
        "sex": Role.SEX,
        "age": Role.AGE,
        "dose_million": Role.DOSE,
        "hba1c_before": Role.BEFORE,
        "hba1c_after": Role.AFTER,
        "months": Role.FOLLOWUP,
    }
    assert cohort.column("dose").unit == "million cells"  # type: ignore[union-attr]
    pairs = cohort.pair(require=("dose",))
    assert pairs.n == 58 and pairs.n_excluded == 0
    # The text: "42 male and 16 female patients".
    sexes = cohort.values("sex").tolist()
    assert sexes.count("M") == 42 and sexes.count("F") == 16
    # The text's doses: 100 to 2000 million cells.
    assert set(np.unique(cohort.values("dose"))) <= {100.0, 400.0, 500.0, 700.0, 1000.0, 2000.0}
    assert cohort.missing() == {c.name: 0 for c in cohort.columns}


def test_matsuoka2025_provenance() -> None:
    prov = load_dataset("matsuoka2025").provenance
    assert prov.doi == PREPRINT_DOI
    assert JOURNAL_DOI in prov.related_dois.values()
    assert prov.table == "Table 1"
    assert prov.licence == "CC BY 4.0"
    assert prov.reported_n == 61
    assert prov.printed_rows == 58
    assert prov.year == 2025
    assert len(prov.transcription_notes) >= 1
    assert any("61" in note and "58" in note for note in prov.transcription_notes)
    assert PREPRINT_DOI in prov.short and "Table 1" in prov.short


def test_dataset_info() -> None:
    info = dataset_info("matsuoka2025")
    assert isinstance(info, DatasetInfo)
    assert info.name == "matsuoka2025"
    assert info.has_table
    assert info.data_file is not None and info.data_file.is_file()
    assert info.sha256 == hashlib.sha256(info.data_file.read_bytes()).hexdigest()
    assert info.provenance.doi == PREPRINT_DOI
    assert [c.name for c in info.columns][:2] == ["sex", "age"]


def test_load_by_folder_path(dataset_copy: Path) -> None:
    from_path = load_dataset(dataset_copy)
    assert from_path == load_dataset("matsuoka2025")
    assert load_dataset(str(dataset_copy)) == from_path
    assert load_dataset(dataset_copy / "metadata.json") == from_path
    assert from_path.source == str(dataset_copy / "patients.csv")


def test_checksum_is_verified(dataset_copy: Path) -> None:
    data = dataset_copy / "patients.csv"
    content = bytearray(data.read_bytes())
    # Change one digit of the last row: still a valid table, but not the transcribed one.
    position = content.rindex(b"5")
    content[position] = ord("6")
    data.write_bytes(bytes(content))
    with pytest.raises(CohortValidationError) as info:
        load_dataset(dataset_copy)
    err = info.value
    assert "checksum" in err.rule and "checksum" in str(err)
    assert err.file == str(data)
    assert hashlib.sha256(bytes(content)).hexdigest() == err.value


def test_no_checksum_in_metadata_skips_the_check(dataset_copy: Path) -> None:
    meta_path = dataset_copy / "metadata.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["sha256"] = None
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    assert len(load_dataset(dataset_copy)) == 58


def test_unknown_name_lists_the_bundled_datasets() -> None:
    with pytest.raises(CohortValidationError) as info:
        load_dataset("matsuoka2024")
    message = str(info.value)
    assert "matsuoka2024" in message
    for name in list_datasets():
        assert name in message


def test_unknown_folder(tmp_path: Path) -> None:
    with pytest.raises(CohortValidationError, match="no dataset"):
        load_dataset(tmp_path / "nothing_here")


def write_summary_only(folder: Path) -> Path:
    folder.mkdir()
    meta: dict[str, Any] = {
        "format": "cohort-reanalysis/dataset@1",
        "name": "summary_only",
        "title": "A meta-analysis with no patient table",
        "data_file": None,
        "sha256": None,
        "claims_file": None,
        "measure": "HbA1c",
        "unit": "%",
        "provenance": {"citation": "Doe 2025", "reported_n": 169, "printed_rows": 0},
        "columns": [],
    }
    (folder / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def test_summary_only_dataset_gives_a_clear_error(tmp_path: Path) -> None:
    folder = write_summary_only(tmp_path / "summary_only")
    info = dataset_info(folder)
    assert not info.has_table
    assert info.provenance.reported_n == 169
    with pytest.raises(CohortValidationError) as err:
        load_dataset(folder)
    assert "no patient table" in str(err.value)
    assert err.value.file == str(folder / "metadata.json")


def test_bundled_summary_only_dataset_gives_a_clear_error() -> None:
    info = dataset_info("meta_t1dm_2025")
    assert not info.has_table
    with pytest.raises(CohortValidationError, match="no patient table"):
        load_dataset("meta_t1dm_2025")


@pytest.mark.parametrize(
    ("content", "message"),
    [("{bad json", "not valid JSON"), ('{"format": "other@1"}', "metadata format")],
)
def test_bad_metadata(tmp_path: Path, content: str, message: str) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "metadata.json").write_text(content, encoding="utf-8")
    with pytest.raises(CohortValidationError, match=message) as err:
        load_dataset(folder)
    assert err.value.file == str(folder / "metadata.json")


def test_metadata_with_a_bad_column_spec(dataset_copy: Path) -> None:
    meta_path = dataset_copy / "metadata.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["columns"][0]["role"] = "gender"
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(CohortValidationError, match="bad metadata"):
        load_dataset(dataset_copy)


def test_metadata_pointing_to_a_missing_data_file(dataset_copy: Path) -> None:
    (dataset_copy / "patients.csv").unlink()
    with pytest.raises(CohortValidationError, match=r"does not exist|no such file") as err:
        load_dataset(dataset_copy)
    assert err.value.file == str(dataset_copy / "patients.csv")


def test_metadata_that_is_not_an_object(tmp_path: Path) -> None:
    folder = tmp_path / "listy"
    folder.mkdir()
    (folder / "metadata.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(CohortValidationError):
        load_dataset(folder)


def test_a_dataset_folder_whose_table_is_bad_names_the_table(dataset_copy: Path) -> None:
    data = dataset_copy / "patients.csv"
    lines = data.read_text(encoding="utf-8").splitlines()
    cells = lines[3].split(",")
    cells[3] = "74"  # row 3: HbA1c before as mmol/mol
    lines[3] = ",".join(cells)
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    meta_path = dataset_copy / "metadata.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["sha256"] = hashlib.sha256(data.read_bytes()).hexdigest()
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(CohortValidationError) as err:
        load_dataset(dataset_copy)
    assert err.value.file == str(data)
    assert err.value.rows == (3,)
    assert err.value.column == "hba1c_before"
    assert "mmol/mol" in str(err.value)


def test_metadata_with_several_mistakes_lists_every_one(dataset_copy: Path) -> None:
    meta_path = dataset_copy / "metadata.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["colour"] = "blue"  # 1: unknown key
    meta["title"] = 7  # 2
    meta["sha256"] = "abc"  # 3
    meta["columns"][0]["role"] = "gender"  # 4
    meta["provenance"]["journal"] = "x"  # 5
    meta["sources"] = [{"id": "Book", "citation": "Student 1908"}]  # 6 and 7
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(CohortValidationError) as info:
        dataset_info(dataset_copy)
    rules = [p.rule for p in info.value.problems]
    for field in ("colour", "title", "sha256", "columns[0]", "provenance.journal"):
        assert any(f"field {field!r}" in r for r in rules), (field, rules)
    assert any("'sources[0].id'" in r for r in rules)
    assert any("'sources[0]': a source gives a doi or a url" in r for r in rules)
    assert len(rules) == 7


def test_metadata_sources_are_read(dataset_copy: Path) -> None:
    meta_path = dataset_copy / "metadata.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["sources"] = [
        {"id": "preprint", "citation": "Matsuoka et al. 2025", "doi": "10.20944/x"},
        {"id": "journal", "citation": "Matsuoka et al. 2025", "url": "https://example.org"},
    ]
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    info = dataset_info(dataset_copy)
    assert [s.id for s in info.sources] == ["preprint", "journal"]
    assert info.sources[1].url == "https://example.org" and info.sources[1].doi is None


# ---------------------------------------------------------------- containment (issue 18)
def _point(folder: Path, key: str, value: Any) -> None:
    meta_path = folder / "metadata.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta[key] = value
    meta["sha256"] = None
    meta_path.write_text(json.dumps(meta), encoding="utf-8")


SECRET = "root:$6$secret-hash:19000:0:99999:7:::\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside the dataset folder, whose content no error may quote."""
    path = tmp_path / "shadow"
    path.write_text(SECRET, encoding="utf-8")
    return path


@pytest.mark.parametrize("key", ["data_file", "claims_file"])
@pytest.mark.parametrize("how", ["absolute", "dotdot", "symlink"])
def test_metadata_cannot_name_a_file_outside_its_folder(
    dataset_copy: Path, outside: Path, key: str, how: str
) -> None:
    if how == "absolute":
        value = str(outside)
    elif how == "dotdot":
        value = "../shadow"
    else:
        (dataset_copy / "link.csv").symlink_to(outside)
        value = "link.csv"
    _point(dataset_copy, key, value)
    for call in (dataset_info, load_dataset):
        with pytest.raises(CohortValidationError) as info:
            call(dataset_copy)
        err = info.value
        assert err.file == str(dataset_copy / "metadata.json")
        assert key in err.rule and "allow_outside=True" in str(err)
        assert "secret" not in str(err)


def test_a_file_outside_is_read_when_allowed(dataset_copy: Path, tmp_path: Path) -> None:
    table = tmp_path / "elsewhere.csv"
    shutil.copy(dataset_copy / "patients.csv", table)
    _point(dataset_copy, "data_file", str(table))
    assert len(load_dataset(dataset_copy, allow_outside=True)) == 58
    _point(dataset_copy, "data_file", "../elsewhere.csv")
    assert len(load_dataset(dataset_copy, allow_outside=True)) == 58


def test_a_subfolder_inside_the_dataset_is_fine(dataset_copy: Path) -> None:
    (dataset_copy / "data").mkdir()
    shutil.move(dataset_copy / "patients.csv", dataset_copy / "data" / "patients.csv")
    _point(dataset_copy, "data_file", "data/patients.csv")
    assert len(load_dataset(dataset_copy)) == 58


@pytest.mark.parametrize("value", [7, ["patients.csv"], ""])
def test_a_file_name_that_is_not_text(dataset_copy: Path, value: Any) -> None:
    _point(dataset_copy, "data_file", value)
    with pytest.raises(
        CohortValidationError, match="field 'data_file': expected a non-empty string"
    ):
        dataset_info(dataset_copy)


def test_non_utf8_metadata_names_the_file(dataset_copy: Path) -> None:
    meta_path = dataset_copy / "metadata.json"
    meta_path.write_bytes(meta_path.read_bytes().replace(b"Matsuoka", "Matsüoka".encode("latin-1")))
    with pytest.raises(CohortValidationError, match="not UTF-8") as info:
        dataset_info(dataset_copy)
    assert info.value.file == str(meta_path)


@pytest.mark.parametrize("name", [None, 3, b"matsuoka2025"])
def test_a_dataset_named_by_something_else(name: Any) -> None:
    with pytest.raises(CohortValidationError, match="named by its name or its folder"):
        load_dataset(name)
