"""Statistics of a claim on many selections of rows at once (one method combination).

A :class:`Selections` is what ``_space_values`` finds distinct among a space's data
choices: the rows each selects (a boolean matrix), its two groups, its sign of change, the
side of a proportion's condition. :func:`batched_values` computes a statistic on all of
them in one pass through the kernel's masked forms (``analyses._kernel._masked``), with the
same values and the same reasons for a failure as :class:`~._variant.Variant` gives on each
(tested). P-values and correlations are ``_batched_tests``'. It returns None for a
statistic without a batched form (intervals, test statistics, effect sizes, slopes,
proportions, percent changes), which each selection's variant then computes, or when the
claim needs a check that only the variant makes (a variable that is not numeric, a missing
level: the variant names the problem); a reason :data:`~._batched_tests.ASK_VARIANT` asks
the variant of that one selection.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..analyses._kernel import (
    masked_counts,
    masked_max,
    masked_mean,
    masked_min,
    masked_quantiles_all_types,
    masked_std,
)
from ._batched_tests import batched_test_values
from ._cohort_arrays import CohortArrays
from ._specification import QUANTILE_TYPE, SD_DDOF
from .claims import Condition, Quantity

__all__ = ["BATCHED", "Selections", "batched_values"]

#: Statistics computed for every selection at once.
BATCHED = frozenset(
    {
        "n",
        "count",
        "mean",
        "sd",
        "min",
        "max",
        "range",
        "median",
        "quantile",
        "quartiles",
        "mean_change",
        "difference_between",
    }
)

Batch = tuple[np.ndarray, list[str | None]]


@dataclass(frozen=True)
class Selections:
    """Distinct selections of rows: ``masks`` (k x rows), ``groups`` (k x 2 x rows or None),
    ``signs`` (k; -1 for a reduction) and the side of a proportion's condition."""

    masks: np.ndarray
    groups: np.ndarray | None
    signs: np.ndarray
    condition_ops: tuple[str | None, ...]


def batched_values(
    arrays: CohortArrays,
    q: Quantity,
    sel: Selections,
    method: Mapping[str, Any],
    memo: dict[Any, Any] | None = None,
) -> Batch | None:
    """``(values, reasons)``: values of shape (selections, ends), and for each selection
    None or why it has no value; None if the statistic has no batched form here. ``memo``
    keeps the work that several methods share (all nine quantile types come from one
    pass) between calls on the same selections."""
    memo = {} if memo is None else memo
    try:
        if q.statistic not in BATCHED:
            return batched_test_values(arrays, q, sel, method, memo)
        return _batched(arrays, q, sel, method, memo)
    except (ValueError, KeyError, ZeroDivisionError):
        return None  # the variant raises the same problem with its own words


def _by_sign(
    arrays: CohortArrays, q: Quantity, sel: Selections, name: str, fn: Callable[..., Any]
) -> Any:
    """``fn(values, rows)`` for each sign in turn (``change`` is signed), stitched."""
    out = None
    for sign in sorted(set(sel.signs.tolist())):  # one or two signs: no np.unique
        rows = np.flatnonzero(sel.signs == sign)
        arr = arrays.numeric(name, q.pair)
        part = fn(arr * sign if name == "change" else arr, rows)
        if out is None:
            out = np.full((sel.signs.size, *np.shape(part)[1:]), np.nan)
        out[rows] = part
    return out


def _empty(counts: np.ndarray, words: str, why: list[str | None]) -> None:
    for i in np.flatnonzero(counts == 0).tolist():
        why[i] = words


