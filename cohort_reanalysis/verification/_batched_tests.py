"""P-values and correlations of a claim on many selections of rows at once.

The test-like companion of ``_batched``: for a ``pvalue`` of a paired, two-group or x/y
design (as claims@1 computes it, ``_test_statistics._pvalue``) and a ``correlation``, every
selection's value comes from the kernel's masked forms (``analyses._kernel._masked_tests``),
one call per method combination, with the values ``_test_statistics`` gives on each
selection to the last bit (tested). Where the kernel's 1-D form would refuse a selection
(too few values, a constant sample, every value tied), the reason is :data:`ASK_VARIANT`:
that selection's :class:`~._variant.Variant` computes it and names the problem in its own
words. Other test-like statistics return None (each selection's variant computes them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from ..analyses._kernel import (
    masked_correlation,
    masked_kruskal_wallis,
    masked_moments,
    masked_paired_moments,
    masked_rank_sum_parts,
    masked_signed_rank,
    p_from_t,
    p_from_z,
    rank_sum_z_from_parts,
    signed_rank_z,
    two_sample_t_from_moments,
)
from ._cohort_arrays import CohortArrays
from ._specification import ALTERNATIVE, CORRELATION, PAIRING, TEST, VARIANCE
from ._test_choices import COUNT_TESTS, ONE_SAMPLE, design
from .claims import Quantity

if TYPE_CHECKING:
    from ._batched import Batch, Selections

__all__ = ["ASK_VARIANT", "batched_test_values"]

#: The reason of a selection whose value the selection's variant computes (and explains).
ASK_VARIANT = "\x00ask the variant"

_KRUSKAL_SIDES = "Kruskal-Wallis is a two-sided test only"


def batched_test_values(
    arrays: CohortArrays,
    q: Quantity,
    sel: Selections,
    m: Mapping[str, Any],
    memo: dict[Any, Any],
) -> Batch | None:
    """``(values, reasons)`` of a p-value or a correlation on every selection, or None if
    the statistic or method has no batched form here."""
    stat = q.statistic
    if stat == "correlation":
        if q.x is None or q.y is None:
            return None
        est, _, _ = _correlation(arrays, q, sel, m.get(CORRELATION, "pearson"), memo)
        return _batch(est)
    if stat != "pvalue":
        return None
    kind = design(q)
    test = m.get(TEST, "t")
    if kind == ONE_SAMPLE or (kind != "xy" and test in COUNT_TESTS):
        return None
    alt = m.get(ALTERNATIVE, "two-sided")
    if q.x is not None:
        if q.y is None:
            return None
        _, z, df = _correlation(arrays, q, sel, m.get(CORRELATION, "pearson"), memo)
        return _batch(p_from_z(z, alt) if df is None else _p_of_t(z, df, alt))
    pairing = "unpaired" if sel.groups is not None else m.get(PAIRING, "paired")
    if pairing == "unpaired":
        return _unpaired(arrays, q, sel, test, m.get(VARIANCE, "student"), alt, memo)
    if test == "t":
        statistic, df = _paired_moments(arrays, q, sel, memo)[:2]
        return _batch(_p_of_t(statistic, df, alt))
    if test == "rank":
        key = ("signed rank",)
        if key not in memo:
            memo[key] = _per_sign(arrays, q, sel, masked_signed_rank)
        v, n, tie_term = memo[key]
        z = signed_rank_z(v, n, tie_term=tie_term, correct=True, alternative=alt)
        return _batch(np.where(np.isnan(v), np.nan, p_from_z(z, alt)))
    return None


def _batch(values: np.ndarray) -> Batch:
    """Values, with the variant asked where there is none."""
    why: list[str | None] = [None] * values.size
    for i in np.flatnonzero(np.isnan(values)).tolist():
        why[i] = ASK_VARIANT
    return np.asarray(values, dtype=np.float64)[:, None], why


def _p_of_t(t: np.ndarray, df: np.ndarray, alt: str) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        p = np.asarray(p_from_t(t, df, alt), dtype=np.float64)
    p[np.isnan(t)] = np.nan
    return p


def _signed(arrays: CohortArrays, q: Quantity, name: str, sign: float) -> np.ndarray:
    """A variable on every row; ``change`` in the claim's direction (``Variant.signed``)."""
    arr = arrays.numeric(name, q.pair)
    return arr * sign if name == "change" else arr


def _signed_rows(arrays: CohortArrays, q: Quantity, name: str, sel: Selections) -> np.ndarray:
    """A variable, as one row per selection where it is change and the signs differ."""
    arr = arrays.numeric(name, q.pair)
    if name != "change" or bool(np.all(sel.signs == 1.0)):
        return arr
    return arr[None, :] * sel.signs[:, None]


def _paired_moments(
    arrays: CohortArrays, q: Quantity, sel: Selections, memo: dict[Any, Any]
) -> tuple[np.ndarray, ...]:
    """The paired t of first - second (its statistic, df, ...) and the two samples' moments
    (n, mean, variance of each), of each selection's complete pairs, from one pass."""
    key = ("paired moments",)
    if key not in memo:
        p = q.pair
        before = arrays.numeric("before" if p is None else p.before, p)
        after = arrays.numeric("after" if p is None else p.after, p)

        def part(sign: float, rows: np.ndarray) -> tuple[np.ndarray, ...]:
            first, second = (before, after) if sign < 0 else (after, before)
            one, moments = masked_paired_moments(first, second, sel.masks[rows])
            return (*one, *moments)

        memo[key] = _stitch(sel.signs, part)
    out: tuple[np.ndarray, ...] = memo[key]
    return out


