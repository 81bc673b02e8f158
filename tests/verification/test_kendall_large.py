"""Kendall's tau-b above the pairwise limit (scipy's O(n log n) count) equals the pairwise one."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from cohort_reanalysis.verification import _recompute


def test_large_n_path_agrees_with_scipy_and_with_the_pairwise_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(3)
    n = _recompute._KENDALL_PAIRWISE_MAX + 500
    x = np.round(rng.normal(size=n), 1)  # ties, as in printed tables
    y = np.round(0.3 * x + rng.normal(size=n), 1)
    tau_fast, z_fast = _recompute._kendall(x, y)
    assert tau_fast == pytest.approx(stats.kendalltau(x, y, variant="b").statistic, rel=1e-12)
    monkeypatch.setattr(_recompute, "_KENDALL_PAIRWISE_MAX", n)  # force the pairwise sums
    tau_pairwise, z_pairwise = _recompute._kendall(x, y)
    assert tau_fast == pytest.approx(tau_pairwise, rel=1e-12)
    assert z_fast == pytest.approx(z_pairwise, rel=1e-12)
