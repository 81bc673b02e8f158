"""Paired change (``after - before``): the paired t-test, standardised effect sizes and
their rank-based companions, on one pair of measurements of one cohort.

The function :func:`paired_change` takes a :class:`~cohort_reanalysis.cohort.Cohort` (and picks
a measure and two visits) or a ready :class:`~cohort_reanalysis.cohort.PairedData` (a stratum,
for example) and returns a frozen :class:`PairedChangeResult`. Costly extras (bootstrap,
permutation, Bayes factor, power) are methods of the result.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, NamedTuple

import numpy as np

from .._format import count_noun, format_number, format_p
from ..cohort import Cohort, Exclusion, PairedData
from ._normality import shapiro_wilk
from ._ranks import WilcoxonResult, _walsh_averages, hodges_lehmann, wilcoxon_signed_rank
from ._result import AnalysisResult, Estimate

if TYPE_CHECKING:
    from ._resampling import BootstrapResult, PermutationResult

__all__ = [
    "ConfidenceInterval",
    "EffectSize",
    "HodgesLehmann",
    "PairedChangeResult",
    "ShapiroWilk",
    "paired_change",
]

Alternative = Literal["two-sided", "less", "greater"]
_ALTERNATIVES = ("two-sided", "less", "greater")

_EQUAL = "every difference is equal (SD of the change is 0)"
_LARGE_T = 1000.0  # above this |t|, the ncp limits use their chi-square limit (see _ncp_limit)


class ConfidenceInterval(NamedTuple):
    """A confidence interval, as returned by ``scipy.stats`` result classes."""

    low: float
    high: float


@dataclass(frozen=True)
class EffectSize:
    """A standardised mean difference with its confidence interval.

    Attributes
    ----------
    name : str
        ``"d_z"``, ``"d_av"`` or ``"d_rm"`` (Lakens 2013).
    estimate : float
        Signed: a fall (``after < before``) gives a negative value.
    ci_low, ci_high : float or None
        Confidence limits (infinite on the open side of a one-sided alternative); ``None``
        when the interval cannot be computed (the reason is in ``method``).
    confidence_level : float
    method : str
        How the estimate and its interval were computed, in short (a table cell).
    note : str
        The same at length: how the interval is built and what it assumes.
    """

    name: str
    estimate: float
    ci_low: float | None
    ci_high: float | None
    confidence_level: float
    method: str
    note: str = ""


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


# ---------------------------------------------------------------------------- helpers


def _check_level(confidence_level: float) -> float:
    level = float(confidence_level)
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level!r}")
    return level


def _check_alternative(alternative: str) -> None:
    if alternative not in _ALTERNATIVES:
        raise ValueError(f"alternative must be one of {_ALTERNATIVES}, got {alternative!r}")


def _t_interval(
    estimate: float, se: float, df: float, level: float, alternative: str
) -> tuple[float, float]:
    """CI of a mean from the t distribution, following ``alternative`` as R's t.test does."""
    from scipy.special import stdtrit

    if alternative == "two-sided":
        q = float(stdtrit(df, 1.0 - (1.0 - level) / 2.0))
        return estimate - q * se, estimate + q * se
    q = float(stdtrit(df, level))
    if alternative == "greater":
        return estimate - q * se, math.inf
    return -math.inf, estimate + q * se


def _t_pvalue(t: float, df: float, alternative: str) -> float:
    from scipy.special import stdtr

    if alternative == "less":
        return float(stdtr(df, t))
    if alternative == "greater":
        return float(stdtr(df, -t))
    return float(min(1.0, 2.0 * stdtr(df, -abs(t))))


def _ncp_limit(t: float, df: float, prob: float) -> float:
    """The noncentrality ``λ`` with ``P(T <= t | df, λ) = prob`` (the cdf falls as λ grows)."""
    from scipy.special import nctdtr, nctdtrinc

    if abs(t) > _LARGE_T:
        # nctdtr's cost grows with |ncp|. For huge |t| the Z in T = (Z + λ) / S is negligible
        # against λ, so P(T <= t) -> P(λ / S <= t), S = sqrt(chi2_df / df): the limit below
        # has relative error O(1 / |t|) (about 2e-5 at |t| = 1000, checked against nctdtr).
        from scipy.special import chdtri

        q = prob if t > 0 else 1.0 - prob  # chdtri takes the upper-tail probability
        return t * math.sqrt(float(chdtri(df, q)) / df)

    def f(ncp: float) -> float:
        return float(nctdtr(df, ncp, t)) - prob

    # nctdtrinc gives a good start but is only accurate to ~1e-7; polish the root of the
    # cdf, bracketing around the start and widening until the sign changes.
    start = float(nctdtrinc(df, prob, t))
    if not math.isfinite(start):
        start = t
    width = 1e-3 * max(1.0, abs(start))
    for _ in range(80):
        lo, hi = start - width, start + width
        f_lo, f_hi = f(lo), f(hi)
        if f_lo > 0.0 > f_hi:
            return _bracketed_root(f, lo, hi, f_lo, f_hi)
        width *= 2.0
    raise ValueError(f"could not bracket the noncentrality parameter for t = {t}, df = {df}")


