"""The one-sample (or paired) Wilcoxon signed-rank test, its exact law and R's intervals.

:func:`signed_rank_test` is R's ``wilcox.test(x, mu = mu, conf.int = )`` with R's defaults:
values equal to ``mu`` dropped, the exact p-value when fewer than 50 remain and none tie or
was dropped, otherwise the normal approximation with tie-corrected variance and continuity
correction; the interval of the pseudomedian from the exact law (order statistics of the
Walsh averages) or by inverting the normal approximation with R's own root finder and
tolerance (:mod:`._zeroin`), so the printed limits match R's, not the exact step points.
Hand-written: ``scipy.stats.wilcoxon`` has no ``mu``, no interval and a different
continuity rule.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from ._distributions import check_alternative, p_from_z, z_quantile
from ._rank_tests import signed_rank_z
from ._ranks import average_ranks_rows
from ._walsh import walsh_order_statistics
from ._zeroin import uniroot

__all__ = [
    "SignedRankStatistic",
    "SignedRankTest",
    "psignrank",
    "qsignrank",
    "signed_rank_rows",
    "signed_rank_statistic",
    "signed_rank_test",
    "signif",
]

_LN2 = math.log(2.0)
_EXACT_BELOW = 50  # R: exact <- (n < 50)
_R_WILCOX_ROOT_TOL = 1e-4  # wilcox.test's tol.root


def signif(x: npt.NDArray[np.float64], digits: int) -> npt.NDArray[np.float64]:
    """Round to ``digits`` significant digits, like R's ``signif``.

    Examples
    --------
    >>> signif(np.array([123.456, -0.0012345, 0.0]), 3).tolist()
    [123.0, -0.00123, 0.0]
    """
    out = np.array(x, dtype=np.float64, copy=True)
    nz = out != 0
    mag = np.floor(np.log10(np.abs(out[nz])))
    factor = 10.0 ** (digits - 1 - mag)
    out[nz] = np.round(out[nz] * factor) / factor
    return out


class SignedRankStatistic(NamedTuple):
    """R's ``V`` of the non-zero values, how many were ranked and dropped, and the tie term."""

    statistic: float
    n: int
    n_zeros: int
    has_ties: bool
    tie_term: float  # sum(t^3 - t) / 48 over tie groups of |x|


def _ranked(x: npt.NDArray[np.float64], digits_rank: float) -> tuple[float, int, bool, float]:
    """(V, n, ties?, tie term) of values already free of zeros."""
    to_rank = np.abs(x)
    if math.isfinite(digits_rank):
        to_rank = signif(to_rank, max(1, int(digits_rank)))  # R treats digits < 1 as 1
    v, tie_term, ties = _rows(x[None], to_rank[None])
    return float(v[0]), int(x.size), bool(ties[0]), float(tie_term[0])


