"""Rounding procedures, both ways: what a procedure prints, and what a print came from.

Every procedure rounds to ``d`` decimals (``step = 10**-d``); :func:`round_value` applies one,
:func:`unround` gives the true values it turns into a printed number, as the R package
scrutiny does (``reround()``, ``unround()``), with exact decimal arithmetic throughout. Every
procedure scrutiny names is accepted under scrutiny's name, and the library's own names stay.
A new procedure is added here, in both directions, and nowhere else.

================== ============== ============================== ================ ================
scrutiny           the library's  rule                           "7.49" from      "-0.57" from
================== ============== ============================== ================ ================
``up_or_down``     ``up_or_down`` nearest, a tie going either    [7.485, 7.495]   [-0.575, -0.565]
                                  way (the default: ``up`` or
                                  ``down``)
``up``,            ``half_up``    nearest, ties away from zero   [7.485, 7.495)   (-0.575, -0.565]
``symmetric=True``                (Excel, SPSS, SAS,
                                  ``ROUND_HALF_UP``)
``up``             (none)         nearest, ties towards          [7.485, 7.495)   [-0.575, -0.565)
                                  +infinity (Java's
                                  ``Math.round``)
``down``,          ``half_down``  nearest, ties towards zero     (7.485, 7.495]   [-0.575, -0.565)
``symmetric=True``
``down``           (none)         nearest, ties towards          (7.485, 7.495]   (-0.575, -0.565]
                                  -infinity
``even``           (none)         ties to even as R's            [7.485, 7.495]   [-0.575, -0.565]
                                  ``round()``: both ties
                                  admitted, as in binary a tie
                                  may fall either side
(none)             ``half_even``  ties to the even last digit of (7.485, 7.495)   (-0.575, -0.565)
                                  the exact decimal (9 and 7 are
                                  odd)
``up_from``,       (none)         up when the part cut off is at [7.485, 7.495)   [-0.575, -0.565)
``threshold=t``                   least t tenths of a step       (t = 5)
``down_from``,     (none)         down when the part cut off is  (7.485, 7.495]   (-0.575, -0.565]
``threshold=t``                   at most 10 - t tenths of a     (t = 5)
                                  step
``up_from_or_down_ (none)         ``up_from`` or ``down_from``   [7.485, 7.495]   [-0.575, -0.565]
from``                                                           (t = 5)
``ceiling``        ``ceiling``    towards +infinity              (7.48, 7.49]     (-0.58, -0.57]
``floor``          ``floor``      towards -infinity              [7.49, 7.50)     [-0.57, -0.56)
``ceiling_or_floor (none)         ``ceiling`` or ``floor``       (7.48, 7.50)     (-0.58, -0.56)
``
``trunc``          ``truncate``   towards zero                   [7.49, 7.50)     (-0.58, -0.57]
``anti_trunc``     (none)         a step away from zero, always  [7.48, 7.49)     (-0.57, -0.56]
                                  (a value on the grid too, 0 to
                                  +1 step): nothing prints as 0
================== ============== ============================== ================ ================

``threshold`` (scrutiny's ``threshold``, in tenths of a step, strictly between 0 and 10;
default 5) is taken only by ``up_from``, ``down_from`` and ``up_from_or_down_from``:
``up_from`` with ``t`` gives ``[x - (10 - t)/10 step, x + t/10 step)``, ``down_from`` with
``t`` gives ``(x - t/10 step, x + (10 - t)/10 step]`` (scrutiny mirrors the threshold too).
``symmetric`` (scrutiny's ``symmetric``, default False) is taken only by ``up``, ``down``,
``up_from``, ``down_from`` and the two unions of them: True rounds a negative number as its
absolute value (a tie away from zero, for ``up``), False moves a tie up or down the number
line. ``up_or_down`` without ``symmetric`` is ``half_up`` or ``half_down``; its interval is the
same either way. A name that does not take an option refuses it, rather than ignore it.

A printed zero keeps its sign: ``"-0.00"`` came from a negative value (or a negative zero),
``"+0.00"`` from a non-negative one, and an unsigned ``"0.00"`` from either side, because much
software drops the minus sign of a negative value that rounds to zero.

Floats are read through their shortest ``repr``: ``2.675`` is stored as the binary double
2.67499999999999982236431605997495353221893310546875, but it prints as ``2.675`` and a person
who reads it expects it to round half up to ``2.68``. :func:`round_value` and
``_interval.contains`` therefore both read a float with :func:`as_decimal`, so that the two
always agree with each other and with what a reader sees (scrutiny nudges by about 1.5e-9 to
the same end). Pass a :class:`~decimal.Decimal` to bypass this. ``even`` therefore rounds the
decimal half to even (``0.15`` to ``0.2``), where R's ``round(0.15, 1)`` gives ``0.1``; its
interval holds both ties, so that either reading passes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_FLOOR, Context, Decimal, localcontext
from typing import Literal, get_args

from ._reported import ReportedNumber

__all__ = [
    "PROCEDURES",
    "ROUNDINGS",
    "ROUNDING_NAMES",
    "SCRUTINY_NAMES",
    "Ends",
    "Rounding",
    "Rule",
    "as_decimal",
    "check_rounding",
    "exact_context",
    "hull",
    "procedures",
    "round_to_text",
    "round_value",
    "rules",
    "unround",
]

Rounding = Literal[
    "up_or_down",
    "half_up",
    "half_down",
    "half_even",
    "truncate",
    "ceiling",
    "floor",
    # scrutiny's names beyond the library's own
    "up_from_or_down_from",
    "ceiling_or_floor",
    "even",
    "up",
    "down",
    "up_from",
    "down_from",
    "trunc",
    "anti_trunc",
]
Procedure = Literal["half_up", "half_down", "half_even", "truncate", "ceiling", "floor"]

#: Every accepted value of ``rounding``: the library's names and scrutiny's.
ROUNDING_NAMES: tuple[str, ...] = get_args(Rounding)
#: The library's own names (the specification space tries these as alternatives).
ROUNDINGS: tuple[str, ...] = ROUNDING_NAMES[:7]
#: scrutiny's names, in the order of its documentation.
SCRUTINY_NAMES: tuple[str, ...] = (
    "up_or_down",
    "up_from_or_down_from",
    "ceiling_or_floor",
    "even",
    "up",
    "down",
    "up_from",
    "down_from",
    "ceiling",
    "floor",
    "trunc",
    "anti_trunc",
)
#: The library's single procedures (``up_or_down`` is two of them).
PROCEDURES: tuple[str, ...] = get_args(Procedure)

_COMPOUND = {
    "up_or_down": ("up", "down"),
    "up_from_or_down_from": ("up_from", "down_from"),
    "ceiling_or_floor": ("ceiling", "floor"),
}
_TAKES_THRESHOLD = frozenset({"up_from", "down_from", "up_from_or_down_from"})
_TAKES_SYMMETRIC = frozenset({"up", "down", "up_or_down", *_TAKES_THRESHOLD})
_HALF = Decimal("0.5")


@dataclass(frozen=True)
class Rule:
    """One rounding procedure, resolved: the point within a step where it switches
    direction, and which way a value sitting on that point goes.

    A value ``k + f`` steps (``0 <= f < 1``; of its absolute value when ``symmetric`` or
    non-negative) rounds to ``k + 1`` steps if ``f > cut``, or if ``f == cut`` and
    ``up_at_cut``; else to ``k``. ``special`` marks the three rules that are not of this form:
    ``"half_even"``, ``"even"`` (scrutiny's: as ``half_even``, with both ties admitted when
    unrounding) and ``"anti_trunc"`` (``k + 1`` always).

    Examples
    --------
    >>> rules("up_from", threshold=3)[0].cut
    Decimal('0.3')
    """

    name: str
    cut: Decimal
    up_at_cut: bool
    symmetric: bool
    special: str | None = None

    def mirrored(self) -> Rule:
        """The rule as it acts on the absolute value of a negative number."""
        if self.symmetric:
            return self
        return replace(self, cut=1 - self.cut, up_at_cut=not self.up_at_cut, symmetric=True)


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


def _threshold(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValueError(f"threshold must be a number between 0 and 10, got {value!r}")
    t = value if isinstance(value, Decimal) else Decimal(repr(value))  # a float as printed
    if not t.is_finite() or not 0 < t < 10:
        raise ValueError(
            f"threshold must lie strictly between 0 and 10 (tenths of a step), got {value!r}"
        )
    return t


def check_rounding(rounding: str, threshold: object = None, symmetric: object = None) -> None:
    """Raise ValueError, saying what is accepted, unless ``rounding`` is a known name and
    ``threshold`` and ``symmetric`` are given only where that name takes them.

    Examples
    --------
    >>> check_rounding("up_from", threshold=4)
    >>> check_rounding("half_up", threshold=4)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: rounding 'half_up' takes no threshold; only up_from, ...
    """
    if not isinstance(rounding, str) or rounding not in ROUNDING_NAMES:
        raise ValueError(
            f"unknown rounding {rounding!r}; expected one of {', '.join(ROUNDING_NAMES)}"
        )
    if threshold is not None:
        if rounding not in _TAKES_THRESHOLD:
            raise ValueError(
                f"rounding {rounding!r} takes no threshold; only up_from, down_from and "
                "up_from_or_down_from do"
            )
        _threshold(threshold)
    if symmetric is not None:
        if rounding not in _TAKES_SYMMETRIC:
            raise ValueError(
                f"rounding {rounding!r} takes no symmetric option; only "
                f"{', '.join(sorted(_TAKES_SYMMETRIC))} do"
            )
        if not isinstance(symmetric, bool):
            raise ValueError(f"symmetric must be True or False, got {symmetric!r}")


def _single(name: str, threshold: Decimal, symmetric: bool) -> Rule:
    t = threshold / 10
    # (cut, up_at_cut, symmetric, special): only the rule asked for is built.
    fields: dict[str, tuple[Decimal, bool, bool, str | None]] = {
        "half_up": (_HALF, True, True, None),
        "half_down": (_HALF, False, True, None),
        "half_even": (_HALF, False, True, "half_even"),
        "even": (_HALF, False, True, "even"),
        "truncate": (Decimal(1), True, True, None),
        "trunc": (Decimal(1), True, True, None),
        "anti_trunc": (Decimal(0), False, True, "anti_trunc"),
        "ceiling": (Decimal(0), False, False, None),
        "floor": (Decimal(1), True, False, None),
        "up": (_HALF, True, symmetric, None),
        "down": (_HALF, False, symmetric, None),
        "up_from": (t, True, symmetric, None),
        "down_from": (1 - t, False, symmetric, None),
    }
    return Rule(name, *fields[name])


def rules(
    rounding: str | Rule | tuple[Rule, ...],
    *,
    threshold: object = None,
    symmetric: bool | None = None,
) -> tuple[Rule, ...]:
    """The single rules a rounding stands for (``up_or_down``: ``half_up`` or ``half_down``).

    A check resolves its ``rounding``, ``threshold`` and ``symmetric`` once with this (so
    that a bad option is refused before any work) and passes the rules on as ``rounding``.

    Examples
    --------
    >>> [r.name for r in rules("up_or_down")], [r.name for r in rules("ceiling_or_floor")]
    (['half_up', 'half_down'], ['ceiling', 'floor'])
    """
    if isinstance(rounding, (Rule, tuple)):
        if threshold is not None or symmetric is not None:
            raise ValueError("resolved rules take no threshold or symmetric option")
        resolved = (rounding,) if isinstance(rounding, Rule) else rounding
        if not resolved or not all(isinstance(r, Rule) for r in resolved):
            raise ValueError(f"expected rounding rules, got {rounding!r}")
        return resolved
    check_rounding(rounding, threshold, symmetric)
    t = Decimal(5) if threshold is None else _threshold(threshold)
    if rounding == "up_or_down" and symmetric is None:
        names: tuple[str, ...] = ("half_up", "half_down")
    else:
        names = _COMPOUND.get(rounding, (rounding,))
    return tuple(_single(name, t, bool(symmetric)) for name in names)


def procedures(rounding: str) -> tuple[str, ...]:
    """The names of the single procedures a rounding stands for.

    Examples
    --------
    >>> procedures("up_or_down"), procedures("trunc")
    (('half_up', 'half_down'), ('trunc',))
    """
    return tuple(r.name for r in rules(rounding))


Ends = tuple[Decimal, Decimal, bool, bool]
_EMPTY: Ends = (Decimal(0), Decimal(0), False, False)


def _nonnegative(m: Decimal, step: Decimal, rule: Rule) -> Ends:
    """Values v >= 0 that print as the magnitude ``m`` (>= 0) under a symmetric ``rule``."""
    half = step / 2
    if rule.special == "half_even":
        if not m:
            return (m, half, True, True)
        even = int(m / step) % 2 == 0
        return (m - half, m + half, even, even)
    if rule.special == "even":
        return (m - half, m + half, True, True) if m else (m, half, True, True)
    if rule.special == "anti_trunc":
        # Every value moves a step away from zero, so nothing prints as zero.
        return (m - step, m, True, False) if m else _EMPTY
    c = rule.cut
    if not m:
        return (m, c * step, True, not rule.up_at_cut)
    return (m - (1 - c) * step, m + c * step, rule.up_at_cut, not rule.up_at_cut)


def _side(m: Decimal, step: Decimal, rule: Rule, negative: bool) -> Ends:
    if not negative:
        return _nonnegative(m, step, rule)
    low, high, low_closed, high_closed = _nonnegative(m, step, rule.mirrored())
    if rule.special == "anti_trunc" and not low:
        low_closed = False  # zero itself moves to +1 step, not to -1
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


def _rounding_ends(number: ReportedNumber, rule: Rule) -> Ends:
    step = number.step
    m = abs(number.value)
    if number.value != 0:
        return _side(m, step, rule, negative=number.value < 0)
    if number.sign == "-":
        return _side(m, step, rule, negative=True)
    if number.sign == "+":
        return _side(m, step, rule, negative=False)
    return hull(_side(m, step, rule, True), _side(m, step, rule, False))


def unround(
    number: ReportedNumber,
    rounding: str | Rule | tuple[Rule, ...],
    *,
    threshold: object = None,
    symmetric: bool | None = None,
) -> Ends:
    """The ends of the true values that ``rounding`` prints as ``number`` (scrutiny's
    ``unround()``); for a union (``up_or_down``, ...), the hull of its two rules.

    Examples
    --------
    >>> from cohort_reanalysis.verification._reported import parse_number
    >>> unround(parse_number("7.49"), "half_up")
    (Decimal('7.485'), Decimal('7.495'), True, False)
    >>> unround(parse_number("7.49"), "up_from", threshold=3)
    (Decimal('7.483'), Decimal('7.493'), True, False)
    """
    ends: Ends | None = None
    with localcontext(exact_context(number.value, number.step)):
        for rule in rules(rounding, threshold=threshold, symmetric=symmetric):
            this = _rounding_ends(number, rule)
            ends = this if ends is None else hull(ends, this)
    assert ends is not None
    return ends


def round_value(
    value: float | int | Decimal,
    decimals: int,
    procedure: str | Rule,
    *,
    threshold: object = None,
    symmetric: bool | None = None,
) -> Decimal:
    """Round exactly with one procedure, reading a float through its ``repr``.

    Examples
    --------
    >>> round_value(0.125, 2, "half_even"), round_value(2.675, 2, "half_up")
    (Decimal('0.12'), Decimal('2.68'))
    >>> round_value(-0.004, 2, "half_up")
    Decimal('-0.00')
    >>> round_value(-2.5, 0, "up"), round_value(-2.5, 0, "up", symmetric=True)
    (Decimal('-2'), Decimal('-3'))
    """
    if isinstance(procedure, str) and procedure in _COMPOUND:
        raise ValueError(
            f"cannot round with {procedure!r} (it is two procedures; pick "
            f"{' or '.join(rules(procedure)[i].name for i in (0, 1))})"
        )
    (rule,) = rules(procedure, threshold=threshold, symmetric=symmetric)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"decimals must be a non-negative integer, got {decimals!r}")
    x = as_decimal(value)
    if not x.is_finite():
        raise ValueError(f"cannot round {value!r}")
    quantum = Decimal(1).scaleb(-decimals)
    with localcontext(exact_context(x, quantum)):
        negative = x.is_signed()
        acting = rule.mirrored() if negative else rule
        q = abs(x).scaleb(decimals)
        k = q.to_integral_value(rounding=ROUND_FLOOR)
        f = q - k
        if rule.special in ("half_even", "even"):
            up = f > _HALF or (f == _HALF and k % 2 == 1)
        elif rule.special == "anti_trunc":
            up, negative = True, negative and bool(x)
        else:
            up = f > acting.cut or (f == acting.cut and acting.up_at_cut)
        out = (k + int(up)).scaleb(-decimals).quantize(quantum)
        return out.copy_negate() if negative else out


def round_to_text(
    value: float | int | Decimal,
    decimals: int,
    procedure: str | Rule,
    *,
    threshold: object = None,
    symmetric: bool | None = None,
) -> str:
    """Round as :func:`round_value` and print with exactly ``decimals`` decimals.

    The text reads back with :func:`parse_reported` to the same number and precision.
    ``procedure`` is any single procedure of the module's table, under either name.

    Parameters
    ----------
    value : float, int or Decimal
        The number to round; a float is read through its shortest ``repr``.
    decimals : int
        Decimals to keep, 0 or more.
    procedure : str
        Any single procedure of the module's table, under the library's name (``"half_up"``,
        ``"half_down"``, ``"half_even"``, ``"truncate"``, ``"ceiling"``, ``"floor"``) or
        scrutiny's (``"up"``, ``"down"``, ``"up_from"``, ``"down_from"``, ``"even"``,
        ``"trunc"``, ``"anti_trunc"``, ...).
    threshold : float, optional
        For ``up_from`` and ``down_from`` only: the digit (in tenths of a step, strictly
        between 0 and 10) from which a value rounds up (scrutiny's ``threshold``; default 5).
    symmetric : bool, optional
        For ``up``, ``down``, ``up_from`` and ``down_from`` only: negative numbers round as
        the mirror image of positive ones (scrutiny's ``symmetric``; default False).

    Returns
    -------
    str
        The rounded value with exactly ``decimals`` decimals.

    Examples
    --------
    >>> round_to_text(6.7, 2, "half_up"), round_to_text(-0.004, 2, "truncate")
    ('6.70', '-0.00')
    >>> round_to_text(4.28, 1, "up_from", threshold=9), round_to_text(8.42, 2, "anti_trunc")
    ('4.2', '8.43')
    """
    rounded = round_value(value, decimals, procedure, threshold=threshold, symmetric=symmetric)
    return f"{rounded:.{decimals}f}"
