"""Two one-sided tests (TOST) of equivalence for an estimate with a t reference."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ._kernel import p_from_t, t_interval

__all__ = ["EquivalenceResult", "tost"]


@dataclass(frozen=True)
class EquivalenceResult:
    """Schuirmann's two one-sided tests.

    Attributes
    ----------
    estimate, se, df : float
        The inputs (``df = inf`` means a normal reference).
    bounds : tuple of float
        ``(low, high)``: the equivalence margin on the estimate's scale.
    t_lower, t_upper : float
        ``(estimate - low) / se`` and ``(estimate - high) / se``.
    p_lower : float
        P-value of H0 ``theta <= low`` against ``theta > low``.
    p_upper : float
        P-value of H0 ``theta >= high`` against ``theta < high``.
    pvalue : float
        ``max(p_lower, p_upper)``: the TOST p-value.
    equivalent : bool
        ``pvalue < alpha``, i.e. the ``1 - 2 alpha`` interval lies inside ``bounds``.
    alpha : float
        Level of each one-sided test.
    ci_low, ci_high : float
        The ``1 - 2 alpha`` two-sided interval of the estimate.
    confidence_level : float
        ``1 - 2 alpha``.
    """

    estimate: float
    se: float
    df: float
    bounds: tuple[float, float]
    t_lower: float
    t_upper: float
    p_lower: float
    p_upper: float
    pvalue: float
    equivalent: bool
    alpha: float
    ci_low: float
    ci_high: float
    confidence_level: float


def tost(
    estimate: float,
    se: float,
    df: float,
    *,
    low: float,
    high: float,
    alpha: float = 0.05,
) -> EquivalenceResult:
    """Two one-sided t tests that ``theta`` lies inside ``(low, high)``.

    For an estimate (a mean, a mean difference or a regression slope) with standard
    error ``se`` and a t reference on ``df`` degrees of freedom (Schuirmann 1987):

    * ``p_lower = P(T_df >= (estimate - low) / se)`` tests H0 ``theta <= low``;
    * ``p_upper = P(T_df <= (estimate - high) / se)`` tests H0 ``theta >= high``;
    * equivalence is declared when both are below ``alpha``, i.e. when the
      ``1 - 2 alpha`` confidence interval lies inside the bounds.

    Parameters
    ----------
    estimate : float
        Point estimate.
    se : float
        Its standard error (> 0).
    df : float
        Degrees of freedom (> 0; ``math.inf`` for a normal reference).
    low, high : float
        Equivalence bounds, ``low < high``, on the scale of ``estimate``.
    alpha : float, default 0.05
        Level of each one-sided test, in (0, 0.5).

    Returns
    -------
    EquivalenceResult

    References
    ----------
    Schuirmann, D. J. (1987). A comparison of the two one-sided tests procedure and the
    power approach for assessing the equivalence of average bioavailability. J.
    Pharmacokinet. Biopharm. 15(6), 657-680.

    Examples
    --------
    >>> res = tost(0.1, 0.2, 30, low=-0.5, high=0.5)
    >>> res.equivalent, res.ci_low < -0.2
    (True, True)
    """
    for name, value in (("estimate", estimate), ("low", low), ("high", high)):
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value}")
    if not (math.isfinite(se) and se > 0.0):
        raise ValueError(f"se must be positive and finite, got {se}")
    if math.isnan(df) or df <= 0.0:
        raise ValueError(f"df must be positive (math.inf for a normal reference), got {df}")
    if not low < high:
        raise ValueError(f"need low < high, got low={low}, high={high}")
    if not 0.0 < alpha < 0.5:
        raise ValueError(f"alpha must be in (0, 0.5), got {alpha}")

    t_lower = (estimate - low) / se
    t_upper = (estimate - high) / se
    p_lower = p_from_t(t_lower, df, "greater")  # df = inf: the normal tail
    p_upper = p_from_t(t_upper, df, "less")
    ci_low, ci_high = t_interval(estimate, se, df, 1.0 - 2.0 * alpha)
    pvalue = max(p_lower, p_upper)
    return EquivalenceResult(
        estimate=float(estimate),
        se=float(se),
        df=float(df),
        bounds=(float(low), float(high)),
        t_lower=float(t_lower),
        t_upper=float(t_upper),
        p_lower=p_lower,
        p_upper=p_upper,
        pvalue=pvalue,
        equivalent=bool(pvalue < alpha),
        alpha=float(alpha),
        ci_low=ci_low,
        ci_high=ci_high,
        confidence_level=1.0 - 2.0 * alpha,
    )
