"""The JSON contract (docs/json-contract.md): real ``verify`` and ``analyze`` output validates
against docs/schemas/*.schema.json, and documents that break the contract do not."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema  # the test extra's; a missing validator fails, it does not skip
import pytest

from cohort_reanalysis.cohort import dataset_info
from cohort_reanalysis.presentation._cli import main

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "docs" / "schemas"
CONTRACT = ROOT / "docs" / "json-contract.md"


def _validator(name: str) -> Any:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture(scope="module")
def verify_schema() -> Any:
    return _validator("verify")


@pytest.fixture(scope="module")
def analyze_schema() -> Any:
    return _validator("analyze")


@pytest.fixture(scope="module")
def corpus_schema() -> Any:
    """The corpus schema, resolving its references to the verify schema by its ``$id``."""
    from referencing import Registry, Resource

    verify = json.loads((SCHEMAS / "verify.schema.json").read_text(encoding="utf-8"))
    registry: Any = Registry().with_resource(verify["$id"], Resource.from_contents(verify))
    schema = json.loads((SCHEMAS / "corpus.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, registry=registry)


def _json_of(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main([*argv, "--format", "json"]) == 0
    out: dict[str, Any] = json.loads(capsys.readouterr().out)
    return out


def _errors(validator: Any, document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]


@pytest.fixture(scope="module")
def matsuoka_verify() -> dict[str, Any]:
    from cohort_reanalysis.cohort import load_dataset
    from cohort_reanalysis.presentation._json import render_json
    from cohort_reanalysis.verification._audit import verify

    out: dict[str, Any] = json.loads(render_json(verify(load_dataset("matsuoka2025"))))
    return out


# ----------------------------------------------------------------------------- real output


def test_verify_json_of_the_bundled_table_validates(
    verify_schema: Any, capsys: pytest.CaptureFixture[str], matsuoka_verify: dict[str, Any]
) -> None:
    document = _json_of(capsys, "verify", "matsuoka2025")
    assert document == matsuoka_verify  # the command line prints what the API gives
    assert _errors(verify_schema, document) == []
    # Every verdict and both kinds of joint result occur, so each branch of the schema is used.
    assert all(document["counts"].values())
    joints = {c["joint"]["satisfied"] for c in document["claims"] if c["joint"] is not None}
    assert True in joints
    assert any(c["recomputed_values"] is not None for c in document["claims"])


def test_verify_json_of_a_summary_dataset_validates(
    verify_schema: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    document = _json_of(capsys, "verify", "meta_t1dm_2025")
    assert "summary_claims" in document and "claims" not in document
    assert _errors(verify_schema, document) == []
    statuses = {c["status"] for c in document["summary_claims"]}
    assert statuses == {"consistent", "inconsistent", "not applicable"}


def test_verify_json_of_a_corpus_validates(
    corpus_schema: Any, capsys: pytest.CaptureFixture[str], matsuoka_verify: dict[str, Any]
) -> None:
    bundled = dataset_info("matsuoka2025").folder.parent  # a folder of dataset folders
    assert main(["verify", str(bundled), "no_such_dataset", "--format", "json"]) == 2
    document = json.loads(capsys.readouterr().out)
    assert _errors(corpus_schema, document) == []
    items = document["datasets"]
    assert items[0] == matsuoka_verify  # each item is the single-dataset object
    assert {"claims", "summary_claims"} <= {k for item in items for k in item}
    assert items[-1]["dataset"] == "no_such_dataset" and set(items[-1]) == {"dataset", "error"}
    assert document["counts"]["failed"] == 1


@pytest.mark.parametrize(
    "change",
    [
        "failed entry with an extra key",
        "failed entry without its error",
        "counts without failed",
        "a verdict missing from the claims counts",
        "a dataset that breaks the verify contract",
    ],
)
def test_corpus_documents_that_break_the_contract_fail(corpus_schema: Any, change: str) -> None:
    from cohort_reanalysis.verification._corpus import verify_corpus

    document = verify_corpus(["student1908_sleep", "no_such_dataset"]).to_dict()
    assert _errors(corpus_schema, document) == []
    if change == "failed entry with an extra key":
        document["datasets"][1]["reason"] = "x"
    elif change == "failed entry without its error":
        del document["datasets"][1]["error"]
    elif change == "counts without failed":
        del document["counts"]["failed"]
    elif change == "a verdict missing from the claims counts":
        del document["counts"]["claims"]["not_checkable"]
    else:
        document["datasets"][0]["claims"][0]["verdict"] = "plausible"
    assert _errors(corpus_schema, document), change


@pytest.mark.parametrize(
    "extra",
    [
        (),
        ("--group", "sex"),
        ("--group", "sex", "--dose", "dose_million", "--followup", "months"),
    ],
    ids=["overall", "group", "group-dose-followup"],
)
def test_analyze_json_of_the_bundled_table_validates(
    analyze_schema: Any, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...]
) -> None:
    csv = dataset_info("matsuoka2025").data_file
    assert csv is not None
    argv = ("analyze", str(csv), "--before", "hba1c_before", "--after", "hba1c_after", *extra)
    document = _json_of(capsys, *argv, "--measure", "HbA1c", "--unit", "%")
    assert _errors(analyze_schema, document) == []
    assert set(document["groups"]) == ({"all", "F", "M"} if extra else {"all"})
    assert ("followup" in document) == ("--followup" in extra)


def test_analyze_json_with_gaps_and_a_one_pair_group_validates(
    analyze_schema: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Missing values, a group of one pair (nulls with reasons), a row with no group."""
    path = tmp_path / "t.csv"
    path.write_text(
        "b,a,g,d\n7.0,6.5,x,100\n8.0,7.1,x,200\n9.0,8.2,y,300\n,7.0,x,400\n8.5,8.0,,500\n",
        encoding="utf-8",
    )
    document = _json_of(
        capsys, "analyze", str(path), "--before", "b", "--after", "a", "--group", "g", "--dose", "d"
    )
    assert _errors(analyze_schema, document) == []
    y = document["groups"]["y"]
    assert y["n"] == 1 and y["pvalue"] is None and y["reasons"]
    assert document["group"]["missing"] == [5]


