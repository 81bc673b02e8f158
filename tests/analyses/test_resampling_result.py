"""Bootstrap intervals say where n is too small to trust them, with the t interval beside; the
sign-flip test says when its p-value cannot reach 0.05 or sits at its floor."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from cohort_reanalysis.analyses._resampling import bootstrap_mean_ci, sign_flip_test
from cohort_reanalysis.analyses._resampling_result import BOOTSTRAP_MIN_N


def _bca_coverage(n: int, sims: int, seed: int) -> float:
    rng = np.random.default_rng(seed)
    hits = 0
    for row in rng.normal(0.0, 1.0, size=(sims, n)):
        res = bootstrap_mean_ci(row, n_resamples=1000, seed=rng, method="bca")
        hits += res.ci_low <= 0.0 <= res.ci_high
    return hits / sims


def test_the_threshold_is_where_bca_stops_badly_undercovering() -> None:
    # Known truth: a 95 % interval of a normal mean. 1500 samples each, Monte Carlo SD ~0.007.
    # Measured: about 0.86 at n = 6, 0.925 at n = 20 (the t interval covers 0.95 exactly).
    assert BOOTSTRAP_MIN_N == 20
    assert _bca_coverage(6, 1500, seed=6) < 0.90
    assert _bca_coverage(BOOTSTRAP_MIN_N, 1500, seed=20) > 0.91


def test_small_n_warns_and_gives_the_t_interval_beside() -> None:
    x = np.random.default_rng(1).normal(5.0, 2.0, 19)
    small = bootstrap_mean_ci(x[:6], n_resamples=2000, seed=0)
    assert not small.trusted and "n = 6 is too small" in small.warning
    lo, hi = stats.t.interval(0.95, 5, loc=x[:6].mean(), scale=stats.sem(x[:6]))
    assert small.t_ci_low == pytest.approx(lo, rel=1e-12)
    assert small.t_ci_high == pytest.approx(hi, rel=1e-12)
    for shown in (str(small), small._repr_html_(), small.explain()):
        assert "too small for the BCa bootstrap interval to be trusted" in " ".join(shown.split())
    assert "mean, t CI" in str(small)
    assert bootstrap_mean_ci(x, n_resamples=500, seed=0, method="percentile").warning.startswith(
        "n = 19 is too small for the percentile"
    )
    enough = bootstrap_mean_ci(np.append(x, 4.0), n_resamples=500, seed=0)
    assert enough.trusted and enough.warning == "" and enough.warnings == ()


def test_constant_sample_has_no_t_interval_and_says_why() -> None:
    res = bootstrap_mean_ci([4.0, 4.0, 4.0], n_resamples=100, seed=0, method="percentile")
    assert res.t_ci_low is None and res.t_ci_high is None
    assert "every value is equal" in str(res)


def test_sign_flip_warnings() -> None:
    # Exact: with n = 4 the 16 patterns give a two-sided p of at least 2/16 = 0.125.
    four = sign_flip_test([1.0, 2.0, 3.0, 4.0], n_resamples=500, seed=0)
    assert four.smallest_exact_p == 0.125
    assert any("cannot reach 0.05" in w for w in four.warnings)
    six = sign_flip_test(np.arange(1.0, 7.0), n_resamples=500, seed=0)
    assert not any("cannot reach" in w for w in six.warnings)  # 2/64 < 0.05
    floor = sign_flip_test(np.arange(1.0, 41.0), n_resamples=99, seed=0)
    assert floor.pvalue == 1 / 100
    assert any("at its floor" in w for w in floor.warnings)
    assert "at its floor" in floor.to_frame().loc[0, "note"]
