"""The claims bundled with the issue 16 datasets verify from their own folders."""

from __future__ import annotations

from pathlib import Path

import pytest

import cohort_reanalysis as cr
from cohort_reanalysis.cohort import load_dataset

ROOT = Path(__file__).resolve().parents[2]
NEW = ("student1908_sleep", "zea_mays_darwin1876", "simulated_registry")


@pytest.mark.parametrize("name", NEW)
def test_claims_verify(name: str) -> None:
    report = cr.verify(load_dataset(name), cr.load_claims(ROOT / "datasets" / name / "claims.json"))
    verdicts = {r.id: r.verdict for r in report.results}
    found = ("reproduced", "reproduced_under_alternative")
    assert verdicts and all(v in found for v in verdicts.values()), verdicts
    if name == "student1908_sleep":  # Student's SDs divide by n: found, named as the alternative
        assert verdicts["sd_1"] == verdicts["sd_difference"] == "reproduced_under_alternative"
