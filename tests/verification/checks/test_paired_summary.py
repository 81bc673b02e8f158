"""The paired p from two visits' summaries over every within-patient correlation, against
R's t.test on simulated visits whose correlation is known (tests/reference/paired_summary_R.R)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from cohort_reanalysis.analyses._kernel import paired_t_from_summary
from cohort_reanalysis.verification.checks._paired_summary import paired_p, paired_p_from_summary

CASES = json.loads((Path(__file__).parents[2] / "reference" / "paired_summary_R.json").read_text())[
    "cases"
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"seed{c['seed']}")
def test_kernel_t_and_p_at_the_sample_correlation_equal_r(case: dict) -> None:
    args = (case["mean_x"], case["sd_x"], case["mean_y"], case["sd_y"], case["n"], case["r"])
    t, df = paired_t_from_summary(*args)
    assert t == pytest.approx(case["t"], rel=1e-9) and df == case["n"] - 1
    assert paired_p(*args) == pytest.approx(case["p"], rel=1e-9)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"seed{c['seed']}")
def test_printed_summaries_allow_the_true_correlation(case: dict) -> None:
    comparator = "<" if case["p_below"] else "="
    check = paired_p_from_summary(*case["printed"], case["n"], case["p_printed"], comparator)
    assert check.consistent is True
    # The true numbers lie in the printed ones' intervals, so their correlation is allowed.
    assert check.values["r_low"] <= case["r"] <= check.values["r_high"]
    assert check.values["p_at_r_minus_1"] == pytest.approx(case["p_at_r_minus_1"], rel=1e-9)
    assert check.values["needs_high_r"] == float(check.values["r_low"] > 0.95)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"seed{c['seed']}")
def test_a_p_above_what_r_minus_1_gives_is_inconsistent(case: dict) -> None:
    above = case["p_at_r_minus_1"] + 0.01
    if above >= 1:
        pytest.skip("the printed summaries allow any p")
    check = paired_p_from_summary(*case["printed"], case["n"], f"{above:.2f}", ">")
    assert check.consistent is False and "r_low" not in check.values
    assert "No within-patient correlation" in check.detail


def test_a_p_that_needs_a_very_high_correlation_is_flagged() -> None:
    # Two visits 8.21 ± 0.95 and 7.80 ± 0.95 (n = 40): p < 1e-12 needs an SD of change so
    # small that only r near 1 gives it. scipy's t law says where that starts.
    n, diff, sd = 40, 0.41, 0.95
    check = paired_p_from_summary("8.21", "0.95", "7.80", "0.95", n, "1e-12", "<")
    assert check.consistent is True and check.values["needs_high_r"] == 1.0
    assert "Flagged" in check.detail
    # At the least r it reports, the extreme corner of the rounding box reaches p = 1e-12.
    t_needed = stats.t.isf(0.5e-12, n - 1)
    r = check.values["r_low"]
    low, high = sd - 0.005, sd + 0.005
    var = min(
        a * a + b * b - 2 * r * a * b
        for a in np.linspace(low, high, 201)
        for b in np.linspace(low, high, 201)
    )
    assert (diff + 0.01) / math.sqrt(max(var, 0) / n) == pytest.approx(t_needed, rel=1e-3)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="n must be"):
        paired_p_from_summary("1.0", "1.0", "2.0", "1.0", 1, "0.5")
    with pytest.raises(ValueError, match="non-negative SD"):
        paired_p_from_summary("1.0", "-1.0", "2.0", "1.0", 10, "0.5")
    with pytest.raises(ValueError, match="p-value lies between 0 and 1"):
        paired_p_from_summary("1.0", "1.0", "2.0", "1.0", 10, "1.5")
    with pytest.raises(ValueError, match="high_r"):
        paired_p_from_summary("1.0", "1.0", "2.0", "1.0", 10, "0.5", high_r=0)
