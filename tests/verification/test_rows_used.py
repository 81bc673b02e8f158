"""Every patient accounted for, per claim (issue 16, item 8): each result says how many rows
its value used (``n_used``) and which it left out, with reasons (``excluded``), in the
explanation's words, the text, HTML and JSON reports; "all 14 rows" only when all 14 were."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from cohort_reanalysis.cohort import Cohort, load_dataset
from cohort_reanalysis.presentation._html_report import render_html
from cohort_reanalysis.presentation._json import render_json
from cohort_reanalysis.presentation._text import render_text
from cohort_reanalysis.verification._audit import Audit, verify
from cohort_reanalysis.verification.claims import parse_claims

rng = np.random.default_rng(16)
BEFORE = np.round(rng.normal(8.0, 1.0, 14), 1)
AFTER = np.round(BEFORE - rng.normal(0.6, 0.4, 14), 1)
AFTER[[2, 8]] = np.nan  # rows 3 and 9 (first data row 1) miss their after value
MISSING_AFTER = [3, 9]


def _claim(claim_id: str, quantity: dict[str, object], reported: str) -> dict[str, object]:
    return {
        "id": claim_id,
        "quote": claim_id,
        "location": "here",
        "versions": ["v1"],
        "reported": reported,
        "comparator": "=",
        "unit": None,
        "quantity": quantity,
    }


@pytest.fixture(scope="module")
def audit() -> Audit:
    frame = pd.DataFrame({"b": BEFORE, "a": AFTER})
    cohort = Cohort.from_frame(frame, columns={"before": "b", "after": "a"})
    keep = ~np.isnan(AFTER)
    change = float(np.mean(AFTER[keep] - BEFORE[keep]))
    severe = BEFORE >= 8
    claims = parse_claims(
        {
            "format": "cohort-reanalysis/claims@2",
            "dataset": "t",
            "claims": [
                _claim("change", {"statistic": "mean_change"}, f"{change:.3f}"),
                _claim(
                    "severe_n",
                    {
                        "statistic": "n",
                        "subset": [{"variable": "before", "op": ">=", "value": 8}],
                    },
                    str(int(severe.sum())),
                ),
                _claim("mean_before", {"statistic": "mean", "variable": "before"}, "99"),
                {"id": "words", "quote": "q", "location": "l", "quantity": None},
            ],
        }
    )
    return verify(cohort, claims)


def test_a_mean_change_uses_the_complete_pairs_and_says_which_it_left_out(audit: Audit) -> None:
    result = audit["change"]
    assert result.verdict.value == "reproduced"
    assert result.n_used == 12
    assert [(e.row, e.reason) for e in result.excluded] == [
        (row, "missing after") for row in MISSING_AFTER
    ]
    assert "12 of 14 rows" in result.explanation
    assert "all 14 rows" not in result.explanation


def test_a_subset_names_the_rows_outside_it(audit: Audit) -> None:
    result = audit["severe_n"]
    outside = [i + 1 for i in np.flatnonzero(BEFORE < 8)]
    assert result.n_used == int((BEFORE >= 8).sum())
    assert [e.row for e in result.excluded] == outside
    assert {e.reason for e in result.excluded} == {"outside the subset before >= 8"}


def test_a_claim_on_a_complete_column_used_every_row(audit: Audit) -> None:
    result = audit["mean_before"]
    assert result.verdict.value == "not_reproduced"  # 99 is wrong; its rows are still said
    assert (result.n_used, result.excluded) == (14, ())
    assert "all 14 rows" in result.explanation


def test_a_claim_not_checked_has_no_rows(audit: Audit) -> None:
    assert (audit["words"].n_used, audit["words"].excluded) == (None, ())


def test_text_and_html_reports_say_the_rows(audit: Audit) -> None:
    line = "12 used; left out: rows 3, 9 (missing after)"
    assert f"Rows: {line}." in render_text(audit)
    assert f"<dt>Rows</dt><dd>{line}</dd>" in render_html(audit)


def test_json_gives_n_used_and_excluded_accounting_for_every_row(audit: Audit) -> None:
    doc = json.loads(render_json(audit))
    claims = {c["id"]: c for c in doc["claims"]}
    assert claims["change"]["n_used"] == 12
    assert claims["change"]["excluded"] == [
        {"row": 3, "reason": "missing after"},
        {"row": 9, "reason": "missing after"},
    ]
    assert claims["words"]["n_used"] is None and claims["words"]["excluded"] == []


@pytest.mark.parametrize("name", ["matsuoka2025", "student1908_sleep", "zea_mays_darwin1876"])
def test_bundled_results_account_for_every_row(name: str) -> None:
    doc = verify(load_dataset(name)).to_dict()
    for claim in doc["claims"]:
        if claim["n_used"] is None:
            assert claim["verdict"] == "not_checkable"
            continue
        rows = [e["row"] for e in claim["excluded"]]
        assert rows == sorted(set(rows))
        assert claim["n_used"] + len(rows) == doc["n_rows"], claim["id"]
        # The rows are those of `specification` (the stated method's unless an alternative
        # reproduces the claim, whose own rows the explanation then says in its words).
        if claim["excluded"] and claim["verdict"] != "reproduced_under_alternative":
            assert f"all {doc['n_rows']} rows" not in claim["explanation"], claim["id"]
