"""Effect sizes, percent change, proportions, the slope, chi-squared and Fisher's test against
R (tests/reference/issue16_R.json), closed forms and edge cases."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from cohort_reanalysis.analyses._kernel import (
    chi2_test,
    clopper_pearson,
    cohens_d_av,
    cohens_d_between,
    cohens_d_rm,
    cohens_d_z,
    fisher_test,
    hedges_correction,
    hedges_g_av,
    hedges_g_between,
    percent_change,
    proportion,
    slope,
    uniroot,
)
from cohort_reanalysis.analyses._linear_model import ols
from cohort_reanalysis.cohort import load_dataset

REFERENCE = Path(__file__).resolve().parents[2] / "reference" / "issue16_R.json"
R = json.loads(REFERENCE.read_text(encoding="utf-8"))
ALTS = {"two.sided": "two-sided", "less": "less", "greater": "greater"}
EXACT9 = np.array([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30])
SHIFT9 = np.array([0.2, -0.1, 0.4, 0.3, 0.0, 0.5, -0.2, 0.6, 0.1])
TABLES = {
    "a": [[3, 1], [1, 5]],
    "b": [[12, 5], [3, 9]],
    "zero": [[0, 5], [4, 3]],
}


def close(ours: float, theirs: float, rel: float = 1e-9) -> bool:
    if abs(theirs) >= 1e308:
        return ours == math.copysign(math.inf, theirs)
    return math.isclose(ours, theirs, rel_tol=rel, abs_tol=1e-14)


def _cohort() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    c = load_dataset("matsuoka2025")
    return c.values("before"), c.values("after"), c.values("sex")


@pytest.mark.parametrize(
    ("key", "pair"),
    [("effects_change", "table"), ("effects_exact9", "exact9")],
)
def test_effect_sizes_of_change_match_lakens_formulas_in_r(key: str, pair: str) -> None:
    if pair == "table":
        before, after, _ = _cohort()
    else:
        before, after = EXACT9, EXACT9 + SHIFT9
    ref = R[key]
    assert close(cohens_d_z(before, after), ref["d_z"])
    assert close(cohens_d_av(before, after), ref["d_av"])
    assert close(cohens_d_rm(before, after), ref["d_rm"])
    assert close(hedges_g_av(before, after), ref["g_av"])
    assert close(hedges_g_av(before, after, exact=True), ref["g_av_exact"])


def test_effect_sizes_row_by_row_and_closed_forms() -> None:
    rng = np.random.default_rng(3)
    before = rng.normal(8, 1, (4, 15))
    after = before + rng.normal(-0.5, 0.7, (4, 15))
    for fn in (cohens_d_z, cohens_d_av, cohens_d_rm, hedges_g_av):
        rows = fn(before, after)
        for i in range(4):
            assert rows[i] == pytest.approx(fn(before[i], after[i]), rel=1e-13)
    # Equal SDs and r = 0.5: d_rm = d_z (sqrt(2 (1 - r)) = 1).
    b = np.array([1.0, 2.0, 3.0, 4.0])
    a = np.array([2.0, 4.0, 1.0, 3.0]) + 1.0
    r = np.corrcoef(b, a)[0, 1]
    assert cohens_d_rm(b, a) == pytest.approx(cohens_d_z(b, a) * math.sqrt(2 * (1 - r)))
    # J: Lakens' eq. 4 with df = n1 + n2 - 2 is 1 - 3 / (4 (n1 + n2) - 9).
    assert hedges_correction(18.0) == pytest.approx(1 - 3 / (4 * 20 - 9), rel=1e-15)
    assert hedges_correction(1e6, exact=True) == pytest.approx(1.0, abs=1e-6)
    with pytest.raises(ValueError, match="2\\+ pairs"):
        cohens_d_z([1.0], [2.0])


def test_between_group_d_and_g_match_r() -> None:
    before, after, sex = _cohort()
    change = after - before
    male, female = change[sex == "M"], change[sex == "F"]
    assert close(cohens_d_between(male, female), R["between_sex"]["d_s"])
    assert close(hedges_g_between(male, female), R["between_sex"]["g_s"])
    with pytest.raises(ValueError, match="2\\+ values"):
        cohens_d_between([1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="pooled SD is 0"):
        cohens_d_between([1.0, 1.0], [2.0, 2.0])


def test_percent_change_both_definitions_match_r() -> None:
    before, after, _ = _cohort()
    ref = R["percent_change"]
    assert close(percent_change(before, after), ref["mean_of_ratios"])
    assert close(percent_change(before, after, method="ratio_of_means"), ref["ratio_of_means"])
    rows = percent_change(np.vstack([before, after]), np.vstack([after, before]))
    assert rows[0] == pytest.approx(ref["mean_of_ratios"], rel=1e-13)
    with pytest.raises(ValueError, match="baseline value is 0"):
        percent_change([0.0, 1.0], [1.0, 1.0])
    with pytest.raises(ValueError, match="method"):
        percent_change([1.0], [1.0], method="median")
    assert percent_change([2.0], [2.0]) == 0.0  # n = 1 is defined


def test_proportion_and_clopper_pearson_match_binom_test() -> None:
    before, after, _ = _cohort()
    ref = R["proportion_improved"]
    res = proportion(after - before < 0)
    assert (res.k, res.n) == (ref["k"], ref["n"]) and close(res.estimate, ref["estimate"])
    assert close(res.ci_low, ref["ci"][0]) and close(res.ci_high, ref["ci"][1])
    low, high = clopper_pearson(res.k, res.n, confidence_level=0.9)
    assert close(low, ref["ci90"][0]) and close(high, ref["ci90"][1])
    for key, k in (("ci_0_of_10", 0), ("ci_10_of_10", 10)):
        low, high = clopper_pearson(k, 10)
        assert close(low, ref[key][0]) and close(high, ref[key][1])
    assert clopper_pearson(0, 10)[1] == pytest.approx(1 - 0.025**0.1, rel=1e-12)  # closed form
    with pytest.raises(ValueError, match="no rows"):
        proportion([])


def test_slope_matches_lm_and_ols() -> None:
    before, after, _ = _cohort()
    ref = R["slope_after_on_before"]
    s = slope(before, after)
    assert close(s.estimate, ref["est"]) and close(s.se, ref["se"]) and close(s.statistic, ref["t"])
    assert s.df == ref["df"] and close(s.pvalue, ref["p"]) and close(s.intercept, ref["intercept"])
    assert close(s.ci_low, ref["ci"][0]) and close(s.ci_high, ref["ci"][1])
    s90 = slope(before, after, confidence_level=0.9)
    assert close(s90.ci_low, ref["ci90"][0]) and close(s90.ci_high, ref["ci90"][1])
    fit = ols(after, {"before": before})
    assert fit.coef[1] == s.estimate and fit.se[1] == s.se
    with pytest.raises(ValueError, match="x is constant"):
        slope([1.0, 1.0, 1.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="3\\+ complete pairs"):
        slope([1.0, 2.0, np.nan], [1.0, 2.0, 3.0])


@pytest.mark.parametrize(
    ("key", "table", "correct"),
    [
        ("chisq_fisher_b", TABLES["b"], True),
        ("chisq_rxc", [[2, 3, 1], [4, 0, 2], [1, 3, 5]], True),
    ],
)
def test_chi_squared_matches_chisq_test(key: str, table: list[list[int]], correct: bool) -> None:
    ref = R[key]
    res = chi2_test(table, correct=correct)
    assert close(res.statistic, ref["x2"]) and res.df == ref["df"] and close(res.pvalue, ref["p"])
    assert np.allclose(res.expected.ravel(), ref["expected"], rtol=1e-12)


def _sex_by_improved() -> list[list[int]]:
    before, after, sex = _cohort()
    improved = after - before < 0
    return [[int(np.sum((sex == s) & (improved == v))) for v in (False, True)] for s in "FM"]


@pytest.mark.parametrize("correct", [True, False])
def test_chi_squared_on_the_table_with_and_without_yates(correct: bool) -> None:
    ref = R["chisq_sex_improved" if correct else "chisq_sex_improved_nocorrect"]
    res = chi2_test(_sex_by_improved(), correct=correct)
    assert close(res.statistic, ref["x2"]) and close(res.pvalue, ref["p"])
    assert res.warnings == ("Chi-squared approximation may be incorrect",)
    # Yates only on 2 x 2: a 2 x 3 table is uncorrected whatever correct says.
    t = [[10, 20, 5], [20, 10, 15]]
    assert chi2_test(t, correct=True).statistic == chi2_test(t, correct=False).statistic


def test_chi_squared_closed_form_and_errors() -> None:
    res = chi2_test([[10, 20], [20, 10]], correct=False)
    assert res.statistic == pytest.approx(4 * 25 / 15, rel=1e-14)
    yates = chi2_test([[10, 20], [20, 10]])
    assert yates.statistic == pytest.approx(4 * 4.5**2 / 15, rel=1e-14)
    with pytest.raises(ValueError, match="sums to 0"):
        chi2_test([[0, 0], [1, 2]])
    with pytest.raises(ValueError, match="2\\+ rows"):
        chi2_test([[1, 2]])


@pytest.mark.parametrize("name", list(TABLES))
@pytest.mark.parametrize("alt", list(ALTS))
def test_fisher_matches_fisher_test(name: str, alt: str) -> None:
    ref = R["fisher"][name][alt]
    res = fisher_test(TABLES[name], alternative=ALTS[alt])
    assert close(res.pvalue, ref["p"]) and close(res.odds_ratio, ref["or"])
    assert close(res.ci_low, ref["ci"][0]) and close(res.ci_high, ref["ci"][1])


def test_fisher_level_and_table_cases() -> None:
    ref = R["fisher_b_level90"]
    res = fisher_test(TABLES["b"], confidence_level=0.9)
    assert close(res.ci_low, ref["ci"][0]) and close(res.ci_high, ref["ci"][1])
    ref = R["fisher_sex_improved"]
    res = fisher_test(_sex_by_improved())
    assert close(res.pvalue, ref["p"]) and close(res.odds_ratio, ref["or"])
    assert close(res.ci_low, ref["ci"][0]) and close(res.ci_high, ref["ci"][1])
    # Closed form: [[3, 1], [1, 5]] has margins 4, 6 / 4, 6: P(a) = C(4,a) C(6,4-a) / C(10,4).
    probs = [math.comb(4, a) * math.comb(6, 4 - a) / 210 for a in range(5)]
    two_sided = sum(p for p in probs if p <= probs[3] * (1 + 1e-7))
    assert fisher_test(TABLES["a"]).pvalue == pytest.approx(two_sided, rel=1e-12)
    with pytest.raises(ValueError, match="2 x 2 tables only, got 3 x 3"):
        fisher_test([[2, 3, 1], [4, 0, 2], [1, 3, 5]])


def test_uniroot_stops_where_r_does() -> None:
    assert uniroot(lambda x: x - 0.3, 0.0, 1.0) == pytest.approx(0.3, abs=1e-12)  # linear: exact
    assert uniroot(lambda x: x, 0.0, 1.0) == 0.0  # a root at an end
    with pytest.raises(ValueError, match="opposite sign"):
        uniroot(lambda x: x + 1.0, 0.0, 1.0)
