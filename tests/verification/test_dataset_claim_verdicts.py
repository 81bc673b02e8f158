"""Each claim of the three datasets bundled for issue 16 gets the verdict that R's values say it
should: the value of its quantity under the stated method, computed by
``tests/reference/datasets16_R.R`` from the dataset's table (never by this package), either
prints as the reported number (reproduced), or does not and the alternative its note names does
(reproduced under an alternative), or neither does (not reproduced). A claim without a quantity
is not checkable. ``EXPECTED`` pins each verdict; the test derives it again from R's values and
the printed numbers, and holds verification to it."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import cohort_reanalysis as cr
from cohort_reanalysis.cohort import load_dataset

ROOT = Path(__file__).resolve().parents[2]
R_VALUES = json.loads((ROOT / "tests" / "reference" / "datasets16_R.json").read_text("utf-8"))

OK, ALT, NOT, NA = "reproduced", "reproduced_under_alternative", "not_reproduced", "not_checkable"
EXPECTED: dict[str, dict[str, str]] = {
    "student1908_sleep": {
        "n_patients": OK,
        "difference_column": OK,
        "conclusion_cushny_peebles": NA,
        "mean_1": OK,
        "mean_2": OK,
        "mean_difference": OK,
        "mean_difference_printed": OK,
        "sd_1": ALT,  # Student's S.D. divides by n
        "sd_2": ALT,
        "sd_difference": ALT,
        "sd_change": ALT,
        "z_1": NA,
        "prob_1_interpolated": NOT,  # his interpolation in his z table, not the t law
        "odds_1": NOT,
        "odds_1_words": NA,
        "z_2": NA,
        "prob_2": ALT,  # 1 - .9974: his probability truncated, not rounded
        "prob_2_words": NA,
        "mean_difference_text": OK,
        "sd_difference_text": ALT,
        "z_difference": NOT,  # 1.58 / 1.17 with his S.D. on n; d_z takes n - 1
        "prob_difference": ALT,  # 1 - .9985: truncated likewise
        "correlation_drugs": OK,
        "r_sleep_n": OK,
    },
    "zea_mays_darwin1876": {
        "n_pairs": OK,
        "pots": NA,
        "mean_crossed": OK,
        "mean_self": OK,
        "ratio_100_to_87": OK,
        "total_crossed": NA,
        "total_self": NA,
        "galton_two_exceptions": NA,
        **{f"galton_pot{p}_{s}": OK for p in "123" for s in ("mean_crossed", "mean_self")},
        **{f"galton_pot{p}_difference": OK for p in "123"},
        "galton_pot4_mean_crossed": NOT,  # Galton prints 19 6/8; the four plants average 19 17/32
        "galton_pot4_mean_self": OK,  # 16 1/16, a tie between 16 and 16 1/8
        "galton_pot4_difference": NOT,  # -3 6/8 printed; -3 15/32 from the table
    },
    "simulated_registry": {
        **{
            k: OK
            for k in (
                "n hba1c_baseline_mean hba1c_change_12m hba1c_p_12m hba1c_ci_12m hba1c_t_12m "
                "hba1c_df_12m hba1c_se_12m hba1c_dz_12m hba1c_improved_12m alt_baseline_median "
                "glucose_change_6m glucose_p_6m ldl_percent_change_12m "
                "ldl_percent_change_of_means_12m homa_ir_change_6m_to_12m hs_crp_ci_6m "
                "egfr_wilcoxon_12m testosterone_vs_400"
            ).split()
        },
        "ldl_percent_change_method_misnamed": ALT,  # the other percent change, on purpose
        "ggt_change_12m_wrong": NOT,  # wrong on purpose
        "insulin_fell_12m_wrong": NOT,
        "creatinine_ci_12m_wrong": NOT,
    },
}
#: Claims whose alternative is a rounding, not another value: Student's probabilities,
#: written as their complements, are truncated (1 - p rounded down, so p rounded up).
ROUNDED_UP = {("student1908_sleep", "prob_2"), ("student1908_sleep", "prob_difference")}


def _printed(text: str) -> list[tuple[Decimal, Decimal]]:
    """Each printed number of ``text`` and its last decimal's unit."""
    out = []
    for part in text.rstrip("%").split(" to "):
        value = Decimal(part)
        out.append((value, Decimal(1).scaleb(value.as_tuple().exponent)))  # type: ignore[arg-type]
    return out


