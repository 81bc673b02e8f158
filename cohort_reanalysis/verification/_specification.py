"""One analytic choice, the names of the choices, and one assignment of values to the
choices a claim touches."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = [
    "ALTERNATIVE",
    "CHOICE_ORDER",
    "CORRELATION",
    "DIRECTION",
    "EFFECT_SIZE",
    "PAIRING",
    "PERCENT_CHANGE",
    "QUANTILE_TYPE",
    "ROUNDING",
    "ROWS",
    "SD_DDOF",
    "SIGNED_RANK_LAW",
    "TEST",
    "VARIANCE",
    "Choice",
    "Specification",
]

DIRECTION = "direction"
QUANTILE_TYPE = "quantile_type"
SD_DDOF = "sd_ddof"
CORRELATION = "correlation"
EFFECT_SIZE = "effect_size"
PERCENT_CHANGE = "percent_change"
ALTERNATIVE = "alternative"
PAIRING = "pairing"
TEST = "test"
VARIANCE = "variance"
SIGNED_RANK_LAW = "signed_rank_law"
ROUNDING = "rounding"
ROWS = "rows"
BOUNDARY = "boundary"

#: Tie-break order of the choices (boundary choices come first, in the claim's order).
CHOICE_ORDER: tuple[str, ...] = (
    BOUNDARY,
    DIRECTION,
    QUANTILE_TYPE,
    SD_DDOF,
    CORRELATION,
    EFFECT_SIZE,
    PERCENT_CHANGE,
    ALTERNATIVE,
    PAIRING,
    TEST,
    VARIANCE,
    SIGNED_RANK_LAW,
    ROUNDING,
    ROWS,
)


@dataclass(frozen=True)
class Choice:
    """One analytic choice: its stated (or conventional) value and the alternatives tried.

    Examples
    --------
    >>> c = Choice("sd_ddof", 1, (0,), "SD divisor: n - ddof")
    >>> c.values
    (1, 0)
    """

    name: str
    stated_default: Any
    alternatives: tuple[Any, ...]
    description: str

    @property
    def values(self) -> tuple[Any, ...]:
        """The stated value first, then the alternatives in search order."""
        return (self.stated_default, *self.alternatives)


@dataclass(frozen=True)
class Specification:
    """An assignment of values to the choices a claim touches, next to the stated ones.

    Examples
    --------
    >>> s = Specification({"sd_ddof": 0, "rows": "all rows"}, {"sd_ddof": 1, "rows": "all rows"})
    >>> s.departures, s["sd_ddof"]
    (('sd_ddof',), 0)
    """

    values: Mapping[str, Any]
    stated: Mapping[str, Any] = field(repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))
        object.__setattr__(self, "stated", MappingProxyType(dict(self.stated)))

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def __hash__(self) -> int:
        return hash(tuple(self.values.items()))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Specification):
            return NotImplemented
        return dict(self.values) == dict(other.values) and dict(self.stated) == dict(other.stated)

    @property
    def departures(self) -> tuple[str, ...]:
        """Names of the choices that differ from the stated method, in the space's order."""
        return tuple(k for k, v in self.values.items() if self.stated.get(k) != v)

    @property
    def is_stated(self) -> bool:
        return not self.departures

    def to_dict(self) -> dict[str, Any]:
        """The assignment as a plain JSON-ready dict (choice name -> value)."""
        return dict(self.values)
