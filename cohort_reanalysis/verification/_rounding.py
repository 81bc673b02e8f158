"""Rounding procedures, both ways: what a procedure prints, and what a print came from.

Every procedure rounds to ``d`` decimals (``step = 10**-d``); :func:`round_value` applies one,
:func:`unround` gives the true values it turns into a printed number, in the spirit of the R
package scrutiny (``reround()``, ``unround()``), with exact decimal arithmetic throughout.
A new procedure is added here, in both directions, and nowhere else.

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
who reads it expects it to round half up to ``2.68``. :func:`round_value` and
``_interval.contains`` therefore both read a float with :func:`as_decimal`, so that the two
always agree with each other and with what a reader sees. Pass a :class:`~decimal.Decimal` to
bypass this.
"""

from __future__ import annotations

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

from ._reported import ReportedNumber

__all__ = [
    "PROCEDURES",
    "ROUNDINGS",
    "Ends",
    "Rounding",
    "as_decimal",
    "check_rounding",
    "exact_context",
    "hull",
    "procedures",
    "round_to_text",
    "round_value",
    "unround",
]

Rounding = Literal[
    "up_or_down", "half_up", "half_down", "half_even", "truncate", "ceiling", "floor"
]
Procedure = Literal["half_up", "half_down", "half_even", "truncate", "ceiling", "floor"]

#: Every accepted value of ``rounding``.
ROUNDINGS: tuple[str, ...] = get_args(Rounding)
#: The single procedures (``up_or_down`` is two of them).
PROCEDURES: tuple[str, ...] = get_args(Procedure)

_DECIMAL_MODE = {
    "half_up": ROUND_HALF_UP,
    "half_down": ROUND_HALF_DOWN,
    "half_even": ROUND_HALF_EVEN,
    "truncate": ROUND_DOWN,
    "ceiling": ROUND_CEILING,
    "floor": ROUND_FLOOR,
}


def exact_context(*values: Decimal) -> Context:
    """A decimal context with enough significant digits that no bound computed with these
    values is ever rounded."""
    digits = max(
        (
            len(v.as_tuple().digits) + abs(int(v.as_tuple().exponent))
            for v in values
            if v.is_finite()
        ),
        default=0,
    )
    return Context(prec=max(50, 2 * digits + 10))


def as_decimal(value: float | int | Decimal) -> Decimal:
    """A number as an exact decimal, a float read through its ``repr`` (module docstring).

    Examples
    --------
    >>> as_decimal(2.675), as_decimal(3)
    (Decimal('2.675'), Decimal('3'))
    """
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


def check_rounding(rounding: str) -> None:
    """Raise ValueError, listing the accepted names, unless ``rounding`` is one of them."""
    if rounding not in ROUNDINGS:
        raise ValueError(f"unknown rounding {rounding!r}; expected one of {', '.join(ROUNDINGS)}")


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


def hull(a: Ends, b: Ends) -> Ends:
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
    return hull(_side(m, step, procedure, True), _side(m, step, procedure, False))


def procedures(rounding: str) -> tuple[str, ...]:
    """The single procedures a rounding stands for (``up_or_down``: half_up, half_down)."""
    return ("half_up", "half_down") if rounding == "up_or_down" else (rounding,)


def unround(number: ReportedNumber, rounding: str) -> Ends:
    """The ends of the true values that ``rounding`` prints as ``number`` (scrutiny's
    ``unround()``); for ``up_or_down``, the union of ``half_up`` and ``half_down``.

    Examples
    --------
    >>> from cohort_reanalysis.verification._reported import parse_number
    >>> unround(parse_number("7.49"), "half_up")
    (Decimal('7.485'), Decimal('7.495'), True, False)
    """
    check_rounding(rounding)
    ends: Ends | None = None
    with localcontext(exact_context(number.value, number.step)):
        for procedure in procedures(rounding):
            this = _rounding_ends(number, procedure)
            ends = this if ends is None else hull(ends, this)
    assert ends is not None
    return ends


def round_value(value: float | int | Decimal, decimals: int, procedure: str) -> Decimal:
    """Round exactly with one procedure, reading a float through its ``repr``.

    Examples
    --------
    >>> round_value(0.125, 2, "half_even"), round_value(2.675, 2, "half_up")
    (Decimal('0.12'), Decimal('2.68'))
    >>> round_value(-0.004, 2, "half_up")
    Decimal('-0.00')
    """
    if procedure not in PROCEDURES:
        hint = (
            " (it is two procedures; pick half_up or half_down)"
            if procedure == ("up_or_down")
            else ""
        )
        raise ValueError(
            f"cannot round with {procedure!r}{hint}; expected one of {', '.join(PROCEDURES)}"
        )
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"decimals must be a non-negative integer, got {decimals!r}")
    x = as_decimal(value)
    if not x.is_finite():
        raise ValueError(f"cannot round {value!r}")
    return x.quantize(
        Decimal(1).scaleb(-decimals),
        rounding=_DECIMAL_MODE[procedure],
        context=exact_context(x, Decimal(1).scaleb(-decimals)),
    )


def round_to_text(value: float | int | Decimal, decimals: int, procedure: str) -> str:
    """Round as :func:`round_value` and print with exactly ``decimals`` decimals.

    The text reads back with :func:`parse_reported` to the same number and precision.

    Parameters
    ----------
    value : float, int or Decimal
        The number to round; a float is read through its shortest ``repr``.
    decimals : int
        Decimals to keep, 0 or more.
    procedure : str
        One of ``PROCEDURES``: ``"half_up"``, ``"half_down"``, ``"half_even"``,
        ``"truncate"``, ``"ceiling"`` or ``"floor"``.

    Returns
    -------
    str
        The rounded value with exactly ``decimals`` decimals.

    Examples
    --------
    >>> round_to_text(6.7, 2, "half_up"), round_to_text(-0.004, 2, "truncate")
    ('6.70', '-0.00')
    """
    return f"{round_value(value, decimals, procedure):.{decimals}f}"
