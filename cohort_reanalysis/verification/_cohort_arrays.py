"""A cohort's columns as arrays, with the masks and work verification caches per cohort.

:class:`CohortArrays` reads each column once, builds each condition's mask once per side of
its boundary, ANDs cached masks into subsets, and holds the per-selection work that
``_recompute`` shares between specifications.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..cohort import Cohort
from ._row_sets import RowSet, row_sets_from_provenance
from .claims import Condition, Pair

if TYPE_CHECKING:
    from ._variant import Variant

__all__ = ["CohortArrays", "compare"]


class CohortArrays:
    """A cohort's columns as arrays, with cached condition and row-set masks.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> arrays = CohortArrays(load_dataset("matsuoka2025"))
    >>> int(arrays.condition_mask(Condition("before", "<=", 8), "<=").sum())
    46
    """

    def __init__(self, cohort: Cohort, row_sets: Sequence[RowSet] | None = None) -> None:
        self.cohort = cohort
        self.rows = cohort.rows
        self.n = len(cohort)
        if row_sets is None:
            row_sets = row_sets_from_provenance(cohort.provenance.damaged_rows, self.rows)
        self.row_sets = tuple(row_sets)
        self._values: dict[str, np.ndarray] = {}
        self._masks: dict[tuple[Any, ...], np.ndarray] = {}
        # Work shared by every specification that selects the same rows (see _variant).
        self._variants: dict[tuple[Any, ...], Variant] = {}
        # Every value of a quantity over given data and method choices (see _space_values).
        self._tables: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def values(self, name: str, pair: Pair | None = None) -> np.ndarray:
        """Values of a role or column; ``change`` is after - before (of ``pair``'s columns
        if given, else of the roles)."""
        if pair is not None and name == "change":
            key = f"change of {pair.before} -> {pair.after}"
            if key not in self._values:
                arr = self.numeric(pair.after) - self.numeric(pair.before)
                arr.setflags(write=False)
                self._values[key] = arr
            return self._values[key]
        if name not in self._values:
            if name == "change" and self.cohort.column("change") is None:
                arr = self.cohort.values("after") - self.cohort.values("before")
            else:
                arr = self.cohort.values(name)
            arr.setflags(write=False)
            self._values[name] = arr
        return self._values[name]

    def numeric(self, name: str, pair: Pair | None = None) -> np.ndarray:
        arr = self.values(name, pair)
        if arr.dtype.kind != "f":
            raise ValueError(f"variable {name!r} is not numeric")
        return arr

    def present(self, name: str, pair: Pair | None = None) -> np.ndarray:
        """Rows where the variable has a value."""
        arr = self.values(name, pair)
        if arr.dtype.kind == "f":
            return ~np.isnan(arr)
        return np.array([a is not None for a in arr], dtype=bool)

    def condition_mask(self, cond: Condition, op: str, pair: Pair | None = None) -> np.ndarray:
        """Rows where ``cond.variable op cond.value`` holds (missing values: False); a
        condition on ``change`` is on ``pair``'s change if given."""
        pair = pair if cond.variable == "change" else None
        key = ("cond", cond.variable, op, cond.value, pair)
        mask = self._masks.get(key)
        if mask is None:
            arr = self.values(cond.variable, pair)
            value = cond.value
            if arr.dtype.kind == "f" and not isinstance(value, str):
                mask = compare(arr, op, float(value))
            elif op in ("==", "!="):
                eq = np.array([a is not None and _same(a, value) for a in arr], dtype=bool)
                present = np.array([a is not None for a in arr], dtype=bool)
                mask = eq if op == "==" else present & ~eq
            else:
                raise ValueError(
                    f"condition {cond.variable} {op} {value!r}: {op} needs a numeric "
                    "variable and value"
                )
            mask.setflags(write=False)
            self._masks[key] = mask
        return mask

    def subset_mask(
        self, conditions: Sequence[Condition], ops: Sequence[str], pair: Pair | None = None
    ) -> np.ndarray:
        key = ("subset", tuple(conditions), tuple(ops), pair)
        mask = self._masks.get(key)
        if mask is None:
            mask = np.ones(self.n, dtype=bool)
            for cond, op in zip(conditions, ops, strict=True):
                mask = mask & self.condition_mask(cond, op, pair)
            mask.setflags(write=False)
            self._masks[key] = mask
        return mask

    def rows_mask(self, name: str) -> np.ndarray:
        key = ("rows", name)
        mask = self._masks.get(key)
        if mask is None:
            found = [r for r in self.row_sets if r.name == name]
            if not found:
                raise ValueError(f"no declared row set {name!r}")
            mask = ~np.isin(self.rows, np.asarray(found[0].excluded, dtype=np.int64))
            mask.setflags(write=False)
            self._masks[key] = mask
        return mask


def compare(arr: np.ndarray, op: str, value: float) -> np.ndarray:
    """``arr op value`` elementwise for a numeric array (NaN: False for every op).

    Examples
    --------
    >>> compare(np.array([1.0, np.nan, 3.0]), "!=", 1.0).tolist()
    [False, False, True]
    """
    with np.errstate(invalid="ignore"):
        out: np.ndarray = {
            "==": arr == value,
            "!=": (arr != value) & ~np.isnan(arr),
            "<": arr < value,
            "<=": arr <= value,
            ">": arr > value,
            ">=": arr >= value,
        }[op]
    return out


def _same(a: object, b: object) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    try:
        return float(a) == float(b)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return a == b
