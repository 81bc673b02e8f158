"""Regression to the mean (RTM): how much of a before/after change chance alone would produce.

Three tools, for a cohort with no control group:

* **Oldham's correlation** (Oldham 1962) of the change ``after - before`` with the mean of
  ``before`` and ``after``. Correlating change with the *baseline* is biased toward a negative
  value by RTM and by mathematical coupling (the baseline sits in both variables); with the mean
  instead, the correlation is 0 unless the spread changed. It equals the **Pitman–Morgan test**
  of equal variances of ``before`` and ``after`` (Pitman 1939; Morgan 1939): the covariance of
  difference and sum is ``var(after) - var(before)``, so the two tests share their t statistic on
  ``n - 2`` df and their p-value. Both are computed here, by different formulas.
* **The expected change under no treatment effect** for patients selected by their baseline
  value (Barnett, van der Pols & Dobson 2005, Int J Epidemiol 34:215-220). For a normal
  baseline with mean ``mu`` and SD ``sigma`` and test–retest reliability ``rho`` (the share of
  the baseline variance that is between-patient), selecting ``x > c`` gives an expected change
  ``-sigma (1 - rho) phi(z) / (1 - Phi(z))`` with ``z = (c - mu) / sigma`` (a fall); selecting
  ``x < c`` gives ``+sigma (1 - rho) phi(z) / Phi(z)`` (a rise).
* **Blomqvist's corrected slope** (Blomqvist 1977, JASA 72:746-749) of change on the true
  baseline. With independent measurement error, the observed slope of change on baseline is
  ``b = rho (1 + beta) - 1``; so ``beta = (b + 1 - rho) / rho`` (Blomqvist wrote it with the
  error-variance ratio ``k = 1 - rho`` as ``(b + k) / (1 - k)``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt

from .._format import count_noun, format_number, format_p
from ..cohort import Cohort, Exclusion, PairedData
from ._correlation import CorrelationResult, correlate
from ._result import AnalysisResult, Estimate
from ._strata import format_cutoff, resolve_pairs

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "RegressionToMeanResult",
    "blomqvist_slope",
    "expected_rtm_change",
    "pitman_morgan",
    "regression_to_mean",
]

Selection = Literal["above", "below"]


def _check_reliability(reliability: float) -> float:
    rho = float(reliability)
    if not (math.isfinite(rho) and 0.0 < rho <= 1.0):
        raise ValueError(f"reliability must lie in (0, 1], got {reliability!r}")
    return rho


def expected_rtm_change(
    cutoff: float,
    *,
    reliability: float,
    mean: float,
    sd: float,
    selected: Selection = "above",
) -> float:
    """Expected change ``after - before`` from regression to the mean alone.

    Barnett, van der Pols & Dobson (2005): for a normal baseline (``mean``, ``sd``) with
    test–retest ``reliability`` rho, in patients selected with a baseline above ``cutoff`` the
    mean change with no treatment effect is ``-sd (1 - rho) phi(z) / (1 - Phi(z))``,
    ``z = (cutoff - mean) / sd``; below ``cutoff`` it is ``+sd (1 - rho) phi(z) / Phi(z)``.

    Parameters
    ----------
    cutoff : float
        Selection threshold on the baseline.
    reliability : float
        In (0, 1]: between-patient variance over total variance of a single measurement.
    mean, sd : float
        Mean and SD (> 0) of the baseline in the population selected from.
    selected : {"above", "below"}
        Which side of the cutoff the patients were taken from.

    Returns
    -------
    float
        Negative for selection above (values fall back), positive for selection below.

    Examples
    --------
    >>> round(expected_rtm_change(0.0, reliability=0.5, mean=0.0, sd=1.0), 4)  # -0.5*2*phi(0)
    -0.3989
    """
    from scipy.special import log_ndtr

    rho = _check_reliability(reliability)
    if not (math.isfinite(sd) and sd > 0.0):
        raise ValueError(f"sd must be positive, got {sd!r}")
    if selected not in ("above", "below"):
        raise ValueError(f"selected must be 'above' or 'below', got {selected!r}")
    z = (float(cutoff) - float(mean)) / float(sd)
    log_phi = -0.5 * z * z - 0.5 * math.log(2.0 * math.pi)
    # Inverse Mills ratio on the log scale: stable far in the tails.
    if selected == "above":
        return -sd * (1.0 - rho) * math.exp(log_phi - float(log_ndtr(-z)))
    return sd * (1.0 - rho) * math.exp(log_phi - float(log_ndtr(z)))


@dataclass(frozen=True)
class PitmanMorgan:
    """Pitman–Morgan test of equal variances of two paired samples.

    ``variance_ratio`` is ``var(after) / var(before)`` with its CI (inverting the test);
    ``statistic`` is t on ``df = n - 2``, positive when ``after`` varies more.
    """

    variance_ratio: float
    ci_low: float
    ci_high: float
    confidence_level: float
    statistic: float
    df: float
    pvalue: float
    correlation: float
    n: int


def pitman_morgan(
    before: npt.ArrayLike, after: npt.ArrayLike, *, confidence_level: float = 0.95
) -> PitmanMorgan:
    """Pitman (1939) and Morgan (1939) test that paired ``before`` and ``after`` have equal
    variances.

    With ``F = s_after² / s_before²`` and ``r`` their correlation,
    ``t = (F - 1) sqrt(n - 2) / (2 sqrt(F (1 - r²)))`` on ``n - 2`` df. Its CI for the ratio of
    variances is ``F (K ∓ sqrt(K² - 1))`` with ``K = 1 + 2 (1 - r²) q² / (n - 2)``, ``q`` the t
    quantile (the ratios the test does not reject).

    Raises
    ------
    ValueError
        If ``n < 3``, a sample is constant, or ``|r| = 1``.

    Examples
    --------
    >>> res = pitman_morgan([1.0, 2.0, 3.0, 4.0, 6.0], [2.0, 2.5, 3.0, 5.0, 5.5])
    >>> res.df, res.variance_ratio < 1
    (3.0, True)
    """
    from scipy.special import stdtr, stdtrit

    x = np.asarray(before, dtype=np.float64)
    y = np.asarray(after, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError("before and after must be one-dimensional and of equal length")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("before and after must not contain missing or infinite values")
    n = x.size
    if n < 3:
        raise ValueError(f"the Pitman–Morgan test needs at least 3 pairs, got {n}")
    vx, vy = float(x.var(ddof=1)), float(y.var(ddof=1))
    if vx == 0.0 or vy == 0.0:
        raise ValueError("a visit has no variation (SD 0): the variance ratio is undefined")
    r = float(np.corrcoef(x, y)[0, 1])
    one_minus_r2 = 1.0 - r * r
    if one_minus_r2 <= 0.0:
        raise ValueError("before and after are perfectly correlated: the test is undefined")
    f = vy / vx
    df = float(n - 2)
    t = (f - 1.0) * math.sqrt(df) / (2.0 * math.sqrt(f * one_minus_r2))
    p = float(2.0 * stdtr(df, -abs(t)))
    q = float(stdtrit(df, 0.5 + confidence_level / 2.0))
    k = 1.0 + 2.0 * one_minus_r2 * q * q / df
    root = math.sqrt(k * k - 1.0)
    return PitmanMorgan(
        f, f * (k - root), f * (k + root), float(confidence_level), t, df, p, r, int(n)
    )


def blomqvist_slope(observed_slope: float, reliability: float) -> float:
    """Blomqvist's (1977) slope of change on the *true* baseline from the observed one.

    ``(b + 1 - rho) / rho``: under independent measurement error the observed slope of change
    on baseline is ``rho (1 + beta) - 1``, negative (``rho - 1``) even when ``beta = 0``.

    Examples
    --------
    >>> blomqvist_slope(-0.2, 0.8)  # all of the observed slope is regression to the mean
    0.0
    """
    rho = _check_reliability(reliability)
    return (float(observed_slope) + 1.0 - rho) / rho


@dataclass(frozen=True)
class RegressionToMeanResult(AnalysisResult):
    """How much of the change regression to the mean could explain.

    Attributes
    ----------
    n : int
        Pairs used.
    oldham : CorrelationResult or None
        Pearson correlation of the change with the mean of before and after (Oldham 1962),
        Fisher-z CI.
    pitman_morgan : PitmanMorgan or None
        Test of equal variances of before and after; same t, df and p as ``oldham``.
    correlation_before_after : float or None
        Pearson r of before and after (a lower bound-ish guide to reliability only when the
        treatment adds no between-patient variation; not used as the reliability).
    reliability, cutoff, selected : the options given (``None`` if not)
    population_mean, population_sd : float or None
        Mean and SD of the baseline population used in Barnett's formula.
    population_source : str
        ``"given"`` or how they were estimated.
    expected_change : float or None
        Expected mean change ``after - before`` from RTM alone (no treatment effect).
    observed_change, observed_ci_low, observed_ci_high : float or None
        Observed mean change and its t CI.
    net_change, net_ci_low, net_ci_high, net_statistic, net_df, net_pvalue : float or None
        Observed minus expected: the change not explained by RTM, its CI (the observed CI
        shifted, treating the expected RTM as known) and its one-sample t test against 0.
    slope, slope_se, slope_ci_low, slope_ci_high, slope_statistic, slope_df, slope_pvalue
        OLS slope of change on baseline.
    corrected_slope, corrected_ci_low, corrected_ci_high : float or None
        Blomqvist's slope of change on the true baseline, and the slope CI mapped through the
        same formula (reliability treated as known).
    reasons : mapping of str to str
        Why a quantity is ``None``.
    selection_note : str
        A warning when some baseline values lie on the wrong side of ``cutoff``.
    """

    n: int
    measure: str | None
    unit: str | None
    confidence_level: float
    oldham: CorrelationResult | None
    pitman_morgan: PitmanMorgan | None
    correlation_before_after: float | None
    reliability: float | None
    cutoff: float | None
    selected: Selection
    population_mean: float | None
    population_sd: float | None
    population_source: str
    expected_change: float | None
    observed_change: float
    observed_ci_low: float | None
    observed_ci_high: float | None
    net_change: float | None
    net_ci_low: float | None
    net_ci_high: float | None
    net_statistic: float | None
    net_df: float | None
    net_pvalue: float | None
    slope: float | None
    slope_se: float | None
    slope_ci_low: float | None
    slope_ci_high: float | None
    slope_statistic: float | None
    slope_df: float | None
    slope_pvalue: float | None
    corrected_slope: float | None
    corrected_ci_low: float | None
    corrected_ci_high: float | None
    rows: np.ndarray = field(repr=False, compare=False)
    excluded: tuple[Exclusion, ...]
    pairs: PairedData = field(repr=False, compare=False)
    reasons: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    selection_note: str = ""

    # ------------------------------------------------------------------ extras
    def expected_by_reliability(
        self, reliabilities: Sequence[float] | npt.ArrayLike = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
    ) -> pd.DataFrame:
        """Sensitivity of the expected RTM change and the unexplained change to the reliability.

        Returns a DataFrame with columns ``reliability``, ``expected_change``, ``net_change``,
        ``net_ci_low``, ``net_ci_high`` (same cutoff, population mean and SD).

        Raises
        ------
        ValueError
            If no cutoff was given, or the population SD is undefined.
        """
        if self.cutoff is None or self.population_mean is None or self.population_sd is None:
            raise ValueError(
                "no expected RTM change: " + self.reasons.get("expected_change", "no cutoff given")
            )
        records = []
        for rho in np.atleast_1d(np.asarray(reliabilities, dtype=np.float64)):
            e = expected_rtm_change(
                self.cutoff,
                reliability=float(rho),
                mean=self.population_mean,
                sd=self.population_sd,
                selected=self.selected,
            )
            lo = None if self.observed_ci_low is None else self.observed_ci_low - e
            hi = None if self.observed_ci_high is None else self.observed_ci_high - e
            records.append(
                {
                    "reliability": float(rho),
                    "expected_change": e,
                    "net_change": self.observed_change - e,
                    "net_ci_low": lo,
                    "net_ci_high": hi,
                }
            )
        import pandas as pd

        return pd.DataFrame.from_records(records)

    # ------------------------------------------------------------------ rendering
    def _what(self) -> str:
        m = self.measure or "the measurement"
        return f"{m} ({self.unit})" if self.unit else m

    def _title(self) -> str:
        return f"Regression to the mean in {self._what()}, n = {self.n}"

    def _estimates(self) -> list[Estimate]:
        r = self.reasons
        out: list[Estimate] = []
        o = self.oldham
        if o is None:
            out.append(
                Estimate(
                    "Oldham r: change vs mean of before and after",
                    n=self.n,
                    method="Pearson (Oldham 1962)",
                    note=r.get("oldham", ""),
                )
            )
        else:
            out.append(
                Estimate(
                    "Oldham r: change vs mean of before and after",
                    o.estimate,
                    o.ci_low,
                    o.ci_high,
                    o.confidence_level if o.ci_low is not None else None,
                    o.statistic,
                    o.df,
                    o.pvalue,
                    o.n,
                    "Pearson, Fisher-z CI (Oldham 1962)",
                    "; ".join(o.notes),
                )
            )
        pm = self.pitman_morgan
        if pm is None:
            out.append(
                Estimate(
                    "variance ratio after/before",
                    n=self.n,
                    method="Pitman–Morgan",
                    note=r.get("pitman_morgan", ""),
                )
            )
        else:
            out.append(
                Estimate(
                    "variance ratio after/before",
                    pm.variance_ratio,
                    pm.ci_low,
                    pm.ci_high,
                    pm.confidence_level,
                    pm.statistic,
                    pm.df,
                    pm.pvalue,
                    pm.n,
                    "Pitman–Morgan t (Pitman 1939; Morgan 1939)",
                    "same t, df and p as Oldham's r",
                )
            )
        out.append(
            Estimate(
                "observed mean change",
                self.observed_change,
                self.observed_ci_low,
                self.observed_ci_high,
                self.confidence_level if self.observed_ci_low is not None else None,
                n=self.n,
                method="mean, t CI",
                note=r.get("observed_ci", ""),
            )
        )
        settings = self._settings()
        out.append(
            Estimate(
                "expected change from RTM alone",
                self.expected_change,
                n=self.n,
                method="Barnett, van der Pols & Dobson (2005)",
                note=r.get(
                    "expected_change", "; ".join(x for x in (settings, self.selection_note) if x)
                ),
            )
        )
        out.append(
            Estimate(
                "change not explained by RTM",
                self.net_change,
                self.net_ci_low,
                self.net_ci_high,
                self.confidence_level if self.net_ci_low is not None else None,
                self.net_statistic,
                self.net_df,
                self.net_pvalue,
                self.n,
                "observed − expected, t",
                r.get("net_change", "expected RTM treated as known"),
            )
        )
        out.append(
            Estimate(
                "slope of change on baseline",
                self.slope,
                self.slope_ci_low,
                self.slope_ci_high,
                self.confidence_level if self.slope_ci_low is not None else None,
                self.slope_statistic,
                self.slope_df,
                self.slope_pvalue,
                self.n,
                "OLS",
                r.get("slope", "biased toward −(1 − reliability) by RTM and coupling"),
            )
        )
        out.append(
            Estimate(
                "Blomqvist corrected slope",
                self.corrected_slope,
                self.corrected_ci_low,
                self.corrected_ci_high,
                self.confidence_level if self.corrected_ci_low is not None else None,
                n=self.n,
                method="(b + 1 − ρ)/ρ (Blomqvist 1977)",
                note=r.get(
                    "corrected_slope",
                    f"reliability {format_number(self.reliability)}, treated as known",
                ),
            )
        )
        return out

    def _settings(self) -> str:
        if self.cutoff is None:
            return ""
        side = ">" if self.selected == "above" else "<"
        return (
            f"selected baseline {side} {format_cutoff(self.cutoff)}, reliability "
            f"{format_number(self.reliability)}, population mean "
            f"{format_number(self.population_mean)} and SD "
            f"{format_number(self.population_sd)} ({self.population_source})"
        )

    def explain(self) -> str:
        """RTM for a student: what each number means, what it assumes and what it cannot show."""
        m = self.measure or "the measurement"
        unit = f" {self.unit}" if self.unit and self.unit != "%" else (self.unit or "")
        parts = [
            f"Regression to the mean: a single measurement of {m} is the patient's true level "
            "plus day-to-day and laboratory noise. Patients measured high (often the reason they "
            "were enrolled) were on average measured on a high day, so their next value tends "
            "to be lower even with no treatment at all, and the higher they started, the larger "
            "this fall. A before/after study without a control group cannot separate this from "
            "a treatment effect; the numbers below say how large it could be."
        ]
        o = self.oldham
        if o is not None:
            parts.append(
                f"Oldham's method correlates the change with the mean of the two measurements "
                f"instead of the baseline, removing the built-in negative correlation: r = "
                f"{format_number(o.estimate)} (p = {format_p(o.pvalue)}). A clearly negative r "
                f"means the values are less spread out after than before, i.e. high values fell "
                f"more than low ones beyond what RTM produces; r near 0 means the data give no "
                f"such evidence. This is the same test as Pitman–Morgan's test of equal "
                f"variances of before and after (same t, df and p)"
                + (
                    f"; the variance ratio after/before is "
                    f"{format_number(self.pitman_morgan.variance_ratio)}."
                    if self.pitman_morgan is not None
                    else "."
                )
            )
        else:
            parts.append(f"Oldham's correlation was not computed: {self.reasons.get('oldham')}.")
        if self.expected_change is not None:
            parts.append(
                f"If patients were selected for a baseline "
                f"{'above' if self.selected == 'above' else 'below'} "
                f"{format_cutoff(self.cutoff or 0.0)}{unit} and a single measurement has "
                f"test–retest reliability {format_number(self.reliability)}, RTM alone would "
                f"change the mean by {format_number(self.expected_change)}{unit} (Barnett, van "
                f"der Pols & Dobson 2005, assuming a normal baseline with mean "
                f"{format_number(self.population_mean)} and SD "
                f"{format_number(self.population_sd)}, {self.population_source}). The observed "
                f"mean change is {format_number(self.observed_change)}{unit}; the part not "
                f"explained by RTM is {format_number(self.net_change)}{unit}"
                + (
                    f" ({self.confidence_level:.0%} CI {format_number(self.net_ci_low)} to "
                    f"{format_number(self.net_ci_high)}, p = {format_p(self.net_pvalue)})"
                    if self.net_ci_low is not None
                    else ""
                )
                + ". The interval treats the expected RTM as known; the reliability and the "
                "population mean and SD are assumptions, so try several values with "
                "expected_by_reliability()."
            )
            if self.population_source != "given":
                parts.append(
                    "The population mean and SD were estimated from the baseline values of the "
                    "patients analysed. They were selected, so their baseline is truncated: its "
                    "SD understates, and its mean overstates (for selection above a cutoff), the "
                    "population's, which makes this expected RTM an underestimate. Pass "
                    "population_mean and population_sd from a population survey when you can."
                )
        else:
            parts.append(
                f"The expected RTM change was not computed: {self.reasons.get('expected_change')}."
            )
        if self.slope is not None:
            parts.append(
                f"The slope of change on baseline is {format_number(self.slope)}. A negative "
                "slope arises from RTM and coupling alone (the baseline is in both variables): "
                "with no true relation its expected value is −(1 − reliability), so on its own "
                "it is not evidence that sicker patients respond better."
                + (
                    f" Blomqvist's correction for a reliability of "
                    f"{format_number(self.reliability)} gives a slope on the true baseline of "
                    f"{format_number(self.corrected_slope)} ({self.confidence_level:.0%} CI "
                    f"{format_number(self.corrected_ci_low)} to "
                    f"{format_number(self.corrected_ci_high)})."
                    if self.corrected_slope is not None
                    else " Give a reliability to obtain Blomqvist's corrected slope."
                )
            )
        parts.append(
            "What this does NOT show: that the treatment worked. Removing the expected RTM leaves "
            "other explanations of a change (placebo, other treatments, secular trends, "
            "selective follow-up) untouched; only a randomised control group handles all of them."
        )
        return " ".join(parts)


def regression_to_mean(
    data: Cohort | PairedData,
    *,
    reliability: float | None = None,
    cutoff: float | None = None,
    selected: Selection = "above",
    population_mean: float | None = None,
    population_sd: float | None = None,
    confidence_level: float = 0.95,
) -> RegressionToMeanResult:
    """Regression to the mean: Oldham/Pitman–Morgan, expected RTM change, Blomqvist's slope.

    Parameters
    ----------
    data : Cohort or PairedData
        The cohort's before/after pair (rows missing either left out and listed).
    reliability : float, optional
        Test–retest reliability of one measurement, in (0, 1] (between-patient variance over
        total variance, e.g. an intraclass correlation from a repeatability study). Needed for
        the expected RTM change and Blomqvist's slope. It cannot be estimated from a
        before/after table in which a treatment came between the measurements.
    cutoff : float, optional
        The baseline threshold patients were selected on (e.g. 6.2 for "HbA1c ≥ 6.2 %").
    selected : {"above", "below"}, default "above"
        Which side of ``cutoff`` the patients came from.
    population_mean, population_sd : float, optional
        Mean and SD of the baseline in the population selected from. By default each is
        estimated from the baseline values analysed (said so in the output; see explain()).
    confidence_level : float, default 0.95

    Returns
    -------
    RegressionToMeanResult

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> res = regression_to_mean(load_dataset("matsuoka2025"), reliability=0.9, cutoff=6.2)
    >>> res.expected_change < 0
    True
    """
    # The t CDF and quantile scipy.stats.t calls, without importing scipy.stats.
    from scipy.special import stdtr, stdtrit

    level = float(confidence_level)
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level!r}")
    rho = None if reliability is None else _check_reliability(reliability)
    if selected not in ("above", "below"):
        raise ValueError(f"selected must be 'above' or 'below', got {selected!r}")
    if cutoff is not None and not math.isfinite(float(cutoff)):
        raise ValueError(f"cutoff must be finite, got {cutoff!r}")
    if population_sd is not None and not (float(population_sd) > 0.0):
        raise ValueError(f"population_sd must be positive, got {population_sd!r}")
    pairs, _ = resolve_pairs(data, (), who="regression_to_mean")
    n = pairs.n
    if n == 0:
        left = "; ".join(f"row {x.row}: {x.reason}" for x in pairs.excluded)
        raise ValueError(f"no complete pairs to analyse ({left})")
    x = np.asarray(pairs.before, dtype=np.float64)
    y = np.asarray(pairs.after, dtype=np.float64)
    d = y - x
    reasons: dict[str, str] = {}

    # Oldham and Pitman–Morgan: computed by different formulas, equal by algebra.
    oldham: CorrelationResult | None = None
    pm: PitmanMorgan | None = None
    try:
        oldham = correlate((x + y) / 2.0, d, method="pearson", confidence_level=level)
    except ValueError as exc:
        reasons["oldham"] = (
            str(exc)
            .replace("x is", "the mean of before and after is")
            .replace("y is", "the change is")
        )
    try:
        pm = pitman_morgan(x, y, confidence_level=level)
    except ValueError as exc:
        reasons["pitman_morgan"] = str(exc)
    r_xy: float | None = None
    if n >= 3 and x.std() > 0 and y.std() > 0:
        r_xy = float(np.corrcoef(x, y)[0, 1])

    # Observed mean change and its t interval.
    mean_d = float(d.mean())
    se: float | None = None
    obs_ci: tuple[float | None, float | None] = (None, None)
    q = 0.0
    if n < 2:
        reasons["observed_ci"] = "n = 1: no spread"
    else:
        se = float(d.std(ddof=1)) / math.sqrt(n)
        q = float(stdtrit(n - 1, 0.5 + level / 2.0))
        if se == 0.0:
            reasons["observed_ci"] = "every change is equal (SD 0)"
            se = None
        else:
            obs_ci = (mean_d - q * se, mean_d + q * se)

    # Barnett et al. expected change under no treatment effect.
    mu = sigma = None
    source = "given"
    expected = net = None
    net_ci: tuple[float | None, float | None] = (None, None)
    net_t = net_df = net_p = None
    selection_note = ""
    if cutoff is None or rho is None:
        missing = [
            w
            for w, v in (("a selection cutoff", cutoff), ("a test–retest reliability", rho))
            if v is None
        ]
        reasons["expected_change"] = (
            f"needs {' and '.join(missing)}: these come from the study "
            "design and from repeatability studies, not from this table"
        )
    else:
        estimated = []
        mu = float(population_mean) if population_mean is not None else float(x.mean())
        if population_mean is None:
            estimated.append("mean")
        if population_sd is not None:
            sigma = float(population_sd)
        elif n >= 2 and float(x.std(ddof=1)) > 0.0:
            sigma = float(x.std(ddof=1))
            estimated.append("SD")
        if estimated:
            source = f"{' and '.join(estimated)} estimated from the {n} baseline values analysed"
        if sigma is None:
            reasons["expected_change"] = (
                "the baseline SD cannot be estimated from these values "
                "(n < 2 or all equal); pass population_sd"
            )
        else:
            c = float(cutoff)
            expected = expected_rtm_change(c, reliability=rho, mean=mu, sd=sigma, selected=selected)
            net = mean_d - expected
            wrong = int(np.sum(x <= c) if selected == "above" else np.sum(x >= c))
            if wrong:
                side = "above" if selected == "above" else "below"
                selection_note = (
                    f"{count_noun(wrong, 'baseline value')} {'is' if wrong == 1 else 'are'} not "
                    f"{side} the cutoff {format_cutoff(c)}; "
                    "the selection model assumes all are"
                )
            if se is not None:
                net_ci = (mean_d - q * se - expected, mean_d + q * se - expected)
                net_t = net / se
                net_df = float(n - 1)
                net_p = float(2.0 * stdtr(n - 1, -abs(net_t)))
            else:
                reasons["net_change"] = reasons.get("observed_ci", "no standard error")

    # Slope of change on baseline, and Blomqvist's correction.
    from ._linear_model import ols

    slope = slope_se = slope_lo = slope_hi = slope_t = slope_df = slope_p = None
    corrected = corr_lo = corr_hi = None
    try:
        fit = ols(d, {"baseline": x}, confidence_level=level)
        i = fit.index("baseline")
        slope, slope_se = fit.coef[i], fit.se[i]
        slope_lo, slope_hi = fit.ci_low[i], fit.ci_high[i]
        slope_t, slope_df, slope_p = fit.statistic[i], float(fit.df_resid), fit.pvalue[i]
    except ValueError as exc:
        reasons["slope"] = str(exc)
    if slope is None:
        reasons["corrected_slope"] = "no observed slope: " + reasons["slope"]
    elif rho is None:
        reasons["corrected_slope"] = "needs a test–retest reliability"
    else:
        corrected = blomqvist_slope(slope, rho)
        if slope_lo is not None and slope_hi is not None:
            # The map is increasing in b, so it carries the interval over end to end.
            corr_lo, corr_hi = blomqvist_slope(slope_lo, rho), blomqvist_slope(slope_hi, rho)

    return RegressionToMeanResult(
        n=n,
        measure=pairs.measure,
        unit=pairs.unit,
        confidence_level=level,
        oldham=oldham,
        pitman_morgan=pm,
        correlation_before_after=r_xy,
        reliability=rho,
        cutoff=None if cutoff is None else float(cutoff),
        selected=selected,
        population_mean=mu,
        population_sd=sigma,
        population_source=source,
        expected_change=expected,
        observed_change=mean_d,
        observed_ci_low=obs_ci[0],
        observed_ci_high=obs_ci[1],
        net_change=net,
        net_ci_low=net_ci[0],
        net_ci_high=net_ci[1],
        net_statistic=net_t,
        net_df=net_df,
        net_pvalue=net_p,
        slope=slope,
        slope_se=slope_se,
        slope_ci_low=slope_lo,
        slope_ci_high=slope_hi,
        slope_statistic=slope_t,
        slope_df=slope_df,
        slope_pvalue=slope_p,
        corrected_slope=corrected,
        corrected_ci_low=corr_lo,
        corrected_ci_high=corr_hi,
        rows=np.asarray(pairs.rows),
        excluded=tuple(pairs.excluded),
        pairs=pairs,
        reasons=MappingProxyType(reasons),
        selection_note=selection_note,
    )
