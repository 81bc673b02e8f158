"""Tests of a count by group: Pearson's chi-squared and Fisher's exact test, as R computes them.

:func:`chi2_test` is R's ``chisq.test(table)`` (Yates' continuity correction on 2 x 2 tables
by default), through ``scipy.stats.chi2_contingency``, whose correction is R's
``min(0.5, |O - E|)``. :func:`fisher_test` is R's ``fisher.test`` on a 2 x 2 table, ported
line by line: its p-value (tables no likelier than the observed one, with R's relative
tolerance ``1 + 1e-7``), the conditional maximum-likelihood odds ratio and its interval are
found by R's root finder at R's tolerance (:mod:`._zeroin`), so they match R's printed
values; ``scipy.stats.fisher_exact`` gives the sample odds ratio instead, and on larger
tables (scipy 1.17) a Monte Carlo p-value, not R's network algorithm, so larger tables raise.
"""

from __future__ import annotations

import math
import sys
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from ._distributions import check_alternative, p_from_chi2
from ._zeroin import uniroot

__all__ = ["ChiSquaredTest", "FisherTest", "chi2_test", "fisher_test"]

_CHI2_WARNING = "Chi-squared approximation may be incorrect"


class ChiSquaredTest(NamedTuple):
    """X-squared, its df and p-value, the expected counts and R's warnings."""

    statistic: float
    df: float
    pvalue: float
    expected: npt.NDArray[np.float64]
    warnings: tuple[str, ...]


def _table(table: npt.ArrayLike) -> npt.NDArray[np.float64]:
    t = np.asarray(table, dtype=np.float64)
    if t.ndim != 2 or min(t.shape) < 2:
        raise ValueError(f"a contingency table needs 2+ rows and 2+ columns, got shape {t.shape}")
    if np.any(t < 0) or np.any(t != np.round(t)):
        raise ValueError("a contingency table holds non-negative whole counts")
    return t


def chi2_test(table: npt.ArrayLike, *, correct: bool = True) -> ChiSquaredTest:
    """Pearson's chi-squared test of independence of a table of counts, as R's
    ``chisq.test(table, correct = correct)``: Yates' correction applies to 2 x 2 only.

    Raises
    ------
    ValueError
        If the table is not r x c with r, c >= 2, or a row or column sums to 0.

    Examples
    --------
    >>> res = chi2_test([[10, 20], [20, 10]], correct=False)  # E = 15: 4 * 25 / 15
    >>> round(res.statistic, 12), res.df
    (6.666666666667, 1.0)
    """
    from scipy.stats import chi2_contingency

    t = _table(table)
    if np.any(t.sum(axis=0) == 0) or np.any(t.sum(axis=1) == 0):
        raise ValueError("a row or column of the table sums to 0: expected counts of 0")
    res = chi2_contingency(t, correction=correct)
    stat, df = float(res.statistic), float(res.dof)
    expected = np.asarray(res.expected_freq, dtype=np.float64)
    warnings = (_CHI2_WARNING,) if bool(np.any(expected < 5)) else ()
    return ChiSquaredTest(stat, df, float(p_from_chi2(stat, df)), expected, warnings)


class FisherTest(NamedTuple):
    """R's ``fisher.test`` on a 2 x 2 table: p-value, conditional MLE odds ratio, interval."""

    pvalue: float
    odds_ratio: float
    ci_low: float
    ci_high: float


