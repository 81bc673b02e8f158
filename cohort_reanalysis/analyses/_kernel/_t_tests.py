"""The t statistics: one sample (or paired differences), Student's and Welch's two samples.

:func:`one_sample_t` and :func:`two_sample_t` give the statistic and its parts;
:func:`t_test` and :func:`two_sample_t_test` add the p-value and interval as R's ``t.test``
prints them; :func:`masked_one_sample_t` computes one test per row subset of a mask matrix;
:func:`paired_t_from_summary` is the paired t from two visits' means and SDs and a
within-patient correlation.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from ._distributions import p_from_t, t_interval

__all__ = [
    "OneSampleT",
    "TTest",
    "TwoSampleT",
    "masked_one_sample_t",
    "one_sample_t",
    "paired_t_from_summary",
    "t_test",
    "two_sample_t",
    "two_sample_t_test",
]


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
        # An SD of a few ulps of the values (or one that underflowed to 0) is rounding, not
        # spread: the t statistic would be noise divided by noise.
        if not sd > 8.0 * np.finfo(np.float64).eps * float(np.max(np.abs(x))):
            raise ValueError(
                "the differences' SD is 0 or rounding noise, so the t statistic is undefined"
            )
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


class TTest(NamedTuple):
    """R's ``t.test``: statistic, df, p-value, interval of ``estimate`` and its SE.

    ``estimate`` is the mean (one sample) or the difference of means (two samples); the
    interval is for it, not for ``estimate - mu``, as R's ``conf.int``.
    """

    statistic: Any
    df: Any
    pvalue: Any
    ci_low: Any
    ci_high: Any
    estimate: Any
    se: Any


def t_test(
    x: npt.ArrayLike,
    *,
    mu: float = 0.0,
    alternative: str = "two-sided",
    confidence_level: float = 0.95,
) -> TTest:
    """One-sample t-test of ``x`` against ``mu``, as R's ``t.test(x, mu = mu)``, along the last
    axis (a 2-D ``x``: one test per row, arrays out, as :func:`one_sample_t`).

    The SE of the mean (of a mean change, for paired differences) is ``sd / sqrt(n)``.

    Examples
    --------
    >>> res = t_test([1.0, 2.0, 3.0, 6.0], mu=1.0)
    >>> res.estimate, round(res.statistic, 12), res.df  # (3 - 1) / sqrt(14 / 12)
    (3.0, 1.851640199545, 3.0)
    """
    one = one_sample_t(x, mu=mu)
    p = p_from_t(one.statistic, one.df, alternative)
    low, high = t_interval(one.estimate, one.se, one.df, confidence_level, alternative)
    return TTest(one.statistic, one.df, p, low, high, one.estimate, one.se)


def two_sample_t_test(
    a: npt.ArrayLike,
    b: npt.ArrayLike,
    *,
    equal_var: bool,
    mu: float = 0.0,
    alternative: str = "two-sided",
    confidence_level: float = 0.95,
) -> TTest:
    """Student's or Welch's t-test of ``mean(a) - mean(b)`` against ``mu``, as R's
    ``t.test(a, b, var.equal = equal_var, mu = mu)``; the interval is of the difference.

    Examples
    --------
    >>> res = two_sample_t_test([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], equal_var=True)
    >>> res.estimate, round(res.statistic, 12), res.df  # -2 / sqrt(2.5 * 2 / 3)
    (-2.0, -1.549193338483, 4.0)
    """
    two = two_sample_t(a, b, equal_var=equal_var)
    t = (two.estimate - mu) / two.se
    p = p_from_t(t, two.df, alternative)
    low, high = t_interval(two.estimate, two.se, two.df, confidence_level, alternative)
    return TTest(t, two.df, p, low, high, two.estimate, two.se)


def masked_one_sample_t(x: npt.ArrayLike, masks: npt.ArrayLike, *, mu: float = 0.0) -> OneSampleT:
    """One t statistic of ``x[mask]`` against ``mu`` per row of a boolean ``masks`` matrix.

    ``masks`` has shape ``(k, n)`` for ``x`` of length ``n`` (NaN in ``x`` never counts);
    every field is an array of length ``k`` (``df`` too). Subsets with fewer than 2 values
    or SD 0 give NaN or infinite statistics rather than raising: the caller decides.

    Examples
    --------
    >>> res = masked_one_sample_t([1.0, 2.0, 3.0, 6.0], [[1, 1, 1, 1], [1, 1, 1, 0]])
    >>> res.estimate.tolist(), res.df.tolist()
    ([3.0, 2.0], [3.0, 2.0])
    """
    values = np.asarray(x, dtype=np.float64)
    m = np.asarray(masks, dtype=bool) & ~np.isnan(values)
    filled = np.where(np.isnan(values), 0.0, values)
    n = m.sum(axis=-1).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (m * filled).sum(axis=-1) / n
        centred = np.where(m, filled - mean[..., None], 0.0)
        sd = np.sqrt((centred * centred).sum(axis=-1) / (n - 1.0))
        se = sd / np.sqrt(n)
        stat = (mean - mu) / se
    return OneSampleT(stat, n - 1.0, mean, sd, se)


def paired_t_from_summary(
    mean_before: npt.ArrayLike,
    sd_before: npt.ArrayLike,
    mean_after: npt.ArrayLike,
    sd_after: npt.ArrayLike,
    n: int,
    r: npt.ArrayLike,
) -> tuple[Any, float]:
    """The paired t of ``after - before`` (R's ``t.test(after, before, paired = TRUE)``) from
    the two visits' means and SDs (``ddof = 1``) over the same ``n`` patients and the
    correlation ``r`` between their values: the SD of the change is
    ``sqrt(sd_before**2 + sd_after**2 - 2 r sd_before sd_after)``. Broadcasts; an SD of the
    change of 0 gives an infinite t (NaN when the means are equal too).

    Returns
    -------
    (t, df)
        ``df = n - 1``.

    Examples
    --------
    >>> t, df = paired_t_from_summary(10.0, 2.0, 9.0, 2.0, 16, 0.5)  # SD of change 2
    >>> float(t), df
    (-2.0, 15.0)
    """
    if n < 2:
        raise ValueError(f"a paired t needs at least 2 pairs, got n = {n}")
    s1, s2 = np.asarray(sd_before, dtype=float), np.asarray(sd_after, dtype=float)
    var = np.maximum(s1 * s1 + s2 * s2 - 2.0 * np.asarray(r, dtype=float) * s1 * s2, 0.0)
    diff = np.asarray(mean_after, dtype=float) - np.asarray(mean_before, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = diff / np.sqrt(var / n)
    return (t if t.ndim else float(t)), float(n - 1)
