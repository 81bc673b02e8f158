"""Standardised mean differences: of change (d_z, d_av, d_rm, g_av) and between groups (d, g).

Formulas of Lakens (2013), "Calculating and reporting effect sizes to facilitate cumulative
science", Frontiers in Psychology 4:863 (doi:10.3389/fpsyg.2013.00863): ``d_s`` (eq. 1, the
pooled SD), Hedges' ``g_s`` (eq. 4), ``d_z`` (eq. 6), ``d_rm`` (eq. 9) and ``d_av`` (eq. 10).
The change is ``after - before``, so a fall gives a negative value. Each function works along
the last axis (2-D in: one value per row, as the row subsets of a recomputation).

Hedges' small-sample correction is ``J = 1 - 3 / (4 df - 1)``, Lakens' eq. 4 (with
``df = n1 + n2 - 2`` that is ``1 - 3 / (4 (n1 + n2) - 9)``) and the form his spreadsheet
applies to ``d_av`` with ``df = n - 1``: it is the one papers that cite Lakens compute.
The exact ``J = Γ(df / 2) / (sqrt(df / 2) Γ((df - 1) / 2))`` (Hedges 1981), which it
approximates to within 0.1 % for ``df >= 10``, is :func:`hedges_correction` with
``exact=True``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "cohens_d_av",
    "cohens_d_between",
    "cohens_d_rm",
    "cohens_d_z",
    "hedges_correction",
    "hedges_g_av",
    "hedges_g_between",
]


def _out(x: Any) -> Any:
    arr = np.asarray(x, dtype=np.float64)
    return float(arr) if arr.ndim == 0 else arr


def _pair(before: npt.ArrayLike, after: npt.ArrayLike) -> tuple[Any, Any]:
    b = np.asarray(before, dtype=np.float64)
    a = np.asarray(after, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"before and after differ in shape: {b.shape} and {a.shape}")
    if b.shape[-1] < 2:
        raise ValueError(f"an effect size of change needs 2+ pairs, got {b.shape[-1]}")
    return b, a


def hedges_correction(df: npt.ArrayLike, *, exact: bool = False) -> Any:
    """Hedges' small-sample correction ``J`` on ``df`` degrees of freedom.

    Examples
    --------
    >>> hedges_correction(9.0)  # 1 - 3 / 35
    0.9142857142857143
    >>> round(hedges_correction(9.0, exact=True), 12)  # Γ(4.5) / (sqrt(4.5) Γ(4))
    0.913874891793
    """
    d = np.asarray(df, dtype=np.float64)
    if exact:
        from scipy.special import gammaln

        return _out(np.exp(gammaln(d / 2.0) - gammaln((d - 1.0) / 2.0)) / np.sqrt(d / 2.0))
    return _out(1.0 - 3.0 / (4.0 * d - 1.0))


def cohens_d_z(before: npt.ArrayLike, after: npt.ArrayLike) -> Any:
    """``d_z``: mean change over the SD of the changes (Lakens eq. 6); ``t / sqrt(n)``.

    Examples
    --------
    >>> cohens_d_z([1.0, 2.0, 3.0], [2.0, 4.0, 5.0])  # changes 1, 2, 2: mean 5/3, SD 1/sqrt(3)
    2.886751345948129
    """
    b, a = _pair(before, after)
    d = a - b
    return _out(d.mean(axis=-1) / d.std(axis=-1, ddof=1))


def cohens_d_av(before: npt.ArrayLike, after: npt.ArrayLike) -> Any:
    """``d_av``: mean change over the mean of the two SDs (Lakens eq. 10).

    Examples
    --------
    >>> round(cohens_d_av([1.0, 2.0, 3.0], [2.0, 4.0, 5.0]), 12)  # 5/3 over (1 + sqrt(7/3)) / 2
    1.31881307913
    """
    b, a = _pair(before, after)
    sd_av = (b.std(axis=-1, ddof=1) + a.std(axis=-1, ddof=1)) / 2.0
    return _out((a - b).mean(axis=-1) / sd_av)


def cohens_d_rm(before: npt.ArrayLike, after: npt.ArrayLike) -> Any:
    """``d_rm``: ``d_z sqrt(2 (1 - r))``, ``r`` the before-after correlation (Lakens eq. 9,
    whose denominator ``sqrt(SD1² + SD2² - 2 r SD1 SD2)`` is the SD of the changes).

    Examples
    --------
    >>> round(cohens_d_rm([1.0, 2.0, 3.0], [2.0, 4.0, 5.0]), 12)  # r = 3 / sqrt(28 / 3)
    0.548019068069
    """
    b, a = _pair(before, after)
    bc = b - b.mean(axis=-1, keepdims=True)
    ac = a - a.mean(axis=-1, keepdims=True)
    r = (bc * ac).sum(axis=-1) / np.sqrt((bc * bc).sum(axis=-1) * (ac * ac).sum(axis=-1))
    d = a - b
    dz = d.mean(axis=-1) / d.std(axis=-1, ddof=1)
    return _out(dz * np.sqrt(2.0 * np.maximum(0.0, 1.0 - r)))  # r may exceed 1 by rounding


def hedges_g_av(before: npt.ArrayLike, after: npt.ArrayLike, *, exact: bool = False) -> Any:
    """Hedges' ``g_av``: ``d_av`` times ``J`` on ``n - 1`` df (see the module note).

    Examples
    --------
    >>> round(hedges_g_av([1.0, 2.0, 3.0], [2.0, 4.0, 5.0]) / cohens_d_av([1, 2, 3], [2, 4, 5]), 12)
    0.571428571429
    """
    b, _ = _pair(before, after)
    return _out(cohens_d_av(before, after) * hedges_correction(b.shape[-1] - 1.0, exact=exact))


def _pooled_d(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> tuple[float, float]:
    na, nb = a.size, b.size
    if na < 2 or nb < 2:
        raise ValueError(f"a standardised difference needs 2+ values per group, got {na}, {nb}")
    df = na + nb - 2.0
    pooled = ((na - 1) * a.var(ddof=1) + (nb - 1) * b.var(ddof=1)) / df
    if pooled == 0:
        raise ValueError("both groups are constant, so the pooled SD is 0")
    return float((a.mean() - b.mean()) / np.sqrt(pooled)), df


def cohens_d_between(a: npt.ArrayLike, b: npt.ArrayLike) -> float:
    """Cohen's ``d_s``: ``(mean(a) - mean(b))`` over the pooled SD (Lakens eq. 1).

    Examples
    --------
    >>> round(cohens_d_between([1.0, 2.0, 3.0], [2.0, 4.0, 6.0]), 12)  # -2 / sqrt(2.5)
    -1.264911064067
    """
    return _pooled_d(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))[0]


def hedges_g_between(a: npt.ArrayLike, b: npt.ArrayLike, *, exact: bool = False) -> float:
    """Hedges' ``g_s``: ``d_s`` times ``J`` on ``n1 + n2 - 2`` df (Lakens eq. 4).

    Examples
    --------
    >>> round(hedges_g_between([1.0, 2.0, 3.0], [2.0, 4.0, 6.0]), 12)  # d_s (1 - 3 / 15)
    -1.011928851254
    """
    d, df = _pooled_d(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
    return d * float(hedges_correction(df, exact=exact))