def _prints_as(value: float | list[float], claim: dict, rounding: str = "ordinary") -> bool:
    """Whether R's value prints as the claim's reported number (exact decimal arithmetic)."""
    values = value if isinstance(value, list) else [value]
    scale = Decimal(repr(float(claim.get("scale", 1))))
    hits = []
    for v, (printed, unit) in zip(values, _printed(claim["reported"]), strict=True):
        x = Decimal(repr(float(v)))
        if claim["comparator"] == "<":
            hits.append(x < printed * scale)
        elif claim["comparator"] == ">":
            hits.append(x > printed * scale)
        elif rounding == "up":  # rounded up to the printed decimals: (printed - unit, printed]
            hits.append((printed - unit) * scale < x <= printed * scale)
        else:  # ordinary rounding, a tie at 5 either way
            hits.append((printed - unit / 2) * scale <= x <= (printed + unit / 2) * scale)
    return all(hits)


def _row_identity_holds(name: str, quantity: dict) -> bool:
    """Every printed cell of the column equals A - B exactly, in decimal, as printed."""
    import csv
    from decimal import Decimal

    assert quantity["equals"]["op"] == "difference"
    a, b = quantity["equals"]["of"]
    with open(ROOT / "datasets" / name / "patients.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return all(Decimal(r[quantity["column"]]) == Decimal(r[a]) - Decimal(r[b]) for r in rows)


def _derived(name: str, claim: dict) -> str:
    if claim["quantity"] is None:
        return NA
    if claim["quantity"]["statistic"] == "row_identity":
        return OK if _row_identity_holds(name, claim["quantity"]) else NOT
    values = R_VALUES[name]
    if _prints_as(values[claim["id"]], claim):
        return OK
    alternative = values.get(claim["id"] + "@alternative")
    if alternative is not None and _prints_as(alternative, claim):
        return ALT
    if (name, claim["id"]) in ROUNDED_UP and _prints_as(values[claim["id"]], claim, "up"):
        return ALT
    return NOT


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_claim_gets_the_verdict_r_gives_it(name: str) -> None:
    path = ROOT / "datasets" / name / "claims.json"
    raw = json.loads(path.read_text("utf-8"))["claims"]
    ids = [c["id"] for c in raw]
    assert len(ids) == len(set(ids)) and set(ids) == set(EXPECTED[name]), "every claim is pinned"
    derived = {c["id"]: _derived(name, c) for c in raw}
    assert derived == EXPECTED[name]
    report = cr.verify(load_dataset(name), cr.load_claims(path))
    assert {r.id: r.verdict for r in report.results} == EXPECTED[name]


def test_each_dataset_has_every_verdict_it_should() -> None:
    counts = {n: sorted(set(v.values())) for n, v in EXPECTED.items()}
    assert counts["student1908_sleep"] == sorted({OK, ALT, NOT, NA})
    assert counts["zea_mays_darwin1876"] == sorted({OK, NOT, NA})
    assert counts["simulated_registry"] == sorted({OK, ALT, NOT})


def test_the_alternatives_are_what_the_notes_say() -> None:
    """Student's SDs are found with divisor n, his probabilities rounded up (his complement
    truncated), the misnamed percent change under the other definition."""
    student = {r.id: r for r in cr.verify(load_dataset("student1908_sleep")).results}
    for claim_id in ("sd_1", "sd_2", "sd_difference", "sd_change", "sd_difference_text"):
        assert student[claim_id].departures == ("sd_ddof",)
        assert student[claim_id].specification["sd_ddof"] == 0
    for claim_id in ("prob_2", "prob_difference"):
        assert student[claim_id].departures == ("rounding",)
        assert student[claim_id].specification["rounding"] == "ceiling"
    registry = {r.id: r for r in cr.verify(load_dataset("simulated_registry")).results}
    misnamed = registry["ldl_percent_change_method_misnamed"]
    assert misnamed.departures == ("percent_change",)
    assert misnamed.specification["percent_change"] == "ratio_of_means"
