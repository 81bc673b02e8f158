"""Follow-up: quantiles under all nine types, correlation and slope against R, bands, TOST."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cohort_reanalysis.analyses._followup import followup_effect
from cohort_reanalysis.cohort import Cohort, load_dataset

R = json.loads((Path(__file__).parents[1] / "reference" / "msc58_R.json").read_text())
RULE = "follow-up ≤ 12 months | 12 < follow-up ≤ 36 months | follow-up > 36 months"


@pytest.fixture(scope="module")
def msc() -> Cohort:
    return load_dataset("matsuoka2025")


def _cohort(before, after, months) -> Cohort:
    frame = pd.DataFrame({"b": before, "a": after, "m": months})
    spec = {"name": "m", "unit": "months"}
    return Cohort.from_frame(
        frame,
        columns={"before": "b", "after": "a", "followup": spec},
        measure="score",
        unit="points",
    )


def test_default_quartiles_match_r_type7(msc: Cohort) -> None:
    res = followup_effect(msc)
    q1, med, q3 = R["msc_months_quantiles_types1to9"]["by_type"]["7"]
    assert (res.q1, res.median, res.q3) == (q1, med, q3)
    assert res.iqr == q3 - q1
    assert "Excel QUARTILE.INC" in res.software


@pytest.mark.parametrize("r_type", range(1, 10))
def test_quantiles_all_types_match_r(msc: Cohort, r_type: int) -> None:
    expected = R["msc_months_quantiles_types1to9"]["by_type"][str(r_type)]
    table = followup_effect(msc).quantiles_all_types()
    row = table.loc[table["type"] == r_type].iloc[0]
    assert [row["q1"], row["median"], row["q3"]] == pytest.approx(expected, rel=1e-12)
    single = followup_effect(msc, quantile_type=r_type)
    assert [single.q1, single.median, single.q3] == pytest.approx(expected, rel=1e-12)


def test_quantile_type_by_name(msc: Cohort) -> None:
    res = followup_effect(msc, quantile_type="weibull")
    assert res.quantile_type == 6
    assert [res.q1, res.median, res.q3] == R["msc_months_quantiles_types1to9"]["by_type"]["6"]
    assert "Excel QUARTILE.EXC" in res.software
    assert list(followup_effect(msc).quantiles_all_types().columns) == [
        "type",
        "method",
        "q1",
        "median",
        "q3",
        "iqr",
        "software",
    ]


def test_correlations_and_slope_match_r_with_signs_flipped(msc: Cohort) -> None:
    # R used reduction = before - after; our change is its negative.
    res = followup_effect(msc)
    p = res.correlations["pearson"]
    ref = R["msc_cor_months_pearson"]
    assert p.estimate == pytest.approx(-ref["r"], rel=1e-9)
    assert p.pvalue == pytest.approx(ref["p"], rel=1e-9)
    assert (p.ci_low, p.ci_high) == pytest.approx([-ref["ci"][1], -ref["ci"][0]], rel=1e-9)
    assert p.statistic == pytest.approx(-ref["t"], rel=1e-9)
    s = res.correlations["spearman"]
    assert s.estimate == pytest.approx(-R["msc_cor_months_spearman"]["rho"], rel=1e-9)
    assert s.pvalue == pytest.approx(R["msc_cor_months_spearman"]["p"], rel=1e-9)
    lm = R["msc_lm_months"]
    m = res.model
    assert m is not None
    i = m.index("follow-up")
    assert m.coef[i] == pytest.approx(-lm["coef"][1], rel=1e-9)
    assert m.se[i] == pytest.approx(lm["se"][1], rel=1e-9)
    assert m.pvalue[i] == pytest.approx(lm["p"][1], rel=1e-9)
    assert (m.ci_low[i], m.ci_high[i]) == pytest.approx(
        [-lm["ci_slope"][1], -lm["ci_slope"][0]], rel=1e-9
    )
    assert res.slope == m.coef[i]


def test_tost_against_hand_computation_from_r_slope(msc: Cohort) -> None:
    lm = R["msc_lm_months"]
    b, se, df = -lm["coef"][1], lm["se"][1], 56
    low, high = -0.02, 0.02
    res = followup_effect(msc, equivalence_bounds=(low, high))
    e = res.equivalence
    assert e is not None
    p_expected = max(stats.t.sf((b - low) / se, df), stats.t.cdf((b - high) / se, df))
    assert e.pvalue == pytest.approx(p_expected, rel=1e-8)
    q = stats.t.ppf(0.95, df)
    assert (e.ci_low, e.ci_high) == pytest.approx((b - q * se, b + q * se), rel=1e-8)
    assert e.equivalent == (b - q * se > low and b + q * se < high)
    narrow = followup_effect(msc, equivalence_bounds=(-0.005, 0.005)).equivalence
    assert narrow is not None and not narrow.equivalent


def test_no_bounds_gives_reason_and_explains_why(msc: Cohort) -> None:
    res = followup_effect(msc)
    assert res.equivalence is None and "equivalence_bounds" in res.reasons["equivalence"]
    text = res.explain()
    assert "before looking at the data" in text and "circular" in text
    with pytest.raises(ValueError, match="low < high"):
        followup_effect(msc, equivalence_bounds=(0.1, -0.1))


def test_bands_boundary_and_paired_per_band(msc: Cohort) -> None:
    f = msc.frame
    res = followup_effect(msc)
    assert res.rule_text == RULE
    # Row 47 has 12 months, row 56 has 36 months: both fall in the lower band of each cutoff.
    assert 47 in res.bands[0].rows and 56 in res.bands[1].rows
    upper = followup_effect(msc, boundary="upper")
    assert 47 in upper.bands[1].rows and 56 in upper.bands[2].rows
    band = f[(f.months > 12) & (f.months <= 36)]
    ref = stats.ttest_rel(band.hba1c_after, band.hba1c_before)
    assert res.bands[1].paired is not None
    assert res.bands[1].paired.pvalue == pytest.approx(ref.pvalue, rel=1e-9)
    change = f.hba1c_after - f.hba1c_before
    groups = [
        change[f.months <= 12],
        change[(f.months > 12) & (f.months <= 36)],
        change[f.months > 36],
    ]
    assert res.tests[0].pvalue == pytest.approx(stats.kruskal(*groups).pvalue, rel=1e-10)


def test_explain_prints_quartiles_as_the_paper_and_names_the_quantile_type(msc: Cohort) -> None:
    text = followup_effect(msc).explain()
    # As the preprint and table_one print them: no padding zeros, no rounding away of 15.25.
    assert "from 6 to 68 months: median 35.5 months, IQR 15.25 to 45.75 months" in text
    assert "35.50" not in text
    assert (
        "using quantile type 7 of Hyndman & Fan (linear interpolation: the default of R and "
        "numpy, and what Excel QUARTILE.INC, " in text
    )
    assert ") (" not in text.split(". ")[0]  # one bracket, not two in a row
    other = followup_effect(msc, quantile_type=5).explain()
    assert "quantile type 5 of Hyndman & Fan (numpy's method 'hazen')" in other


def test_rule_text_printed_everywhere(msc: Cohort) -> None:
    from html import escape

    res = followup_effect(msc)
    assert RULE in str(res) and escape(RULE) in res._repr_html_() and RULE in res.explain()
    frame = res.to_frame()
    band_rows = frame["quantity"].str.contains("band") | frame["quantity"].str.startswith(
        "mean change"
    )
    assert frame.loc[band_rows, "note"].str.contains(RULE, regex=False).all()


def test_missing_followup_excluded_and_edge_cases() -> None:
    c = _cohort([10.0, 12, 14, 11, 13], [9.0, 10, 13, 11, 10], [6.0, np.nan, 24.0, 40.0, 50.0])
    res = followup_effect(c)
    assert res.n == 4 and [(x.row, x.reason) for x in res.excluded] == [(2, "followup missing")]
    same = _cohort([10.0, 12, 14], [9.0, 10, 13], [24.0, 24.0, 24.0])
    r2 = followup_effect(same)
    assert r2.correlations == {} and "constant" in r2.reasons["pearson"]
    assert r2.model is None and r2.reasons["model"]
    assert r2.bands[0].n == 0 and r2.bands[1].n == 3 and r2.bands[2].n == 0
    assert r2.median == 24.0


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_properties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 20
    before = rng.normal(50, 5, n)
    after = before - rng.normal(1, 2, n)
    months = rng.integers(3, 70, n).astype(float)
    base = followup_effect(_cohort(before, after, months))
    perm = rng.permutation(n)
    shuffled = followup_effect(_cohort(before[perm], after[perm], months[perm]))
    swapped = followup_effect(_cohort(after, before, months))
    years = followup_effect(_cohort(before, after, months / 12.0), bands=(1.0, 3.0))
    assert shuffled.median == base.median and shuffled.q1 == base.q1
    assert base.slope is not None
    assert shuffled.slope == pytest.approx(base.slope, rel=1e-9)
    assert swapped.slope == pytest.approx(-base.slope, rel=1e-9)
    assert years.slope == pytest.approx(base.slope * 12.0, rel=1e-9)
    for m, c in base.correlations.items():
        assert swapped.correlations[m].estimate == pytest.approx(-c.estimate, abs=1e-12)
        assert years.correlations[m].estimate == pytest.approx(c.estimate, abs=1e-12)
        assert years.correlations[m].pvalue == pytest.approx(c.pvalue, rel=1e-9)
