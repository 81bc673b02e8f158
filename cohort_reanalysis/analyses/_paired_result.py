"""The result of :func:`~._paired.paired_change`: the paired t-test, effect sizes and their
rank-based companions, with their rendering and the costly extras (bootstrap, permutation,
Bayes factor, power) as methods.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, NamedTuple

import numpy as np

from .._format import count_noun, format_number, format_p
from ..cohort import Exclusion, PairedData
from ._effect_sizes import EffectSize
from ._kernel import t_interval
from ._ranks import WilcoxonResult
from ._result import AnalysisResult, Estimate

if TYPE_CHECKING:
    from ._resampling import BootstrapResult, PermutationResult

__all__ = ["ConfidenceInterval", "HodgesLehmann", "PairedChangeResult", "ShapiroWilk"]


class ConfidenceInterval(NamedTuple):
    """A confidence interval, as returned by ``scipy.stats`` result classes."""

    low: float
    high: float


@dataclass(frozen=True)
class HodgesLehmann:
    """Hodges-Lehmann estimate of the centre of the changes (median of Walsh averages).

    ``ci_low``/``ci_high`` are a two-sided distribution-free interval (inverting the
    signed-rank test), ``None`` when ``n`` is too small to reach ``confidence_level``.
    """

    estimate: float
    ci_low: float | None
    ci_high: float | None
    confidence_level: float


@dataclass(frozen=True)
class ShapiroWilk:
    """Shapiro-Wilk test of normality of the changes. Reported, never used to choose a test."""

    statistic: float
    pvalue: float


@dataclass(frozen=True)
class PairedChangeResult(AnalysisResult):
    """Paired change ``after - before`` of one measure: t-test, effect sizes, rank tests.

    Every number is stored at full precision. A quantity that cannot be computed (for
    example the t statistic when ``n = 1``, or when every difference is equal) is ``None``
    and ``reasons[name]`` says why.

    Attributes
    ----------
    n : int
        Complete pairs used.
    mean_before, mean_after : float
        Means of the two visits over the pairs used.
    estimate : float
        Mean change, ``after - before`` (negative: a fall).
    sd_change, se : float or None
        Sample SD (``ddof=1``) of the changes and the standard error of their mean.
    statistic, df, pvalue : float or None
        Paired t statistic, its degrees of freedom ``n - 1`` and p-value for ``alternative``.
    ci_low, ci_high : float or None
        Confidence interval of the mean change (one-sided alternatives give an infinite bound,
        as in R's ``t.test``).
    confidence_level : float
    alternative : {"two-sided", "less", "greater"}
        In the ``after - before`` direction: ``"less"`` tests for a fall.
    d_z, d_av, d_rm : EffectSize or None
        Standardised mean changes (Lakens 2013): by the SD of the changes, by the average of
        the two SDs, and the repeated-measures d.
    wilcoxon : WilcoxonResult or None
        Wilcoxon signed-rank test of the changes (normal approximation, as R with
        ``exact = FALSE``). Its ``statistic`` V is the sum of the ranks of the *positive*
        ``after - before`` changes. R's ``wilcox.test(before, after, paired = TRUE)`` reports
        the sum of the ranks of the positive ``before - after`` differences instead:
        ``V_R = n_used (n_used + 1) / 2 - V`` (zeros are dropped by both); two-sided p-values
        are identical.
    hodges_lehmann : HodgesLehmann
        Always present; its interval is None when n is too small (see reasons).
    shapiro : ShapiroWilk or None
        Shapiro-Wilk on the changes, shown beside the tests and never used to switch test.
    measure, unit, before_label, after_label : str or None
    rows : ndarray
        File row numbers of the pairs used.
    excluded : tuple of Exclusion
        Rows left out, with reasons.
    reasons : mapping of str to str
        For each field that is ``None``, why.
    pairs : PairedData
        The data analysed (not shown in the repr).

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset, paired_change
    >>> result = paired_change(load_dataset("matsuoka2025"))
    >>> result.n, round(result.estimate, 4), result.df, result.pvalue < 1e-5
    (58, -0.7931, 57.0, True)
    >>> result.wilcoxon.pvalue < 1e-6, result.excluded
    (True, ())
    """

    n: int
    mean_before: float
    mean_after: float
    estimate: float
    sd_change: float | None
    se: float | None
    statistic: float | None
    df: float | None
    pvalue: float | None
    ci_low: float | None
    ci_high: float | None
    confidence_level: float
    alternative: str
    d_z: EffectSize | None
    d_av: EffectSize | None
    d_rm: EffectSize | None
    wilcoxon: WilcoxonResult | None
    hodges_lehmann: HodgesLehmann
    shapiro: ShapiroWilk | None
    measure: str | None
    unit: str | None
    before_label: str
    after_label: str
    rows: np.ndarray = field(repr=False, compare=False)
    excluded: tuple[Exclusion, ...]
    pairs: PairedData = field(repr=False, compare=False)
    reasons: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    # Aliases used by reports and the CLI contract.
    @property
    def mean_change(self) -> float:
        """The mean change ``after - before`` (same as ``estimate``)."""
        return self.estimate

    @property
    def change(self) -> np.ndarray:
        """The individual changes ``after - before``, in the order of ``rows``."""
        return np.asarray(self.pairs.change)

    # ------------------------------------------------------------------ extras
    def confidence_interval(self, confidence_level: float = 0.95) -> ConfidenceInterval:
        """Confidence interval of the mean change at another level, like scipy's TtestResult.

        Follows ``alternative`` (one-sided: one infinite bound).

        Raises
        ------
        ValueError
            If the interval is undefined (``n < 2`` or every difference equal).
        """
        if self.se is None or self.df is None or self.se == 0.0:
            raise ValueError(
                "the confidence interval is undefined: "
                + self.reasons.get("ci", "the standard error is 0")
            )
        low, high = t_interval(self.estimate, self.se, self.df, confidence_level, self.alternative)
        return ConfidenceInterval(low, high)

    def bootstrap(
        self,
        *,
        n_resamples: int = 10_000,
        method: Literal["bca", "percentile"] = "bca",
        confidence_level: float | None = None,
        seed: int | np.random.Generator | None = None,
    ) -> BootstrapResult:
        """Bootstrap confidence interval of the mean change (vectorised, seeded).

        Parameters
        ----------
        n_resamples : int, default 10_000
        method : {"bca", "percentile"}
        confidence_level : float, optional
            Default: the result's ``confidence_level``.
        seed : int, Generator or None
            Pass an int for a reproducible interval.

        Examples
        --------
        >>> import numpy as np
        >>> from cohort_reanalysis.analyses._paired import paired_change
        >>> from cohort_reanalysis.cohort import PairedData
        >>> p = PairedData(np.array([7.0, 8.0, 9.0, 7.5, 8.2]), np.array([6.5, 7.1, 8.8, 7.6, 7.0]),
        ...                np.arange(1, 6), ())
        >>> b = paired_change(p).bootstrap(n_resamples=2000, seed=1)
        >>> b.ci_low < b.estimate < b.ci_high
        True
        """
        from ._resampling import bootstrap_mean_ci

        level = self.confidence_level if confidence_level is None else confidence_level
        return bootstrap_mean_ci(
            self.change,
            n_resamples=n_resamples,
            confidence_level=level,
            method=method,
            seed=seed,
        )

    def permutation(
        self, *, n_resamples: int = 10_000, seed: int | np.random.Generator | None = None
    ) -> PermutationResult:
        """Sign-flip permutation test of the mean change (p floored at ``1/(B+1)``)."""
        from ._resampling import sign_flip_test

        return sign_flip_test(
            self.change,
            n_resamples=n_resamples,
            alternative=self.alternative,  # type: ignore[arg-type]
            seed=seed,
        )

    def bayes_factor(self) -> float:
        """JZS Bayes factor BF10 of the paired t-test (Rouder et al. 2009; Cauchy r = 0.707).

        Computed by ``pingouin.bayesfactor_ttest(t, n, paired=True, r=0.707)``, which supports
        the two-sided alternative only.

        Raises
        ------
        ValueError
            If the t statistic is undefined, or the result's alternative is one-sided.
        """
        if self.statistic is None:
            raise ValueError("no Bayes factor: " + self.reasons.get("statistic", "t undefined"))
        if self.alternative != "two-sided":
            raise ValueError(
                "the JZS Bayes factor is computed for the two-sided alternative only "
                f"(this result is {self.alternative!r}); rerun paired_change two-sided"
            )
        import pingouin

        return float(
            pingouin.bayesfactor_ttest(
                self.statistic, self.n, paired=True, alternative="two-sided", r=0.707
            )
        )

    def power(self, *, alpha: float = 0.05, effect: float | None = None) -> float:
        """Power of a paired t-test with this ``n`` to detect a standardised change ``effect``.

        ``effect`` is a d_z (mean change / SD of the changes), default the observed d_z.
        Computed by ``pingouin.power_ttest(d=effect, n=n, contrast="paired", alternative=...)``.

        Post-hoc ("observed") power at the observed effect is a one-to-one function of the
        p-value (high p, low power) and adds no information about the data; use it only
        to plan a study, with an effect chosen on external grounds.

        Raises
        ------
        ValueError
            If ``effect`` is not given and d_z is undefined, or ``n < 2``.
        """
        if effect is None:
            if self.d_z is None:
                raise ValueError("no observed d_z: " + self.reasons.get("d_z", "undefined"))
            effect = self.d_z.estimate
        if self.n < 2:
            raise ValueError(f"power needs n >= 2, got n = {self.n}")
        import pingouin

        return float(
            pingouin.power_ttest(
                d=effect,
                n=self.n,
                power=None,
                alpha=alpha,
                contrast="paired",
                alternative=self.alternative,
            )
        )

    # ------------------------------------------------------------------ rendering
    def _what(self) -> str:
        name = self.measure or "measurement"
        unit = f" ({self.unit})" if self.unit else ""
        return f"{name}{unit}"

    def _title(self) -> str:
        return (
            f"Paired change in {self._what()}: {self.after_label} − {self.before_label}, "
            f"n = {self.n}"
        )

    def _note(self, key: str) -> str:
        return self.reasons.get(key, "")

    def _estimates(self) -> Sequence[Estimate]:
        level = self.confidence_level
        out = [
            Estimate(f"mean {self.before_label}", self.mean_before, n=self.n, method="mean"),
            Estimate(f"mean {self.after_label}", self.mean_after, n=self.n, method="mean"),
            Estimate(
                "mean change",
                self.estimate,
                self.ci_low,
                self.ci_high,
                level,
                self.statistic,
                self.df,
                self.pvalue,
                self.n,
                method=f"paired t-test ({self.alternative})",
                note=self._note("statistic"),
                reason=self._note("statistic"),
            ),
            Estimate(
                "SD of change",
                self.sd_change,
                n=self.n,
                method="sample SD (n - 1)",
                note=self._note("sd_change"),
            ),
        ]
        for key in ("d_z", "d_av", "d_rm"):
            es: EffectSize | None = getattr(self, key)
            if es is None:
                out.append(Estimate(key, n=self.n, note=self._note(key)))
            else:
                out.append(
                    Estimate(
                        key,
                        es.estimate,
                        es.ci_low,
                        es.ci_high,
                        es.confidence_level,
                        n=self.n,
                        method=es.method,
                        note=es.note,
                    )
                )
        w = self.wilcoxon
        if w is None:
            out.append(Estimate("Wilcoxon signed-rank V", n=self.n, note=self._note("wilcoxon")))
        else:
            out.append(
                Estimate(
                    "Wilcoxon signed-rank V",
                    statistic=w.statistic,
                    pvalue=w.pvalue,
                    n=w.n_used,
                    method="Wilcoxon signed-rank, normal approximation",
                    note=(
                        f"{w.method}; V = sum of ranks of positive changes; "
                        f"{count_noun(w.n_zeros, 'zero change')} dropped"
                    ),
                )
            )
        hl = self.hodges_lehmann
        out.append(
            Estimate(
                "Hodges-Lehmann",
                hl.estimate,
                hl.ci_low,
                hl.ci_high,
                hl.confidence_level if hl.ci_low is not None else None,
                n=self.n,
                method="median of Walsh averages; CI inverts the signed-rank test",
                note=self._note("hodges_lehmann_ci"),
                reason=self._note("hodges_lehmann_ci"),
            )
        )
        sw = self.shapiro
        if sw is None:
            out.append(Estimate("Shapiro-Wilk W", n=self.n, note=self._note("shapiro")))
        else:
            out.append(
                Estimate(
                    "Shapiro-Wilk W",
                    statistic=sw.statistic,
                    pvalue=sw.pvalue,
                    n=self.n,
                    method="normality of the changes",
                    note="reported, not used to choose a test"
                    + (
                        "; p is approximate above 5000 values (Royston 1995)"
                        if self.n > 5000
                        else ""
                    ),
                )
            )
        return out

    def _explanation(self) -> str:
        """A paragraph for a student: what was tested, assumptions, reading, limits."""
        unit = f" {self.unit}" if self.unit and self.unit != "%" else (self.unit or "")
        what = self.measure or "the measurement"

        def num(x: float | None) -> str:
            return format_number(x)

        direction = "fell" if self.estimate < 0 else "rose" if self.estimate > 0 else "did not move"
        parts = [
            f"This is a paired comparison of {what} in the same {self.n} patients, "
            f"{self.before_label} and {self.after_label}. For each patient the change is "
            f"{self.after_label} minus {self.before_label}, so a fall is negative. "
            f"On average {what} {direction} from {num(self.mean_before)}{unit} to "
            f"{num(self.mean_after)}{unit}, a mean change of {num(self.estimate)}{unit}."
        ]
        if self.statistic is not None and self.ci_low is not None and self.ci_high is not None:
            level = f"{self.confidence_level:.0%}"
            parts.append(
                f"The paired t-test asks whether the mean change could plausibly be 0 "
                f"({self.alternative}): t = {num(self.statistic)} on {num(self.df)} degrees of "
                f"freedom, p = {format_p(self.pvalue)}. The {level} confidence interval, "
                f"{num(self.ci_low)} to {num(self.ci_high)}{unit}, is the range of mean changes "
                f"compatible with the data; it is the better guide to how large the change is."
            )
            if self.d_z is not None:
                parts.append(
                    f"In standard-deviation units the change is d_z = {num(self.d_z.estimate)} "
                    f"(mean change divided by the SD of the changes)"
                    + (
                        f", or d_av = {num(self.d_av.estimate)} when divided by the average SD of "
                        f"the two visits"
                        if self.d_av is not None
                        else ""
                    )
                    + ". Their intervals come from the noncentral t distribution: the interval "
                    "for its noncentrality parameter (how far the true mean change lies from 0, "
                    "in standard errors), rescaled to SD units."
                )
            parts.append(
                "The test assumes that patients are independent of one another and that the "
                "changes are roughly normal (with many patients the mean is robust to this). "
                + (
                    "A Shapiro-Wilk test on the changes gives "
                    f"p = {format_p(self.shapiro.pvalue)}; "
                    if self.shapiro is not None
                    else ""
                )
                + "it is shown for information and was not used to choose the test. "
                "The Wilcoxon signed-rank test and the Hodges-Lehmann estimate, which do not "
                "assume normality, are given beside it"
                + (
                    f" (Wilcoxon p = {format_p(self.wilcoxon.pvalue)})."
                    if self.wilcoxon is not None
                    else "."
                )
            )
        else:
            parts.append(
                "No test or confidence interval could be computed: "
                + self.reasons.get("statistic", "the t statistic is undefined")
                + "."
            )
        parts.append(
            "What this does not show: without a control group, a change after treatment is not "
            "proof that the treatment caused it. Patients picked because their values were high "
            "drift back toward the average anyway (regression to the mean), and placebo effects, "
            "other treatment changes and trends over time act in the same direction. A small "
            "p-value says the mean change is unlikely to be exactly 0; it is not the size or the "
            "importance of the effect."
        )
        if self.excluded:
            n_left = len(self.excluded)
            parts.append(
                f"{count_noun(n_left, 'row')} {'was' if n_left == 1 else 'were'} left out "
                "for missing values."
            )
        return " ".join(parts)
