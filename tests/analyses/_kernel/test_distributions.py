"""Tails, quantiles and the t interval against closed forms, scipy.stats and R."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from cohort_reanalysis.analyses._kernel import (
    p_from_chi2,
    p_from_f,
    p_from_t,
    p_from_z,
    t_interval,
    t_quantile,
    z_quantile,
)

R = json.loads((Path(__file__).resolve().parents[2] / "reference" / "msc58_R.json").read_text())


@pytest.mark.parametrize("df", [1.0, 2.5, 57.0, 1e6])
@pytest.mark.parametrize("t", [-40.0, -1.3, 0.0, 2.0, 9.0])
def test_p_from_t_by_alternative_matches_scipy(df: float, t: float) -> None:
    assert p_from_t(t, df, "greater") == pytest.approx(stats.t.sf(t, df), rel=1e-12)
    assert p_from_t(t, df, "less") == pytest.approx(stats.t.cdf(t, df), rel=1e-12)
    two = min(1.0, 2 * stats.t.sf(abs(t), df))
    assert p_from_t(t, df) == pytest.approx(two, rel=1e-12)


def test_p_from_t_closed_form_and_vectorised() -> None:
    # t on 2 df: P(T > t) = 1/2 - t / (2 sqrt(t² + 2)).
    t = np.array([-3.0, 0.5, 4.0])
    exact = 0.5 - t / (2.0 * np.sqrt(t * t + 2.0))
    out = p_from_t(t, 2.0, "greater")
    assert isinstance(out, np.ndarray) and np.allclose(out, exact, rtol=1e-13)
    assert isinstance(p_from_t(1.0, 2.0), float)
    assert p_from_t(1.0, math.inf) == p_from_z(1.0)
    with pytest.raises(ValueError, match="alternative"):
        p_from_t(1.0, 3.0, "both")


def test_normal_chi2_and_f_tails_closed_forms() -> None:
    assert p_from_z(0.0) == 1.0
    assert p_from_z(1.959963984540054) == pytest.approx(0.05, rel=1e-14)
    assert p_from_z(-1.0, "less") == pytest.approx(stats.norm.cdf(-1.0), rel=1e-15)
    assert p_from_chi2(3.0, 2) == pytest.approx(math.exp(-1.5), rel=1e-14)  # chi2(2): e^(-x/2)
    assert p_from_f(3.0, 2, 2) == pytest.approx(0.25, rel=1e-14)  # F(2, 2): 1 / (1 + f)


def test_quantiles_closed_forms() -> None:
    for p in (0.001, 0.3, 0.975):
        assert t_quantile(p, 1.0) == pytest.approx(math.tan(math.pi * (p - 0.5)), rel=1e-12)
        assert t_quantile(p, 2.0) == pytest.approx(
            (2 * p - 1) / math.sqrt(2 * p * (1 - p)), rel=1e-12
        )
        assert z_quantile(p) == pytest.approx(stats.norm.ppf(p), rel=1e-14)
    assert t_quantile(0.975, math.inf) == z_quantile(0.975)


def test_t_interval_matches_r_and_scipy_by_alternative() -> None:
    ref = R["msc_paired"]
    se = ref["est"] / ref["t"]
    assert t_interval(ref["est"], se, ref["df"], 0.95) == pytest.approx(ref["ci"], rel=1e-9)
    rng = np.random.default_rng(5)
    d = rng.normal(0.3, 1.0, 14)
    se = d.std(ddof=1) / math.sqrt(d.size)
    for alt in ("two-sided", "less", "greater"):
        ci = stats.ttest_1samp(d, 0.0, alternative=alt).confidence_interval(0.9)
        ours = t_interval(float(d.mean()), se, d.size - 1.0, 0.9, alt)
        assert ours == pytest.approx((ci.low, ci.high), rel=1e-12)
    low, high = t_interval(np.array([1.0, 2.0]), np.array([0.5, 1.0]), 10.0)
    assert low.shape == high.shape == (2,)
    with pytest.raises(ValueError, match="confidence_level"):
        t_interval(0.0, 1.0, 5.0, 1.0)