def _bracketed_root(
    f: Callable[[float], float], lo: float, hi: float, f_lo: float, f_hi: float
) -> float:
    """A root of ``f`` in ``[lo, hi]``, where ``f`` changes sign, to ``1e-13 (1 + |x|)``.

    The Illinois variant of regula falsi (superlinear), falling back to bisection whenever
    a step fails to halve the bracket. Written here rather than taken from
    ``scipy.optimize.brentq`` because importing scipy.optimize costs more than half a second
    on every paired analysis; tested against brentq at the same tolerance.
    """
    side = 0
    for _ in range(200):
        width = hi - lo
        if width <= 1e-13 * (1.0 + max(abs(lo), abs(hi))):
            break
        x = hi - f_hi * (hi - lo) / (f_hi - f_lo)
        if not lo < x < hi:
            x = 0.5 * (lo + hi)
        fx = f(x)
        if fx == 0.0:
            return x
        if (fx > 0.0) == (f_lo > 0.0):
            lo, f_lo = x, fx
            if side == -1:
                f_hi *= 0.5  # the same end kept twice: halve its weight (Illinois)
            side = -1
        else:
            hi, f_hi = x, fx
            if side == 1:
                f_lo *= 0.5
            side = 1
        if hi - lo > 0.5 * width:  # a slow step: bisect once
            mid = 0.5 * (lo + hi)
            f_mid = f(mid)
            if f_mid == 0.0:
                return mid
            if (f_mid > 0.0) == (f_lo > 0.0):
                lo, f_lo = mid, f_mid
            else:
                hi, f_hi = mid, f_mid
            side = 0
    return lo if abs(f_lo) <= abs(f_hi) else hi


def _ncp_interval(t: float, df: float, level: float, alternative: str) -> tuple[float, float]:
    """Confidence interval for the noncentrality parameter of a t statistic (inverting nct)."""
    if alternative == "two-sided":
        a = (1.0 - level) / 2.0
        return _ncp_limit(t, df, 1.0 - a), _ncp_limit(t, df, a)
    a = 1.0 - level
    if alternative == "greater":
        return _ncp_limit(t, df, 1.0 - a), math.inf
    return -math.inf, _ncp_limit(t, df, a)


def _scale(interval: tuple[float, float], factor: float) -> tuple[float, float]:
    return interval[0] * factor, interval[1] * factor


# ---------------------------------------------------------------------------- result


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
        level = _check_level(confidence_level)
        if self.se is None or self.df is None or self.se == 0.0:
            raise ValueError(
                "the confidence interval is undefined: "
                + self.reasons.get("ci", "the standard error is 0")
            )
        low, high = _t_interval(self.estimate, self.se, self.df, level, self.alternative)
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

    def explain(self) -> str:
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


# ---------------------------------------------------------------------------- function


def _resolve_pairs(
    data: Cohort | PairedData, measure: str | None, baseline: str | None, followup: str | None
) -> PairedData:
    if isinstance(data, PairedData):
        if measure is not None or baseline is not None or followup is not None:
            raise ValueError(
                "measure, baseline and followup choose the pair from a Cohort; "
                "they cannot be used with PairedData"
            )
        return data
    if isinstance(data, Cohort):
        return data.pair(measure=measure, baseline=baseline, followup=followup)
    raise TypeError(f"paired_change needs a Cohort or PairedData, got {type(data).__name__}")


