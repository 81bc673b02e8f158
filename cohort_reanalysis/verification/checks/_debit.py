"""DEBIT: can a printed mean and SD describe the same binary (0/1) data?

For data that are all 0 or 1 the SD is a function of the mean: ``k`` ones among ``n`` give
the mean ``p = k / n`` and the sample SD ``sqrt(k (n - k) / (n (n - 1)))``, that is
``sqrt(n / (n - 1) * p (1 - p))`` (Heathers & Brown 2019, "DEBIT: A Simple Consistency Test
For Binary Data", https://osf.io/5vb3u/). The check asks whether some whole count ``k`` gives
a mean and an SD that both print as reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

import numpy as np

from .._interval import Interval, interval
from .._reported import ReportedNumber, parse_number
from .._rounding import Rounding, Rule, rules
from ._result import SummaryCheck
from ._shared import whole, whole_numbers_between, whole_numbers_in

__all__ = ["DebitCheck", "debit"]

SdFormula = Literal["sample", "population"]


@dataclass(frozen=True)
class DebitCheck(SummaryCheck):
    """The outcome of :func:`debit`: a :class:`SummaryCheck` with the counts that fit.

    Attributes
    ----------
    counts : tuple of int
        Every count of ones ``k`` (out of ``n``) whose mean and SD both print as reported,
        in increasing order; empty when the check fails or does not apply.

    Examples
    --------
    >>> r = debit("0.25", "0.44", 20)
    >>> r.consistent, r.counts
    (True, (5,))
    """

    counts: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "counts", tuple(int(k) for k in self.counts))


def _proportion_interval(number: ReportedNumber, rounding: tuple[Rule, ...], name: str) -> Interval:
    """The rounding interval of a printed proportion; a per-cent is divided by 100 exactly."""
    value = number.value / 100 if number.is_percent else number.value
    if not 0 <= value <= 1:
        raise ValueError(
            f"DEBIT takes the {name} of binary (0/1) data, which lies between 0 and 1; "
            f"got {number.text!r}"
        )
    iv = interval(number, rounding=rounding)
    return iv.scaled(Decimal("0.01")) if number.is_percent else iv


def _runs(counts: np.ndarray) -> str:
    """``[3, 4, 5, 9]`` as ``"3-5, 9"``: the counts as runs of consecutive integers."""
    parts: list[str] = []
    start = prev = int(counts[0])
    for k in (*(int(c) for c in counts[1:]), None):
        if k is not None and k == prev + 1:
            prev = k
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if k is not None:
            start = prev = k
    return ", ".join(parts)


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def debit(
    mean: str,
    sd: str,
    n: int | str,
    *,
    rounding: Rounding = "up_or_down",
    threshold: float | None = None,
    symmetric: bool | None = None,
    sd_formula: SdFormula = "sample",
) -> DebitCheck:
    """DEBIT: can ``n`` values, each 0 or 1, have this printed mean *and* SD?

    The mean of binary data is the proportion of ones, ``k / n``, and the SD follows from it:
    ``sqrt(k (n - k) / (n (n - 1)))`` for the sample SD (divisor ``n - 1``, the default, as
    in Heathers & Brown 2019 and scrutiny's ``debit()``) or ``sqrt(p (1 - p))`` for the
    population SD. The check looks for a count ``k`` in ``0..n`` whose mean lies in the
    mean's rounding interval and whose SD lies in the SD's, with exact arithmetic, and
    returns every such count in ``counts``.

    This is stricter than scrutiny's ``debit()`` in two ways, both of which follow from the
    data being whole counts: the mean must also be GRIM-consistent (``k`` whole), and a mean
    whose interval contains 0.5 is tested against the SD's true maximum there rather than
    only at the interval's ends.

    Parameters
    ----------
    mean : str
        The mean (the proportion of ones) as printed, e.g. ``"0.35"``; a per-cent such as
        ``"35%"`` is read as the proportion 0.35.
    sd : str
        The SD as printed; its decimals, trailing zeros included, are its precision.
    n : int
        Sample size.
    rounding : str
        Rounding procedure assumed for both printed numbers: any name of ``_rounding``'s
        table, the library's or scrutiny's.
    threshold, symmetric : optional
        For the procedures that take them (scrutiny's ``threshold`` and ``symmetric``; see
        ``_rounding``).
    sd_formula : {"sample", "population"}
        Which SD was printed.

    Returns
    -------
    DebitCheck
        ``consistent`` is True when some count fits, False when none does, None when the
        check does not apply (a sample SD with ``n = 1``).

    Raises
    ------
    ValueError
        If the mean or SD lies outside [0, 1] (such data are not binary), ``n`` is not a
        positive whole number, or ``sd_formula`` is unknown.

    Examples
    --------
    >>> debit("0.35", "0.18", 20).consistent  # scrutiny's vignette: the SD must be 0.49
    False
    >>> r = debit("0.35", "0.49", 20)
    >>> r.consistent, r.counts
    (True, (7,))
    >>> debit("0.53", "0.50", 1683).consistent, debit("0.19", "0.35", 1683).consistent
    (True, False)
    """
    if sd_formula not in ("sample", "population"):
        raise ValueError(f"unknown sd_formula {sd_formula!r}; expected 'sample' or 'population'")
    m = parse_number(mean)
    s = parse_number(sd)
    n = whole(n, "n", minimum=1)
    how = rules(rounding, threshold=threshold, symmetric=symmetric)
    mean_iv = _proportion_interval(m, how, "mean")
    sd_iv = _proportion_interval(s, how, "SD")
    values: dict[str, float] = {
        "mean": float(m.value / 100 if m.is_percent else m.value),
        "sd": float(s.value / 100 if s.is_percent else s.value),
        "n": n,
        "mean_low": float(mean_iv.low),
        "mean_high": float(mean_iv.high),
        "sd_low": float(sd_iv.low),
        "sd_high": float(sd_iv.high),
    }
    what = f"Mean {m.text} and SD {s.text} of binary data with n = {n}"
    if sd_formula == "sample" and n == 1:
        return DebitCheck(
            "debit",
            None,
            f"DEBIT does not apply to {what}: the sample SD of one value is undefined.",
            values,
        )

    first, last = whole_numbers_in(mean_iv, n)
    first, last = max(first, 0), min(last, n)
    values["counts_fitting_mean"] = max(last - first + 1, 0)
    if first > last:
        return DebitCheck(
            "debit",
            False,
            f"{what} fail DEBIT before the SD is considered: no count of ones out of {n} "
            f"gives a mean in {mean_iv} (GRIM).",
            values,
        )

    # SD**2 = k (n - k) / divisor, so the SD's interval is an integer range for k (n - k).
    divisor = n * (n - 1) if sd_formula == "sample" else n * n
    sd_low = Fraction(sd_iv.low)
    low_closed = sd_iv.low_closed or sd_low <= 0  # an SD is never negative: clamp at 0
    sd_low = max(sd_low, Fraction(0))
    sd_high = Fraction(sd_iv.high)
    q_first, q_last = whole_numbers_between(
        divisor * sd_low**2, divisor * sd_high**2, low_closed, sd_iv.high_closed
    )

    ks = np.arange(first, last + 1, dtype=np.int64)
    spread = ks * (n - ks)
    fits = ks[(spread >= q_first) & (spread <= q_last)]
    values["consistent_counts"] = len(fits)
    formula = "sample SD" if sd_formula == "sample" else "population SD"
    if len(fits):
        k = int(fits[0])
        witness_sd = float(np.sqrt(k * (n - k) / divisor))
        values.update(witness_count=k, witness_mean=k / n, witness_sd=witness_sd)
        several = f" (counts that fit: {_runs(fits)})" if len(fits) > 1 else ""
        return DebitCheck(
            "debit",
            True,
            f"{what} pass DEBIT: {k} ones out of {n} give mean {_fmt(k / n)} and "
            f"{formula} {_fmt(witness_sd)}, which print as reported under {rounding} "
            f"rounding{several}.",
            values,
            counts=tuple(int(c) for c in fits),
        )
    implied = np.sqrt(spread / divisor)
    values.update(sd_implied_low=float(implied.min()), sd_implied_high=float(implied.max()))
    if len(ks) == 1:
        gives = (
            f"the one count that fits the mean, {first} ones, gives the {formula} "
            f"{_fmt(implied[0])}, which lies outside"
        )
    else:
        gives = (
            f"the counts that fit the mean ({first} to {last} ones) give {formula}s from "
            f"{_fmt(implied.min())} to {_fmt(implied.max())}, none of which lies in"
        )
    return DebitCheck(
        "debit",
        False,
        f"{what} fail DEBIT: {gives} the SD's interval {sd_iv}.",
        values,
    )
