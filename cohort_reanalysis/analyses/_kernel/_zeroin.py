"""R's root finder (``uniroot``'s ``R_zeroin2``), so that values R finds by root finding match.

R computes several interval limits by ``uniroot`` with a loose tolerance (``1e-4`` for the
Wilcoxon interval, ``eps^0.25`` for Fisher's odds ratio): the value it prints is where Brent's
method stopped, not the exact root. Reproducing R's number to 1e-9 means taking the same
steps, so this is a line-by-line port of ``zeroin.c`` (R 4.2, src/library/stats/src), not
``scipy.optimize.brentq``, whose steps differ.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable

__all__ = ["R_ROOT_TOLERANCE", "uniroot"]

_EPSILON = sys.float_info.epsilon
R_ROOT_TOLERANCE = _EPSILON**0.25  # uniroot's default tol


def _finite(value: float) -> float:
    """uniroot's wrapper: infinite values become +-DBL_MAX, NaN is an error."""
    if math.isnan(value):
        raise ValueError("the function gave NaN during root finding")
    if math.isinf(value):
        return math.copysign(sys.float_info.max, value)
    return value


def uniroot(
    f: Callable[[float], float],
    lower: float,
    upper: float,
    *,
    f_lower: float | None = None,
    f_upper: float | None = None,
    tol: float = R_ROOT_TOLERANCE,
    maxiter: int = 1000,
) -> float:
    """The root R's ``uniroot(f, c(lower, upper), tol = tol)$root`` returns.

    Raises
    ------
    ValueError
        If ``f`` has the same sign at both ends (R's "values at end points not of opposite
        sign").

    Examples
    --------
    >>> round(uniroot(lambda x: x * x - 2.0, 0.0, 2.0, tol=1e-12), 12)
    1.414213562373
    """
    fa = _finite(f(lower) if f_lower is None else f_lower)
    fb = _finite(f(upper) if f_upper is None else f_upper)
    if fa * fb > 0:
        raise ValueError("f() values at end points not of opposite sign")
    a, b = float(lower), float(upper)
    c, fc = a, fa
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    for _ in range(maxiter + 1):
        prev_step = b - a
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_act = 2.0 * _EPSILON * abs(b) + tol / 2.0
        new_step = (c - b) / 2.0
        if abs(new_step) <= tol_act or fb == 0.0:
            return b
        if abs(prev_step) >= tol_act and abs(fa) > abs(fb):
            cb = c - b
            if a == c:
                t1 = fb / fa
                p = cb * t1
                q = 1.0 - t1
            else:
                q = fa / fc
                t1 = fb / fc
                t2 = fb / fa
                p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
                q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
            if p > 0.0:
                q = -q
            else:
                p = -p
            if p < (0.75 * cb * q - abs(tol_act * q) / 2.0) and p < abs(prev_step * q / 2.0):
                new_step = p / q
        if abs(new_step) < tol_act:
            new_step = tol_act if new_step > 0.0 else -tol_act
        a, fa = b, fb
        b += new_step
        fb = _finite(f(b))
        if (fb > 0 and fc > 0) or (fb < 0 and fc < 0):
            c, fc = a, fa
    return b
