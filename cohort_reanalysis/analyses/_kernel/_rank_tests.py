"""Rank tests by their normal and chi-squared approximations, as R computes them.

Hand-written rather than taken from scipy: R's ``wilcox.test(exact = FALSE, correct = )``
applies the continuity correction by alternative and reports the statistic in its own
orientation, which is what papers print and what the claims are checked against.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from ._distributions import check_alternative, p_from_chi2
from ._ranks import average_ranks_rows

__all__ = [
    "KruskalWallis",
    "RankSum",
    "kruskal_wallis",
    "kruskal_wallis_rows",
    "rank_sum_parts",
    "rank_sum_rows",
    "rank_sum_z",
    "rank_sum_z_from_parts",
    "signed_rank_z",
]


def _continuity(centred: Any, correct: bool, alternative: str) -> Any:
    """The 0.5 continuity correction R subtracts from a centred rank statistic."""
    check_alternative(alternative)
    if not correct:
        return 0.0
    if alternative == "greater":
        return 0.5
    if alternative == "less":
        return -0.5
    return 0.5 * np.sign(centred)


def signed_rank_z(
    v: npt.ArrayLike,
    n: npt.ArrayLike,
    *,
    tie_term: npt.ArrayLike = 0.0,
    correct: bool = True,
    alternative: str = "two-sided",
) -> Any:
    """z of the signed-rank statistic ``V`` (sum of the ranks of the positive differences)
    among ``n`` non-zero differences, as R's ``wilcox.test(paired = TRUE, exact = FALSE)``.

    ``tie_term`` is ``sum(t³ - t) / 48`` over tie groups of ``|d|``. Elementwise in ``v``,
    ``n`` and ``tie_term`` (one test per element).

    Examples
    --------
    >>> round(signed_rank_z(14.0, 5, correct=False), 6)  # (14 - 7.5) / sqrt(13.75)
    1.75292
    """
    vv = np.asarray(v, dtype=np.float64)
    nf = np.asarray(n, dtype=np.float64)
    centred = vv - nf * (nf + 1.0) / 4.0
    with np.errstate(invalid="ignore"):
        sigma = np.sqrt(nf * (nf + 1.0) * (2.0 * nf + 1.0) / 24.0 - np.asarray(tie_term))
    z = (centred - _continuity(centred, correct, alternative)) / sigma
    return float(z) if z.ndim == 0 else z


class RankSum(NamedTuple):
    """R's ``W`` (rank sum of ``a`` minus its minimum) and the z of its normal approximation."""

    statistic: Any
    z: Any


def rank_sum_z(
    a: npt.ArrayLike, b: npt.ArrayLike, *, correct: bool = True, alternative: str = "two-sided"
) -> RankSum:
    """Wilcoxon rank-sum (Mann-Whitney) test of ``a`` against ``b`` by the tie-corrected normal
    approximation, as R's ``wilcox.test(a, b, exact = FALSE, correct = correct)``.

    Raises
    ------
    ValueError
        If a group is empty or every value ties.

    Examples
    --------
    >>> rank_sum_z([1.0, 2.0, 3.0], [4.0, 5.0], correct=False).statistic
    0.0
    """
    x = np.asarray(a, dtype=np.float64)
    y = np.asarray(b, dtype=np.float64)
    na, nb = x.size, y.size
    if na < 1 or nb < 1:
        raise ValueError(f"a rank-sum test needs values in both groups, got {na} and {nb}")
    w, z = rank_sum_rows(x[None], y[None], correct=correct, alternative=alternative)
    if math.isnan(z[0]):
        raise ValueError("all values tie, so the rank-sum test is undefined")
    return RankSum(float(w[0]), float(z[0]))


