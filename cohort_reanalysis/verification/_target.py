"""A claim's reported value as intervals in the data's unit, and the check of computed
values against it: one value (:meth:`Target.check`) or an array of them
(:meth:`Target.check_many`, the same answers without a loop per value)."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import numpy as np

from ._interval import Interval, contains, contains_many, interval
from ._reported import ReportedNumber, ReportedPair, parse_reported
from ._variant import Value

__all__ = ["Target"]


class Target:
    """A claim's reported value as intervals in the data's unit, one per rounding.

    Examples
    --------
    >>> t = Target("0.58", "=")
    >>> t.check(0.5755, "up_or_down")
    (True, 0.0)
    """

    def __init__(
        self,
        reported: str,
        comparator: str,
        *,
        scale: float = 1.0,
        log_scale: bool = False,
        exact: bool = False,
    ) -> None:
        parsed = parse_reported(reported)
        self.numbers: tuple[ReportedNumber, ...] = (
            parsed.numbers if isinstance(parsed, ReportedPair) else (parsed,)
        )
        # A count printed with "=" is exact: 58 against "61" is 3 away, not 2.5.
        self.exact = exact and comparator == "="
        self.comparator = comparator
        self.scale = Decimal(repr(float(scale)))
        self.log_scale = log_scale
        self._intervals: dict[tuple[int, str], Interval] = {}
        self._checks: dict[tuple[Any, str], tuple[bool, float]] = {}

    @property
    def n_ends(self) -> int:
        return len(self.numbers)

    def interval(self, end: int, rounding: str) -> Interval:
        key = (end, rounding if self.comparator == "=" else "")
        iv = self._intervals.get(key)
        if iv is None and self.exact:
            v = self.numbers[end].value
            iv = Interval(v, v, True, True)
        if iv is None:
            iv = interval(
                self.numbers[end],
                rounding=rounding,  # type: ignore[arg-type]
                comparator=self.comparator,  # type: ignore[arg-type]
            )
            if self.scale != 1:
                iv = iv.scaled(self.scale)
            self._intervals[key] = iv
        return iv

    def _distance(self, x: float, iv: Interval) -> float:
        low, high = float(iv.low), float(iv.high)
        end = low if x <= low else high
        if self.log_scale:
            if x <= 0 or end <= 0:
                return math.inf
            return abs(math.log10(x) - math.log10(end))
        return abs(x - end)

    def check(self, value: Value, rounding: str) -> tuple[bool, float]:
        """(reproduces, distance to the interval; 0 inside)."""
        key = (value, rounding)
        hit = self._checks.get(key)
        if hit is not None:
            return hit
        ends = value if isinstance(value, tuple) else (value,)
        if len(ends) != self.n_ends:
            raise ValueError(f"{len(ends)} values against {self.n_ends} reported numbers")
        ok, dist = True, 0.0
        for i, x in enumerate(ends):
            if not math.isfinite(x):
                ok, dist = False, math.inf
                continue
            iv = self.interval(i, rounding)
            if not contains(iv, x):
                ok = False
                dist = max(dist, self._distance(x, iv))
        self._checks[key] = (ok, dist)
        return ok, dist

    def check_many(
        self, values: np.ndarray, rounding: str, *, distances: bool = True
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`check` for each row of ``values`` (shape ``(k, n_ends)``): ``(reproduces,
        distance)`` arrays. A NaN or infinite value neither reproduces nor has a distance
        (inf). The log-scale distances come from numpy's log10, which may differ from
        :meth:`check`'s in the last bit: exact distances come from :meth:`check`. Without
        ``distances``, the distance of a value that does not reproduce is left at 0.

        Examples
        --------
        >>> ok, dist = Target("0.58", "=").check_many(np.array([[0.5755], [0.59]]), "up_or_down")
        >>> ok.tolist(), [round(d, 12) for d in dist.tolist()]
        ([True, False], [0.0, 0.005])
        """
        x = np.asarray(values, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != self.n_ends:
            raise ValueError(f"{x.shape[-1]} values against {self.n_ends} reported numbers")
        ok = np.ones(x.shape[0], dtype=bool)
        dist = np.zeros(x.shape[0])
        finite = np.ones(x.shape[0], dtype=bool)
        for i in range(self.n_ends):
            iv = self.interval(i, rounding)
            inside = contains_many(iv, x[:, i])
            finite &= np.isfinite(x[:, i])
            ok &= inside
            if distances:
                dist = np.where(inside, dist, np.maximum(dist, self._distances(x[:, i], iv)))
        ok &= finite
        return ok, np.where(finite, dist, math.inf)

    def _distances(self, x: np.ndarray, iv: Interval) -> np.ndarray:
        low, high = float(iv.low), float(iv.high)
        end = np.where(x <= low, low, high)
        with np.errstate(invalid="ignore", divide="ignore"):
            if self.log_scale:
                good = (x > 0) & (end > 0)
                safe_x, safe_end = np.where(good, x, 1.0), np.where(good, end, 1.0)
                out = np.abs(np.log10(safe_x) - np.log10(safe_end))
                return np.where(good, out, math.inf)
            return np.abs(x - end)
