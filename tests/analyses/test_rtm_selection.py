"""Selection on the baseline biases Oldham's test, and Blomqvist's slope test allows for it.

Known truth by simulation: 4000 studies of 58 untreated patients from the measurement-error
model of ``simulate_cohort`` (notebook 03's parameters), with and without enrolment on a
baseline above 6.2. With no treatment both null hypotheses are true. Without selection,
before and after are bivariate normal with equal variances, so Oldham's (= Pitman–Morgan's)
test is exact and its size is 5 %. Selection truncates the baseline's spread but not the
follow-up's, so the test rejects too often. The regression of the change on the baseline
conditions on the baseline, so selection on it leaves Blomqvist's slope test exact (with the
reliability of the population screened).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from cohort_reanalysis.analyses._kernel import p_from_t
from cohort_reanalysis.analyses._rtm import regression_to_mean
from cohort_reanalysis.analyses._simulate import simulate_cohort
from cohort_reanalysis.cohort import PairedData, load_dataset

STUDIES, N = 4000, 58
RELIABILITY, MEAN, SD, CUTOFF = 0.8, 7.5, 1.2, 6.2
ALPHA = 0.05
# 3.5 binomial standard errors of a 5 % rate over 4000 studies: about +/- 0.012.
TOLERANCE = 3.5 * math.sqrt(ALPHA * (1 - ALPHA) / STUDIES)


def _studies(cutoff: float | None, seed: int) -> tuple[np.ndarray, np.ndarray]:
    big = simulate_cohort(
        STUDIES * N,
        reliability=RELIABILITY,
        baseline_mean=MEAN,
        baseline_sd=SD,
        cutoff=cutoff,
        measure=None,
        seed=seed,
    )
    return (
        big.values("before").reshape(STUDIES, N),
        big.values("after").reshape(STUDIES, N),
    )


def _row_pearson(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    u = u - u.mean(axis=1, keepdims=True)
    v = v - v.mean(axis=1, keepdims=True)
    return (u * v).sum(axis=1) / np.sqrt((u * u).sum(axis=1) * (v * v).sum(axis=1))


def _oldham_p(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    r = _row_pearson((x + y) / 2.0, y - x)
    return np.asarray(p_from_t(r * np.sqrt((N - 2) / (1.0 - r * r)), float(N - 2)))


def _blomqvist_p(x: np.ndarray, y: np.ndarray, reliability: float) -> np.ndarray:
    """t of the OLS slope of change on baseline against reliability - 1, one per study."""
    d = y - x
    xc = x - x.mean(axis=1, keepdims=True)
    dc = d - d.mean(axis=1, keepdims=True)
    sxx = (xc * xc).sum(axis=1)
    b = (xc * dc).sum(axis=1) / sxx
    resid = dc - b[:, None] * xc
    se = np.sqrt((resid * resid).sum(axis=1) / (N - 2) / sxx)
    return np.asarray(p_from_t((b - (reliability - 1.0)) / se, float(N - 2)))


@pytest.fixture(scope="module")
def unselected() -> tuple[np.ndarray, np.ndarray]:
    return _studies(None, seed=19)


@pytest.fixture(scope="module")
def selected() -> tuple[np.ndarray, np.ndarray]:
    return _studies(CUTOFF, seed=20)


def test_vectorised_tests_are_the_librarys(selected: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = selected
    oldham, blomqvist = _oldham_p(x, y), _blomqvist_p(x, y, RELIABILITY)
    for i in range(3):
        pairs = PairedData(x[i], y[i], np.arange(1, N + 1), ())
        res = regression_to_mean(pairs, reliability=RELIABILITY, cutoff=CUTOFF)
        assert res.oldham is not None and res.pitman_morgan is not None
        assert res.oldham.pvalue == pytest.approx(oldham[i], rel=1e-9)
        assert res.pitman_morgan.pvalue == pytest.approx(oldham[i], rel=1e-9)
        assert res.corrected_pvalue == pytest.approx(blomqvist[i], rel=1e-9)
        # The test rejects exactly when the mapped interval excludes 0.
        assert res.corrected_ci_low is not None and res.corrected_ci_high is not None
        excludes = not res.corrected_ci_low <= 0.0 <= res.corrected_ci_high
        assert excludes == (blomqvist[i] < ALPHA)


def test_oldham_has_its_size_without_selection(unselected: tuple[np.ndarray, np.ndarray]) -> None:
    size = float(np.mean(_oldham_p(*unselected) < ALPHA))
    assert abs(size - ALPHA) < TOLERANCE, size


def test_selection_on_the_baseline_inflates_oldhams_size(
    selected: tuple[np.ndarray, np.ndarray],
) -> None:
    x, _ = selected
    assert (x > CUTOFF).all()
    size = float(np.mean(_oldham_p(*selected) < ALPHA))
    # Measured 0.162 with this seed (0.155 over 40 000 studies): three times the nominal.
    assert size > 2 * ALPHA, size


@pytest.mark.parametrize("which", ["unselected", "selected"])
def test_blomqvist_slope_test_has_its_size_with_or_without_selection(
    which: str, request: pytest.FixtureRequest
) -> None:
    x, y = request.getfixturevalue(which)
    size = float(np.mean(_blomqvist_p(x, y, RELIABILITY) < ALPHA))
    assert abs(size - ALPHA) < TOLERANCE, size


def test_a_cutoff_says_oldham_is_biased_everywhere_it_is_shown() -> None:
    cohort = load_dataset("matsuoka2025")
    res = regression_to_mean(cohort, reliability=0.9, cutoff=6.2)
    warning = next(w for w in res.warnings if "Oldham" in w)
    assert "selected on their baseline (above 6.2)" in warning
    assert "Blomqvist" in warning
    for text in (str(res), res._repr_html_(), res.explain()):
        assert "biases Oldham" in " ".join(text.split())
    # Without a cutoff the library cannot know of a selection; explain() says what to do.
    plain = regression_to_mean(cohort)
    assert not any("Oldham" in w for w in plain.warnings)
    assert "give cutoff=" in plain.explain()
