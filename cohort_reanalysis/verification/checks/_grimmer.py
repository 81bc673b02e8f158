"""GRIMMER (Anaya 2016): can whole-number responses have this printed mean *and* SD?"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from .._interval import interval
from .._reported import parse_number
from .._rounding import Rounding, rules
from ._result import SummaryCheck
from ._shared import (
    fmt,
    max_sum_of_squares,
    min_sum_of_squares,
    whole,
    whole_numbers_between,
    whole_numbers_in,
)

__all__ = ["GrimmerCheck", "grimmer", "print_sd"]


# GRIMMER enumerates the whole-number totals that fit the mean; beyond this many, the reported
# precision says next to nothing and the loop would only burn time.
_MAX_CANDIDATE_SUMS = 1_000_000
# possible_sds lists at most this many SDs.
_MAX_SHOWN = 1000


def print_sd(variance: Fraction, decimals: int) -> str:
    """The SD ``sqrt(variance)`` printed with ``decimals + 2`` decimals (to nearest, half up,
    from an exact integer square root)."""
    scale = 10 ** (decimals + 2)
    # floor(sqrt(v) * scale) exactly, then one more if the remainder reaches half a unit.
    target = variance * scale * scale
    units = math.isqrt(math.floor(target))
    if Fraction(2 * units + 1, 2) ** 2 <= target:
        units += 1
    return f"{units // scale}.{units % scale:0{decimals + 2}d}"


@dataclass(frozen=True)
class GrimmerCheck(SummaryCheck):
    """The outcome of :func:`grimmer`: a :class:`SummaryCheck` with the SDs that fit.

    Attributes
    ----------
    possible_sds : tuple of str
        SDs that ``n`` whole numbers with a mean that passes GRIM can have and that print as
        reported (at most 1,000), printed with two decimals more than reported; when none
        does, the nearest possible SDs below and above the printed SD's interval.

    Examples
    --------
    >>> grimmer("5.23", "2.55", 31).possible_sds  # 162 in all, 1042 in squares
    ('2.5522',)
    >>> grimmer("5.23", "2.55", 35).possible_sds  # 1178 is even, 183 odd: the odd neighbours
    ('2.5447', '2.5563')
    """

    possible_sds: tuple[str, ...] = ()


def grimmer(
    mean: str,
    sd: str,
    n: int | str,
    *,
    items: int = 1,
    bounds: tuple[int, int] | None = None,
    rounding: Rounding = "up_or_down",
    threshold: float | None = None,
    symmetric: bool | None = None,
) -> GrimmerCheck:
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
        return GrimmerCheck(
            "grimmer",
            None,
            "GRIMMER does not apply with n = 1: the sample SD of one value is undefined.",
            values,
        )
    how = rules(rounding, threshold=threshold, symmetric=symmetric)
    mean_iv = interval(m, rounding=how)
    first, last = whole_numbers_in(mean_iv, total)
    values["consistent_sums"] = max(last - first + 1, 0)
    if first > last:
        return GrimmerCheck(
            "grimmer",
            False,
            f"GRIM-inconsistent before the SD is considered: no whole-number total over "
            f"{total} gives a mean in {mean_iv}.",
            values,
        )
    if bounds is not None:  # totals whose mean lies on the scale
        first, last = max(first, total * low), min(last, total * high)
        if first > last:
            return GrimmerCheck(
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
    sd_iv = interval(s_printed, rounding=how)
    sd_low, low_closed = Fraction(sd_iv.low), sd_iv.low_closed
    if sd_low < 0:  # an SD cannot be negative, and 0 itself is attainable
        sd_low, low_closed = Fraction(0), True
    sd_high = Fraction(sd_iv.high)
    values["sd_low"], values["sd_high"] = float(sd_low), float(sd_high)
    factor = (n - 1) * items**2
    furthest = 0  # 0: no Q in range, 1: parity, 2: minimum spread, 3: maximum spread
    found: list[tuple[int, int]] = []  # (total, sum of squares) pairs that pass
    below: tuple[Fraction, int, int] | None = None  # nearest possible variance under the SD's
    above: tuple[Fraction, int, int] | None = None
    for s in range(first, last + 1):
        base = Fraction(s * s, n)
        q_first, q_last = whole_numbers_between(
            base + factor * sd_low**2, base + factor * sd_high**2, low_closed, sd_iv.high_closed
        )
        q_min = min_sum_of_squares(s, n)  # already of the parity of s
        q_max = max_sum_of_squares(s, n, low * items, high * items) if bounds is not None else None
        # The nearest possible sums of squares just outside the SD's range, for the report.
        q_under = q_first - 1 if (q_first - 1 - s) % 2 == 0 else q_first - 2
        if q_under >= q_min and (q_max is None or q_under <= q_max):
            if below is None or q_under - base > below[0]:
                below = (q_under - base, s, q_under)
        q_over = q_last + 1 if (q_last + 1 - s) % 2 == 0 else q_last + 2
        q_over = max(q_over, q_min)
        if q_max is None or q_over <= q_max:
            if above is None or q_over - base < above[0]:
                above = (q_over - base, s, q_over)
        if q_first > q_last:
            continue
        furthest = max(furthest, 1)
        q = q_first if (q_first - s) % 2 == 0 else q_first + 1
        if q > q_last:
            continue
        furthest = max(furthest, 2)
        # The floor already has the right parity: a sum of squares is congruent to the sum.
        q = max(q, q_min)
        if q > q_last:
            continue
        furthest = max(furthest, 3)
        top = q_last if q_max is None else min(q_last, q_max)
        if q > top:
            continue
        found.extend((s, qq) for qq in range(q, top + 1, 2)[: _MAX_SHOWN - len(found)])
        if len(found) >= _MAX_SHOWN:
            break
    sd_decimals = s_printed.decimals

    def sd_of(s: int, q: int) -> float:
        return math.sqrt(float((q - Fraction(s * s, n)) / factor))

    def shown(pairs: list[tuple[int, int]]) -> tuple[str, ...]:
        return tuple(print_sd((q - Fraction(s * s, n)) / factor, sd_decimals) for s, q in pairs)

    if found:
        s, q = found[0]
        witness_sd = sd_of(s, q)
        values.update(
            witness_sum=s, witness_sum_of_squares=q, witness_mean=s / total, witness_sd=witness_sd
        )
        return GrimmerCheck(
            "grimmer",
            True,
            f"Mean {m.text} and SD {s_printed.text} with n = {n} pass GRIMMER: a total of {s} "
            f"with a sum of squares of {q} gives mean {fmt(s / total, 6)} and SD "
            f"{fmt(witness_sd, 6)}, which print as reported under {rounding} rounding "
            "(a necessary condition, not proof that such data exist).",
            values,
            possible_sds=shown(found),
        )
    nearest = [(pair[1], pair[2]) for pair in (below, above) if pair is not None]
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
    return GrimmerCheck(
        "grimmer",
        False,
        f"Mean {m.text} and SD {s_printed.text} with n = {n} are GRIMMER-inconsistent ({reason}).",
        values,
        possible_sds=shown(nearest),
    )
