"""Rendering numbers for people. Stored results keep full precision; only these round."""

from __future__ import annotations

import math

__all__ = ["format_number", "format_p"]


def format_number(value: float | int | None, digits: int = 3) -> str:
    """A number with ``digits`` significant digits (at least the integer part).

    Examples
    --------
    >>> format_number(0.79310344), format_number(1489), format_number(None)
    ('0.793', '1489', '—')
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
    magnitude = math.floor(math.log10(abs(value))) if value else 0
    decimals = max(digits - 1 - magnitude, 0)
    return f"{value:.{decimals}f}"


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