def _batched(
    arrays: CohortArrays, q: Quantity, sel: Selections, m: Mapping[str, Any], memo: dict[Any, Any]
) -> Batch:
    stat = q.statistic
    k = sel.masks.shape[0]
    why: list[str | None] = [None] * k
    if stat == "n":
        return sel.masks.sum(axis=1).astype(np.float64)[:, None], why
    if stat == "count":
        if q.level is None or q.variable is None:
            raise ValueError("the variant names what is missing")
        level = arrays.condition_mask(Condition(q.variable, "==", q.level), "==")
        return (sel.masks & level).sum(axis=1).astype(np.float64)[:, None], why
    if stat == "mean_change":
        return _mean_change(arrays, q, sel, why)
    if stat == "difference_between":
        return _difference(arrays, q, sel, why)
    if q.variable is None:
        raise ValueError("the variant names what is missing")
    var = q.variable

    def counts_of(x: np.ndarray, rows: np.ndarray) -> np.ndarray:
        return masked_counts(x, sel.masks[rows])

    if "counts" not in memo:
        memo["counts"] = _by_sign(arrays, q, sel, var, counts_of)
    counts = memo["counts"]
    _empty(counts, "no values in the subset", why)
    if stat in ("mean", "min", "max", "range"):
        fns = {"mean": (masked_mean,), "min": (masked_min,), "max": (masked_max,)}
        parts = fns.get(stat, (masked_min, masked_max))
        values = np.stack(
            [_by_sign(arrays, q, sel, var, lambda x, r, f=f: f(x, sel.masks[r])) for f in parts],
            axis=1,
        )
        return values, why
    if stat == "sd":
        ddof = int(m.get(SD_DDOF, 1))
        for i in np.flatnonzero((counts > 0) & (counts <= ddof)).tolist():
            why[i] = f"an SD with ddof {ddof} needs more than {ddof} values"
        values = _by_sign(arrays, q, sel, var, lambda x, r: masked_std(x, sel.masks[r], ddof=ddof))
        return values[:, None], why
    t = int(m.get(QUANTILE_TYPE, 7)) - 1
    probs = {"median": (0.5,), "quartiles": (0.25, 0.75)}.get(stat)
    if probs is None:
        probs = (float(q.prob),)  # type: ignore[arg-type]
    if "quantiles" not in memo:
        memo["quantiles"] = _by_sign(
            arrays, q, sel, var, lambda x, r: masked_quantiles_all_types(x, sel.masks[r], probs)
        )
    qs = memo["quantiles"]
    return qs[:, t, :], why


def _mean_change(
    arrays: CohortArrays, q: Quantity, sel: Selections, why: list[str | None]
) -> Batch:
    p = q.pair
    before = arrays.numeric("before" if p is None else p.before, p)
    after = arrays.numeric("after" if p is None else p.after, p)
    complete = sel.masks & ~(np.isnan(before) | np.isnan(after))
    _empty(complete.sum(axis=1), "no complete before/after pairs in the subset", why)
    out = np.full(sel.signs.size, np.nan)
    for sign in sorted(set(sel.signs.tolist())):  # one or two signs: no np.unique
        rows = np.flatnonzero(sel.signs == sign)
        # first - second is the claim's direction of change (Variant.before_after).
        d = before - after if sign < 0 else after - before
        out[rows] = masked_mean(d, complete[rows])
    return out[:, None], why


def _difference(arrays: CohortArrays, q: Quantity, sel: Selections, why: list[str | None]) -> Batch:
    if sel.groups is None or q.variable is None:
        raise ValueError("the variant names what is missing")
    a_masks, b_masks = sel.groups[:, 0], sel.groups[:, 1]

    def diff(x: np.ndarray, rows: np.ndarray) -> np.ndarray:
        a, b = a_masks[rows], b_masks[rows]
        na, nb = masked_counts(x, a), masked_counts(x, b)
        for i in np.flatnonzero((na == 0) | (nb == 0)).tolist():
            why[int(rows[i])] = f"a group is empty ({na[i]} and {nb[i]} values)"
        out: np.ndarray = masked_mean(x, a) - masked_mean(x, b)
        return out

    return _by_sign(arrays, q, sel, q.variable, diff)[:, None], why
