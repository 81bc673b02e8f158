"""Average ranks and the sizes of tie groups: the ranking every rank statistic shares."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["average_ranks"]


def average_ranks(a: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.intp]]:
    """Average ranks (1-based) of ``a`` and the sizes of its tie groups, smallest value first.

    Tied values share the mean of the ranks they span, as ``scipy.stats.rankdata(a)`` and R's
    ``rank(a)`` do; the tie sizes (one per distinct value, singletons included) feed the tie
    corrections of the rank tests.

    Examples
    --------
    >>> ranks, ties = average_ranks([3.0, 1.0, 3.0, 2.0])
    >>> ranks.tolist(), ties.tolist()
    ([3.5, 1.0, 3.5, 2.0], [1, 1, 2])
    """
    x = np.asarray(a, dtype=np.float64)
    order = np.argsort(x, kind="mergesort")
    sorted_x = x[order]
    # Boundaries of runs of equal values.
    new_group = np.concatenate(([True], sorted_x[1:] != sorted_x[:-1]))
    group_id = np.cumsum(new_group) - 1
    counts = np.bincount(group_id)
    ends = np.cumsum(counts)  # 1-based rank of the last member of each group
    avg = ends - (counts - 1) / 2.0
    ranks = np.empty(x.size, dtype=np.float64)
    ranks[order] = avg[group_id]
    return ranks, counts
