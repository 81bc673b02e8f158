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
from ._ranks import average_ranks

__all__ = [
    "KruskalWallis",
    "RankSum",
    "kruskal_wallis",
    "rank_sum_z",
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
    n: int,
    *,
    tie_term: float = 0.0,
    correct: bool = True,
    alternative: str = "two-sided",
) -> Any:
    """z of the signed-rank statistic ``V`` (sum of the ranks of the positive differences)
    among ``n`` non-zero differences, as R's ``wilcox.test(paired = TRUE, exact = FALSE)``.

    ``tie_term`` is ``sum(t³ - t) / 48`` over tie groups of ``|d|``. Elementwise in ``v``.

    Examples
    --------
    >>> round(signed_rank_z(14.0, 5, correct=False), 6)  # (14 - 7.5) / sqrt(13.75)
    1.75292
    """
    vv = np.asarray(v, dtype=np.float64)
    nf = float(n)
    centred = vv - nf * (nf + 1.0) / 4.0
    sigma = math.sqrt(nf * (nf + 1.0) * (2.0 * nf + 1.0) / 24.0 - tie_term)
    z = (centred - _continuity(centred, correct, alternative)) / sigma
    return float(z) if z.ndim == 0 else z


class RankSum(NamedTuple):
    """R's ``W`` (rank sum of ``a`` minus its minimum) and the z of its normal approximation."""

    statistic: float
    z: float


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
    ranks, ties = average_ranks(np.concatenate([x, y]))
    w = float(ranks[:na].sum()) - na * (na + 1) / 2.0
    big_n = na + nb
    centred = w - na * nb / 2.0
    t = ties.astype(np.float64)
    sigma2 = na * nb / 12.0 * ((big_n + 1) - float((t**3 - t).sum()) / (big_n * (big_n - 1)))
    if sigma2 <= 0:
        raise ValueError("all values tie, so the rank-sum test is undefined")
    corr = float(_continuity(centred, correct, alternative))
    return RankSum(w, (centred - corr) / math.sqrt(sigma2))


class KruskalWallis(NamedTuple):
    """The tie-corrected H, its degrees of freedom ``k - 1`` and chi-squared p-value."""

    statistic: float
    df: float
    pvalue: float


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
    ranks, ties = average_ranks(allv)
    total = float(allv.size)
    bounds = np.cumsum([0] + [g.size for g in arrays])
    ssbn = 0.0
    for i, g in enumerate(arrays):
        s = float(ranks[bounds[i] : bounds[i + 1]].sum())
        ssbn += s * s / g.size
    h = 12.0 / (total * (total + 1.0)) * ssbn - 3.0 * (total + 1.0)
    t = ties.astype(np.float64)
    h /= 1.0 - float((t**3 - t).sum()) / (total**3 - total)
    df = float(len(arrays) - 1)
    return KruskalWallis(h, df, float(p_from_chi2(h, df)))
