"""What several summary checks share: reading their arguments, the whole numbers in an
interval, a range held against an interval, and numbers in sentences."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from .._interval import Interval
from .._reported import parse_number

__all__ = [
    "fmt",
    "gap_log10",
    "overlaps",
    "positive_number",
    "whole",
    "whole_numbers_between",
    "whole_numbers_in",
]


def whole(value: object, name: str, *, minimum: int) -> int:
    """An integer given as int or as printed digits; bools and fractions are refused.

    Examples
    --------
    >>> whole("28", "n", minimum=1), whole(3.0, "items", minimum=1)
    (28, 3)
    """
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if isinstance(value, int):
        out = value
    elif isinstance(value, str) and value.strip().isdigit() and value.strip().isascii():
        out = int(value.strip())
    elif isinstance(value, float) and value.is_integer():
        out = int(value)
    else:
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if out < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {out}")
    return out


def positive_number(value: object, name: str) -> float:
    """A finite positive number, given as a number or as printed text."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    if isinstance(value, (int, float)):
        out = float(value)
    elif isinstance(value, str):
        out = float(parse_number(value).value)
    else:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    if not (math.isfinite(out) and out > 0):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return out


def whole_numbers_between(
    low: Fraction, high: Fraction, low_closed: bool, high_closed: bool
) -> tuple[int, int]:
    """The first and last integer between ``low`` and ``high`` (empty when first > last).

    Examples
    --------
    >>> whole_numbers_between(Fraction(1), Fraction(7, 2), False, True)
    (2, 3)
    """
    first = math.ceil(low)
    if first == low and not low_closed:
        first += 1
    last = math.floor(high)
    if last == high and not high_closed:
        last -= 1
    return first, last


def whole_numbers_in(iv: Interval, scale: int | Fraction = 1) -> tuple[int, int]:
    """The first and last integer k with k / scale in the interval (empty when first > last).

    Examples
    --------
    >>> from cohort_reanalysis.verification._interval import interval
    >>> whole_numbers_in(interval("5.19"), 28)  # no total over 28 gives a mean of 5.19
    (146, 145)
    """
    return whole_numbers_between(
        Fraction(iv.low) * scale, Fraction(iv.high) * scale, iv.low_closed, iv.high_closed
    )


def min_sum_of_squares(s: int, n: int) -> int:
    """The smallest sum of squares of n integers adding up to s: as equal as possible."""
    q, r = divmod(s, n)
    return r * (q + 1) ** 2 + (n - r) * q**2


def max_sum_of_squares(s: int, n: int, low: int, high: int) -> int:
    """The largest sum of squares of n integers in [low, high] adding up to s: as many at
    the ends as the sum allows (a convex sum is largest at the extremes). ``s`` must lie in
    [n low, n high]."""
    width, spare = high - low, s - n * low  # shifted to [0, width], adding up to spare
    at_top, rest = divmod(spare, width) if width else (0, 0)
    if at_top >= n:
        at_top, rest = n, 0
    shifted = at_top * width**2 + rest**2
    return shifted + 2 * low * spare + n * low**2


def overlaps(low: float, high: float, iv: Interval) -> bool:
    """Whether the closed range [low, high] meets the interval (exact float/Decimal compare)."""
    below_top = Decimal(low) < iv.high or (iv.high_closed and Decimal(low) == iv.high)
    above_bottom = Decimal(high) > iv.low or (iv.low_closed and Decimal(high) == iv.low)
    return bool(low <= high and below_top and above_bottom)


def gap_log10(low: float, high: float, iv: Interval) -> float:
    """Orders of magnitude between the range [low, high] and the interval (0 if they meet)."""
    if overlaps(low, high, iv):
        return 0.0
    a, b = (high, float(iv.low)) if high < iv.low else (float(iv.high), low)
    return abs(math.log10(b) - math.log10(a)) if a > 0 and b > 0 else math.inf


def fmt(x: float, digits: int = 4) -> str:
    """A number for a sentence: ``digits`` significant digits."""
    return f"{x:.{digits}g}"
