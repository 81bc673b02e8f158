"""Which claims go with a cohort (issue 16, item 8: ``verify(load_dataset(FOLDER))`` finds the
folder's claims) and the sources check (item 6: a claim names its ``source`` when the
metadata lists several, reported with every other problem at once)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import cohort_reanalysis as cr
from cohort_reanalysis.cohort import Cohort, dataset_info
from cohort_reanalysis.verification._dataset_claims import claims_for, dataset_of
from cohort_reanalysis.verification.claims import ClaimsError

SOURCES = [
    {"id": "textbook", "citation": "A textbook (1908).", "doi": "10.1093/biomet/6.1.1"},
    {"id": "abstract", "citation": "An abstract (2020).", "url": "https://example.org/a"},
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of Student 1908 under another folder name, its claims in claims@2 naming no
    source and its metadata listing none (each test sets its own)."""
    target = tmp_path / "my_copy"
    shutil.copytree(dataset_info("student1908_sleep").folder, target)
    claims = json.loads((target / "claims.json").read_text(encoding="utf-8"))
    claims["format"] = "cohort-reanalysis/claims@2"
    for claim in claims["claims"]:
        claim.pop("source", None)
    _edit(target / "metadata.json", lambda doc: doc.pop("sources", None))
    (target / "claims.json").write_text(json.dumps(claims), encoding="utf-8")
    return target


def _edit(path: Path, change: Any) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")


def test_verify_finds_the_claims_of_a_folder_given_by_path(folder: Path) -> None:
    # The metadata's name is the bundled one; a renamed copy must still find its own file.
    _edit(folder / "metadata.json", lambda doc: doc.update(name="not_bundled_anywhere"))
    _edit(folder / "claims.json", lambda doc: doc["claims"].__setitem__(slice(1, None), []))
    audit = cr.verify(cr.load_dataset(folder))
    assert [r.id for r in audit.results] == ["n_patients"]
    assert audit.claims_file == str(folder / "claims.json")


def test_a_copy_named_like_a_bundled_dataset_uses_its_own_claims(folder: Path) -> None:
    _edit(folder / "claims.json", lambda doc: doc["claims"].__setitem__(slice(1, None), []))
    assert cr.load_dataset(folder).name == "student1908_sleep"
    audit = cr.verify(cr.load_dataset(folder))
    assert len(audit.results) == 1


def test_a_table_read_on_its_own_has_no_dataset(folder: Path) -> None:
    cohort = Cohort.read(
        folder / "patients.csv", columns={"before": "sleep_gain_1", "after": "sleep_gain_2"}
    )
    assert dataset_of(cohort) is None
    with pytest.raises(ValueError, match="pass claims="):
        claims_for(cohort, None)


def test_several_sources_and_a_claim_without_one_is_refused_with_other_problems(
    folder: Path,
) -> None:
    _edit(folder / "metadata.json", lambda doc: doc.update(sources=SOURCES))

    def claims(doc: dict[str, Any]) -> None:
        by_id = {claim["id"]: claim for claim in doc["claims"]}
        for claim in doc["claims"]:
            claim["source"] = "textbook"
        del by_id["n_patients"]["source"]  # names none of the two
        by_id["mean_1"]["source"] = "journal"  # names one the metadata does not list
        by_id["mean_2"]["quantity"]["variable"] = "no_such_column"

    _edit(folder / "claims.json", claims)
    with pytest.raises(ClaimsError) as caught:
        cr.verify(cr.load_dataset(folder))
    problems = caught.value.problems
    # In claim order; the unknown column breaks two rules (not a column, not numeric).
    assert [(p.claim_id, p.field) for p in problems][:3] == [
        ("n_patients", "source"),
        ("mean_1", "source"),
        ("mean_2", "quantity.variable"),
    ]
    assert {(p.claim_id, p.field) for p in problems[2:]} == {("mean_2", "quantity.variable")}
    assert "name one of abstract, textbook" in problems[0].rule
    assert problems[1].value == "journal"


def test_one_source_needs_no_naming_and_every_source_named_passes(folder: Path) -> None:
    _edit(folder / "metadata.json", lambda doc: doc.update(sources=SOURCES[:1]))
    cr.verify(cr.load_dataset(folder))  # one source: a claim may leave it out
    _edit(folder / "metadata.json", lambda doc: doc.update(sources=SOURCES))

    def name_all(doc: dict[str, Any]) -> None:
        for claim in doc["claims"]:
            claim["source"] = "abstract"

    _edit(folder / "claims.json", name_all)
    assert len(cr.verify(cr.load_dataset(folder)).results) > 0


def test_claims_from_elsewhere_answer_to_no_metadata_sources(folder: Path, tmp_path: Path) -> None:
    _edit(folder / "metadata.json", lambda doc: doc.update(sources=SOURCES))
    other = tmp_path / "other_claims.json"
    shutil.copy(folder / "claims.json", other)
    with pytest.raises(ClaimsError):
        cr.verify(cr.load_dataset(folder))
    assert len(cr.verify(cr.load_dataset(folder), other).results) > 0
