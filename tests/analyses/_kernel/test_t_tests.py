"""One-sample (paired) and two-sample t statistics against R and scipy.stats."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from cohort_reanalysis.analyses._kernel import one_sample_t, p_from_t, two_sample_t
from cohort_reanalysis.cohort import load_dataset

R = json.loads((Path(__file__).resolve().parents[2] / "reference" / "msc58_R.json").read_text())


def test_paired_t_matches_r_on_table_one() -> None:
    c = load_dataset("matsuoka2025")
    res = one_sample_t(c.values("before") - c.values("after"))
    assert res.statistic == pytest.approx(R["msc_paired"]["t"], rel=1e-9)
    assert res.df == 57.0
    assert res.estimate == pytest.approx(R["msc_paired"]["est"], rel=1e-12)
    assert p_from_t(res.statistic, res.df) == pytest.approx(R["msc_paired"]["p"], rel=1e-9)


def test_one_sample_against_mu_and_by_row_match_scipy() -> None:
    rng = np.random.default_rng(2)
    d = rng.normal(0.4, 1.0, (5, 12))
    rows = one_sample_t(d, mu=0.1)
    ref = stats.ttest_1samp(d, 0.1, axis=1)
    assert np.allclose(rows.statistic, ref.statistic, rtol=1e-12)
    for i in range(5):
        assert one_sample_t(d[i], mu=0.1).statistic == pytest.approx(rows.statistic[i], rel=1e-13)


def test_one_sample_undefined_cases_raise() -> None:
    with pytest.raises(ValueError, match="2\\+ pairs"):
        one_sample_t([1.0])
    with pytest.raises(ValueError, match="every difference is the same"):
        one_sample_t([0.1 + 0.2] * 3)


@pytest.mark.parametrize("equal_var", [True, False])
@pytest.mark.parametrize("seed", range(4))
def test_student_and_welch_match_scipy(equal_var: bool, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a, b = rng.normal(0, 1, 9 + seed), rng.normal(0.8, 2.5, 15)
    res = two_sample_t(a, b, equal_var=equal_var)
    ref = stats.ttest_ind(a, b, equal_var=equal_var)
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.df == pytest.approx(ref.df, rel=1e-12)
    assert p_from_t(res.statistic, res.df) == pytest.approx(ref.pvalue, rel=1e-10)
    assert res.estimate == pytest.approx(a.mean() - b.mean(), rel=1e-14)


def test_two_sample_undefined_cases_raise() -> None:
    with pytest.raises(ValueError, match="2\\+ values per group"):
        two_sample_t([1.0], [1.0, 2.0], equal_var=True)
    with pytest.raises(ValueError, match="both groups are constant"):
        two_sample_t([1.0, 1.0], [2.0, 2.0], equal_var=False)


@pytest.mark.parametrize(
    "d",
    [
        [0.0, 2.2599884747784788e-293],  # the SD underflows to 0: found by the analyze fuzz test
        [1.0, 1.0 + 2.220446049250313e-16, 1.0],  # an SD of one ulp: rounding, not spread
    ],
)
def test_one_sample_t_refuses_an_sd_that_is_rounding_noise(d: list[float]) -> None:
    with pytest.raises(ValueError, match="rounding noise"):
        one_sample_t(d)
