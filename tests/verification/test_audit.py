"""verify() on the bundled dataset: every claim judged, spot checks against R and by hand,
the JSON contract (docs/json-contract.md), determinism, claim-order invariance, lightness;
and verify_summary() on the meta-analysis claims. (Its speed is timed in bench/run.py.)"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from cohort_reanalysis.cohort import load_dataset
from cohort_reanalysis.verification._audit import Audit, verify, verify_summary
from cohort_reanalysis.verification._verdict import ClaimResult
from cohort_reanalysis.verification.claims import ClaimSet, load_claims

ROOT = Path(__file__).resolve().parents[2]
R = json.loads((ROOT / "tests" / "reference" / "msc58_R.json").read_text())
CLAIMS = ROOT / "datasets" / "matsuoka2025" / "claims.json"
META = ROOT / "datasets" / "meta_t1dm_2025" / "claims.json"
VERDICTS = {"reproduced", "reproduced_under_alternative", "not_reproduced", "not_checkable"}


@pytest.fixture(scope="module")
def audit() -> Audit:
    return verify(load_dataset("matsuoka2025"))


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    f = load_dataset("matsuoka2025").frame
    f["reduction"] = f.hba1c_before - f.hba1c_after
    return f


def test_every_claim_gets_a_computed_verdict(audit: Audit) -> None:
    claims = load_claims(CLAIMS)
    assert [r.id for r in audit] == [c.id for c in claims]
    for r, c in zip(audit, claims, strict=True):
        assert r.verdict.value in VERDICTS
        assert (r.verdict.value == "not_checkable") == (c.quantity is None)
        assert r.explanation.startswith("Reported") and r.explanation.endswith(".")
    assert sum(audit.counts.values()) == len(audit.results)
    assert list(audit.counts) == sorted(VERDICTS, key=list(audit.counts).index)
    assert set(audit.counts) == VERDICTS


def test_correlation_reproduces_with_pearson_on_reduction(audit: Audit) -> None:
    r = audit["results.corr_duration_reduction"]
    assert r.verdict.value == "reproduced"
    assert r.recomputed == pytest.approx(R["msc_cor_months_pearson"]["r"], rel=1e-9)
    assert r.specification["correlation"] == "pearson"
    assert r.specification["direction"] == "reduction"


def test_median_and_iqr_of_follow_up(audit: Audit) -> None:
    by_type = R["msc_months_quantiles_types1to9"]["by_type"]
    med = audit["results.median_followup"]
    assert med.verdict.value == "reproduced" and med.recomputed == by_type["7"][1] == 35.5
    iqr = audit["results.followup_iqr"]
    assert iqr.verdict.value == "reproduced"
    assert iqr.recomputed == (by_type["7"][0], by_type["7"][2]) == (15.25, 45.75)


def test_median_35_needs_a_tie_rounded_down_or_another_quantile_type() -> None:
    cohort = load_dataset("matsuoka2025")
    # up_or_down (the default) lets the tie 35.5 print as 35, and says so.
    r = verify(cohort)["abstract.median_followup"]
    assert r.verdict.value == "reproduced" and r.recomputed == 35.5
    assert "tie at 5 is rounded down (rounding half down; rounding half up would" in r.explanation
    # People read words; the machine names stay in the specification (the JSON contract).
    assert "half_down" not in r.explanation and "up_or_down" not in r.explanation
    assert r.to_dict()["specification"]["rounding"] == "up_or_down"
    # Under half-up rounding 35.5 prints as 36: R types 1, 3 and 4 give 35 (R reference).
    by_type = R["msc_months_quantiles_types1to9"]["by_type"]
    assert [t for t in range(1, 10) if by_type[str(t)][1] == 35] == [1, 3, 4]
    strict = verify(cohort, rounding="half_up")["abstract.median_followup"]
    assert strict.verdict.value == "reproduced_under_alternative"
    assert strict.departures == ("quantile_type",)
    assert strict.specification["quantile_type"] == 1
    assert {a["quantile_type"] for a in strict.also if "quantile_type" in a} >= {3, 4}


def test_61_patients_against_58_rows_is_not_reproduced(audit: Audit) -> None:
    r = audit["abstract.n_enrolled"]
    assert r.verdict.value == "not_reproduced"
    assert r.recomputed == 58
    assert r.nearest is not None and r.nearest.value == 58 and r.nearest.distance == 3
    assert audit.to_dict()["claims"][0]["recomputed"] == 58
    assert audit.n_reported == 61 and audit.n_rows == 58


def test_moderate_and_severe_groups_agree_on_where_8_goes(
    audit: Audit, frame: pd.DataFrame
) -> None:
    mean = audit["abstract.moderate_mean_reduction"]
    assert mean.verdict.value == "reproduced_under_alternative"
    assert mean.recomputed == pytest.approx(frame.reduction[frame.hba1c_before <= 8].mean())
    assert mean.departures == ("boundary: before <= 8",)
    assert mean.specification["boundary: before <= 8"] == "<"
    assert "0.576" in mean.explanation and "0.593" in mean.explanation
    severe = audit["abstract.severe_pvalue"]
    assert severe.verdict.value == "reproduced_under_alternative"
    assert severe.specification["boundary: before > 8"] == ">="
    for cid in ("abstract.moderate_mean_reduction", "abstract.moderate_pvalue"):
        joint = audit[cid].joint
        assert joint is not None and joint.satisfied
        assert joint.specification is not None
        assert joint.specification["boundary: before <= 8"] == "<"
    joint = audit["abstract.severe_mean_reduction"].joint
    assert joint is not None and joint.satisfied and joint.specification is not None
    assert joint.specification["boundary: before > 8"] == ">="


def test_a_reproduction_that_leaves_rows_out_is_called_a_question_about_the_data(
    audit: Audit, frame: pd.DataFrame
) -> None:
    """Only rows left out, not a boundary or a quantile type, make the explanation say that
    the question is which patients the paper analysed."""
    alternatives = [r for r in audit if r.verdict.value == "reproduced_under_alternative"]
    assert {"rows" in r.departures for r in alternatives} == {True, False}
    for r in alternatives:
        assert ("question about the data" in r.explanation) == ("rows" in r.departures), r.id
    # "> 3 years": the median follow-up is 35.5 months in the 58 rows, 38 without the damaged
    # rows 51-58 (pandas' median, by hand).
    r = audit["abstract.effect_over_three_years"]
    assert r.specification["rows"] == "without rows 51-58"
    assert frame.months.median() == 35.5
    assert frame.drop(index=range(51, 59)).months.median() == r.alternative_value == 38


def test_dose_group_means_are_not_reproduced(audit: Audit, frame: pd.DataFrame) -> None:
    high = audit["results.high_dose_mean_reduction"]
    assert high.verdict.value == "not_reproduced"
    assert high.recomputed == pytest.approx(frame.reduction[frame.dose_million >= 1500].mean())
    assert high.nearest is not None and high.nearest.distance > 0.5


def test_not_checkable_claims(audit: Audit) -> None:
    for cid in ("abstract.no_serious_adverse_events", "methods.infusion_duration"):
        r = audit[cid]
        assert r.verdict.value == "not_checkable" and r.recomputed is None


# ----------------------------------------------------------------------------- JSON contract


def _check_contract(obj: dict[str, Any]) -> None:
    assert list(obj)[:5] == ["dataset", "doi", "n_rows", "claims", "counts"]
    assert isinstance(obj["dataset"], str) and isinstance(obj["doi"], str)
    assert isinstance(obj["n_rows"], int) and not isinstance(obj["n_rows"], bool)
    assert isinstance(obj["claims"], list)
    for c in obj["claims"]:
        assert list(c)[:8] == [
            "id",
            "quote",
            "location",
            "reported",
            "recomputed",
            "verdict",
            "specification",
            "explanation",
        ]
        for key in ("id", "quote", "location", "reported", "explanation"):
            assert isinstance(c[key], str) and c[key]
        rec = c["recomputed"]
        # json-contract.md: number | null, never a list (two-number claims use recomputed_values).
        assert rec is None or (isinstance(rec, (int, float)) and not isinstance(rec, bool))
        assert c["verdict"] in VERDICTS
        assert isinstance(c["specification"], dict)
        assert (c["specification"] == {}) == (c["verdict"] in ("not_reproduced", "not_checkable"))
    assert set(obj["counts"]) == VERDICTS
    assert all(isinstance(v, int) for v in obj["counts"].values())
    assert sum(obj["counts"].values()) == len(obj["claims"])
    for verdict, n in obj["counts"].items():
        assert n == sum(c["verdict"] == verdict for c in obj["claims"])


def test_json_follows_the_design_contract(audit: Audit) -> None:
    obj = json.loads(json.dumps(audit.to_dict(), allow_nan=False))
    _check_contract(obj)
    assert obj["dataset"] == "matsuoka2025"
    assert obj["doi"] == "10.20944/preprints202503.1601.v1"
    assert obj["n_rows"] == 58 and obj["n_reported"] == 61
    iqr = next(c for c in obj["claims"] if c["id"] == "results.followup_iqr")
    by_type = R["msc_months_quantiles_types1to9"]["by_type"]
    assert iqr["recomputed"] is None
    assert iqr["recomputed_values"] == [by_type["7"][0], by_type["7"][2]]


# ----------------------------------------------------------------------------- properties


def test_two_runs_give_identical_results() -> None:
    cohort = load_dataset("matsuoka2025")
    assert verify(cohort).to_dict() == verify(cohort).to_dict()


def test_claim_order_does_not_change_any_result(audit: Audit) -> None:
    claims = load_claims(CLAIMS)
    reordered = dataclasses.replace(claims, claims=tuple(reversed(claims.claims)))
    assert isinstance(reordered, ClaimSet)
    again = verify(load_dataset("matsuoka2025"), reordered)
    assert [r.id for r in again] == [r.id for r in reversed(audit.results)]
    for r in again:
        assert r.to_dict() == audit[r.id].to_dict()


def test_tidy_frame_text_and_html(audit: Audit) -> None:
    f = audit.to_frame()
    assert len(f) == len(audit.results) and f["id"].is_unique
    assert set(f["verdict"]) <= VERDICTS
    text = str(audit)
    assert "abstract.mean_before" in text and "not reproduced" in text
    assert all(len(line) <= 100 for line in text.splitlines()[1:])
    assert "abstract.n_enrolled: not reproduced (reported 61 patients, recomputed 58)" in text
    summary = str(verify_summary(META))
    assert all(len(line) <= 100 for line in summary.splitlines()[1:])
    page = audit._repr_html_()
    assert page.count("<tr style='background:") == len(audit.results)
    assert "doi:10.20944/preprints202503.1601.v1" in page and "n = 61" in page


def test_rounding_departures_in_words_machine_names_in_the_specification(audit: Audit) -> None:
    r = audit["abstract.severe_mean_reduction"]
    assert "truncation instead of ordinary rounding" in r.explanation
    assert "rounding down (floor) instead of ordinary rounding" in r.explanation
    for name in ("truncate", "up_or_down", "rounding by"):
        assert name not in r.explanation
    # The JSON contract keeps the machine names.
    assert {a["rounding"] for a in r.to_dict()["also"]} == {"truncate", "floor"}
    for result in audit:
        for name in ("half_down", "half_up", "up_or_down", "truncate"):
            assert name not in result.explanation, (result.id, name)


def test_recomputed_text_never_prints_negative_zero(audit: Audit) -> None:
    r = audit["abstract.mean_after"]
    assert dataclasses.replace(r, recomputed=-0.0).recomputed_text == "0"
    assert dataclasses.replace(r, recomputed=(-0.0, 1.5)).recomputed_text == "0 to 1.5"


def test_audit_items_by_claim_id(audit: Audit) -> None:
    assert audit["abstract.mean_after"].id == "abstract.mean_after"
    with pytest.raises(KeyError):
        audit["no.such.claim"]
    summary = verify_summary(META)
    first = summary.results[0]
    assert summary[first.id] is first
    with pytest.raises(KeyError):
        summary["no.such.claim"]


def test_verification_imports_neither_pingouin_nor_scipy_stats() -> None:
    code = (
        "import sys\n"
        "from cohort_reanalysis.cohort import load_dataset\n"
        "from cohort_reanalysis.verification._audit import verify\n"
        "verify(load_dataset('matsuoka2025'))\n"
        "print('pingouin' in sys.modules, 'scipy.stats' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.split() == ["False", "False"]


# ----------------------------------------------------------------------------- summary


def test_verify_summary_on_the_meta_analysis_claims() -> None:
    result = verify_summary(META)
    assert len(result) == 10
    assert sum(result.counts.values()) == 10
    # The summary's Key Takeaway calls the HbA1c improvements non-significant, but the
    # 6-month 95% CI (-1.13 to -0.02) lies wholly below 0: significant at the 5% level.
    takeaway = result["takeaway_hba1c_not_significant"]
    assert takeaway.status == "inconsistent"
    assert "contradicts the claim that the result is not significant" in takeaway.explanation
    six, twelve = result["hba1c_6m"], result["hba1c_12m"]
    assert six.checks[0].check == "ci_consistency" and six.status == "consistent"
    # -0.49 (-0.98 to 0.00) touches 0 at the printed precision: borderline, claimed not
    # significant, consistent.
    assert twelve.status == "consistent"
    assert twelve.checks[0].values["borderline"]  # noqa: PD011 == 1.0
    assert result["n_participants"].status == "not applicable"
    obj = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert [c["id"] for c in obj["summary_claims"]][:2] == ["hba1c_6m", "hba1c_12m"]
    assert "hba1c_6m" in str(result) and "<table" in result._repr_html_()


def _verify_printed_otherwise(
    tmp_path: Path, claim_id: str, reported: str, **changes: str
) -> ClaimResult:
    """Verify the bundled claims with one claim's value printed as ``reported``."""
    data = json.loads(CLAIMS.read_text(encoding="utf-8"))
    (claim,) = [c for c in data["claims"] if c["id"] == claim_id]
    claim.update(reported=reported, **changes)
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return verify(load_dataset("matsuoka2025"), load_claims(path))[claim_id]


