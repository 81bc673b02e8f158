"""expected_rtm_change far in the tails (issue 18): finite, never OverflowError."""

from __future__ import annotations

import math

import pytest
from scipy.stats import norm

from cohort_reanalysis.analyses._rtm_formulas import expected_rtm_change


@pytest.mark.parametrize("z", [-3.0, 0.0, 1.5, 3.0])
def test_matches_scipy_in_the_body(z: float) -> None:
    mills = norm.pdf(z) / norm.sf(z)  # independent: scipy's density over survival function
    assert expected_rtm_change(z, reliability=0.8, mean=0.0, sd=1.0) == pytest.approx(
        -0.2 * mills, rel=1e-12
    )


@pytest.mark.parametrize("z", [40.0, 1e10, 1e155, 1e300])
@pytest.mark.parametrize("selected", ["above", "below"])
def test_far_tails_are_finite_and_within_gordons_bounds(z: float, selected: str) -> None:
    # A near-constant baseline puts the cutoff many SDs away; this raised OverflowError.
    c = z if selected == "above" else -z
    value = expected_rtm_change(c, reliability=0.8, mean=0.0, sd=1.0, selected=selected)  # type: ignore[arg-type]
    assert math.isfinite(value)
    # Gordon (1941): z < phi(z) / (1 - Phi(z)) < z + 1/z for z > 0.
    mills = abs(value) / 0.2
    assert z * (1 - 1e-12) <= mills <= (z + 1 / z) * (1 + 1e-12)
    other = expected_rtm_change(-c, reliability=0.8, mean=0.0, sd=1.0, selected=selected)  # type: ignore[arg-type]
    assert abs(other) < 1e-300 or abs(other) < 0.2 * math.exp(-0.5 * 40.0**2) * 10
