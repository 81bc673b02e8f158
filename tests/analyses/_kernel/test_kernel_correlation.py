"""The kernel's ranks and correlations against scipy.stats, R and brute force.

Average ranks (for Spearman and every rank test), Kendall's S counted in O(n log² n) and
tau-b with R's tie-corrected z; wide random cases, heavy ties and sizes where a slip in the
vectorised counting would show (the R values on Table 1 are in tests/analyses/test_kernel.py).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cohort_reanalysis.analyses._kernel import (
    average_ranks,
    correlation_test,
    kendall_s,
    kendall_tau_b,
    pearson_r,
    spearman_rho,
    t_from_r,
)
from cohort_reanalysis.analyses._kernel._correlation import _inversions


def _brute_force_s(x: np.ndarray, y: np.ndarray) -> int:
    sx = np.sign(x[:, None] - x[None, :])
    sy = np.sign(y[:, None] - y[None, :])
    return int((sx * sy)[np.triu_indices(x.size, 1)].sum())


# ------------------------------------------------------------------------------------ ranks


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([-2.0, -0.0, 0.0, 0.5, 1.0, 1e300, -1e-300]), max_size=40))
def test_rank_equals_rankdata_average_with_ties(values: list[float]) -> None:
    a = np.array(values, dtype=np.float64)
    ranks, ties = average_ranks(a)
    assert np.array_equal(ranks, stats.rankdata(a, method="average"))
    if a.size:
        assert ties.sum() == a.size
        assert np.array_equal(ties, np.unique(a, return_counts=True)[1])


def test_rank_large_with_ties_equals_rankdata() -> None:
    a = np.random.default_rng(0).integers(0, 500, 100_000).astype(np.float64)
    assert np.array_equal(average_ranks(a)[0], stats.rankdata(a))


# -------------------------------------------------------------------------- Pearson, Spearman


@pytest.mark.parametrize("seed", range(5))
def test_pearson_and_spearman_match_scipy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = np.round(rng.normal(size=40), 1)
    y = np.round(0.5 * x + rng.normal(size=40), 1)
    assert pearson_r(x, y) == pytest.approx(stats.pearsonr(x, y).statistic, rel=1e-13)
    assert spearman_rho(x, y) == pytest.approx(stats.spearmanr(x, y).statistic, rel=1e-13)
    test = correlation_test(x, y, "pearson")
    assert test.df == 38.0
    assert test.statistic == pytest.approx(t_from_r(test.estimate, 38.0), rel=1e-15)


def test_t_from_r_closed_forms_and_constant_raises() -> None:
    assert t_from_r(0.6, 16.0) == pytest.approx(3.0, rel=1e-15)  # 0.6 sqrt(16 / 0.64)
    assert t_from_r(-1.0, 5.0) == -math.inf
    with pytest.raises(ValueError, match="constant"):
        pearson_r([1.0, 1.0, 1.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="at least 3"):
        correlation_test([1.0, 2.0], [1.0, 2.0], "pearson")


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
    assert kendall_s(x, y) == _brute_force_s(x, y)


@pytest.mark.parametrize("n", [3, 10, 57, 500, 2500])
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
        assert kendall_s(x, y) == _brute_force_s(x, y)
    tau, z = kendall_tau_b(x, y)
    assert tau == pytest.approx(ref.statistic, rel=1e-14, abs=1e-15)
    assert 2 * stats.norm.sf(abs(z)) == pytest.approx(ref.pvalue, rel=1e-9)
    assert correlation_test(x, y, "kendall") == (tau, z, None)


def test_kendall_of_a_constant_raises() -> None:
    with pytest.raises(ValueError, match="constant"):
        kendall_tau_b([1.0, 2.0, 3.0], [4.0, 4.0, 4.0])
