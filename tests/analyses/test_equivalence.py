"""Tests of the two one-sided tests (TOST).

Oracles: closed forms with the normal distribution (math.erfc), textbook t quantiles,
the CI/TOST duality, and pingouin.tost for one-sample and paired means.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cohort_reanalysis.analyses._equivalence import tost


def _norm_sf(z: float) -> float:
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def test_normal_closed_form_at_the_boundary() -> None:
    # Estimate 0, se 1, bounds +/- z_0.975: each one-sided p is exactly 0.025.
    z975 = 1.959963984540054
    res = tost(0.0, 1.0, math.inf, low=-z975, high=z975)
    assert res.p_lower == pytest.approx(0.025, rel=1e-9)
    assert res.p_upper == pytest.approx(0.025, rel=1e-9)
    assert res.pvalue == pytest.approx(0.025, rel=1e-9) and res.equivalent


def test_normal_closed_form_asymmetric() -> None:
    res = tost(0.3, 0.2, math.inf, low=-0.1, high=0.5, alpha=0.05)
    assert res.t_lower == pytest.approx(2.0) and res.t_upper == pytest.approx(-1.0)
    assert res.p_lower == pytest.approx(_norm_sf(2.0), rel=1e-12)
    assert res.p_upper == pytest.approx(_norm_sf(1.0), rel=1e-12)
    assert res.pvalue == res.p_upper and not res.equivalent
    z95 = 1.6448536269514722
    assert (res.ci_low, res.ci_high) == pytest.approx((0.3 - z95 * 0.2, 0.3 + z95 * 0.2))
    assert res.confidence_level == pytest.approx(0.9)


def test_t_reference_uses_textbook_quantile() -> None:
    # t_{0.95, 10} = 1.812 (printed t tables): bounds at +/- 1.8125 se sit just past alpha.
    res = tost(0.0, 1.0, 10, low=-1.8125, high=1.8125)
    assert res.p_lower == pytest.approx(0.05, abs=2e-5)
    assert res.ci_high == pytest.approx(1.812, abs=5e-4)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(-5, 5),
    st.floats(0.01, 3),
    st.sampled_from([3.0, 12.0, 57.0, math.inf]),
    st.floats(-4, 0),
    st.floats(0.05, 4),
    st.sampled_from([0.01, 0.05, 0.1]),
)
def test_duality_with_the_confidence_interval(
    est: float, se: float, df: float, low: float, width: float, alpha: float
) -> None:
    high = low + width
    res = tost(est, se, df, low=low, high=high, alpha=alpha)
    inside = low < res.ci_low and res.ci_high < high
    if abs(res.pvalue - alpha) > 1e-9:  # away from the knife edge
        assert res.equivalent == inside
    assert res.pvalue == max(res.p_lower, res.p_upper)
    # Mirror image: negating everything swaps the two one-sided tests.
    mirror = tost(-est, se, df, low=-high, high=-low, alpha=alpha)
    assert mirror.p_lower == pytest.approx(res.p_upper, rel=1e-9, abs=1e-300)
    assert mirror.p_upper == pytest.approx(res.p_lower, rel=1e-9, abs=1e-300)


@pytest.mark.parametrize("bound", [0.5, 1.0, 4.0])
def test_one_sample_mean_matches_pingouin(bound: float) -> None:
    pg = pytest.importorskip("pingouin")
    x = np.array([4.0, 7.0, 8.0, 6.0, 3.0, 2.0, 5.5, 6.5, 4.5])
    ref = pg.tost(x, 0, bound=bound)
    n = x.size
    res = tost(x.mean(), x.std(ddof=1) / math.sqrt(n), n - 1, low=-bound, high=bound)
    assert res.pvalue == pytest.approx(ref["pval"].iloc[0], rel=1e-9)


def test_paired_mean_difference_matches_pingouin() -> None:
    pg = pytest.importorskip("pingouin")
    rng = np.random.default_rng(2)
    before = rng.normal(7.5, 1.0, 20)
    after = before + rng.normal(-0.1, 0.3, 20)
    ref = pg.tost(after, before, bound=0.3, paired=True)
    d = after - before
    res = tost(d.mean(), d.std(ddof=1) / math.sqrt(d.size), d.size - 1, low=-0.3, high=0.3)
    assert res.pvalue == pytest.approx(ref["pval"].iloc[0], rel=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"low": 1.0, "high": 1.0}, "low < high"),
        ({"low": -1.0, "high": 1.0, "se": 0.0}, "se must be positive"),
        ({"low": -1.0, "high": 1.0, "df": 0.0}, "df must be positive"),
        ({"low": -1.0, "high": 1.0, "alpha": 0.5}, "alpha"),
        ({"low": -math.inf, "high": 1.0}, "low must be finite"),
    ],
)
def test_errors(kwargs: dict[str, float], match: str) -> None:
    args = {"estimate": 0.0, "se": 1.0, "df": 10.0, **kwargs}
    with pytest.raises(ValueError, match=match):
        tost(args.pop("estimate"), args.pop("se"), args.pop("df"), **args)
