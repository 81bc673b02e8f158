"""The scipy.stats-free replacements agree with scipy.stats and with brute force.

Average ranks (for Spearman), Kendall's S counted in O(n log² n), Welch's t, Kruskal–Wallis
and the ANOVA p-values from scipy.special, and the t quantities of regression_to_mean.
Other files test the same functions against R; these add wider random cases, heavy ties
and sizes where a slip in the vectorised counting would show.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cohort_reanalysis.analyses._correlation import (
    _inversions,
    _kendall,
    _kendall_s,
    _rank,
    correlate,
)
from cohort_reanalysis.analyses._rtm import regression_to_mean
from cohort_reanalysis.analyses._strata import compare_groups
from cohort_reanalysis.cohort import PairedData


def _brute_force_s(x: np.ndarray, y: np.ndarray) -> int:
    sx = np.sign(x[:, None] - x[None, :])
    sy = np.sign(y[:, None] - y[None, :])
    return int((sx * sy)[np.triu_indices(x.size, 1)].sum())


# ------------------------------------------------------------------------------------ ranks


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([-2.0, -0.0, 0.0, 0.5, 1.0, 1e300, -1e-300]), max_size=40))
def test_rank_equals_rankdata_average_with_ties(values: list[float]) -> None:
    a = np.array(values, dtype=np.float64)
    assert np.array_equal(_rank(a), stats.rankdata(a, method="average"))


def test_rank_large_with_ties_equals_rankdata() -> None:
    a = np.random.default_rng(0).integers(0, 500, 100_000).astype(np.float64)
    assert np.array_equal(_rank(a), stats.rankdata(a))


# ---------------------------------------------------------------------------------- Kendall


@pytest.mark.parametrize(
    ("seq", "expected"),
    [([], 0), ([0], 0), ([3, 3, 3], 0), ([0, 1, 2, 3], 0), ([3, 2, 1, 0], 6), ([1, 0, 1, 0], 3)],
)
def test_inversions_small_cases(seq: list[int], expected: int) -> None:
    assert _inversions(np.array(seq, dtype=np.int64)) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=2, max_size=50
    )  # heavy ties in x, y and both
)
def test_kendall_s_equals_brute_force(pairs: list[tuple[int, int]]) -> None:
    x = np.array([p[0] for p in pairs], dtype=np.float64)
    y = np.array([p[1] for p in pairs], dtype=np.float64)
    assert _kendall_s(x, y) == _brute_force_s(x, y)


@pytest.mark.parametrize("n", [3, 10, 57, 500, 3000])
@pytest.mark.parametrize("levels", [None, 3, 40])
def test_kendall_tau_and_p_match_scipy(n: int, levels: int | None) -> None:
    rng = np.random.default_rng(n + (levels or 0))
    x = rng.normal(size=n)
    y = 0.4 * x + rng.normal(size=n)
    if levels is not None:  # ties in both
        x = np.floor(x * levels / 4.0)
        y = np.floor(y * levels / 4.0)
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        pytest.skip("constant after flooring")
    ref = stats.kendalltau(x, y, method="asymptotic")
    if n <= 500:
        s = _brute_force_s(x, y)
        assert _kendall_s(x, y) == s
        # tau-b from the exact S and the tied pairs, as scipy divides it.
        assert _kendall(x, y)[0] == pytest.approx(ref.statistic, rel=1e-14, abs=1e-15)
    res = correlate(x, y, method="kendall")
    assert res.estimate == pytest.approx(ref.statistic, rel=1e-14, abs=1e-15)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-9)


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


# ---------------------------------------------------------------------- regression to mean


def test_rtm_observed_ci_and_net_test_match_scipy_one_sample_t() -> None:
    rng = np.random.default_rng(9)
    before = rng.normal(8.0, 1.0, 30) + 1.0
    after = before - 0.4 + rng.normal(0, 0.8, 30)
    pairs = PairedData(before, after, np.arange(1, 31), ())
    res = regression_to_mean(pairs, reliability=0.8, cutoff=7.0, confidence_level=0.9)
    d = after - before
    ci = stats.ttest_1samp(d, 0.0).confidence_interval(confidence_level=0.9)
    assert (res.observed_ci_low, res.observed_ci_high) == pytest.approx((ci.low, ci.high))
    assert res.expected_change is not None
    ref = stats.ttest_1samp(d, res.expected_change)
    assert res.net_pvalue == pytest.approx(ref.pvalue, rel=1e-9)
    assert res.net_statistic == pytest.approx(ref.statistic, rel=1e-12)
