"""Pearson's r, Spearman's rho and Kendall's tau-b with the statistics R's ``cor.test`` tests
them by (``exact = FALSE``): t on ``n - 2`` df for r and rho, z for tau-b.

Kendall's S is counted exactly in O(n log² n) (no n² pair matrices), and tau-b's variance is
Kendall's (1970) tie-corrected one that R uses, without continuity correction. Hand-written
rather than ``scipy.stats.kendalltau``: that returns no z, which R's ``cor.test`` prints and
the claims quote. r and rho are a few lines of arithmetic; ``scipy.stats`` would add its
import to every verification for no accuracy (the tests compare with it).
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from ._distributions import check_alternative, z_quantile
from ._ranks import average_ranks_rows

__all__ = [
    "CORRELATION_METHODS",
    "CorrelationTest",
    "correlation_rows",
    "correlation_test",
    "kendall_s",
    "kendall_tau_b",
    "kendall_tau_b_selected",
    "pearson_interval",
    "pearson_r",
    "spearman_rho",
    "t_from_r",
    "t_of_pair",
]

CORRELATION_METHODS = ("pearson", "spearman", "kendall")

Floats = npt.NDArray[np.float64]


def pearson_r(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    """Pearson's r of paired samples, clipped to [-1, 1] against rounding.

    Raises
    ------
    ValueError
        If a variable is constant.

    Examples
    --------
    >>> pearson_r([1.0, 2.0, 3.0], [2.0, 4.0, 7.0])
    0.9933992677987828
    """
    r = _pearson_rows(np.asarray(x, dtype=np.float64)[None], np.asarray(y, dtype=np.float64)[None])
    if math.isnan(r[0]):
        raise ValueError("a variable is constant, so the correlation is undefined")
    return float(r[0])


def _pearson_rows(x: Floats, y: Floats) -> Floats:
    """r of each row pair, clipped to [-1, 1]; NaN where a row is constant."""
    xc = x - x.mean(axis=-1, keepdims=True)
    yc = y - y.mean(axis=-1, keepdims=True)
    denom = np.sqrt((xc * xc).sum(axis=-1) * (yc * yc).sum(axis=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(denom > 0, (xc * yc).sum(axis=-1) / denom, np.nan)
    return np.clip(r, -1.0, 1.0)


def spearman_rho(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    """Spearman's rho: Pearson's r of the average ranks.

    Examples
    --------
    >>> spearman_rho([1.0, 2.0, 3.0, 4.0], [1.0, 3.0, 2.0, 9.0])
    0.8
    """
    xa = np.asarray(x, dtype=np.float64)[None]
    ya = np.asarray(y, dtype=np.float64)[None]
    return pearson_r(average_ranks_rows(xa)[0][0], average_ranks_rows(ya)[0][0])


def t_from_r(r: Any, df: Any) -> Any:
    """``t = r sqrt(df / (1 - r²))``, infinite with the sign of ``r`` when ``|r| = 1``
    (elementwise: arrays in, an array out).

    Examples
    --------
    >>> t_from_r(0.6, 16.0)
    3.0
    """
    ra = np.asarray(r, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(np.abs(ra) == 1.0, np.copysign(np.inf, ra), ra * np.sqrt(df / (1.0 - ra * ra)))
    return float(t) if t.ndim == 0 else t


def t_of_pair(x: npt.ArrayLike, y: npt.ArrayLike, df: float) -> tuple[float, float]:
    """Pearson's ``t`` on ``df`` df from the samples, stable as ``|r|`` nears 1, and the part
    of ``y`` (centred) that is not along ``x`` (its norm, ``|y| sin θ``).

    ``t = r sqrt(df / (1 - r²))`` loses every digit of ``1 - r²`` once ``r`` rounds to 1; the
    same ``t`` is ``sqrt(df) (x·y) / (|x| |e|)``, with ``e`` what is left of ``y`` after its
    projection on ``x``, which keeps them. A caller compares ``|e|`` with the rounding noise
    of its data to tell a near-perfect correlation from a degenerate one.

    Examples
    --------
    >>> t, left = t_of_pair([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 5.0], 2.0)
    >>> round(t, 9) == round(t_from_r(pearson_r([1, 2, 3, 4], [1, 2, 3, 5]), 2.0), 9)
    True
    """
    xa = np.asarray(x, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    xc = xa - xa.mean()
    yc = ya - ya.mean()
    xx, xy = float(np.dot(xc, xc)), float(np.dot(xc, yc))
    if xx == 0 or not np.any(yc):
        raise ValueError("a variable is constant, so the correlation is undefined")
    e = yc - (xy / xx) * xc
    left = math.sqrt(float(np.dot(e, e)))
    if left == 0:
        return math.copysign(math.inf, xy), 0.0
    return math.sqrt(df) * xy / (math.sqrt(xx) * left), left


def _inversions(seq: npt.NDArray[np.int64]) -> int:
    """Pairs ``i < j`` with ``seq[i] > seq[j]``, for non-negative integers, in O(n log² n).

    A pair is an inversion exactly when, at the highest bit where the two values differ,
    the earlier one has a 1 and the later one a 0; both share the bits above it. So for
    each bit, among values sharing the higher bits (kept in their original order by a
    stable sort), count the 1s that come before each 0. Vectorised, one pass per bit.
    """
    total = 0
    top = int(seq.max()).bit_length() if seq.size else 0
    for bit in range(top - 1, -1, -1):
        prefix = seq >> (bit + 1)
        order = np.argsort(prefix, kind="stable")
        grouped = prefix[order]
        ones = ((seq[order] >> bit) & 1).astype(np.int64)
        before = np.cumsum(ones) - ones  # 1s strictly before each position, all groups
        starts = np.flatnonzero(np.concatenate(([True], grouped[1:] != grouped[:-1])))
        group_of = np.repeat(np.arange(starts.size), np.diff(np.append(starts, seq.size)))
        in_group = before - before[starts][group_of]
        total += int(in_group[ones == 0].sum())
    return total


def kendall_s(x: npt.ArrayLike, y: npt.ArrayLike) -> int:
    """Kendall's S, concordant minus discordant pairs, without forming the n² pairs.

    Examples
    --------
    >>> kendall_s([1.0, 2.0, 3.0], [1.0, 3.0, 2.0])  # 2 concordant, 1 discordant
    1
    """
    xa = np.asarray(x, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    n = xa.size
    order = np.lexsort((ya, xa))  # by x, ties in x by y: such pairs never count as discordant
    xs, ys = xa[order], ya[order]
    _, y_rank = np.unique(ys, return_inverse=True)
    discordant = _inversions(y_rank.astype(np.int64).ravel())

    def tied_pairs(same: npt.NDArray[np.bool_]) -> int:
        # Pairs within runs of equal neighbours (in sorted order, ties are adjacent).
        starts = np.flatnonzero(np.concatenate(([True], ~same)))
        counts = np.diff(np.append(starts, n)).astype(np.int64)
        return int((counts * (counts - 1) // 2).sum())

    tied_x = tied_pairs(xs[1:] == xs[:-1])
    tied_xy = tied_pairs((xs[1:] == xs[:-1]) & (ys[1:] == ys[:-1]))
    tied_y = tied_pairs(np.diff(np.sort(ya)) == 0)
    all_pairs = n * (n - 1) // 2
    # Every pair is concordant, discordant or tied (in x, in y or both).
    concordant = all_pairs - discordant - tied_x - tied_y + tied_xy
    return concordant - discordant


def kendall_tau_b(x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[float, float]:
    """Kendall's tau-b and the z of R's ``cor.test(method = "kendall", exact = FALSE)``.

    Raises
    ------
    ValueError
        If a variable is constant.

    Examples
    --------
    >>> tau, z = kendall_tau_b([1.0, 2.0, 3.0, 4.0], [1.0, 3.0, 2.0, 4.0])
    >>> round(tau, 6), round(z, 6)
    (0.666667, 1.358732)
    """
    xa = np.asarray(x, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    s = np.array([float(kendall_s(xa, ya))])
    tau, z = _tau_b_rows(s, xa[None], ya[None])
    if math.isnan(tau[0]):
        raise ValueError("a variable is constant, so Kendall's tau is undefined")
    return float(tau[0]), float(z[0])


#: Above this many pairs, Kendall's S of each row is counted by :func:`kendall_s` (n log² n)
#: rather than from the n² signs.
_PAIRWISE_UP_TO = 2000


def _kendall_s_rows(x: Floats, y: Floats) -> Floats:
    """Kendall's S of each row pair (exact integers, as floats)."""
    k, n = x.shape
    if n > _PAIRWISE_UP_TO:
        return np.array([float(kendall_s(a, b)) for a, b in zip(x, y, strict=True)])
    out = np.empty(k)
    step = max(1, 2**22 // max(1, n * n))  # rows per chunk: a few MB of signs
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    for lo in range(0, k, step):
        xs, ys = x[lo : lo + step], y[lo : lo + step]
        sx = np.sign(xs[:, :, None] - xs[:, None, :])
        sy = np.sign(ys[:, :, None] - ys[:, None, :])
        out[lo : lo + step] = (sx * sy * upper).sum(axis=(1, 2))
    return out


def _tau_b_rows(s: Floats, x: Floats, y: Floats) -> tuple[Floats, Floats]:
    """tau-b and z of each row from its S (NaN where a variable is constant)."""
    keep = np.ones(x.shape, dtype=bool)
    return _tau_b(s, average_ranks_rows(x)[1], average_ranks_rows(y)[1], keep)


def _tau_b(
    s: Floats, tx_sizes: np.ndarray, ty_sizes: np.ndarray, keep: npt.NDArray[np.bool_]
) -> tuple[Floats, Floats]:
    """tau-b and z of each row from its S and the tie size of each kept value of x and y
    (NaN where a variable is constant)."""
    n = keep.sum(axis=-1).astype(np.float64)
    tx = np.where(keep, tx_sizes, 1).astype(np.float64)
    ty = np.where(keep, ty_sizes, 1).astype(np.float64)
    # Each tie group of size t counts t times when summed over the values: t (t - 1) is the
    # sum of t - 1 over its values, and so on (a value not kept counts as a singleton: 0).
    t0 = n * (n - 1.0) / 2.0
    px, py = (tx - 1.0).sum(axis=-1), (ty - 1.0).sum(axis=-1)
    t1, t2 = px / 2.0, py / 2.0
    with np.errstate(invalid="ignore", divide="ignore"):
        defined = (t0 - t1 > 0) & (t0 - t2 > 0)
        # tau-b = S / sqrt((n0 - n1)(n0 - n2)), divided in two steps as scipy.stats.kendalltau
        # does, so the two agree to the last bit.
        tau = np.where(defined, np.clip(s / np.sqrt(t0 - t1) / np.sqrt(t0 - t2), -1.0, 1.0), np.nan)
        v0 = n * (n - 1.0) * (2.0 * n + 5.0)
        vt = ((tx - 1.0) * (2.0 * tx + 5.0)).sum(axis=-1)
        vu = ((ty - 1.0) * (2.0 * ty + 5.0)).sum(axis=-1)
        v1 = px * py
        v2 = ((tx - 1.0) * (tx - 2.0)).sum(axis=-1) * ((ty - 1.0) * (ty - 2.0)).sum(axis=-1)
        var_s = (
            (v0 - vt - vu) / 18.0
            + v1 / (2.0 * n * (n - 1.0))
            + v2 / (9.0 * n * (n - 1.0) * (n - 2.0))
        )
        z = np.where(defined, s / np.sqrt(var_s), np.nan)
    return tau, z


def kendall_tau_b_selected(
    x: npt.ArrayLike, y: npt.ArrayLike, selected: npt.ArrayLike
) -> tuple[Floats, Floats]:
    """:func:`kendall_tau_b` of ``x[mask]`` and ``y[mask]`` for each row of a boolean
    ``selected`` (k x n; no NaN may be selected), as arrays; NaN where a variable is constant.

    Every subset's S is a quadratic form of its mask in the matrix of concordance signs
    (``m A mᵀ``, ``A[i, j] = sign(x_i - x_j) sign(y_i - y_j)`` for ``i < j``): one matrix
    product for all the subsets, in exact integer arithmetic. Above
    :data:`_PAIRWISE_UP_TO` values the n² matrix is not formed and each subset's S is counted
    by :func:`kendall_s`.

    Examples
    --------
    >>> tau, z = kendall_tau_b_selected([1.0, 2.0, 3.0, 4.0, 9.0], [1.0, 3.0, 2.0, 4.0, 0.0],
    ...                                 [[1, 1, 1, 1, 0], [1, 1, 1, 1, 1]])
    >>> round(float(tau[0]), 6), round(float(z[0]), 6)
    (0.666667, 1.358732)
    """
    xa = np.asarray(x, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    keep = np.asarray(selected, dtype=bool)
    n = xa.size
    if n > _PAIRWISE_UP_TO:
        s = np.array([float(kendall_s(xa[m], ya[m])) for m in keep])
    else:
        with np.errstate(invalid="ignore"):
            signs = np.sign(xa[:, None] - xa[None, :]) * np.sign(ya[:, None] - ya[None, :])
        signs = np.where(np.isnan(signs), 0.0, np.triu(signs, 1))
        m = keep.astype(np.float64)
        s = ((m @ signs) * m).sum(axis=-1)
    tx = average_ranks_rows(np.where(keep, xa, np.inf))[1]
    ty = average_ranks_rows(np.where(keep, ya, np.inf))[1]
    return _tau_b(s, tx, ty, keep)


class CorrelationTest(NamedTuple):
    """An estimate and the statistic R tests it by: t on ``df`` (``df`` None: a z)."""

    estimate: Any
    statistic: Any
    df: Any


def correlation_test(x: npt.ArrayLike, y: npt.ArrayLike, method: str) -> CorrelationTest:
    """r, rho or tau-b of ``x`` and ``y`` and its test statistic, as R's ``cor.test``.

    Pearson and Spearman: ``t = t_from_r(r, n - 2)`` (Spearman's p by the t approximation,
    ``exact = FALSE``); Kendall: z. Read the p-value with :func:`p_from_t` or
    :func:`p_from_z`.

    Raises
    ------
    ValueError
        If there are fewer than 3 pairs, a variable is constant, or ``method`` is unknown.

    Examples
    --------
    >>> correlation_test([1.0, 2.0, 3.0, 4.0, 5.0], [2.0, 1.0, 4.0, 3.0, 5.0], "pearson").df
    3.0
    """
    xa = np.asarray(x, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    n = xa.size
    if method not in CORRELATION_METHODS:
        raise ValueError(f"method must be one of {CORRELATION_METHODS}, got {method!r}")
    if n < 3:
        raise ValueError(f"a correlation test needs at least 3 complete pairs, got {n}")
    if method == "kendall":
        tau, z = kendall_tau_b(xa, ya)
        return CorrelationTest(tau, z, None)
    r = pearson_r(xa, ya) if method == "pearson" else spearman_rho(xa, ya)
    df = float(n - 2)
    return CorrelationTest(r, t_from_r(r, df), df)


def correlation_rows(x: npt.ArrayLike, y: npt.ArrayLike, method: str) -> CorrelationTest:
    """:func:`correlation_test` of each row pair of 2-D ``x`` and ``y`` (k x n), as arrays
    (``df`` a float, or None for Kendall's z); NaN where :func:`correlation_test` raises
    (fewer than 3 pairs, a constant variable).

    Examples
    --------
    >>> res = correlation_rows([[1.0, 2.0, 3.0, 4.0], [1.0, 1.0, 1.0, 1.0]],
    ...                        [[1.0, 3.0, 2.0, 4.0], [1.0, 2.0, 3.0, 4.0]], "spearman")
    >>> round(float(res.estimate[0]), 12), bool(np.isnan(res.statistic[1])), res.df
    (0.8, True, 2.0)
    """
    xa = np.asarray(x, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    k, n = xa.shape
    if method not in CORRELATION_METHODS:
        raise ValueError(f"method must be one of {CORRELATION_METHODS}, got {method!r}")
    if n < 3:
        nan = np.full(k, np.nan)
        return CorrelationTest(nan, nan, None if method == "kendall" else float(n - 2))
    if method == "kendall":
        tau, z = _tau_b_rows(_kendall_s_rows(xa, ya), xa, ya)
        return CorrelationTest(tau, z, None)
    if method == "spearman":
        xa, ya = average_ranks_rows(xa)[0], average_ranks_rows(ya)[0]
    r = _pearson_rows(xa, ya)
    df = float(n - 2)
    return CorrelationTest(r, t_from_r(r, df), df)


def pearson_interval(
    r: float, n: int, *, confidence_level: float = 0.95, alternative: str = "two-sided"
) -> tuple[float, float]:
    """Interval of Pearson's r by Fisher's z, as R's ``cor.test`` prints it.

    ``tanh(atanh(r) -+ q / sqrt(n - 3))`` with ``q`` the normal quantile of the level (one
    side: ``(-1, ...)`` or ``(..., 1)``).

    Raises
    ------
    ValueError
        If ``n < 4`` (R gives no interval then) or the level is not in (0, 1).

    Examples
    --------
    >>> low, high = pearson_interval(0.5, 28)  # atanh(0.5) -+ 1.959964 / 5
    >>> round(low, 12), round(high, 12)
    (0.156028362529, 0.735818479444)
    """
    check_alternative(alternative)
    if n < 4:
        raise ValueError(f"an interval of r needs 4+ pairs, got {n}")
    if not 0.0 < confidence_level < 1.0:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level!r}")
    z = math.atanh(r)
    sigma = 1.0 / math.sqrt(n - 3.0)
    if alternative == "less":
        return -1.0, math.tanh(z + sigma * z_quantile(confidence_level))
    if alternative == "greater":
        return math.tanh(z - sigma * z_quantile(confidence_level)), 1.0
    q = z_quantile((1.0 + confidence_level) / 2.0)
    return math.tanh(z - sigma * q), math.tanh(z + sigma * q)