def _rows(
    x: npt.NDArray[np.float64],
    to_rank: npt.NDArray[np.float64],
    selected: npt.NDArray[np.bool_] | None = None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    keep = np.ones(x.shape, dtype=bool) if selected is None else selected
    # Values not kept rank last and tie with none of the kept ones.
    ranks, sizes = average_ranks_rows(np.where(keep, to_rank, np.inf))
    v = np.where(keep & (x > 0), ranks, 0.0).sum(axis=-1)
    t = sizes.astype(np.float64)
    # sum(t³ - t) over the tie groups is sum(t² - 1) over the values.
    tie_term = np.where(keep, t * t - 1.0, 0.0).sum(axis=-1) / 48.0
    ties: npt.NDArray[np.bool_] = np.asarray((keep & (sizes > 1)).any(axis=-1))
    return v, tie_term, ties


def signed_rank_rows(
    d: npt.ArrayLike, selected: npt.ArrayLike | None = None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """R's ``V`` and the tie term ``sum(t³ - t) / 48`` of each row of a 2-D ``d`` of non-zero
    values (drop the zeros first), as :func:`signed_rank_statistic` gives them for one row;
    read z with :func:`signed_rank_z`. ``selected`` (boolean, shaped as ``d``) keeps only
    those values of each row (ranks are exact, so the result is the same to the last bit).

    Examples
    --------
    >>> v, tie_term = signed_rank_rows([[1.5, 2.0, -0.5, 3.0, 1.0], [1.0, -1.0, 2.0, 3.0, 4.0]])
    >>> v.tolist(), tie_term.tolist()
    ([14.0, 13.5], [0.0, 0.125])
    """
    x = np.asarray(d, dtype=np.float64)
    keep = None if selected is None else np.asarray(selected, dtype=bool)
    v, tie_term, _ = _rows(x, np.abs(x), keep)
    return v, tie_term


def signed_rank_statistic(
    d: npt.ArrayLike, *, mu: float = 0.0, digits_rank: float = math.inf
) -> SignedRankStatistic:
    """The signed-rank statistic of ``d - mu``: zeros dropped, ``|d - mu|`` ranked (average
    ranks for ties, after rounding to ``digits_rank`` significant digits if finite), ``V`` the
    sum of the ranks of the positive values, as R's ``wilcox.test``.

    Examples
    --------
    >>> signed_rank_statistic([1.5, 2.0, -0.5, 3.0, 0.0, 1.0])
    SignedRankStatistic(statistic=14.0, n=5, n_zeros=1, has_ties=False, tie_term=0.0)
    """
    x = np.asarray(d, dtype=np.float64) - mu
    nonzero = x[x != 0]
    v, n, ties, tie_term = _ranked(nonzero, digits_rank)
    return SignedRankStatistic(v, n, int(x.size - n), ties, tie_term)


def _counts(n: int) -> npt.NDArray[np.float64]:
    """Number of subsets of ``{1..n}`` with each sum ``0..n(n+1)/2`` (doubles, as R)."""
    top = n * (n + 1) // 2
    w = np.zeros(top + 1, dtype=np.float64)
    w[0] = 1.0
    for k in range(1, n + 1):
        w[k:] = w[k:] + w[: top + 1 - k].copy()
    return w


def psignrank(q: float, n: int, *, lower_tail: bool = True) -> float:
    """R's ``psignrank(q, n, lower.tail)``: ``P(V <= q)`` (or ``P(V > q)``) with ``n`` ranks.

    Examples
    --------
    >>> round(psignrank(0, 3), 15), round(psignrank(2, 3), 15)  # 1/8 and 3/8
    (0.125, 0.375)
    """
    x = float(round(q + 1e-7))  # R_forceint: round half to even, as Python's round
    top = n * (n + 1) / 2.0
    if x < 0.0:
        return 0.0 if lower_tail else 1.0
    if x >= top:
        return 1.0 if lower_tail else 0.0
    f = math.exp(-n * _LN2)
    w = _counts(n)
    if x <= n * (n + 1) / 4.0:
        p = float(np.cumsum(w[: int(x) + 1] * f)[-1])
    else:
        x = top - x
        p = float(np.cumsum(w[: int(x)] * f)[-1]) if x > 0 else 0.0
        lower_tail = not lower_tail
    return p if lower_tail else 0.5 - p + 0.5


def qsignrank(p: float, n: int) -> int:
    """R's ``qsignrank(p, n)``: the smallest ``q`` with ``P(V <= q) >= p`` (R's fuzz included).

    Examples
    --------
    >>> qsignrank(0.025, 10)
    9
    """
    f = math.exp(-n * _LN2)
    w = _counts(n)
    acc, q = 0.0, 0
    eps = 10.0 * np.finfo(np.float64).eps
    if p <= 0.5:
        target = p - eps
        while True:
            acc += w[q] * f
            if acc >= target:
                return q
            q += 1
    target = 1.0 - p + eps
    while True:
        acc += w[q] * f
        if acc > target:
            return n * (n + 1) // 2 - q
        q += 1


class SignedRankTest(NamedTuple):
    """R's ``wilcox.test(x, mu = )``: ``V``, its p-value and the interval of the pseudomedian.

    ``exact`` says which law gave the p-value (``z`` is NaN when exact); ``estimate``,
    ``ci_low`` and ``ci_high`` are NaN unless the interval was asked for; ``achieved_level``
    is R's ``attr(conf.int, "conf.level")`` (the requested level unless R lowered it), and
    ``warnings`` the warnings R gives, word for word.
    """

    statistic: float
    pvalue: float
    exact: bool
    z: float
    n: int
    n_zeros: int
    has_ties: bool
    estimate: float
    ci_low: float
    ci_high: float
    achieved_level: float
    warnings: tuple[str, ...]


def _exact_p(v: float, n: int, alternative: str) -> float:
    if alternative == "two-sided":
        if v > n * (n + 1) / 4.0:
            p = psignrank(v - 1, n, lower_tail=False)
        else:
            p = psignrank(v, n)
        return min(2.0 * p, 1.0)
    if alternative == "greater":
        return psignrank(v - 1, n, lower_tail=False)
    return psignrank(v, n)


def _exact_interval(
    x: npt.NDArray[np.float64], alternative: str, level: float, warnings: list[str]
) -> tuple[float, float, float, float]:
    """(estimate, low, high, level) from the exact law, as R's exact branch."""
    n = x.size
    m = n * (n + 1) // 2
    alpha = 1.0 - level
    qu = qsignrank(alpha / 2.0 if alternative == "two-sided" else alpha, n)
    if qu == 0:
        qu = 1
    ql = m - qu
    middle = [(m + 1) // 2] if m % 2 else [m // 2, m // 2 + 1]
    wanted = sorted({*middle, qu, ql + 1})
    found = dict(zip(wanted, walsh_order_statistics(x, wanted), strict=True))
    estimate = found[middle[0]] if m % 2 else (found[middle[0]] + found[middle[1]]) / 2.0
    achieved = psignrank(math.trunc(qu) - 1, n)
    if alternative == "two-sided":
        achieved *= 2.0
        low, high = found[qu], found[ql + 1]
    elif alternative == "greater":
        low, high = found[qu], math.inf
    else:
        low, high = -math.inf, found[ql + 1]
    if achieved - alpha > alpha / 2.0:
        warnings.append("requested conf.level not achievable")
        level = 1.0 - float(f"{achieved:.2g}")
    return estimate, low, high, level


def _approximate_interval(
    x: npt.NDArray[np.float64],
    alternative: str,
    level: float,
    correct: bool,
    digits_rank: float,
    warnings: list[str],
) -> tuple[float, float, float, float]:
    """(estimate, low, high, level) by inverting the normal approximation, as R does."""

    def w(d: float, with_correction: bool = correct) -> float:
        xd = x - d
        xd = xd[xd != 0]
        v, nx, _, tie_term = _ranked(xd, digits_rank)
        zd = v - nx * (nx + 1) / 4.0
        sigma = math.sqrt(nx * (nx + 1) * (2 * nx + 1) / 24.0 - tie_term)
        if sigma == 0:
            raise ValueError(
                "cannot compute confidence interval when all observations are zero or tied"
            )
        corr = 0.0
        if with_correction:
            if alternative == "two-sided":
                corr = math.copysign(0.5, zd) if zd != 0 else 0.0
            else:
                corr = 0.5 if alternative == "greater" else -0.5
        return (zd - corr) / sigma

    lo_end, hi_end = float(x.min()), float(x.max())
    w_lo, w_hi = w(lo_end), w(hi_end)

    def root(zq: float) -> float:
        return uniroot(
            lambda d: w(d) - zq,
            lo_end,
            hi_end,
            f_lower=w_lo - zq,
            f_upper=w_hi - zq,
            tol=_R_WILCOX_ROOT_TOL,
        )

    alpha = 1.0 - level
    median = float(np.median(x))
    if alternative == "two-sided":
        while w_lo - (-z_quantile(alpha / 2.0)) < 0 or w_hi - z_quantile(alpha / 2.0) > 0:
            alpha *= 2.0
    elif alternative == "greater":
        while w_lo - (-z_quantile(alpha)) < 0:
            alpha *= 2.0
    else:  # R uses qnorm(alpha / 2) for "less" too
        while w_hi - z_quantile(alpha / 2.0) > 0:
            alpha *= 2.0
    if alpha >= 1.0 or 1.0 - level < alpha * 0.75:
        level = 1.0 - min(1.0, alpha)
        warnings.append("requested conf.level not achievable")
    if alternative == "two-sided":
        if alpha < 1.0:
            low, high = root(-z_quantile(alpha / 2.0)), root(z_quantile(alpha / 2.0))
        else:
            low = high = median
    elif alternative == "greater":
        low, high = (root(-z_quantile(alpha)) if alpha < 1.0 else median), math.inf
    else:
        low, high = -math.inf, (root(z_quantile(alpha)) if alpha < 1.0 else median)
    estimate = uniroot(lambda d: w(d, False), lo_end, hi_end, tol=_R_WILCOX_ROOT_TOL)
    return estimate, low, high, level


def signed_rank_test(
    x: npt.ArrayLike,
    *,
    mu: float = 0.0,
    alternative: str = "two-sided",
    exact: bool | None = None,
    correct: bool = True,
    conf_int: bool = False,
    confidence_level: float = 0.95,
    digits_rank: float = math.inf,
) -> SignedRankTest:
    """Wilcoxon signed-rank test of ``x`` against ``mu``, as R's ``wilcox.test(x, mu = mu)``.

    Parameters
    ----------
    x : array_like
        One sample, or paired differences (NaN is dropped, as R does).
    mu : float, default 0
        The location under the null hypothesis.
    alternative : {"two-sided", "less", "greater"}
    exact : bool or None
        ``None`` (R's default): exact when fewer than 50 non-zero values remain. The exact law
        is used only without ties and zeros (R then warns and uses the normal approximation).
    correct : bool, default True
        Continuity correction of the normal approximation.
    conf_int : bool, default False
        Also compute the pseudomedian and its interval (R's ``conf.int = TRUE``).
    confidence_level : float, default 0.95
    digits_rank : float, default inf
        R's ``digits.rank``: significant digits of ``|x - mu|`` before ranking.

    Returns
    -------
    SignedRankTest

    Raises
    ------
    ValueError
        If no value differs from ``mu`` (R returns NaN), or an interval is asked of data
        that are all tied.

    Examples
    --------
    >>> res = signed_rank_test([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30], mu=1)
    >>> res.statistic, res.exact, round(res.pvalue, 12)  # 45 - rank 2; 2 P(V <= 2) = 2 * 3 / 512
    (43.0, True, 0.01171875)
    """
    check_alternative(alternative)
    if conf_int and not 0.0 < confidence_level < 1.0:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level!r}")
    values = np.asarray(x, dtype=np.float64).ravel()
    values = values[~np.isnan(values)]
    if values.size == 0:
        raise ValueError("not enough (non-missing) 'x' observations")
    shifted = values - mu
    zeros = bool(np.any(shifted == 0))
    shifted = shifted[shifted != 0]
    n = shifted.size
    if n == 0:
        raise ValueError(f"every value equals mu = {mu!r}: the signed-rank test is undefined")
    use_exact = n < _EXACT_BELOW if exact is None else exact
    v, _, ties, tie_term = _ranked(shifted, digits_rank)
    warnings: list[str] = []
    back = shifted + mu  # R's x <- x + mu: the interval is for the location of x
    nan = math.nan
    estimate, low, high, level = nan, nan, nan, confidence_level
    if use_exact and not ties and not zeros:
        p = _exact_p(v, n, alternative)
        z = nan
        if conf_int:
            estimate, low, high, level = _exact_interval(back, alternative, level, warnings)
    else:
        z = float(signed_rank_z(v, n, tie_term=tie_term, correct=correct, alternative=alternative))
        p = p_from_z(z, alternative)
        if conf_int:
            estimate, low, high, level = _approximate_interval(
                back, alternative, level, correct, digits_rank, warnings
            )
        for why, present in (("ties", ties), ("zeroes", zeros)):
            if use_exact and present:
                warnings.append(f"cannot compute exact p-value with {why}")
                if conf_int:
                    warnings.append(f"cannot compute exact confidence interval with {why}")
    return SignedRankTest(
        v,
        float(p),
        bool(use_exact and not ties and not zeros),
        z,
        int(n),
        int(values.size - n),
        ties,
        float(estimate),
        float(low),
        float(high),
        float(level),
        tuple(warnings),
    )
