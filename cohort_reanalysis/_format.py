"""Rendering numbers for people. Stored results keep full precision; only these round."""

from __future__ import annotations

import math

__all__ = ["count_noun", "format_number", "format_p", "format_plain"]


def format_number(value: float | int | None, digits: int = 3) -> str:
    """A number with ``digits`` significant digits (at least the integer part), or exactly
    when its shortest form has at most ``digits + 2`` of them.

    Examples
    --------
    >>> format_number(0.79310344), format_number(1489), format_number(None)
    ('0.793', '1489', '—')
    >>> format_number(15.25), format_number(45.75), format_number(2 / 3)
    ('15.25', '45.75', '0.667')
    >>> format_number(float("-inf"))
    '−∞'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float) and math.isinf(value):
        # One-sided confidence intervals have an infinite bound.
        return "∞" if value > 0 else "−∞"
    if isinstance(value, int) or (float(value).is_integer() and abs(value) < 1e15):
        return str(int(value))
    # A short number prints exactly (a quartile of 15.25 stays 15.25, not 15.2); rounding is
    # for the long tails of computed values.
    exact = repr(float(value))
    if "e" not in exact and len(exact.lstrip("-").replace(".", "").lstrip("0")) <= digits + 2:
        return exact
    magnitude = math.floor(math.log10(abs(value))) if value else 0
    decimals = max(digits - 1 - magnitude, 0)
    return f"{value:.{decimals}f}"


def format_plain(value: float | int | None, digits: int = 6) -> str:
    """A number without padding zeros, for order statistics and values as recorded.

    Medians, quartiles and ranges of recorded values print as papers print them (``35.5``,
    ``15.25``, ``6``), with up to ``digits`` significant digits and never an exponent.

    Examples
    --------
    >>> format_plain(35.5), format_plain(15.25), format_plain(6.0), format_plain(1 / 3)
    ('35.5', '15.25', '6', '0.333333')
    """
    text = format_number(value, digits)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_p(p: float | None) -> str:
    """A p-value as journals print it: three decimals, or ``< 0.001`` with its exponent.

    Examples
    --------
    >>> format_p(0.0122), format_p(1.06e-06)
    ('0.012', '1.1e-06')
    """
    if p is None or math.isnan(p):
        return "—"
    if p >= 0.001:
        return f"{p:.3f}"
    return f"{p:.1e}"


def count_noun(n: int, singular: str, plural: str | None = None) -> str:
    """A count with its noun in the right number: ``1 value``, ``6 values``, ``0 values``.

    ``plural`` defaults to ``singular + "s"``; give it for irregular nouns.

    Examples
    --------
    >>> count_noun(1, "value"), count_noun(6, "value"), count_noun(2, "stratum", "strata")
    ('1 value', '6 values', '2 strata')
    """
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"
