"""Regression to the mean: Barnett's expected change and Blomqvist's slope against simulations
with known truth; Oldham's correlation and the Pitman–Morgan test against each other."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cohort_reanalysis.analyses._rtm import (
    blomqvist_slope,
    expected_rtm_change,
    pitman_morgan,
    regression_to_mean,
)
from cohort_reanalysis.cohort import Cohort, PairedData, load_dataset


def _pairs(before: np.ndarray, after: np.ndarray) -> PairedData:
    return PairedData(
        np.asarray(before, dtype=float),
        np.asarray(after, dtype=float),
        np.arange(1, len(before) + 1),
        (),
    )


def _cohort(before, after) -> Cohort:
    return Cohort.from_frame(
        pd.DataFrame({"b": before, "a": after}),
        columns={"before": "b", "after": "a"},
        measure="score",
        unit="points",
    )


def _population(
    rng: np.random.Generator,
    n: int,
    mu: float,
    sd_true: float,
    sd_error: float,
    beta: float = 0.0,
    sd_change: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Two measurements of each patient; true change beta * (T - mu) + noise (0: no effect)."""
    true = rng.normal(mu, sd_true, n)
    true_after = true + beta * (true - mu) + rng.normal(0.0, sd_change, n)
    return true + rng.normal(0.0, sd_error, n), true_after + rng.normal(0.0, sd_error, n)


# ----------------------------------------------------------------------------- Barnett et al.


def test_expected_change_closed_form_at_the_mean() -> None:
    # z = 0: phi(0) / (1 - Phi(0)) = 2 phi(0) = sqrt(2 / pi).
    e = expected_rtm_change(5.0, reliability=0.7, mean=5.0, sd=2.0)
    assert e == pytest.approx(-2.0 * 0.3 * math.sqrt(2.0 / math.pi), rel=1e-14)
    below = expected_rtm_change(5.0, reliability=0.7, mean=5.0, sd=2.0, selected="below")
    assert below == pytest.approx(-e, rel=1e-14)
    assert expected_rtm_change(9.0, reliability=1.0, mean=5.0, sd=2.0) == 0.0


@pytest.mark.parametrize(
    ("mu", "sd_true", "sd_error", "cutoff", "selected"),
    [
        (7.5, 1.0, 0.5, 8.0, "above"),
        (7.5, 1.2, 0.8, 6.5, "above"),
        (100.0, 10.0, 6.0, 90.0, "below"),
        (0.0, 1.0, 1.0, 2.0, "above"),
    ],
)
def test_barnett_formula_matches_simulation_without_treatment(
    mu: float, sd_true: float, sd_error: float, cutoff: float, selected: str
) -> None:
    rng = np.random.default_rng(20050215)
    x1, x2 = _population(rng, 2_000_000, mu, sd_true, sd_error)
    keep = x1 > cutoff if selected == "above" else x1 < cutoff
    change = x2[keep] - x1[keep]
    rho = sd_true**2 / (sd_true**2 + sd_error**2)
    sigma = math.hypot(sd_true, sd_error)
    expected = expected_rtm_change(cutoff, reliability=rho, mean=mu, sd=sigma, selected=selected)  # type: ignore[arg-type]
    mc_se = change.std(ddof=1) / math.sqrt(change.size)
    assert abs(change.mean() - expected) < 4.0 * mc_se


def test_regression_to_mean_removes_expected_change_in_a_sample() -> None:
    rng = np.random.default_rng(7)
    mu, sd_true, sd_error, cutoff = 7.0, 1.0, 0.6, 7.5
    x1, x2 = _population(rng, 40_000, mu, sd_true, sd_error)
    keep = x1 > cutoff
    rho = 1.0 / (1.0 + 0.36)
    res = regression_to_mean(
        _pairs(x1[keep], x2[keep]),
        reliability=rho,
        cutoff=cutoff,
        population_mean=mu,
        population_sd=math.hypot(sd_true, sd_error),
    )
    assert res.population_source == "given"
    assert res.expected_change == pytest.approx(
        expected_rtm_change(cutoff, reliability=rho, mean=mu, sd=math.hypot(sd_true, sd_error)),
        rel=1e-14,
    )
    assert res.expected_change is not None and res.expected_change < 0
    # No treatment effect: the unexplained change is ~0 and its interval covers 0.
    assert res.net_ci_low is not None and res.net_ci_high is not None
    assert res.net_ci_low < 0.0 < res.net_ci_high
    assert res.net_change == pytest.approx(res.observed_change - res.expected_change, rel=1e-14)
    assert res.net_pvalue is not None and res.net_pvalue > 0.001


