"""A claim reproduced under an alternative carries the value that alternative gives.

The expected values are computed here from the bundled CSV with the csv module, not by the
library: the severity claims reproduce when the patient at exactly 8.0 % counts as severe.
"""

from __future__ import annotations

import csv
import json
import math
from typing import Any

import pytest

from cohort_reanalysis import load_dataset, verify
from cohort_reanalysis.cohort import dataset_info


@pytest.fixture(scope="module")
def audit() -> Any:
    return verify(load_dataset("matsuoka2025"))


def _rows() -> list[tuple[float, float]]:
    path = dataset_info("matsuoka2025").data_file
    assert path is not None
    with open(path, newline="", encoding="utf-8") as handle:
        return [(float(r["hba1c_before"]), float(r["hba1c_after"])) for r in csv.DictReader(handle)]


def test_severity_means_under_the_reproducing_boundary(audit: Any) -> None:
    rows = _rows()
    severe = [b - a for b, a in rows if b >= 8.0]  # 8.0 counted as severe
    moderate = [b - a for b, a in rows if 6.2 <= b < 8.0]
    for claim_id, values in (
        ("abstract.severe_mean_reduction", severe),
        ("abstract.moderate_mean_reduction", moderate),
    ):
        result = audit[claim_id]
        assert result.verdict.value == "reproduced_under_alternative"
        assert result.alternative_value == pytest.approx(math.fsum(values) / len(values), rel=1e-12)
        assert result.alternative_value != pytest.approx(result.recomputed, rel=1e-6)


def test_only_alternatives_carry_one_and_every_claim_its_scale(audit: Any) -> None:
    for result in audit.results:
        has = result.alternative_value is not None
        assert has == (result.verdict.value == "reproduced_under_alternative"), result.id
    assert audit["abstract.dose_max"].scale == 1000.0  # "2 billion cells", a column in millions
    assert audit["abstract.mean_before"].scale == 1.0


def test_alternative_value_in_frame_and_json(audit: Any) -> None:
    from cohort_reanalysis.presentation._json import render_json

    frame = audit.to_frame().set_index("id")
    obj = {c["id"]: c for c in json.loads(render_json(audit))["claims"]}
    for result in audit.results:
        assert frame.loc[result.id, "alternative_value"] == result.alternative_value
        value = obj[result.id]["alternative_value"]
        if result.alternative_value is None:
            assert value is None
        elif isinstance(result.alternative_value, tuple):
            assert value == list(result.alternative_value)
        else:
            assert value == result.alternative_value
