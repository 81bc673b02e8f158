"""GRIMMER (Anaya 2016): can whole-number responses have this printed mean *and* SD?"""

from __future__ import annotations

import math
from fractions import Fraction

from .._interval import interval
from .._reported import parse_number
from .._rounding import Rounding
from ._result import SummaryCheck
from ._shared import (
    fmt,
    max_sum_of_squares,
    min_sum_of_squares,
    whole,
    whole_numbers_between,
    whole_numbers_in,
)

__all__ = ["grimmer"]


# GRIMMER enumerates the whole-number totals that fit the mean; beyond this many, the reported
# precision says next to nothing and the loop would only burn time.
_MAX_CANDIDATE_SUMS = 1_000_000


def grimmer(
    mean: str,
    sd: str,
    n: int | str,
    *,
    items: int = 1,
    bounds: tuple[int, int] | None = None,
    rounding: Rounding = "up_or_down",
) -> SummaryCheck:
    """GRIMMER: can ``n`` whole-number responses have this printed mean *and* SD?

    Follows Allard's analytic GRIMMER as scrutiny implements it (``grimmer_scalar()``, after
    its fix of issue #85): for each whole-number total ``s`` that fits the mean (GRIM), the
    respondents' totals have an integer sum of squares ``Q`` with
    ``SD**2 = (Q - s**2/n) / ((n - 1) * items**2)``. The SD is possible only if some integer
    ``Q`` gives an SD inside the SD's rounding interval (test 1; scrutiny's test 2, re-rounding
    those SDs, is implied here because the arithmetic is exact), with ``Q`` of the same parity
    as ``s`` (test 3: ``x**2`` and ``x`` are both odd or both even), and, an extra necessary
    condition, ``Q`` no smaller than the sum of squares of the most even split of ``s``
    (minimum spread). The SD is the sample SD (divisor ``n - 1``).

    Given the scale's ``bounds`` (each item scored from ``low`` to ``high``, e.g. ``(1, 7)``),
    the mean must lie on the scale, and ``Q`` no larger than the sum of squares of the most
    extreme split of ``s`` (maximum spread: as many respondents at the ends as the total
    allows). An SD of 3 on a 1-5 scale with mean 4 is then impossible: the most spread such
    data can be has an SD of 1.73 (five respondents).

    These are necessary conditions: a pass does not prove that such data exist.

    Parameters
    ----------
    mean, sd : str
        The mean and the sample SD as printed; their decimals are their precision.
    n : int
        Sample size.
    items : int, default 1
        Number of whole-number items averaged per respondent.
    bounds : (int, int), optional
        The lowest and highest score of an item, to test the mean and the SD against the
        scale.
    rounding : str, default "up_or_down"
        Rounding procedure assumed for the mean and the SD.

    Returns
    -------
    SummaryCheck
        ``check`` is ``"grimmer"``; ``consistent`` True if some data of whole numbers fit
        both the mean and the SD, False if none can, None if the check does not apply;
        ``detail`` says which test failed, ``values`` the SD's rounding interval and the
        totals that fit the mean.

    Examples
    --------
    >>> grimmer("5.23", "2.55", 35).consistent, grimmer("5.23", "2.55", 31).consistent
    (False, True)
    >>> grimmer("4.00", "3.00", 5).consistent, grimmer("4.00", "3.00", 5, bounds=(1, 5)).consistent
    (True, False)
    """
    m = parse_number(mean)
    s_printed = parse_number(sd)
    if m.is_percent or s_printed.is_percent:
        raise ValueError(
            f"GRIMMER takes a mean and SD of whole numbers, not per-cents: "
            f"{m.text!r}, {s_printed.text!r}"
        )
    if s_printed.value < 0:
        raise ValueError(f"an SD cannot be negative: {s_printed.text!r}")
    n = whole(n, "n", minimum=1)
    items = whole(items, "items", minimum=1)
    total = n * items
    values: dict[str, float] = {
        "mean": float(m.value),
        "sd": float(s_printed.value),
        "n": n,
        "items": items,
    }
    if bounds is not None:
        low, high = (whole(b, "bounds", minimum=-(10**9)) for b in bounds)
        if low > high:
            raise ValueError(f"bounds go from low to high, got {bounds!r}")
        values["bounds_low"], values["bounds_high"] = low, high
    if n < 2:
        return SummaryCheck(
            "grimmer",
            None,
            "GRIMMER does not apply with n = 1: the sample SD of one value is undefined.",
            values,
        )
    mean_iv = interval(m, rounding=rounding)
    first, last = whole_numbers_in(mean_iv, total)
    values["consistent_sums"] = max(last - first + 1, 0)
    if first > last:
        return SummaryCheck(
            "grimmer",
            False,
            f"GRIM-inconsistent before the SD is considered: no whole-number total over "
            f"{total} gives a mean in {mean_iv}.",
            values,
        )
    if bounds is not None:  # totals whose mean lies on the scale
        first, last = max(first, total * low), min(last, total * high)
        if first > last:
            return SummaryCheck(
                "grimmer",
                False,
                f"Mean {m.text} lies off the scale from {low} to {high}: no total of "
                f"{total} responses on it gives a mean in {mean_iv}.",
                values,
            )
    if last - first + 1 > _MAX_CANDIDATE_SUMS:
        raise ValueError(
            f"GRIMMER would have to try {last - first + 1} totals for mean "
            f"{m.text!r} with n = {n}; the printed precision is too coarse"
        )
    sd_iv = interval(s_printed, rounding=rounding)
    sd_low, low_closed = Fraction(sd_iv.low), sd_iv.low_closed
    if sd_low < 0:  # an SD cannot be negative, and 0 itself is attainable
        sd_low, low_closed = Fraction(0), True
    sd_high = Fraction(sd_iv.high)
    values["sd_low"], values["sd_high"] = float(sd_low), float(sd_high)
    factor = (n - 1) * items**2
    furthest = 0  # 0: no Q in range, 1: parity, 2: minimum spread, 3: maximum spread
    for s in range(first, last + 1):
        base = Fraction(s * s, n)
        q_first, q_last = whole_numbers_between(
            base + factor * sd_low**2, base + factor * sd_high**2, low_closed, sd_iv.high_closed
        )
        if q_first > q_last:
            continue
        furthest = max(furthest, 1)
        q = q_first if (q_first - s) % 2 == 0 else q_first + 1
        if q > q_last:
            continue
        furthest = max(furthest, 2)
        # The floor already has the right parity: a sum of squares is congruent to the sum.
        q = max(q, min_sum_of_squares(s, n))
        if q > q_last:
            continue
        furthest = max(furthest, 3)
        if bounds is not None and q > max_sum_of_squares(s, n, low * items, high * items):
            continue
        witness_sd = math.sqrt(float((q - base) / factor))
        values.update(
            witness_sum=s, witness_sum_of_squares=q, witness_mean=s / total, witness_sd=witness_sd
        )
        return SummaryCheck(
            "grimmer",
            True,
            f"Mean {m.text} and SD {s_printed.text} with n = {n} pass GRIMMER: a total of {s} "
            f"with a sum of squares of {q} gives mean {fmt(s / total, 6)} and SD "
            f"{fmt(witness_sd, 6)}, which print as reported under {rounding} rounding "
            "(a necessary condition, not proof that such data exist).",
            values,
        )
    reason = {
        0: "test 1: no whole-number sum of squares gives an SD inside "
        f"[{fmt(float(sd_low), 6)}, {fmt(float(sd_high), 6)}] for any total that fits "
        "the mean",
        1: "test 3: every sum of squares that fits has the wrong parity (odd/even) for its total",
        2: "minimum spread: the SD is smaller than whole numbers with that total can have",
        # Reached only with bounds: without them the first Q past the minimum passes.
        3: f"maximum spread: the SD is larger than responses from {values.get('bounds_low')} "
        f"to {values.get('bounds_high')} with that total can have",
    }[furthest]
    return SummaryCheck(
        "grimmer",
        False,
        f"Mean {m.text} and SD {s_printed.text} with n = {n} are GRIMMER-inconsistent ({reason}).",
        values,
    )
