"""Ordinary least squares with an intercept, reported as R's ``summary(lm(...))`` does.

The fit itself is the kernel's :func:`~._kernel.least_squares`; this module names the terms
and explains a rank-deficient design.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ._kernel import least_squares, p_from_t, t_interval

__all__ = ["LinearModelResult", "ols"]

INTERCEPT = "(Intercept)"


@dataclass(frozen=True)
class LinearModelResult:
    """Coefficient table of an OLS fit.

    Per-term fields are tuples aligned with ``terms``; ``terms[0]`` is ``"(Intercept)"``.

    Attributes
    ----------
    terms : tuple of str
        ``"(Intercept)"`` then the predictor names, in the order given.
    coef, se, statistic, pvalue, ci_low, ci_high : tuple of float
        Estimates, standard errors, t statistics, two-sided p-values and
        ``confidence_level`` intervals (t on ``df_resid`` df).
    df_resid : int
        Residual degrees of freedom, ``n - p``.
    r_squared : float
        Coefficient of determination.
    sigma : float
        Residual standard error, ``sqrt(RSS / df_resid)``.
    n : int
        Rows used.
    confidence_level : float
        Level of the intervals.
    """

    terms: tuple[str, ...]
    coef: tuple[float, ...]
    se: tuple[float, ...]
    statistic: tuple[float, ...]
    df_resid: int
    pvalue: tuple[float, ...]
    ci_low: tuple[float, ...]
    ci_high: tuple[float, ...]
    r_squared: float
    n: int
    sigma: float
    confidence_level: float = 0.95

    def index(self, term: str) -> int:
        """Position of ``term`` in :attr:`terms` (KeyError naming the valid terms)."""
        try:
            return self.terms.index(term)
        except ValueError:
            raise KeyError(f"no term {term!r}; terms are {list(self.terms)}") from None


def _dependent_columns(design: npt.NDArray[np.float64], names: list[str]) -> str:
    """Describe the first column that is a linear combination of earlier ones."""
    for j in range(1, design.shape[1]):
        if np.linalg.matrix_rank(design[:, : j + 1]) <= j:
            coef, *_ = np.linalg.lstsq(design[:, :j], design[:, j], rcond=None)
            scale = max(1.0, float(np.max(np.abs(coef))))
            parts = [names[i] for i in range(j) if abs(coef[i]) > 1e-8 * scale]
            combo = ", ".join(repr(p) for p in parts) if parts else "nothing (all zero)"
            return f"column {names[j]!r} is a linear combination of {combo}"
    return "the design matrix is rank deficient"


def ols(
    y: npt.ArrayLike,
    X_columns: Mapping[str, npt.ArrayLike],
    *,
    confidence_level: float = 0.95,
) -> LinearModelResult:
    """Fit ``y ~ 1 + X`` by least squares (numpy.linalg.lstsq).

    Standard errors use ``sigma^2 (X'X)^-1`` with ``sigma^2 = RSS / (n - p)``;
    t statistics, two-sided p-values and intervals use the t distribution on
    ``n - p`` df, matching R's ``summary(lm())`` and ``confint()``.

    Parameters
    ----------
    y : array_like
        Response (NaN raises: drop incomplete rows first).
    X_columns : mapping of str to array_like
        Predictors by name; an intercept is always added and must not be passed.
    confidence_level : float, default 0.95
        Level of the coefficient intervals.

    Returns
    -------
    LinearModelResult

    Raises
    ------
    ValueError
        If lengths differ, values are missing, ``n <= p`` (no residual df), ``y`` is
        constant, the fit is exact, or the design is rank deficient (the message names
        the offending columns).

    Examples
    --------
    >>> fit = ols([1.0, 3.0, 2.0, 5.0, 4.0], {"x": [1, 2, 3, 4, 5]})
    >>> fit.terms, round(fit.coef[fit.index("x")], 3)
    (('(Intercept)', 'x'), 0.8)
    """
    if not 0.0 < confidence_level < 1.0:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level}")
    ya = np.asarray(y, dtype=np.float64)
    if ya.ndim != 1:
        raise ValueError(f"y must be one-dimensional, got shape {ya.shape}")
    n = ya.size
    names = [INTERCEPT]
    cols = [np.ones(n)]
    for name, values in X_columns.items():
        if str(name) == INTERCEPT:
            raise ValueError(f"{INTERCEPT!r} is added automatically; do not pass it")
        col = np.asarray(values, dtype=np.float64)
        if col.ndim != 1 or col.size != n:
            raise ValueError(f"column {name!r} has shape {col.shape}, expected ({n},) like y")
        if not np.all(np.isfinite(col)):
            raise ValueError(f"column {name!r} contains NaN or infinite values")
        names.append(str(name))
        cols.append(col)
    if not np.all(np.isfinite(ya)):
        raise ValueError("y contains NaN or infinite values; remove incomplete rows first")
    p = len(cols)
    if n <= p:
        raise ValueError(f"n = {n} rows cannot fit {p} coefficients with residual df >= 1")
    if np.all(ya == ya[0]):
        raise ValueError(f"y is constant (all {ya[0]!r}): the fit is degenerate")
    design = np.column_stack(cols)
    fit = least_squares(ya, design)
    if fit.rank < p:
        raise ValueError(
            f"rank-deficient design ({fit.rank} < {p}): {_dependent_columns(design, names)}"
        )
    coef, se, df_resid = fit.coef, fit.se, fit.df_resid
    sigma2 = fit.rss / df_resid
    rss, tss = fit.rss, fit.tss

    with np.errstate(divide="ignore"):
        tstat = coef / se
    pval = p_from_t(tstat, df_resid)
    ci_low, ci_high = t_interval(coef, se, df_resid, confidence_level)
    r2 = 1.0 - rss / tss
    return LinearModelResult(
        terms=tuple(names),
        coef=tuple(float(v) for v in coef),
        se=tuple(float(v) for v in se),
        statistic=tuple(float(v) for v in tstat),
        df_resid=int(df_resid),
        pvalue=tuple(float(v) for v in pval),
        ci_low=tuple(float(v) for v in ci_low),
        ci_high=tuple(float(v) for v in ci_high),
        r_squared=float(r2),
        n=int(n),
        sigma=math.sqrt(sigma2),
        confidence_level=float(confidence_level),
    )
