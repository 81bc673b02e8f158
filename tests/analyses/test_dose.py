"""Dose–response: correlations against R, dose groups, partial correlation, log-dose model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cohort_reanalysis.analyses._dose import dose_response
from cohort_reanalysis.cohort import Cohort, load_dataset

R = json.loads((Path(__file__).parents[1] / "reference" / "msc58_R.json").read_text())
RULE = "dose < 1000 million cells | dose ≥ 1000 million cells"


@pytest.fixture(scope="module")
def msc() -> Cohort:
    return load_dataset("matsuoka2025")


def _cohort(before, after, dose) -> Cohort:
    frame = pd.DataFrame({"b": before, "a": after, "d": dose})
    return Cohort.from_frame(
        frame, columns={"before": "b", "after": "a", "dose": "d"}, measure="score", unit="points"
    )


def test_correlations_match_r_with_reduction(msc: Cohort) -> None:
    res = dose_response(msc, direction="reduction")
    p, s, k = (res.correlations[m] for m in ("pearson", "spearman", "kendall"))
    ref = R["msc_cor_dose_pearson"]
    assert p.estimate == pytest.approx(ref["r"], rel=1e-9)
    assert p.pvalue == pytest.approx(ref["p"], rel=1e-9)
    assert (p.ci_low, p.ci_high) == pytest.approx(ref["ci"], rel=1e-9)
    assert s.estimate == pytest.approx(R["msc_cor_dose_spearman"]["rho"], rel=1e-9)
    assert s.pvalue == pytest.approx(R["msc_cor_dose_spearman"]["p"], rel=1e-9)
    assert k.estimate == pytest.approx(R["msc_cor_dose_kendall"]["tau"], abs=1e-12)
    assert k.pvalue == pytest.approx(R["msc_cor_dose_kendall"]["p"], rel=1e-9)


def test_change_direction_flips_signs(msc: Cohort) -> None:
    res = dose_response(msc)  # direction="change": after - before = -reduction
    p = res.correlations["pearson"]
    ref = R["msc_cor_dose_pearson"]
    assert p.estimate == pytest.approx(-ref["r"], rel=1e-9)
    assert p.pvalue == pytest.approx(ref["p"], rel=1e-9)
    assert (p.ci_low, p.ci_high) == pytest.approx([-ref["ci"][1], -ref["ci"][0]], rel=1e-9)
    assert res.correlations["spearman"].estimate == pytest.approx(
        -R["msc_cor_dose_spearman"]["rho"], rel=1e-9
    )
    red = dose_response(msc, direction="reduction")
    assert res.test.estimate is not None and red.test.estimate is not None
    assert res.test.estimate == pytest.approx(-red.test.estimate, rel=1e-12)
    assert res.test.pvalue == pytest.approx(red.test.pvalue, rel=1e-12)
    frame_c, frame_r = res.to_frame(), red.to_frame()
    rows = frame_c["quantity"].str.startswith("mean change")
    assert np.allclose(
        frame_c.loc[rows, "estimate"].to_numpy(),
        -frame_r.loc[rows.to_numpy(), "estimate"].to_numpy(),
    )
    assert np.allclose(
        frame_c.loc[rows, "ci_low"].to_numpy(), -frame_r.loc[rows.to_numpy(), "ci_high"].to_numpy()
    )


def test_default_groups_put_1000_in_upper_group(msc: Cohort) -> None:
    res = dose_response(msc)
    assert res.rule_text == RULE
    f = msc.frame
    assert [g.n for g in res.groups] == [
        int((f.dose_million < 1000).sum()),
        int((f.dose_million >= 1000).sum()),
    ]
    at_cutoff = f.index[f.dose_million == 1000].tolist()
    assert at_cutoff and set(at_cutoff) <= set(res.groups[1].rows.tolist())
    lower = dose_response(msc, boundary="lower")
    assert set(at_cutoff) <= set(lower.groups[0].rows.tolist())


def test_groups_and_between_test_against_scipy(msc: Cohort) -> None:
    f = msc.frame
    change = f.hba1c_after - f.hba1c_before
    res = dose_response(msc)
    lo, hi = change[f.dose_million < 1000], change[f.dose_million >= 1000]
    for g, part in zip(res.groups, (lo, hi), strict=True):
        assert g.paired is not None
        assert g.paired.estimate == pytest.approx(part.mean(), rel=1e-12)
        ci = stats.ttest_1samp(part, 0.0).confidence_interval()
        assert (g.paired.ci_low, g.paired.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-10)
    ref = stats.ttest_ind(hi, lo, equal_var=False)
    assert res.test.statistic == pytest.approx(ref.statistic, rel=1e-10)
    assert res.test.pvalue == pytest.approx(ref.pvalue, rel=1e-9)
    three = dose_response(msc, thresholds=[500.0, 1500.0])
    d = f.dose_million
    groups = [change[d < 500], change[(d >= 500) & (d < 1500)], change[d >= 1500]]
    assert three.test.method == "Kruskal–Wallis"
    assert three.test.pvalue == pytest.approx(stats.kruskal(*groups).pvalue, rel=1e-10)
    anova = three.tests[1]
    assert anova.method == "one-way ANOVA"
    assert anova.pvalue == pytest.approx(stats.f_oneway(*groups).pvalue, rel=1e-9)


def test_partial_correlation_matches_pingouin(msc: Cohort) -> None:
    import pingouin

    f = msc.frame.assign(reduction=lambda x: x.hba1c_before - x.hba1c_after)
    ref = pingouin.partial_corr(data=f, x="dose_million", y="reduction", covar="hba1c_before")
    res = dose_response(msc, direction="reduction")
    assert res.partial is not None
    assert res.partial.estimate == pytest.approx(float(ref["r"].iloc[0]), rel=1e-9)
    assert res.partial.pvalue == pytest.approx(float(ref["p_val"].iloc[0]), rel=1e-8)


def test_log_dose_model_matches_statsmodels(msc: Cohort) -> None:
    import statsmodels.api as sm

    f = msc.frame
    y = f.hba1c_after - f.hba1c_before
    x = sm.add_constant(
        pd.DataFrame({"baseline": f.hba1c_before, "log10(dose)": np.log10(f.dose_million)})
    )
    ref = sm.OLS(y, x).fit()
    res = dose_response(msc)
    assert res.model is not None
    assert res.model.coef == pytest.approx(ref.params.to_numpy(), rel=1e-9)
    assert res.model.se == pytest.approx(ref.bse.to_numpy(), rel=1e-9)
    assert res.model.pvalue == pytest.approx(ref.pvalues.to_numpy(), rel=1e-8)
    ci = ref.conf_int().to_numpy()
    assert res.model.ci_low == pytest.approx(ci[:, 0], rel=1e-9)


def test_zero_dose_left_out_of_model_only() -> None:
    c = _cohort(
        [10.0, 12, 14, 11, 13, 15, 9],
        [9.0, 10, 13, 11, 10, 12, 9],
        [0.0, 100, 100, 200, 200, 400, 400],
    )
    res = dose_response(c, thresholds=[150.0])
    assert res.n == 7 and res.correlations["pearson"].n == 7
    assert res.model is not None and res.model.n == 6
    assert [x.row for x in res.model_excluded] == [1]
    assert "cannot be logged" in res.model_excluded[0].reason
    assert 1 not in res.model_rows


def test_missing_doses_excluded_with_reason(msc: Cohort) -> None:
    frame = msc.frame
    frame.loc[[3, 10], "dose_million"] = np.nan
    c = Cohort.from_frame(frame, columns=list(msc.columns), measure="HbA1c", unit="%")
    res = dose_response(c)
    assert res.n == 56
    assert [(x.row, x.reason) for x in res.excluded] == [(3, "dose missing"), (10, "dose missing")]


def test_all_doses_equal_gives_reasons_not_nan() -> None:
    c = _cohort([10.0, 12, 14, 11, 13], [9.0, 10, 13, 11, 10], [500.0] * 5)
    res = dose_response(c)
    assert res.correlations == {}
    for key in ("pearson", "spearman", "kendall", "partial", "model"):
        assert res.reasons[key]
    assert "all doses are equal" in res.reasons["pearson"]
    assert res.partial is None and res.model is None
    frame = res.to_frame()
    missing = frame["estimate"].isna()
    assert (frame.loc[missing, "note"].str.len() > 0).all()
    assert "only 1 distinct value: 500 " in res.explain()


def test_dose_levels_and_left_out_rows_print_exactly_and_in_the_right_number() -> None:
    # A dose of 0 cannot be logged: one row left out of the model, in the singular.
    c = _cohort([10.0, 12, 14, 11, 13], [9.0, 10, 13, 11, 10], [0.0, 150.5, 150.5, 1200.0, 1200.0])
    res = dose_response(c, thresholds=[1000.0])
    text = res.explain()
    assert "0 (n = 1), 150.5 (n = 2), 1200 (n = 2)" in text  # not rounded to 150, 1.20e3
    assert "1 row with dose ≤ 0 was left out of the model only" in text
    assert "(s)" not in text and "(s)" not in " ".join(res.to_frame()["note"])
    assert res.model_excluded[0].reason == "dose 0 ≤ 0 cannot be logged (model only)"


def test_explain_mentions_few_dose_levels(msc: Cohort) -> None:
    text = dose_response(msc).explain()
    assert "6 distinct values: 100 million cells (n = 2), 400 million" in text and RULE in text
    assert "(s)" not in text
    assert RULE in str(dose_response(msc))


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([0.001, 1.0, 1000.0]))
def test_properties(seed: int, scale: float) -> None:
    rng = np.random.default_rng(seed)
    n = 20
    before = rng.normal(50, 5, n)
    after = before - rng.normal(1, 2, n)
    dose = rng.choice([100.0, 500.0, 1000.0, 2000.0], n)
    base = dose_response(_cohort(before, after, dose))
    perm = rng.permutation(n)
    shuffled = dose_response(_cohort(before[perm], after[perm], dose[perm]))
    swapped = dose_response(_cohort(after, before, dose))
    rescaled = dose_response(_cohort(before, after, dose * scale), thresholds=[1000.0 * scale])
    for m, c in base.correlations.items():
        assert shuffled.correlations[m].estimate == pytest.approx(c.estimate, abs=1e-12)
        assert swapped.correlations[m].estimate == pytest.approx(-c.estimate, abs=1e-12)
        assert swapped.correlations[m].pvalue == pytest.approx(c.pvalue, rel=1e-9)
        assert rescaled.correlations[m].estimate == pytest.approx(c.estimate, abs=1e-10)
        assert rescaled.correlations[m].pvalue == pytest.approx(c.pvalue, rel=1e-8)
    if base.test.estimate is not None:
        assert swapped.test.estimate == pytest.approx(-base.test.estimate, rel=1e-9)
        assert rescaled.test.pvalue == pytest.approx(base.test.pvalue, rel=1e-12)


def test_dose_response_without_a_dose_column_is_a_value_error_naming_it() -> None:
    frame = pd.DataFrame({"b": [7.0, 8, 9, 10], "a": [6.5, 7, 8.8, 9]})
    cohort = Cohort.from_frame(frame, columns={"before": "b", "after": "a"})
    with pytest.raises(ValueError, match=r"dose_response needs a 'dose' column.*b, a"):
        dose_response(cohort)
