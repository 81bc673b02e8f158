"""GRIM (Brown & Heathers 2017): can a mean of whole numbers be this printed mean?"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from .._interval import Interval, interval
from .._reported import ReportedNumber, parse_number
from .._rounding import Rounding
from ._result import SummaryCheck
from ._shared import fmt, whole, whole_numbers_in

__all__ = ["grim", "mean_interval"]


def mean_interval(number: ReportedNumber, rounding: Rounding) -> Interval:
    """The true means a printed mean stands for; a per-cent is read as a proportion."""
    iv = interval(number, rounding=rounding)
    # A per-cent of n is a mean of 0/1 data: divide by 100 exactly.
    return iv.scaled(Decimal("0.01")) if number.is_percent else iv


def grim(
    mean: str,
    n: int | str,
    *,
    items: int = 1,
    rounding: Rounding = "up_or_down",
) -> SummaryCheck:
    """GRIM: can ``n`` whole-number responses (on ``items`` items) have this printed mean?

    A mean of ``n * items`` whole numbers is a multiple of ``1 / (n * items)``; the check asks
    whether any such multiple prints as ``mean`` (Brown & Heathers 2017, Social Psychological
    and Personality Science 8:363). A per-cent (``"52.3%"``) is read as a proportion of ``n``.
    When ``n * items >= 10**decimals`` every printed mean is possible and the check does not
    apply (``consistent`` is None).

    Parameters
    ----------
    mean : str
        The mean as printed; its decimals, trailing zeros included, are its precision.
    n : int
        Sample size.
    items : int
        Number of whole-number items averaged per respondent (default 1).
    rounding : str
        Rounding procedure assumed for the mean (see ``_reported``).

    Returns
    -------
    SummaryCheck
        ``check`` is ``"grim"``; ``consistent`` True if some whole-number total prints as
        ``mean``, False if none does, None if the check does not apply; ``detail`` says why,
        and ``values`` holds ``n``, the granularity and the nearest possible mean.

    Examples
    --------
    >>> grim("5.19", 28).consistent, grim("5.21", 28).consistent
    (False, True)
    >>> grim("5.19", 169).consistent is None
    True
    """
    number = parse_number(mean)
    n = whole(n, "n", minimum=1)
    items = whole(items, "items", minimum=1)
    total = n * items
    iv = mean_interval(number, rounding)
    first, last = whole_numbers_in(iv, total)
    decimals = number.decimals + (2 if number.is_percent else 0)
    value = Fraction(number.value) / (100 if number.is_percent else 1)
    below = math.floor(value * total)
    nearest = min((below, below + 1), key=lambda s: abs(Fraction(s, total) - value))
    values = {
        "mean": float(value),
        "n": n,
        "items": items,
        "granularity": 1 / total,
        "mean_low": float(iv.low),
        "mean_high": float(iv.high),
        "consistent_sums": max(last - first + 1, 0),
        "nearest_possible_mean": nearest / total,
    }
    what = f"{number.text} with n = {n}" + (f" and {items} items" if items > 1 else "")
    if total >= 10**decimals:
        return SummaryCheck(
            "grim",
            None,
            f"GRIM does not apply to {what}: with n×items = {total} ≥ 10^{decimals}, means "
            f"are spaced 1/{total} apart, finer than the printed precision, so every mean "
            f"printed with {decimals} decimals is possible.",
            values,
        )
    if first <= last:
        return SummaryCheck(
            "grim",
            True,
            f"{what} is GRIM-consistent: a total of {first} gives {first}/{total} = "
            f"{fmt(first / total, 6)}, which lies in {iv} and prints as {number.text} "
            f"under {rounding} rounding.",
            values,
        )
    below_low = math.floor(Fraction(iv.low) * total)
    return SummaryCheck(
        "grim",
        False,
        f"{what} is GRIM-inconsistent: no whole-number total over {total} gives a mean in "
        f"{iv}; the nearest possible means are {below_low}/{total} = "
        f"{fmt(below_low / total, 6)} and {below_low + 1}/{total} = "
        f"{fmt((below_low + 1) / total, 6)}.",
        values,
    )
