"""Signed-rank primitives: Wilcoxon's signed-rank test and the Hodges-Lehmann estimator.

Both work on one array of paired differences ``d`` (for example ``after - before``)
and know nothing of cohorts. Hand-written rather than ``scipy.stats.wilcoxon``: R's
``wilcox.test`` drops zeros before ranking, offers ``digits.rank`` and applies the continuity
correction by alternative, and scipy has no Hodges-Lehmann interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ._kernel import (
    Alternative,
    check_alternative,
    p_from_z,
    signed_rank_statistic,
    signed_rank_z,
    z_quantile,
)
from ._kernel._walsh import walsh_order_statistics as _walsh_order_statistics

__all__ = ["WilcoxonResult", "hodges_lehmann", "wilcoxon_signed_rank"]


@dataclass(frozen=True)
class WilcoxonResult:
    """Wilcoxon signed-rank test by the normal approximation.

    Attributes
    ----------
    statistic : float
        R's ``V``: the sum of the ranks of the positive differences.
    z : float
        Standardised statistic after the tie and (optional) continuity corrections.
    pvalue : float
        P-value for ``alternative``.
    n_used : int
        Non-zero differences that were ranked.
    n_zeros : int
        Zero differences dropped before ranking (R's convention).
    has_ties : bool
        Whether any absolute differences tied (after ``digits_rank`` rounding).
    correct : bool
        Whether the 0.5 continuity correction was applied.
    method : str
        Plain-language description of the computation.
    alternative : str
        ``"two-sided"``, ``"less"`` or ``"greater"`` (location of ``d`` relative to 0).
    """

    statistic: float
    z: float
    pvalue: float
    n_used: int
    n_zeros: int
    has_ties: bool
    correct: bool
    method: str
    alternative: str = "two-sided"


def _as_differences(d: npt.ArrayLike, name: str = "d") -> npt.NDArray[np.float64]:
    arr = np.asarray(d, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values; remove them explicitly first")
    return arr


def wilcoxon_signed_rank(
    d: npt.ArrayLike,
    *,
    correct: bool = True,
    alternative: Alternative = "two-sided",
    digits_rank: float = math.inf,
) -> WilcoxonResult:
    """Wilcoxon signed-rank test of ``d`` against 0, normal approximation.

    Reproduces R's ``wilcox.test(x, y, paired = TRUE, exact = FALSE, correct = correct)``
    with ``d = x - y``.

    Zeros and ties are handled as in R:

    * **Zeros** (``d == 0`` exactly) are dropped *before* ranking (Wilcoxon's original
      convention, scipy's ``zero_method="wilcox"``); their count is ``n_zeros``.
    * **Ties** among ``|d|`` get average ranks, and the null variance is reduced to
      ``n(n+1)(2n+1)/24 - sum(t^3 - t)/48`` over tie groups of size ``t``.
    * **Continuity correction** (``correct=True``): ``V - n(n+1)/4`` is moved 0.5 toward
      zero (two-sided: ``0.5 * sign``; ``greater``: ``-0.5``; ``less``: ``+0.5``).

    Floating-point differences matter: ``7.5 - 6.4`` and ``7.2 - 6.1`` are not equal in
    binary, so values that tie on paper may not tie here, exactly as in R. Pass
    ``digits_rank`` (R's argument of the same name, e.g. 7) to round ``|d|`` to that many
    significant digits before ranking.

    Parameters
    ----------
    d : array_like
        Paired differences (NaN raises: drop missing pairs first).
    correct : bool, default True
        Apply the continuity correction.
    alternative : {"two-sided", "less", "greater"}
        ``greater`` tests whether ``d`` is shifted above 0.
    digits_rank : float, default inf
        Significant digits used for ranking (``inf``: no rounding, R's default).

    Returns
    -------
    WilcoxonResult

    Raises
    ------
    ValueError
        If ``d`` is empty, or all differences are zero.

    Examples
    --------
    >>> res = wilcoxon_signed_rank([1.5, 2.0, -0.5, 3.0, 0.0, 1.0])
    >>> res.statistic, res.n_used, res.n_zeros
    (14.0, 5, 1)
    """
    check_alternative(alternative)
    arr = _as_differences(d)
    if arr.size == 0:
        raise ValueError("d is empty: the signed-rank test needs at least one difference")
    ranked = signed_rank_statistic(arr, digits_rank=digits_rank)
    v, n, n_zeros, has_ties, tie_term = ranked
    if n == 0:
        raise ValueError(
            f"all {arr.size} differences are zero: the signed-rank test is undefined "
            "(there is nothing to rank)"
        )
    z = signed_rank_z(v, n, tie_term=tie_term, correct=correct, alternative=alternative)
    p = p_from_z(z, alternative)

    parts = ["normal approximation", "zeros dropped before ranking"]
    parts.append("tie-corrected variance" if has_ties else "no ties")
    if correct:
        parts.append("continuity correction")
    return WilcoxonResult(
        statistic=v,
        z=float(z),
        pvalue=p,
        n_used=int(n),
        n_zeros=n_zeros,
        has_ties=has_ties,
        correct=correct,
        method="Wilcoxon signed-rank test (" + ", ".join(parts) + ")",
        alternative=alternative,
    )


def hodges_lehmann(
    d: npt.ArrayLike, *, confidence_level: float = 0.95
) -> tuple[float, float, float]:
    """Hodges-Lehmann estimate of the centre of ``d`` with a distribution-free CI.

    The estimate is the median of the ``M = n(n+1)/2`` Walsh averages
    ``(d_i + d_j) / 2, i <= j`` (Hollander & Wolfe 1999, sec. 3.2). The confidence
    interval inverts the signed-rank test: it runs from the ``C``-th to the
    ``(M + 1 - C)``-th ordered Walsh average, with ``C = M + 1 - t`` and ``t`` the upper
    ``(1 - confidence_level) / 2`` critical value of the signed-rank statistic. ``t`` is
    taken from the continuity-corrected normal approximation,
    ``t = n(n+1)/4 + 1/2 + z * sqrt(n(n+1)(2n+1)/24)``, which gives
    ``C = round(n(n+1)/4 + 1/2 - z * sigma)`` (the same interval as Hettmansperger &
    McKean's ``onesampwil`` in R package rlme). The critical rank assumes no ties, so
    with heavily tied data the coverage is approximate. Zeros are kept: they are
    legitimate Walsh-average inputs.

    Parameters
    ----------
    d : array_like
        Paired differences or a one-sample variable (NaN raises).
    confidence_level : float, default 0.95
        Two-sided confidence level in (0, 1).

    Returns
    -------
    (estimate, ci_low, ci_high) : tuple of float

    Raises
    ------
    ValueError
        If ``d`` is empty, or ``n`` is too small to reach ``confidence_level`` even with
        the widest interval (the min and max Walsh averages), e.g. ``n < 5`` at 95%.

    References
    ----------
    Hollander, M. and Wolfe, D. A. (1999). Nonparametric Statistical Methods, 2nd ed.
    Wiley, sec. 3.2.
    Hettmansperger, T. P. and McKean, J. W. (2011). Robust Nonparametric Statistical
    Methods, 2nd ed. CRC Press.

    Examples
    --------
    >>> hodges_lehmann([1.0, 2.0, 3.0, 4.0, 100.0, 5.0, 6.0])[0]
    4.0
    """
    if not 0.0 < confidence_level < 1.0:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level}")
    arr = _as_differences(d)
    n = arr.size
    if n == 0:
        raise ValueError("d is empty: the Hodges-Lehmann estimate needs at least one value")
    m = n * (n + 1) // 2

    z = z_quantile(1.0 - (1.0 - confidence_level) / 2.0)
    mu = n * (n + 1) / 4.0
    sigma = math.sqrt(n * (n + 1) * (2 * n + 1) / 24.0)
    c = math.floor(mu + 0.5 - z * sigma + 0.5)  # round half up; ties have probability 0
    if c < 1:
        raise ValueError(
            f"n = {n} is too small for a {confidence_level:.0%} Hodges-Lehmann interval: "
            f"the critical rank is {c} < 1 (even min..max of the Walsh averages falls short)"
        )
    c = min(c, (m + 1) // 2)
    # The Walsh averages' median and the c-th from each end, without forming all M of them
    # (O(n) memory: 10^6 pairs have 5 * 10^11 Walsh averages).
    middle = [(m + 1) // 2] if m % 2 else [m // 2, m // 2 + 1]
    found = _walsh_order_statistics(arr, [*middle, c, m + 1 - c])
    estimate = found[0] if m % 2 else float(np.mean(found[:2]))  # as np.median
    return estimate, found[-2], found[-1]
