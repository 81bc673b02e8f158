"""The result of :func:`~._rtm.regression_to_mean`: how much of the change regression to the
mean could explain, with its rendering and the sensitivity to the assumed reliability.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from .._format import format_number, format_p
from ..cohort import Exclusion, PairedData
from ._correlation import CorrelationResult
from ._result import AnalysisResult, Estimate
from ._rtm_formulas import PitmanMorgan, Selection, expected_rtm_change
from ._strata import format_cutoff

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["RegressionToMeanResult"]


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
    corrected_statistic, corrected_pvalue : float or None
        t test (on ``slope_df``) that the slope on the true baseline is 0, i.e. that the
        observed slope is ``reliability - 1``. Unlike Oldham's test it stays valid when the
        patients were selected on their baseline, if ``reliability`` is that of the
        population screened (not of the selected patients).
    reasons : mapping of str to str
        Why a quantity is ``None``.
    selection_note : str
        A warning when some baseline values lie on the wrong side of ``cutoff``.

    Every warning (``warnings``) and every reason for a missing value is printed by
    ``str()``, the HTML repr and ``explain()``. Giving ``cutoff`` states that the patients
    were selected on their baseline; the result then warns that Oldham's test is biased by
    that selection.

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset, regression_to_mean
    >>> cohort = load_dataset("matsuoka2025")  # enrolled on HbA1c >= 6.2 %
    >>> result = regression_to_mean(cohort, reliability=0.8, cutoff=6.2)
    >>> result.n, result.selected, round(result.expected_change, 4)
    (58, 'above', -0.0707)
    >>> round(result.observed_change - result.expected_change, 4) == round(result.net_change, 4)
    True
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
    corrected_statistic: float | None = None
    corrected_pvalue: float | None = None

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
                    "; ".join(
                        [*o.notes, self._oldham_warning()] if self.cutoff is not None else o.notes
                    ),
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
                reason=r.get("observed_ci", ""),
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
                r.get("net_change")
                or (
                    "needs the expected change from RTM alone, which was not computed"
                    if self.expected_change is None
                    else "expected RTM treated as known"
                ),
                reason=r.get("net_change", "") if self.net_change is not None else "",
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
                self.corrected_statistic,
                self.slope_df if self.corrected_statistic is not None else None,
                self.corrected_pvalue,
                self.n,
                method="(b + 1 − ρ)/ρ (Blomqvist 1977), t of b against ρ − 1",
                note=r.get(
                    "corrected_slope",
                    f"reliability {format_number(self.reliability)}, treated as known",
                ),
            )
        )
        return out

    def _selection(self) -> str:
        side = "above" if self.selected == "above" else "below"
        return f"{side} {format_cutoff(self.cutoff or 0.0)}"

    def _warnings(self) -> list[str]:
        out = [self.selection_note]
        if self.cutoff is not None and self.oldham is not None:
            out.append(self._oldham_warning())
        return out

    def _oldham_warning(self) -> str:
        return (
            f"the patients were selected on their baseline ({self._selection()}), which "
            "biases Oldham's test: it rejects more often than its nominal level with no "
            "effect at all; Blomqvist's corrected slope is the test that allows for the "
            "selection"
        )

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

    def _explanation(self) -> str:
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
            if self.cutoff is not None:
                warning = self._oldham_warning()
                parts.append(
                    f"{warning[0].upper()}{warning[1:]}. Selection truncates the spread of the "
                    "baseline but not of the follow-up, whose measurement noise is new, so the "
                    "two variances differ with no treatment effect at all (notebook 03 measures "
                    "how often the test then rejects, by simulation). Blomqvist's slope comes "
                    "from the regression of the change on the baseline, which selection on the "
                    "baseline does not bias, provided the reliability is that of the population "
                    "screened."
                )
            else:
                parts.append(
                    "If the patients were enrolled because of their baseline value, this test "
                    "is biased by that selection; give cutoff= to say so."
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
                + (
                    f". But {self.selection_note}, so this expected change does not describe "
                    "these patients as a group"
                    if self.selection_note
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
                    f"{format_number(self.corrected_ci_high)}"
                    + (
                        f", p = {format_p(self.corrected_pvalue)} for no true slope)."
                        if self.corrected_pvalue is not None
                        else ")."
                    )
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
