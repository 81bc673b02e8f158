"""Tail probabilities and quantiles of the t, normal, F and chi-squared distributions.

The one place a p-value is read off a reference distribution and a t interval is built.
Each function takes numbers or numpy arrays (elementwise) and returns a float for scalar
input, an array otherwise. The distribution functions are :mod:`scipy.special`'s (the ones
``scipy.stats`` itself calls), imported inside each function.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Literal, overload

import numpy as np
import numpy.typing as npt

__all__ = [
    "ALTERNATIVES",
    "Alternative",
    "check_alternative",
    "p_from_chi2",
    "p_from_f",
    "p_from_t",
    "p_from_z",
    "t_interval",
    "t_quantile",
    "z_quantile",
]

Alternative = Literal["two-sided", "less", "greater"]
ALTERNATIVES: tuple[str, ...] = ("two-sided", "less", "greater")

Floats = npt.NDArray[np.float64]
Array = npt.NDArray[Any]  # any float dtype in


def check_alternative(alternative: str) -> None:
    """Raise ``ValueError`` unless ``alternative`` is one of :data:`ALTERNATIVES`."""
    if alternative not in ALTERNATIVES:
        raise ValueError(f"alternative must be one of {ALTERNATIVES}, got {alternative!r}")


def _out(x: npt.ArrayLike) -> Any:
    """A float for a 0-d result, else the float array."""
    arr = np.asarray(x, dtype=np.float64)
    return float(arr) if arr.ndim == 0 else arr


def _by_alternative(cdf: Callable[[Floats], Floats], stat: npt.ArrayLike, alternative: str) -> Any:
    """``P(X <= s)``, ``P(X >= s)`` or ``2 P(X >= |s|)`` (capped at 1) of a symmetric law."""
    check_alternative(alternative)
    s = np.asarray(stat, dtype=np.float64)
    if alternative == "less":
        return _out(cdf(s))
    if alternative == "greater":
        return _out(cdf(-s))
    return _out(np.minimum(1.0, 2.0 * cdf(-np.abs(s))))


@overload
def p_from_t(t: float, df: float, alternative: str = ...) -> float: ...
@overload
def p_from_t(t: Array, df: npt.ArrayLike, alternative: str = ...) -> Floats: ...
def p_from_t(t: npt.ArrayLike, df: npt.ArrayLike, alternative: str = "two-sided") -> Any:
    """P-value of a t statistic on ``df`` degrees of freedom (``df = inf``: normal).

    ``"greater"`` is the upper tail ``P(T >= t)``, ``"less"`` the lower, ``"two-sided"``
    ``2 P(T >= |t|)``, as R's ``pt``-based tests.

    Examples
    --------
    >>> round(p_from_t(1.0, 1), 12), round(p_from_t(1.0, 1, "greater"), 12)  # Cauchy: atan
    (0.5, 0.25)
    """
    from scipy.special import stdtr

    d = np.asarray(df, dtype=np.float64)
    return _by_alternative(lambda s: stdtr(d, s), t, alternative)


@overload
def p_from_z(z: float, alternative: str = ...) -> float: ...
@overload
def p_from_z(z: Array, alternative: str = ...) -> Floats: ...
def p_from_z(z: npt.ArrayLike, alternative: str = "two-sided") -> Any:
    """P-value of a standard normal statistic ``z`` (tails as :func:`p_from_t`).

    Examples
    --------
    >>> round(p_from_z(1.959963984540054), 12)
    0.05
    """
    from scipy.special import ndtr

    return _by_alternative(ndtr, z, alternative)


@overload
def p_from_chi2(x: float, df: float) -> float: ...
@overload
def p_from_chi2(x: Array, df: npt.ArrayLike) -> Floats: ...
def p_from_chi2(x: npt.ArrayLike, df: npt.ArrayLike) -> Any:
    """Upper-tail p-value ``P(X >= x)`` of a chi-squared statistic on ``df`` degrees of freedom.

    Examples
    --------
    >>> round(p_from_chi2(3.841458820694124, 1), 12)
    0.05
    """
    from scipy.special import chdtrc

    return _out(chdtrc(df, x))


@overload
def p_from_f(f: float, df1: float, df2: float) -> float: ...
@overload
def p_from_f(f: Array, df1: npt.ArrayLike, df2: npt.ArrayLike) -> Floats: ...
def p_from_f(f: npt.ArrayLike, df1: npt.ArrayLike, df2: npt.ArrayLike) -> Any:
    """Upper-tail p-value ``P(F >= f)`` of an F statistic on ``(df1, df2)`` degrees of freedom.

    Examples
    --------
    >>> p_from_f(1.0, 2, 2)  # F(2, 2) has survival function 1 / (1 + f)
    0.5
    """
    from scipy.special import fdtrc

    return _out(fdtrc(df1, df2, f))


@overload
def t_quantile(prob: float, df: float) -> float: ...
@overload
def t_quantile(prob: Array, df: npt.ArrayLike) -> Floats: ...
def t_quantile(prob: npt.ArrayLike, df: npt.ArrayLike) -> Any:
    """The ``prob`` quantile of the t distribution on ``df`` degrees of freedom (R's ``qt``).

    ``df = inf`` gives the normal quantile exactly.

    Examples
    --------
    >>> round(t_quantile(0.975, 1), 12)  # Cauchy: tan(pi (p - 1/2))
    12.706204736175
    """
    return _t_quantile(prob, df)


def _t_quantile(prob: npt.ArrayLike, df: npt.ArrayLike) -> Any:
    from scipy.special import ndtri, stdtrit

    d = np.asarray(df, dtype=np.float64)
    if d.ndim == 0 and math.isinf(float(d)):
        return _out(ndtri(prob))
    return _out(stdtrit(d, prob))


@overload
def z_quantile(prob: float) -> float: ...
@overload
def z_quantile(prob: Array) -> Floats: ...
def z_quantile(prob: npt.ArrayLike) -> Any:
    """The ``prob`` quantile of the standard normal distribution (R's ``qnorm``).

    Examples
    --------
    >>> z_quantile(0.5)
    0.0
    """
    from scipy.special import ndtri

    return _out(ndtri(prob))


@overload
def t_interval(
    estimate: float, se: float, df: float, confidence_level: float = ..., alternative: str = ...
) -> tuple[float, float]: ...
@overload
def t_interval(
    estimate: Array,
    se: npt.ArrayLike,
    df: npt.ArrayLike,
    confidence_level: float = ...,
    alternative: str = ...,
) -> tuple[Floats, Floats]: ...
def t_interval(
    estimate: npt.ArrayLike,
    se: npt.ArrayLike,
    df: npt.ArrayLike,
    confidence_level: float = 0.95,
    alternative: str = "two-sided",
) -> tuple[Any, Any]:
    """Confidence interval ``estimate ± q se`` from the t distribution, as R's ``t.test``.

    Two-sided: ``q = qt(1 - alpha / 2, df)`` with ``alpha = 1 - confidence_level``; one-sided
    (``"greater"``: ``[estimate - qt(level) se, inf)``, ``"less"``: the mirror image).

    Examples
    --------
    >>> lo, hi = t_interval(10.0, 1.0, 1e9)
    >>> round(lo, 6), round(hi, 6)
    (8.040036, 11.959964)
    """
    check_alternative(alternative)
    level = float(confidence_level)
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level!r}")
    est = np.asarray(estimate, dtype=np.float64)
    s = np.asarray(se, dtype=np.float64)
    if alternative == "two-sided":
        half = _t_quantile(1.0 - (1.0 - level) / 2.0, df) * s
        return _out(est - half), _out(est + half)
    half = _t_quantile(level, df) * s
    if alternative == "greater":
        return _out(est - half), _out(np.full_like(est, math.inf))
    return _out(np.full_like(est, -math.inf)), _out(est + half)
