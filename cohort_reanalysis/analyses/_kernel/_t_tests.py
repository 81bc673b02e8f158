"""The t statistics: one sample (or paired differences), Student's and Welch's two samples.

:func:`one_sample_t` and :func:`two_sample_t` give the statistic and its parts;
:func:`t_test` and :func:`two_sample_t_test` add the p-value and interval as R's ``t.test``
prints them (``_masked_tests`` has their forms on many row subsets at once);
:func:`paired_t_from_summary` is the paired t from two visits' means and SDs and a
within-patient correlation.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from ._distributions import p_from_t, t_interval

__all__ = [
    "OneSampleT",
    "TTest",
    "TwoSampleT",
    "one_sample_t",
    "one_sample_t_from_moments",
    "paired_t_from_summary",
    "t_test",
    "two_sample_t",
    "two_sample_t_from_moments",
    "two_sample_t_test",
]


class OneSampleT(NamedTuple):
    """``statistic = (estimate - mu) / se`` on ``df = n - 1``; ``sd`` has ``ddof = 1``."""

    statistic: Any
    df: Any
    estimate: Any
    sd: Any
    se: Any


class TwoSampleT(NamedTuple):
    """``statistic = estimate / se`` with ``estimate = mean(a) - mean(b)``."""

    statistic: Any
    df: Any
    estimate: Any
    se: Any


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
        sd = float(np.std(x, ddof=1))
        # An SD of a few ulps of the values (or one that underflowed to 0) is rounding, not
        # spread: the t statistic would be noise divided by noise.
        if not sd > 8.0 * np.finfo(np.float64).eps * float(np.max(np.abs(x))):
            raise ValueError(
                "the differences' SD is 0 or rounding noise, so the t statistic is undefined"
            )
        one = one_sample_t(x[None], mu=mu)
        return OneSampleT(
            float(one.statistic[0]), one.df, float(one.estimate[0]), sd, float(one.se[0])
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        return one_sample_t_from_moments(
            x.mean(axis=-1), x.var(axis=-1, ddof=1), n, mu=mu, df=float(n - 1)
        )


def one_sample_t_from_moments(
    mean: npt.ArrayLike,
    var: npt.ArrayLike,
    n: npt.ArrayLike,
    *,
    mu: float = 0.0,
    df: Any = None,
) -> OneSampleT:
    """:func:`one_sample_t` from the mean, the variance (``ddof = 1``) and the size,
    elementwise, without checks (the SD is ``sqrt(var)``, as ``std`` computes it): the one
    place of the formula. ``df`` defaults to ``n - 1``.

    Examples
    --------
    >>> res = one_sample_t_from_moments(3.0, 14.0 / 3.0, 4)
    >>> round(float(res.statistic), 12) == round(3.0 / (14.0 / 3.0 / 4.0) ** 0.5, 12)
    True
    """
    m = np.asarray(mean, dtype=np.float64)
    size = np.asarray(n)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(np.asarray(var, dtype=np.float64))
        se = sd / np.sqrt(size)
        stat = (m - mu) / se
    return OneSampleT(stat, size - 1.0 if df is None else df, m, sd, se)


def two_sample_t(a: npt.ArrayLike, b: npt.ArrayLike, *, equal_var: bool) -> TwoSampleT:
    """Student's (``equal_var=True``, pooled variance) or Welch's t for ``mean(a) - mean(b)``,
    as R's ``t.test(a, b, var.equal = )``; Welch's df is Satterthwaite's.

    2-D ``a`` and ``b`` give one test per row (arrays out, no checks; the statistic is NaN
    where a row's SE is 0); 1-D ones give floats and are checked.

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
    na, nb = x.shape[-1], y.shape[-1]
    if x.ndim == 2:
        return _two_sample(x, y, equal_var)
    if na < 2 or nb < 2:
        raise ValueError(f"a two-sample t-test needs 2+ values per group, got {na} and {nb}")
    two = _two_sample(x[None], y[None], equal_var)
    if two.se[0] == 0:
        raise ValueError("both groups are constant, so the t statistic is undefined")
    return TwoSampleT(
        float(two.statistic[0]), float(two.df[0]), float(two.estimate[0]), float(two.se[0])
    )


def _two_sample(x: np.ndarray, y: np.ndarray, equal_var: bool) -> TwoSampleT:
    """Row by row of 2-D samples (NaN where a row's SE is 0)."""
    na, nb = x.shape[-1], y.shape[-1]
    return two_sample_t_from_moments(
        x.mean(axis=-1),
        x.var(axis=-1, ddof=1),
        na,
        y.mean(axis=-1),
        y.var(axis=-1, ddof=1),
        nb,
        equal_var=equal_var,
    )


def two_sample_t_from_moments(
    mean_a: npt.ArrayLike,
    var_a: npt.ArrayLike,
    n_a: npt.ArrayLike,
    mean_b: npt.ArrayLike,
    var_b: npt.ArrayLike,
    n_b: npt.ArrayLike,
    *,
    equal_var: bool,
) -> TwoSampleT:
    """:func:`two_sample_t` from each group's mean, variance (``ddof = 1``) and size,
    elementwise (arrays out; the statistic NaN where the SE is 0): the one place of the
    formula, which :func:`two_sample_t` calls.

    Examples
    --------
    >>> res = two_sample_t_from_moments(2.0, 1.0, 3, 4.0, 4.0, 3, equal_var=False)
    >>> round(float(res.df), 12)  # 50 / 17
    2.941176470588
    """
    ma, va, na = (np.asarray(v) for v in (mean_a, var_a, n_a))
    mb, vb, nb = (np.asarray(v) for v in (mean_b, var_b, n_b))
    diff = ma - mb
    with np.errstate(invalid="ignore", divide="ignore"):
        if equal_var:
            df = np.broadcast_to(na + nb - 2.0, diff.shape).astype(np.float64)
            pooled = ((na - 1) * va + (nb - 1) * vb) / df
            se = np.sqrt(pooled * (1.0 / na + 1.0 / nb))
        else:
            se2a, se2b = va / na, vb / nb
            total = se2a + se2b
            se = np.sqrt(total)
            df = np.where(
                se > 0, total * total / (se2a * se2a / (na - 1) + se2b * se2b / (nb - 1)), 1.0
            )
        stat = np.where(se > 0, diff / se, np.nan)
    return TwoSampleT(stat, df, diff, se)


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
