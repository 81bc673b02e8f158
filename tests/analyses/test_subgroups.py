"""Severity subgroups: strata by baseline with the boundary stated, paired per stratum, between."""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cohort_reanalysis.analyses._subgroups import severity_subgroups
from cohort_reanalysis.cohort import Cohort, load_dataset

RULE = "HbA1c ≤ 8 % | HbA1c > 8 %"


@pytest.fixture(scope="module")
def msc() -> Cohort:
    return load_dataset("matsuoka2025")


def _cohort(before, after, **extra) -> Cohort:
    frame = pd.DataFrame({"b": before, "a": after, **extra})
    columns = {"before": "b", "after": "a", **{k: k for k in extra}}
    return Cohort.from_frame(frame, columns=columns, measure="score", unit="points")


def test_matsuoka_strata_and_paired_t(msc: Cohort) -> None:
    res = severity_subgroups(msc)
    f = msc.frame
    low = f[f.hba1c_before <= 8.0]
    high = f[f.hba1c_before > 8.0]
    assert res.sizes == {"HbA1c ≤ 8 %": len(low), "HbA1c > 8 %": len(high)}
    assert res.rule_text == RULE
    for summary, part in zip(res.subgroups, (low, high), strict=True):
        ref = stats.ttest_rel(part.hba1c_after, part.hba1c_before)
        assert summary.paired is not None
        assert summary.paired.estimate == pytest.approx(
            (part.hba1c_after - part.hba1c_before).mean(), rel=1e-12
        )
        assert summary.paired.statistic == pytest.approx(ref.statistic, rel=1e-10)
        assert summary.paired.pvalue == pytest.approx(ref.pvalue, rel=1e-9)
        assert summary.rows.tolist() == part.index.tolist()
    ref = stats.ttest_ind(
        high.hba1c_after - high.hba1c_before, low.hba1c_after - low.hba1c_before, equal_var=False
    )
    assert res.test.method == "Welch t"
    assert res.test.statistic == pytest.approx(ref.statistic, rel=1e-10)
    assert res.test.pvalue == pytest.approx(ref.pvalue, rel=1e-9)
    assert res.n == 58 and res.n_excluded == 0


def test_boundary_value_lands_in_stated_stratum(msc: Cohort) -> None:
    # Row 43 has HbA1c before = 8.0 exactly.
    assert msc.frame.loc[43, "hba1c_before"] == 8.0
    lower = severity_subgroups(msc, boundary="lower")
    upper = severity_subgroups(msc, boundary="upper")
    assert 43 in lower.subgroups[0].rows and 43 not in lower.subgroups[1].rows
    assert 43 in upper.subgroups[1].rows and 43 not in upper.subgroups[0].rows
    assert upper.rule_text == "HbA1c < 8 % | HbA1c ≥ 8 %"
    assert [s.n for s in upper.subgroups] == [lower.subgroups[0].n - 1, lower.subgroups[1].n + 1]


def test_rule_text_printed_everywhere(msc: Cohort) -> None:
    res = severity_subgroups(msc, labels=["moderate", "severe"])
    assert RULE in str(res)
    assert escape(RULE) in res._repr_html_()
    assert RULE in res.explain()
    notes = res.to_frame()["note"]
    assert notes.str.contains(RULE, regex=False).all()


def test_explain_warns_about_regression_to_the_mean(msc: Cohort) -> None:
    text = severity_subgroups(msc).explain()
    assert "regression to the mean" in text
    assert "no treatment effect" in text


def test_three_strata_use_kruskal(msc: Cohort) -> None:
    res = severity_subgroups(msc, cutoffs=[7.0, 8.0])
    change = msc.frame.hba1c_after - msc.frame.hba1c_before
    before = msc.frame.hba1c_before
    groups = [change[before <= 7], change[(before > 7) & (before <= 8)], change[before > 8]]
    assert res.test.method == "Kruskal–Wallis"
    ref = stats.kruskal(*groups)
    assert res.test.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.test.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    assert [t.method for t in res.tests] == ["Kruskal–Wallis", "one-way ANOVA", "Welch ANOVA"]


