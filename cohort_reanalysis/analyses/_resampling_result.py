"""The results of the resampling methods: a bootstrap interval of a mean and a sign-flip test,
with what makes either less trustworthy (a small n, a p-value at its floor) said where they
are shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from .._format import format_number, format_p
from ._result import Estimate, ResultDisplay

__all__ = ["BOOTSTRAP_MIN_N", "BootstrapResult", "PermutationResult", "small_sample_warning"]

# Below this n a bootstrap interval of a mean is too narrow to be trusted. The bootstrap
# resamples the sample as if it were the population: its spread is the plug-in SD (divisor n,
# a narrowness factor sqrt((n - 1) / n)) and its tails are normal-like rather than Student's
# t, so percentile and BCa intervals under-cover in small samples (Hesterberg 2015, "What
# teachers should know about the bootstrap", Am Stat 69:371-386, doi:10.1080/00031305.2015.1089789:
# less accurate than the t interval for small n; Efron & Tibshirani 1993, ch. 14, for BCa's
# accuracy being asymptotic). Measured here for a normal mean at 95 %: BCa covers about 86 %
# at n = 6, 90 % at n = 10 and 92.5 % at n = 20, while the t interval is exact
# (tests/analyses/test_resampling_result.py re-measures n = 6 and n = 20).
BOOTSTRAP_MIN_N = 20


def small_sample_warning(n: int, method: str) -> str:
    """The warning a bootstrap interval of a mean carries when ``n < BOOTSTRAP_MIN_N``.

    Examples
    --------
    >>> small_sample_warning(6, "bca").startswith("n = 6 is too small")
    True
    >>> small_sample_warning(20, "bca")
    ''
    """
    if n >= BOOTSTRAP_MIN_N:
        return ""
    name = "BCa" if method == "bca" else "percentile"
    return (
        f"n = {n} is too small for the {name} bootstrap interval to be trusted (below "
        f"{BOOTSTRAP_MIN_N} it is too narrow and covers less often than stated); the t interval "
        "is shown beside it"
    )


@dataclass(frozen=True)
class BootstrapResult(ResultDisplay):
    """Bootstrap confidence interval for a mean, with the t interval beside it.

    Attributes
    ----------
    estimate : float
        The sample mean.
    ci_low, ci_high : float
        Interval bounds.
    confidence_level : float
        Two-sided coverage asked for.
    method : str
        ``"bca"`` or ``"percentile"``.
    n_resamples : int
        Number of bootstrap resamples drawn.
    n : int
        Sample size.
    seed : str
        How the random generator was seeded, enough to reproduce the draw when an
        integer seed or fresh entropy was used.
    distribution : numpy.ndarray
        The ``n_resamples`` bootstrap means (read-only), e.g. for a Gardner-Altman plot.
    t_ci_low, t_ci_high : float or None
        Student's t interval of the mean at the same level (``None`` when every value is
        equal), the interval to read when ``warning`` says n is too small.
    warning : str
        Non-empty when ``n < BOOTSTRAP_MIN_N`` (20): the bootstrap interval is then too narrow
        to be trusted. Printed by ``str()``, the HTML repr and ``explain()``.
    """

    estimate: float
    ci_low: float
    ci_high: float
    confidence_level: float
    method: str
    n_resamples: int
    n: int
    seed: str
    distribution: npt.NDArray[np.float64] = field(repr=False, compare=False)
    t_ci_low: float | None = None
    t_ci_high: float | None = None
    warning: str = ""

    @property
    def trusted(self) -> bool:
        """Whether n is large enough for the bootstrap interval to be read on its own."""
        return not self.warning

    def _method_name(self) -> str:
        return "BCa" if self.method == "bca" else "percentile"

    def _title(self) -> str:
        return f"Bootstrap confidence interval of a mean, n = {self.n}"

    def _estimates(self) -> list[Estimate]:
        level = self.confidence_level
        t_note = "" if self.t_ci_low is not None else "every value is equal: the SD is 0"
        return [
            Estimate(
                "mean, bootstrap CI",
                self.estimate,
                self.ci_low,
                self.ci_high,
                level,
                n=self.n,
                method=f"{self._method_name()} bootstrap, {self.n_resamples} resamples",
                note=self.warning,
            ),
            Estimate(
                "mean, t CI",
                self.estimate,
                self.t_ci_low,
                self.t_ci_high,
                level if self.t_ci_low is not None else None,
                df=float(self.n - 1),
                n=self.n,
                method="Student t interval",
                note=t_note,
                reason=t_note,
            ),
        ]

    def _warnings(self) -> list[str]:
        return [self.warning]

    def _footer(self) -> str:
        return f"{self.n_resamples} resamples; {self.seed}."

    def _explanation(self) -> str:
        level = f"{self.confidence_level:.0%}"
        parts = [
            f"The bootstrap treats the {self.n} values as if they were the population: it "
            f"draws {self.n_resamples} samples of {self.n} from them with replacement and "
            f"looks at how the mean varies. The {level} {self._method_name()} interval, "
            f"{format_number(self.ci_low)} to {format_number(self.ci_high)}, is read from the "
            "spread of those resampled means"
            + (
                ", corrected for their bias and skewness (Efron 1987)."
                if self.method == "bca"
                else "."
            )
        ]
        if self.t_ci_low is not None:
            parts.append(
                f"Student's t interval, which assumes roughly normal values, is "
                f"{format_number(self.t_ci_low)} to {format_number(self.t_ci_high)}."
            )
        if self.warning:
            parts.append(
                f"With only {self.n} values the sample is a poor stand-in for the population: "
                "the resampled means vary less than means of new samples would, so the "
                "bootstrap interval is too narrow and covers the true mean less often than "
                f"{level}: {self.warning}. Read the t interval."
            )
        return " ".join(parts)


@dataclass(frozen=True)
class PermutationResult(ResultDisplay):
    """Sign-flip (one-sample / paired permutation) test of a mean.

    Attributes
    ----------
    statistic : float
        Observed mean of ``d``.
    pvalue : float
        Monte Carlo p-value ``(1 + #extreme) / (n_resamples + 1)``, never below
        ``1 / (n_resamples + 1)``.
    n_resamples : int
        Number of random sign patterns drawn.
    alternative : str
        ``"two-sided"``, ``"less"`` or ``"greater"``.
    n : int
        Sample size.
    seed : str
        How the random generator was seeded.

    ``warnings`` says when the p-value is at its floor, or when n is so small that no sign
    pattern can give p < 0.05; ``str()``, the HTML repr and ``explain()`` print them.
    """

    statistic: float
    pvalue: float
    n_resamples: int
    alternative: str
    n: int
    seed: str

    @property
    def smallest_exact_p(self) -> float:
        """The smallest p-value the exact sign-flip test of this n can give."""
        patterns = 2.0**self.n
        return (2.0 if self.alternative == "two-sided" else 1.0) / patterns

    def _title(self) -> str:
        return f"Sign-flip permutation test of a mean, n = {self.n}"

    def _estimates(self) -> list[Estimate]:
        return [
            Estimate(
                "mean",
                self.statistic,
                pvalue=self.pvalue,
                n=self.n,
                method=f"Monte Carlo sign-flip ({self.alternative}), {self.n_resamples} patterns",
                note="; ".join(self._warnings()),
            )
        ]

    def _warnings(self) -> list[str]:
        out = []
        if self.smallest_exact_p > 0.05:
            out.append(
                f"with n = {self.n} the smallest p any sign-flip test can give is "
                f"{format_number(self.smallest_exact_p)}, so it cannot reach 0.05"
            )
        if self.pvalue * (self.n_resamples + 1.0) <= 1.0 + 1e-9:
            out.append(
                f"p is at its floor 1/({self.n_resamples} + 1): no sign pattern drawn was as "
                "extreme as the data; more resamples would give a smaller p"
            )
        return out

    def _footer(self) -> str:
        return f"{self.n_resamples} random sign patterns; {self.seed}."

    def _explanation(self) -> str:
        return (
            f"If the treatment did nothing, each patient's change would be as likely to be "
            f"positive as negative. The sign-flip test flips the signs of the {self.n} changes "
            f"at random {self.n_resamples} times and counts how often the mean is at least as "
            f"extreme as the observed {format_number(self.statistic)} ({self.alternative}): "
            f"p = {format_p(self.pvalue)}. It assumes that changes are symmetric about 0 "
            "under no effect, not that they are normal, and, like any test, a small p says "
            "the mean change is unlikely to be 0, not how large it is."
        )
