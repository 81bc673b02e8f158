"""Reported values as intervals: the set of true values that print as a given string.

A paper prints ``7.49``; the true value was anything that a rounding procedure turns into
``7.49``. This module turns printed strings into such intervals and asks whether a
recomputed value falls inside, in the spirit of the R package scrutiny (``unround()``,
``reround()``), with exact decimal arithmetic throughout.

Rounding procedures (all round to ``d`` decimals; ``step = 10**-d``):

=============== =========================================== ============================
name            rule                                        "7.49" came from
=============== =========================================== ============================
``half_up``     nearest; ties away from zero (Excel, SPSS,  ``[7.485, 7.495)``
                SAS, Python's ``ROUND_HALF_UP``)
``half_down``   nearest; ties towards zero                  ``(7.485, 7.495]``
``half_even``   nearest; ties to the even last digit (R's   ``(7.485, 7.495)`` (9 is odd)
                ``round()``, IEEE 754 default)
``truncate``    towards zero (cut the digits off)           ``[7.49, 7.50)``
``ceiling``     towards +infinity                           ``(7.48, 7.49]``
``floor``       towards -infinity                           ``[7.49, 7.50)``
``up_or_down``  ordinary rounding, a tie at 5 going either  ``[7.485, 7.495]``
                way: the union of ``half_up`` and
                ``half_down`` (scrutiny's default)
=============== =========================================== ============================

Negative numbers follow each rule's sign semantics: ``"-0.57"`` under ``half_up`` (ties away
from zero) came from ``(-0.575, -0.565]``, under ``truncate`` from ``(-0.58, -0.57]``. A
printed zero keeps its sign: ``"-0.00"`` came from a negative value (or a negative zero),
``"+0.00"`` from a non-negative one, and an unsigned ``"0.00"`` from either side, because much
software drops the minus sign of a negative value that rounds to zero.

Floats are read through their shortest ``repr``: ``2.675`` is stored as the binary double
2.67499999999999982236431605997495353221893310546875, but it prints as ``2.675`` and a person
who reads it expects it to round half up to ``2.68``. Both :func:`round_value` and
:func:`contains` therefore use ``Decimal(repr(x))``, so that the two always agree with each
other and with what a reader sees. Pass a :class:`~decimal.Decimal` to bypass this.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    localcontext,
)
from typing import Literal, get_args

__all__ = [
    "COMPARATORS",
    "ROUNDINGS",
    "Comparator",
    "Interval",
    "Match",
    "ReportedNumber",
    "ReportedPair",
    "ReportedValue",
    "Rounding",
    "contains",
    "interval",
    "matches",
    "parse_number",
    "parse_reported",
    "round_to_text",
    "round_value",
]

Rounding = Literal[
    "up_or_down", "half_up", "half_down", "half_even", "truncate", "ceiling", "floor"
]
Comparator = Literal["=", "<", ">", "<=", ">="]
Procedure = Literal["half_up", "half_down", "half_even", "truncate", "ceiling", "floor"]

#: Every accepted value of ``rounding``.
ROUNDINGS: tuple[str, ...] = get_args(Rounding)
#: Every accepted value of ``comparator``.
COMPARATORS: tuple[str, ...] = get_args(Comparator)
_PROCEDURES: tuple[str, ...] = get_args(Procedure)

_DECIMAL_MODE = {
    "half_up": ROUND_HALF_UP,
    "half_down": ROUND_HALF_DOWN,
    "half_even": ROUND_HALF_EVEN,
    "truncate": ROUND_DOWN,
    "ceiling": ROUND_CEILING,
    "floor": ROUND_FLOOR,
}

# Same grammar as the claims parser: optional sign (ASCII or U+2212), digits with optional
# decimals or a bare ".05", an optional power of ten, an optional per-cent sign. Two numbers
# are joined by " to ", a hyphen or en dash (optionally spaced), or plain spaces; the
# alternatives are tried in that order, so "6 -68" is the range 6 to 68, not 6 and -68.
# The power of ten as papers and their text extractions print it: "1.1e-06", "1.1E-6",
# "1.1 × 10^-6", "1.1×10−6" (a flattened superscript), "1.1 x 10**-6", "1.1×10⁻⁶".
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_EXPONENT = (
    r"[eE][+\-\u2212]?[0-9]+"
    r"|[ \u00a0]*[x\u00d7\u00b7*][ \u00a0]*10"
    rf"(?:(?:\^|\*\*)?[+\-\u2212]?[0-9]+|[\u207a\u207b]?[{_SUPERSCRIPTS}]+)"
)
_NUM = rf"([+\-\u2212]?)([0-9]+(?:\.[0-9]+)?|\.[0-9]+)((?:{_EXPONENT})?)(%?)"
#: The same grammar without capturing groups, for the claims parser to check ``reported``.
PRINTED_NUMBER = rf"[+\-\u2212]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:{_EXPONENT})?%?"
_EXPONENT_VALUE = re.compile(
    rf"(?:[eE]|10(?:\^|\*\*)?)([+\-\u2212\u207a\u207b]?[0-9{_SUPERSCRIPTS}]+)$"
)
_PLAIN_DIGITS = str.maketrans(_SUPERSCRIPTS + "\u207a\u207b\u2212", "0123456789+--")
_SEP = r"([ \u00a0]+to[ \u00a0]+|[ \u00a0]*[-\u2013][ \u00a0]*|[ \u00a0]+)"
_ONE = re.compile(_NUM)
_TWO = re.compile(_NUM + _SEP + _NUM)

_INF = Decimal("Infinity")

#: How papers print a p-value they only call not significant (statcheck reads "ns" too).
NOT_SIGNIFICANT = frozenset({"ns", "n.s."})


def _context(*values: Decimal) -> Context:
    # Enough significant digits that no bound computed here is ever rounded.
    digits = max(
        (
            len(v.as_tuple().digits) + abs(int(v.as_tuple().exponent))
            for v in values
            if v.is_finite()
        ),
        default=0,
    )
    return Context(prec=max(50, 2 * digits + 10))


# ----------------------------------------------------------------------------- parsed values


@dataclass(frozen=True)
class ReportedNumber:
    """One number as printed.

    Attributes
    ----------
    text : str
        The number exactly as printed, e.g. ``"-0.57"`` or ``"1.55%"``.
    value : Decimal
        Its exact value in the printed unit (``Decimal("1.55")`` for ``"1.55%"``: a per-cent
        sign is recorded in ``is_percent``, not divided out). A printed ``"-0.00"`` keeps its
        negative zero.
    decimals : int
        Printed decimals, trailing zeros included: ``"6.70"`` has 2. In scientific notation,
        the decimals the number has once written out: ``"1.10e-6"`` has 8 (its last printed
        digit is in the 10**-8 place), ``"1.2e3"`` has -2 (it is printed to the hundred).
    is_percent : bool
        Whether a ``%`` sign was printed (or applies, for the first end of ``"6.3 to 12.4%"``).
    sign : {"-", "+", ""}
        The printed sign character (U+2212 is read as ``"-"``); ``""`` when none was printed.
    exponent : int or None
        The printed power of ten (``-6`` for ``"1.1 × 10^-6"``), or None when the number is
        printed without one.

    Examples
    --------
    >>> n = parse_number("6.70")
    >>> n.value, n.decimals, n.step
    (Decimal('6.70'), 2, Decimal('0.01'))
    >>> n = parse_number("1.1 × 10^-6")
    >>> n.value, n.decimals, n.exponent
    (Decimal('0.0000011'), 7, -6)
    """

    text: str
    value: Decimal
    decimals: int
    is_percent: bool
    sign: Literal["-", "+", ""]
    exponent: int | None = None

    @property
    def step(self) -> Decimal:
        """The printed resolution, ``10**-decimals``."""
        return Decimal(1).scaleb(-self.decimals)

    def __float__(self) -> float:
        return float(self.value)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class ReportedPair:
    """Two numbers printed together: a range, a CI, or an IQR printed as its two ends.

    Examples
    --------
    >>> p = parse_reported("6.3% to 12.4%")
    >>> p.first.value, p.second.value, p.second.is_percent
    (Decimal('6.3'), Decimal('12.4'), True)
    """

    text: str
    first: ReportedNumber
    second: ReportedNumber
    separator: str

    @property
    def numbers(self) -> tuple[ReportedNumber, ReportedNumber]:
        return (self.first, self.second)

    def __str__(self) -> str:
        return self.text


ReportedValue = ReportedNumber | ReportedPair


def _number(sign: str, body: str, power: str, percent: bool, text: str) -> ReportedNumber:
    printed: Literal["-", "+", ""] = "-" if sign in ("-", "\u2212") else "+" if sign else ""
    decimals = len(body.split(".", 1)[1]) if "." in body else 0
    value = Decimal(("-" if printed == "-" else "") + body)
    exponent = None
    if power:
        found = _EXPONENT_VALUE.search(power)
        assert found is not None  # the grammar admits no other power
        exponent = int(found.group(1).translate(_PLAIN_DIGITS))
        value, decimals = value.scaleb(exponent), decimals - exponent
    return ReportedNumber(
        text=text,
        value=value,
        decimals=decimals,
        is_percent=percent,
        sign=printed,
        exponent=exponent,
    )


def parse_reported(text: str) -> ReportedValue:
    """Parse a printed value: one number, or two joined by ``to``, a dash or spaces.

    Accepted: ``"7.49"``, ``".05"``, ``"8"``, ``"0.0000002"``, ``"-0.57"``, ``"−0.57"`` (U+2212),
    ``"1.55%"``; scientific notation ``"1.1e-06"``, ``"1.1E-6"``, ``"1.1 × 10^-6"``,
    ``"1.1×10−6"``, ``"1.1 x 10**-6"``, ``"1.1×10⁻⁶"`` (the mantissa's decimals, trailing
    zeros included, set the precision); pairs ``"6.3 to 12.4"``, ``"6.3% to 12.4%"``,
    ``"6.3 to 12.4%"`` (a per-cent sign on the second end only applies to both),
    ``"15.25 45.75"``, ``"6-68"``, ``"6–68"``. Surrounding whitespace is ignored. Anything else
    (words, thousands separators, a power of ten without a mantissa, a per-cent sign on the
    first end only) raises.

    Raises
    ------
    ValueError
        Naming the text, if it is not in the grammar.

    Examples
    --------
    >>> parse_reported("6.70").decimals
    2
    >>> [n.text for n in parse_reported("6-68").numbers]
    ['6', '68']
    """
    if not isinstance(text, str):
        raise ValueError(f"a reported value must be a string, not {type(text).__name__}: {text!r}")
    stripped = text.strip()
    one = _ONE.fullmatch(stripped)
    if one:
        sign, body, power, pct = one.groups()
        return _number(sign, body, power, bool(pct), stripped)
    two = _TWO.fullmatch(stripped)
    if two:
        s1, b1, e1, p1, sep, s2, b2, e2, p2 = two.groups()
        if p1 and not p2:
            raise ValueError(f"cannot read {text!r}: a per-cent sign on the first end only")
        t1 = stripped[two.start(1) : two.end(4)]
        t2 = stripped[two.start(6) : two.end(9)]
        return ReportedPair(
            text=stripped,
            first=_number(s1, b1, e1, bool(p2), t1),
            second=_number(s2, b2, e2, bool(p2), t2),
            separator=sep.strip(" \u00a0") or " ",
        )
    raise ValueError(
        f"cannot read {text!r} as a reported value: expected a number such as '7.49', "
        "'-0.57', '1.55%' or '1.1e-06', or two joined by ' to ', a dash or spaces "
        "('6.3 to 12.4', '6-68')"
    )


def parse_number(text: str | ReportedNumber) -> ReportedNumber:
    """Parse a printed value that must be a single number (see :func:`parse_reported`).

    Examples
    --------
    >>> parse_number("-0.57").sign
    '-'
    """
    if isinstance(text, ReportedNumber):
        return text
    value = parse_reported(text)
    if isinstance(value, ReportedPair):
        raise ValueError(f"expected one number, got two in {text!r}")
    return value


# ----------------------------------------------------------------------------- intervals


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
        ctx = _context(self.low, self.high, factor)
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


def _check_rounding(rounding: str) -> None:
    if rounding not in ROUNDINGS:
        raise ValueError(f"unknown rounding {rounding!r}; expected one of {', '.join(ROUNDINGS)}")


def _check_comparator(comparator: str) -> None:
    if comparator not in COMPARATORS:
        raise ValueError(
            f"unknown comparator {comparator!r}; expected one of {', '.join(COMPARATORS)}"
        )


Ends = tuple[Decimal, Decimal, bool, bool]


def _nonnegative(m: Decimal, step: Decimal, procedure: str) -> Ends:
    """Values v >= 0 that print as the magnitude ``m`` (>= 0) under ``procedure``."""
    half = step / 2
    if procedure == "half_up":
        return (m - half, m + half, True, False) if m else (m, half, True, False)
    if procedure == "half_down":
        return (m - half, m + half, False, True) if m else (m, half, True, True)
    if procedure == "half_even":
        if not m:
            return (m, half, True, True)
        even = int(m / step) % 2 == 0
        return (m - half, m + half, even, even)
    if procedure in ("truncate", "floor"):
        return (m, m + step, True, False)
    # ceiling: (m - step, m]; only v = 0 itself prints as a non-negative zero.
    return (m - step, m, False, True) if m else (m, m, True, True)


def _side(m: Decimal, step: Decimal, procedure: str, negative: bool) -> Ends:
    if not negative:
        return _nonnegative(m, step, procedure)
    # The negative side mirrors the non-negative one; ceiling and floor swap under the mirror.
    mirrored = {"ceiling": "floor", "floor": "ceiling"}.get(procedure, procedure)
    low, high, low_closed, high_closed = _nonnegative(m, step, mirrored)
    return (-high, -low, high_closed, low_closed)


def _hull(a: Ends, b: Ends) -> Ends:
    """The smallest interval holding two overlapping intervals."""
    if a[0] < b[0]:
        low, low_closed = a[0], a[2]
    elif b[0] < a[0]:
        low, low_closed = b[0], b[2]
    else:
        low, low_closed = a[0], a[2] or b[2]
    if a[1] > b[1]:
        high, high_closed = a[1], a[3]
    elif b[1] > a[1]:
        high, high_closed = b[1], b[3]
    else:
        high, high_closed = a[1], a[3] or b[3]
    return (low, high, low_closed, high_closed)


def _rounding_ends(number: ReportedNumber, procedure: str) -> Ends:
    step = number.step
    m = abs(number.value)
    if number.value != 0:
        return _side(m, step, procedure, negative=number.value < 0)
    if number.sign == "-":
        return _side(m, step, procedure, negative=True)
    if number.sign == "+":
        return _side(m, step, procedure, negative=False)
    return _hull(_side(m, step, procedure, True), _side(m, step, procedure, False))


def _procedures(rounding: str) -> tuple[str, ...]:
    return ("half_up", "half_down") if rounding == "up_or_down" else (rounding,)


def interval(
    number: ReportedNumber | str,
    *,
    rounding: Rounding = "up_or_down",
    comparator: Comparator = "=",
    inclusive_rounding: bool = False,
) -> Interval:
    """The true values that a printed number stands for.

    Parameters
    ----------
    number : ReportedNumber or str
        The printed number (a string is parsed with :func:`parse_number`).
    rounding : str
        The rounding procedure assumed to have produced it (see the module docstring).
    comparator : {"=", "<", ">", "<=", ">="}
        ``"="`` gives the rounding interval. Otherwise the printed number is a threshold and
        taken as exact by default: ``"< 0.0001"`` is ``(-inf, 0.0001)``. A threshold after a
        comparator is usually a chosen cut-off (0.05, 0.001), not a rounded estimate, and
        statcheck reads it the same way.
    inclusive_rounding : bool
        If True, a comparator's set is widened by the number's own rounding interval:
        ``"< 0.0001"`` with ``half_up`` becomes ``(-inf, 0.00015)``, admitting values that
        print as the threshold itself. Default False (see ``comparator``).

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
    """
    number = parse_number(number)
    _check_rounding(rounding)
    _check_comparator(comparator)
    ends: Ends | None = None
    with localcontext(_context(number.value, number.step)):
        for procedure in _procedures(rounding):
            this = _rounding_ends(number, procedure)
            ends = this if ends is None else _hull(ends, this)
    assert ends is not None
    if comparator != "=":
        x = number.value
        threshold: Ends = {
            "<": (-_INF, x, False, False),
            "<=": (-_INF, x, False, True),
            ">": (x, _INF, False, False),
            ">=": (x, _INF, True, False),
        }[comparator]
        ends = _hull(threshold, ends) if inclusive_rounding else threshold
    return Interval(*ends)


def _as_decimal(value: float | int | Decimal) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got a boolean: {value!r}")
    if isinstance(value, Decimal):
        out = value
    elif isinstance(value, int):
        out = Decimal(value)
    elif isinstance(value, float):
        # repr: the shortest string that reads back as this float; see the module docstring.
        out = Decimal(repr(value))
    else:
        raise ValueError(f"expected a number, got {type(value).__name__}: {value!r}")
    if out.is_nan():
        raise ValueError("cannot compare NaN with a reported value")
    return out


def contains(iv: Interval, value: float | int | Decimal) -> bool:
    """Whether ``value`` lies in the interval (floats read through their ``repr``).

    Examples
    --------
    >>> contains(interval("2.68", rounding="half_up"), 2.675)
    True
    """
    x = _as_decimal(value)
    above = x > iv.low or (iv.low_closed and x == iv.low)
    below = x < iv.high or (iv.high_closed and x == iv.high)
    return bool(above and below)


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
    rounding: Rounding = "up_or_down",
    comparator: Comparator = "=",
    inclusive_rounding: bool = False,
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
    x = _as_decimal(value)
    if not x.is_finite():
        raise ValueError(f"cannot compare {value!r} with the reported {number.text!r}")
    full = interval(
        number, rounding=rounding, comparator=comparator, inclusive_rounding=inclusive_rounding
    )
    procedure: str | None = None
    ok = contains(full, x)
    if ok:
        if comparator == "=" or not contains(interval(number, comparator=comparator), x):
            for candidate in _procedures(rounding):
                part = interval(
                    number,
                    rounding=candidate,  # type: ignore[arg-type]
                    comparator=comparator,
                    inclusive_rounding=comparator != "=",
                )
                if contains(part, x):
                    procedure = candidate
                    break
        distance = Decimal(0)
        nearest: Decimal | None = None
    else:
        nearest = full.low if x <= full.low else full.high
        distance = abs(_context(x, nearest).subtract(x, nearest))
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


# ----------------------------------------------------------------------------- rounding


def round_value(value: float | int | Decimal, decimals: int, procedure: str) -> Decimal:
    """Round exactly with one procedure, reading a float through its ``repr``.

    Examples
    --------
    >>> round_value(0.125, 2, "half_even"), round_value(2.675, 2, "half_up")
    (Decimal('0.12'), Decimal('2.68'))
    >>> round_value(-0.004, 2, "half_up")
    Decimal('-0.00')
    """
    if procedure not in _PROCEDURES:
        hint = (
            " (it is two procedures; pick half_up or half_down)"
            if procedure == ("up_or_down")
            else ""
        )
        raise ValueError(
            f"cannot round with {procedure!r}{hint}; expected one of {', '.join(_PROCEDURES)}"
        )
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"decimals must be a non-negative integer, got {decimals!r}")
    x = _as_decimal(value)
    if not x.is_finite():
        raise ValueError(f"cannot round {value!r}")
    return x.quantize(
        Decimal(1).scaleb(-decimals),
        rounding=_DECIMAL_MODE[procedure],
        context=_context(x, Decimal(1).scaleb(-decimals)),
    )


def round_to_text(value: float | int | Decimal, decimals: int, procedure: str) -> str:
    """Round as :func:`round_value` and print with exactly ``decimals`` decimals.

    The text reads back with :func:`parse_reported` to the same number and precision.

    Examples
    --------
    >>> round_to_text(6.7, 2, "half_up"), round_to_text(-0.004, 2, "truncate")
    ('6.70', '-0.00')
    """
    return f"{round_value(value, decimals, procedure):.{decimals}f}"
