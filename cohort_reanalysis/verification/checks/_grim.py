"""GRIM (Brown & Heathers 2017): can a mean of whole numbers be this printed mean?"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .._interval import Interval, interval
from .._reported import ReportedNumber, parse_number
from .._rounding import Rounding, Rule, rules
from ._result import SummaryCheck
from ._shared import fmt, whole, whole_numbers_in

__all__ = ["GrimCheck", "grim", "grim_probability", "grim_ratio", "mean_interval", "print_mean"]


def mean_interval(
    number: ReportedNumber,
    rounding: Rounding | tuple[Rule, ...] = "up_or_down",
    *,
    percent: bool = False,
) -> Interval:
    """The true means a printed mean stands for; a per-cent is read as a proportion."""
    iv = interval(number, rounding=rounding)
    # A per-cent of n is a mean of 0/1 data: divide by 100 exactly.
    return iv.scaled(Decimal("0.01")) if number.is_percent or percent else iv


def grim_ratio(decimals: int, n: int, items: int = 1) -> float:
    """scrutiny's ``grim_ratio()``: ``(10**D - n items) / 10**D``, the share of the
    ``10**D`` printable endings that ``n items`` whole numbers cannot produce (negative when
    every ending is possible). ``decimals`` counts the two of a per-cent.

    Examples
    --------
    >>> grim_ratio(2, 21), grim_ratio(2, 83)  # scrutiny's examples: "83.29", "5.14"
    (0.79, 0.17)
    >>> grim_ratio(4, 83)  # "5.14" as a per-cent
    0.9917
    """
    slots = 10**decimals
    return (slots - n * items) / slots


def grim_probability(decimals: int, n: int, items: int = 1) -> float:
    """scrutiny's ``grim_probability()``: the chance that a mean drawn at random at this
    precision is GRIM-inconsistent, :func:`grim_ratio` floored at 0.

    Examples
    --------
    >>> grim_probability(2, 21), grim_probability(2, 169)
    (0.79, 0.0)
    """
    return max(0.0, grim_ratio(decimals, n, items))


def print_mean(total: int, count: int, decimals: int) -> str:
    """``total / count`` printed with ``decimals + 2`` decimals (half up), enough to tell
    apart the means that print alike at the reported precision."""
    value = Fraction(total, count)
    scale = 10 ** (decimals + 2)
    scaled = value * scale
    # Half up on the magnitude, exactly.
    units = math.floor(abs(scaled) + Fraction(1, 2))
    sign = "-" if value < 0 else ""
    digits = decimals + 2
    return f"{sign}{units // scale}.{units % scale:0{digits}d}"


@dataclass(frozen=True)
class GrimCheck(SummaryCheck):
    """The outcome of :func:`grim`: a :class:`SummaryCheck` with the means that fit.

    Attributes
    ----------
    possible_means : tuple of str
        Every mean that ``n`` whole numbers can have and that prints as reported, printed
        with two decimals more than reported; when none does, the two nearest possible means
        (one below the printed number's interval, one above).
    possible_sums : tuple of int
        The whole-number totals behind ``possible_means``.
    probability : float
        scrutiny's ``grim_probability``: the share of means at this precision that ``n``
        cannot produce (0 when GRIM does not apply); ``values["ratio"]`` is its
        ``grim_ratio``.

    Examples
    --------
    >>> r = grim("5.19", 28)
    >>> r.consistent, r.possible_means, r.probability
    (False, ('5.1786', '5.2143'), 0.72)
    """

    possible_means: tuple[str, ...] = ()
    possible_sums: tuple[int, ...] = ()
    probability: float = 0.0


def grim(
    mean: str,
    n: int | str,
    *,
    items: int = 1,
    percent: bool = False,
    rounding: Rounding = "up_or_down",
    threshold: float | None = None,
    symmetric: bool | None = None,
) -> GrimCheck:
    """GRIM: can ``n`` whole-number responses (on ``items`` items) have this printed mean?

    A mean of ``n * items`` whole numbers is a multiple of ``1 / (n * items)``; the check asks
    whether any such multiple prints as ``mean`` (Brown & Heathers 2017, Social Psychological
    and Personality Science 8:363). A per-cent (``"52.3%"``, or any mean with
    ``percent=True``, as scrutiny's ``percent``) is read as a proportion of ``n``. When
    ``n * items >= 10**decimals`` every printed mean is possible and the check does not
    apply (``consistent`` is None).

    Parameters
    ----------
    mean : str
        The mean as printed; its decimals, trailing zeros included, are its precision.
    n : int
        Sample size.
    items : int
        Number of whole-number items averaged per respondent (default 1).
    percent : bool
        Read ``mean`` as a per-cent even without a ``%`` sign (default False).
    rounding : str
        Rounding procedure assumed for the mean: any name of ``_rounding``'s table, the
        library's or scrutiny's.
    threshold, symmetric : optional
        For the procedures that take them (scrutiny's ``threshold`` and ``symmetric``).

    Returns
    -------
    GrimCheck
        ``check`` is ``"grim"``; ``consistent`` True if some whole-number total prints as
        ``mean``, False if none does, None if the check does not apply; ``detail`` says why;
        ``values`` holds ``n``, the granularity and the nearest possible mean;
        ``possible_means`` the means ``n`` can produce that print as reported, and
        ``probability`` the chance that a random mean of this precision passes.

    Examples
    --------
    >>> grim("5.19", 28).consistent, grim("5.21", 28).consistent
    (False, True)
    >>> grim("5.19", 169).consistent is None
    True
    >>> grim("5.2", 28).possible_means
    ('5.179', '5.214', '5.250')
    """
    number = parse_number(mean)
    n = whole(n, "n", minimum=1)
    items = whole(items, "items", minimum=1)
    if not isinstance(percent, bool):
        raise ValueError(f"percent must be True or False, got {percent!r}")
    as_percent = number.is_percent or percent
    total = n * items
    iv = mean_interval(
        number, rules(rounding, threshold=threshold, symmetric=symmetric), percent=percent
    )
    first, last = whole_numbers_in(iv, total)
    decimals = number.decimals + (2 if as_percent else 0)
    value = Fraction(number.value) / (100 if as_percent else 1)
    below = math.floor(value * total)
    nearest = min((below, below + 1), key=lambda s: abs(Fraction(s, total) - value))
    ratio = grim_ratio(decimals, n, items)
    values = {
        "mean": float(value),
        "n": n,
        "items": items,
        "granularity": 1 / total,
        "mean_low": float(iv.low),
        "mean_high": float(iv.high),
        "consistent_sums": max(last - first + 1, 0),
        "nearest_possible_mean": nearest / total,
        "ratio": ratio,
    }
    what = f"{number.text} with n = {n}" + (f" and {items} items" if items > 1 else "")
    if first <= last:
        sums = tuple(range(first, last + 1)) if last - first < 1000 else (first, last)
    else:
        below_low = math.floor(Fraction(iv.low) * total)
        sums = (below_low, below_low + 1)
    shown = tuple(print_mean(s, total, decimals) for s in sums)
    extra = {"possible_means": shown, "possible_sums": sums}
    if total >= 10**decimals:
        return GrimCheck(
            "grim",
            None,
            f"GRIM does not apply to {what}: with n×items = {total} ≥ 10^{decimals}, means "
            f"are spaced 1/{total} apart, finer than the printed precision, so every mean "
            f"printed with {decimals} decimals is possible.",
            values,
            **extra,  # type: ignore[arg-type]
            probability=0.0,
        )
    probability = grim_probability(decimals, n, items)
    if first <= last:
        return GrimCheck(
            "grim",
            True,
            f"{what} is GRIM-consistent: a total of {first} gives {first}/{total} = "
            f"{fmt(first / total, 6)}, which lies in {iv} and prints as {number.text} "
            f"under {rounding} rounding.",
            values,
            **extra,  # type: ignore[arg-type]
            probability=probability,
        )
    below_low = sums[0]
    return GrimCheck(
        "grim",
        False,
        f"{what} is GRIM-inconsistent: no whole-number total over {total} gives a mean in "
        f"{iv}; the nearest possible means are {below_low}/{total} = "
        f"{fmt(below_low / total, 6)} and {below_low + 1}/{total} = "
        f"{fmt((below_low + 1) / total, 6)}.",
        values,
        **extra,  # type: ignore[arg-type]
        probability=probability,
    )