def fisher_test(
    table: npt.ArrayLike,
    *,
    alternative: str = "two-sided",
    confidence_level: float = 0.95,
    odds_ratio: float = 1.0,
) -> FisherTest:
    """Fisher's exact test of a 2 x 2 table ``[[a, b], [c, d]]``, as R's ``fisher.test``.

    Raises
    ------
    ValueError
        For a table larger than 2 x 2 (R's network algorithm for r x c tables is not
        implemented, and scipy 1.17 gives only a Monte Carlo p-value there).

    Examples
    --------
    >>> round(fisher_test([[3, 1], [1, 5]]).pvalue, 12)  # (4 + 36 + 4) / 210 ... with 1
    0.190476190476
    """
    from scipy.stats import hypergeom

    check_alternative(alternative)
    t = _table(table)
    if t.shape != (2, 2):
        raise ValueError(
            f"Fisher's exact test is implemented for 2 x 2 tables only, got {t.shape[0]} x "
            f"{t.shape[1]} (use chi2_test, or R's fisher.test for r x c)"
        )
    m, n = int(t[:, 0].sum()), int(t[:, 1].sum())
    k, x = int(t[0].sum()), int(t[0, 0])
    lo, hi = max(0, k - n), min(k, m)
    support = np.arange(lo, hi + 1, dtype=np.float64)
    law = hypergeom(m + n, m, k)
    logdc = law.logpmf(support)

    def dnhyper(ncp: float) -> npt.NDArray[np.float64]:
        d = logdc + math.log(ncp) * support
        d = np.exp(d - d.max())
        out: npt.NDArray[np.float64] = d / d.sum()
        return out

    def mnhyper(ncp: float) -> float:
        if ncp == 0:
            return float(lo)
        if math.isinf(ncp):
            return float(hi)
        return float((support * dnhyper(ncp)).sum())

    def pnhyper(q: float, ncp: float, upper: bool = False) -> float:
        if ncp == 1:
            return float(law.sf(x - 1) if upper else law.cdf(x))
        if ncp == 0:
            return float(q <= lo) if upper else float(q >= lo)
        if math.isinf(ncp):
            return float(q <= hi) if upper else float(q >= hi)
        d = dnhyper(ncp)
        return float(d[support >= q].sum() if upper else d[support <= q].sum())

    eps = sys.float_info.epsilon
    orv = float(odds_ratio)
    if alternative == "less":
        p = pnhyper(x, orv)
    elif alternative == "greater":
        p = pnhyper(x, orv, upper=True)
    elif orv == 0:
        p = float(x == lo)
    elif math.isinf(orv):
        p = float(x == hi)
    else:
        d = dnhyper(orv)
        p = float(d[d <= d[x - lo] * (1 + 1e-7)].sum())

    def mle() -> float:
        if x == lo:
            return 0.0
        if x == hi:
            return math.inf
        mu = mnhyper(1.0)
        if mu > x:
            return uniroot(lambda r: mnhyper(r) - x, 0.0, 1.0)
        if mu < x:
            return 1.0 / uniroot(lambda r: mnhyper(1.0 / r) - x, eps, 1.0)
        return 1.0

    def ncp_upper(alpha: float) -> float:
        if x == hi:
            return math.inf
        p1 = pnhyper(x, 1.0)
        if p1 < alpha:
            return uniroot(lambda r: pnhyper(x, r) - alpha, 0.0, 1.0)
        if p1 > alpha:
            return 1.0 / uniroot(lambda r: pnhyper(x, 1.0 / r) - alpha, eps, 1.0)
        return 1.0

    def ncp_lower(alpha: float) -> float:
        if x == lo:
            return 0.0
        p1 = pnhyper(x, 1.0, upper=True)
        if p1 > alpha:
            return uniroot(lambda r: pnhyper(x, r, upper=True) - alpha, 0.0, 1.0)
        if p1 < alpha:
            return 1.0 / uniroot(lambda r: pnhyper(x, 1.0 / r, upper=True) - alpha, eps, 1.0)
        return 1.0

    level = float(confidence_level)
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level!r}")
    if alternative == "less":
        low, high = 0.0, ncp_upper(1.0 - level)
    elif alternative == "greater":
        low, high = ncp_lower(1.0 - level), math.inf
    else:
        alpha = (1.0 - level) / 2.0
        low, high = ncp_lower(alpha), ncp_upper(alpha)
    return FisherTest(p, mle(), low, high)
