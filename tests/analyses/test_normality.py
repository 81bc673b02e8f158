"""Shapiro–Wilk (AS R94) without scipy.stats, against R, scipy, the exact n = 3 law, and
hypothesis properties.

Oracles:

* R's ``shapiro.test(mtcars$wt)``: W = 0.94326, p-value = 0.09265, as printed in
  https://rstudio-pubs-static.s3.amazonaws.com/222982_d47a487411fb45b5b0634f391abcda0c.html
  (data: R's ``mtcars``, Henderson & Velleman 1981, column ``wt``).
* ``scipy.stats.shapiro`` (the same algorithm compiled from scipy's Cython) on many samples.
  Observed agreement: bit-for-bit when the data are passed sorted; otherwise W to a relative
  ~2e-14 and p to ~3e-11 (scipy centres on ``x[n // 2]`` of the unsorted input, this code on
  the sorted middle value, which changes the last bits). Tested to 1e-12 (W) and 1e-9 (p).
* Shapiro & Wilk (1965): for n = 3, W = (x(3) - x(1))^2 / (2 SS) and
  P(W <= w) = (6 / pi) (asin(sqrt(w)) - asin(sqrt(3 / 4))).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from cohort_reanalysis.analyses._normality import shapiro_wilk

# R's datasets::mtcars$wt (1000 lbs), in row order.
MTCARS_WT = [
    2.62, 2.875, 2.32, 3.215, 3.44, 3.46, 3.57, 3.19, 3.15, 3.44, 3.44, 4.07, 3.73, 3.78, 5.25,
    5.424, 5.345, 2.2, 1.615, 1.835, 2.465, 3.52, 3.435, 3.84, 3.845, 1.935, 2.14, 1.513, 3.17,
    2.77, 3.57, 2.78,
]  # fmt: skip

SIZES = [3, 4, 5, 6, 11, 12, 20, 21, 50, 100, 1000, 5000]
KINDS = ["normal", "lognormal", "exponential", "t2", "cauchy", "ties", "huge", "tiny", "shifted"]


def _sample(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    if kind == "normal":
        return rng.normal(10.0, 2.0, n)
    if kind == "lognormal":
        return rng.lognormal(0.0, 1.0, n)
    if kind == "exponential":
        return rng.exponential(1.0, n)
    if kind == "t2":
        return rng.standard_t(2.0, n)
    if kind == "cauchy":
        return rng.standard_cauchy(n)
    if kind == "ties":
        return rng.integers(0, 4, n).astype(np.float64)
    if kind == "huge":
        return rng.normal(0.0, 1.0, n) * 1e150
    if kind == "tiny":
        # scipy calls a range below 1e-19 "zero" (W = p = 1); stay above it to compare.
        return rng.normal(0.0, 1.0, n) * 1e-15
    return rng.normal(0.0, 1.0, n) + 1e6  # a large constant shift


def _scipy(x: np.ndarray) -> tuple[float, float]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # n > 5000, or n = 3 rounding
        res = stats.shapiro(x)
    return float(res.statistic), float(res.pvalue)


def _close_p(p: float, ref: float) -> bool:
    # Relative 1e-9; near 0 (n = 3 with W at its minimum 3/4) an absolute 1e-15.
    return abs(p - ref) <= 1e-9 * abs(ref) or abs(p - ref) <= 1e-15


# ------------------------------------------------------------------------------ R, closed form


def test_mtcars_weight_matches_r() -> None:
    w, p = shapiro_wilk(MTCARS_WT)
    # R 'W = 0.94326, p-value = 0.09265': agreement to the printed digits.
    assert w == pytest.approx(0.94326, abs=5e-6)
    assert p == pytest.approx(0.09265, abs=5e-6)


@pytest.mark.parametrize("seed", range(20))
def test_n3_matches_exact_distribution(seed: int) -> None:
    x = np.random.default_rng(seed).normal(size=3)
    w, p = shapiro_wilk(x)
    s = np.sort(x)
    w_exact = (s[2] - s[0]) ** 2 / 2.0 / float(((x - x.mean()) ** 2).sum())
    p_exact = 6.0 / math.pi * (math.asin(math.sqrt(w_exact)) - math.asin(math.sqrt(0.75)))
    assert w == pytest.approx(w_exact, rel=1e-12)
    assert p == pytest.approx(p_exact, rel=1e-9, abs=1e-14)


def test_n3_equally_spaced_is_a_perfect_fit_and_two_equal_the_least() -> None:
    w, p = shapiro_wilk([1.0, 2.0, 3.0])
    assert w == pytest.approx(1.0, abs=1e-15) and p == pytest.approx(1.0, abs=1e-7)
    w, p = shapiro_wilk([1.0, 1.0, 2.0])  # the smallest W for n = 3: 3/4, P = 0
    assert w == pytest.approx(0.75, abs=1e-15) and p == pytest.approx(0.0, abs=1e-7)


# ------------------------------------------------------------------------------------- scipy


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("kind", KINDS)
def test_matches_scipy(n: int, kind: str) -> None:
    rng = np.random.default_rng(1000 * n + KINDS.index(kind))
    for _ in range(3 if n >= 1000 else 10):
        x = _sample(kind, n, rng)
        if np.ptp(x) == 0.0:
            continue
        w, p = shapiro_wilk(x)
        w_ref, p_ref = _scipy(x)
        assert w == pytest.approx(w_ref, rel=1e-12)
        assert _close_p(p, p_ref), (p, p_ref)
        # Passed sorted, the port follows scipy's arithmetic step for step.
        ws, ps = shapiro_wilk(np.sort(x))
        ws_ref, ps_ref = _scipy(np.sort(x))
        assert ws == pytest.approx(ws_ref, rel=1e-14)
        assert ps == pytest.approx(ps_ref, rel=1e-12, abs=1e-300)


def test_above_5000_computes_without_warning_like_scipy() -> None:
    x = np.random.default_rng(5).gamma(4.0, size=12_000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w, p = shapiro_wilk(x)
    w_ref, p_ref = _scipy(x)
    assert w == pytest.approx(w_ref, rel=1e-12) and _close_p(p, p_ref)


def test_clearly_non_normal_data_reject_and_normal_data_mostly_do_not() -> None:
    rng = np.random.default_rng(8)
    assert shapiro_wilk(rng.exponential(size=200))[1] < 1e-6
    # Under the null the p-value is roughly uniform: about 5 % of samples below 0.05.
    ps = np.array([shapiro_wilk(rng.normal(size=30))[1] for _ in range(400)])
    assert 0.02 < float(np.mean(ps < 0.05)) < 0.09


# -------------------------------------------------------------------------------- properties

samples = st.lists(st.integers(-1000, 1000), min_size=3, max_size=60).filter(
    lambda v: len(set(v)) > 1
)


@settings(max_examples=150, deadline=None)
@given(samples, st.integers(-(10**6), 10**6), st.integers(-20, 20), st.randoms())
def test_exact_invariance_under_order_integer_shift_and_power_of_two_scale(
    values: list[int], shift: int, log2_scale: int, rnd: object
) -> None:
    x = np.array(values, dtype=np.float64)
    ref = shapiro_wilk(x)
    perm = x.copy()
    rnd.shuffle(perm)  # type: ignore[attr-defined]
    # Sorting first, and exact arithmetic on integers and powers of two, make these equal
    # to the last bit, not just approximately.
    assert shapiro_wilk(perm) == ref
    assert shapiro_wilk(x + shift) == ref
    assert shapiro_wilk(x * 2.0**log2_scale) == ref


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=3, max_size=60),
    st.floats(-1e3, 1e3),
    st.floats(1e-3, 1e3),
)
def test_location_scale_and_sign_invariance(
    values: list[float], shift: float, scale: float
) -> None:
    x = np.array(values)
    big = float(np.abs(x).max())
    # Rounding x * scale + shift must stay far below the spread, or the data change.
    assume(np.ptp(x) * scale > 1e-3 * (abs(shift) + scale * big) and np.ptp(x) > 1e-6 * big)
    w, p = shapiro_wilk(x)
    for other in (x * scale + shift, -x):
        w2, p2 = shapiro_wilk(other)
        assert w2 == pytest.approx(w, rel=1e-9, abs=1e-12)
        # p depends on log(1 - W): loose where W is within rounding of 1.
        if 1.0 - w > 1e-4:
            assert p2 == pytest.approx(p, rel=1e-6, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=3, max_size=80))
def test_w_and_p_are_in_range(values: list[float]) -> None:
    x = np.array(values)
    assume(np.ptp(x) > 0.0)
    w, p = shapiro_wilk(x)
    assert 0.0 < w <= 1.0 + 1e-12
    assert 0.0 <= p <= 1.0


# ------------------------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("x", "match"),
    [
        ([1.0, 2.0], "at least 3"),
        ([], "at least 3"),
        ([1.0, float("nan"), 2.0], "missing or infinite"),
        ([1.0, float("inf"), 2.0], "missing or infinite"),
        ([4.0, 4.0, 4.0, 4.0], "all values are equal"),
        ([[1.0, 2.0], [3.0, 4.0]], "one-dimensional"),
    ],
)
def test_invalid_input_raises(x: list, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        shapiro_wilk(x)


def test_range_below_scipys_zero_threshold_is_still_analysed() -> None:
    # W is scale-free: data spanning 1e-25 are analysed like the same data scaled up.
    x = np.array([0.1, 0.4, 0.2, 0.9, 0.5, 0.3])
    w, p = shapiro_wilk(x * 1e-24)
    w_ref, p_ref = _scipy(x)
    assert w == pytest.approx(w_ref, rel=1e-12) and p == pytest.approx(p_ref, rel=1e-9)