def _per_sign(
    arrays: CohortArrays, q: Quantity, sel: Selections, fn: Callable[[np.ndarray, np.ndarray], Any]
) -> Any:
    """``fn(d, masks)`` on the paired differences first - second (the claim's direction of
    change, ``Variant.before_after``) of each sign's selections, stitched field by field."""
    p = q.pair
    before = arrays.numeric("before" if p is None else p.before, p)
    after = arrays.numeric("after" if p is None else p.after, p)
    complete = sel.masks & ~(np.isnan(before) | np.isnan(after))
    return _stitch(
        sel.signs,
        lambda sign, rows: fn(before - after if sign < 0 else after - before, complete[rows]),
    )


def _stitch(signs: np.ndarray, part: Callable[[float, np.ndarray], Any]) -> Any:
    """``part(sign, rows)`` for each sign of the selections, its fields put back in order."""
    out: list[np.ndarray] | None = None
    fields: Any = None
    for sign in sorted(set(signs.tolist())):  # one or two signs: no np.unique
        rows = np.flatnonzero(signs == sign)
        found = part(float(sign), rows)
        if out is None:
            fields = found
            out = [np.full(signs.size, np.nan) if isinstance(f, np.ndarray) else f for f in found]
        for j, f in enumerate(found):
            if isinstance(f, np.ndarray):
                out[j][rows] = f
    assert out is not None
    return type(fields)(*out) if hasattr(fields, "_fields") else tuple(out)


def _correlation(
    arrays: CohortArrays, q: Quantity, sel: Selections, method: str, memo: dict[Any, Any]
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    key = ("corr", method)
    if key not in memo:
        assert q.x is not None and q.y is not None
        x_name, y_name = q.x, q.y
        if method == "kendall":  # S is one matrix product per pair of columns: by sign

            def part(sign: float, rows: np.ndarray) -> Any:
                x, y = _signed(arrays, q, x_name, sign), _signed(arrays, q, y_name, sign)
                return masked_correlation(x, y, sel.masks[rows], method)

            memo[key] = _stitch(sel.signs, part)
        else:  # change signed row by row: both signs in one call (one group per size)
            x, y = _signed_rows(arrays, q, x_name, sel), _signed_rows(arrays, q, y_name, sel)
            memo[key] = masked_correlation(x, y, sel.masks, method)
    est, stat, df = memo[key]
    return est, stat, df


def _unpaired(
    arrays: CohortArrays,
    q: Quantity,
    sel: Selections,
    test: str,
    variance: str,
    alt: str,
    memo: dict[Any, Any],
) -> Batch | None:
    """Two groups, or the before and after values as if unpaired (claims@1's ``pairing``)."""
    if sel.groups is not None:
        if q.variable is None:
            return None
        name = q.variable

        def samples(sign: float, rows: np.ndarray) -> tuple[np.ndarray, ...]:
            x = _signed(arrays, q, name, sign)
            assert sel.groups is not None
            return x, sel.groups[rows, 0], x, sel.groups[rows, 1]

    else:
        p = q.pair
        before = arrays.numeric("before" if p is None else p.before, p)
        after = arrays.numeric("after" if p is None else p.after, p)

        def samples(sign: float, rows: np.ndarray) -> tuple[np.ndarray, ...]:
            if ("complete",) not in memo:
                memo[("complete",)] = sel.masks & ~(np.isnan(before) | np.isnan(after))
            complete = memo[("complete",)]
            first, second = (before, after) if sign < 0 else (after, before)
            return first, complete[rows], second, complete[rows]

    if test == "t":
        if ("moments",) not in memo:  # shared by Student's and Welch's t
            if sel.groups is None:  # before and after: the paired pass has them
                memo[("moments",)] = _paired_moments(arrays, q, sel, memo)[5:]
            else:

                def moments(s: float, r: np.ndarray) -> tuple[np.ndarray, ...]:
                    a, am, b, bm = samples(s, r)
                    return (*masked_moments(a, am), *masked_moments(b, bm))

                memo[("moments",)] = _stitch(sel.signs, moments)
        key_t = ("t2", variance != "welch")
        if key_t not in memo:  # shared by the alternatives
            na, mean_a, var_a, nb, mean_b, var_b = memo[("moments",)]
            two = two_sample_t_from_moments(
                mean_a, var_a, na, mean_b, var_b, nb, equal_var=variance != "welch"
            )
            memo[key_t] = (np.where((na < 2) | (nb < 2), np.nan, two.statistic), two.df)
        t, df = memo[key_t]
        return _batch(_p_of_t(t, df, alt))
    if test == "rank":
        if ("rank sum",) not in memo:  # the ranks, shared by the alternatives
            memo[("rank sum",)] = _stitch(
                sel.signs, lambda s, r: masked_rank_sum_parts(*samples(s, r))
            )
        _, centred, sigma2 = memo[("rank sum",)]
        z = rank_sum_z_from_parts(centred, sigma2, correct=True, alternative=alt)
        return _batch(np.where(np.isnan(z), np.nan, p_from_z(z, alt)))
    if test != "kruskal":
        return None
    key_kw = ("kruskal",)
    if key_kw not in memo:

        def kw(s: float, r: np.ndarray) -> Any:
            a, am, b, bm = samples(s, r)
            return masked_kruskal_wallis([a, b], [am, bm])

        memo[key_kw] = _stitch(sel.signs, kw)
    _, _, p = memo[key_kw]
    if alt == "two-sided":
        return _batch(p)
    values, why = _batch(p)
    return np.full_like(values, np.nan), [
        ASK_VARIANT if w is not None else _KRUSKAL_SIDES for w in why
    ]
