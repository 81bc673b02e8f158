"""The p of a paired change recomputed from two visits' printed means and SDs, over every
within-patient correlation.

A paper prints each visit's mean ± SD and the p of the paired test of the change, but not
the correlation ``r`` between a patient's two values, which the SD of the change needs:
``sd_change**2 = sd_1**2 + sd_2**2 - 2 r sd_1 sd_2`` (the kernel's
``paired_t_from_summary``). The paired t grows with ``r``, so its p falls from its largest
at ``r = -1`` to its smallest at ``r = 1``; with the printed numbers read as rounding
intervals, the correlations that can give the printed p form one interval ``[r_low,
r_high]``. A p that no ``r`` in [-1, 1] can give is an inconsistency. One that needs ``r``
above ``high_r`` (0.95 by default: two visits of a clinical marker months apart are rarely
that close) is consistent but flagged. Two-sided tests only.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ...analyses._kernel import p_from_t, paired_t_from_summary
from .._interval import Comparator, Interval, interval
from .._reported import parse_number
from .._rounding import Rounding, rules
from ._result import SummaryCheck
from ._shared import fmt, overlaps, whole

__all__ = ["paired_p", "paired_p_from_summary"]

# Bisection steps on r in [-1, 1]: 2 / 2**60 is far below any printed precision.
_STEPS = 60


def paired_p(
    mean_before: float, sd_before: float, mean_after: float, sd_after: float, n: int, r: float
) -> float:
    """The two-sided p of the paired t of ``after - before`` at correlation ``r``.

    Examples
    --------
    >>> round(paired_p(10.0, 2.0, 9.0, 2.0, 16, 0.5), 6)  # R: 2 * pt(-2, 15)
    0.063945
    """
    t, df = paired_t_from_summary(mean_before, sd_before, mean_after, sd_after, n, r)
    if math.isnan(t):  # equal means and an SD of change of 0: no evidence either way
        return 1.0
    return float(p_from_t(t, df, "two-sided"))


def _ends(iv: Interval, floor: float | None = None) -> tuple[float, float]:
    low, high = float(iv.low), float(iv.high)
    return (low if floor is None else max(low, floor)), high


def _variance_range(
    s1: tuple[float, float], s2: tuple[float, float], r: float
) -> tuple[float, float]:
    """The least and largest ``s1**2 + s2**2 - 2 r s1 s2`` over the box of the two SDs.

    The form is convex in (s1, s2) for |r| <= 1, so its largest value is at a corner and
    its least on an edge, where it is a parabola in the other SD."""

    def v(a: float, b: float) -> float:
        return max(a * a + b * b - 2.0 * r * a * b, 0.0)

    corners = [v(a, b) for a in s1 for b in s2]
    edges = [v(a, min(max(r * a, s2[0]), s2[1])) for a in s1]
    edges += [v(min(max(r * b, s1[0]), s1[1]), b) for b in s2]
    return min(corners + edges), max(corners)


def _p_of(diff: float, variance: float, n: int) -> float:
    """The p of a mean change ``diff`` whose SD is ``sqrt(variance)`` (through the kernel:
    one visit's SD carries the whole variance, the other's is 0)."""
    if variance <= 0:
        return 1.0 if diff == 0 else 0.0
    return paired_p(0.0, math.sqrt(variance), diff, 0.0, n, 0.0)


def _p_range(
    diff: tuple[float, float], s1: tuple[float, float], s2: tuple[float, float], n: int, r: float
) -> tuple[float, float]:
    """The least and largest p at correlation ``r`` over the rounding box."""
    small = 0.0 if diff[0] <= 0.0 <= diff[1] else min(abs(diff[0]), abs(diff[1]))
    large = max(abs(diff[0]), abs(diff[1]))
    v_low, v_high = _variance_range(s1, s2, r)
    return _p_of(large, v_low, n), _p_of(small, v_high, n)


def _first(holds: Callable[[float], bool]) -> float | None:
    """The least r in [-1, 1] from which a condition that turns true as r grows holds."""
    if holds(-1.0):
        return -1.0
    if not holds(1.0):
        return None
    low, high = -1.0, 1.0
    for _ in range(_STEPS):
        mid = (low + high) / 2
        low, high = (low, mid) if holds(mid) else (mid, high)
    return high


def _last(holds: Callable[[float], bool]) -> float | None:
    """The largest r in [-1, 1] up to which a condition that turns false as r grows holds."""
    first_false = _first(lambda r: not holds(r))
    if first_false is None:
        return 1.0
    return None if first_false == -1.0 else first_false


def paired_p_from_summary(
    mean_before: str,
    sd_before: str,
    mean_after: str,
    sd_after: str,
    n: int | str,
    reported_p: str,
    comparator: Comparator = "=",
    *,
    high_r: float = 0.95,
    rounding: Rounding = "up_or_down",
    threshold: float | None = None,
    symmetric: bool | None = None,
) -> SummaryCheck:
    """Can any within-patient correlation give this paired p from these visits' summaries?

    Parameters
    ----------
    mean_before, sd_before, mean_after, sd_after : str
        The two visits' means and SDs as printed, over the same ``n`` patients.
    n : int
        Patients with both visits (the pairs).
    reported_p : str
        The p of the paired test of the change as printed (``"0.003"``, ``"0.001"`` with
        ``comparator="<"``); two-sided.
    comparator : {"=", "<", ">", "<=", ">="}
    high_r : float
        A p that needs a correlation above this is flagged (default 0.95).
    rounding, threshold, symmetric
        How the numbers were rounded (as for :func:`recompute_p`).

    Returns
    -------
    SummaryCheck
        ``check`` is ``"paired_p_from_summary"``; ``consistent`` False if no correlation in
        [-1, 1] gives the printed p; ``values`` hold ``r_low`` and ``r_high`` (the
        correlations that can give it; absent when none), ``p_at_r_minus_1`` and
        ``p_at_r_plus_1`` (the extremes over the rounding intervals), ``p_at_r_0`` (the
        printed values, uncorrelated visits), and ``needs_high_r`` (1.0 when flagged).

    Examples
    --------
    >>> r = paired_p_from_summary("8.21", "0.95", "7.80", "1.02", 40, "0.003")
    >>> r.consistent, round(r.values["r_low"], 2), round(r.values["r_high"], 2)
    (True, 0.62, 0.69)
    >>> paired_p_from_summary("8.21", "0.95", "7.80", "1.02", 40, "0.90").consistent
    False
    """
    how = rules(rounding, threshold=threshold, symmetric=symmetric)
    n = whole(n, "n", minimum=2)
    if not 0 < high_r <= 1:
        raise ValueError(f"high_r must lie in (0, 1], got {high_r!r}")
    printed = [parse_number(x) for x in (mean_before, sd_before, mean_after, sd_after)]
    for label, number in (("sd_before", printed[1]), ("sd_after", printed[3])):
        if number.value < 0 or number.is_percent:
            raise ValueError(f"{label} must be a non-negative SD, got {number.text!r}")
    p_text = parse_number(reported_p)
    if p_text.is_percent or not 0 <= p_text.value <= 1:
        raise ValueError(f"a p-value lies between 0 and 1: {p_text.text!r}")
    m1, s1, m2, s2 = (interval(x, rounding=how) for x in printed)
    p_iv = interval(p_text, rounding=how, comparator=comparator)
    b1, b2 = _ends(m1), _ends(m2)
    diff = (b2[0] - b1[1], b2[1] - b1[0])
    sd1, sd2 = _ends(s1, 0.0), _ends(s2, 0.0)

    def p_range(r: float) -> tuple[float, float]:
        return _p_range(diff, sd1, sd2, n, r)

    # p falls as r grows: some p at or below the printed one from r_low upwards, some p at
    # or above it up to r_high; both, between them.
    r_low = _first(lambda r: overlaps(p_range(r)[0], 1.0, p_iv))
    r_high = _last(lambda r: overlaps(0.0, p_range(r)[1], p_iv))
    consistent = r_low is not None and r_high is not None and r_low <= r_high
    if consistent:
        assert r_low is not None and r_high is not None
        consistent = overlaps(*p_range((r_low + r_high) / 2), p_iv)
    values = [float(x.value) for x in printed]
    p0 = paired_p(values[0], values[1], values[2], values[3], n, 0.0)
    extremes = (p_range(1.0)[0], p_range(-1.0)[1])
    flagged = consistent and r_low is not None and r_low > high_r
    out = {
        "n": n,
        "p_at_r_0": p0,
        "p_at_r_minus_1": extremes[1],
        "p_at_r_plus_1": extremes[0],
        "needs_high_r": float(flagged),
        "high_r": high_r,
    }
    if consistent:
        assert r_low is not None and r_high is not None
        out.update(r_low=r_low, r_high=r_high)
    what = (
        f"the change from {printed[0].text} ± {printed[1].text} to {printed[2].text} ± "
        f"{printed[3].text} (n = {n} pairs)"
    )
    reported = f"p {comparator} {p_text.text} ({p_iv})"
    if not consistent:
        detail = (
            f"No within-patient correlation in [-1, 1] gives {reported} for {what}: over the "
            f"numbers' rounding intervals the paired t-test's p runs from "
            f"{fmt(extremes[0])} (r = 1) to {fmt(extremes[1])} (r = -1)."
        )
        return SummaryCheck("paired_p_from_summary", False, detail, out)
    assert r_low is not None and r_high is not None
    detail = (
        f"{reported} for {what} needs a within-patient correlation from {fmt(r_low, 3)} to "
        f"{fmt(r_high, 3)} (with r = 0 the printed numbers give p = {fmt(p0)})."
    )
    if flagged:
        detail += (
            f" Flagged: only a correlation above {high_r} gives this p, closer than two "
            "visits of a marker usually are."
        )
    return SummaryCheck("paired_p_from_summary", True, detail, out)
