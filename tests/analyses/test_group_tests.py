"""The between-strata tests (Welch's t, Kruskal–Wallis, ANOVA, Welch's ANOVA) against R's
examples, scipy, pingouin and the hand formulas."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cohort_reanalysis.analyses._group_tests import _welch_anova, compare_groups

# R's `sleep` data (Cushny & Peebles), the example of ?t.test.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
# Hollander & Wolfe (1973), p. 116: the example of R's ?kruskal.test.
HW_X = [2.9, 3.0, 2.5, 2.6, 3.2]
HW_Y = [3.8, 2.7, 4.0, 2.4]
HW_Z = [2.8, 3.4, 3.7, 2.2, 2.0]


def test_welch_t_matches_r_sleep_example() -> None:
    # R: t.test(extra ~ group, data = sleep): t = -1.8608, df = 17.776, p-value = 0.07939,
    # 95 percent confidence interval -3.3654832 0.2054832 (group 1 minus group 2).
    (t,) = compare_groups([SLEEP_2, SLEEP_1], ["2", "1"])
    assert t.method == "Welch t" and t.stated
    assert t.statistic == pytest.approx(-1.8608, abs=5e-5)
    assert t.df == pytest.approx(17.776, abs=5e-4)
    assert t.pvalue == pytest.approx(0.07939, abs=5e-6)
    assert t.ci_low == pytest.approx(-3.3654832, abs=5e-8)
    assert t.ci_high == pytest.approx(0.2054832, abs=5e-8)
    assert t.estimate == pytest.approx(0.75 - 2.33)


def test_welch_t_matches_scipy() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.normal(0, 1, 13), rng.normal(0.5, 2, 7)
    (t,) = compare_groups([a, b], ["a", "b"], confidence_level=0.9)
    ref = stats.ttest_ind(b, a, equal_var=False)
    ci = ref.confidence_interval(confidence_level=0.9)
    assert t.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert t.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    assert t.df == pytest.approx(ref.df, rel=1e-12)
    assert (t.ci_low, t.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-10)


def test_kruskal_matches_r_example_and_hand_formula() -> None:
    kw, anova, welch = compare_groups([HW_X, HW_Y, HW_Z], ["x", "y", "z"])
    # R: Kruskal-Wallis chi-squared = 0.77143, df = 2, p-value = 0.68
    assert kw.method == "Kruskal–Wallis" and kw.stated
    assert kw.statistic == pytest.approx(0.77143, abs=5e-6)
    assert kw.df == 2 and kw.pvalue == pytest.approx(0.68, abs=5e-3)
    # Hand formula (no ties here): H = 12/(N(N+1)) sum R_i^2/n_i - 3(N+1)
    allv = np.concatenate([HW_X, HW_Y, HW_Z])
    ranks = stats.rankdata(allv)
    sizes = [5, 4, 5]
    sums = [ranks[:5].sum(), ranks[5:9].sum(), ranks[9:].sum()]
    n = allv.size
    h = 12 / (n * (n + 1)) * sum(r * r / k for r, k in zip(sums, sizes, strict=True)) - 3 * (n + 1)
    assert kw.statistic == pytest.approx(h, rel=1e-12)
    assert not anova.stated and not welch.stated


def test_kruskal_with_ties_matches_tie_corrected_formula() -> None:
    groups = [[1.0, 2.0, 2.0, 3.0], [2.0, 3.0, 3.0, 5.0], [5.0, 5.0, 6.0]]
    kw = compare_groups(groups, ["a", "b", "c"])[0]
    allv = np.concatenate(groups)
    n = allv.size
    ranks = stats.rankdata(allv)
    pos = np.cumsum([0] + [len(g) for g in groups])
    h = 12 / (n * (n + 1)) * sum(
        ranks[pos[i] : pos[i + 1]].sum() ** 2 / len(groups[i]) for i in range(3)
    ) - 3 * (n + 1)
    _, counts = np.unique(allv, return_counts=True)
    h /= 1 - (counts**3 - counts).sum() / (n**3 - n)
    assert kw.statistic == pytest.approx(h, rel=1e-12)
    assert kw.pvalue == pytest.approx(stats.chi2.sf(h, 2), rel=1e-12)


def test_anova_matches_scipy_and_welch_anova_matches_pingouin() -> None:
    import pandas as pd
    import pingouin

    rng = np.random.default_rng(11)
    groups = [rng.normal(0, 1, 8), rng.normal(0.3, 2, 12), rng.normal(1.0, 0.5, 6)]
    _, anova, welch = compare_groups(groups, ["a", "b", "c"])
    ref = stats.f_oneway(*groups)
    assert anova.statistic == pytest.approx(ref.statistic, rel=1e-10)
    assert anova.pvalue == pytest.approx(ref.pvalue, rel=1e-9)
    assert (anova.df, anova.df_denominator) == (2.0, 23.0)
    frame = pd.DataFrame({"y": np.concatenate(groups), "g": np.repeat(["a", "b", "c"], [8, 12, 6])})
    pg = pingouin.welch_anova(data=frame, dv="y", between="g")
    assert welch.statistic == pytest.approx(float(pg["F"].iloc[0]), rel=1e-9)
    assert welch.df_denominator == pytest.approx(float(pg["ddof2"].iloc[0]), rel=1e-9)
    assert welch.pvalue == pytest.approx(float(pg["p_unc"].iloc[0]), rel=1e-8)


def test_welch_anova_of_two_groups_is_welch_t_squared() -> None:
    # R: oneway.test(extra ~ group, data = sleep): F = 3.4626, num df = 1, denom df = 17.776.
    w = _welch_anova([np.array(SLEEP_1), np.array(SLEEP_2)], ("1", "2"))
    assert w.statistic == pytest.approx(1.8608134674868526**2, rel=1e-12)
    assert w.statistic == pytest.approx(3.4626, abs=5e-5)
    assert w.df_denominator == pytest.approx(17.776, abs=5e-4)
    assert w.pvalue == pytest.approx(0.07939, abs=5e-6)


def test_empty_group_is_left_out_and_named() -> None:
    tests = compare_groups([[1.0, 2.0, 3.0], [], [4.0, 6.0, 9.0]], ["a", "b", "c"])
    assert len(tests) == 1 and tests[0].method == "Welch t"
    assert tests[0].groups == ("a", "c")
    assert "'b'" in tests[0].note


def test_group_of_one_gives_reason_not_nan() -> None:
    (t,) = compare_groups([[1.0, 2.0, 3.0], [5.0]], ["a", "b"])
    assert t.statistic is None and t.pvalue is None
    assert "'b' has n = 1" in (t.reason or "")
    kw, anova, welch = compare_groups([[1.0, 2.0], [5.0], [3.0, 4.0]], ["a", "b", "c"])
    assert kw.pvalue is not None and anova.pvalue is not None
    assert welch.pvalue is None and "at least 2" in (welch.reason or "")


def test_only_one_nonempty_group() -> None:
    (t,) = compare_groups([[1.0, 2.0], []], ["a", "b"])
    assert t.statistic is None and "fewer than two groups" in (t.reason or "")


def test_all_values_equal() -> None:
    (t,) = compare_groups([[1.0, 1.0], [1.0, 1.0]], ["a", "b"])
    assert t.statistic is None and t.reason
    kw = compare_groups([[1.0, 1.0], [1.0], [1.0]], ["a", "b", "c"])[0]
    assert kw.statistic is None and "equal" in (kw.reason or "")


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.01, 100.0))
def test_tests_invariant_to_order_and_scale(seed: int, scale: float) -> None:
    rng = np.random.default_rng(seed)
    groups = [rng.normal(0, 1, 6), rng.normal(0, 1, 5), rng.normal(0, 1, 7)]
    base = compare_groups(groups, ["a", "b", "c"])
    shuffled = compare_groups([rng.permutation(g) * scale for g in groups], ["a", "b", "c"])
    for x, y in zip(base, shuffled, strict=True):
        assert y.statistic == pytest.approx(x.statistic, rel=1e-8)
        assert y.pvalue == pytest.approx(x.pvalue, rel=1e-8, abs=1e-15)


# ------------------------------------------------------------------------- group comparisons


@pytest.mark.parametrize("seed", range(6))
def test_kruskal_matches_scipy_with_heavy_ties_and_unequal_groups(seed: int) -> None:
    rng = np.random.default_rng(seed)
    k = int(rng.integers(3, 7))
    groups = [rng.integers(0, 5, int(rng.integers(1, 30))).astype(float) for _ in range(k)]
    if np.ptp(np.concatenate(groups)) == 0:
        pytest.skip("all equal")
    kw = compare_groups(groups, [f"g{i}" for i in range(k)])[0]
    ref = stats.kruskal(*groups)
    assert kw.method == "Kruskal–Wallis"
    assert kw.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert kw.pvalue == pytest.approx(ref.pvalue, rel=1e-10)


@pytest.mark.parametrize("shift", [0.3, 3.0, 12.0])
def test_welch_t_matches_scipy_down_to_tiny_p(shift: float) -> None:
    rng = np.random.default_rng(int(shift * 10))
    a, b = rng.normal(0, 1, 40), rng.normal(shift, 3, 25)
    for level in (0.8, 0.95, 0.999):
        (t,) = compare_groups([a, b], ["a", "b"], confidence_level=level)
        ref = stats.ttest_ind(b, a, equal_var=False)
        ci = ref.confidence_interval(confidence_level=level)
        assert t.pvalue == pytest.approx(ref.pvalue, rel=1e-9)
        assert (t.ci_low, t.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-10)


def test_anova_p_values_are_the_f_survival_function() -> None:
    rng = np.random.default_rng(4)
    groups = [rng.normal(m, s, n) for m, s, n in ((0, 1, 9), (2, 2, 14), (1, 0.5, 5), (4, 1, 7))]
    _, anova, welch = compare_groups(groups, list("abcd"))
    assert anova.pvalue == pytest.approx(stats.f_oneway(*groups).pvalue, rel=1e-9)
    assert welch.pvalue == pytest.approx(
        stats.f.sf(welch.statistic, welch.df, welch.df_denominator), rel=1e-12
    )
