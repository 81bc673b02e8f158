"""One summary claim the checks cannot take does not stop the others; its result says why,
naming the claims file and the claim."""

from __future__ import annotations

from pathlib import Path

import pytest

from cohort_reanalysis import verify_summary
from cohort_reanalysis.verification.claims import FORMAT, parse_claims


def _summary(cid: str, **fields: object) -> dict[str, object]:
    return {"id": cid, "quote": "q", "location": "l", **fields}


BAD = {
    "percent_mean": dict(kind="mean_sd", mean="7.5%", sd="1.2", n=10),
    "huge_n": dict(kind="mean_sd", mean="7.5", sd="1.2", n=10**30),
    "zero_df": dict(kind="test_statistic", test="F", statistic="2", df="0, 0", p="0.05"),
}


@pytest.mark.parametrize("bad", sorted(BAD))
def test_a_bad_summary_claim_is_reported_and_the_others_checked(bad: str) -> None:
    doc = {
        "format": FORMAT,
        "dataset": "x",
        "summary_claims": [
            _summary("before", kind="mean_sd", mean="5.19", sd="1.1", n=28),
            _summary("bad", **BAD[bad]),
            _summary("after", kind="counts", parts=["1", "2"], total="4"),
        ],
    }
    audit = verify_summary(parse_claims(doc, source=Path("paper/claims.json")))
    assert [r.id for r in audit.results] == ["before", "bad", "after"]
    assert audit["before"].status == "inconsistent"  # GRIM: 5.19 with n = 28
    assert audit["after"].status == "inconsistent"  # 1 + 2 != 4
    failed = [c for c in audit["bad"].checks if "could not be checked" in c.detail]
    assert failed and all(c.consistent is None for c in failed)
    where = str(Path("paper/claims.json"))
    assert all(f"({where}, claim 'bad')" in c.detail for c in failed)
    assert "could not be checked" in audit["bad"].explanation
    assert audit.to_dict()["counts"]["inconsistent"] == 2 + (bad == "percent_mean")
