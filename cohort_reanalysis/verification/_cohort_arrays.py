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
from .claims import Condition

if TYPE_CHECKING:
    from ._recompute import _Variant

__all__ = ["CohortArrays"]


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
        self._variants: dict[tuple[Any, ...], _Variant] = {}

    def values(self, name: str) -> np.ndarray:
        """Values of a role or column; ``change`` is after - before."""
        if name not in self._values:
            if name == "change" and self.cohort.column("change") is None:
                arr = self.cohort.values("after") - self.cohort.values("before")
            else:
                arr = self.cohort.values(name)
            arr.setflags(write=False)
            self._values[name] = arr
        return self._values[name]

    def numeric(self, name: str) -> np.ndarray:
        arr = self.values(name)
        if arr.dtype.kind != "f":
            raise ValueError(f"variable {name!r} is not numeric")
        return arr

    def condition_mask(self, cond: Condition, op: str) -> np.ndarray:
        """Rows where ``cond.variable op cond.value`` holds (missing values: False)."""
        key = ("cond", cond.variable, op, cond.value)
        mask = self._masks.get(key)
        if mask is None:
            arr = self.values(cond.variable)
            value = cond.value
            if arr.dtype.kind == "f" and not isinstance(value, str):
                v = float(value)
                with np.errstate(invalid="ignore"):
                    mask = {
                        "==": arr == v,
                        "!=": (arr != v) & ~np.isnan(arr),
                        "<": arr < v,
                        "<=": arr <= v,
                        ">": arr > v,
                        ">=": arr >= v,
                    }[op]
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

    def subset_mask(self, conditions: Sequence[Condition], ops: Sequence[str]) -> np.ndarray:
        key = ("subset", tuple(conditions), tuple(ops))
        mask = self._masks.get(key)
        if mask is None:
            mask = np.ones(self.n, dtype=bool)
            for cond, op in zip(conditions, ops, strict=True):
                mask = mask & self.condition_mask(cond, op)
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


def _same(a: object, b: object) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    try:
        return float(a) == float(b)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return a == b
