"""The ``draft`` field of claims@2: what a drafted claim still needs from the reviewer.

It loads as written, round-trips through ``to_dict``, agrees with the quantity (``needs
quantity`` has none, ``quantity guessed`` has one), is refused in claims@1 and with an
unknown value, and the JSON Schema says the same; verification reports a claim that needs
a quantity as not checkable, saying why, and marks a guessed quantity in its explanation.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from claim_docs import REPO
from jsonschema import Draft202012Validator

from cohort_reanalysis.cohort import load_dataset
from cohort_reanalysis.verification._audit import verify
from cohort_reanalysis.verification.claims import ClaimsError, parse_claims


def _doc() -> dict[str, Any]:
    return {
        "format": "cohort-reanalysis/claims@2",
        "dataset": "matsuoka2025",
        "claims": [
            {
                "id": "age.mean",
                "quote": "The mean age was 63.3 years",
                "location": "preprint, 3. Results, paragraph 1",
                "versions": ["preprint"],
                "reported": "63.3",
                "comparator": "=",
                "unit": "years",
                "quantity": {"statistic": "mean", "variable": "age"},
                "draft": "quantity guessed",
            },
            {
                "id": "followup.over",
                "quote": "followed for over five years",
                "location": "preprint, 3. Results, paragraph 2",
                "versions": ["preprint"],
                "reported": "5",
                "comparator": ">",
                "unit": "years",
                "quantity": None,
                "draft": "needs quantity",
            },
        ],
    }


def _schema() -> Draft202012Validator:
    path = REPO / "docs" / "schemas" / "claims.schema.json"
    return Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))


def test_a_drafted_file_loads_as_written_and_round_trips() -> None:
    doc = _doc()
    cs = parse_claims(doc)
    assert [c.draft for c in cs.claims] == ["quantity guessed", "needs quantity"]
    assert cs.to_dict() == doc
    assert _schema().is_valid(doc)


def test_a_hand_written_claim_has_no_draft_state() -> None:
    doc = _doc()
    del doc["claims"][0]["draft"]
    cs = parse_claims(doc)
    assert cs.claims[0].draft is None
    assert "draft" not in cs.to_dict()["claims"][0]


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda d: d["claims"][0].update(draft="maybe"), "unknown draft state"),
        (lambda d: d["claims"][0].update(draft=None), "unknown draft state"),
        (lambda d: d["claims"][0].update(draft="needs quantity"), "has quantity null"),
        (lambda d: d["claims"][1].update(draft="quantity guessed"), "needs a quantity"),
        (lambda d: d.update(format="cohort-reanalysis/claims@1"), "claims@2 field"),
    ],
)
def test_a_wrong_draft_state_is_refused_by_parser_and_schema(mutate: Any, words: str) -> None:
    doc = copy.deepcopy(_doc())
    mutate(doc)
    with pytest.raises(ClaimsError) as err:
        parse_claims(doc)
    assert words in str(err.value) and "draft" in str(err.value)
    assert not _schema().is_valid(doc)


def test_verification_says_what_a_drafted_claim_still_needs() -> None:
    audit = verify(load_dataset("matsuoka2025"), parse_claims(_doc()))
    guessed, needs = audit.results
    assert guessed.verdict.value == "reproduced"
    assert "the draft guessed, for the reviewer to confirm" in guessed.explanation
    assert needs.verdict.value == "not_checkable"
    assert "its quantity is for the reviewer to fill in" in needs.explanation
