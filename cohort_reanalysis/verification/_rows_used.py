"""Which rows a claim's value was computed from, and which it left out and why.

Every patient is accounted for: a claim's result says how many rows its value used
(``n_used``) and lists every other printed row with its reason (``excluded``): left out by a
declared row set, outside the claim's subset or groups, or missing a value the statistic
needs. The rows are selected as :mod:`._recompute` selects them (row set, then subset or
groups with the specification's boundaries, then complete values of the variables used).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..cohort import Exclusion
from ._cohort_arrays import CohortArrays
from ._row_sets import ALL_ROWS
from ._space import ROWS, boundary_name
from .claims import Condition, Quantity

__all__ = ["RowsUsed", "rows_used", "used_variables"]


@dataclass(frozen=True)
class RowsUsed:
    """How many rows a value used, and every row left out with its reason (file order).

    Examples
    --------
    >>> RowsUsed(9, (Exclusion(2, "missing before"),)).n_used
    9
    """

    n_used: int
    excluded: tuple[Exclusion, ...] = ()


# Statistics whose value is a count of rows: they need no variable's value.
_COUNTS = frozenset({"n", "count"})


def used_variables(q: Quantity, arrays: CohortArrays | None = None) -> tuple[str, ...]:
    """The variables whose values the statistic reads (a row missing one is left out).

    Examples
    --------
    >>> used_variables(Quantity("mean_change"))
    ('before', 'after')
    >>> used_variables(Quantity("correlation", x="dose", y="change"))
    ('dose', 'before', 'after')
    """
    if q.statistic in _COUNTS:
        return ()
    if q.statistic == "row_identity":
        return tuple(n for n in (q.column, *(q.equals.of if q.equals else ())) if n)
    if q.statistic == "proportion" and q.condition is not None:
        return _expand_all(q.condition.variable, q, arrays)
    if q.x is not None or q.y is not None:
        return tuple(v for n in (q.x, q.y) if n for v in _expand_all(n, q, arrays))
    if q.variable is not None and q.variable != "change":
        return (q.variable,)
    return _expand_all("change", q, arrays)


def _expand_all(name: str, q: Quantity, arrays: CohortArrays | None) -> tuple[str, ...]:
    """``change`` is read from its two columns (a row misses it if it misses either), unless
    the table prints a change column of its own."""
    if name != "change":
        return (name,)
    if arrays is not None and arrays.cohort.column("change") is not None and q.pair is None:
        return ("change",)
    if q.pair is not None:
        return (q.pair.before, q.pair.after)
    return ("before", "after")


def _missing(arrays: CohortArrays, name: str) -> np.ndarray:
    values = arrays.values(name)
    if values.dtype.kind == "f":
        return np.isnan(values)
    return np.array([v is None for v in values], dtype=bool)


def _num(value: object) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _conditions_text(conds: Sequence[Condition], spec: Mapping[str, Any]) -> str:
    return " and ".join(
        f"{c.variable} {spec.get(boundary_name(c), c.op)} {_num(c.value)}" for c in conds
    )


def _selection(
    conds: Sequence[Condition], spec: Mapping[str, Any], arrays: CohortArrays
) -> tuple[np.ndarray, list[tuple[np.ndarray, str]]]:
    """The rows the conditions keep, and (mask of rows missing a condition's variable,
    its name) for each condition."""
    ops = [spec.get(boundary_name(c), c.op) for c in conds]
    keep = arrays.subset_mask(conds, ops)
    return keep, [(_missing(arrays, c.variable), c.variable) for c in conds]


def rows_used(q: Quantity, spec: Mapping[str, Any], arrays: CohortArrays) -> RowsUsed:
    """The rows a quantity's value uses under one specification, and every row left out.

    ``spec`` holds the choice values (a boundary's operator, the ``rows`` set); choices left
    out take their stated value.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import Cohort
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"b": [7.0, None, 8.5, 9.0], "a": [6.5, 6.0, 8.0, None]})
    >>> arrays = CohortArrays(Cohort.from_frame(frame, columns={"before": "b", "after": "a"}))
    >>> used = rows_used(Quantity("mean_change"), {}, arrays)
    >>> used.n_used, [(e.row, e.reason) for e in used.excluded]
    (2, [(2, 'missing before'), (4, 'missing after')])
    >>> used = rows_used(Quantity("n", subset=(Condition("before", ">=", 8),)), {}, arrays)
    >>> used.n_used, [(e.row, e.reason) for e in used.excluded]
    (2, [(1, 'outside the subset before >= 8'), (2, 'missing before (subset before >= 8)')])
    """
    reasons: list[str | None] = [None] * arrays.n
    name = spec.get(ROWS, ALL_ROWS)
    if name != ALL_ROWS:
        left_out = ~arrays.rows_mask(name)
        why = next((r.reason for r in arrays.row_sets if r.name == name), "")
        text = f"left out by the row set '{name}'" + (f" ({why})" if why else "")
        for i in np.flatnonzero(left_out):
            reasons[i] = text

    def mark(mask: np.ndarray, text: str) -> None:
        for i in np.flatnonzero(mask):
            if reasons[i] is None:
                reasons[i] = text

    if q.subset:
        keep, missing = _selection(q.subset, spec, arrays)
        words = _conditions_text(q.subset, spec)
        for miss, variable in missing:
            mark(miss & ~keep, f"missing {variable} (subset {words})")
        mark(~keep, f"outside the subset {words}")
    if q.groups is not None:
        first, miss_first = _selection(q.groups[0], spec, arrays)
        second, miss_second = _selection(q.groups[1], spec, arrays)
        outside = ~(first | second)
        for miss, variable in (*miss_first, *miss_second):
            mark(miss & outside, f"missing {variable} (groups)")
        words = (
            f"{_conditions_text(q.groups[0], spec) or 'all'} vs "
            f"{_conditions_text(q.groups[1], spec) or 'all'}"
        )
        mark(outside, f"in neither group ({words})")
    for variable in used_variables(q, arrays):
        mark(_missing(arrays, variable), f"missing {variable}")
    excluded = tuple(
        Exclusion(int(row), why) for row, why in zip(arrays.rows, reasons, strict=True) if why
    )
    return RowsUsed(arrays.n - len(excluded), excluded)
