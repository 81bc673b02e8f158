"""The t statistics: one sample (or paired differences), Student's and Welch's two samples."""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

__all__ = ["OneSampleT", "TwoSampleT", "one_sample_t", "two_sample_t"]


class OneSampleT(NamedTuple):
    """``statistic = (estimate - mu) / se`` on ``df = n - 1``; ``sd`` has ``ddof = 1``."""

    statistic: Any
    df: float
    estimate: Any
    sd: Any
    se: Any


class TwoSampleT(NamedTuple):
    """``statistic = estimate / se`` with ``estimate = mean(a) - mean(b)``."""

    statistic: float
    df: float
    estimate: float
    se: float


def one_sample_t(d: npt.ArrayLike, *, mu: float = 0.0) -> OneSampleT:
    """The t statistic of the mean of ``d`` against ``mu`` (paired differences: R's
    ``t.test(after, before, paired = TRUE)``), along the last axis.

    A 2-D ``d`` gives one test per row (arrays out, no checks: a simulation's rows); a 1-D
    ``d`` gives floats and is checked.

    Raises
    ------
    ValueError
        (1-D) If there are fewer than 2 values, or every value is the same (the SD is 0,
        or rounding makes it a meaningless few ulps).

    Examples
    --------
    >>> res = one_sample_t([1.0, 2.0, 3.0, 6.0])  # mean 3, SD sqrt(14 / 3)
    >>> round(res.statistic, 12) == round(3.0 / (14.0 / 3.0 / 4.0) ** 0.5, 12), res.df
    (True, 3.0)
    """
    x = np.asarray(d, dtype=np.float64)
    n = x.shape[-1]
    if x.ndim == 1:
        if n < 2:
            raise ValueError(f"a paired t-test needs 2+ pairs, got {n}")
        if bool(np.all(x == x[0])):
            raise ValueError("every difference is the same, so the t statistic is undefined")
        mean = float(np.mean(x))
        sd = float(np.std(x, ddof=1))
        se = sd / math.sqrt(n)
        return OneSampleT((mean - mu) / se, float(n - 1), mean, sd, se)
    mean_a = x.mean(axis=-1)
    sd_a = x.std(axis=-1, ddof=1)
    se_a = sd_a / math.sqrt(n)
    return OneSampleT((mean_a - mu) / se_a, float(n - 1), mean_a, sd_a, se_a)


def two_sample_t(a: npt.ArrayLike, b: npt.ArrayLike, *, equal_var: bool) -> TwoSampleT:
    """Student's (``equal_var=True``, pooled variance) or Welch's t for ``mean(a) - mean(b)``,
    as R's ``t.test(a, b, var.equal = )``; Welch's df is Satterthwaite's.

    Raises
    ------
    ValueError
        If a group has fewer than 2 values, or both are constant (the SE is 0).

    Examples
    --------
    >>> round(two_sample_t([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], equal_var=False).df, 12)  # 50 / 17
    2.941176470588
    """
    x = np.asarray(a, dtype=np.float64)
    y = np.asarray(b, dtype=np.float64)
    na, nb = x.size, y.size
    if na < 2 or nb < 2:
        raise ValueError(f"a two-sample t-test needs 2+ values per group, got {na} and {nb}")
    va, vb = float(x.var(ddof=1)), float(y.var(ddof=1))
    diff = float(x.mean() - y.mean())
    if equal_var:
        df = na + nb - 2.0
        pooled = ((na - 1) * va + (nb - 1) * vb) / df
        se = math.sqrt(pooled * (1.0 / na + 1.0 / nb))
    else:
        se2a, se2b = va / na, vb / nb
        se = math.sqrt(se2a + se2b)
        df = (se2a + se2b) ** 2 / (se2a**2 / (na - 1) + se2b**2 / (nb - 1)) if se else 1.0
    if se == 0:
        raise ValueError("both groups are constant, so the t statistic is undefined")
    return TwoSampleT(diff / se, float(df), diff, se)
