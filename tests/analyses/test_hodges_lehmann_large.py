"""Hodges-Lehmann without forming every Walsh average: exact, and O(n) in memory.

The reference is the definition itself: the median (and CI order statistics) of all
n(n+1)/2 Walsh averages, formed explicitly with numpy for sizes where that fits.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from cohort_reanalysis.analyses._ranks import hodges_lehmann


def brute_force(d: np.ndarray, confidence_level: float) -> tuple[float, float, float]:
    i, j = np.triu_indices(d.size)
    walsh = np.sort((d[i] + d[j]) / 2.0)
    m = walsh.size
    estimate = float(np.median(walsh))
    # Hollander & Wolfe's critical rank, as documented in hodges_lehmann().
    n = d.size
    z = stats.norm.ppf(0.5 + confidence_level / 2.0)
    c = round(n * (n + 1) / 4.0 + 0.5 - z * math.sqrt(n * (n + 1) * (2 * n + 1) / 24.0))
    return estimate, float(walsh[c - 1]), float(walsh[m - c])


@pytest.mark.parametrize(
    ("n", "ties"), [(7, False), (60, True), (300, False), (1500, True), (2000, False)]
)
def test_matches_every_walsh_average_formed_explicitly(n: int, ties: bool) -> None:
    rng = np.random.default_rng(n)
    d = rng.normal(-0.5, 1.0, n)
    if ties:  # values on a 0.1 grid, as HbA1c differences are printed
        d = np.round(d, 1)
    assert hodges_lehmann(d, confidence_level=0.95) == pytest.approx(
        brute_force(d, 0.95), rel=0, abs=0
    )


def test_a_large_sample_needs_no_quadratic_memory() -> None:
    # 10^5 pairs: 5e9 Walsh averages (40 GB as float64) if formed; the median of Walsh
    # averages of a symmetric sample estimates its centre.
    rng = np.random.default_rng(1)
    d = rng.normal(0.25, 1.0, 100_000)
    estimate, low, high = hodges_lehmann(d, confidence_level=0.95)
    assert low < estimate < high
    assert abs(estimate - 0.25) < 4 * 1.0 / math.sqrt(d.size)


def test_paired_change_on_a_large_table_warns_nothing_and_notes_the_caveat() -> None:
    import warnings

    import pandas as pd

    from cohort_reanalysis import Cohort, paired_change

    rng = np.random.default_rng(2)
    before = rng.normal(80.0, 10.0, 20_000)
    frame = pd.DataFrame({"b": before, "a": before + rng.normal(-1.0, 2.0, before.size)})
    cohort = Cohort.from_frame(frame, columns={"before": "b", "after": "a"})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = paired_change(cohort)
    note = result.to_frame().set_index("quantity").loc["Shapiro-Wilk W", "note"]
    assert "approximate above 5000" in note
    assert result.hodges_lehmann is not None
