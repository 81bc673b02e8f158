"""The formulas of regression to the mean (RTM), for a cohort with no control group:

* **Oldham's correlation** (Oldham 1962) of the change ``after - before`` with the mean of
  ``before`` and ``after``. Correlating change with the *baseline* is biased toward a negative
  value by RTM and by mathematical coupling (the baseline sits in both variables); with the mean
  instead, the correlation is 0 unless the spread changed. It equals the **Pitman–Morgan test**
  of equal variances of ``before`` and ``after`` (Pitman 1939; Morgan 1939): the covariance of
  difference and sum is ``var(after) - var(before)``, so the two tests share their t statistic on
  ``n - 2`` df and their p-value. Both are computed here, by different formulas.
* **The expected change under no treatment effect** for patients selected by their baseline
  value (Barnett, van der Pols & Dobson 2005, Int J Epidemiol 34:215-220). For a normal
  baseline with mean ``mu`` and SD ``sigma`` and test–retest reliability ``rho`` (the share of
  the baseline variance that is between-patient), selecting ``x > c`` gives an expected change
  ``-sigma (1 - rho) phi(z) / (1 - Phi(z))`` with ``z = (c - mu) / sigma`` (a fall); selecting
  ``x < c`` gives ``+sigma (1 - rho) phi(z) / Phi(z)`` (a rise).
* **Blomqvist's corrected slope** (Blomqvist 1977, JASA 72:746-749) of change on the true
  baseline. With independent measurement error, the observed slope of change on baseline is
  ``b = rho (1 + beta) - 1``; so ``beta = (b + 1 - rho) / rho`` (Blomqvist wrote it with the
  error-variance ratio ``k = 1 - rho`` as ``(b + k) / (1 - k)``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from ._kernel import p_from_t, t_quantile

__all__ = [
    "PitmanMorgan",
    "Selection",
    "blomqvist_slope",
    "check_reliability",
    "expected_rtm_change",
    "pitman_morgan",
]

Selection = Literal["above", "below"]


def check_reliability(reliability: float) -> float:
    rho = float(reliability)
    if not (math.isfinite(rho) and 0.0 < rho <= 1.0):
        raise ValueError(f"reliability must lie in (0, 1], got {reliability!r}")
    return rho


def expected_rtm_change(
    cutoff: float,
    *,
    reliability: float,
    mean: float,
    sd: float,
    selected: Selection = "above",
) -> float:
    """Expected change ``after - before`` from regression to the mean alone.

    Barnett, van der Pols & Dobson (2005): for a normal baseline (``mean``, ``sd``) with
    test–retest ``reliability`` rho, in patients selected with a baseline above ``cutoff`` the
    mean change with no treatment effect is ``-sd (1 - rho) phi(z) / (1 - Phi(z))``,
    ``z = (cutoff - mean) / sd``; below ``cutoff`` it is ``+sd (1 - rho) phi(z) / Phi(z)``.

    Parameters
    ----------
    cutoff : float
        Selection threshold on the baseline.
    reliability : float
        In (0, 1]: between-patient variance over total variance of a single measurement.
    mean, sd : float
        Mean and SD (> 0) of the baseline in the population selected from.
    selected : {"above", "below"}
        Which side of the cutoff the patients were taken from.

    Returns
    -------
    float
        Negative for selection above (values fall back), positive for selection below.

    Examples
    --------
    >>> round(expected_rtm_change(0.0, reliability=0.5, mean=0.0, sd=1.0), 4)  # -0.5*2*phi(0)
    -0.3989
    """
    from scipy.special import erfcx

    rho = check_reliability(reliability)
    if not (math.isfinite(sd) and sd > 0.0):
        raise ValueError(f"sd must be positive, got {sd!r}")
    if selected not in ("above", "below"):
        raise ValueError(f"selected must be 'above' or 'below', got {selected!r}")
    z = (float(cutoff) - float(mean)) / float(sd)
    # Inverse Mills ratio phi(z) / (1 - Phi(z)) = sqrt(2/pi) / erfcx(z / sqrt 2): finite in
    # both tails (about z far above the mean, 0 far below), where exp of log-densities overflows.
    if selected == "above":
        return -sd * (1.0 - rho) * _SQRT_2_OVER_PI / float(erfcx(z / math.sqrt(2.0)))
    return sd * (1.0 - rho) * _SQRT_2_OVER_PI / float(erfcx(-z / math.sqrt(2.0)))


_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


@dataclass(frozen=True)
class PitmanMorgan:
    """Pitman–Morgan test of equal variances of two paired samples.

    ``variance_ratio`` is ``var(after) / var(before)`` with its CI (inverting the test);
    ``statistic`` is t on ``df = n - 2``, positive when ``after`` varies more.
    """

    variance_ratio: float
    ci_low: float
    ci_high: float
    confidence_level: float
    statistic: float
    df: float
    pvalue: float
    correlation: float
    n: int


def pitman_morgan(
    before: npt.ArrayLike, after: npt.ArrayLike, *, confidence_level: float = 0.95
) -> PitmanMorgan:
    """Pitman (1939) and Morgan (1939) test that paired ``before`` and ``after`` have equal
    variances.

    With ``F = s_after² / s_before²`` and ``r`` their correlation,
    ``t = (F - 1) sqrt(n - 2) / (2 sqrt(F (1 - r²)))`` on ``n - 2`` df. Its CI for the ratio of
    variances is ``F (K ∓ sqrt(K² - 1))`` with ``K = 1 + 2 (1 - r²) q² / (n - 2)``, ``q`` the t
    quantile (the ratios the test does not reject).

    Raises
    ------
    ValueError
        If ``n < 3``, a sample is constant, or ``|r| = 1``.

    Examples
    --------
    >>> res = pitman_morgan([1.0, 2.0, 3.0, 4.0, 6.0], [2.0, 2.5, 3.0, 5.0, 5.5])
    >>> res.df, res.variance_ratio < 1
    (3.0, True)
    """
    x = np.asarray(before, dtype=np.float64)
    y = np.asarray(after, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError("before and after must be one-dimensional and of equal length")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("before and after must not contain missing or infinite values")
    n = x.size
    if n < 3:
        raise ValueError(f"the Pitman–Morgan test needs at least 3 pairs, got {n}")
    vx, vy = float(x.var(ddof=1)), float(y.var(ddof=1))
    if vx == 0.0 or vy == 0.0:
        raise ValueError("a visit has no variation (SD 0): the variance ratio is undefined")
    r = float(np.corrcoef(x, y)[0, 1])
    one_minus_r2 = 1.0 - r * r
    if one_minus_r2 <= 0.0:
        raise ValueError("before and after are perfectly correlated: the test is undefined")
    f = vy / vx
    df = float(n - 2)
    t = (f - 1.0) * math.sqrt(df) / (2.0 * math.sqrt(f * one_minus_r2))
    p = p_from_t(t, df)
    q = t_quantile(1.0 - (1.0 - confidence_level) / 2.0, df)
    k = 1.0 + 2.0 * one_minus_r2 * q * q / df
    root = math.sqrt(k * k - 1.0)
    return PitmanMorgan(
        f, f * (k - root), f * (k + root), float(confidence_level), t, df, p, r, int(n)
    )


def blomqvist_slope(observed_slope: float, reliability: float) -> float:
    """Blomqvist's (1977) slope of change on the *true* baseline from the observed one.

    ``(b + 1 - rho) / rho``: under independent measurement error the observed slope of change
    on baseline is ``rho (1 + beta) - 1``, negative (``rho - 1``) even when ``beta = 0``.

    Examples
    --------
    >>> blomqvist_slope(-0.2, 0.8)  # all of the observed slope is regression to the mean
    0.0
    """
    rho = check_reliability(reliability)
    return (float(observed_slope) + 1.0 - rho) / rho
