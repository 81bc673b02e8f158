"""Every value of a claim's declared space, as arrays: one row per specification.

:func:`space_values` evaluates the whole space (``ClaimSpace.codes``) without a Python loop
per specification:

1. The specifications are split into their *data* choices (boundaries, direction, rows:
   which rows, and which sign) and their *method* choices (quantile type, test, ...;
   rounding changes no value). Each distinct combination of either kind is found once, as
   integers (``_space_codes.encode``).
2. The rows each data combination selects are built as a boolean matrix (one row per
   combination), by indexing the cached mask of each condition on each side of its
   boundary with the combination's codes; combinations that select the same rows with the
   same sign (a boundary no value sits on changes nothing) are one *selection*.
3. Each statistic is computed once per selection and method combination: by the batched
   forms of ``_batched`` (every selection at once, one call per method combination) where
   the statistic has one, else by the selection's :class:`~._variant.Variant`, whose cache
   shares a test between the choices that do not change it.
4. The values are gathered back to the specifications by index arrays.

The values are those of :func:`~._recompute.recompute` under each specification, to the
last bit (tested).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._batched import Selections, batched_values
from ._batched_tests import ASK_VARIANT
from ._cohort_arrays import CohortArrays
from ._space import DIRECTION, ROUNDING, ROWS, ClaimSpace, boundary_name
from ._space_codes import decode, encode
from ._variant import Failure, Outcome, shared_variant
from .claims import Condition, Quantity

__all__ = ["SpaceValues", "data_choice", "space_values"]


def data_choice(name: str) -> bool:
    """Whether a choice decides the rows or the sign (not the method)."""
    return name.startswith("boundary") or name in (DIRECTION, ROWS)


@dataclass(frozen=True)
class SpaceValues:
    """The value of every specification of a space, row for row of ``space.codes``.

    ``numbers`` has shape ``(specifications, ends)`` (``ends`` 2 for a pair of numbers: a
    range, quartiles, an interval); ``failure`` is -1 where a value was computed, else the
    index in ``reasons`` of why not (``numbers`` is NaN there).
    """

    numbers: np.ndarray
    failure: np.ndarray
    reasons: tuple[str, ...]

    @property
    def ends(self) -> int:
        return int(self.numbers.shape[1])

    def outcomes(self) -> list[Outcome]:
        """One :data:`~._variant.Outcome` per specification (floats, pairs, failures)."""
        failures = [Failure(r) for r in self.reasons]
        if self.ends == 1:
            values: list[Any] = self.numbers[:, 0].tolist()
        else:
            values = list(
                zip(*(self.numbers[:, e].tolist() for e in range(self.ends)), strict=True)
            )
        codes = self.failure.tolist()
        return [v if f < 0 else failures[f] for v, f in zip(values, codes, strict=True)]


def _distinct(codes: np.ndarray, sizes: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """(distinct rows of ``codes``, index of each row's distinct row)."""
    numbers = encode(codes, sizes)
    # np.unique's answer, by marking each number present among all prod(sizes): a few
    # calls where np.unique makes a dozen (space_codes enumerated the whole product).
    present = np.zeros(math.prod(sizes), dtype=bool)
    present[numbers] = True
    unique = np.flatnonzero(present)
    inverse = (np.cumsum(present) - 1)[numbers]
    return decode(unique, sizes), inverse


#: Up to this many data combinations (a claim whose only data choice is the row set), each
#: is its own selection: the values are the same, and finding duplicates costs more.
_FEW = 4


def _selections(
    arrays: CohortArrays, q: Quantity, space: ClaimSpace, cols: Sequence[int], codes: np.ndarray
) -> tuple[Selections, np.ndarray]:
    """The rows and sign of each data combination, as distinct selections, and the index of
    each combination's selection."""
    choices = [space.choices[j] for j in cols]
    column = {c.name: i for i, c in enumerate(choices)}
    k = codes.shape[0]

    def values_of(name: str, default: Any) -> list[Any]:
        if name not in column:
            return [default] * k
        values = choices[column[name]].values
        return [values[i] for i in codes[:, column[name]].tolist()]

    def mask_of(conds: Sequence[Condition]) -> np.ndarray:
        rows = space.choice(ROWS).values
        masks = np.stack([arrays.rows_mask(r) for r in rows])
        out = masks[codes[:, column[ROWS]]]
        for cond in conds:
            name = boundary_name(cond)
            if name in column:
                ops = choices[column[name]].values
                sides = np.stack([arrays.condition_mask(cond, op, q.pair) for op in ops])
                out = out & sides[codes[:, column[name]]]
            else:
                out = out & arrays.condition_mask(cond, cond.op, q.pair)
        return out

    masks = mask_of(q.subset)
    groups = None
    if q.groups is not None:
        groups = np.stack([mask_of(q.groups[0]), mask_of(q.groups[1])], axis=1)
    direction = values_of(DIRECTION, q.direction or "change")
    signs = np.array([-1.0 if d == "reduction" else 1.0 for d in direction])
    cond = q.condition
    ops = [None] * k if cond is None else values_of(boundary_name(cond), cond.op)
    op_codes = np.array([0 if op is None else "<<=>>=!=".find(op) + 1 for op in ops])
    # One selection per distinct (rows, groups, sign, side of the condition).
    if k <= _FEW:  # a few combinations: a duplicate costs less than finding it
        first = selection = np.arange(k)
    else:
        parts = [np.packbits(masks, axis=1)]
        if groups is not None:
            parts.append(np.packbits(groups.reshape(k, -1), axis=1))
        parts += [(signs > 0).astype(np.uint8)[:, None], op_codes.astype(np.uint8)[:, None]]
        keys = np.concatenate(parts, axis=1)
        # Each row as one opaque scalar: sorted bytewise, the order np.unique(axis=0) gives
        # rows of bytes, at a tenth of the cost of its structured dtype of one field a byte.
        rows = keys.view(np.dtype((np.void, keys.shape[1]))).reshape(k)
        _, first, selection = np.unique(rows, return_index=True, return_inverse=True)
    sel = Selections(
        masks=masks[first],
        groups=None if groups is None else groups[first],
        signs=signs[first],
        condition_ops=tuple(ops[i] for i in first.tolist()),
    )
    return sel, selection.reshape(-1)


def space_values(arrays: CohortArrays, quantity: Quantity, space: ClaimSpace) -> SpaceValues:
    """The value of every specification of ``space`` (rows of ``space.codes``).

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> from cohort_reanalysis.verification._space import build_space
    >>> q = Quantity("median", variable="followup")
    >>> space = build_space(q)
    >>> out = space_values(CohortArrays(load_dataset("matsuoka2025")), q, space)
    >>> out.numbers.shape, float(out.numbers[0, 0]), int(out.failure.max())
    ((36, 1), 35.5, -1)
    """
    names = space.names
    sizes = [len(c.values) for c in space.choices]
    codes = space.codes
    data_cols = [j for j, n in enumerate(names) if data_choice(n)]
    method_cols = [j for j, n in enumerate(names) if not data_choice(n) and n != ROUNDING]
    data_codes, data_of = _distinct(codes[:, data_cols], [sizes[j] for j in data_cols])
    method_codes, method_of = _distinct(codes[:, method_cols], [sizes[j] for j in method_cols])
    # Claims that state the same quantity over the same data and method choices (a median
    # printed twice, two claims on one p-value) share one evaluation per cohort.
    key = (
        quantity,
        tuple((names[j], space.choices[j].values) for j in data_cols),
        tuple((names[j], space.choices[j].values) for j in method_cols),
        data_codes.tobytes(),
        method_codes.tobytes(),
    )
    found = arrays._tables.get(key)
    if found is None:
        selections, selection_of = _selections(arrays, quantity, space, data_cols, data_codes)
        methods = [
            {
                names[j]: space.choices[j].values[int(i)]
                for j, i in zip(method_cols, row, strict=True)
            }
            for row in method_codes
        ]
        found = (selection_of, *_table(arrays, quantity, selections, methods))
        arrays._tables[key] = found
    selection_of, table, fails, reasons = found
    rows = selection_of[data_of]
    return SpaceValues(table[rows, method_of], fails[rows, method_of], reasons)


def _table(
    arrays: CohortArrays,
    q: Quantity,
    sel: Selections,
    methods: Sequence[dict[str, Any]],
) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """Values (selections x methods x ends), failure codes and the reasons."""
    n_sel = sel.masks.shape[0]
    reasons: dict[str, int] = {}
    columns: list[tuple[np.ndarray, np.ndarray | None]] = []
    variants: dict[int, Any] = {}
    memo: dict[Any, Any] = {}

    def variant(u: int) -> Any:
        if u not in variants:
            variants[u] = shared_variant(
                arrays,
                q,
                sel.masks[u],
                None if sel.groups is None else (sel.groups[u, 0], sel.groups[u, 1]),
                float(sel.signs[u]),
                sel.condition_ops[u],
            )
        return variants[u]

    for method in methods:
        found = batched_values(arrays, q, sel, method, memo)
        if found is None:  # no batched form: each selection's variant, with its cache
            values, why = _from_outcomes([variant(u).compute(method) for u in range(n_sel)])
        else:
            values, why = found
            asked = [u for u, w in enumerate(why) if w == ASK_VARIANT]
            if asked:  # the selections the kernel refuses: the variant says why
                values = np.array(values, dtype=np.float64)
                more, reasons_of = _from_outcomes([variant(u).compute(method) for u in asked])
                values[asked, : more.shape[1]] = more
                why = list(why)
                for u, w in zip(asked, reasons_of, strict=True):
                    why[u] = w
        if any(w is not None for w in why):
            codes = np.array(
                [-1 if w is None else reasons.setdefault(w, len(reasons)) for w in why]
            )
            values = np.where((codes >= 0)[:, None], np.nan, values)
            columns.append((values, codes.reshape(n_sel)))
        else:  # every selection has a value: no failure codes (fails is -1 already)
            columns.append((values, None))
    ends = max((v.shape[1] for v, _ in columns), default=1)
    table = np.full((n_sel, len(methods), ends), np.nan)
    fails = np.full((n_sel, len(methods)), -1, dtype=np.int64)
    for m, (values, failed) in enumerate(columns):
        table[:, m, : values.shape[1]] = values
        if failed is not None:
            fails[:, m] = failed
    return table, fails, tuple(reasons)


def _from_outcomes(found: Sequence[Outcome]) -> tuple[np.ndarray, list[str | None]]:
    ends = max((len(o) for o in found if isinstance(o, tuple)), default=1)
    values = np.full((len(found), ends), np.nan)
    why: list[str | None] = []
    for i, out in enumerate(found):
        if isinstance(out, Failure):
            why.append(out.reason)
            continue
        values[i] = out
        why.append(None)
    return values, why