# ----------------------------------------------------------------------------- broken documents


def _set(path: str, value: Any) -> Callable[[Any], None]:
    *parents, last = [int(p) if p.isdigit() else p for p in path.split("/")]

    def change(document: Any) -> None:
        for p in parents:
            document = document[p]
        document[last] = value

    return change


def _delete(path: str) -> Callable[[Any], None]:
    *parents, last = [int(p) if p.isdigit() else p for p in path.split("/")]

    def change(document: Any) -> None:
        for p in parents:
            document = document[p]
        del document[last]

    return change


def _first(document: dict[str, Any], verdict: str) -> int:
    return next(i for i, c in enumerate(document["claims"]) if c["verdict"] == verdict)


VERIFY_BREAKS: dict[str, Callable[[dict[str, Any]], Callable[[Any], None]]] = {
    "unknown verdict": lambda d: _set("claims/0/verdict", "reproduced_roughly"),
    "extra key in a claim": lambda d: _set("claims/0/confidence", 0.9),
    "extra top-level key": lambda d: _set("format", "verify@2"),
    "no counts": lambda d: _delete("counts"),
    "a claim without its explanation": lambda d: _delete("claims/0/explanation"),
    "counts without a verdict": lambda d: _delete("counts/not_checkable"),
    "recomputed as a list": lambda d: _set("claims/0/recomputed", [1.0, 2.0]),
    "an unknown analytic choice": lambda d: _set(
        f"claims/{_first(d, 'reproduced')}/specification/rounding_mode", "x"
    ),
    "a quantile type of 10": lambda d: _set(
        f"claims/{_first(d, 'reproduced')}/specification/quantile_type", 10
    ),
    "a boundary that is not an inequality": lambda d: _set(
        f"claims/{_first(d, 'reproduced')}/specification/boundary: before <= 8", "=="
    ),
    "row 0": lambda d: _set("row_sets/1/excluded/0", 0),
    "an alternative without departures": lambda d: _set(
        f"claims/{_first(d, 'reproduced_under_alternative')}/departures", []
    ),
    "not checkable with a value": lambda d: _set(
        f"claims/{_first(d, 'not_checkable')}/recomputed", 1.0
    ),
    "not reproduced with a reproducing specification": lambda d: _set(
        f"claims/{_first(d, 'not_reproduced')}/specification", {"rows": "all rows"}
    ),
}


@pytest.mark.parametrize("name", sorted(VERIFY_BREAKS))
def test_a_broken_verify_document_fails(
    verify_schema: Any, matsuoka_verify: dict[str, Any], name: str
) -> None:
    document = copy.deepcopy(matsuoka_verify)
    VERIFY_BREAKS[name](document)(document)
    assert document != matsuoka_verify
    assert _errors(verify_schema, document), name


def test_a_broken_summary_document_fails(
    verify_schema: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _json_of(capsys, "verify", "meta_t1dm_2025")
    for change in (
        _set("summary_claims/0/status", "fine"),
        _set("summary_claims/0/checks/0/values/p", "0.04"),
        _delete("summary_claims/0/checks/0/detail"),
        _set("counts/unknown", 0),
    ):
        document = copy.deepcopy(good)
        change(document)
        assert _errors(verify_schema, document)


def test_a_broken_analyze_document_fails(
    analyze_schema: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = dataset_info("matsuoka2025").data_file
    assert csv is not None
    good = _json_of(
        capsys,
        *("analyze", str(csv), "--before", "hba1c_before", "--after", "hba1c_after"),
        *("--group", "sex", "--followup", "months"),
    )
    assert _errors(analyze_schema, good) == []
    for change in (
        _delete("groups/all/pvalue"),
        _delete("groups/all"),
        _set("groups/F/pvalue", 1.5),
        _set("groups/M/excluded", [{"row": 0, "reason": "x"}]),
        _set("groups/M/sd", 1.0),
        _set("change", "before - after"),
        _set("version", 2),
        _delete("followup/median"),
        _set("followup/correlations/pearson/estimate", "0.1"),
    ):
        document = copy.deepcopy(good)
        change(document)
        assert _errors(analyze_schema, document), change


# ----------------------------------------------------------------------------- the document


def _property_names(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                yield from value
            yield from _property_names(value)
    elif isinstance(node, list):
        for value in node:
            yield from _property_names(value)


@pytest.mark.parametrize("name", ["verify", "analyze", "corpus"])
def test_the_contract_document_names_every_key_and_the_version(name: str) -> None:
    text = CONTRACT.read_text(encoding="utf-8")
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert f"`{schema['title']}`" in text
    assert f"docs/schemas/{name}.schema.json" in text
    spans = re.findall(r"`([^`]+)`", text)
    # A key is named in backticks, alone or in an object's outline such as `{row, reason}`.
    quoted = set(spans) | {w for s in spans for w in re.split(r"[{}\[\],\s]+", s) if w}
    missing = sorted(set(_property_names(schema)) - quoted)
    assert not missing, f"docs/json-contract.md does not name: {missing}"
