"""Tests of the Wilcoxon signed-rank test and the Hodges-Lehmann estimator.

Oracles: R 4.2.2 ``wilcox.test(before, after, paired = TRUE, exact = FALSE)``
(tests/reference/msc58_R.json), scipy.stats.wilcoxon, hand computation, a brute-force
double loop, and the exact null distribution of the signed-rank statistic.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cohort_reanalysis.analyses._ranks import hodges_lehmann, wilcoxon_signed_rank

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = json.loads((ROOT / "tests" / "reference" / "msc58_R.json").read_text())


def _column(name: str) -> np.ndarray:
    with (ROOT / "datasets" / "matsuoka2025" / "patients.csv").open(newline="") as fh:
        return np.array([float(row[name]) for row in csv.DictReader(fh)])


# R was given (before, after), so its differences are before - after.
D_R = _column("hba1c_before") - _column("hba1c_after")

# Differences on a 0.1 grid with ties and zeros, as in printed tables.
tenths = st.lists(st.integers(-30, 30), min_size=1, max_size=40).map(
    lambda v: np.asarray(v, dtype=float) / 10.0
)


# --- R reference ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("correct", "key"), [(True, "msc_wilcox_correct"), (False, "msc_wilcox_nocorrect")]
)
def test_matches_r_wilcox_test(correct: bool, key: str) -> None:
    ref = REFERENCE[key]
    res = wilcoxon_signed_rank(D_R, correct=correct)
    assert res.statistic == ref["V"]
    assert res.pvalue == pytest.approx(ref["p"], rel=1e-9)
    assert (res.n_used, res.n_zeros, res.has_ties, res.correct) == (57, 1, True, correct)


def test_floating_point_ties_follow_r_and_digits_rank_fixes_them() -> None:
    # In binary 7.5 - 6.4 != 7.2 - 6.1, so R (and we) break some paper ties; R's V = 1489.
    # Rounding |d| to 7 significant digits restores them: V = 1490, the value for exact
    # decimals, which scipy confirms on differences rounded to the table's 0.1 precision.
    rounded = wilcoxon_signed_rank(D_R, digits_rank=7)
    exact_decimals = np.round(D_R, 1)
    assert rounded.statistic == 1490.0
    scipy_res = stats.wilcoxon(
        exact_decimals, zero_method="wilcox", correction=True, method="approx"
    )
    assert rounded.pvalue == pytest.approx(scipy_res.pvalue, rel=1e-9)
    assert wilcoxon_signed_rank(exact_decimals).statistic == 1490.0


# --- hand computation ----------------------------------------------------------------------


def test_hand_computed_example() -> None:
    # Zero dropped; |d| = 1.5, 2, 0.5, 3, 1 -> ranks 3, 4, 1, 5, 2; V = 3 + 4 + 5 + 2 = 14.
    res = wilcoxon_signed_rank([1.5, 2.0, -0.5, 3.0, 0.0, 1.0])
    assert (res.statistic, res.n_used, res.n_zeros, res.has_ties) == (14.0, 5, 1, False)
    sigma = math.sqrt(5 * 6 * 11 / 24)
    z = (14 - 7.5 - 0.5) / sigma
    assert res.z == pytest.approx(z, rel=1e-12)
    assert res.pvalue == pytest.approx(math.erfc(z / math.sqrt(2)), rel=1e-12)


def test_hand_computed_ties() -> None:
    # |d| = 1, 1, 2 -> ranks 1.5, 1.5, 3; V = 1.5 + 3 = 4.5; tie term (8 - 2) / 48.
    res = wilcoxon_signed_rank([1.0, -1.0, 2.0], correct=False)
    sigma = math.sqrt(3 * 4 * 7 / 24 - 6 / 48)
    assert res.statistic == 4.5 and res.has_ties
    assert res.z == pytest.approx((4.5 - 3.0) / sigma, rel=1e-12)


# --- scipy cross-check ---------------------------------------------------------------------


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
@pytest.mark.parametrize("correct", [True, False])
@pytest.mark.parametrize("seed", range(4))
def test_matches_scipy_on_random_data(alternative: str, correct: bool, seed: int) -> None:
    rng = np.random.default_rng(seed)
    d = np.round(rng.normal(0.2, 1.0, 35), 1)  # ties and zeros on a 0.1 grid
    res = wilcoxon_signed_rank(d, correct=correct, alternative=alternative)  # type: ignore[arg-type]
    ref = stats.wilcoxon(
        d, zero_method="wilcox", correction=correct, method="approx", alternative=alternative
    )
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-9)
    n = res.n_used
    expected_stat = min(res.statistic, n * (n + 1) / 2 - res.statistic)
    if alternative != "two-sided":
        expected_stat = res.statistic
    assert expected_stat == ref.statistic


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(tenths)
def test_sign_flip_symmetry(d: np.ndarray) -> None:
    if not np.any(d != 0):
        return
    a = wilcoxon_signed_rank(d)
    b = wilcoxon_signed_rank(-d)
    n = a.n_used
    assert a.statistic + b.statistic == n * (n + 1) / 2
    assert a.pvalue == pytest.approx(b.pvalue, rel=1e-12)
    less = wilcoxon_signed_rank(d, alternative="less", correct=False)
    greater = wilcoxon_signed_rank(d, alternative="greater", correct=False)
    assert less.pvalue + greater.pvalue == pytest.approx(1.0, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(tenths, st.sampled_from([2.0, 4.0, 0.5]), st.randoms(use_true_random=False))
def test_scale_and_order_invariance(d: np.ndarray, c: float, rnd: object) -> None:
    if not np.any(d != 0):
        return
    shuffled = d.copy()
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    base = wilcoxon_signed_rank(d)
    # Powers of two scale exactly in binary, so ties are preserved.
    for other in (wilcoxon_signed_rank(c * d), wilcoxon_signed_rank(shuffled)):
        assert other.statistic == base.statistic
        assert other.pvalue == pytest.approx(base.pvalue, rel=1e-12)


@pytest.mark.parametrize(
    ("d", "match"),
    [([], "empty"), ([0.0, 0.0], "all 2 differences are zero"), ([1.0, np.nan], "NaN")],
)
def test_wilcoxon_errors(d: list[float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        wilcoxon_signed_rank(d)


def test_wilcoxon_rejects_bad_alternative() -> None:
    with pytest.raises(ValueError, match="alternative"):
        wilcoxon_signed_rank([1.0, 2.0], alternative="bigger")  # type: ignore[arg-type]


def test_single_difference() -> None:
    res = wilcoxon_signed_rank([2.0], correct=False)
    assert res.statistic == 1.0 and res.z == pytest.approx(0.5 / 0.5)


# --- Hodges-Lehmann ------------------------------------------------------------------------


def _walsh_brute(d: list[float]) -> list[float]:
    return sorted((d[i] + d[j]) / 2 for i in range(len(d)) for j in range(i, len(d)))


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        ([1.0, 2.0, 3.0], 2.0),  # Walsh: 1, 1.5, 2, 2, 2.5, 3
        ([0.0, 10.0], 5.0),  # Walsh: 0, 5, 10
        ([1.0, 3.0, 4.0, 10.0], 3.75),  # 10 averages; middle pair 3.5 and 4
        ([7.0], 7.0),
    ],
)
def test_hodges_lehmann_hand_cases(d: list[float], expected: float) -> None:
    walsh = _walsh_brute(d)
    assert float(np.median(walsh)) == expected
    if len(d) >= 5:
        assert hodges_lehmann(d)[0] == expected
    else:  # too small for a 95% interval, but a lower level works
        assert hodges_lehmann(d, confidence_level=0.5)[0] == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-50, 50), min_size=6, max_size=30), st.integers(-20, 20))
def test_hodges_lehmann_against_brute_force(values: list[int], shift: int) -> None:
    d = [v / 4 for v in values]
    walsh = _walsh_brute(d)
    est, lo, hi = hodges_lehmann(d)
    assert est == float(np.median(walsh))
    assert lo in walsh and hi in walsh and lo <= est <= hi
    # Shift equivariance, exact on a quarter grid.
    est2, lo2, hi2 = hodges_lehmann([v + shift for v in d])
    assert (est2, lo2, hi2) == (est + shift, lo + shift, hi + shift)


def _signed_rank_null_cdf(n: int) -> np.ndarray:
    """Exact P(T+ <= t), t = 0..n(n+1)/2, under H0 without ties (dynamic programming)."""
    counts = np.zeros(n * (n + 1) // 2 + 1)
    counts[0] = 1.0
    for k in range(1, n + 1):
        counts[k:] = counts[k:] + counts[:-k].copy()
    return np.cumsum(counts) / 2.0**n


def test_hodges_lehmann_interval_coverage() -> None:
    # Distribution-free truth: for continuous symmetric data the interval
    # (W_(C), W_(M+1-C)) covers the centre with probability 1 - 2 P(T+ <= C - 1).
    n, sims, centre = 30, 2000, 1.5
    m = n * (n + 1) // 2
    rng = np.random.default_rng(20250)
    data = centre + rng.standard_t(3, size=(sims, n))
    # Read the critical rank C off one sample: the positions of its bounds among the
    # sorted Walsh averages (no ties with continuous data).
    walsh = np.sort(np.add.outer(data[0], data[0])[np.triu_indices(n)] / 2)
    _, lo0, hi0 = hodges_lehmann(data[0])
    c = int(np.searchsorted(walsh, lo0)) + 1
    assert walsh[m - c] == hi0  # symmetric ranks C and M + 1 - C
    exact = 1.0 - 2.0 * _signed_rank_null_cdf(n)[c - 1]
    assert abs(exact - 0.95) < 0.01  # the normal-approximation rank is close to nominal
    hits = 0
    for row in data:
        _, lo, hi = hodges_lehmann(row)
        hits += lo <= centre <= hi
    mc_se = math.sqrt(exact * (1 - exact) / sims)
    assert abs(hits / sims - exact) < 4 * mc_se


def test_hodges_lehmann_errors() -> None:
    with pytest.raises(ValueError, match="too small"):
        hodges_lehmann([1.0, 2.0, 3.0, 4.0])
    with pytest.raises(ValueError, match="empty"):
        hodges_lehmann([])
    with pytest.raises(ValueError, match="confidence_level"):
        hodges_lehmann([1.0, 2.0], confidence_level=1.0)
    with pytest.raises(ValueError, match="NaN"):
        hodges_lehmann([1.0, np.nan, 2.0, 3.0, 4.0, 5.0])