def _effect_sizes(
    before: np.ndarray,
    after: np.ndarray,
    mean_diff: float,
    sd_diff: float,
    t: float,
    df: float,
    level: float,
    alternative: str,
    reasons: dict[str, str],
) -> tuple[EffectSize | None, EffectSize | None, EffectSize | None]:
    """d_z, d_av and d_rm (Lakens 2013) with CIs from the noncentral t (see paired_change)."""
    n = before.size
    try:
        ncp = _ncp_interval(t, df, level, alternative)
    except ValueError as exc:  # pragma: no cover - only for extreme t
        ncp = None
        reasons["d_ci"] = str(exc)
    root_n = math.sqrt(n)

    # The short method is a table cell; the note says at length how the interval is built.
    ncp_words = (
        "CI: the confidence interval for the noncentrality parameter of the noncentral t "
        "distribution of the paired t statistic"
    )
    large = (
        f"; as |t| > {_LARGE_T:g}, its limits come from the chi-square limit of the noncentral "
        "t (relative error < 1e-4)"
        if abs(t) > _LARGE_T
        else ""
    )

    def make(name: str, estimate: float, factor: float, method: str, how: str) -> EffectSize:
        lo, hi = (None, None) if ncp is None else _scale(ncp, factor)
        return EffectSize(name, estimate, lo, hi, level, method, f"{ncp_words}{large}, {how}")

    d_z = make(
        "d_z",
        mean_diff / sd_diff,
        1.0 / root_n,
        "mean change / SD of changes; noncentral t CI",
        "divided by sqrt(n)",
    )
    sd1 = float(np.std(before, ddof=1))
    sd2 = float(np.std(after, ddof=1))
    sd_av = (sd1 + sd2) / 2.0
    ak = (
        "times the observed ratio SD of changes / (sqrt(n) x standardiser), taken as known "
        "(the approximation of Algina & Keselman 2003)"
    )
    d_av = make(
        "d_av",
        mean_diff / sd_av,
        sd_diff / (root_n * sd_av),
        "mean change / mean of the two SDs; CI: Algina & Keselman 2003",
        ak,
    )
    d_rm: EffectSize | None = None
    if n == 2:
        reasons["d_rm"] = "n = 2: the correlation of two pairs is always +1 or -1"
    elif sd1 == 0.0 or sd2 == 0.0:
        reasons["d_rm"] = "a visit has SD 0, so the before-after correlation is undefined"
    else:
        r = float(np.corrcoef(before, after)[0, 1])
        # sqrt(sd1^2 + sd2^2 - 2 r sd1 sd2) is sd_diff exactly, so d_rm = d_z * sqrt(2(1 - r)).
        # (r may exceed 1 by rounding.)
        factor = math.sqrt(2.0 * max(0.0, 1.0 - r))
        d_rm = make(
            "d_rm",
            mean_diff / sd_diff * factor,
            factor / root_n,
            f"d_z × sqrt(2(1 − r)), r = {format_number(r)}; CI: Algina & Keselman 2003",
            f"{ak}; r = {r!r} is the before-after correlation",
        )
    return d_z, d_av, d_rm


