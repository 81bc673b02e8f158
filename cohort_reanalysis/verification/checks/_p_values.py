"""P of a test statistic by its tail, at a point and over a range of the statistic.

The summary checks' one place for p from t, z, F, chi2 and r.
"""

from __future__ import annotations

import math

from ...analyses._kernel import p_from_chi2, p_from_f, p_from_t, p_from_z

__all__ = ["p_range", "p_value"]


def p_value(test: str, x: float, df: tuple[float, ...], tail: str) -> float:
    """P of a statistic; 'two-sided' means |x| for t, z and r, the upper tail for F and chi2.

    Examples
    --------
    >>> round(p_value("t", 2.0, (10.0,), "two-sided"), 6)  # R: 2 * pt(-2, 10)
    0.073388
    """
    if test == "F":
        return p_from_f(x, df[0], df[1])
    if test == "chi2":
        return p_from_chi2(x, df[0])
    # The kernel's tail names; "two-sided" is |x| for the symmetric laws.
    if test == "r":  # Pearson's r on df = n - 2 is a t, r sqrt(df / (1 - r^2)), as in cor.test
        # Beyond |r| = 1 (a misprint) the t is infinite rather than undefined.
        x = math.copysign(math.inf, x) if abs(x) >= 1 else x * math.sqrt(df[0] / (1 - x * x))
        test = "t"
    if test == "t":
        return p_from_t(x, df[0], tail)
    return p_from_z(x, tail)


def p_range(
    test: str, low: float, high: float, df: tuple[float, ...], tail: str
) -> tuple[float, float]:
    """The smallest and largest p of a statistic anywhere in [low, high].

    Examples
    --------
    >>> [round(p, 4) for p in p_range("z", -1.96, 1.96, (), "two-sided")]
    [0.05, 1.0]
    """
    # r maps onto t by an odd, increasing function, so its range maps as t's does.
    if tail == "two-sided" and test in ("t", "z", "r"):
        small = 0.0 if low <= 0 <= high else min(abs(low), abs(high))
        large = max(abs(low), abs(high))
        return p_value(test, large, df, tail), p_value(test, small, df, tail)
    if tail == "less":
        return p_value(test, low, df, tail), p_value(test, high, df, tail)
    # Upper tail (greater, F, chi2): p falls as the statistic grows.
    return p_value(test, high, df, tail), p_value(test, low, df, tail)
