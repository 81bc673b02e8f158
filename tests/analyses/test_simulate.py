"""Teaching simulations against theory: Barnett et al.'s (2005) expected regression to the mean
(closed form, computed here with scipy.stats.norm), the moments of the measurement-error model,
the exact power of the paired t-test (noncentral t; R's power.t.test), and type I error rates."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cohort_reanalysis.analyses._rtm import expected_rtm_change
from cohort_reanalysis.analyses._simulate import simulate_cohort


def _barnett(cutoff: float, rho: float, mu: float, sigma: float, side: str) -> float:
    """Barnett, van der Pols & Dobson (2005), eq. for the RTM effect, via scipy.stats.norm."""
    z = (cutoff - mu) / sigma
    if side == "above":
        return -sigma * (1 - rho) * stats.norm.pdf(z) / stats.norm.sf(z)
    return sigma * (1 - rho) * stats.norm.pdf(z) / stats.norm.cdf(z)


# ---------------------------------------------------------------------------- cohorts


@pytest.mark.parametrize(
    ("cutoff", "side", "rho"),
    [(8.5, "above", 0.7), (9.5, "above", 0.9), (6.5, "below", 0.6)],
)
def test_selected_cohort_shows_barnett_rtm_without_any_effect(cutoff, side, rho):
    n = 200_000
    cohort = simulate_cohort(n, reliability=rho, cutoff=cutoff, select=side, measure=None, seed=11)
    change = cohort.pair().change
    expected = _barnett(cutoff, rho, 7.5, 1.2, side)
    se = change.std(ddof=1) / math.sqrt(n)
    assert abs(change.mean() - expected) < 4 * se
    # The library's formula agrees with the closed form computed here.
    assert expected_rtm_change(cutoff, reliability=rho, mean=7.5, sd=1.2, selected=side) == (
        pytest.approx(expected, rel=1e-10)
    )


def test_true_change_adds_to_rtm():
    n = 200_000
    cohort = simulate_cohort(n, true_change=-0.4, reliability=0.8, cutoff=8.0, measure=None, seed=5)
    change = cohort.pair().change
    expected = -0.4 + _barnett(8.0, 0.8, 7.5, 1.2, "above")
    assert abs(change.mean() - expected) < 4 * change.std(ddof=1) / math.sqrt(n)


def test_moments_of_the_unselected_model():
    # var(before) = sd², corr(before, after) = reliability, corr(true, before)² = reliability,
    # SD of the change = sqrt(2 (1 - rho) sd² + effect_sd²).
    n, rho, sd, tau = 200_000, 0.75, 1.2, 0.3
    cohort = simulate_cohort(
        n, true_change=0.2, effect_sd=tau, reliability=rho, measure=None, seed=2
    )
    before = cohort.values("before")
    after = cohort.values("after")
    true = cohort.values("true_level")
    assert before.mean() == pytest.approx(7.5, abs=4 * sd / math.sqrt(n))
    # SE of a sample SD is about sd / sqrt(2n).
    assert before.std(ddof=1) == pytest.approx(sd, abs=4 * sd / math.sqrt(2 * n))
    assert np.corrcoef(true, before)[0, 1] ** 2 == pytest.approx(rho, abs=0.01)
    # With effect_sd > 0, cov(before, after) = rho sd² still, var(after) = sd² + tau².
    r_expected = rho * sd**2 / (sd * math.sqrt(sd**2 + tau**2))
    assert np.corrcoef(before, after)[0, 1] == pytest.approx(r_expected, abs=0.01)
    change = after - before
    sd_change = math.sqrt(2 * (1 - rho) * sd**2 + tau**2)
    assert change.mean() == pytest.approx(0.2, abs=4 * sd_change / math.sqrt(n))
    assert change.std(ddof=1) == pytest.approx(sd_change, rel=0.01)


def test_reliability_one_means_no_noise_and_no_rtm():
    cohort = simulate_cohort(500, reliability=1.0, cutoff=8.0, measure=None, seed=0)
    np.testing.assert_array_equal(cohort.values("before"), cohort.values("true_level"))
    np.testing.assert_allclose(cohort.pair().change, 0.0, atol=1e-12)


def test_selection_is_on_the_observed_baseline():
    above = simulate_cohort(300, cutoff=8.0, seed=1)
    below = simulate_cohort(300, cutoff=7.0, select="below", seed=1)
    assert (above.values("before") > 8.0).all()
    assert (below.values("before") < 7.0).all()
    # The truth behind a high measurement is lower than the measurement, on average.
    assert (above.values("true_level") - above.values("before")).mean() < 0


def test_seed_reproducibility():
    a = simulate_cohort(100, cutoff=8.0, seed=42)
    b = simulate_cohort(100, cutoff=8.0, seed=42)
    c = simulate_cohort(100, cutoff=8.0, seed=43)
    assert a == b
    assert a != c
    g1 = simulate_cohort(50, seed=np.random.default_rng(7))
    g2 = simulate_cohort(50, seed=np.random.default_rng(7))
    assert g1 == g2


def test_provenance_says_simulated_with_parameters_and_seed():
    cohort = simulate_cohort(40, true_change=-0.3, cutoff=8.0, seed=9)
    prov = cohort.provenance
    assert prov.source_kind == "simulation"
    text = " ".join(prov.notes) + " " + (prov.citation or "")
    for piece in ("seed=9", "true_change=-0.3", "reliability=0.8", "baseline > 8", "screened"):
        assert piece in text
    assert "Simulated" in text
    assert cohort.measure == "HbA1c"
    assert cohort.unit == "%"


def test_n_of_one_and_generic_measure():
    cohort = simulate_cohort(1, measure=None, unit=None, seed=0)
    assert len(cohort) == 1
    assert cohort.measure is None


def test_implausible_values_raise_instead_of_clipping():
    with pytest.raises(ValueError, match="measure=None"):
        simulate_cohort(2000, baseline_mean=4.0, baseline_sd=1.5, seed=0)
    # The same parameters are fine for a generic measure.
    assert len(simulate_cohort(2000, baseline_mean=4.0, baseline_sd=1.5, measure=None, seed=0))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n": 0},
        {"n": 10, "reliability": 0.0},
        {"n": 10, "reliability": 1.2},
        {"n": 10, "baseline_sd": 0.0},
        {"n": 10, "effect_sd": -1.0},
        {"n": 10, "select": "between"},
        {"n": 10, "cutoff": math.nan},
        {"n": 10, "cutoff": 30.0},  # 18 SDs above the mean: nobody passes
    ],
)
def test_bad_parameters(kwargs):
    with pytest.raises(ValueError):
        simulate_cohort(**kwargs)


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(1, 60),
    rho=st.floats(0.05, 1.0),
    cutoff=st.floats(5.0, 10.0),
    side=st.sampled_from(["above", "below"]),
    seed=st.integers(0, 2**16),
)
def test_any_valid_selection_gives_n_rows_on_the_right_side(n, rho, cutoff, side, seed):
    cohort = simulate_cohort(
        n, reliability=rho, cutoff=cutoff, select=side, measure=None, seed=seed
    )
    before = cohort.values("before")
    assert len(cohort) == n
    assert (before > cutoff).all() if side == "above" else (before < cutoff).all()
