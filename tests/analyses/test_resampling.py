"""Tests of the seeded bootstrap CI of a mean and the sign-flip test.

Oracles: scipy.stats.bootstrap and scipy.stats.permutation_test (Monte Carlo
tolerances justified below), exact enumeration of all sign patterns, coverage by
simulation with a known mean, and the plain per-resample loops below (the "numpy
floor"), which draw the same random numbers one resample at a time.
"""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cohort_reanalysis.analyses import _resampling
from cohort_reanalysis.analyses._resampling import bootstrap_mean_ci, sign_flip_test

# --- the numpy floor: one Python iteration per resample --------------------------------


def floor_bootstrap_means(x: np.ndarray, n_resamples: int, seed: int) -> np.ndarray:
    """Plain loop, one resample at a time, same random stream as the module."""
    rng = np.random.default_rng(seed)
    n = x.size
    return np.array([x[rng.integers(0, n, size=n)].mean() for _ in range(n_resamples)])


def floor_sign_flip_pvalue(d: np.ndarray, n_resamples: int, seed: int) -> float:
    """Plain loop, one sign pattern at a time, same random bits as the module."""
    rng = np.random.default_rng(seed)
    n = d.size
    row_bytes = 4 * math.ceil(n / 32)
    observed = abs(d.sum())
    hits = 0
    for _ in range(n_resamples):
        bits = np.unpackbits(rng.integers(0, 256, size=row_bytes, dtype=np.uint8), count=n)
        signs = 2.0 * bits - 1.0
        hits += abs(signs @ d) >= observed - 1e-9
    return (1 + hits) / (n_resamples + 1)


def exact_sign_flip_pvalue(d: np.ndarray) -> float:
    """All 2^n sign patterns: the exact two-sided permutation p-value."""
    signs = np.array(list(itertools.product([-1.0, 1.0], repeat=d.size)))
    sums = signs @ d
    return float(np.mean(np.abs(sums) >= abs(d.sum()) - 1e-9))


X58 = np.random.default_rng(58).gamma(2.0, 1.0, 58)  # skewed, so BCa differs from percentile


# --- reproducibility ---------------------------------------------------------------------


def test_bootstrap_equals_the_floor_loop_draw_for_draw() -> None:
    res = bootstrap_mean_ci(X58, n_resamples=3000, seed=11, method="percentile")
    np.testing.assert_allclose(res.distribution, floor_bootstrap_means(X58, 3000, 11), rtol=1e-14)
    assert res.ci_low == pytest.approx(np.quantile(res.distribution, 0.025), rel=1e-15)


def test_sign_flip_equals_the_floor_loop() -> None:
    d = np.random.default_rng(4).normal(0.3, 1.0, 40)
    res = sign_flip_test(d, n_resamples=2000, seed=8)
    assert res.pvalue == floor_sign_flip_pvalue(d, 2000, 8)


def test_same_seed_same_result_and_chunking_invariance(monkeypatch: pytest.MonkeyPatch) -> None:
    a = bootstrap_mean_ci(X58, n_resamples=2000, seed=5)
    b = bootstrap_mean_ci(X58, n_resamples=2000, seed=5)
    assert (a.ci_low, a.ci_high) == (b.ci_low, b.ci_high)
    assert np.array_equal(a.distribution, b.distribution)
    p = sign_flip_test(X58 - 2.0, n_resamples=2000, seed=5)
    # Tiny chunks must give the same numbers: the random streams do not depend on chunking.
    monkeypatch.setattr(_resampling, "_CHUNK_BYTES", 3000)
    c = bootstrap_mean_ci(X58, n_resamples=2000, seed=5)
    assert np.array_equal(a.distribution, c.distribution)
    assert sign_flip_test(X58 - 2.0, n_resamples=2000, seed=5) == p


def test_different_seeds_differ_and_generators_are_accepted() -> None:
    a = bootstrap_mean_ci(X58, n_resamples=500, seed=1)
    b = bootstrap_mean_ci(X58, n_resamples=500, seed=2)
    assert not np.array_equal(a.distribution, b.distribution)
    g = bootstrap_mean_ci(X58, n_resamples=500, seed=np.random.default_rng(1))
    assert np.array_equal(a.distribution, g.distribution)
    assert "Generator" in g.seed and a.seed == "seed=1"


