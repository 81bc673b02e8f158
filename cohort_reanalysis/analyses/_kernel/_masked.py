"""Statistics of one variable on many row subsets at once, given as a boolean mask matrix.

A mask matrix has one row per subset and one column per row of the table. Each routine
gives, for every subset, what its 1-D form gives on ``values[mask]`` with the NaNs dropped,
to the last bit: the subsets are grouped by their size and each group is laid out as a
dense matrix (one subset per row, its values in table order), on which numpy's reductions
along the last axis do exactly the arithmetic they do on one sample (the same pairwise
summation). A subset with too few values gives NaN; the caller says why.

:func:`masked_quantiles_all_types` sorts the values once for every subset and every
Hyndman & Fan type (the positions come from ``_quantiles``, the one place of that formula).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt

from ._quantiles import _as_probs, _from_sorted, _positions_all

__all__ = [
    "masked_counts",
    "masked_groups",
    "masked_max",
    "masked_mean",
    "masked_min",
    "masked_moments",
    "masked_moments_many",
    "masked_quantiles_all_types",
    "masked_std",
]

Floats = npt.NDArray[np.float64]


def _selected(values: npt.ArrayLike, masks: npt.ArrayLike) -> tuple[Floats, np.ndarray]:
    x = np.asarray(values, dtype=np.float64)
    m = np.asarray(masks, dtype=bool)
    if m.ndim != 2 or m.shape[1] != x.shape[-1]:
        raise ValueError(f"masks must have shape (k, {x.shape[-1]}), got {m.shape}")
    return x, m & ~np.isnan(x)


def masked_counts(values: npt.ArrayLike, masks: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """How many non-NaN values each subset selects.

    Examples
    --------
    >>> masked_counts([1.0, np.nan, 3.0], [[1, 1, 1], [0, 1, 0]]).tolist()
    [2, 0]
    """
    _, m = _selected(values, masks)
    out: npt.NDArray[np.int64] = m.sum(axis=1, dtype=np.int64)
    return out


def masked_groups(
    values: npt.ArrayLike, masks: npt.ArrayLike
) -> Iterator[tuple[npt.NDArray[np.intp], Floats]]:
    """``(subsets, samples)`` for each size of subset: the indices of the subsets (rows of
    ``masks``) that select that many non-NaN values, and their values as a dense matrix, one
    subset per row in table order. Empty subsets are left out.

    Examples
    --------
    >>> groups = masked_groups([1.0, 2.0, 3.0], [[1, 0, 1], [0, 1, 0]])
    >>> [(i.tolist(), s.tolist()) for i, s in groups]
    [([1], [[2.0]]), ([0], [[1.0, 3.0]])]
    """
    x, m = _selected(values, masks)
    sizes = m.sum(axis=1)
    order = np.argsort(sizes, kind="stable")
    bounds = np.flatnonzero(np.diff(sizes[order])) + 1
    for rows in np.split(order, bounds):
        if rows.size == 0:
            continue
        k = int(sizes[rows[0]])
        if k == 0:
            continue
        # The selected columns, row after row (nonzero's order): each subset's values.
        dense = x[m[rows].nonzero()[1]].reshape(rows.size, k)
        yield rows, dense


def _per_group(
    values: npt.ArrayLike, masks: npt.ArrayLike, reduce: object, min_size: int
) -> Floats:
    m = np.asarray(masks, dtype=bool)
    out = np.full(m.shape[0], np.nan)
    for rows, dense in masked_groups(values, m):
        if dense.shape[1] >= min_size:
            out[rows] = reduce(dense)  # type: ignore[operator]
    return out


def masked_mean(values: npt.ArrayLike, masks: npt.ArrayLike) -> Floats:
    """Each subset's mean, as ``values[mask]`` without NaN ``.mean()`` (NaN if empty).

    Examples
    --------
    >>> masked_mean([1.0, 2.0, 6.0], [[1, 1, 1], [1, 0, 0], [0, 0, 0]]).tolist()
    [3.0, 1.0, nan]
    """
    return _per_group(values, masks, lambda d: d.mean(axis=1), 1)


def masked_std(values: npt.ArrayLike, masks: npt.ArrayLike, *, ddof: int = 1) -> Floats:
    """Each subset's SD with divisor ``n - ddof``, as ``.std(ddof=ddof)`` (NaN if
    ``n <= ddof``).

    Examples
    --------
    >>> masked_std([1.0, 2.0, 6.0], [[1, 1, 1], [1, 0, 0]], ddof=1).tolist()
    [2.6457513110645907, nan]
    """
    return _per_group(values, masks, lambda d: d.std(axis=1, ddof=ddof), ddof + 1)


def masked_moments(
    values: npt.ArrayLike, masks: npt.ArrayLike
) -> tuple[npt.NDArray[np.int64], Floats, Floats]:
    """Each subset's size, mean and variance with divisor ``n - 1`` (NaN where it has fewer
    than 2 values; the mean NaN where it has none), as ``.mean()`` and ``.var(ddof=1)``.

    Examples
    --------
    >>> n, mean, var = masked_moments([1.0, 2.0, 6.0], [[1, 1, 1], [1, 0, 0]])
    >>> n.tolist(), mean.tolist(), var.tolist()
    ([3, 1], [3.0, 1.0], [7.0, nan])
    """
    n, means, variances = masked_moments_many([values], masks)
    return n, means[0], variances[0]


def masked_moments_many(
    columns: Sequence[npt.ArrayLike], masks: npt.ArrayLike
) -> tuple[npt.NDArray[np.int64], Floats, Floats]:
    """:func:`masked_moments` of several columns on the same rows: each subset's rows where
    the mask holds and no column is NaN. Returns the sizes (k) and the means and variances
    (columns x k), from one mean and one variance call per subset size (the columns' samples
    stacked as rows: each row's reduction is the one of its sample alone).

    Examples
    --------
    >>> n, means, var = masked_moments_many([[1.0, 2.0, 6.0], [2.0, 2.0, np.nan]], [[1, 1, 1]])
    >>> n.tolist(), means.tolist(), var.tolist()
    ([2], [[1.5], [2.0]], [[0.5], [0.0]])
    """
    cols = [np.asarray(c, dtype=np.float64) for c in columns]
    m = np.asarray(masks, dtype=bool)
    for c in cols:
        m = m & ~np.isnan(c)
    k = m.shape[0]
    n = m.sum(axis=1, dtype=np.int64)
    means = np.full((len(cols), k), np.nan)
    variances = np.full((len(cols), k), np.nan)
    sizes = np.argsort(n, kind="stable")
    bounds = np.flatnonzero(np.diff(n[sizes])) + 1
    for rows in np.split(sizes, bounds):
        size = int(n[rows[0]]) if rows.size else 0
        if size == 0:
            continue
        picked = m[rows].nonzero()[1]  # as in masked_groups
        dense = np.stack([c[picked] for c in cols])
        dense = dense.reshape(len(cols) * rows.size, size)
        means[:, rows] = dense.mean(axis=1).reshape(len(cols), rows.size)
        if size > 1:
            variances[:, rows] = dense.var(axis=1, ddof=1).reshape(len(cols), rows.size)
    return n, means, variances


def masked_min(values: npt.ArrayLike, masks: npt.ArrayLike) -> Floats:
    """Each subset's smallest value (NaN if empty).

    Examples
    --------
    >>> masked_min([3.0, 2.0, 6.0], [[1, 1, 1], [1, 0, 1]]).tolist()
    [2.0, 3.0]
    """
    x, m = _selected(values, masks)
    with np.errstate(invalid="ignore"):
        out = np.where(m, x, np.inf).min(axis=1, initial=np.inf)
    out[~m.any(axis=1)] = np.nan
    return out


def masked_max(values: npt.ArrayLike, masks: npt.ArrayLike) -> Floats:
    """Each subset's largest value (NaN if empty).

    Examples
    --------
    >>> masked_max([3.0, 2.0, 6.0], [[1, 1, 0], [0, 0, 0]]).tolist()
    [3.0, nan]
    """
    x, m = _selected(values, masks)
    out = np.where(m, x, -np.inf).max(axis=1, initial=-np.inf)
    out[~m.any(axis=1)] = np.nan
    return out


def masked_quantiles_all_types(
    values: npt.ArrayLike, masks: npt.ArrayLike, probs: npt.ArrayLike
) -> Floats:
    """Each subset's quantiles under all nine definitions, sorting the values once.

    Returns
    -------
    numpy.ndarray
        Shape ``(k, 9, len(probs))``: for subset ``i``, what
        ``quantiles_all_types(values[masks[i]], probs)`` gives (NaN for an empty subset).

    Examples
    --------
    >>> from cohort_reanalysis.analyses._kernel import quantiles_all_types
    >>> x = [4.0, 1.0, 3.0, 2.0]
    >>> out = masked_quantiles_all_types(x, [[1, 1, 1, 1], [1, 1, 0, 0]], [0.5])
    >>> bool((out[0] == quantiles_all_types(x, [0.5])).all()), float(out[1, 6, 0])
    (True, 2.5)
    """
    x, m = _selected(values, masks)
    p = _as_probs(probs)
    if not np.all(np.isfinite(x[m.any(axis=0)])):
        raise ValueError("values contain infinite values; remove them explicitly first")
    # One stable sort of the table: every subset's values, read in this order, are sorted.
    order = np.argsort(np.where(np.isnan(x), np.inf, x), kind="stable")
    out = np.full((m.shape[0], 9, p.size), np.nan)
    for rows, dense in masked_groups(x[order], m[:, order]):
        n = dense.shape[1]
        j, g = _positions_all(n, p)
        out[rows] = _from_sorted(dense, j, g)
    return out