def paired_change(
    data: Cohort | PairedData,
    *,
    measure: str | None = None,
    baseline: str | None = None,
    followup: str | None = None,
    confidence_level: float = 0.95,
    alternative: Alternative = "two-sided",
    wilcoxon_correction: bool = True,
) -> PairedChangeResult:
    """Paired change ``after - before``: paired t-test, effect sizes, Wilcoxon, Hodges-Lehmann.

    Parameters
    ----------
    data : Cohort or PairedData
        A cohort (rows with a missing value in either visit are left out and listed) or
        pairs already chosen (e.g. one stratum from ``PairedData.select``).
    measure, baseline, followup : str, optional
        Which measure and visits to pair (Cohort only; see ``Cohort.pair``).
    confidence_level : float, default 0.95
    alternative : {"two-sided", "less", "greater"}
        In the ``after - before`` direction: ``"less"`` asks whether the values fell.
        Applies to the t-test, its CI, the d intervals and the Wilcoxon test; the
        Hodges-Lehmann interval is always two-sided.
    wilcoxon_correction : bool, default True
        Continuity correction of the Wilcoxon normal approximation (R's ``correct``).

    Returns
    -------
    PairedChangeResult

    Raises
    ------
    ValueError
        If there is no complete pair (the message lists the rows left out and why).

    Notes
    -----
    Effect sizes follow Lakens (2013), Front. Psychol. 4:863:

    * ``d_z = mean(d) / sd(d)``; its CI inverts the noncentral t distribution: the
      interval ``[λ_L, λ_U]`` for the noncentrality of ``t = d_z sqrt(n)`` divided by
      ``sqrt(n)`` (exact under normal changes).
    * ``d_av = mean(d) / ((sd_before + sd_after) / 2)``.
    * ``d_rm = mean(d) / sqrt(sd1² + sd2² - 2 r sd1 sd2) * sqrt(2 (1 - r))``, which equals
      ``d_z sqrt(2 (1 - r))``.

    ``d_av`` and ``d_rm`` are ``t`` times a ratio of standardisers; their CIs scale the
    ncp interval by that ratio as if it were known (Algina & Keselman 2003, Educ. Psychol.
    Meas. 63:537). This is approximate. In a simulation (bivariate normal, equal variances,
    400 replicates per cell, n = 6, 10, 30, r = 0, 0.5, 0.9, true d = 0, 0.8, 1.6) the 95%
    intervals covered 93-99% of the time for d_av, and for d_rm except at n <= 10 with
    r = 0.9, where coverage fell to 86-90%: read the d_rm interval with caution in small,
    highly correlated samples. The test suite re-checks coverage at n = 12, r = 0.5.

    Edge cases: with ``n = 1`` the means and the change are given and everything that
    needs a spread is ``None`` with a reason; when every change is equal (SD 0) t is
    undefined, and d_z and d_rm too; when every change is 0 the Wilcoxon test is undefined.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> res = paired_change(load_dataset("matsuoka2025"))
    >>> res.n, round(res.estimate, 4), res.df
    (58, -0.7931, 57.0)
    """
    level = _check_level(confidence_level)
    _check_alternative(alternative)
    pairs = _resolve_pairs(data, measure, baseline, followup)
    n = pairs.n
    if n == 0:
        left = "; ".join(f"row {x.row}: {x.reason}" for x in pairs.excluded) or "the table is empty"
        raise ValueError(f"no complete pairs to analyse ({len(pairs.excluded)} left out: {left})")
    before = np.asarray(pairs.before, dtype=np.float64)
    after = np.asarray(pairs.after, dtype=np.float64)
    bad = ~(np.isfinite(before) & np.isfinite(after))
    if bad.any():
        rows = ", ".join(str(r) for r in np.asarray(pairs.rows)[bad][:10])
        raise ValueError(
            f"PairedData holds missing or infinite values (rows {rows}); build it with "
            "Cohort.pair(), which leaves such rows out and lists them"
        )
    d = after - before
    reasons: dict[str, str] = {}

    mean_before = float(np.mean(before))
    mean_after = float(np.mean(after))
    mean_diff = float(np.mean(d))

    sd: float | None = None
    se: float | None = None
    t: float | None = None
    df: float | None = None
    p: float | None = None
    ci: tuple[float | None, float | None] = (None, None)
    d_z = d_av = d_rm = None
    all_equal = bool(np.all(d == d[0]))

    if n == 1:
        why = "n = 1: a single pair has no spread"
        for key in ("sd_change", "se", "statistic", "df", "pvalue", "ci", "d_z", "d_av", "d_rm"):
            reasons[key] = why
    else:
        sd = float(np.std(d, ddof=1))
        se = sd / math.sqrt(n)
        df = float(n - 1)
        if all_equal or sd == 0.0:
            sd = 0.0
            se = 0.0
            for key in ("statistic", "pvalue", "ci", "d_z", "d_rm"):
                reasons[key] = _EQUAL
            sd1 = float(np.std(before, ddof=1))
            sd2 = float(np.std(after, ddof=1))
            if sd1 + sd2 > 0.0:
                d_av = EffectSize(
                    "d_av",
                    mean_diff / ((sd1 + sd2) / 2.0),
                    None,
                    None,
                    level,
                    "mean change / mean of the two SDs; no CI: " + _EQUAL,
                )
            else:
                reasons["d_av"] = "both visits have SD 0"
        else:
            t = mean_diff / se
            p = _t_pvalue(t, df, alternative)
            ci = _t_interval(mean_diff, se, df, level, alternative)
            d_z, d_av, d_rm = _effect_sizes(
                before, after, mean_diff, sd, t, df, level, alternative, reasons
            )

    wil: WilcoxonResult | None = None
    try:
        wil = wilcoxon_signed_rank(d, correct=wilcoxon_correction, alternative=alternative)
    except ValueError as exc:
        reasons["wilcoxon"] = str(exc)

    try:
        est, lo, hi = hodges_lehmann(d, confidence_level=level)
        hl = HodgesLehmann(est, lo, hi, level)
    except ValueError as exc:
        hl = HodgesLehmann(float(np.median(_walsh_averages(d))), None, None, level)
        reasons["hodges_lehmann_ci"] = str(exc)

    shapiro: ShapiroWilk | None = None
    if n < 3:
        reasons["shapiro"] = f"n = {n}: Shapiro-Wilk needs at least 3 values"
    elif float(np.ptp(d)) == 0.0:
        reasons["shapiro"] = _EQUAL
    else:
        # Royston's p is approximate above 5000 values; the result says so in its notes
        # (scipy would warn, R would refuse).
        w, pw = shapiro_wilk(d)
        shapiro = ShapiroWilk(w, pw)

    return PairedChangeResult(
        n=n,
        mean_before=mean_before,
        mean_after=mean_after,
        estimate=mean_diff,
        sd_change=sd,
        se=se,
        statistic=t,
        df=df,
        pvalue=p,
        ci_low=ci[0],
        ci_high=ci[1],
        confidence_level=level,
        alternative=alternative,
        d_z=d_z,
        d_av=d_av,
        d_rm=d_rm,
        wilcoxon=wil,
        hodges_lehmann=hl,
        shapiro=shapiro,
        measure=pairs.measure,
        unit=pairs.unit,
        before_label=pairs.before_label,
        after_label=pairs.after_label,
        rows=np.asarray(pairs.rows),
        excluded=tuple(pairs.excluded),
        reasons=MappingProxyType(reasons),
        pairs=pairs,
    )
