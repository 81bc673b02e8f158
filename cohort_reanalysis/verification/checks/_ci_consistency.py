"""An estimate and its confidence interval, checked for symmetry on the right scale and for
the P value they imply (Altman & Bland 2011, BMJ 343:d2304 "How to obtain the P value from a
confidence interval"; its twin d2090 goes the other way)."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Literal

from ...analyses._kernel import t_quantile, z_quantile
from .._interval import Comparator, Interval, interval
from .._reported import parse_number
from .._rounding import Rounding, rules
from ._p_values import p_value
from ._result import SummaryCheck
from ._shared import fmt, overlaps, positive_number, whole

__all__ = ["Scale", "ci_consistency"]

Scale = Literal["difference", "ratio"]


def _transformed(iv: Interval, scale: str) -> tuple[float, float]:
    low, high = float(iv.low), float(iv.high)
    if scale == "difference":
        return low, high
    return (math.log(low) if low > 0 else -math.inf), math.log(high)


def _symmetry_gap(
    est: tuple[float, float], lo: tuple[float, float], hi: tuple[float, float]
) -> float:
    """How far the estimate's interval is from the interval of possible CI midpoints (0: meets)."""
    mid_low, mid_high = (lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2
    # Bounds are sums of printed decimals; allow for the float error of those sums.
    tol = 1e-12 * max(1.0, *(abs(v) for v in (*est, mid_low, mid_high) if math.isfinite(v)))
    if est[1] < mid_low - tol:
        return mid_low - est[1]
    if est[0] > mid_high + tol:
        return est[0] - mid_high
    return 0.0


def _null_position(low_iv: Interval, high_iv: Interval, null: Decimal) -> str:
    """'excludes', 'includes' or 'borderline' (an end's rounding interval holds the null)."""
    if low_iv.low > null or (low_iv.low == null and not low_iv.low_closed):
        return "excludes"
    if high_iv.high < null or (high_iv.high == null and not high_iv.high_closed):
        return "excludes"
    low_below = low_iv.high < null or (low_iv.high == null and not low_iv.high_closed)
    high_above = high_iv.low > null or (high_iv.low == null and not high_iv.low_closed)
    return "includes" if low_below and high_above else "borderline"


def ci_consistency(
    estimate: str,
    ci_low: str,
    ci_high: str,
    *,
    confidence_level: float = 0.95,
    scale: Scale = "difference",
    n: int | str | None = None,
    claimed_significant: bool | None = None,
    reported_p: str | None = None,
    reported_p_comparator: Comparator = "=",
    df: float | None = None,
    rounding: Rounding = "up_or_down",
    threshold: float | None = None,
    symmetric: bool | None = None,
) -> SummaryCheck:
    """Check an estimate and its confidence interval against each other and against claims.

    On the right scale (identity for a difference, log for a ratio) a Wald interval is
    symmetric about its estimate; the check asks whether it is, within the rounding of all
    three printed numbers. It derives the implied standard error ``SE = (high - low) / (2 z)``
    (``z`` the normal quantile of the level, or Student's t with ``df``), the test statistic
    ``estimate / SE`` and its two-sided p (Altman & Bland 2011, BMJ 343:d2304; their
    approximation ``exp(-0.717 z - 0.416 z**2)`` is in ``values["p_altman_bland"]``), with the
    range of each allowed by rounding. It then asks whether the CI excludes the null (0, or 1
    for a ratio), against ``claimed_significant``; an end whose rounding interval holds the
    null (``"-0.98 to 0.00"``) is *borderline*, never a contradiction. A ``reported_p`` is
    compared with the implied p range (approximate when the CI was not a Wald interval).

    ``consistent`` is False if the estimate lies outside its CI, the CI is asymmetric beyond
    rounding, the significance claim contradicts the CI, or the reported p does not fit.

    Parameters
    ----------
    estimate, ci_low, ci_high : str
        The estimate and the ends of its interval as printed (``"-0.49"``, ``"-0.98"``,
        ``"0.00"``); their decimals are their precision.
    confidence_level : float, default 0.95
        The level of the interval.
    scale : {"difference", "ratio"}, default "difference"
        A difference is symmetric about its estimate as printed, a ratio (odds, risk or
        hazard ratio) on the log scale; the null is 0 or 1.
    n : int, optional
        Total sample size. Recorded, and used for ``implied_sd_two_equal_groups``
        (``SE * sqrt(n) / 2``, the SD if the estimate is a difference of two equal groups);
        Altman & Bland's method is meant for n of 60 or more.
    claimed_significant : bool, optional
        What the text claims: True for "significant", False for "not significant"; None
        when it claims neither (the CI's verdict is then only reported).
    reported_p : str, optional
        A p-value printed with the estimate (``"0.04"``), compared with the implied p.
    reported_p_comparator : {"=", "<", ">", "<=", ">="}, default "="
        How ``reported_p`` is printed: ``p < 0.001`` is ``reported_p="0.001"`` with ``"<"``.
    df : float, optional
        Degrees of freedom if the CI used Student's t rather than the normal distribution.
    rounding : str, default "up_or_down"
        How the printed numbers were rounded (``"up_or_down"``: a tie at 5 either way;
        ``"half_up"``, ``"half_even"``, ``"truncate"``, ...).
    threshold : float, optional
        For ``up_from``, ``down_from`` and ``up_from_or_down_from`` only: the digit (in
        tenths of a step, strictly between 0 and 10) from which a value rounds up
        (scrutiny's ``threshold``; default 5).
    symmetric : bool, optional
        For ``up``, ``down``, ``up_from``, ``down_from`` and their unions only: negative
        numbers round as the mirror image of positive ones (scrutiny's ``symmetric``;
        default False).

    Returns
    -------
    SummaryCheck
        ``check`` is ``"ci_consistency"``; ``consistent`` True, False, or None when nothing
        could be checked; ``detail`` the sentences of what was found; ``values`` the implied
        SE, z and p (with their ranges), ``borderline``, ``excludes_null`` and the other
        flags behind the verdict.

    Examples
    --------
    >>> r = ci_consistency("-0.49", "-0.98", "0.00", claimed_significant=False)
    >>> r.consistent, r.values["borderline"]
    (True, 1.0)
    """
    if scale not in ("difference", "ratio"):
        raise ValueError(f"unknown scale {scale!r}; expected 'difference' or 'ratio'")
    if not (0 < confidence_level < 1):
        raise ValueError(f"confidence_level must lie between 0 and 1, got {confidence_level!r}")
    numbers = [parse_number(x) for x in (estimate, ci_low, ci_high)]
    est, low, high = numbers
    if scale == "ratio" and any(x.value <= 0 for x in numbers):
        raise ValueError(
            f"a ratio and its CI must be positive: {est.text} ({low.text} to {high.text})"
        )
    how = rules(rounding, threshold=threshold, symmetric=symmetric)
    ivs = [interval(x, rounding=how) for x in numbers]
    t_est, t_low, t_high = (_transformed(iv, scale) for iv in ivs)
    tf = (lambda v: float(v)) if scale == "difference" else (lambda v: math.log(v))
    p_est, p_low, p_high = (tf(x.value) for x in numbers)
    shown = f"{est.text} ({low.text} to {high.text})"

    if df is None:
        critical = z_quantile(0.5 + confidence_level / 2)
        dist_name = "normal"
    else:
        df = positive_number(df, "df")
        critical = t_quantile(0.5 + confidence_level / 2, df)
        dist_name = f"t with {fmt(df)} df"

    def p_of(z: float) -> float:
        if df is None:
            return p_value("z", z, (), "two-sided")
        return p_value("t", z, (df,), "two-sided")

    values: dict[str, float] = {
        "estimate": float(est.value),
        "ci_low": float(low.value),
        "ci_high": float(high.value),
        "confidence_level": confidence_level,
        "critical_value": critical,
    }
    sentences: list[str] = []
    problems: list[str] = []

    # 1. Order: some true values must satisfy low <= estimate <= high.
    if t_low[0] > t_est[1] or t_est[0] > t_high[1] or t_low[0] > t_high[1]:
        problems.append("order")
        sentences.append(f"The estimate lies outside its CI: {shown}.")

    # 2. Symmetry on the stated scale.
    gap = _symmetry_gap(t_est, t_low, t_high)
    on = "the log scale" if scale == "ratio" else "the original scale"
    asymmetry = (p_high - p_est) - (p_est - p_low)
    values.update(asymmetry=asymmetry, asymmetry_beyond_rounding=gap, symmetric=float(gap == 0))
    if gap == 0:
        sentences.append(f"{shown} is symmetric on {on} within rounding.")
    else:
        problems.append("asymmetric")
        other = "ratio" if scale == "difference" else "difference"
        note = ""
        if all(x.value > 0 for x in numbers):
            other_gap = _symmetry_gap(*(_transformed(iv, other) for iv in ivs))
            if other_gap == 0:
                note = (
                    f" It is symmetric on {'the log' if other == 'ratio' else 'the original'}"
                    f" scale: is the scale '{other}'?"
                )
        sentences.append(
            f"{shown} is not symmetric on {on}: the upper arm exceeds the lower by "
            f"{fmt(asymmetry)}, {fmt(gap)} beyond what rounding allows; it is not a Wald "
            f"interval on this scale.{note}"
        )

    # 3. Implied SE, z and p (Altman & Bland), with their ranges under rounding.
    width = p_high - p_low
    se = width / (2 * critical)
    width_min = max(t_high[0] - t_low[1], 0.0)
    width_max = t_high[1] - t_low[0]
    abs_min = 0.0 if t_est[0] <= 0 <= t_est[1] else min(abs(t_est[0]), abs(t_est[1]))
    abs_max = max(abs(t_est[0]), abs(t_est[1]))
    z_min = abs_min / (width_max / (2 * critical)) if width_max > 0 else math.inf
    z_max = abs_max / (width_min / (2 * critical)) if width_min > 0 else math.inf
    p_min, p_max = p_of(z_max), p_of(z_min)
    values.update(se=se, se_max=width_max / (2 * critical), p_low=p_min, p_high=p_max)
    if se > 0:
        z = p_est / se
        p = p_of(z)
        values.update(z=z, p=p, p_altman_bland=math.exp(-0.717 * abs(z) - 0.416 * z * z))
        sentences.append(
            f"Implied SE = {fmt(se)}, z = {fmt(z)}, two-sided p = {fmt(p)} ({dist_name}; "
            f"from {fmt(p_min)} to {fmt(p_max)} within rounding)."
        )
    elif width == 0:
        sentences.append(
            f"The CI has zero printed width, so the SE is only bounded: SE ≤ "
            f"{fmt(values['se_max'])}, |z| ≥ {fmt(z_min)}, p ≤ {fmt(p_max)}. A CI narrower "
            "than the printed precision is possible but unusually precise."
        )
    if n is not None:
        n_int = whole(n, "n", minimum=1)
        values["n"] = n_int
        if scale == "difference" and width >= 0:
            values["implied_sd_two_equal_groups"] = se * math.sqrt(n_int) / 2
            values["implied_sd_two_equal_groups_max"] = values["se_max"] * math.sqrt(n_int) / 2
        if n_int < 60 and df is None:
            sentences.append(f"With n = {n_int} (< 60) the CI may be t-based; pass df.")

    # 4. Does the CI exclude the null, and does that fit the claim?
    null = Decimal(0) if scale == "difference" else Decimal(1)
    position = _null_position(ivs[1], ivs[2], null)
    values.update(
        excludes_null=float(position == "excludes"), borderline=float(position == "borderline")
    )
    described = {
        "excludes": f"excludes the null value {null}",
        "includes": f"includes the null value {null}",
        "borderline": f"touches the null value {null} at the printed precision (borderline)",
    }[position]
    if claimed_significant is None:
        sentences.append(f"The CI {described}.")
    else:
        values["claimed_significant"] = float(claimed_significant)
        claim = "significant" if claimed_significant else "not significant"
        contradiction = (claimed_significant and position == "includes") or (
            not claimed_significant and position == "excludes"
        )
        if contradiction:
            problems.append("significance")
            sentences.append(
                f"The CI {described}, which contradicts the claim that the result is {claim}."
            )
        else:
            sentences.append(
                f"The CI {described}, which fits the claim that the result is {claim}."
            )

    # 5. A reported p against the implied p range.
    if reported_p is not None:
        rp = parse_number(reported_p)
        rp_iv = interval(rp, rounding=how, comparator=reported_p_comparator)
        fits = overlaps(p_min, p_max, rp_iv)
        values.update(reported_p=float(rp.value), reported_p_fits=float(fits))
        if not fits:
            problems.append("p")
        sentences.append(
            f"The reported p {reported_p_comparator} {rp.text} "
            + ("fits" if fits else "does not fit")
            + f" the implied p range ({fmt(p_min)} to {fmt(p_max)})"
            + ("." if fits else "; the CI may not be a Wald interval, but this is worth a look.")
        )
    return SummaryCheck("ci_consistency", not problems, " ".join(sentences), values)
