"""Percent change of paired values, and the share of rows meeting a condition with its CI.

Percent change has two definitions papers use without saying which: the mean of the
per-patient ratios ``100 (after - before) / before`` and the ratio of the means
``100 (mean(after) - mean(before)) / mean(before)``. The share's interval is Clopper and
Pearson's (1934), R's ``binom.test(x, n)$conf.int``.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

import numpy as np
import numpy.typing as npt

from ._distributions import check_alternative

__all__ = [
    "PERCENT_CHANGE_METHODS",
    "PercentChangeMethod",
    "Proportion",
    "clopper_pearson",
    "percent_change",
    "proportion",
]

PercentChangeMethod = Literal["mean_of_ratios", "ratio_of_means"]
PERCENT_CHANGE_METHODS: tuple[str, ...] = ("mean_of_ratios", "ratio_of_means")


def _out(x: Any) -> Any:
    arr = np.asarray(x, dtype=np.float64)
    return float(arr) if arr.ndim == 0 else arr


def percent_change(
    before: npt.ArrayLike, after: npt.ArrayLike, *, method: str = "mean_of_ratios"
) -> Any:
    """Percent change from ``before`` to ``after`` along the last axis (2-D: one per row).

    ``mean_of_ratios``: ``mean(100 (after - before) / before)``; ``ratio_of_means``:
    ``100 (mean(after) - mean(before)) / mean(before)``.

    Raises
    ------
    ValueError
        If the method is unknown, the inputs differ in shape or are empty, or (1-D) a
        baseline used as a denominator is 0.

    Examples
    --------
    >>> percent_change([10.0, 20.0], [5.0, 30.0])  # (-50 + 50) / 2
    0.0
    >>> round(percent_change([10.0, 20.0], [5.0, 30.0], method="ratio_of_means"), 12)
    16.666666666667
    """
    if method not in PERCENT_CHANGE_METHODS:
        raise ValueError(f"method must be one of {PERCENT_CHANGE_METHODS}, got {method!r}")
    b = np.asarray(before, dtype=np.float64)
    a = np.asarray(after, dtype=np.float64)
    if a.shape != b.shape or b.shape[-1] == 0:
        raise ValueError(f"before and after must be non-empty, one shape: {b.shape}, {a.shape}")
    if method == "mean_of_ratios":
        if b.ndim == 1 and np.any(b == 0):
            raise ValueError("a baseline value is 0, so its percent change is undefined")
        with np.errstate(divide="ignore", invalid="ignore"):
            return _out((100.0 * (a - b) / b).mean(axis=-1))
    mb = b.mean(axis=-1)
    if np.ndim(mb) == 0 and mb == 0:
        raise ValueError("the baseline mean is 0, so the percent change is undefined")
    with np.errstate(divide="ignore", invalid="ignore"):
        return _out(100.0 * (a.mean(axis=-1) - mb) / mb)


def clopper_pearson(
    x: int, n: int, *, confidence_level: float = 0.95, alternative: str = "two-sided"
) -> tuple[float, float]:
    """Clopper–Pearson interval of a proportion ``x / n``, as R's ``binom.test(x, n)``.

    Beta quantiles ``qbeta(alpha/2, x, n - x + 1)`` and ``qbeta(1 - alpha/2, x + 1, n - x)``
    (0 when ``x = 0``, 1 when ``x = n``); one-sided intervals use ``alpha`` on their side.

    Examples
    --------
    >>> clopper_pearson(0, 10)[0], round(clopper_pearson(0, 10)[1], 12)  # 1 - 0.025^(1/10)
    (0.0, 0.308497107819)
    """
    from scipy.special import betaincinv

    check_alternative(alternative)
    if not 0 <= x <= n or n < 1:
        raise ValueError(f"need 0 <= x <= n and n >= 1, got x = {x}, n = {n}")
    alpha = 1.0 - confidence_level
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level!r}")
    a = alpha / 2.0 if alternative == "two-sided" else alpha
    low = 0.0 if x == 0 or alternative == "less" else float(betaincinv(x, n - x + 1, a))
    high = 1.0 if x == n or alternative == "greater" else float(betaincinv(x + 1, n - x, 1 - a))
    return low, high


class Proportion(NamedTuple):
    """Rows meeting the condition (``k``) of ``n`` counted, the share and its Clopper–Pearson CI."""

    k: int
    n: int
    estimate: float
    ci_low: float
    ci_high: float


def proportion(meets: npt.ArrayLike, *, confidence_level: float = 0.95) -> Proportion:
    """The share of ``True`` in a boolean array (the rows meeting a condition), with the
    two-sided Clopper–Pearson interval of R's ``binom.test``.

    Raises
    ------
    ValueError
        If ``meets`` is empty.

    Examples
    --------
    >>> res = proportion([True, True, False, True])
    >>> res.k, res.n, res.estimate
    (3, 4, 0.75)
    """
    m = np.asarray(meets, dtype=bool).ravel()
    if m.size == 0:
        raise ValueError("no rows: the proportion is undefined")
    k, n = int(m.sum()), int(m.size)
    low, high = clopper_pearson(k, n, confidence_level=confidence_level)
    return Proportion(k, n, k / n, low, high)
