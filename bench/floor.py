"""Plain vectorised numpy references: the floor the library's timings are compared with.

Each function does the minimum work of its operation, written the way a careful user would
write it in a few lines of numpy: no input checks, no result objects, chunked only so that
memory stays bounded (about 32 MB per chunk, like the library). They are references for
speed, not for statistics: the library's tests check the statistics.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
_CHUNK_ELEMENTS = 2**22  # 4 Mi elements: 32 MB of int64 indices or float64 values


def bootstrap_ci(
    x: FloatArray, *, n_resamples: int, seed: int, confidence_level: float = 0.95
) -> tuple[float, float, float]:
    """Percentile bootstrap CI of the mean: resample indices, gather, average, 2 quantiles."""
    rng = np.random.default_rng(seed)
    n = x.size
    rows = max(1, _CHUNK_ELEMENTS // n)
    means = np.empty(n_resamples)
    for start in range(0, n_resamples, rows):
        stop = min(start + rows, n_resamples)
        means[start:stop] = x[rng.integers(0, n, size=(stop - start, n))].mean(axis=1)
    alpha = (1.0 - confidence_level) / 2.0
    lo, hi = np.quantile(means, [alpha, 1.0 - alpha])
    return float(x.mean()), float(lo), float(hi)


def sign_flip_pvalue(d: FloatArray, *, n_resamples: int, seed: int) -> float:
    """Two-sided Monte Carlo sign-flip p-value of the mean: random bits, one mat-vec product."""
    rng = np.random.default_rng(seed)
    n = d.size
    rows = max(1, _CHUNK_ELEMENTS // n)
    total = float(d.sum())
    observed = abs(total)
    extreme = 0
    for start in range(0, n_resamples, rows):
        m = min(rows, n_resamples - start)
        bits = rng.integers(0, 2, size=(m, n), dtype=np.int8).astype(np.float64)
        # sum(s * d) with s = 2 * bit - 1
        extreme += int(np.count_nonzero(np.abs(2.0 * (bits @ d) - total) >= observed))
    return (1.0 + extreme) / (n_resamples + 1.0)


def paired_tests(before: FloatArray, after: FloatArray) -> dict[str, float]:
    """Paired t-test (p and 95% CI) and Wilcoxon signed-rank (normal approximation, ties and
    continuity corrected, zeros dropped), as R's t.test and wilcox.test(exact = FALSE)."""
    from scipy.special import ndtr, stdtr, stdtrit

    d = after - before
    n = d.size
    mean = float(d.mean())
    se = float(d.std(ddof=1)) / math.sqrt(n)
    t = mean / se
    df = n - 1.0
    half = float(stdtrit(df, 0.975)) * se
    nz = d[d != 0.0]
    m = nz.size
    absd = np.abs(nz)
    order = np.argsort(absd, kind="stable")
    sorted_abs = absd[order]
    # Average ranks of ties: the first and last position of each run of equal values.
    starts = np.flatnonzero(np.r_[True, sorted_abs[1:] != sorted_abs[:-1]])
    counts = np.diff(np.r_[starts, m])
    avg = starts + (counts + 1) / 2.0
    ranks = np.empty(m)
    ranks[order] = np.repeat(avg, counts)
    v = float(ranks[nz > 0].sum())
    centred = v - m * (m + 1) / 4.0
    var = m * (m + 1) * (2 * m + 1) / 24.0 - float((counts**3 - counts).sum()) / 48.0
    z = (centred - 0.5 * math.copysign(1.0, centred)) / math.sqrt(var)
    return {
        "mean": mean,
        "t": t,
        "p_t": float(2.0 * stdtr(df, -abs(t))),
        "ci_low": mean - half,
        "ci_high": mean + half,
        "v": v,
        "p_wilcoxon": float(min(1.0, 2.0 * ndtr(-abs(z)))),
    }


def paired_analysis(
    before: FloatArray, after: FloatArray, *, n_resamples: int, seed: int
) -> dict[str, float]:
    """The floor of a whole paired analysis: tests, bootstrap CI and sign-flip p."""
    out = paired_tests(before, after)
    d = after - before
    _, out["boot_low"], out["boot_high"] = bootstrap_ci(d, n_resamples=n_resamples, seed=seed)
    out["p_perm"] = sign_flip_pvalue(d, n_resamples=n_resamples, seed=seed + 1)
    return out


def t_power(
    n: int, *, true_change: float, sd_change: float, n_sims: int, seed: int, alpha: float = 0.05
) -> float:
    """Simulated power of the two-sided paired t-test: one (n_sims, n) matrix."""
    from scipy.special import stdtr

    rng = np.random.default_rng(seed)
    d = rng.normal(true_change, sd_change, size=(n_sims, n))
    t = d.mean(axis=1) / (d.std(axis=1, ddof=1) / math.sqrt(n))
    p = 2.0 * stdtr(n - 1.0, -np.abs(t))
    return float(np.count_nonzero(p <= alpha) / n_sims)
