"""Shapiro–Wilk test of normality without :mod:`scipy.stats`.

A numpy/:mod:`math` port of Royston's algorithm AS R94 (1995), the algorithm behind
``scipy.stats.shapiro`` and R's ``shapiro.test``. ``import scipy.stats`` alone costs more
than a whole paired analysis, so the figures and the command line use this instead.

The port follows scipy's Cython translation (``scipy/stats/_ansari_swilk_statistics.pyx``,
BSD-3-Clause, Copyright (c) 2001-2002 Enthought, Inc. and 2003- SciPy Developers) line by
line, including its single-precision constants (AS 111 normal quantiles for the
coefficients, AS 66 normal tail areas for the p-value) and the order of its sums, so the
results agree with scipy to the last bits rather than merely to the accuracy of the
approximation. Censoring (the ``n1`` argument of AS R94) is not implemented, as in scipy.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

__all__ = ["shapiro_wilk"]

# Royston (1995) coefficients, as in AS R94 (polynomials listed constant term first).
_C1 = (0.0, 0.221157, -0.147981, -2.071190, 4.434685, -2.706056)
_C2 = (0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633)
_C3 = (0.5440, -0.39978, 0.025054, -6.714e-4)
_C4 = (1.3822, -0.77857, 0.062767, -2.0322e-3)
_C5 = (-1.5861, -0.31082, -0.083751, 3.8915e-3)
_C6 = (-0.4803, -0.082676, 3.0302e-3)
_G = (-2.273, 0.459)
_SMALL = 1e-19
_SQRTH = math.sqrt(2.0) / 2.0
_PI6 = 6.0 / math.pi


def _poly(c: tuple[float, ...], x: float) -> float:
    """``c[0] + c[1] x + c[2] x**2 + ...`` in AS R94's order of operations."""
    if len(c) == 1:
        return c[0]
    p = x * c[-1]
    if len(c) == 2:
        return c[0] + p
    for coef in c[-2:0:-1]:
        p = (p + coef) * x
    return c[0] + p


