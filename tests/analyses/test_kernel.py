"""Each shared routine gives the same number on both layers' paths.

The result builders (``paired_change``, ``correlate``, ``regression_to_mean``) and the
verification's recomputation (``recompute`` of a claim's quantity) call the one kernel in
``analyses/_kernel``; on the same arrays they must agree with it exactly, and with R
(tests/reference/msc58_R.json, R 4.2.2 on Matsuoka et al.'s Table 1) to 1e-9.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cohort_reanalysis.analyses._correlation import correlate
from cohort_reanalysis.analyses._kernel import (
    correlation_test,
    one_sample_t,
    p_from_t,
    p_from_z,
    t_interval,
)
from cohort_reanalysis.analyses._paired import paired_change
from cohort_reanalysis.analyses._rtm import regression_to_mean
from cohort_reanalysis.cohort import load_dataset
from cohort_reanalysis.verification._cohort_arrays import CohortArrays
from cohort_reanalysis.verification._recompute import recompute
from cohort_reanalysis.verification.claims import Method, Quantity

R = json.loads((Path(__file__).resolve().parents[1] / "reference" / "msc58_R.json").read_text())
REL = 1e-9


@pytest.fixture(scope="module")
def msc() -> CohortArrays:
    return CohortArrays(load_dataset("matsuoka2025"))


def _reduction(msc: CohortArrays) -> np.ndarray:
    return msc.values("before") - msc.values("after")


def test_paired_t_p_is_the_kernels_on_both_layers(msc: CohortArrays) -> None:
    d = msc.values("after") - msc.values("before")
    kernel = one_sample_t(d)
    p = p_from_t(kernel.statistic, kernel.df)
    analyses = paired_change(msc.cohort)
    verification = recompute(msc, Quantity("pvalue", method=Method(test="paired_t")))
    assert analyses.statistic == kernel.statistic and analyses.df == kernel.df == 57.0
    assert analyses.pvalue == p
    assert verification == p
    assert p == pytest.approx(R["msc_paired"]["p"], rel=REL)
    assert -kernel.statistic == pytest.approx(R["msc_paired"]["t"], rel=REL)


def test_t_interval_is_the_kernels_in_every_result(msc: CohortArrays) -> None:
    d = _reduction(msc)
    kernel = one_sample_t(d)
    low, high = t_interval(kernel.estimate, kernel.se, kernel.df, 0.95)
    assert (low, high) == pytest.approx(R["msc_paired"]["ci"], rel=REL)
    # paired_change works in after - before: the same interval, mirrored.
    res = paired_change(msc.cohort)
    mirrored = t_interval(-kernel.estimate, kernel.se, kernel.df, 0.95)
    assert (res.ci_low, res.ci_high) == pytest.approx(mirrored, rel=1e-15)
    up = one_sample_t(-d)
    assert (res.ci_low, res.ci_high) == t_interval(up.estimate, up.se, up.df, 0.95)
    assert tuple(res.confidence_interval(0.95)) == (res.ci_low, res.ci_high)
    rtm = regression_to_mean(msc.cohort)
    assert (rtm.observed_ci_low, rtm.observed_ci_high) == (res.ci_low, res.ci_high)


@pytest.mark.parametrize(
    ("x", "key", "method", "field"),
    [
        ("followup", "msc_cor_months_pearson", "pearson", "r"),
        ("followup", "msc_cor_months_spearman", "spearman", "rho"),
        ("dose", "msc_cor_dose_spearman", "spearman", "rho"),
        ("dose", "msc_cor_dose_kendall", "kendall", "tau"),
    ],
)
def test_correlations_are_the_kernels_on_both_layers(
    msc: CohortArrays, x: str, key: str, method: str, field: str
) -> None:
    xs, ys = msc.values(x), _reduction(msc)
    kernel = correlation_test(xs, ys, method)
    p = p_from_z(kernel.statistic) if kernel.df is None else p_from_t(kernel.statistic, kernel.df)
    analyses = correlate(xs, ys, method=method)  # type: ignore[arg-type]
    m = Method(correlation=method)
    q = {"x": x, "y": "change", "direction": "reduction", "method": m}
    assert analyses.estimate == kernel.estimate
    assert analyses.pvalue == p
    assert recompute(msc, Quantity("correlation", **q)) == kernel.estimate  # type: ignore[arg-type]
    assert recompute(msc, Quantity("pvalue", **q)) == p  # type: ignore[arg-type]
    assert kernel.estimate == pytest.approx(R[key][field], rel=REL, abs=1e-12)
    assert p == pytest.approx(R[key]["p"], rel=1e-8)
