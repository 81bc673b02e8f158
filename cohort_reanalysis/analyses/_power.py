"""The power of paired tests by simulation: how often a test rejects when the truth is known.

``simulate_power`` estimates the power of the paired t-test, the Wilcoxon signed-rank test or
the sign-flip test, the simulations of each task at once as one matrix. The studies are split
into tasks of a fixed size, each with its own random stream spawned from the seed
(``numpy.random.SeedSequence.spawn``), so they can run on any ``concurrent.futures.Executor``
and give the same result with or without one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from .._format import format_number
from ._kernel import (
    Alternative,
    check_alternative,
    one_sample_t,
    p_from_t,
    p_from_z,
    signed_rank_z,
    t_quantile,
)
from ._resampling import SeedLike, _make_rng
from ._result import Estimate, ResultDisplay
from ._simulate import _CHUNK_BYTES, _count, _finite

__all__ = ["PowerResult", "simulate_power"]

PowerTest = Literal["paired_t", "wilcoxon", "sign_flip"]
_TESTS = ("paired_t", "wilcoxon", "sign_flip")
# Simulated studies per task of simulate_power: the unit of seeding and of distribution. Fixed,
# never derived from the executor, so that the result does not depend on where tasks run.
_TASK_SIMS = 1000


@dataclass(frozen=True)
class PowerResult(ResultDisplay):
    """Power of a paired test estimated by simulation.

    Attributes
    ----------
    power : float
        Share of the ``n_sims`` simulated studies in which the test rejected at ``alpha``.
    mc_se : float
        Monte Carlo standard error of ``power``: ``sqrt(power (1 - power) / n_sims)``.
    ci_low, ci_high : float
        95 % Wilson interval for the true power given the simulations (Monte Carlo error
        only; more ``n_sims`` narrows it).
    n_rejected, n_sims : int
        Rejections and simulated studies.
    n : int
        Patients per simulated study.
    true_change, sd_change : float
        The truth simulated: changes ``after - before`` are ``N(true_change, sd_change²)``.
    alpha : float
        Significance level.
    test : str
        ``"paired_t"``, ``"wilcoxon"`` or ``"sign_flip"``.
    alternative : str
        ``"two-sided"``, ``"less"`` or ``"greater"``, for the mean change.
    analytic_power : float or None
        The exact power of the paired t-test from the noncentral t distribution (``paired_t``
        only; ``None`` otherwise, with the reason in ``reasons``).
    n_resamples : int or None
        Sign patterns per simulated study (``sign_flip`` only).
    seed : str
        How the random generator was seeded.
    method : str
        What was simulated and how each test was computed.

    Examples
    --------
    >>> from cohort_reanalysis import simulate_power
    >>> result = simulate_power(20, true_change=-0.5, sd_change=1.0, n_sims=500, seed=1)
    >>> result.n_sims, result.effect_size, result.ci_low < result.power < result.ci_high
    (500, -0.5, True)
    >>> round(result.analytic_power, 3)  # the noncentral t: the simulation's target
    0.565
    """

    power: float
    mc_se: float
    ci_low: float
    ci_high: float
    n_rejected: int
    n_sims: int
    n: int
    true_change: float
    sd_change: float
    alpha: float
    test: str
    alternative: str
    analytic_power: float | None
    n_resamples: int | None
    seed: str
    method: str
    reasons: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), repr=False)

    @property
    def effect_size(self) -> float:
        """The standardised true effect ``d_z = true_change / sd_change``."""
        return self.true_change / self.sd_change

    def _title(self) -> str:
        return f"Power of the {_TEST_NAMES[self.test]} by simulation, n = {self.n}"

    def _estimates(self) -> list[Estimate]:
        out = [
            Estimate(
                "power (simulated)",
                self.power,
                self.ci_low,
                self.ci_high,
                0.95,
                n=self.n,
                method=f"{self.n_rejected} of {self.n_sims} studies rejected",
                note="Wilson interval: Monte Carlo error only",
            ),
            Estimate("Monte Carlo SE", self.mc_se, n=self.n, method="sqrt(p (1 - p) / n_sims)"),
        ]
        out.append(
            Estimate(
                "power (exact, noncentral t)",
                self.analytic_power,
                n=self.n,
                method="noncentral t distribution" if self.analytic_power is not None else "",
                note=self.reasons.get("analytic_power", ""),
            )
        )
        return out

    def _warnings(self) -> list[str]:
        half = (self.ci_high - self.ci_low) / 2.0
        if half <= 0.05:
            return []
        return [
            f"{self.n_sims} simulated studies leave the power uncertain by about "
            f"±{format_number(half)} (95% Monte Carlo interval); simulate more studies"
        ]

    def _footer(self) -> str:
        extra = "" if self.n_resamples is None else f", {self.n_resamples} sign patterns each"
        return (
            f"Truth: change ~ N({format_number(self.true_change)}, SD "
            f"{format_number(self.sd_change)}), d_z = {format_number(self.effect_size)}; "
            f"alpha = {self.alpha:g}, {self.alternative}; {self.n_sims} simulated "
            f"studies{extra}; {self.seed}."
        )

    def to_frame(self) -> pd.DataFrame:
        """One row: the simulated power, its Monte Carlo error, the settings, and in ``note``
        the warnings and the reasons for missing values."""
        return pd.DataFrame(
            [
                {
                    "test": self.test,
                    "n": self.n,
                    "true_change": self.true_change,
                    "sd_change": self.sd_change,
                    "alpha": self.alpha,
                    "alternative": self.alternative,
                    "power": self.power,
                    "mc_se": self.mc_se,
                    "ci_low": self.ci_low,
                    "ci_high": self.ci_high,
                    "analytic_power": self.analytic_power,
                    "n_sims": self.n_sims,
                    "note": "; ".join(self.caveats()),
                }
            ]
        )

    def _explanation(self) -> str:
        """What the power means, for a student."""
        pct = f"{self.power:.0%}"
        parts = [
            f"Power is the chance that a study finds a significant result when the effect is "
            f"real. Here {self.n_sims} studies of {self.n} patients each were simulated in "
            f"which the true mean change is {format_number(self.true_change)} with an SD of "
            f"the changes of {format_number(self.sd_change)} (a standardised effect d_z = "
            f"{format_number(self.effect_size)}). The {_TEST_NAMES[self.test]} "
            f"({self.alternative}, alpha = {self.alpha:g}) rejected in "
            f"{self.n_rejected} of them: power about {pct} (Monte Carlo SE "
            f"{format_number(self.mc_se)}; more simulations make this more precise)."
        ]
        if self.analytic_power is not None:
            parts.append(
                f"For the paired t-test power can also be computed exactly from the noncentral "
                f"t distribution: {format_number(self.analytic_power)}; the simulation should "
                f"agree within about two Monte Carlo SEs."
            )
        if self.true_change == 0.0:
            parts.append(
                "With no true change, every rejection is a false positive, so this 'power' is "
                "the test's actual type I error rate and should be close to alpha."
            )
        parts.append(
            "Power depends on the assumed effect and SD, which are guesses before a study; "
            "a study with low power that finds nothing has not shown that there is no effect."
        )
        return " ".join(parts)


_TEST_NAMES = {
    "paired_t": "paired t-test",
    "wilcoxon": "Wilcoxon signed-rank test",
    "sign_flip": "sign-flip permutation test",
}


def _t_pvalues(d: npt.NDArray[np.float64], alternative: str) -> npt.NDArray[np.float64]:
    test = one_sample_t(d)  # one per row
    return np.asarray(p_from_t(test.statistic, test.df, alternative))


def _wilcoxon_pvalues(d: npt.NDArray[np.float64], alternative: str) -> npt.NDArray[np.float64]:
    """Signed-rank p-values, one per row: normal approximation with continuity correction,
    as :func:`~._ranks.wilcoxon_signed_rank` (and R's ``exact = FALSE``). Continuous data
    have no zeros or ties (almost surely), so plain ranks and the untied variance apply."""
    n = d.shape[1]
    ranks = np.argsort(np.argsort(np.abs(d), axis=1), axis=1) + 1.0
    v = np.where(d > 0.0, ranks, 0.0).sum(axis=1)
    z = signed_rank_z(v, n, correct=True, alternative=alternative)
    return np.asarray(p_from_z(z, alternative))


def _sign_flip_pvalues(
    d: npt.NDArray[np.float64], alternative: str, n_resamples: int, rng: np.random.Generator
) -> npt.NDArray[np.float64]:
    """Monte Carlo sign-flip p-values ``(1 + #extreme) / (n_resamples + 1)``, one per row.

    The rows of ``d`` share one matrix of random signs, so all the sums are one matrix
    product; each row's p-value is a valid Monte Carlo test on its own.
    """
    n = d.shape[1]
    signs = rng.choice(np.array([-1.0, 1.0]), size=(n, n_resamples))
    observed = d.sum(axis=1)
    flipped = d @ signs  # (rows, n_resamples)
    # Patterns that reproduce the observed sum up to rounding count as extreme (as scipy).
    gamma = 100.0 * np.finfo(np.float64).eps * np.abs(d).sum(axis=1)
    if alternative == "less":
        extreme = flipped <= (observed + gamma)[:, None]
    elif alternative == "greater":
        extreme = flipped >= (observed - gamma)[:, None]
    else:
        extreme = np.abs(flipped) >= (np.abs(observed) - gamma)[:, None]
    return np.asarray((1.0 + extreme.sum(axis=1)) / (n_resamples + 1.0))


def _analytic_t_power(n: int, delta: float, sd: float, alpha: float, alternative: str) -> float:
    from scipy.stats import nct

    df = n - 1
    ncp = delta / sd * math.sqrt(n)
    if alternative == "less":
        return float(nct.cdf(t_quantile(alpha, df), df, ncp))
    if alternative == "greater":
        return float(nct.sf(t_quantile(1.0 - alpha, df), df, ncp))
    crit = t_quantile(1.0 - alpha / 2.0, df)
    return float(nct.sf(crit, df, ncp) + nct.cdf(-crit, df, ncp))


def _wilson(k: int, m: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / m
    denom = 1.0 + z * z / m
    centre = (p + z * z / (2 * m)) / denom
    half = z * math.sqrt(p * (1.0 - p) / m + z * z / (4 * m * m)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def _rejections(
    m: int,
    seed: np.random.SeedSequence,
    n: int,
    delta: float,
    sd: float,
    alpha: float,
    test: str,
    alternative: str,
    b: int | None,
) -> int:
    """One task of :func:`simulate_power`: ``m`` studies from their own stream; rejections."""
    rng = np.random.default_rng(seed)
    width = n if b is None else n + b  # floats held per simulated study
    rows = max(1, _CHUNK_BYTES // (8 * width))
    rejected = 0
    for start in range(0, m, rows):
        k = min(rows, m - start)
        d = rng.normal(delta, sd, size=(k, n))
        if test == "paired_t":
            p = _t_pvalues(d, alternative)
        elif test == "wilcoxon":
            p = _wilcoxon_pvalues(d, alternative)
        else:
            assert b is not None
            p = _sign_flip_pvalues(d, alternative, b, rng)
        rejected += int(np.count_nonzero(p <= alpha))
    return rejected


def simulate_power(
    n: int,
    *,
    true_change: float,
    sd_change: float,
    alpha: float = 0.05,
    n_sims: int = 2000,
    test: PowerTest = "paired_t",
    alternative: Alternative = "two-sided",
    n_resamples: int = 999,
    seed: SeedLike = None,
    executor: Executor | None = None,
) -> PowerResult:
    """Power of a paired test by simulation: how often it rejects when the truth is known.

    Each of ``n_sims`` studies draws ``n`` changes ``after - before`` from
    ``N(true_change, sd_change²)`` and runs the test; the power is the share that reject at
    ``alpha``. The studies are simulated in tasks of 1000, each as one ``(studies, n)``
    matrix (in chunks that bound memory), never one at a time. Each task draws from its own
    stream, spawned from ``seed`` with :meth:`numpy.random.SeedSequence.spawn`, so the tasks
    are independent and the result is the same whether they run here or on ``executor``.

    Parameters
    ----------
    n : int
        Patients per study, at least 2.
    true_change : float
        True mean change (0 gives the type I error rate).
    sd_change : float
        True SD of the changes (> 0).
    alpha : float, default 0.05
    n_sims : int, default 2000
        Simulated studies; the Monte Carlo SE is at most ``0.5 / sqrt(n_sims)``.
    test : {"paired_t", "wilcoxon", "sign_flip"}, default "paired_t"
        The paired t-test; the Wilcoxon signed-rank test by the normal approximation with
        continuity correction (as ``paired_change`` computes it); or the Monte Carlo
        sign-flip test of the mean (as ``sign_flip_test``).
    alternative : {"two-sided", "less", "greater"}, default "two-sided"
        For the mean change: ``"less"`` asks whether values fell.
    n_resamples : int, default 999
        Sign patterns per study for ``"sign_flip"`` (ignored otherwise).
    seed : int, numpy.random.Generator or None
    executor : concurrent.futures.Executor, optional
        Run the tasks on this executor (e.g. ``ProcessPoolExecutor()``, or Dask's
        ``client.get_executor()``); the result is identical to running them here.

    Returns
    -------
    PowerResult

    Examples
    --------
    >>> res = simulate_power(20, true_change=-0.5, sd_change=1.0, seed=0)
    >>> abs(res.power - res.analytic_power) < 4 * res.mc_se
    True
    """
    n = _count("n", n, 2)
    n_sims = _count("n_sims", n_sims, 1)
    delta = _finite("true_change", true_change)
    sd = _finite("sd_change", sd_change)
    a = _finite("alpha", alpha)
    if sd <= 0.0:
        raise ValueError(f"sd_change must be positive, got {sd_change!r}")
    if not 0.0 < a < 1.0:
        raise ValueError(f"alpha must lie in (0, 1), got {alpha!r}")
    if test not in _TESTS:
        raise ValueError(f"test must be one of {_TESTS}, got {test!r}")
    check_alternative(alternative)
    b = _count("n_resamples", n_resamples, 1) if test == "sign_flip" else None
    rng, seed_desc = _make_rng(seed)

    sizes = [min(_TASK_SIMS, n_sims - start) for start in range(0, n_sims, _TASK_SIMS)]
    # One independent stream per task, all determined by the caller's seed or generator.
    root = np.random.SeedSequence(rng.integers(0, 2**63, size=4).tolist())
    tasks = list(zip(sizes, root.spawn(len(sizes)), strict=True))
    args = (n, delta, sd, a, test, alternative, b)
    if executor is None:
        rejected = sum(_rejections(m, s, *args) for m, s in tasks)
    else:
        futures = [executor.submit(_rejections, m, s, *args) for m, s in tasks]
        rejected = sum(f.result() for f in futures)

    power = rejected / n_sims
    lo, hi = _wilson(rejected, n_sims)
    reasons: dict[str, str] = {}
    analytic: float | None = None
    if test == "paired_t":
        analytic = _analytic_t_power(n, delta, sd, a, alternative)
    else:
        reasons["analytic_power"] = "no closed form is used for this test; simulation only"
    methods = {
        "paired_t": "paired t-test on n - 1 df",
        "wilcoxon": "signed-rank test, normal approximation with continuity correction",
        "sign_flip": f"Monte Carlo sign-flip test of the mean, {b} sign patterns per study",
    }
    return PowerResult(
        power=power,
        mc_se=math.sqrt(power * (1.0 - power) / n_sims),
        ci_low=lo,
        ci_high=hi,
        n_rejected=rejected,
        n_sims=n_sims,
        n=n,
        true_change=delta,
        sd_change=sd,
        alpha=a,
        test=test,
        alternative=alternative,
        analytic_power=analytic,
        n_resamples=b,
        seed=seed_desc,
        method=f"{n_sims} studies of {n} normal changes; {methods[test]}",
        reasons=MappingProxyType(reasons),
    )