def _ppnd_lower(p: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Normal quantiles of ``p < 0.5`` by AS 111 (Beasley & Springer 1977), 7 digits.

    AS R94 builds its coefficients from these rather than from exact quantiles; using the
    exact ones would change W in the seventh digit and break agreement with R and scipy.
    """
    q = p - 0.5
    out = np.empty_like(p)
    central = np.abs(q) <= 0.42
    qc = q[central]
    r = qc * qc
    num = qc * (((-25.44106049637 * r + 41.39119773534) * r + -18.61500062529) * r + 2.50662823884)
    den = (((3.13082909833 * r + -21.06224101826) * r + 23.08336743743) * r + -8.47351093090) * r
    out[central] = num / (den + 1.0)
    # Tail: few values (p < 0.08); math.log is the C library's, as in the reference code.
    tail = np.flatnonzero(~central)
    if tail.size:
        rt = np.sqrt(np.array([-math.log(v) for v in p[tail].tolist()], dtype=np.float64))
        num_t = ((2.32121276858 * rt + 4.85014127135) * rt + -2.29796479134) * rt + -2.78718931138
        out[tail] = -(num_t / ((1.63706781897 * rt + 3.54388924762) * rt + 1.0))
    return out


def _alnorm_upper(x: float) -> float:
    """Upper normal tail area ``P(Z > x)`` by AS 66 (Hill 1973), as AS R94 uses it."""
    upper = True
    z = x
    if not z > 0.0:  # written this way round so that NaN takes this branch, as in AS 66
        upper = False
        z = -z
    if not (z <= 7.0 or (upper and z <= 38.0)):
        return 0.0 if upper else 1.0
    y = 0.5 * z * z
    # Continued fractions evaluated innermost first, in the reference order of operations.
    if z <= 1.28:
        d = y + 5.92885724438
        d = y + 2.62433121679 + 48.6959930692 / d
        d = y + 5.75885480458 - 29.8213557808 / d
        temp = 0.5 - z * (0.398942280444 - 0.399903438504 * y / d)
    else:
        d = z + 3.99019417011
        d = z + 0.742380924027 + 30.789933034 / d
        d = z + 4.8385912808 - 15.1508972451 / d
        d = z - 0.151679116635 + 5.29330324926 / d
        d = z + 3.98064794e-4 + 1.98615381364 / d
        d = z - 3.8052e-8 + 1.00000615302 / d
        temp = 0.398942280385 * math.exp(-y) / d
    return temp if upper else 1.0 - temp


def _coefficients(n: int) -> npt.NDArray[np.float64]:
    """The ``n // 2`` positive Shapiro–Wilk coefficients of AS R94 (largest first)."""
    half = n // 2
    if n == 3:
        return np.array([_SQRTH])
    an = float(n)
    m = _ppnd_lower((np.arange(1, half + 1, dtype=np.float64) - 0.375) / (an + 0.25))
    summ2 = float(np.cumsum(m * m)[-1]) * 2.0  # sequential sum, as in the reference loop
    ssumm2 = math.sqrt(summ2)
    rsn = 1.0 / math.sqrt(an)
    a1 = _poly(_C1, rsn) - float(m[0]) / ssumm2
    a = m.copy()
    if n > 5:
        first = 2
        a2 = -float(m[1]) / ssumm2 + _poly(_C2, rsn)
        fac = math.sqrt(
            (summ2 - 2.0 * float(m[0]) ** 2 - 2.0 * float(m[1]) ** 2)
            / (1.0 - 2.0 * a1**2 - 2.0 * a2**2)
        )
        a[1] = a2
    else:
        first = 1
        fac = math.sqrt((summ2 - 2.0 * float(m[0]) ** 2) / (1.0 - 2.0 * a1**2))
    a[0] = a1
    a[first:] *= -1.0 / fac
    return a


def shapiro_wilk(x: npt.ArrayLike) -> tuple[float, float]:
    """Shapiro–Wilk W and its p-value by Royston's algorithm AS R94 (1995).

    The same algorithm as ``scipy.stats.shapiro`` and R's ``shapiro.test``, ported to
    numpy from scipy's Cython translation (BSD-3-Clause; see the module docstring) with
    its constants and order of summation, without importing :mod:`scipy.stats`.

    The p-value is exact for n = 3 and otherwise from Royston's normalising
    transformations (4 <= n <= 11 and n >= 12). Royston validated it for n <= 5000;
    above that W is still right but the p-value is only approximate (scipy warns, R
    refuses). This function does neither: callers say so in their results.

    Parameters
    ----------
    x : array_like
        One-dimensional sample of at least 3 finite values, not all equal.

    Returns
    -------
    tuple of float
        ``(W, p)``.

    Raises
    ------
    ValueError
        If ``x`` is not one-dimensional, has fewer than 3 values, contains NaN or
        infinity, or has all values equal.

    Notes
    -----
    Two deliberate departures from ``scipy.stats.shapiro``, both below the accuracy that
    matters: the data are centred on their sorted middle value rather than on
    ``x[n // 2]`` of the unsorted input, so that W does not depend on the order of the
    rows even in the last bit (results are bit-for-bit scipy's when ``x`` is passed
    sorted); and a range that is positive but below 1e-19 is analysed instead of being
    reported as zero (W is scale-free, so an absolute threshold has no meaning).

    References
    ----------
    Royston, P. (1995). Remark AS R94: A remark on Algorithm AS 181: The W-test for
    normality. Applied Statistics 44, 547-551. doi:10.2307/2986146

    Examples
    --------
    >>> w, p = shapiro_wilk([2.1, 2.4, 2.2, 2.9, 3.4, 2.6, 2.0, 3.1])
    >>> round(w, 4), p > 0.05
    (0.9408, True)
    """
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"x must be one-dimensional, got shape {arr.shape}")
    n = int(arr.size)
    if n < 3:
        raise ValueError(f"Shapiro-Wilk needs at least 3 values, got {n}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("x must not contain missing or infinite values")
    y = np.sort(arr)
    # Centring on a middle value keeps x / range well scaled (scipy gh-15777).
    y = y - y[n // 2]
    rng = float(y[-1] - y[0])
    if rng == 0.0:
        raise ValueError("all values are equal, so normality cannot be tested")

    a = _coefficients(n)
    half = n // 2
    # Signed coefficient of each order statistic: -a for the lower half, +a mirrored for
    # the upper half, 0 for the middle one when n is odd.
    coef = np.zeros(n)
    coef[:half] = -a
    coef[n - half :] = a[::-1]

    # AS R94 accumulates these sums left to right; np.cumsum does the same, where
    # np.sum's pairwise summation would differ from scipy and R in the last bits.
    xs = y / rng
    sa = float(np.cumsum(coef)[-1]) / n
    sx = float(np.cumsum(xs)[-1]) / n
    asa = coef - sa
    xsx = xs - sx
    ssa = float(np.cumsum(asa * asa)[-1])
    ssx = float(np.cumsum(xsx * xsx)[-1])
    sax = float(np.cumsum(asa * xsx)[-1])
    ssassx = math.sqrt(ssa * ssx)
    w1 = (ssassx - sax) * (ssassx + sax) / (ssa * ssx)
    w = 1.0 - w1

    if n == 3:
        # Exact: W >= 0.75 in theory; rounding can dip below it (scipy gh-18322).
        if w < 0.75:
            return 0.75, 0.0
        return w, 1.0 - _PI6 * math.acos(math.sqrt(min(w, 1.0)))
    if w1 <= 0.0:
        # Rounding made W reach 1: a perfect fit, nothing to reject (AS 66 gives 1 too).
        return w, 1.0

    yv = math.log(w1)
    an = float(n)
    if n <= 11:
        gamma = _poly(_G, an)
        if yv >= gamma:
            return w, _SMALL
        yv = -math.log(gamma - yv)
        m = _poly(_C3, an)
        s = math.exp(_poly(_C4, an))
    else:
        log_n = math.log(an)
        m = _poly(_C5, log_n)
        s = math.exp(_poly(_C6, log_n))
    return w, _alnorm_upper((yv - m) / s)