@pytest.mark.parametrize(
    ("reported", "verdict"),
    [
        ("1.06 × 10^-6", "reproduced"),  # R: p = 1.063217e-06 (msc58_R.json, msc_paired)
        ("1.1e-06", "reproduced"),
        ("1.06×10⁻⁶", "reproduced"),
        ("1.2e-06", "not_reproduced"),  # no test, side or row set in the space gives it
    ],
)
def test_a_p_value_printed_in_scientific_notation(
    tmp_path: Path, reported: str, verdict: str
) -> None:
    r = _verify_printed_otherwise(tmp_path, "abstract.pvalue_all", reported, comparator="=")
    assert r.recomputed == pytest.approx(R["msc_paired"]["p"], rel=1e-9)
    assert r.verdict.value == verdict, r.explanation
    assert f"Reported {reported}" in r.explanation and "1.06e-06" in r.explanation


def test_a_mean_printed_in_scientific_notation_is_answered_in_kind(tmp_path: Path) -> None:
    # The table's mean, 7.4931..., to two significant digits.
    r = _verify_printed_otherwise(tmp_path, "abstract.mean_before", "7.5e0")
    assert r.verdict.value == "reproduced"
    assert "recomputed 7.49e+00" in r.explanation and "prints as 7.5e0" in r.explanation


