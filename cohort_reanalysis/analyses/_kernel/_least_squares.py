"""Least squares with an intercept, as R's ``lm``: coefficients, SEs, and the slope's test.

:func:`least_squares` is the one fit (``numpy.linalg.lstsq``, SEs from the R factor of a QR
decomposition); :func:`slope` is R's ``summary(lm(y ~ x))`` row for ``x`` with
``confint``'s interval; :func:`cohort_reanalysis.analyses._linear_model.ols` names terms.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from ._distributions import p_from_t, t_interval

__all__ = ["LeastSquares", "Slope", "least_squares", "slope"]


class LeastSquares(NamedTuple):
    """Coefficients and SEs of a full-rank fit, residual df, RSS and total SS about the mean."""

    coef: npt.NDArray[np.float64]
    se: npt.NDArray[np.float64]
    df_resid: int
    rss: float
    tss: float
    rank: int


def least_squares(y: npt.NDArray[np.float64], design: npt.NDArray[np.float64]) -> LeastSquares:
    """Fit ``y ~ design`` (the design holds the intercept column); ``sigma² (X'X)^-1`` SEs with
    ``sigma² = RSS / (n - p)``, as ``summary(lm())``.

    ``rank < p`` is returned, not raised (the caller names the dependent columns); a fit with
    no residual df, or an exact one (residuals rounding noise: SEs meaningless), raises.

    Examples
    --------
    >>> fit = least_squares(np.array([1.0, 3.0, 2.0, 5.0, 4.0]),
    ...                     np.column_stack([np.ones(5), np.arange(1.0, 6.0)]))
    >>> fit.coef.round(12).tolist(), fit.df_resid
    ([0.6, 0.8], 3)
    """
    n, p = design.shape
    if n <= p:
        raise ValueError(f"n = {n} rows cannot fit {p} coefficients with residual df >= 1")
    solution, _, rank, _ = np.linalg.lstsq(design, y, rcond=None)
    coef = np.asarray(solution, dtype=np.float64)
    nan = np.full(p, np.nan)
    if rank < p:
        return LeastSquares(coef, nan, n - p, math.nan, math.nan, int(rank))
    resid = y - design @ coef
    rss = float(resid @ resid)
    centred = y - y.mean()
    tss = float(centred @ centred)
    # Residual SD below 1e-10 of y's SD is rounding noise: the fit is exact and SEs meaningless.
    if rss <= 1e-20 * tss:
        raise ValueError(
            "the fit is exact (residuals are rounding noise): standard errors are undefined"
        )
    sigma2 = rss / (n - p)
    # (X'X)^-1 from the R factor of a QR decomposition, better conditioned than inverting X'X.
    r_factor = np.linalg.qr(design, mode="r")
    r_inv = np.linalg.solve(r_factor, np.eye(p))
    se = np.sqrt(sigma2 * np.sum(r_inv * r_inv, axis=1))
    return LeastSquares(coef, se, n - p, rss, tss, int(rank))


class Slope(NamedTuple):
    """The slope of ``y`` on ``x``: estimate, SE, t, df, p, interval, and the intercept."""

    estimate: float
    se: float
    statistic: float
    df: float
    pvalue: float
    ci_low: float
    ci_high: float
    intercept: float


def slope(
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    alternative: str = "two-sided",
    confidence_level: float = 0.95,
) -> Slope:
    """Least-squares slope of ``y`` on ``x`` with its t test and interval, as R's
    ``summary(lm(y ~ x))`` and ``confint``; pairs with a NaN are dropped.

    Raises
    ------
    ValueError
        If fewer than 3 complete pairs remain, ``x`` or ``y`` is constant, or the fit is exact.

    Examples
    --------
    >>> s = slope([1, 2, 3, 4, 5], [1.0, 3.0, 2.0, 5.0, 4.0])
    >>> round(s.estimate, 12), s.df, round(s.se, 12)  # sqrt(RSS / 3 / 10), RSS = 3.6
    (0.8, 3.0, 0.346410161514)
    """
    xa = np.asarray(x, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    if xa.shape != ya.shape or xa.ndim != 1:
        raise ValueError(f"x and y must be 1-D of one length, got {xa.shape} and {ya.shape}")
    keep = ~(np.isnan(xa) | np.isnan(ya))
    xa, ya = xa[keep], ya[keep]
    if xa.size < 3:
        raise ValueError(f"a slope with a test needs 3+ complete pairs, got {xa.size}")
    if np.all(xa == xa[0]):
        raise ValueError("x is constant: the slope is undefined")
    if np.all(ya == ya[0]):
        raise ValueError("y is constant: the fit is degenerate")
    fit = least_squares(ya, np.column_stack([np.ones(xa.size), xa]))
    if fit.rank < 2:
        raise ValueError("x is constant up to rounding: the slope is undefined")
    b, se, df = float(fit.coef[1]), float(fit.se[1]), float(fit.df_resid)
    t = b / se
    low, high = t_interval(b, se, df, confidence_level, alternative)
    return Slope(b, se, t, df, p_from_t(t, df, alternative), low, high, float(fit.coef[0]))