def rank_sum_rows(
    a: npt.ArrayLike,
    b: npt.ArrayLike,
    *,
    correct: bool = True,
    alternative: str = "two-sided",
    a_selected: npt.ArrayLike | None = None,
    b_selected: npt.ArrayLike | None = None,
) -> RankSum:
    """:func:`rank_sum_z` of each row of ``a`` (k x na) against the same row of ``b``
    (k x nb), as arrays; z is NaN where every value of a row ties (no checks otherwise).

    ``a_selected`` and ``b_selected`` (boolean, shaped as ``a`` and ``b``) keep only those
    values of each row: rows of different sizes in one call. Ranks and tie counts are exact
    (half-)integers, so the result is the same to the last bit as on the kept values alone.

    Examples
    --------
    >>> w, z = rank_sum_rows([[1.0, 2.0, 3.0], [5.0, 5.0, 5.0]], [[4.0, 5.0], [5.0, 5.0]])
    >>> w.tolist(), bool(np.isnan(z[1]))
    ([0.0, 3.0], True)
    >>> rank_sum_rows([[1.0, 9.0]], [[4.0, 5.0]], a_selected=[[True, False]]).statistic
    array([0.])
    """
    w, centred, sigma2 = rank_sum_parts(a, b, a_selected=a_selected, b_selected=b_selected)
    return RankSum(
        w, rank_sum_z_from_parts(centred, sigma2, correct=correct, alternative=alternative)
    )


