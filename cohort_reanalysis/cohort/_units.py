"""Plausible ranges of common clinical measures by unit, and what an implausible value looks like.

The ranges are deliberately wide (they catch a value in the wrong unit or a typo, not an unusual
patient). A column spec's own ``plausible`` range always wins over these defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["default_plausible", "unit_hint"]


def _key(text: str | None) -> str:
    return "".join((text or "").lower().split())


# (measure, unit) -> inclusive plausible range.
_RANGES: Mapping[tuple[str, str], tuple[float, float]] = MappingProxyType(
    {
        ("hba1c", "%"): (3.0, 20.0),
        ("hba1c", "mmol/mol"): (9.0, 195.0),
        ("glucose", "mg/dl"): (10.0, 2000.0),
        ("glucose", "mmol/l"): (0.5, 111.0),
        ("weight", "kg"): (1.0, 400.0),
        ("weight", "lb"): (2.0, 880.0),
        ("systolicbloodpressure", "mmhg"): (40.0, 300.0),
        ("diastolicbloodpressure", "mmhg"): (20.0, 200.0),
    }
)

# Units of any measure.
_UNIT_RANGES: Mapping[str, tuple[float, float]] = MappingProxyType(
    {
        "years": (0.0, 130.0),
        "months": (0.0, 1560.0),
        "weeks": (0.0, 6800.0),
        "days": (0.0, 47500.0),
    }
)


def default_plausible(measure: str | None, unit: str | None) -> tuple[float, float] | None:
    """The default plausible range for a measure in a unit, if one is known.

    Examples
    --------
    >>> default_plausible("HbA1c", "%")
    (3.0, 20.0)
    """
    found = _RANGES.get((_key(measure), _key(unit)))
    return found if found is not None else _UNIT_RANGES.get(_key(unit))


def unit_hint(measure: str | None, unit: str | None, value: float) -> str | None:
    """Say which other unit an implausible value would be plausible in.

    Examples
    --------
    >>> unit_hint("HbA1c", "%", 74.0)
    'HbA1c 74 is implausible in %; it looks like mmol/mol'
    """
    measure_key = _key(measure)
    others = [
        unit_name
        for (m, unit_name), (low, high) in _RANGES.items()
        if m == measure_key and unit_name != _key(unit) and low <= value <= high
    ]
    if not others:
        return None
    return f"{measure} {value:g} is implausible in {unit}; it looks like {' or '.join(others)}"
