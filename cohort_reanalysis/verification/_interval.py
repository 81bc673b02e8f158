"""Printed values as intervals: the set of true values that print as a given string.

A paper prints ``7.49``; the true value was anything that a rounding procedure (see
``_rounding``) turns into ``7.49``, or, after a comparator (``< 0.001``), anything beyond the
threshold. This module gives that set as an :class:`Interval` and asks whether a recomputed
value falls inside (:func:`matches`), with exact decimal arithmetic throughout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, get_args

import numpy as np

from ._reported import ReportedNumber, parse_number
from ._rounding import (
    PROCEDURES,
    Ends,
    Rounding,
    Rule,
    as_decimal,
    exact_context,
    hull,
    rules,
    unround,
)

__all__ = [
    "COMPARATORS",
    "Comparator",
    "Interval",
    "Match",
    "contains",
    "contains_many",
    "interval",
    "matches",
    "too_coarse",
]

Comparator = Literal["=", "<", ">", "<=", ">="]
#: Every accepted value of ``comparator``.
COMPARATORS: tuple[str, ...] = get_args(Comparator)

_INF = Decimal("Infinity")


@dataclass(frozen=True)
class Interval:
    """A set of real numbers between ``low`` and ``high``, each end open or closed.

    Bounds are exact decimals; an unbounded end is ``Decimal('Infinity')`` (or its negative)
    and always open.

    Examples
    --------
    >>> iv = interval(parse_number("7.49"), rounding="half_up")
    >>> str(iv), 7.485 in iv, 7.495 in iv
    ('[7.485, 7.495)', True, False)
    """

    low: Decimal
    high: Decimal
    low_closed: bool
    high_closed: bool

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, (int, float, Decimal)):
            return False
        return contains(self, value)

    @property
    def width(self) -> Decimal:
        return self.high - self.low

    def scaled(self, factor: Decimal | int) -> Interval:
        """The interval multiplied by a positive exact factor (e.g. ``Decimal('0.01')``)."""
        factor = Decimal(factor)
        if not factor > 0:
            raise ValueError(f"scale factor must be positive, got {factor}")
        ctx = exact_context(self.low, self.high, factor)
        return Interval(
            ctx.multiply(self.low, factor),
            ctx.multiply(self.high, factor),
            self.low_closed,
            self.high_closed,
        )

    def __str__(self) -> str:
        left = "[" if self.low_closed else "("
        right = "]" if self.high_closed else ")"
        low = "-inf" if self.low == -_INF else f"{self.low:f}"
        high = "inf" if self.high == _INF else f"{self.high:f}"
        return f"{left}{low}, {high}{right}"


def _check_comparator(comparator: str) -> None:
    if comparator not in COMPARATORS:
        raise ValueError(
            f"unknown comparator {comparator!r}; expected one of {', '.join(COMPARATORS)}"
        )


def interval(
    number: ReportedNumber | str,
    *,
    rounding: Rounding | Rule | tuple[Rule, ...] = "up_or_down",
    comparator: Comparator = "=",
    inclusive_rounding: bool = False,
    threshold: float | int | Decimal | None = None,
    symmetric: bool | None = None,
) -> Interval:
    """The true values that a printed number stands for.

    Parameters
    ----------
    number : ReportedNumber or str
        The printed number (a string is parsed with :func:`parse_number`).
    rounding : str
        The rounding procedure assumed to have produced it: any name of ``_rounding``'s table,
        the library's or scrutiny's (``"up"``, ``"trunc"``, ``"up_from"``, ...).
    comparator : {"=", "<", ">", "<=", ">="}
        ``"="`` gives the rounding interval. Otherwise the printed number is a threshold and
        taken as exact by default: ``"< 0.0001"`` is ``(-inf, 0.0001)``. A threshold after a
        comparator is usually a chosen cut-off (0.05, 0.001), not a rounded estimate, and
        statcheck reads it the same way.
    inclusive_rounding : bool
        If True, a comparator's set is widened by the number's own rounding interval:
        ``"< 0.0001"`` with ``half_up`` becomes ``(-inf, 0.00015)``, admitting values that
        print as the threshold itself. Default False (see ``comparator``).
    threshold : number, optional
        For ``up_from``, ``down_from`` and ``up_from_or_down_from``: where rounding switches
        direction, in tenths of a step (default 5), as scrutiny's ``threshold``.
    symmetric : bool, optional
        For ``up``, ``down``, ``up_from``, ``down_from`` and their unions: round a negative
        number as its absolute value (scrutiny's ``symmetric``; default False).

    Returns
    -------
    Interval
        In the printed unit: a per-cent is not divided by 100.

    Examples
    --------
    >>> str(interval("7.49")), str(interval("7.49", rounding="truncate"))
    ('[7.485, 7.495]', '[7.49, 7.50)')
    >>> str(interval("-0.57", rounding="half_up"))
    '(-0.575, -0.565]'
    >>> str(interval("0.0001", comparator="<"))
    '(-inf, 0.0001)'
    >>> str(interval("-0.57", rounding="up")), str(interval("-0.57", rounding="up", symmetric=True))
    ('[-0.575, -0.565)', '(-0.575, -0.565]')
    >>> str(interval("7.49", rounding="up_from_or_down_from", threshold=3))
    '[7.483, 7.497]'
    """
    number = parse_number(number)
    ends = unround(number, rounding, threshold=threshold, symmetric=symmetric)
    _check_comparator(comparator)
    if comparator != "=":
        x = number.value
        beyond: Ends = {
            "<": (-_INF, x, False, False),
            "<=": (-_INF, x, False, True),
            ">": (x, _INF, False, False),
            ">=": (x, _INF, True, False),
        }[comparator]
        ends = hull(beyond, ends) if inclusive_rounding else beyond
    return Interval(*ends)


def too_coarse(number: ReportedNumber | str) -> Interval | None:
    """The values that print as ``number`` under some rounding procedure, if that set is
    wider than the number itself (a single printed digit 1: ``"1e2"`` is anything from 0 to
    200 rounded up, down or to the nearest); None otherwise, and for a printed zero, whose
    decimals say how close to zero it is.

    Verification searches every procedure (``_space``), so a print this coarse would match
    almost any value: a verdict on it says so (``_verdict``).

    Examples
    --------
    >>> str(too_coarse("1e2")), too_coarse("7.49") is None, too_coarse("2") is None
    ('(0, 200)', True, True)
    """
    number = parse_number(number)
    if not number.value:
        return None
    ends: Ends | None = None
    for procedure in PROCEDURES:
        this = unround(number, procedure)
        ends = this if ends is None else hull(ends, this)
    assert ends is not None
    widest = Interval(*ends)
    return widest if widest.width > abs(number.value) else None


def contains(iv: Interval, value: float | int | Decimal) -> bool:
    """Whether ``value`` lies in the interval (floats read through their ``repr``).

    Examples
    --------
    >>> contains(interval("2.68", rounding="half_up"), 2.675)
    True
    """
    x = as_decimal(value)
    above = x > iv.low or (iv.low_closed and x == iv.low)
    below = x < iv.high or (iv.high_closed and x == iv.high)
    return bool(above and below)


def _float_end(end: Decimal) -> tuple[float, int]:
    """The float nearest ``end``, and how that float (read through its repr) compares with
    ``end``: -1, 0 or 1."""
    f = float(end)
    d = Decimal(repr(f)) if math.isfinite(f) else end
    return f, (d > end) - (d < end)


def contains_many(iv: Interval, values: np.ndarray) -> np.ndarray:
    """:func:`contains` for each finite value of a float array (False where not finite).

    A float ``x`` other than ``float(end)`` lies on the same side of ``end`` as of
    ``float(end)`` (rounding to nearest is monotone), so only the floats equal to
    ``float(end)`` need the exact comparison, and it is the same for all of them.

    Examples
    --------
    >>> contains_many(interval("2.68", rounding="half_up"), np.array([2.675, 2.685])).tolist()
    [True, False]
    """
    x = np.asarray(values, dtype=np.float64)
    low, low_side = _float_end(iv.low)
    high, high_side = _float_end(iv.high)
    at_low = low_side > 0 or (iv.low_closed and low_side == 0)
    at_high = high_side < 0 or (iv.high_closed and high_side == 0)
    above = x >= low if at_low else x > low
    below = x <= high if at_high else x < high
    out: np.ndarray = above & below & np.isfinite(x)
    return out


# ----------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class Match:
    """Whether a recomputed value is compatible with a printed one, and how far off it is.

    Attributes
    ----------
    ok : bool
        The value lies in the interval.
    procedure : str or None
        The rounding procedure that reproduces the print: for ``"up_or_down"``, ``"half_up"``
        if it does (the two differ only at an exact tie), else ``"half_down"``; for a
        comparator, ``None`` when the exact threshold suffices and the procedure's name when
        only ``inclusive_rounding`` admits the value. ``None`` when not ok.
    distance : float
        0 if inside; else the distance to the nearest end, in the printed unit (0 also for a
        value sitting on an excluded end).
    relative_distance : float
        ``distance / |printed value|`` (``inf`` if the printed value is 0 and distance > 0).
    log10_distance : float
        0 if inside; else ``|log10(value) - log10(nearest end)|``, the distance in orders of
        magnitude, meaningful for tiny p-values; ``inf`` when the value or that end is <= 0.
    interval : Interval
        The interval tested.
    value : float
        The value tested.
    """

    ok: bool
    procedure: str | None
    distance: float
    relative_distance: float
    log10_distance: float
    interval: Interval
    value: float


def matches(
    text: str | ReportedNumber,
    value: float | int | Decimal,
    *,
    rounding: Rounding | Rule | tuple[Rule, ...] = "up_or_down",
    comparator: Comparator = "=",
    inclusive_rounding: bool = False,
    threshold: float | int | Decimal | None = None,
    symmetric: bool | None = None,
) -> Match:
    """Compare a recomputed value with a printed number.

    Examples
    --------
    >>> m = matches("7.49", 7.485)
    >>> m.ok, m.procedure
    (True, 'half_up')
    >>> m = matches("0.0001", 0.0002, comparator="<")
    >>> m.ok, round(m.log10_distance, 3)
    (False, 0.301)
    """
    number = parse_number(text)
    x = as_decimal(value)
    if not x.is_finite():
        raise ValueError(f"cannot compare {value!r} with the reported {number.text!r}")
    singles = rules(rounding, threshold=threshold, symmetric=symmetric)
    full = interval(
        number,
        rounding=rounding,
        comparator=comparator,
        inclusive_rounding=inclusive_rounding,
        threshold=threshold,
        symmetric=symmetric,
    )
    procedure: str | None = None
    ok = contains(full, x)
    if ok:
        if comparator == "=" or not contains(interval(number, comparator=comparator), x):
            for candidate in singles:
                part = interval(
                    number,
                    rounding=candidate,
                    comparator=comparator,
                    inclusive_rounding=comparator != "=",
                )
                if contains(part, x):
                    procedure = candidate.name
                    break
        distance = Decimal(0)
        nearest: Decimal | None = None
    else:
        nearest = full.low if x <= full.low else full.high
        distance = abs(exact_context(x, nearest).subtract(x, nearest))
    if ok or nearest is None:
        log10_distance = 0.0
    elif x > 0 and nearest > 0:
        log10_distance = abs(math.log10(x) - math.log10(nearest))
    else:
        log10_distance = math.inf
    if number.value:
        relative = float(distance / abs(number.value))
    else:
        relative = 0.0 if not distance else math.inf
    return Match(
        ok=ok,
        procedure=procedure,
        distance=float(distance),
        relative_distance=relative,
        log10_distance=log10_distance,
        interval=full,
        value=float(x),
    )
