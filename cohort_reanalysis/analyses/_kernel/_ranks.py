"""Average ranks and the sizes of tie groups: the ranking every rank statistic shares."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["average_ranks", "average_ranks_rows"]


def _ranked_rows(
    x: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], npt.NDArray[np.bool_], np.ndarray]:
    """(ranks, tie size of each value, where a run starts in sorted order, the sort order),
    row by row of a 2-D ``x``."""
    k, n = x.shape
    order = np.argsort(x, axis=1, kind="mergesort")
    row = np.arange(k)[:, None]
    s = x[row, order]
    starts = np.ones((k, n), dtype=bool)
    starts[:, 1:] = s[:, 1:] != s[:, :-1]
    ends = np.ones((k, n), dtype=bool)
    ends[:, :-1] = starts[:, 1:]
    idx = np.arange(n)
    first = np.maximum.accumulate(np.where(starts, idx, 0), axis=1)
    last = np.minimum.accumulate(np.where(ends, idx, n - 1)[:, ::-1], axis=1)[:, ::-1]
    counts = last - first + 1
    # The 1-based rank of a run's last member, less half the run's other members.
    avg = (last + 1) - (counts - 1) / 2.0
    ranks = np.empty((k, n), dtype=np.float64)
    sizes = np.empty((k, n), dtype=np.int64)
    ranks[row, order] = avg
    sizes[row, order] = counts
    return ranks, sizes, starts, counts


def average_ranks_rows(
    a: npt.ArrayLike,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Average ranks (1-based) within each row of a 2-D ``a``, and for each value the size of
    its tie group (1 for a value that ties with none).

    Every tie correction is a sum over tie groups of a function of their size ``t``; summed
    over the values instead, each group counts ``t`` times (``t³ - t`` is ``t (t² - 1)``).

    Examples
    --------
    >>> ranks, sizes = average_ranks_rows([[3.0, 1.0, 3.0, 2.0], [1.0, 1.0, 1.0, 5.0]])
    >>> ranks.tolist(), sizes.tolist()
    ([[3.5, 1.0, 3.5, 2.0], [2.0, 2.0, 2.0, 4.0]], [[2, 1, 2, 1], [3, 3, 3, 1]])
    """
    x = np.asarray(a, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"a must be two-dimensional, got shape {x.shape}")
    ranks, sizes, _, _ = _ranked_rows(x)
    return ranks, sizes


def average_ranks(a: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.intp]]:
    """Average ranks (1-based) of ``a`` and the sizes of its tie groups, smallest value first.

    Tied values share the mean of the ranks they span, as ``scipy.stats.rankdata(a)`` and R's
    ``rank(a)`` do; the tie sizes (one per distinct value, singletons included) feed the tie
    corrections of the rank tests. The ranking is :func:`average_ranks_rows`' on one row.

    Examples
    --------
    >>> ranks, ties = average_ranks([3.0, 1.0, 3.0, 2.0])
    >>> ranks.tolist(), ties.tolist()
    ([3.5, 1.0, 3.5, 2.0], [1, 1, 2])
    """
    x = np.asarray(a, dtype=np.float64).reshape(1, -1)
    ranks, _, starts, counts = _ranked_rows(x)
    out: npt.NDArray[np.intp] = counts[0][starts[0]].astype(np.intp)
    return ranks[0], out