def test_default_population_estimated_from_baseline_and_said_so() -> None:
    msc = load_dataset("matsuoka2025")
    res = regression_to_mean(msc, reliability=0.9, cutoff=6.2)
    x = msc.frame.hba1c_before.to_numpy()
    assert res.population_mean == pytest.approx(x.mean(), rel=1e-14)
    assert res.population_sd == pytest.approx(x.std(ddof=1), rel=1e-14)
    assert "estimated from the 58 baseline values" in res.population_source
    assert "estimated from the baseline values" in res.explain()
    assert res.selection_note == ""
    table = res.expected_by_reliability([0.5, 0.9])
    assert table["expected_change"].iloc[1] == pytest.approx(res.expected_change, rel=1e-14)


def test_values_on_wrong_side_of_cutoff_are_noted() -> None:
    msc = load_dataset("matsuoka2025")
    res = regression_to_mean(msc, reliability=0.9, cutoff=7.0)
    assert "not above the cutoff" in res.selection_note
    assert "not above the cutoff" in str(res.to_frame().loc[3, "note"])


def test_cutoff_printed_as_written() -> None:
    msc = load_dataset("matsuoka2025")
    res = regression_to_mean(msc, reliability=0.9, cutoff=7.0)
    text = " ".join([str(res), res.explain(), res._repr_html_(), *res.to_frame()["note"]])
    assert "> 7," in text and "above 7%" in text and "the cutoff 7;" in text
    assert not any(f"{w} 7.0" in text for w in (">", "above", "cutoff"))
    assert res.cutoff == 7.0


def test_missing_options_give_reasons() -> None:
    msc = load_dataset("matsuoka2025")
    res = regression_to_mean(msc)
    assert res.expected_change is None and "cutoff" in res.reasons["expected_change"]
    assert res.corrected_slope is None and "reliability" in res.reasons["corrected_slope"]
    with pytest.raises(ValueError):
        res.expected_by_reliability()
    for bad in (0.0, -0.1, 1.5, math.nan):
        with pytest.raises(ValueError, match="reliability"):
            regression_to_mean(msc, reliability=bad)


# ----------------------------------------------------------------------------- Blomqvist


def test_blomqvist_formula() -> None:
    # Observed slope = rho (1 + beta) - 1, so beta = (b + 1 - rho) / rho.
    for rho, beta in ((0.8, 0.0), (0.6, -0.3), (0.95, 0.2)):
        b = rho * (1 + beta) - 1
        assert blomqvist_slope(b, rho) == pytest.approx(beta, abs=1e-14)
    assert blomqvist_slope(-0.37, 1.0) == pytest.approx(-0.37)


@pytest.mark.parametrize("beta", [0.0, -0.3])
def test_blomqvist_recovers_true_slope_in_simulation(beta: float) -> None:
    rng = np.random.default_rng(1977)
    sd_true, sd_error = 1.0, 0.5
    rho = sd_true**2 / (sd_true**2 + sd_error**2)
    x1, x2 = _population(rng, 400_000, 0.0, sd_true, sd_error, beta=beta, sd_change=0.3)
    res = regression_to_mean(_pairs(x1, x2), reliability=rho)
    assert res.slope == pytest.approx(rho * (1 + beta) - 1, abs=0.01)
    assert res.corrected_slope == pytest.approx(beta, abs=0.01)
    assert res.corrected_ci_low is not None and res.corrected_ci_high is not None
    assert res.corrected_ci_low < beta < res.corrected_ci_high


# ----------------------------------------------------------------------------- Oldham / P–M


