"""Tests of OLS with an intercept.

Oracles: R 4.2.2 ``summary(lm(reduction ~ months))`` and ``confint`` on Table 1
(tests/reference/msc58_R.json), statsmodels OLS, and closed forms for simple regression.
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

from cohort_reanalysis.analyses._linear_model import ols

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = json.loads((ROOT / "tests" / "reference" / "msc58_R.json").read_text())


def _column(name: str) -> np.ndarray:
    with (ROOT / "datasets" / "matsuoka2025" / "patients.csv").open(newline="") as fh:
        return np.array([float(row[name]) for row in csv.DictReader(fh)])


REDUCTION = _column("hba1c_before") - _column("hba1c_after")
MONTHS = _column("months")


def test_matches_r_lm() -> None:
    ref = REFERENCE["msc_lm_months"]
    fit = ols(REDUCTION, {"months": MONTHS})
    assert fit.terms == ("(Intercept)", "months")
    np.testing.assert_allclose(fit.coef, ref["coef"], rtol=1e-9)
    np.testing.assert_allclose(fit.se, ref["se"], rtol=1e-9)
    np.testing.assert_allclose(fit.pvalue, ref["p"], rtol=1e-9)
    slope = fit.index("months")
    np.testing.assert_allclose([fit.ci_low[slope], fit.ci_high[slope]], ref["ci_slope"], rtol=1e-9)
    assert (fit.df_resid, fit.n) == (56, 58)


def test_slope_t_equals_pearson_t() -> None:
    # In R, the slope t of lm(y ~ x) equals cor.test(x, y)'s t; the reference has both.
    fit = ols(REDUCTION, {"months": MONTHS})
    assert fit.statistic[1] == pytest.approx(REFERENCE["msc_cor_months_pearson"]["t"], rel=1e-9)
    assert fit.r_squared == pytest.approx(REFERENCE["msc_cor_months_pearson"]["r"] ** 2, rel=1e-9)


def test_simple_regression_closed_form() -> None:
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    y = np.array([1.0, 3.0, 2.0, 5.0, 4.0])
    fit = ols(y, {"x": x})
    # slope = Sxy / Sxx = 8 / 10; intercept = 3 - 0.8 * 3; RSS = 3.6 on 3 df.
    assert fit.coef == pytest.approx((0.6, 0.8), rel=1e-12)
    sigma2 = 3.6 / 3
    assert fit.se[1] == pytest.approx(math.sqrt(sigma2 / 10), rel=1e-12)
    assert fit.se[0] == pytest.approx(math.sqrt(sigma2 * (1 / 5 + 9 / 10)), rel=1e-12)
    assert fit.sigma == pytest.approx(math.sqrt(sigma2), rel=1e-12)
    assert fit.r_squared == pytest.approx(0.64, rel=1e-12)
    crit = stats.t.ppf(0.975, 3)
    assert fit.ci_high[1] == pytest.approx(0.8 + crit * math.sqrt(sigma2 / 10), rel=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_matches_statsmodels_two_predictors(seed: int) -> None:
    sm = pytest.importorskip("statsmodels.api")
    rng = np.random.default_rng(seed)
    n = 60
    a = rng.normal(size=n)
    b = rng.gamma(2.0, 1.0, n) + 0.5 * a
    y = 1.0 + 0.3 * a - 0.2 * b + rng.normal(size=n)
    fit = ols(y, {"a": a, "b": b}, confidence_level=0.9)
    ref = sm.OLS(y, sm.add_constant(np.column_stack([a, b]))).fit()
    np.testing.assert_allclose(fit.coef, ref.params, rtol=1e-9)
    np.testing.assert_allclose(fit.se, ref.bse, rtol=1e-9)
    np.testing.assert_allclose(fit.statistic, ref.tvalues, rtol=1e-9)
    np.testing.assert_allclose(fit.pvalue, ref.pvalues, rtol=1e-8)
    ci = ref.conf_int(alpha=0.1)
    np.testing.assert_allclose(fit.ci_low, ci[:, 0], rtol=1e-9)
    np.testing.assert_allclose(fit.ci_high, ci[:, 1], rtol=1e-9)
    assert fit.r_squared == pytest.approx(ref.rsquared, rel=1e-9)
    assert fit.df_resid == int(ref.df_resid) and fit.confidence_level == 0.9


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.randoms(use_true_random=False))
def test_row_order_invariance(seed: int, rnd: object) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=12)
    y = 2 * x + rng.normal(size=12)
    order = list(range(12))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    a = ols(y, {"x": x})
    b = ols(y[order], {"x": x[order]})
    np.testing.assert_allclose(a.coef, b.coef, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(a.se, b.se, rtol=1e-9)


@pytest.mark.parametrize(
    ("columns", "match"),
    [
        ({"a": np.arange(6.0), "b": 2 * np.arange(6.0) + 1}, "'b' is a linear combination of "),
        ({"c": np.ones(6)}, "'c' is a linear combination of '\\(Intercept\\)'"),
        ({"a": np.arange(6.0), "a2": np.arange(6.0)}, "'a2' is a linear combination of 'a'"),
    ],
)
def test_rank_deficient_design_names_columns(columns: dict[str, np.ndarray], match: str) -> None:
    y = np.array([1.0, 3.0, 2.0, 5.0, 4.0, 7.0])
    with pytest.raises(ValueError, match="rank-deficient.*" + match):
        ols(y, columns)


@pytest.mark.parametrize(
    ("y", "columns", "match"),
    [
        ([1.0, 2.0], {"x": [1.0, 2.0]}, "cannot fit 2 coefficients"),
        ([1.0, 2.0, 3.0], {"x": [1.0, 2.0]}, "expected \\(3,\\)"),
        ([1.0, np.nan, 3.0], {"x": [1.0, 2.0, 4.0]}, "y contains NaN"),
        ([1.0, 2.0, 3.0], {"x": [1.0, np.nan, 4.0]}, "'x' contains NaN"),
        ([2.0, 2.0, 2.0], {"x": [1.0, 2.0, 4.0]}, "y is constant"),
        ([1.0, 2.0, 3.0], {"(Intercept)": [1.0, 1.0, 1.0]}, "added automatically"),
        ([1.0, 2.0, 3.0], {"x": [1.0, 2.0, 3.0]}, "exact"),
    ],
)
def test_errors(y: list[float], columns: dict[str, list[float]], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        ols(y, columns)


def test_unknown_term_lookup() -> None:
    fit = ols(REDUCTION, {"months": MONTHS})
    with pytest.raises(KeyError, match="months"):
        fit.index("dose")
