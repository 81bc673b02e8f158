"""Standardised mean changes of paired data (Lakens 2013) and their confidence intervals.

``d_z``, ``d_av`` and ``d_rm`` are the paired t statistic rescaled; their intervals invert the
noncentral t distribution of that statistic (:func:`ncp_interval`) and rescale it. The
estimates' formulas are the kernel's (:mod:`._kernel._effect_sizes`), used here and by the
verification alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._format import format_number
from ._kernel import cohens_d_av, cohens_d_rm, cohens_d_z

__all__ = ["EffectSize", "effect_sizes", "ncp_interval"]

_LARGE_T = 1000.0  # above this |t|, the ncp limits use their chi-square limit (see _ncp_limit)


@dataclass(frozen=True)
class EffectSize:
    """A standardised mean difference with its confidence interval.

    Attributes
    ----------
    name : str
        ``"d_z"``, ``"d_av"`` or ``"d_rm"`` (Lakens 2013).
    estimate : float
        Signed: a fall (``after < before``) gives a negative value.
    ci_low, ci_high : float or None
        Confidence limits (infinite on the open side of a one-sided alternative); ``None``
        when the interval cannot be computed (the reason is in ``method``).
    confidence_level : float
    method : str
        How the estimate and its interval were computed, in short (a table cell).
    note : str
        The same at length: how the interval is built and what it assumes.

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset, paired_change
    >>> d = paired_change(load_dataset("matsuoka2025")).d_z
    >>> d.name, round(d.estimate, 4), d.ci_low < d.estimate < d.ci_high
    ('d_z', -0.7175, True)
    """

    name: str
    estimate: float
    ci_low: float | None
    ci_high: float | None
    confidence_level: float
    method: str
    note: str = ""


def _ncp_limit(t: float, df: float, prob: float) -> float:
    """The noncentrality ``λ`` with ``P(T <= t | df, λ) = prob`` (the cdf falls as λ grows)."""
    from scipy.special import nctdtr, nctdtrinc

    if abs(t) > _LARGE_T:
        # nctdtr's cost grows with |ncp|. For huge |t| the Z in T = (Z + λ) / S is negligible
        # against λ, so P(T <= t) -> P(λ / S <= t), S = sqrt(chi2_df / df): the limit below
        # has relative error O(1 / |t|) (about 2e-5 at |t| = 1000, checked against nctdtr).
        from scipy.special import chdtri

        q = prob if t > 0 else 1.0 - prob  # chdtri takes the upper-tail probability
        return t * math.sqrt(float(chdtri(df, q)) / df)

    def f(ncp: float) -> float:
        return float(nctdtr(df, ncp, t)) - prob

    # nctdtrinc gives a good start but is only accurate to ~1e-7; polish the root of the
    # cdf, bracketing around the start and widening until the sign changes.
    from scipy.optimize import brentq

    start = float(nctdtrinc(df, prob, t))
    if not math.isfinite(start):
        start = t
    width = 1e-3 * max(1.0, abs(start))
    for _ in range(80):
        lo, hi = start - width, start + width
        if f(lo) > 0.0 > f(hi):
            return float(brentq(f, lo, hi, xtol=1e-13, rtol=1e-13, maxiter=500))
        width *= 2.0
    raise ValueError(f"could not bracket the noncentrality parameter for t = {t}, df = {df}")


def ncp_interval(t: float, df: float, level: float, alternative: str) -> tuple[float, float]:
    """Confidence interval for the noncentrality parameter of a t statistic (inverting nct)."""
    if alternative == "two-sided":
        a = (1.0 - level) / 2.0
        return _ncp_limit(t, df, 1.0 - a), _ncp_limit(t, df, a)
    a = 1.0 - level
    if alternative == "greater":
        return _ncp_limit(t, df, 1.0 - a), math.inf
    return -math.inf, _ncp_limit(t, df, a)


def _scale(interval: tuple[float, float], factor: float) -> tuple[float, float]:
    return interval[0] * factor, interval[1] * factor


def effect_sizes(
    before: np.ndarray,
    after: np.ndarray,
    sd_diff: float,
    t: float,
    df: float,
    level: float,
    alternative: str,
    reasons: dict[str, str],
) -> tuple[EffectSize | None, EffectSize | None, EffectSize | None]:
    """d_z, d_av and d_rm (Lakens 2013) with CIs from the noncentral t (see paired_change)."""
    n = before.size
    try:
        ncp = ncp_interval(t, df, level, alternative)
    except ValueError as exc:  # pragma: no cover - only for extreme t
        ncp = None
        reasons["d_ci"] = str(exc)
    root_n = math.sqrt(n)

    # The short method is a table cell; the note says at length how the interval is built.
    ncp_words = (
        "CI: the confidence interval for the noncentrality parameter of the noncentral t "
        "distribution of the paired t statistic"
    )
    large = (
        f"; as |t| > {_LARGE_T:g}, its limits come from the chi-square limit of the noncentral "
        "t (relative error < 1e-4)"
        if abs(t) > _LARGE_T
        else ""
    )

    def make(name: str, estimate: float, factor: float, method: str, how: str) -> EffectSize:
        lo, hi = (None, None) if ncp is None else _scale(ncp, factor)
        return EffectSize(name, estimate, lo, hi, level, method, f"{ncp_words}{large}, {how}")

    d_z = make(
        "d_z",
        cohens_d_z(before, after),
        1.0 / root_n,
        "mean change / SD of changes; noncentral t CI",
        "divided by sqrt(n)",
    )
    sd1 = float(np.std(before, ddof=1))
    sd2 = float(np.std(after, ddof=1))
    ak = (
        "times the observed ratio SD of changes / (sqrt(n) x standardiser), taken as known "
        "(the approximation of Algina & Keselman 2003)"
    )
    d_av = make(
        "d_av",
        cohens_d_av(before, after),
        sd_diff / (root_n * (sd1 + sd2) / 2.0),
        "mean change / mean of the two SDs; CI: Algina & Keselman 2003",
        ak,
    )
    d_rm: EffectSize | None = None
    if n == 2:
        reasons["d_rm"] = "n = 2: the correlation of two pairs is always +1 or -1"
    elif sd1 == 0.0 or sd2 == 0.0:
        reasons["d_rm"] = "a visit has SD 0, so the before-after correlation is undefined"
    else:
        r = float(np.corrcoef(before, after)[0, 1])
        factor = math.sqrt(2.0 * max(0.0, 1.0 - r))  # (r may exceed 1 by rounding)
        d_rm = make(
            "d_rm",
            cohens_d_rm(before, after),
            factor / root_n,
            f"d_z × sqrt(2(1 − r)), r = {format_number(r)}; CI: Algina & Keselman 2003",
            f"{ak}; r = {r!r} is the before-after correlation",
        )
    return d_z, d_av, d_rm
