"""Tests and correlations on many row subsets at once, given as boolean mask matrices.

The companion of ``_masked`` for the test statistics: each routine gives, for every subset
(row of the masks), what its 1-D form gives on the selected values with the NaNs dropped,
to the last bit, and NaN where the 1-D form raises (too few values, a constant sample, all
values tied), so that a caller can ask the 1-D form why. The subsets are grouped by their
sizes (:func:`masked_samples`) where the statistic sums floats (t tests, Pearson, Spearman):
each group is one call of the row-wise form of the test (``one_sample_t``, ``two_sample_t``,
``correlation_rows``), which does the arithmetic the 1-D form does. Rank statistics are
exact (half-)integers, so all the subsets go in one call, each keeping its own values
(``signed_rank_rows``, ``rank_sum_rows``, ``kruskal_wallis_rows``,
``kendall_tau_b_selected``). Each formula is in one place: the 1-D forms call these.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ._correlation import CorrelationTest, correlation_rows, kendall_tau_b_selected
from ._masked import masked_moments, masked_moments_many
from ._rank_tests import (
    KruskalWallis,
    RankSum,
    kruskal_wallis_rows,
    rank_sum_parts,
    rank_sum_z_from_parts,
)
from ._ranks import average_ranks_rows
from ._signed_rank import signed_rank_rows
from ._t_tests import (
    OneSampleT,
    TwoSampleT,
    one_sample_t_from_moments,
    two_sample_t_from_moments,
)

__all__ = [
    "masked_correlation",
    "masked_kruskal_wallis",
    "masked_one_sample_t",
    "masked_paired_moments",
    "masked_rank_sum",
    "masked_rank_sum_parts",
    "masked_samples",
    "masked_signed_rank",
    "masked_two_sample_t",
]

Floats = npt.NDArray[np.float64]


def masked_samples(
    columns: Sequence[npt.ArrayLike], masks: Sequence[npt.ArrayLike]
) -> Iterator[tuple[npt.NDArray[np.intp], list[Floats]]]:
    """``(subsets, samples)`` for each combination of sample sizes: the subsets (rows of the
    masks) whose samples have those sizes, and each sample as a dense matrix (one subset per
    row, its values in table order). Sample ``j`` is ``columns[j]`` where ``masks[j]`` (k x n)
    holds and the value is not NaN (a column is one value per row of the table, or a k x n
    matrix of one row per subset); combinations with an empty sample are left out.

    Examples
    --------
    >>> x = [1.0, 2.0, 3.0, np.nan]
    >>> groups = masked_samples([x, x], [[[1, 1, 0, 0], [1, 0, 1, 1]], [[0, 0, 1, 1]] * 2])
    >>> [(i.tolist(), [s.tolist() for s in d]) for i, d in groups]
    [([0, 1], [[[1.0, 2.0], [1.0, 3.0]], [[3.0], [3.0]]])]
    """
    values = [np.asarray(c, dtype=np.float64) for c in columns]
    ms = [np.asarray(m, dtype=bool) & ~np.isnan(v) for v, m in zip(values, masks, strict=True)]
    # A column is one value per row of the table, or one row of values per subset.
    values = [np.broadcast_to(v, m.shape) for v, m in zip(values, ms, strict=True)]
    n = values[0].shape[-1]
    sizes = np.stack([m.sum(axis=1) for m in ms], axis=1)
    keys = np.zeros(sizes.shape[0], dtype=np.int64)
    for j in range(sizes.shape[1]):
        keys = keys * (n + 1) + sizes[:, j]
    order = np.argsort(keys, kind="stable")
    bounds = np.flatnonzero(np.diff(keys[order])) + 1
    for rows in np.split(order, bounds):
        if rows.size == 0 or np.any(sizes[rows[0]] == 0):
            continue
        dense = []
        for v, m, size in zip(values, ms, sizes[rows[0]].tolist(), strict=True):
            dense.append(v[rows][m[rows]].reshape(rows.size, size))
        yield rows, dense


def _full(k: int, fields: int) -> list[Floats]:
    return [np.full(k, np.nan) for _ in range(fields)]


def masked_one_sample_t(x: npt.ArrayLike, masks: npt.ArrayLike, *, mu: float = 0.0) -> OneSampleT:
    """One t statistic of ``x[mask]`` against ``mu`` per row of a boolean ``masks`` matrix.

    ``masks`` has shape ``(k, n)`` for ``x`` of length ``n`` (NaN in ``x`` never counts);
    every field is an array of length ``k`` (``df`` too), each what :func:`one_sample_t`
    gives on ``x[mask]`` to the last bit. The statistic is NaN where :func:`one_sample_t`
    raises (fewer than 2 values, every value the same, an SD of rounding noise).

    Examples
    --------
    >>> res = masked_one_sample_t([1.0, 2.0, 3.0, 6.0], [[1, 1, 1, 1], [1, 1, 1, 0]])
    >>> res.estimate.tolist(), res.df.tolist()
    ([3.0, 2.0], [3.0, 2.0])
    """
    values = np.asarray(x, dtype=np.float64)
    n, means, variances = masked_moments_many([values], masks)
    return _t_of_moments(values, np.asarray(masks, dtype=bool), n, means[0], variances[0], mu)


def _t_of_moments(
    values: Floats, masks: np.ndarray, n: np.ndarray, mean: Floats, var: Floats, mu: float
) -> OneSampleT:
    """The one-sample t of each subset from its moments, NaN where :func:`one_sample_t`
    refuses: fewer than 2 values, every value the same, an SD of rounding noise."""
    one = one_sample_t_from_moments(mean, var, n, mu=mu)
    m = masks & ~np.isnan(values)
    low = np.where(m, values, np.inf).min(axis=1, initial=np.inf)
    high = np.where(m, values, -np.inf).max(axis=1, initial=-np.inf)
    with np.errstate(invalid="ignore"):
        noise = 8.0 * np.finfo(np.float64).eps * np.maximum(np.abs(low), np.abs(high))
        undefined = (n < 2) | (low == high) | ~(one.sd > noise)
    stat = np.where(undefined, np.nan, one.statistic)
    return OneSampleT(stat, n - 1.0, one.estimate, one.sd, one.se)


def masked_paired_moments(
    first: npt.ArrayLike, second: npt.ArrayLike, masks: npt.ArrayLike
) -> tuple[OneSampleT, tuple[np.ndarray, ...]]:
    """The paired t of ``first - second`` on each subset's complete pairs (as
    :func:`masked_one_sample_t`) and the two samples' moments ``(n, mean_first, var_first,
    n, mean_second, var_second)`` (as :func:`~._masked.masked_moments`), from one pass.

    Examples
    --------
    >>> one, (n, m1, v1, _, m2, v2) = masked_paired_moments(
    ...     [2.0, 4.0, 7.0], [1.0, 2.0, 3.0], [[1, 1, 1]])
    >>> one.estimate.tolist(), m1.tolist(), m2.tolist(), v2.tolist()
    ([2.3333333333333335], [4.333333333333333], [2.0], [1.0])
    """
    a = np.asarray(first, dtype=np.float64)
    b = np.asarray(second, dtype=np.float64)
    d = a - b
    m = np.asarray(masks, dtype=bool)
    n, means, variances = masked_moments_many([d, a, b], m)
    one = _t_of_moments(d, m & ~np.isnan(a) & ~np.isnan(b), n, means[0], variances[0], 0.0)
    return one, (n, means[1], variances[1], n, means[2], variances[2])


def masked_two_sample_t(
    a: npt.ArrayLike,
    a_masks: npt.ArrayLike,
    b: npt.ArrayLike,
    b_masks: npt.ArrayLike,
    *,
    equal_var: bool,
) -> TwoSampleT:
    """:func:`two_sample_t` of ``a[a_mask]`` against ``b[b_mask]`` for each row of the masks
    (arrays of length k; NaN where it raises: a group of fewer than 2, an SE of 0).

    Examples
    --------
    >>> x = [1.0, 2.0, 3.0, 2.0, 4.0, 6.0]
    >>> res = masked_two_sample_t(x, [[1, 1, 1, 0, 0, 0]], x, [[0, 0, 0, 1, 1, 1]],
    ...                           equal_var=False)
    >>> round(float(res.df[0]), 12)  # 50 / 17
    2.941176470588
    """
    na, mean_a, var_a = masked_moments(a, a_masks)
    nb, mean_b, var_b = masked_moments(b, b_masks)
    two = two_sample_t_from_moments(mean_a, var_a, na, mean_b, var_b, nb, equal_var=equal_var)
    small = (na < 2) | (nb < 2)
    fields = [np.where(small, np.nan, f) for f in two]
    return TwoSampleT(*fields)


def masked_signed_rank(d: npt.ArrayLike, masks: npt.ArrayLike) -> tuple[Floats, Floats, Floats]:
    """``(V, n, tie term)`` of the signed-rank statistic of ``d[mask]`` for each row (zeros
    dropped before ranking, as :func:`~._signed_rank.signed_rank_statistic`); NaN where no
    non-zero value is left. Read z with :func:`~._rank_tests.signed_rank_z`.

    Examples
    --------
    >>> v, n, tie_term = masked_signed_rank([1.5, 2.0, -0.5, 3.0, 0.0, 1.0], [[1] * 6, [0] * 6])
    >>> v.tolist()[0], n.tolist()[0], bool(np.isnan(v[1]))
    (14.0, 5.0, True)
    """
    x = np.asarray(d, dtype=np.float64)
    m = np.asarray(masks, dtype=bool) & (x != 0) & ~np.isnan(x)
    # Ranks are exact: all the subsets in one call, each keeping its own values.
    v, tie_term = signed_rank_rows(np.broadcast_to(np.where(np.isnan(x), 0.0, x), m.shape), m)
    n = m.sum(axis=1).astype(np.float64)
    empty = n == 0
    v[empty], n[empty], tie_term[empty] = np.nan, np.nan, np.nan
    return v, n, tie_term


def masked_rank_sum(
    a: npt.ArrayLike,
    a_masks: npt.ArrayLike,
    b: npt.ArrayLike,
    b_masks: npt.ArrayLike,
    *,
    correct: bool = True,
    alternative: str = "two-sided",
) -> RankSum:
    """:func:`~._rank_tests.rank_sum_z` of ``a[a_mask]`` against ``b[b_mask]`` for each row
    (NaN where it raises: an empty group, every value tied).

    Examples
    --------
    >>> x = [1.0, 2.0, 3.0, 4.0, 5.0]
    >>> masked_rank_sum(x, [[1, 1, 1, 0, 0]], x, [[0, 0, 0, 1, 1]], correct=False).statistic
    array([0.])
    """
    w, centred, sigma2 = masked_rank_sum_parts(a, a_masks, b, b_masks)
    z = rank_sum_z_from_parts(centred, sigma2, correct=correct, alternative=alternative)
    w[np.isnan(z)] = np.nan
    return RankSum(w, z)


def masked_rank_sum_parts(
    a: npt.ArrayLike, a_masks: npt.ArrayLike, b: npt.ArrayLike, b_masks: npt.ArrayLike
) -> tuple[Floats, Floats, Floats]:
    """:func:`~._rank_tests.rank_sum_parts` of ``a[a_mask]`` against ``b[b_mask]`` for each
    row (all NaN where a group is empty); read z by alternative with
    :func:`~._rank_tests.rank_sum_z_from_parts`.

    Examples
    --------
    >>> x = [1.0, 2.0, 3.0, 4.0, 5.0]
    >>> w, centred, sigma2 = masked_rank_sum_parts(x, [[1, 1, 1, 0, 0]], x, [[0, 0, 0, 1, 1]])
    >>> w.tolist(), centred.tolist(), sigma2.tolist()
    ([0.0], [-3.0], [3.0])
    """
    xa, am = _kept(a, a_masks)
    xb, bm = _kept(b, b_masks)
    w, centred, sigma2 = rank_sum_parts(xa, xb, a_selected=am, b_selected=bm)
    empty = (am.sum(axis=1) == 0) | (bm.sum(axis=1) == 0)
    w[empty], centred[empty], sigma2[empty] = np.nan, np.nan, np.nan
    return w, centred, sigma2


def _kept(values: npt.ArrayLike, masks: npt.ArrayLike) -> tuple[Floats, npt.NDArray[np.bool_]]:
    """The values as one row per subset (NaN as 0, never kept) and the kept ones."""
    x = np.asarray(values, dtype=np.float64)
    m = np.asarray(masks, dtype=bool) & ~np.isnan(x)
    return np.broadcast_to(np.where(np.isnan(x), 0.0, x), m.shape), m


def masked_kruskal_wallis(
    columns: Sequence[npt.ArrayLike], masks: Sequence[npt.ArrayLike]
) -> KruskalWallis:
    """:func:`~._rank_tests.kruskal_wallis` of the groups ``columns[j][masks[j]]`` for each
    row of the masks (H and p arrays, NaN where it raises: an empty group, all values equal).

    Examples
    --------
    >>> x = [1.0, 2.0, 3.0, 4.0]
    >>> h, df, p = masked_kruskal_wallis([x, x], [[[1, 1, 0, 0]], [[0, 0, 1, 1]]])
    >>> round(float(h[0]), 12), df
    (2.4, 1.0)
    """
    kept = [_kept(c, m) for c, m in zip(columns, masks, strict=True)]
    h, df, p = kruskal_wallis_rows([x for x, _ in kept], [m for _, m in kept])
    bad = np.isnan(h)
    for _, m in kept:
        bad |= m.sum(axis=1) == 0
    h[bad], p[bad] = np.nan, np.nan
    return KruskalWallis(h, df, p)


def masked_correlation(
    x: npt.ArrayLike, y: npt.ArrayLike, masks: npt.ArrayLike, method: str
) -> tuple[Floats, Floats, Any]:
    """``(estimate, statistic, df)`` of :func:`~._correlation.correlation_test` on the
    complete pairs of ``x`` and ``y`` where each row of ``masks`` holds (arrays; ``df`` None
    for Kendall's z). NaN where it raises: fewer than 3 pairs, a constant variable. For
    Pearson and Spearman, ``x`` or ``y`` may also be a k x n matrix, one row per subset.

    Examples
    --------
    >>> est, stat, df = masked_correlation([1.0, 2.0, 3.0, 4.0], [2.0, 1.0, 4.0, 3.0],
    ...                                    [[1, 1, 1, 1], [1, 1, 0, 0]], "pearson")
    >>> round(float(est[0]), 12), df.tolist()
    (0.6, [2.0, nan])
    """
    xa, ya = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    m = np.asarray(masks, dtype=bool) & ~np.isnan(xa) & ~np.isnan(ya)
    k = m.shape[0]
    if method == "kendall":  # S and the ties are exact: all the subsets in one call
        if xa.ndim != 1 or ya.ndim != 1:
            raise ValueError("Kendall's tau of many subsets takes one column of x and of y")
        tau, z = kendall_tau_b_selected(xa, ya, m)
        bad = (m.sum(axis=1) < 3) | np.isnan(z)
        tau[bad], z[bad] = np.nan, np.nan
        return tau, z, None
    est, stat, df = _full(k, 3)
    cols: list[np.ndarray] = [xa, ya]
    if method == "spearman":  # the ranks are exact: every subset's in one call
        cols = [average_ranks_rows(np.where(m, c, np.inf))[0] for c in cols]
        method = "pearson"  # Spearman's rho is Pearson's r of the ranks
    for rows, (dx, dy) in masked_samples(cols, [m, m]):
        found: CorrelationTest = correlation_rows(dx, dy, method)
        est[rows], stat[rows] = found.estimate, found.statistic
        df[rows] = np.nan if found.df is None else found.df
    bad = np.isnan(stat)
    est[bad], df[bad] = np.nan, np.nan
    return est, stat, df