def test_verify_summary_checks_an_r_and_a_p_in_scientific_notation() -> None:
    from cohort_reanalysis.verification.claims import parse_claims

    base = {"quote": "q", "location": "l", "kind": "test_statistic"}
    doc = {
        "format": json.loads(META.read_text(encoding="utf-8"))["format"],
        "dataset": "d",
        "summary_claims": [
            # R cor.test, months vs reduction: r = 0.0415, t(56), p = 0.757 (msc58_R.json).
            {"id": "r_ok", **base, "test": "r", "statistic": "0.041", "df": "56", "p": "0.76"},
            # R t.test, paired: t = 5.4646 on 57 df, p = 1.063217e-06.
            {"id": "t_ok", **base, "test": "t", "statistic": "5.46", "df": "57", "p": "1.1e-6"},
            {"id": "t_no", **base, "test": "t", "statistic": "5.46", "df": "57", "p": "1.1e-5"},
        ],
    }
    result = verify_summary(parse_claims(doc))
    status = {r.id: r.status for r in result.results}
    assert status == {"r_ok": "consistent", "t_ok": "consistent", "t_no": "inconsistent"}


def test_verify_summary_reads_a_statistic_printed_as_a_threshold() -> None:
    from cohort_reanalysis.verification.claims import ClaimsError, parse_claims

    base = {"quote": "q", "location": "l", "kind": "test_statistic", "test": "F", "df": "2, 10"}
    doc = {
        "format": json.loads(META.read_text(encoding="utf-8"))["format"],
        "dataset": "d",
        "summary_claims": [
            # F(2, 10) < 1 allows p from (1 + 1/5)^-5 = 0.402 to 1.
            {"id": "ns", **base, "statistic": "1", "statistic_comparator": "<", "p": "ns"},
            {"id": "sig", **base, "statistic": "1", "statistic_comparator": "<", "p": ".01"},
            {"id": "exact", **base, "statistic": "1", "p": ".40"},
        ],
    }
    result = verify_summary(parse_claims(doc))
    status = {r.id: r.status for r in result.results}
    assert status == {"ns": "consistent", "sig": "inconsistent", "exact": "consistent"}
    doc["summary_claims"] = [{**doc["summary_claims"][0], "statistic_comparator": "about"}]
    with pytest.raises(ClaimsError, match="statistic_comparator"):
        parse_claims(doc)