def test_oldham_equals_pitman_morgan_on_msc() -> None:
    msc = load_dataset("matsuoka2025")
    res = regression_to_mean(msc)
    x = msc.frame.hba1c_before.to_numpy()
    y = msc.frame.hba1c_after.to_numpy()
    ref = stats.pearsonr((x + y) / 2, y - x)
    assert res.oldham is not None and res.pitman_morgan is not None
    assert res.oldham.estimate == pytest.approx(ref.statistic, rel=1e-12)
    assert res.oldham.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    assert res.pitman_morgan.pvalue == pytest.approx(res.oldham.pvalue, rel=1e-12)
    assert res.pitman_morgan.statistic == pytest.approx(res.oldham.statistic, rel=1e-12)
    assert res.pitman_morgan.variance_ratio == pytest.approx(y.var(ddof=1) / x.var(ddof=1))


def test_pitman_morgan_null_distribution() -> None:
    rng = np.random.default_rng(1939)
    z = rng.standard_normal((2, 2000, 15))
    x, y = z[0], 0.6 * z[0] + 0.8 * z[1]  # equal variances, correlation 0.6
    pvalues = np.array([pitman_morgan(a, b).pvalue for a, b in zip(x, y, strict=True)])
    # Under equal variances p is uniform: 5 % and 20 % rejection within 3 binomial SEs.
    for level in (0.05, 0.2):
        se = math.sqrt(level * (1 - level) / pvalues.size)
        assert abs((pvalues < level).mean() - level) < 3 * se


def test_pitman_morgan_interval_inverts_the_test() -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(0, 1, 30)
    y = 0.5 * x + rng.normal(0, 1.3, 30)
    pm = pitman_morgan(x, y, confidence_level=0.9)
    for bound in (pm.ci_low, pm.ci_high):
        # Testing ratio = bound: rescale `after` so that ratio becomes 1.
        assert pitman_morgan(x, y / math.sqrt(bound)).pvalue == pytest.approx(0.1, rel=1e-9)


def test_small_samples_give_reasons() -> None:
    res = regression_to_mean(_cohort([10.0, 12.0], [9.0, 12.5]), reliability=0.8, cutoff=9.0)
    assert res.oldham is None and "at least 3" in res.reasons["oldham"]
    assert res.pitman_morgan is None and res.reasons["pitman_morgan"]
    assert res.slope is None and res.reasons["slope"]
    assert res.corrected_slope is None
    one = regression_to_mean(_cohort([10.0], [9.0]), reliability=0.8, cutoff=9.0, population_sd=1.0)
    assert one.observed_ci_low is None and "n = 1" in one.reasons["observed_ci"]
    assert one.expected_change is not None and one.net_ci_low is None
    frame = one.to_frame()
    assert (frame.loc[frame["estimate"].isna(), "note"].str.len() > 0).all()


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([0.01, 10.0, 1000.0]))
def test_properties(seed: int, scale: float) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(50, 5, 25)
    y = 0.7 * x + rng.normal(15, 3, 25)
    base = regression_to_mean(_pairs(x, y))
    perm = rng.permutation(25)
    shuffled = regression_to_mean(_pairs(x[perm], y[perm]))
    swapped = regression_to_mean(_pairs(y, x))
    scaled = regression_to_mean(_pairs(x * scale, y * scale))
    assert base.oldham is not None and base.pitman_morgan is not None
    assert shuffled.oldham is not None and swapped.oldham is not None
    assert scaled.oldham is not None and swapped.pitman_morgan is not None
    assert shuffled.oldham.estimate == pytest.approx(base.oldham.estimate, abs=1e-12)
    assert swapped.oldham.estimate == pytest.approx(-base.oldham.estimate, abs=1e-12)
    assert swapped.oldham.pvalue == pytest.approx(base.oldham.pvalue, rel=1e-9)
    assert swapped.pitman_morgan.variance_ratio == pytest.approx(
        1 / base.pitman_morgan.variance_ratio, rel=1e-12
    )
    assert scaled.oldham.estimate == pytest.approx(base.oldham.estimate, abs=1e-12)
    assert scaled.oldham.pvalue == pytest.approx(base.oldham.pvalue, rel=1e-9)
    assert swapped.observed_change == pytest.approx(-base.observed_change, abs=1e-9)


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
