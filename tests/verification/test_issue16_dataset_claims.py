"""The claims bundled with the issue 16 datasets load as claims@2 and verify from their own
folders; `test_dataset_claim_verdicts.py` pins each claim's verdict to R's values."""

from __future__ import annotations

from pathlib import Path

import pytest

import cohort_reanalysis as cr
from cohort_reanalysis.cohort import load_dataset

ROOT = Path(__file__).resolve().parents[2]
NEW = ("student1908_sleep", "zea_mays_darwin1876", "simulated_registry")


@pytest.mark.parametrize("name", NEW)
def test_claims_verify(name: str) -> None:
    path = ROOT / "datasets" / name / "claims.json"
    claims = cr.load_claims(path)
    assert '"cohort-reanalysis/claims@2"' in path.read_text(encoding="utf-8")
    report = cr.verify(load_dataset(name), claims)
    verdicts = {r.id: r.verdict for r in report.results}
    assert len(verdicts) == len(claims)
    if name == "student1908_sleep":  # Student's SDs divide by n: found, named as the alternative
        assert verdicts["sd_1"] == verdicts["sd_difference"] == "reproduced_under_alternative"
