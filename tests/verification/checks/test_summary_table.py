"""A registry study's markers × visits table in one call: GRIM/GRIMMER per cell at the
marker's recorded precision, n across visits, paired p over every correlation; the
summary_table claim kind, its errors, verify_summary and the JSON contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from cohort_reanalysis.presentation._summary_report import render_summary
from cohort_reanalysis.verification._audit import verify_summary
from cohort_reanalysis.verification.checks import grim, grimmer
from cohort_reanalysis.verification.checks._paired_summary import paired_p_from_summary
from cohort_reanalysis.verification.checks._summary_table import check_summary_table
from cohort_reanalysis.verification.claims import ClaimsError, parse_claims

VISITS = ["baseline", "6 months", "12 months"]
ROOT = Path(__file__).resolve().parents[3]


def _alt(**extra: Any) -> dict[str, Any]:
    return {
        "name": "ALT",
        "recorded_decimals": 0,
        "cells": ["34.51 ± 9.81", "31.21 ± 8.70", "30.40 (8.10)"],
        **extra,
    }


def test_cells_are_checked_at_the_recorded_scale() -> None:
    hba1c = {
        "name": "HbA1c",
        "recorded_decimals": 1,
        "cells": ["8.21 ± 0.95", "7.9 ± 1.0", "7.63 ± 1.02"],
    }
    t = check_summary_table(VISITS, [40, 38, 36], [hba1c])
    cells = [c for c in t.checks if c.check in ("grim", "grimmer")]
    # 8.21 % recorded to 0.1 is 82.1 tenths; 7.9 has no decimal beyond the record.
    assert cells[0].consistent == grim("82.1", 40).consistent
    assert cells[1].consistent == grimmer("82.1", "9.5", 40).consistent
    assert cells[2].consistent is None and "no more decimals" in cells[2].detail
    assert cells[3].consistent == grim("76.3", 36).consistent
    assert all(c.detail.startswith("HbA1c at ") for c in cells)


def test_a_marker_of_unknown_precision_says_so() -> None:
    t = check_summary_table(VISITS, [40, 38, 36], [{"name": "CRP", "cells": ["2.1 ± 0.9"] * 3}])
    (note,) = [c for c in t.checks if c.check == "grim"]
    assert note.consistent is None and "recorded_decimals" in note.detail


def test_counts_may_only_fall_from_visit_to_visit() -> None:
    t = check_summary_table(VISITS, [40, 41, 36], [_alt(n_by_visit=[40, 40, 41])])
    counts = [c for c in t.checks if c.check == "visit_counts"]
    assert [c.consistent for c in counts] == [False, False]
    assert "6 months (41) > baseline (40)" in counts[0].detail
    assert counts[1].detail.startswith("ALT:") and t.consistent is False


def test_paired_changes_over_every_correlation() -> None:
    changes = [
        {"from": "baseline", "to": "6 months", "p": "0.90"},  # no r gives it
        {"from": "baseline", "to": "12 months", "p": "0.001", "comparator": "<"},
    ]
    t = check_summary_table(
        VISITS,
        [40, 40, 36],
        [
            {
                "name": "HbA1c",
                "cells": ["8.21 ± 0.95", "7.80 ± 1.02", "7.63 ± 1.02"],
                "changes": changes,
            }
        ],
    )
    first, second = [c for c in t.checks if c.check == "paired_p_from_summary"]
    same = paired_p_from_summary("8.21", "0.95", "7.80", "1.02", 40, "0.90")
    assert first.consistent is False and first.values == same.values
    assert first.detail == "HbA1c, baseline to 6 months: " + same.detail
    # n 40 and 36: different patients, so the p is not held to the means, but shown.
    assert second.consistent is None and "different patients" in second.detail
    assert (
        second.values
        == paired_p_from_summary("8.21", "0.95", "7.63", "1.02", 36, "0.001", "<").values
    )


def test_flagged_changes() -> None:
    changes = [{"from": "baseline", "to": "6 months", "p": "1e-12", "comparator": "<"}]
    t = check_summary_table(
        VISITS[:2],
        [40, 40],
        [{"name": "HbA1c", "cells": ["8.21 ± 0.95", "7.80 ± 0.95"], "changes": changes}],
    )
    assert t.consistent is True and len(t.flagged) == 1


def _doc(**table: Any) -> dict[str, Any]:
    item = {
        "id": "table2",
        "quote": "Table 2",
        "location": "Table 2",
        "kind": "summary_table",
        "visits": VISITS,
        "n_by_visit": [40, 40, 36],
        "markers": [_alt(changes=[{"from": "baseline", "to": "6 months", "p": "0.003"}])],
        **table,
    }
    return {"format": "cohort-reanalysis/claims@1", "dataset": "d", "summary_claims": [item]}


def test_the_claim_kind_parses_and_round_trips() -> None:
    cs = parse_claims(_doc(high_r=0.9, rounding="half_up"))
    (item,) = cs.summary_claims
    assert item.kind == "summary_table" and item["markers"][0]["name"] == "ALT"
    assert parse_claims(cs.to_dict()) == cs


def test_every_problem_of_a_table_claim_at_once() -> None:
    bad_marker = {
        "name": "ALT",
        "cells": ["34.51 ± 9.81", "31.21", "30.4 ± -1.0"],
        "recorded_decimals": -1,
        "changes": [{"from": "12 months", "to": "baseline", "p": "1.5", "extra": 1}],
        "colour": "red",
    }
    with pytest.raises(ClaimsError) as info:
        parse_claims(_doc(n_by_visit=[40, 0], markers=[bad_marker], high_r=2))
    fields = {p.field for p in info.value.problems}
    assert {
        "n_by_visit[1]",
        "markers[0].colour",
        "markers[0].cells[1]",
        "markers[0].cells[2]",
        "markers[0].recorded_decimals",
        "markers[0].changes[0].extra",
        "markers[0].changes[0].p",
        "high_r",
    } <= fields
    assert all(p.claim_id == "table2" for p in info.value.problems)
    with pytest.raises(ClaimsError, match="from an earlier visit to a later one"):
        bad = _alt(changes=[{"from": "12 months", "to": "baseline", "p": "0.5"}])
        parse_claims(_doc(markers=[bad]))
    with pytest.raises(ClaimsError, match=r"one per visit \(3\)"):
        parse_claims(_doc(markers=[_alt(cells=["1.0 ± 0.5"] * 2)]))


def test_verify_summary_and_the_json_contract(tmp_path: Path) -> None:
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(_doc()), encoding="utf-8")
    audit = verify_summary(path)
    result = audit["table2"]
    names = [c.check for c in result.checks]
    assert names[0] == "visit_counts" and names[-1] == "paired_p_from_summary"
    assert names.count("grim") == 3 and names.count("grimmer") == 3
    assert result.consistent is False  # 34.51 with n = 40 is GRIM-inconsistent
    schema = json.loads((ROOT / "docs" / "schemas" / "verify.schema.json").read_text())
    document = json.loads(render_summary(audit, format="json"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(document)) == []
    claims_schema = json.loads((ROOT / "docs" / "schemas" / "claims.schema.json").read_text())
    assert list(jsonschema.Draft202012Validator(claims_schema).iter_errors(_doc())) == []


def test_a_table_printed_from_the_simulated_registry_passes() -> None:
    """The bundled simulated registry (no real patients) printed as such a study would:
    mean ± SD per visit (two decimals) and the paired p (scipy's ttest_rel) of each change
    among the patients with both visits; ALT is recorded in whole U/L."""
    import numpy as np
    import pandas as pd
    from scipy import stats

    frame = pd.read_csv(ROOT / "datasets" / "simulated_registry" / "patients.csv")
    columns = {"baseline": "alt_m0", "6 months": "alt_m6", "12 months": "alt_m12"}
    complete = frame.dropna(subset=list(columns.values()))  # the same patients at every visit
    values = {v: complete[c].to_numpy(float) for v, c in columns.items()}
    assert all(np.array_equal(x, np.round(x)) for x in values.values())  # whole U/L
    cells = [f"{x.mean():.2f} ± {x.std(ddof=1):.2f}" for x in values.values()]
    changes = []
    for later in ("6 months", "12 months"):
        p = stats.ttest_rel(values[later], values["baseline"]).pvalue
        shown = {"p": f"{p:.3f}"} if p >= 0.001 else {"p": "0.001", "comparator": "<"}
        changes.append({"from": "baseline", "to": later, **shown})
    marker = {"name": "ALT", "recorded_decimals": 0, "cells": cells, "changes": changes}
    n = len(complete)
    t = check_summary_table(VISITS, [n, n, n], [marker])
    assert t.consistent is True, [c.detail for c in t.checks if c.consistent is False]
    for check, later in zip(
        [c for c in t.checks if c.check == "paired_p_from_summary"],
        ("6 months", "12 months"),
        strict=True,
    ):
        r = np.corrcoef(values["baseline"], values[later])[0, 1]
        found = dict(check.values)
        assert found["r_low"] <= r <= found["r_high"]