def test_empty_stratum_listed_with_reason(msc: Cohort) -> None:
    res = severity_subgroups(msc, cutoffs=[8.0, 20.0])
    empty = res.subgroups[2]
    assert empty.n == 0 and empty.paired is None and "no patients" in (empty.reason or "")
    row = res.to_frame().iloc[2]
    assert row["n"] == 0 and "no patients" in row["note"]
    assert res.test.method == "Welch t"  # the two non-empty strata
    assert "no patients" in res.test.note


def test_stratum_of_one_patient(msc: Cohort) -> None:
    res = severity_subgroups(msc, cutoffs=[12.0])  # only 12.4 lies above
    one = res.subgroups[1]
    assert one.n == 1 and one.paired is not None
    assert one.paired.statistic is None and "n = 1" in one.paired.reasons["statistic"]
    assert res.test.statistic is None and "n = 1" in (res.test.reason or "")
    frame = res.to_frame()
    assert "n = 1" in frame.iloc[1]["note"]


def test_missing_values_are_excluded_with_reason() -> None:
    c = _cohort([80.0, 90.0, 100.0, 110.0, np.nan], [79.0, 88.0, np.nan, 104.0, 90.0])
    res = severity_subgroups(c, cutoffs=[95.0])
    assert res.n == 3
    assert {x.row for x in res.excluded} == {3, 5}
    assert "missing" in res.excluded[0].reason


def test_other_variable_with_missing_values() -> None:
    c = _cohort(
        [80.0, 90.0, 100.0, 110.0, 95.0],
        [79.0, 88.0, 97.0, 104.0, 90.0],
        age=[40.0, 50.0, np.nan, 70.0, 60.0],
    )
    res = severity_subgroups(c, variable="age", cutoffs=[55.0])
    assert res.n == 4 and [x.row for x in res.excluded] == [3]
    assert res.excluded[0].reason == "age missing"
    assert res.rule_text == "age ≤ 55 years | age > 55 years"


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_row_order_invariance_and_swap(seed: int) -> None:
    rng = np.random.default_rng(seed)
    before = np.round(rng.normal(100, 10, 24), 1)
    after = np.round(before - rng.normal(2, 3, 24), 1)
    base = severity_subgroups(_cohort(before, after), cutoffs=[100.0])
    perm = rng.permutation(24)
    shuffled = severity_subgroups(_cohort(before[perm], after[perm]), cutoffs=[100.0])
    for a, b in zip(base.subgroups, shuffled.subgroups, strict=True):
        assert a.n == b.n
        if a.paired is not None and b.paired is not None:
            assert b.paired.estimate == pytest.approx(a.paired.estimate, abs=1e-12)
    if base.test.pvalue is not None:
        assert shuffled.test.pvalue == pytest.approx(base.test.pvalue, rel=1e-9)
    # Swapping before and after, and cutting on "after", flips the sign of every change.
    swapped = severity_subgroups(_cohort(after, before), cutoffs=[100.0], variable="after")
    for a, b in zip(base.subgroups, swapped.subgroups, strict=True):
        assert a.n == b.n
        if a.paired is not None and b.paired is not None:
            assert b.paired.estimate == pytest.approx(-a.paired.estimate, abs=1e-12)
    if base.test.statistic is not None:
        assert swapped.test.statistic == pytest.approx(-base.test.statistic, rel=1e-9)
        assert swapped.test.pvalue == pytest.approx(base.test.pvalue, rel=1e-9)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([0.001, 0.1, 10.0, 1000.0]))
def test_unit_rescaling_leaves_p_unchanged(seed: int, scale: float) -> None:
    rng = np.random.default_rng(seed)
    before = rng.normal(100, 10, 20)
    after = before - rng.normal(2, 3, 20)
    base = severity_subgroups(_cohort(before, after), cutoffs=[100.0])
    scaled = severity_subgroups(_cohort(before * scale, after * scale), cutoffs=[100.0 * scale])
    assert [s.n for s in scaled.subgroups] == [s.n for s in base.subgroups]
    if base.test.pvalue is not None and base.test.estimate is not None:
        assert scaled.test.pvalue == pytest.approx(base.test.pvalue, rel=1e-8)
        assert scaled.test.estimate == pytest.approx(base.test.estimate * scale, rel=1e-8)