def rank_sum_parts(
    a: npt.ArrayLike,
    b: npt.ArrayLike,
    *,
    a_selected: npt.ArrayLike | None = None,
    b_selected: npt.ArrayLike | None = None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """``(W, W - na nb / 2, the tie-corrected variance of W)`` of each row, as
    :func:`rank_sum_rows` takes them (the part that does not depend on the alternative).

    Examples
    --------
    >>> w, centred, sigma2 = rank_sum_parts([[1.0, 2.0, 3.0]], [[4.0, 5.0]])
    >>> w.tolist(), centred.tolist(), sigma2.tolist()
    ([0.0], [-3.0], [3.0])
    """
    x = np.asarray(a, dtype=np.float64)
    y = np.asarray(b, dtype=np.float64)
    keep = _kept([x, y], [a_selected, b_selected])
    ranks, sizes = _padded_ranks([x, y], keep)
    cols = x.shape[-1]
    na = keep[:, :cols].sum(axis=-1)
    nb = keep[:, cols:].sum(axis=-1)
    w = np.where(keep, ranks, 0.0)[:, :cols].sum(axis=-1) - na * (na + 1) / 2.0
    big_n = na + nb
    centred = w - na * nb / 2.0
    t = sizes.astype(np.float64)
    ties = np.where(keep, t * t - 1.0, 0.0).sum(axis=-1)  # sum(t³ - t) over the tie groups
    with np.errstate(invalid="ignore", divide="ignore"):
        sigma2 = na * nb / 12.0 * ((big_n + 1) - ties / (big_n * (big_n - 1)))
    return w, centred, sigma2


def rank_sum_z_from_parts(
    centred: npt.ArrayLike,
    sigma2: npt.ArrayLike,
    *,
    correct: bool = True,
    alternative: str = "two-sided",
) -> npt.NDArray[np.float64]:
    """The z of :func:`rank_sum_parts`' ``W - na nb / 2`` and variance, continuity-corrected by
    alternative (NaN where the variance is not positive: every value tied).

    Examples
    --------
    >>> [round(float(z), 12) for z in rank_sum_z_from_parts([-3.0], [3.0], correct=False)]
    [-1.732050807569]
    """
    c = np.asarray(centred, dtype=np.float64)
    s2 = np.asarray(sigma2, dtype=np.float64)
    corr = _continuity(c, correct, alternative)
    with np.errstate(invalid="ignore", divide="ignore"):
        z: npt.NDArray[np.float64] = np.where(
            s2 > 0, (c - corr) / np.sqrt(np.maximum(s2, 0.0)), np.nan
        )
    return z


def _kept(arrays: Sequence[np.ndarray], selected: Sequence[Any]) -> npt.NDArray[np.bool_]:
    """The kept values of the arrays side by side (all of them where no selection is given)."""
    parts = [
        np.ones(x.shape, dtype=bool) if s is None else np.asarray(s, dtype=bool)
        for x, s in zip(arrays, selected, strict=True)
    ]
    return np.concatenate(parts, axis=-1)


def _padded_ranks(
    arrays: Sequence[np.ndarray], keep: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Average ranks within each row of the arrays side by side, the values not kept set to
    +inf so that they rank after (and tie with none of) the kept ones."""
    joined = np.concatenate(arrays, axis=-1)
    return average_ranks_rows(np.where(keep, joined, np.inf))


class KruskalWallis(NamedTuple):
    """The tie-corrected H, its degrees of freedom ``k - 1`` and chi-squared p-value."""

    statistic: Any
    df: float
    pvalue: Any


def kruskal_wallis(groups: Sequence[npt.ArrayLike]) -> KruskalWallis:
    """Kruskal–Wallis test of ``k >= 2`` groups, as R's ``kruskal.test`` and
    ``scipy.stats.kruskal`` (whose order of operations it follows).

    H from average ranks, divided by the tie correction ``1 - sum(t³ - t) / (N³ - N)``
    (Kruskal & Wallis 1952), referred to chi-squared on ``k - 1`` df.

    Raises
    ------
    ValueError
        If a group is empty or all values are equal.

    Examples
    --------
    >>> round(kruskal_wallis([[1.0, 2.0], [3.0, 4.0]]).statistic, 12)  # 12/20 (9/2 + 49/2) - 15
    2.4
    """
    arrays = [np.asarray(g, dtype=np.float64) for g in groups]
    if any(g.size == 0 for g in arrays):
        sizes = ", ".join(str(g.size) for g in arrays)
        raise ValueError(f"a Kruskal–Wallis test needs values in every group, got {sizes}")
    allv = np.concatenate(arrays)
    if np.all(allv == allv[0]):
        raise ValueError("all values are equal, so there is nothing to rank")
    h, df, p = kruskal_wallis_rows([g[None] for g in arrays])
    return KruskalWallis(float(h[0]), df, float(p[0]))


def kruskal_wallis_rows(
    groups: Sequence[npt.ArrayLike], selected: Sequence[npt.ArrayLike | None] | None = None
) -> KruskalWallis:
    """:func:`kruskal_wallis` of each row across ``groups`` (each k x its size), as arrays
    (H and p; ``df`` a float), without checks: NaN where every value of a row ties.
    ``selected`` (one boolean array or None per group) keeps only those values, as in
    :func:`rank_sum_rows`.

    Examples
    --------
    >>> h, df, p = kruskal_wallis_rows([[[1.0, 2.0], [1.0, 1.0]], [[3.0, 4.0], [1.0, 1.0]]])
    >>> round(float(h[0]), 12), df, bool(np.isnan(h[1]))
    (2.4, 1.0, True)
    """
    arrays = [np.asarray(g, dtype=np.float64) for g in groups]
    keep = _kept(arrays, [None] * len(arrays) if selected is None else selected)
    ranks, sizes = _padded_ranks(arrays, keep)
    kept_ranks = np.where(keep, ranks, 0.0)
    total = keep.sum(axis=-1).astype(np.float64)
    bounds = np.cumsum([0] + [g.shape[-1] for g in arrays])
    ssbn: Any = 0.0
    t = sizes.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):  # an empty group: NaN
        for i in range(len(arrays)):
            s = kept_ranks[:, bounds[i] : bounds[i + 1]].sum(axis=-1)
            size = keep[:, bounds[i] : bounds[i + 1]].sum(axis=-1)
            ssbn = ssbn + s * s / size
        h = 12.0 / (total * (total + 1.0)) * ssbn - 3.0 * (total + 1.0)
        ties = np.where(keep, t * t - 1.0, 0.0).sum(axis=-1)
        h = h / (1.0 - ties / (total * total * total - total))
        h = np.where(np.isfinite(h), h, np.nan)
    df = float(len(arrays) - 1)
    return KruskalWallis(h, df, np.asarray(p_from_chi2(h, df)))