def test_unseeded_run_records_a_replayable_seed() -> None:
    res = bootstrap_mean_ci(X58, n_resamples=300, seed=None)
    match = re.fullmatch(r"seed=(\d+) \(fresh OS entropy\)", res.seed)
    assert match is not None
    again = bootstrap_mean_ci(X58, n_resamples=300, seed=int(match.group(1)))
    assert np.array_equal(res.distribution, again.distribution)


def test_distribution_is_read_only_and_sized() -> None:
    res = bootstrap_mean_ci(X58, n_resamples=400, seed=0)
    assert res.n_resamples == res.distribution.size == 400 and res.n == 58
    with pytest.raises(ValueError):
        res.distribution[0] = 0.0


# --- against scipy -------------------------------------------------------------------------

# Tolerance for comparing two independent Monte Carlo bootstrap intervals, B = 20000 each.
# A bootstrap quantile at p = 0.025 has Monte Carlo SD of about
# sqrt(p (1 - p) / B) / f(q), where f(q) ~ phi(1.96) / SE is the density of the (near-normal)
# bootstrap distribution of the mean: 0.0011 / 0.058 * SE = 0.019 SE. The difference of two
# independent runs has SD 0.027 SE; 0.15 SE is about 5.5 SD. BCa moves the quantile levels a
# little further into the tail, where the density is lower, so it gets 0.2 SE.


@pytest.mark.parametrize(
    ("method", "scipy_method", "tol"), [("percentile", "percentile", 0.15), ("bca", "BCa", 0.2)]
)
def test_matches_scipy_bootstrap(method: str, scipy_method: str, tol: float) -> None:
    se = X58.std(ddof=1) / math.sqrt(X58.size)
    ours = bootstrap_mean_ci(X58, n_resamples=20_000, seed=123, method=method)  # type: ignore[arg-type]
    ref = stats.bootstrap(
        (X58,), np.mean, n_resamples=20_000, method=scipy_method, rng=np.random.default_rng(321)
    ).confidence_interval
    assert abs(ours.ci_low - ref.low) < tol * se
    assert abs(ours.ci_high - ref.high) < tol * se


def test_bca_moves_the_interval_for_skewed_data() -> None:
    # Right-skewed data: BCa shifts the interval to the right of the percentile one.
    pct = bootstrap_mean_ci(X58, n_resamples=20_000, seed=9, method="percentile")
    bca = bootstrap_mean_ci(X58, n_resamples=20_000, seed=9, method="bca")
    assert bca.ci_high > pct.ci_high and bca.ci_low > pct.ci_low


def test_bootstrap_coverage_for_a_normal_mean() -> None:
    # 400 samples of n = 30 from N(2, 1); 1000 resamples each. The percentile interval is
    # about x-bar +/- 1.96 s_n / sqrt(n), true coverage ~0.94; Monte Carlo SD ~0.012.
    rng = np.random.default_rng(77)
    sims, hits = 400, 0
    for row in rng.normal(2.0, 1.0, size=(sims, 30)):
        res = bootstrap_mean_ci(row, n_resamples=1000, seed=rng, method="percentile")
        hits += res.ci_low <= 2.0 <= res.ci_high
    assert 0.90 <= hits / sims <= 0.98


def test_permutation_p_matches_exact_enumeration_and_scipy() -> None:
    d = np.array([0.9, -0.4, 1.3, 0.2, 0.8, -0.1, 1.1, 0.6, -0.7, 0.5, 1.4, 0.3])
    exact = exact_sign_flip_pvalue(d)
    # scipy enumerates all 2^12 patterns itself; its two-sided p is 2 * min(one-sided),
    # equal to ours for the symmetric sign-flip null.
    scipy_exact = stats.permutation_test(
        (d,), np.mean, permutation_type="samples", n_resamples=np.inf
    ).pvalue
    assert scipy_exact == pytest.approx(exact, rel=1e-12)
    res = sign_flip_test(d, n_resamples=20_000, seed=3)
    # Monte Carlo SD of the estimate: sqrt(p (1 - p) / B) <= 0.0035 here; allow 5 SD.
    assert abs(res.pvalue - exact) < 5 * math.sqrt(exact * (1 - exact) / 20_000) + 1e-4