def test_verify_summary_uses_the_scale_bounds_of_a_mean_and_sd() -> None:
    from cohort_reanalysis.verification.claims import ClaimsError, parse_claims

    base = {"quote": "q", "location": "l", "kind": "mean_sd", "mean": "4.00", "n": 5}
    doc = {
        "format": json.loads(META.read_text(encoding="utf-8"))["format"],
        "dataset": "d",
        "summary_claims": [
            # On 1-5, mean 4 of 5 responses has SD at most sqrt(3) = 1.73 (5, 5, 5, 4, 1).
            {"id": "spread", **base, "sd": "1.73", "bounds": [1, 5]},
            {"id": "too_spread", **base, "sd": "3.00", "bounds": [1, 5]},
            {"id": "unbounded", **base, "sd": "3.00"},
        ],
    }
    grimmer_ok = {
        r.id: next(c.consistent for c in r.checks if c.check == "grimmer")
        for r in verify_summary(parse_claims(doc)).results
    }
    assert grimmer_ok == {"spread": True, "too_spread": False, "unbounded": True}
    for bad in ([5, 1], [1], [1, 2.5]):
        doc["summary_claims"] = [{**base, "id": "x", "sd": "1.00", "bounds": bad}]
        with pytest.raises(ClaimsError, match="bounds"):
            parse_claims(doc)


def test_verify_summary_uses_a_claims_own_rounding() -> None:
    from cohort_reanalysis.verification._audit import verify_summary
    from cohort_reanalysis.verification.claims import parse_claims

    # 5.17 with n = 28: no total over 28 rounds to it ([5.165, 5.175] holds no k/28), but
    # 145/28 = 5.1786 truncates to it.
    base = {"id": "m", "quote": "q", "location": "l", "kind": "mean_sd", "mean": "5.17"}
    item = {**base, "sd": "1.50", "n": 28}
    doc = {"format": "cohort-reanalysis/claims@2", "dataset": "d", "summary_claims": [item]}
    assert verify_summary(parse_claims(doc)).results[0].checks[0].consistent is False
    doc["summary_claims"] = [{**item, "rounding": "trunc"}]
    assert verify_summary(parse_claims(doc)).results[0].checks[0].consistent is True
