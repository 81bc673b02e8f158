"""The JSON Schemas of the claims and metadata formats hold every bundled file and refuse a
mutated one; the parser agrees with the schema on those."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from claim_docs import DATASETS, REPO
from jsonschema import Draft202012Validator

from cohort_reanalysis.cohort import dataset_info
from cohort_reanalysis.verification.claims import ClaimsError, parse_claims

SCHEMAS = REPO / "docs" / "schemas"
CLAIMS = sorted(DATASETS.glob("*/claims.json"))
METADATA = sorted(DATASETS.glob("*/metadata.json"))


def _validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_there_are_bundled_files_to_validate() -> None:
    assert len(CLAIMS) >= 2 and len(METADATA) >= 2


@pytest.mark.parametrize("path", CLAIMS, ids=lambda p: p.parent.name)
def test_every_bundled_claims_file_meets_the_schema(path: Path) -> None:
    _validator("claims.schema.json").validate(_load(path))


@pytest.mark.parametrize("path", METADATA, ids=lambda p: p.parent.name)
def test_every_bundled_metadata_file_meets_the_schema(path: Path) -> None:
    _validator("metadata.schema.json").validate(_load(path))
    dataset_info(path.parent)  # and the reader takes it


FOLDERS = sorted(p for p in DATASETS.iterdir() if p.is_dir() and p.name[0] not in "._")


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_dataset_folder_has_metadata_and_claims_meeting_their_schemas(folder: Path) -> None:
    # A folder under datasets/ without a metadata.json would be skipped by the globs above.
    assert (folder / "metadata.json").is_file(), f"{folder.name}: no metadata.json"
    _validator("metadata.schema.json").validate(_load(folder / "metadata.json"))
    info = dataset_info(folder)
    assert info.claims_file is not None and info.claims_file.is_file()
    _validator("claims.schema.json").validate(_load(info.claims_file))


def test_one_schema_file_per_format() -> None:
    names = sorted(p.name for p in SCHEMAS.glob("*.schema.json"))
    assert names == [
        "analyze.schema.json",
        "claims.schema.json",
        "corpus.schema.json",
        "metadata.schema.json",
        "verify.schema.json",
    ]
    for name in names:
        assert _validator(name).schema["title"].startswith("cohort-reanalysis")


def _claims_v2_example() -> dict[str, Any]:
    return {
        "format": "cohort-reanalysis/claims@2",
        "dataset": "student1908",
        "claims": [
            {
                "id": "ci",
                "quote": "0.7 to 2.5",
                "location": "p. 20",
                "versions": ["journal"],
                "reported": "0.7 to 2.5",
                "comparator": "=",
                "unit": "hours",
                "source": "book",
                "quantity": {
                    "statistic": "ci",
                    "variable": "change",
                    "pair": {"before": "drug_1", "after": "drug_2"},
                    "method": {"confidence_level": 0.95},
                },
            },
            {
                "id": "diff",
                "quote": "Difference column",
                "location": "Table",
                "versions": ["journal"],
                "quantity": {
                    "statistic": "row_identity",
                    "column": "diff",
                    "equals": {"op": "difference", "of": ["drug_2", "drug_1"]},
                },
            },
            {"id": "bare", "quote": "no number", "location": "Text", "quantity": None},
        ],
    }


def test_a_claims_at_2_file_meets_the_schema_and_the_parser() -> None:
    doc = _claims_v2_example()
    _validator("claims.schema.json").validate(doc)
    parse_claims(doc)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["claims"][0].update(comparator="~"),
        lambda d: d["claims"][0]["quantity"].update(statistic="average"),
        lambda d: d["claims"][0]["quantity"]["method"].update(effect_size="cohen"),
        lambda d: d["claims"][0]["quantity"].update(colour="red"),
        lambda d: d["claims"][1].update(reported="1"),
        lambda d: d.update(format="cohort-reanalysis/claims@1"),
        lambda d: d["claims"][0]["quantity"]["pair"].pop("after"),
    ],
)
def test_a_mutated_claims_file_is_refused_by_schema_and_parser(mutate: Any) -> None:
    doc = copy.deepcopy(_claims_v2_example())
    mutate(doc)
    assert not _validator("claims.schema.json").is_valid(doc)
    with pytest.raises(ClaimsError):
        parse_claims(doc)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda m: m.update(colour="blue"),
        lambda m: m.update(format="cohort-reanalysis/dataset@2"),
        lambda m: m.update(sha256="abc"),
        lambda m: m["columns"][0].update(role="gender"),
        lambda m: m.update(sources=[{"id": "a", "citation": "c"}]),
    ],
)
def test_a_mutated_metadata_file_is_refused_by_schema_and_reader(
    mutate: Any, tmp_path: Path
) -> None:
    meta = _load(DATASETS / "matsuoka2025" / "metadata.json")
    mutate(meta)
    assert not _validator("metadata.schema.json").is_valid(meta)
    (tmp_path / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ValueError):
        dataset_info(tmp_path)