@pytest.mark.parametrize("alternative", ["greater", "less"])
def test_one_sided_against_scipy(alternative: str) -> None:
    d = np.array([0.9, -0.4, 1.3, 0.2, 0.8, -0.1, 1.1, 0.6, -0.7, 0.5])
    ref = stats.permutation_test(
        (d,), np.mean, permutation_type="samples", n_resamples=np.inf, alternative=alternative
    ).pvalue
    res = sign_flip_test(d, n_resamples=20_000, seed=4, alternative=alternative)  # type: ignore[arg-type]
    assert abs(res.pvalue - ref) < 5 * math.sqrt(ref * (1 - ref) / 20_000) + 1e-4


# --- p-value floor, invariances, edge cases -------------------------------------------------


def test_p_value_never_below_one_over_b_plus_one() -> None:
    d = np.full(60, 1.0) + np.linspace(0, 0.1, 60)
    res = sign_flip_test(d, n_resamples=999, seed=0)
    assert res.pvalue == 1 / 1000
    assert res.statistic == pytest.approx(d.mean()) and res.n == 60


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(-40, 40), min_size=1, max_size=25),
    st.sampled_from(["two-sided", "greater", "less"]),
)
def test_sign_flip_of_all_d(values: list[int], alternative: str) -> None:
    d = np.asarray(values, dtype=float) / 10
    a = sign_flip_test(d, n_resamples=300, seed=1, alternative=alternative)  # type: ignore[arg-type]
    b = sign_flip_test(-d, n_resamples=300, seed=1, alternative=alternative)  # type: ignore[arg-type]
    if alternative == "two-sided":
        assert a.pvalue == b.pvalue
    else:
        flipped = {"greater": "less", "less": "greater"}[alternative]
        c = sign_flip_test(-d, n_resamples=300, seed=1, alternative=flipped)  # type: ignore[arg-type]
        assert a.pvalue == c.pvalue
    assert 1 / 301 <= a.pvalue <= 1.0


def test_small_samples() -> None:
    assert sign_flip_test([2.5], n_resamples=200, seed=0).pvalue == 1.0
    assert sign_flip_test([0.0, 0.0], n_resamples=200, seed=0).pvalue == 1.0
    # Exact two-sided p for n = 2 is 0.5 (patterns ++ and -- reach |T|); Monte Carlo SD 0.011.
    assert abs(sign_flip_test([1.0, 3.0], n_resamples=2000, seed=0).pvalue - 0.5) < 0.05
    two = bootstrap_mean_ci([1.0, 3.0], n_resamples=2000, seed=0)
    assert two.ci_low == 1.0 and two.ci_high == 3.0  # resamples: 1, 2, 2, 3
    constant = bootstrap_mean_ci([4.0, 4.0, 4.0], n_resamples=100, seed=0, method="percentile")
    assert (constant.ci_low, constant.ci_high) == (4.0, 4.0)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: bootstrap_mean_ci([1.0], seed=0), "at least 2 values"),
        (lambda: bootstrap_mean_ci([3.0, 3.0, 3.0], seed=0), "constant"),
        (lambda: bootstrap_mean_ci([1.0, np.nan], seed=0), "NaN"),
        (
            lambda: bootstrap_mean_ci([1.0, 2.0], method="basic", seed=0),  # type: ignore[arg-type]
            "method",
        ),
        (lambda: bootstrap_mean_ci([1.0, 2.0], confidence_level=95, seed=0), "confidence"),
        (lambda: bootstrap_mean_ci([1.0, 2.0], n_resamples=0, seed=0), "n_resamples"),
        (lambda: bootstrap_mean_ci([1.0, 2.0], seed=-3), "non-negative"),
        (lambda: sign_flip_test([], seed=0), "empty"),
        (
            lambda: sign_flip_test([1.0], alternative="up", seed=0),  # type: ignore[arg-type]
            "alternative",
        ),
    ],
)
def test_errors(call: object, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        call()  # type: ignore[operator]


def test_bca_with_all_resamples_on_one_side_raises() -> None:
    # Two values: a quarter of resamples give each endpoint, half the mean; never one-sided.
    # Force one-sidedness with a single resample that differs from the estimate.
    with pytest.raises(ValueError, match="one side"):
        bootstrap_mean_ci([0.0, 1.0, 5.0], n_resamples=1, seed=0)
