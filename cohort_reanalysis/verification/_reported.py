"""Printed values: the grammar of a number as a paper prints it, read exactly.

A paper prints ``7.49``, ``-0.57``, ``1.55%``, ``1.1 × 10^-6`` or a pair such as
``6.3 to 12.4``. This module reads such text into :class:`ReportedNumber` and
:class:`ReportedPair`, keeping what the print says about precision (decimals, trailing zeros
included), sign (a printed ``-0.00``) and per-cent. What true values a print stands for is
the job of ``_interval`` and ``_rounding``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Context, Decimal
from typing import Literal

__all__ = [
    "NOT_SIGNIFICANT",
    "ReportedNumber",
    "ReportedPair",
    "ReportedValue",
    "parse_number",
    "parse_reported",
    "split_reported",
]


# A printed number: optional sign (ASCII or U+2212), digits with optional decimals or a bare
# ".05", an optional power of ten, an optional per-cent sign. ASCII digits only: no other
# script's digits. Two numbers are joined by " to ", a hyphen or en dash (optionally spaced),
# or plain spaces; the alternatives are tried in that order, so "6 -68" is the range 6 to 68,
# not 6 and -68.
# The power of ten as papers and their text extractions print it: "1.1e-06", "1.1E-6",
# "1.1 × 10^-6", "1.1×10−6" (a flattened superscript), "1.1 x 10**-6", "1.1×10⁻⁶".
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_EXPONENT = (
    r"[eE][+\-\u2212]?[0-9]+"
    r"|[ \u00a0]*[x\u00d7\u00b7*][ \u00a0]*10"
    rf"(?:(?:\^|\*\*)?[+\-\u2212]?[0-9]+|[\u207a\u207b]?[{_SUPERSCRIPTS}]+)"
)
_NUM = rf"([+\-\u2212]?)([0-9]+(?:\.[0-9]+)?|\.[0-9]+)((?:{_EXPONENT})?)(%?)"
# The same grammar without capturing groups, for split_reported.
_PRINTED = rf"[+\-\u2212]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:{_EXPONENT})?%?"
_EXPONENT_VALUE = re.compile(
    rf"(?:[eE]|10(?:\^|\*\*)?)([+\-\u2212\u207a\u207b]?[0-9{_SUPERSCRIPTS}]+)$"
)
_PLAIN_DIGITS = str.maketrans(_SUPERSCRIPTS + "\u207a\u207b\u2212", "0123456789+--")
_SEP = r"([ \u00a0]+to[ \u00a0]+|[ \u00a0]*[-\u2013][ \u00a0]*|[ \u00a0]+)"
_ONE = re.compile(_NUM)
_TWO = re.compile(_NUM + _SEP + _NUM)
# split_reported checks a claims file's text exactly as printed: no surrounding whitespace,
# and spaces are tried before a dash, so "1 -2" splits into 1 and -2, "1 - 2" into 1 and 2.
_SP = "[ \u00a0]"  # a space or a no-break space
_ONE_PRINTED = re.compile(_PRINTED)
_TWO_PRINTED = re.compile(
    rf"({_PRINTED})(?:{_SP}+to{_SP}+|{_SP}+|{_SP}*[-\u2013]{_SP}*)({_PRINTED})"
)

#: The largest power of ten read (beyond any double's range: 1e-999 and 1e999 are already
#: 0 and inf as floats), so that exact decimal arithmetic stays within its limits.
MAX_EXPONENT = 999

#: How papers print a p-value they only call not significant (statcheck reads "ns" too).
NOT_SIGNIFICANT = frozenset({"ns", "n.s."})


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
        digits = found.group(1).translate(_PLAIN_DIGITS)
        # (a long run of digits is too large before int() has to read it)
        exponent = int(digits) if len(digits) <= 6 else MAX_EXPONENT + 1
        if abs(exponent) > MAX_EXPONENT:
            raise ValueError(
                f"cannot read {text!r}: a power of ten beyond +-{MAX_EXPONENT} is no printed value"
            )
        # scaleb rounds to its context's precision: give it every printed digit.
        exact = Context(prec=max(28, len(value.as_tuple().digits)))
        value, decimals = value.scaleb(exponent, context=exact), decimals - exponent
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


def split_reported(text: str) -> tuple[str, ...] | None:
    """Split a printed value into its one or two numbers, or ``None`` if it is not one.

    Only the grammar is checked here (the claims parser's check of ``reported``); reading
    the numbers is :func:`parse_reported`'s job.

    Examples
    --------
    >>> split_reported("6.3 to 12.4"), split_reported("6-68"), split_reported("15.25 45.75")
    (('6.3', '12.4'), ('6', '68'), ('15.25', '45.75'))
    >>> split_reported("0.0000002"), split_reported("about 7") is None
    (('0.0000002',), True)
    """
    if not isinstance(text, str):
        return None
    if _ONE_PRINTED.fullmatch(text):
        return (text,)
    match = _TWO_PRINTED.fullmatch(text)
    if match:
        return (match.group(1), match.group(2))
    return None
