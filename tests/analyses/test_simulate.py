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

from cohort_reanalysis.analyses._ranks import wilcoxon_signed_rank
from cohort_reanalysis.analyses._rtm import expected_rtm_change
from cohort_reanalysis.analyses._simulate import (
    _sign_flip_pvalues,
    _wilcoxon_pvalues,
    simulate_cohort,
    simulate_power,
)


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


# ---------------------------------------------------------------------------- power


def _exact_t_power(n, d, alpha, alternative):
    df = n - 1
    ncp = d * math.sqrt(n)
    if alternative == "greater":
        return stats.nct.sf(stats.t.ppf(1 - alpha, df), df, ncp)
    if alternative == "less":
        return stats.nct.cdf(stats.t.ppf(alpha, df), df, ncp)
    crit = stats.t.ppf(1 - alpha / 2, df)
    return stats.nct.sf(crit, df, ncp) + stats.nct.cdf(-crit, df, ncp)


def test_exact_power_matches_r_power_t_test():
    # R: power.t.test(n = 20, delta = 0.5, sd = 1, type = "one.sample")$power = 0.5644829
    # (R ignores the far tail unless strict = TRUE; that tail adds about 2e-5 here).
    res = simulate_power(20, true_change=0.5, sd_change=1.0, n_sims=10, seed=0)
    assert res.analytic_power == pytest.approx(0.5644829, abs=5e-5)


@pytest.mark.parametrize(
    ("n", "delta", "sd", "alternative"),
    [
        (20, -0.5, 1.0, "two-sided"),
        (12, 0.8, 1.3, "greater"),
        (30, -0.3, 0.9, "less"),
        (8, 0.0, 1.0, "two-sided"),
    ],
)
def test_simulated_t_power_matches_noncentral_t(n, delta, sd, alternative):
    res = simulate_power(
        n, true_change=delta, sd_change=sd, n_sims=20_000, alternative=alternative, seed=1
    )
    exact = _exact_t_power(n, delta / sd, 0.05, alternative)
    assert res.analytic_power == pytest.approx(exact, rel=1e-9)
    assert abs(res.power - exact) < 4 * math.sqrt(exact * (1 - exact) / res.n_sims)
    assert res.ci_low <= res.power <= res.ci_high
    assert res.n_rejected == round(res.power * res.n_sims)


@pytest.mark.parametrize("test", ["wilcoxon", "sign_flip"])
def test_type_one_error_near_alpha(test):
    n_sims = 20_000 if test == "wilcoxon" else 4000
    res = simulate_power(
        25, true_change=0.0, sd_change=1.0, test=test, n_sims=n_sims, n_resamples=199, seed=3
    )
    assert abs(res.power - 0.05) < 4 * math.sqrt(0.05 * 0.95 / n_sims)
    assert res.analytic_power is None
    assert "analytic_power" in res.reasons


def test_wilcoxon_power_close_to_t_for_normal_data():
    # Asymptotic relative efficiency 3/pi: the signed-rank test needs about n * pi / 3
    # patients to match the t-test on normal data, so its power at n lies between the
    # t-test's power at 0.9 n and at n.
    n = 40
    res = simulate_power(n, true_change=0.4, sd_change=1.0, test="wilcoxon", n_sims=20_000, seed=4)
    se = res.mc_se
    assert res.power < _exact_t_power(n, 0.4, 0.05, "two-sided") + 4 * se
    assert res.power > _exact_t_power(36, 0.4, 0.05, "two-sided") - 4 * se


def test_vectorised_wilcoxon_pvalues_match_the_library_and_scipy():
    rng = np.random.default_rng(0)
    d = rng.normal(0.3, 1.0, size=(25, 15))
    for alternative in ("two-sided", "less", "greater"):
        p = _wilcoxon_pvalues(d, alternative)
        for row, pv in zip(d, p, strict=True):
            ref = wilcoxon_signed_rank(row, correct=True, alternative=alternative).pvalue
            assert pv == pytest.approx(ref, rel=1e-12)
            sp = stats.wilcoxon(row, alternative=alternative, method="approx", correction=True)
            assert pv == pytest.approx(sp.pvalue, rel=1e-9)


def test_vectorised_sign_flip_pvalues_match_full_enumeration():
    # With many random patterns, the Monte Carlo p-value approaches the exact one from all
    # 2^n sign patterns.
    from itertools import product

    rng = np.random.default_rng(1)
    d = rng.normal(0.4, 1.0, size=(3, 10))
    patterns = np.array(list(product([-1.0, 1.0], repeat=10)))
    sums = d @ patterns.T
    exact = (np.abs(sums) >= np.abs(d.sum(axis=1))[:, None] - 1e-12).mean(axis=1)
    p = _sign_flip_pvalues(d, "two-sided", 200_000, np.random.default_rng(2))
    np.testing.assert_allclose(p, exact, atol=4 * 0.5 / math.sqrt(200_000))


def test_power_seed_reproducibility_and_generator():
    a = simulate_power(15, true_change=0.5, sd_change=1.0, test="sign_flip", n_sims=300, seed=5)
    b = simulate_power(15, true_change=0.5, sd_change=1.0, test="sign_flip", n_sims=300, seed=5)
    assert a == b
    assert a.seed == "seed=5"
    g = simulate_power(
        15, true_change=0.5, sd_change=1.0, n_sims=300, seed=np.random.default_rng(0)
    )
    assert "Generator" in g.seed


def test_power_rises_with_n():
    powers = [
        simulate_power(n, true_change=0.5, sd_change=1.0, n_sims=4000, seed=6).power
        for n in (10, 20, 40)
    ]
    assert powers[0] < powers[1] < powers[2]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n": 1},
        {"n": 10, "sd_change": 0.0},
        {"n": 10, "alpha": 0.0},
        {"n": 10, "alpha": 1.0},
        {"n": 10, "test": "ttest"},
        {"n": 10, "alternative": "two_sided"},
        {"n": 10, "n_sims": 0},
        {"n": 10, "test": "sign_flip", "n_resamples": 0},
    ],
)
def test_power_bad_parameters(kwargs):
    kwargs = {"true_change": 0.5, "sd_change": 1.0, **kwargs}
    with pytest.raises(ValueError):
        simulate_power(**kwargs)


def test_power_rendering():
    res = simulate_power(20, true_change=0.0, sd_change=1.0, n_sims=500, seed=0)
    text = str(res)
    assert "Power of the paired t-test" in text
    assert "noncentral t" in text
    html = res._repr_html_()
    assert html.startswith("<div><table")
    assert "seed=0" in html
    assert "type I error" in res.explain()
    frame = res.to_frame()
    assert frame.loc[0, "power"] == res.power
