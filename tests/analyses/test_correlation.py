"""Tests of correlation tests (R's cor.test conventions) and partial correlation.

Oracles: R 4.2.2 ``cor.test`` on Table 1 (tests/reference/msc58_R.json), scipy.stats
(pearsonr, spearmanr, kendalltau), the textbook partial-correlation formula, and
pingouin.partial_corr.
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

from cohort_reanalysis.analyses._correlation import correlate, partial_correlation

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = json.loads((ROOT / "tests" / "reference" / "msc58_R.json").read_text())


def _column(name: str) -> np.ndarray:
    with (ROOT / "datasets" / "matsuoka2025" / "patients.csv").open(newline="") as fh:
        return np.array([float(row[name]) for row in csv.DictReader(fh)])


REDUCTION = _column("hba1c_before") - _column("hba1c_after")  # R's y
MONTHS = _column("months")
DOSE = _column("dose_million")


# --- R reference ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "x"), [("msc_cor_months_pearson", MONTHS), ("msc_cor_dose_pearson", DOSE)]
)
def test_pearson_matches_r(key: str, x: np.ndarray) -> None:
    ref = REFERENCE[key]
    res = correlate(x, REDUCTION, method="pearson")
    assert res.estimate == pytest.approx(ref["r"], rel=1e-9)
    assert res.pvalue == pytest.approx(ref["p"], rel=1e-9)
    assert res.ci_low == pytest.approx(ref["ci"][0], rel=1e-9)
    assert res.ci_high == pytest.approx(ref["ci"][1], rel=1e-9)
    if "t" in ref:
        assert res.statistic == pytest.approx(ref["t"], rel=1e-9)
    assert (res.df, res.n, res.statistic_name) == (56.0, 58, "t")


@pytest.mark.parametrize(
    ("key", "x"), [("msc_cor_months_spearman", MONTHS), ("msc_cor_dose_spearman", DOSE)]
)
def test_spearman_matches_r(key: str, x: np.ndarray) -> None:
    ref = REFERENCE[key]
    res = correlate(x, REDUCTION, method="spearman")
    assert res.estimate == pytest.approx(ref["rho"], rel=1e-9)
    assert res.pvalue == pytest.approx(ref["p"], rel=1e-9)
    assert res.ci_low is None and res.ci_high is None and res.notes
    assert res.statistic == pytest.approx((58**3 - 58) * (1 - ref["rho"]) / 6, rel=1e-9)


def test_kendall_dose_matches_r() -> None:
    # R: tau = 0 and p = 1 for dose vs reduction (heavily tied dose: 1000 and 2000 dominate).
    ref = REFERENCE["msc_cor_dose_kendall"]
    res = correlate(DOSE, REDUCTION, method="kendall")
    assert abs(res.estimate - ref["tau"]) < 1e-12
    assert res.pvalue == pytest.approx(ref["p"], rel=1e-9)
    assert res.statistic_name == "z" and res.df is None and res.ci_low is None


# --- scipy cross-checks on random data -----------------------------------------------------


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
@pytest.mark.parametrize("seed", range(3))
def test_against_scipy(alternative: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = np.round(rng.normal(size=40), 1)  # ties for the rank methods
    y = np.round(0.3 * x + rng.normal(size=40), 1)
    alt = alternative

    pear = correlate(x, y, alternative=alt)  # type: ignore[arg-type]
    ref = stats.pearsonr(x, y, alternative=alt)
    ci = ref.confidence_interval(0.95)
    assert pear.estimate == pytest.approx(ref.statistic, rel=1e-12)
    assert pear.pvalue == pytest.approx(ref.pvalue, rel=1e-9)
    assert (pear.ci_low, pear.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-9)

    spear = correlate(x, y, method="spearman", alternative=alt)  # type: ignore[arg-type]
    ref_s = stats.spearmanr(x, y, alternative=alt)
    assert spear.estimate == pytest.approx(ref_s.statistic, rel=1e-12)
    assert spear.pvalue == pytest.approx(ref_s.pvalue, rel=1e-9)

    kend = correlate(x, y, method="kendall", alternative=alt)  # type: ignore[arg-type]
    ref_k = stats.kendalltau(x, y, method="asymptotic", alternative=alt)
    assert kend.estimate == pytest.approx(ref_k.statistic, rel=1e-12)
    assert kend.pvalue == pytest.approx(ref_k.pvalue, rel=1e-9)


def test_spearman_statistic_is_sum_of_squared_rank_differences_without_ties() -> None:
    x = np.array([3.1, 1.2, 5.5, 4.0, 2.2, 9.9, 7.1])
    y = np.array([2.0, 1.0, 4.0, 6.0, 3.0, 7.0, 5.0])
    d = stats.rankdata(x) - stats.rankdata(y)
    assert correlate(x, y, method="spearman").statistic == pytest.approx(np.sum(d**2))


def test_pearson_hand_example() -> None:
    res = correlate([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])
    # r = 8 / sqrt(10 * 10) = 0.8; t = 0.8 sqrt(3 / 0.36).
    assert res.estimate == pytest.approx(0.8, rel=1e-12)
    assert res.statistic == pytest.approx(0.8 * math.sqrt(3 / 0.36), rel=1e-12)
    z = math.atanh(0.8)
    assert res.ci_high == pytest.approx(math.tanh(z + 1.959963984540054 / math.sqrt(2)), rel=1e-9)


def test_one_sided_fisher_intervals_are_half_open() -> None:
    x = np.arange(10.0)
    y = np.array([1.0, 3.0, 2.0, 5.0, 4.0, 6.0, 8.0, 7.0, 9.0, 9.5])
    assert correlate(x, y, alternative="greater").ci_high == 1.0
    assert correlate(x, y, alternative="less").ci_low == -1.0


def test_perfect_correlation_gives_infinite_t_not_nan() -> None:
    res = correlate([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0])
    assert res.estimate == 1.0 and math.isinf(res.statistic) and res.pvalue == 0.0
    assert res.ci_high == 1.0


def test_three_pairs_have_no_fisher_interval() -> None:
    res = correlate([1.0, 2.0, 3.0], [1.0, 3.0, 2.0])
    assert res.ci_low is None and any("n >= 4" in note for note in res.notes)


# --- properties ----------------------------------------------------------------------------

pairs = st.integers(4, 30).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(-20, 20), min_size=n, max_size=n),
        st.lists(st.integers(-20, 20), min_size=n, max_size=n),
    )
)


@settings(max_examples=60, deadline=None)
@given(pairs, st.sampled_from(["pearson", "spearman", "kendall"]))
def test_symmetry_and_sign(xy: tuple[list[int], list[int]], method: str) -> None:
    x, y = (np.asarray(v, dtype=float) for v in xy)
    if np.all(x == x[0]) or np.all(y == y[0]):
        with pytest.raises(ValueError, match="constant"):
            correlate(x, y, method=method)  # type: ignore[arg-type]
        return
    a = correlate(x, y, method=method)  # type: ignore[arg-type]
    b = correlate(y, x, method=method)  # type: ignore[arg-type]
    c = correlate(-x, y, method=method)  # type: ignore[arg-type]
    assert a.estimate == pytest.approx(b.estimate, abs=1e-12)
    assert c.estimate == pytest.approx(-a.estimate, abs=1e-12)
    assert a.pvalue == pytest.approx(c.pvalue, rel=1e-9, abs=1e-15)
    assert -1.0 <= a.estimate <= 1.0 and 0.0 <= a.pvalue <= 1.0


@settings(max_examples=40, deadline=None)
@given(pairs)
def test_rank_methods_invariant_to_monotone_transforms(xy: tuple[list[int], list[int]]) -> None:
    x, y = (np.asarray(v, dtype=float) for v in xy)
    if np.all(x == x[0]) or np.all(y == y[0]):
        return
    for method in ("spearman", "kendall"):
        a = correlate(x, y, method=method)
        b = correlate(np.exp(x / 10), y**3, method=method)
        assert a.estimate == pytest.approx(b.estimate, abs=1e-12)


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "y", "match"),
    [
        ([1.0, 1.0, 1.0, 1.0], [1.0, 2.0, 3.0, 4.0], "x is constant"),
        ([1.0, 2.0, 3.0, 4.0], [5.0, 5.0, 5.0, 5.0], "y is constant"),
        ([1.0, 2.0], [1.0, 2.0], "at least 3"),
        ([1.0, 2.0, 3.0], [1.0, 2.0], "differ in length"),
        ([1.0, np.nan, 3.0], [1.0, 2.0, 3.0], "NaN"),
    ],
)
def test_correlate_errors(x: list[float], y: list[float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        correlate(x, y)


def test_bad_method_and_alternative() -> None:
    with pytest.raises(ValueError, match="method"):
        correlate([1, 2, 3], [1, 3, 2], method="distance")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="alternative"):
        correlate([1, 2, 3], [1, 3, 2], alternative="two.sided")  # type: ignore[arg-type]


# --- partial correlation -------------------------------------------------------------------


def _data(seed: int, n: int = 40) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    z = rng.normal(size=n)
    x = z + rng.normal(size=n)
    y = 0.5 * x + z + rng.normal(size=n)
    return x, y, z


def test_partial_matches_textbook_formula() -> None:
    x, y, z = _data(0)
    rxy, rxz, ryz = (stats.pearsonr(a, b).statistic for a, b in ((x, y), (x, z), (y, z)))
    expected = (rxy - rxz * ryz) / math.sqrt((1 - rxz**2) * (1 - ryz**2))
    res = partial_correlation(x, y, z)
    assert res.estimate == pytest.approx(expected, rel=1e-12)
    t = expected * math.sqrt((40 - 3) / (1 - expected**2))
    assert res.statistic == pytest.approx(t, rel=1e-9)
    assert res.pvalue == pytest.approx(2 * stats.t.sf(abs(t), 37), rel=1e-9)
    assert (res.df, res.n_covariates) == (37.0, 1)


@pytest.mark.parametrize("method", ["pearson", "spearman"])
@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_partial_matches_pingouin(
    method: str, alternative: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pd = pytest.importorskip("pandas")
    pg = pytest.importorskip("pingouin")
    monkeypatch.setitem(pg.options, "round.column.CI95", None)  # pingouin rounds CIs to 2 dp
    x, y, z = _data(1)
    ref = pg.partial_corr(
        pd.DataFrame({"x": x, "y": y, "z": z}),
        "x",
        "y",
        "z",
        method=method,
        alternative=alternative,
    )
    res = partial_correlation(x, y, z, method=method, alternative=alternative)  # type: ignore[arg-type]
    assert res.estimate == pytest.approx(ref["r"].iloc[0], rel=1e-9)
    assert res.pvalue == pytest.approx(ref["p_val"].iloc[0], rel=1e-8)
    # pingouin's compute_esci rounds the CI to 6 decimals.
    assert res.ci_low is not None and res.ci_high is not None
    np.testing.assert_allclose([res.ci_low, res.ci_high], ref["CI95"].iloc[0], atol=1.5e-6)


def test_partial_with_two_covariates_by_mapping_matches_pingouin() -> None:
    pd = pytest.importorskip("pandas")
    pg = pytest.importorskip("pingouin")
    x, y, z = _data(2, n=50)
    w = np.random.default_rng(9).normal(size=50) + 0.3 * y
    ref = pg.partial_corr(pd.DataFrame({"x": x, "y": y, "z": z, "w": w}), "x", "y", ["z", "w"])
    res = partial_correlation(x, y, {"z": z, "w": w})
    assert res.estimate == pytest.approx(ref["r"].iloc[0], rel=1e-9)
    assert res.pvalue == pytest.approx(ref["p_val"].iloc[0], rel=1e-8)
    assert res.df == 50 - 2 - 2


@pytest.mark.parametrize(
    ("cov", "match"),
    [
        (np.ones(10), "covariate is constant"),
        ({"age": np.full(10, 3.0)}, "age is constant"),
        (np.arange(10.0), "linear function of the covariates"),
        (np.column_stack([np.arange(10.0), 2 * np.arange(10.0)]), "collinear"),
        (np.arange(5.0), "has 5 values"),
    ],
)
def test_partial_errors(cov: object, match: str) -> None:
    x = np.arange(10.0)
    y = np.array([1.0, 3.0, 2.0, 5.0, 4.0, 6.0, 8.0, 7.0, 9.0, 9.5])
    with pytest.raises(ValueError, match=match):
        partial_correlation(x, y, cov)  # type: ignore[arg-type]


def test_partial_too_few_rows() -> None:
    with pytest.raises(ValueError, match="too small"):
        partial_correlation([1.0, 2.0, 3.0], [1.0, 3.0, 2.0], [1.0, 1.0, 2.0])


def _exact_partial_t(x: list[int], y: list[int], c: list[int]) -> tuple[float, float]:
    """t and df of the partial correlation, in exact rational arithmetic (a closed form:
    residuals on [1, c] by the normal equations; t² = df (rx·ry)² / (|rx|² |e|²))."""
    from fractions import Fraction

    n = len(x)
    cbar = Fraction(sum(c), n)
    scc = sum((ci - cbar) ** 2 for ci in c)

    def resid(v: list[int]) -> list[Fraction]:
        vbar = Fraction(sum(v), n)
        slope = sum((ci - cbar) * (vi - vbar) for ci, vi in zip(c, v, strict=True)) / scc
        return [vi - vbar - slope * (ci - cbar) for ci, vi in zip(c, v, strict=True)]

    rx, ry = resid(x), resid(y)
    xx = sum(a * a for a in rx)
    xy = sum(a * b for a, b in zip(rx, ry, strict=True))
    e = [b - xy / xx * a for a, b in zip(rx, ry, strict=True)]
    ee = sum(v * v for v in e)
    df = n - 3
    return math.sqrt(float(df * xy * xy / (xx * ee))), float(df)


def test_a_near_perfect_partial_correlation_keeps_a_finite_t() -> None:
    # r rounds to 1.0 in floats (1 - r is about 4e-19), so t from 1 - r² was inf and p 0;
    # the exact t is about 1.15e9 on 1 df, p = (2 / pi) atan(1 / t) about 5.5e-10.
    x, y, c = [0, 0, 0, 10**9], [0, 0, 1, 10**9], [0, 1, 0, 0]
    res = partial_correlation(x, y, c)
    t, df = _exact_partial_t(x, y, c)
    assert res.df == df == 1.0
    assert res.statistic == pytest.approx(t, rel=1e-6)
    assert res.pvalue == pytest.approx(2 / math.pi * math.atan(1 / t), rel=1e-6)
    assert res.pvalue > 0


def test_a_partial_correlation_of_rounding_noise_is_refused() -> None:
    x = np.arange(10.0)
    with pytest.raises(ValueError, match="linear functions of each other and the covariates"):
        partial_correlation(x, 2 * x + 1, np.sin(x))
