"""Signed-rank primitives: Wilcoxon's signed-rank test and the Hodges-Lehmann estimator.

Both work on one array of paired differences ``d`` (for example ``after - before``)
and know nothing of cohorts. Hand-written rather than ``scipy.stats.wilcoxon``: R's
``wilcox.test`` drops zeros before ranking, offers ``digits.rank`` and applies the continuity
correction by alternative, and scipy has no Hodges-Lehmann interval.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ._kernel import (
    Alternative,
    average_ranks,
    check_alternative,
    p_from_z,
    signed_rank_z,
    z_quantile,
)

__all__ = ["WilcoxonResult", "hodges_lehmann", "wilcoxon_signed_rank"]


@dataclass(frozen=True)
class WilcoxonResult:
    """Wilcoxon signed-rank test by the normal approximation.

    Attributes
    ----------
    statistic : float
        R's ``V``: the sum of the ranks of the positive differences.
    z : float
        Standardised statistic after the tie and (optional) continuity corrections.
    pvalue : float
        P-value for ``alternative``.
    n_used : int
        Non-zero differences that were ranked.
    n_zeros : int
        Zero differences dropped before ranking (R's convention).
    has_ties : bool
        Whether any absolute differences tied (after ``digits_rank`` rounding).
    correct : bool
        Whether the 0.5 continuity correction was applied.
    method : str
        Plain-language description of the computation.
    alternative : str
        ``"two-sided"``, ``"less"`` or ``"greater"`` (location of ``d`` relative to 0).
    """

    statistic: float
    z: float
    pvalue: float
    n_used: int
    n_zeros: int
    has_ties: bool
    correct: bool
    method: str
    alternative: str = "two-sided"


def _as_differences(d: npt.ArrayLike, name: str = "d") -> npt.NDArray[np.float64]:
    arr = np.asarray(d, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values; remove them explicitly first")
    return arr


def _signif(x: npt.NDArray[np.float64], digits: int) -> npt.NDArray[np.float64]:
    """Round to ``digits`` significant digits, like R's ``signif``."""
    out = x.copy()
    nz = x != 0
    mag = np.floor(np.log10(np.abs(x[nz])))
    factor = 10.0 ** (digits - 1 - mag)
    out[nz] = np.round(x[nz] * factor) / factor
    return out


def wilcoxon_signed_rank(
    d: npt.ArrayLike,
    *,
    correct: bool = True,
    alternative: Alternative = "two-sided",
    digits_rank: float = math.inf,
) -> WilcoxonResult:
    """Wilcoxon signed-rank test of ``d`` against 0, normal approximation.

    Reproduces R's ``wilcox.test(x, y, paired = TRUE, exact = FALSE, correct = correct)``
    with ``d = x - y``.

    Zeros and ties are handled as in R:

    * **Zeros** (``d == 0`` exactly) are dropped *before* ranking (Wilcoxon's original
      convention, scipy's ``zero_method="wilcox"``); their count is ``n_zeros``.
    * **Ties** among ``|d|`` get average ranks, and the null variance is reduced to
      ``n(n+1)(2n+1)/24 - sum(t^3 - t)/48`` over tie groups of size ``t``.
    * **Continuity correction** (``correct=True``): ``V - n(n+1)/4`` is moved 0.5 toward
      zero (two-sided: ``0.5 * sign``; ``greater``: ``-0.5``; ``less``: ``+0.5``).

    Floating-point differences matter: ``7.5 - 6.4`` and ``7.2 - 6.1`` are not equal in
    binary, so values that tie on paper may not tie here, exactly as in R. Pass
    ``digits_rank`` (R's argument of the same name, e.g. 7) to round ``|d|`` to that many
    significant digits before ranking.

    Parameters
    ----------
    d : array_like
        Paired differences (NaN raises: drop missing pairs first).
    correct : bool, default True
        Apply the continuity correction.
    alternative : {"two-sided", "less", "greater"}
        ``greater`` tests whether ``d`` is shifted above 0.
    digits_rank : float, default inf
        Significant digits used for ranking (``inf``: no rounding, R's default).

    Returns
    -------
    WilcoxonResult

    Raises
    ------
    ValueError
        If ``d`` is empty, or all differences are zero.

    Examples
    --------
    >>> res = wilcoxon_signed_rank([1.5, 2.0, -0.5, 3.0, 0.0, 1.0])
    >>> res.statistic, res.n_used, res.n_zeros
    (14.0, 5, 1)
    """
    check_alternative(alternative)
    arr = _as_differences(d)
    if arr.size == 0:
        raise ValueError("d is empty: the signed-rank test needs at least one difference")
    nonzero = arr[arr != 0]
    n_zeros = int(arr.size - nonzero.size)
    n = nonzero.size
    if n == 0:
        raise ValueError(
            f"all {arr.size} differences are zero: the signed-rank test is undefined "
            "(there is nothing to rank)"
        )
    to_rank = np.abs(nonzero)
    if math.isfinite(digits_rank):
        to_rank = _signif(to_rank, max(1, int(digits_rank)))  # R treats digits < 1 as 1
    ranks, counts = average_ranks(to_rank)
    v = float(ranks[nonzero > 0].sum())
    has_ties = bool(np.any(counts > 1))
    tie_term = float(np.sum(counts.astype(np.float64) ** 3 - counts)) / 48.0
    z = signed_rank_z(v, n, tie_term=tie_term, correct=correct, alternative=alternative)
    p = p_from_z(z, alternative)

    parts = ["normal approximation", "zeros dropped before ranking"]
    parts.append("tie-corrected variance" if has_ties else "no ties")
    if correct:
        parts.append("continuity correction")
    return WilcoxonResult(
        statistic=v,
        z=float(z),
        pvalue=p,
        n_used=int(n),
        n_zeros=n_zeros,
        has_ties=has_ties,
        correct=correct,
        method="Wilcoxon signed-rank test (" + ", ".join(parts) + ")",
        alternative=alternative,
    )


def _walsh_averages(d: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
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


def _walsh_order_statistics(d: npt.NDArray[np.float64], ks: Sequence[int]) -> list[float]:
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


def hodges_lehmann(
    d: npt.ArrayLike, *, confidence_level: float = 0.95
) -> tuple[float, float, float]:
    """Hodges-Lehmann estimate of the centre of ``d`` with a distribution-free CI.

    The estimate is the median of the ``M = n(n+1)/2`` Walsh averages
    ``(d_i + d_j) / 2, i <= j`` (Hollander & Wolfe 1999, sec. 3.2). The confidence
    interval inverts the signed-rank test: it runs from the ``C``-th to the
    ``(M + 1 - C)``-th ordered Walsh average, with ``C = M + 1 - t`` and ``t`` the upper
    ``(1 - confidence_level) / 2`` critical value of the signed-rank statistic. ``t`` is
    taken from the continuity-corrected normal approximation,
    ``t = n(n+1)/4 + 1/2 + z * sqrt(n(n+1)(2n+1)/24)``, which gives
    ``C = round(n(n+1)/4 + 1/2 - z * sigma)`` (the same interval as Hettmansperger &
    McKean's ``onesampwil`` in R package rlme). The critical rank assumes no ties, so
    with heavily tied data the coverage is approximate. Zeros are kept: they are
    legitimate Walsh-average inputs.

    Parameters
    ----------
    d : array_like
        Paired differences or a one-sample variable (NaN raises).
    confidence_level : float, default 0.95
        Two-sided confidence level in (0, 1).

    Returns
    -------
    (estimate, ci_low, ci_high) : tuple of float

    Raises
    ------
    ValueError
        If ``d`` is empty, or ``n`` is too small to reach ``confidence_level`` even with
        the widest interval (the min and max Walsh averages), e.g. ``n < 5`` at 95%.

    References
    ----------
    Hollander, M. and Wolfe, D. A. (1999). Nonparametric Statistical Methods, 2nd ed.
    Wiley, sec. 3.2.
    Hettmansperger, T. P. and McKean, J. W. (2011). Robust Nonparametric Statistical
    Methods, 2nd ed. CRC Press.

    Examples
    --------
    >>> hodges_lehmann([1.0, 2.0, 3.0, 4.0, 100.0, 5.0, 6.0])[0]
    4.0
    """
    if not 0.0 < confidence_level < 1.0:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level}")
    arr = _as_differences(d)
    n = arr.size
    if n == 0:
        raise ValueError("d is empty: the Hodges-Lehmann estimate needs at least one value")
    m = n * (n + 1) // 2

    z = z_quantile(1.0 - (1.0 - confidence_level) / 2.0)
    mu = n * (n + 1) / 4.0
    sigma = math.sqrt(n * (n + 1) * (2 * n + 1) / 24.0)
    c = math.floor(mu + 0.5 - z * sigma + 0.5)  # round half up; ties have probability 0
    if c < 1:
        raise ValueError(
            f"n = {n} is too small for a {confidence_level:.0%} Hodges-Lehmann interval: "
            f"the critical rank is {c} < 1 (even min..max of the Walsh averages falls short)"
        )
    c = min(c, (m + 1) // 2)
    # The Walsh averages' median and the c-th from each end, without forming all M of them
    # (O(n) memory: 10^6 pairs have 5 * 10^11 Walsh averages).
    middle = [(m + 1) // 2] if m % 2 else [m // 2, m // 2 + 1]
    found = _walsh_order_statistics(arr, [*middle, c, m + 1 - c])
    estimate = found[0] if m % 2 else float(np.mean(found[:2]))  # as np.median
    return estimate, found[-2], found[-1]
