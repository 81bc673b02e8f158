"""Correlation tests matching R's ``cor.test``, and partial correlation.

Conventions follow R's ``stats::cor.test`` (R 4.2) with ``exact = FALSE`` for the
rank methods:

* **Pearson**: ``t = r * sqrt(df / (1 - r^2))``, ``df = n - 2``; confidence interval
  from Fisher's z, ``tanh(atanh(r) +/- z_crit / sqrt(n - 3))`` (needs ``n >= 4``).
* **Spearman**: rho is Pearson's r of average ranks. R reports
  ``S = (n^3 - n)(1 - rho) / 6`` and, with ``exact = FALSE``, takes the p-value from
  ``t = rho * sqrt((n - 2) / (1 - rho^2))`` on ``n - 2`` df. No CI.
* **Kendall**: tau-b; ``z = S / sqrt(var(S))`` with the tie-corrected variance of
  Kendall (1970) used by R, no continuity correction (R's default). No CI.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from ._kernel import (
    CORRELATION_METHODS,
    Alternative,
    average_ranks,
    check_alternative,
    correlation_test,
    p_from_t,
    p_from_z,
    pearson_r,
    t_of_pair,
    z_quantile,
)

__all__ = ["CorrelationResult", "correlate", "partial_correlation"]

Method = Literal["pearson", "spearman", "kendall"]


@dataclass(frozen=True)
class CorrelationResult:
    """Correlation estimate and test of zero correlation.

    Attributes
    ----------
    method : str
        ``"pearson"``, ``"spearman"`` or ``"kendall"``.
    estimate : float
        r, rho or tau-b.
    statistic : float
        The test statistic R prints: ``t`` (Pearson and partial), ``S`` (Spearman),
        ``z`` (Kendall). See ``statistic_name``.
    statistic_name : str
        ``"t"``, ``"S"`` or ``"z"``.
    df : float or None
        Degrees of freedom of the t reference distribution (Pearson: n - 2; partial:
        n - 2 - k; Spearman: n - 2 for its t approximation); None for Kendall's z.
    pvalue : float
        P-value for ``alternative``.
    ci_low, ci_high : float or None
        Fisher-z interval (Pearson and partial Pearson only); None otherwise, with the
        reason in ``notes``.
    confidence_level : float
        Level of the interval.
    n : int
        Complete pairs used.
    alternative : str
        ``"two-sided"``, ``"less"`` or ``"greater"``.
    n_covariates : int
        Covariates partialled out (0 for a plain correlation).
    notes : tuple of str
        Why a field is None, or other caveats.
    """

    method: str
    estimate: float
    statistic: float
    statistic_name: str
    df: float | None
    pvalue: float
    ci_low: float | None
    ci_high: float | None
    confidence_level: float
    n: int
    alternative: str = "two-sided"
    n_covariates: int = 0
    notes: tuple[str, ...] = ()


def _as_vector(a: npt.ArrayLike, name: str) -> npt.NDArray[np.float64]:
    arr = np.asarray(a, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values; remove them explicitly first")
    return arr


def _check_pair(
    x: npt.ArrayLike, y: npt.ArrayLike, names: tuple[str, str] = ("x", "y")
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    xa = _as_vector(x, names[0])
    ya = _as_vector(y, names[1])
    if xa.size != ya.size:
        raise ValueError(f"{names[0]} and {names[1]} differ in length: {xa.size} vs {ya.size}")
    if xa.size < 3:
        raise ValueError(f"a correlation test needs at least 3 pairs, got {xa.size}")
    for arr, name in ((xa, names[0]), (ya, names[1])):
        if np.all(arr == arr[0]):
            raise ValueError(f"{name} is constant (all {arr[0]!r}): its correlation is undefined")
    return xa, ya


def _check_options(alternative: str, confidence_level: float) -> None:
    check_alternative(alternative)
    if not 0.0 < confidence_level < 1.0:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level}")


def _fisher_ci(
    r: float, se: float, confidence_level: float, alternative: str
) -> tuple[float, float]:
    z = math.atanh(r) if abs(r) < 1.0 else math.copysign(math.inf, r)
    if alternative == "two-sided":
        crit = z_quantile(1.0 - (1.0 - confidence_level) / 2.0)
        return math.tanh(z - crit * se), math.tanh(z + crit * se)
    crit = z_quantile(confidence_level)
    if alternative == "less":
        return -1.0, math.tanh(z + crit * se)
    return math.tanh(z - crit * se), 1.0


def correlate(
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    method: Method = "pearson",
    confidence_level: float = 0.95,
    alternative: Alternative = "two-sided",
) -> CorrelationResult:
    """Correlation of ``x`` and ``y`` with a test of zero correlation, as R's ``cor.test``.

    Parameters
    ----------
    x, y : array_like
        Paired, finite, one-dimensional samples of equal length (NaN raises).
    method : {"pearson", "spearman", "kendall"}
        Pearson's r, Spearman's rho (``exact = FALSE``: t approximation) or Kendall's
        tau-b (``exact = FALSE``: tie-corrected normal approximation).
    confidence_level : float, default 0.95
        Level of the Fisher-z interval (Pearson only).
    alternative : {"two-sided", "less", "greater"}
        ``greater`` is positive association.

    Returns
    -------
    CorrelationResult

    Raises
    ------
    ValueError
        If ``n < 3``, the lengths differ, or ``x`` or ``y`` is constant (the message
        names which).

    Examples
    --------
    >>> res = correlate([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])
    >>> round(res.estimate, 3), res.statistic_name, res.df
    (0.8, 't', 3.0)
    """
    if method not in CORRELATION_METHODS:
        raise ValueError(f"method must be one of {CORRELATION_METHODS}, got {method!r}")
    _check_options(alternative, confidence_level)
    xa, ya = _check_pair(x, y)
    n = xa.size
    notes: list[str] = []
    ci: tuple[float | None, float | None] = (None, None)

    test = correlation_test(xa, ya, method)
    r = test.estimate
    df = test.df
    if method == "pearson":
        assert df is not None
        stat = test.statistic
        p = p_from_t(stat, df, alternative)
        if n >= 4:
            ci = _fisher_ci(r, 1.0 / math.sqrt(n - 3), confidence_level, alternative)
        else:
            notes.append("no Fisher-z interval: it needs n >= 4 (standard error 1/sqrt(n-3))")
        name = "t"
    elif method == "spearman":
        assert df is not None
        stat = (n**3 - n) * (1.0 - r) / 6.0
        p = p_from_t(test.statistic, df, alternative)
        name = "S"
        notes.append("p-value from the t approximation on n - 2 df (R's exact = FALSE)")
        notes.append("no confidence interval: R's cor.test gives none for Spearman's rho")
    else:
        stat = test.statistic
        p = p_from_z(stat, alternative)
        name = "z"
        notes.append("tie-corrected normal approximation, no continuity correction")
        notes.append("no confidence interval: R's cor.test gives none for Kendall's tau")

    return CorrelationResult(
        method=method,
        estimate=r,
        statistic=float(stat),
        statistic_name=name,
        df=df,
        pvalue=p,
        ci_low=ci[0],
        ci_high=ci[1],
        confidence_level=float(confidence_level),
        n=int(n),
        alternative=alternative,
        notes=tuple(notes),
    )


def _residualise(
    v: npt.NDArray[np.float64], design: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    coef, *_ = np.linalg.lstsq(design, v, rcond=None)
    return np.asarray(v - design @ coef, dtype=np.float64)


def partial_correlation(
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    covariate: npt.ArrayLike | Mapping[str, npt.ArrayLike],
    *,
    method: Literal["pearson", "spearman"] = "pearson",
    confidence_level: float = 0.95,
    alternative: Alternative = "two-sided",
) -> CorrelationResult:
    """Partial correlation of ``x`` and ``y`` given covariate(s), by residuals.

    ``x`` and ``y`` are each regressed (with an intercept) on the covariates and the
    residuals correlated. With ``k`` covariates, ``t = r * sqrt(df / (1 - r^2))`` with
    ``df = n - 2 - k`` (``n - 3`` for one covariate), computed so that it stays finite as
    ``r`` rounds to 1 (``_kernel.t_of_pair``), and the Fisher-z interval uses the
    standard error ``1 / sqrt(n - k - 3)`` (as pingouin does). ``method="spearman"``
    ranks every variable first.

    Parameters
    ----------
    x, y : array_like
        Paired samples (NaN raises).
    covariate : array_like or mapping of name to array_like
        One covariate (1-D), several as columns of a 2-D array, or a name -> values
        mapping (names are used in error messages).
    method : {"pearson", "spearman"}
        Correlation of the raw values or of their ranks.
    confidence_level : float, default 0.95
        Level of the Fisher-z interval.
    alternative : {"two-sided", "less", "greater"}
        Direction of the alternative.

    Returns
    -------
    CorrelationResult
        With ``n_covariates = k``.

    Raises
    ------
    ValueError
        If a variable is constant (named), the covariates are collinear with the
        intercept or each other, ``x`` or ``y`` is fully explained by the covariates,
        ``y`` is (within rounding) a linear function of ``x`` and the covariates, or
        ``n - 2 - k < 1``.

    Examples
    --------
    >>> res = partial_correlation([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 5], [1, 1, 2, 2, 3, 4])
    >>> res.df, res.n_covariates
    (3.0, 1)
    """
    if method not in ("pearson", "spearman"):
        raise ValueError(f"method must be 'pearson' or 'spearman', got {method!r}")
    _check_options(alternative, confidence_level)
    xa, ya = _check_pair(x, y)
    n = xa.size

    if isinstance(covariate, Mapping):
        names = [str(k) for k in covariate]
        cols = [_as_vector(v, f"covariate {k!r}") for k, v in covariate.items()]
    else:
        cov = np.asarray(covariate, dtype=np.float64)
        if cov.ndim == 1:
            cov = cov[:, None]
        if cov.ndim != 2:
            raise ValueError(f"covariate must be 1-D or 2-D, got shape {cov.shape}")
        if not np.all(np.isfinite(cov)):
            raise ValueError("covariate contains NaN or infinite values; remove them first")
        names = (
            ["covariate"] if cov.shape[1] == 1 else [f"covariate {i}" for i in range(cov.shape[1])]
        )
        cols = [cov[:, i] for i in range(cov.shape[1])]
    k = len(cols)
    if k == 0:
        raise ValueError("no covariate given; use correlate() for a plain correlation")
    for col, name in zip(cols, names, strict=True):
        if col.size != n:
            raise ValueError(f"{name} has {col.size} values but x and y have {n}")
        if np.all(col == col[0]):
            raise ValueError(f"{name} is constant (all {col[0]!r}): it cannot be partialled out")
    df = n - 2 - k
    if df < 1:
        raise ValueError(f"n = {n} is too small for {k} covariate(s): n - 2 - k = {df} < 1")

    if method == "spearman":
        xa, ya = average_ranks(xa)[0], average_ranks(ya)[0]
        cols = [average_ranks(c)[0] for c in cols]
    design = np.column_stack([np.ones(n), *cols])
    if np.linalg.matrix_rank(design) < design.shape[1]:
        raise ValueError(
            f"the covariates ({', '.join(names)}) are collinear with each other or with the "
            "intercept: the partial correlation is not identified"
        )
    rx = _residualise(xa, design)
    ry = _residualise(ya, design)
    for res, name, orig in ((rx, "x", xa), (ry, "y", ya)):
        centred = orig - orig.mean()
        if float(np.dot(res, res)) <= 1e-12 * float(np.dot(centred, centred)):
            raise ValueError(
                f"{name} is (numerically) a linear function of the covariates: its residuals "
                "are zero and the partial correlation is undefined"
            )
    r = pearson_r(rx, ry)
    stat, left = t_of_pair(rx, ry, float(df))
    # The residuals carry the rounding of the fit, about eps times the data's size: what is
    # left of y beyond x no larger than that says nothing of how near to +-1 r is.
    noise = 16 * n * np.finfo(np.float64).eps * float(np.linalg.norm(ya) + np.linalg.norm(xa))
    if left <= noise:
        raise ValueError(
            "x and y are (numerically) linear functions of each other and the covariates: "
            "the partial correlation is +-1 within rounding and its test is undefined"
        )
    p = p_from_t(stat, float(df), alternative)
    notes: list[str] = []
    ci: tuple[float | None, float | None] = (None, None)
    if n - k - 3 >= 1:
        ci = _fisher_ci(r, 1.0 / math.sqrt(n - k - 3), confidence_level, alternative)
    else:
        notes.append("no Fisher-z interval: it needs n - k - 3 >= 1")
    return CorrelationResult(
        method=method,
        estimate=r,
        statistic=float(stat),
        statistic_name="t",
        df=float(df),
        pvalue=p,
        ci_low=ci[0],
        ci_high=ci[1],
        confidence_level=float(confidence_level),
        n=int(n),
        alternative=alternative,
        n_covariates=k,
        notes=tuple(notes),
    )
