"""Walsh averages ``(d_i + d_j) / 2, i <= j`` and their order statistics.

The Hodges-Lehmann estimate and the signed-rank confidence interval are order statistics of
the Walsh averages; :func:`walsh_order_statistics` finds any of them exactly in O(n) memory,
so a million differences (5 * 10^11 averages) cost no more memory than the data.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["walsh_averages", "walsh_order_statistics"]


def walsh_averages(d: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """All ``(d_i + d_j) / 2`` for ``i <= j``, sorted."""
    n = d.size
    iu = np.triu_indices(n)
    return np.sort(np.add.outer(d, d)[iu] / 2.0)


_SIGN_BIT = 1 << 63
# Select explicitly among the sums left in the bracket once there are this few.
_SELECT_AMONG = 1 << 20


def _order_key(x: float) -> int:
    """An integer with the order of the float64 ``x`` (0.0 and -0.0 share key 0)."""
    (bits,) = struct.unpack("<q", struct.pack("<d", x))
    return bits if bits >= 0 else -(bits & (_SIGN_BIT - 1))


def _from_key(key: int) -> float:
    bits = key if key >= 0 else (-key) | _SIGN_BIT
    if bits >= _SIGN_BIT:
        bits -= 1 << 64
    return float(struct.unpack("<d", struct.pack("<q", bits))[0])


def _row_ends(a: npt.NDArray[np.float64], v: float) -> npt.NDArray[np.int64]:
    """For each ``i``, the largest ``j`` with ``fl(a_i + a_j) <= v`` (``-1`` if none).

    ``a`` is sorted, so each row's ``j`` form a prefix. ``searchsorted`` finds it against
    ``fl(v - a_i)``, which can differ from the exact threshold by rounding; whole groups of
    equal ``a_j`` are then moved until the comparison holds on the computed sums themselves,
    exactly as if every sum had been formed (one or two rounds).
    """
    n = a.size
    # The keys v - a_i increase as i decreases: searching them in increasing order lets
    # numpy start each search from the previous hit.
    j = np.searchsorted(a, (v - a)[::-1], side="right")[::-1].astype(np.int64) - 1
    while True:
        here = np.clip(j, 0, n - 1)
        above = np.clip(j + 1, 0, n - 1)
        down = (j >= 0) & (a + a[here] > v)
        up = (j + 1 < n) & (a + a[above] <= v)
        if not (down.any() or up.any()):
            return j
        j[down] = np.searchsorted(a, a[here[down]], side="left") - 1
        j[up] = np.searchsorted(a, a[above[up]], side="right") - 1


def walsh_order_statistics(d: npt.NDArray[np.float64], ks: Sequence[int]) -> list[float]:
    """The ``k``-th smallest Walsh averages (``k`` 1-based), without forming all of them.

    Exactly the values ``np.sort((d_i + d_j) / 2 for i <= j)[k - 1]`` would give, in O(n)
    memory instead of O(n^2): bisection on the value of the sum ``d_i + d_j`` with exact
    counts of the sums below it (:func:`_row_ends`), from a bracket read off a random sample
    of sums; among at most ``_SELECT_AMONG`` sums left, ``np.partition`` picks it; within a
    few thousand ulps (tied data), the bracket steps from one distinct sum to the next.
    ``k + 1`` after ``k`` (the two middle values of an even count) costs one more count.
    """
    a = np.sort(d)
    n = a.size
    rows = np.arange(n, dtype=np.int64)
    m = n * (n + 1) // 2
    last = np.full(n, n - 1, dtype=np.int64)

    def count(ends: npt.NDArray[np.int64]) -> int:
        return int(np.maximum(ends - rows + 1, 0).sum())  # pairs i <= j <= end_i

    # The sample only narrows the first bracket; every bound is checked by an exact count,
    # so the result never depends on it (a fixed seed keeps the time reproducible).
    size = min(m, 1 << 16)
    rng = np.random.default_rng(0)
    i, j = rng.integers(0, n, size), rng.integers(0, n, size)
    sample = np.sort(a[np.minimum(i, j)] + a[np.maximum(i, j)])

    def kth(k: int) -> tuple[float, npt.NDArray[np.int64], int]:
        """The k-th smallest sum, each row's end at it, and the count of sums <= it."""
        # Invariant: count(lo) < k <= count(hi), with each row's end at lo and at hi.
        lo, hi = _order_key(float(a[0] + a[0])) - 1, _order_key(float(a[-1] + a[-1]))
        lo_end, hi_end = np.full(n, -1, dtype=np.int64), last
        lo_count, hi_count = 0, m
        if m > _SELECT_AMONG:
            p = k / m
            margin = 6.0 * math.sqrt(p * (1.0 - p) / size) + 2.0 / size
            for q in (p - margin, p + margin):
                if 0.0 < q < 1.0:
                    v = float(sample[int(q * (size - 1))])
                    ends = _row_ends(a, v)
                    c = count(ends)
                    if c < k and _order_key(v) > lo:
                        lo, lo_end, lo_count = _order_key(v), ends, c
                    elif c >= k and _order_key(v) < hi:
                        hi, hi_end, hi_count = _order_key(v), ends, c
        while hi - lo > 1 and hi_count - lo_count > _SELECT_AMONG:
            stepping = hi - lo <= 1 << 12
            if stepping:  # a few distinct sums, many times each: step through them
                v = _smallest_above(a, lo_end, hi_end)
            else:
                vlo, vhi = _from_key(lo), _from_key(hi)
                v = vlo + (vhi - vlo) / 2.0
                if not lo < _order_key(v) < hi:  # overflow: halve the order instead
                    v = _from_key(lo + (hi - lo) // 2)
            ends = _row_ends(a, v)
            c = count(ends)
            if c >= k:
                hi, hi_end, hi_count = _order_key(v), ends, c
                if stepping:  # v is the smallest sum above lo: nothing lies between them
                    lo = hi - 1
            else:
                lo, lo_end, lo_count = _order_key(v), ends, c
        if hi - lo > 1:
            s = _select(a, lo_end, hi_end, k - lo_count - 1)
            ends = _row_ends(a, s)
            return s, ends, count(ends)
        return _from_key(hi), hi_end, hi_count  # counts change only at sums: hi is one

    out: list[float] = []
    prev: tuple[int, float, npt.NDArray[np.int64], int] | None = None
    for k in ks:
        if not 1 <= k <= m:
            raise ValueError(f"order statistic {k} outside 1..{m}")
        if prev is not None and k == prev[0] + 1:
            _, s, ends, c = prev
            if c < k:  # the next larger sum
                s = _smallest_above(a, ends, last)
                ends = _row_ends(a, s)
                c = count(ends)
        else:
            s, ends, c = kth(k)
        prev = (k, s, ends, c)
        out.append(s / 2.0)
    return out


def _smallest_above(
    a: npt.NDArray[np.float64], lo_end: npt.NDArray[np.int64], hi_end: npt.NDArray[np.int64]
) -> float:
    """The smallest sum ``a_i + a_j`` with ``j`` in ``(lo_end_i, hi_end_i]`` and ``j >= i``."""
    first = np.maximum(lo_end + 1, np.arange(a.size, dtype=np.int64))
    has = first <= hi_end
    return float((a[has] + a[first[has]]).min())


def _select(
    a: npt.NDArray[np.float64],
    lo_end: npt.NDArray[np.int64],
    hi_end: npt.NDArray[np.int64],
    r: int,
) -> float:
    """The ``r``-th smallest (0-based) sum ``a_i + a_j`` with ``j`` in
    ``(max(lo_end_i, i - 1), hi_end_i]``."""
    rows = np.arange(a.size, dtype=np.int64)
    start = np.maximum(lo_end, rows - 1) + 1
    width = np.maximum(hi_end - start + 1, 0)
    which = np.repeat(rows, width)
    offset = np.arange(which.size) - np.repeat(np.cumsum(width) - width, width)
    sums = a[which] + a[start[which] + offset]
    return float(np.partition(sums, r)[r])
