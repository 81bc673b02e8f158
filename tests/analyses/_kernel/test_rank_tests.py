"""Signed-rank and rank-sum z, Kruskal–Wallis: against R (Table 1), scipy.stats and by hand."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from cohort_reanalysis.analyses._kernel import (
    average_ranks,
    kruskal_wallis,
    p_from_z,
    rank_sum_z,
    signed_rank_z,
)
from cohort_reanalysis.cohort import load_dataset

R = json.loads((Path(__file__).resolve().parents[2] / "reference" / "msc58_R.json").read_text())


@pytest.mark.parametrize(
    ("correct", "key"), [(True, "msc_wilcox_correct"), (False, "msc_wilcox_nocorrect")]
)
def test_signed_rank_matches_r_on_table_one(correct: bool, key: str) -> None:
    c = load_dataset("matsuoka2025")
    d = c.values("before") - c.values("after")
    d = d[d != 0]
    ranks, ties = average_ranks(np.abs(d))
    v = float(ranks[d > 0].sum())
    tie_term = float((ties.astype(float) ** 3 - ties).sum()) / 48.0
    z = signed_rank_z(v, d.size, tie_term=tie_term, correct=correct)
    assert v == R[key]["V"]
    assert p_from_z(z) == pytest.approx(R[key]["p"], rel=1e-9)


def test_signed_rank_is_elementwise_and_corrects_by_alternative() -> None:
    v = np.array([3.0, 7.5, 12.0])
    sigma = math.sqrt(5 * 6 * 11 / 24)
    assert np.allclose(signed_rank_z(v, 5, alternative="greater"), (v - 7.5 - 0.5) / sigma)
    assert np.allclose(signed_rank_z(v, 5, alternative="less"), (v - 7.5 + 0.5) / sigma)
    assert signed_rank_z(7.5, 5) == 0.0  # two-sided: no correction at the centre


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
@pytest.mark.parametrize("correct", [True, False])
def test_rank_sum_matches_scipy_mannwhitneyu(alternative: str, correct: bool) -> None:
    rng = np.random.default_rng(1)
    a = rng.integers(0, 8, 17).astype(float)  # ties
    b = rng.integers(2, 10, 11).astype(float)
    res = rank_sum_z(a, b, correct=correct, alternative=alternative)
    ref = stats.mannwhitneyu(
        a, b, use_continuity=correct, method="asymptotic", alternative=alternative
    )
    assert res.statistic == ref.statistic
    assert p_from_z(res.z, alternative) == pytest.approx(ref.pvalue, rel=1e-10)
    with pytest.raises(ValueError, match="all values tie"):
        rank_sum_z([1.0, 1.0], [1.0])


@pytest.mark.parametrize("seed", range(6))
def test_kruskal_matches_scipy_with_heavy_ties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 7))
    groups = [rng.integers(0, 5, int(rng.integers(1, 30))).astype(float) for _ in range(k)]
    if np.ptp(np.concatenate(groups)) == 0:
        pytest.skip("all equal")
    res = kruskal_wallis(groups)
    ref = stats.kruskal(*groups)
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    assert res.df == k - 1


def test_kruskal_of_two_groups_is_the_uncorrected_rank_sum_squared() -> None:
    a, b = [1.0, 3.0, 3.0, 7.0], [2.0, 5.0, 6.0, 6.0, 9.0]
    z = rank_sum_z(a, b, correct=False).z
    assert kruskal_wallis([a, b]).statistic == pytest.approx(z * z, rel=1e-12)
    with pytest.raises(ValueError, match="every group"):
        kruskal_wallis([a, []])
