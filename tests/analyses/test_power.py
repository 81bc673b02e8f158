"""Power of paired tests by simulation, against the noncentral t, R's power.t.test and scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from cohort_reanalysis.analyses._power import _sign_flip_pvalues, _wilcoxon_pvalues, simulate_power
from cohort_reanalysis.analyses._ranks import wilcoxon_signed_rank


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
