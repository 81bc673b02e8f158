"""Dose and response: correlations, dose groups, partial correlation and a log-dose model.

The outcome is the change ``after - before`` (``direction="change"``) or its negative, the
reduction ``before - after`` (``direction="reduction"``), as papers often report it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import numpy as np

from .._format import count_noun, format_number, format_p
from ..cohort import Cohort, Exclusion, PairedData
from ._correlation import CorrelationResult, correlate, partial_correlation
from ._group_tests import GroupTest, compare_groups, group_test_estimates
from ._linear_model import LinearModelResult, ols
from ._result import AnalysisResult, Estimate, correlation_estimate, model_term_estimate
from ._strata import (
    Boundary,
    Strata,
    StratumSummary,
    cut,
    format_cutoff,
    paired_by_stratum,
    resolve_pairs,
)
from ._subgroups import _stratum_estimates, rounded_cutoffs

__all__ = ["DOSE_THRESHOLDS", "DoseResponseResult", "dose_response", "dose_thresholds_for"]

#: The default dose groups: below 1000 against 1000 and above, in the dose's unit (the
#: paper's "1 billion cells" with doses in millions).
DOSE_THRESHOLDS: tuple[float, ...] = (1000.0,)

Direction = Literal["change", "reduction"]
_METHODS: tuple[Literal["pearson", "spearman", "kendall"], ...] = ("pearson", "spearman", "kendall")
_METHOD_NAMES = {"pearson": "Pearson r", "spearman": "Spearman rho", "kendall": "Kendall tau-b"}
LOG_DOSE = "log10(dose)"


@dataclass(frozen=True)
class DoseResponseResult(AnalysisResult):
    """How the change relates to the dose.

    Attributes
    ----------
    direction : {"change", "reduction"}
        Outcome: ``after - before`` or ``before - after``.
    correlations : mapping of method to CorrelationResult
        ``"pearson"`` (Fisher-z CI), ``"spearman"``, ``"kendall"`` of dose with the outcome; a
        method that cannot be computed is absent and ``reasons[method]`` says why.
    strata : Strata
        Dose groups (``strata.rule_text``).
    groups : tuple of StratumSummary
        Paired analysis per dose group (of the change ``after - before``; the tidy rows give the
        outcome's sign).
    tests : tuple of GroupTest
        Between-group tests of the outcome; ``tests[0]`` is the stated one (Welch's t for two
        groups, Kruskal–Wallis for more, with the one-way ANOVA beside it).
    partial : CorrelationResult or None
        Partial Pearson correlation of dose and outcome adjusted for the baseline.
    model : LinearModelResult or None
        OLS ``outcome ~ baseline + log10(dose)``, on the rows with a positive dose.
    model_rows : ndarray
        Rows used by the model.
    model_excluded : tuple of Exclusion
        Rows left out of the model only (dose ≤ 0 cannot be logged).
    dose_levels : mapping of float to int
        Each distinct dose and how many patients had it.
    dose_unit : str or None
    n : int
        Pairs used (with a dose).
    reasons : mapping of str to str
        Why a quantity is missing.

    Examples
    --------
    Doses as printed in the table, and Pearson's r of dose with the change (R's
    ``cor.test(dose, after - before)`` gives -0.07986):

    >>> from cohort_reanalysis import dose_response, load_dataset
    >>> result = dose_response(load_dataset("matsuoka2025"), thresholds=[1000.0])
    >>> dict(result.dose_levels)
    {100.0: 2, 400.0: 2, 500.0: 3, 700.0: 1, 1000.0: 10, 2000.0: 40}
    >>> round(result.correlations["pearson"].estimate, 4)
    -0.0799
    """

    direction: str
    correlations: Mapping[str, CorrelationResult]
    strata: Strata
    groups: tuple[StratumSummary, ...]
    tests: tuple[GroupTest, ...]
    partial: CorrelationResult | None
    model: LinearModelResult | None
    model_rows: np.ndarray = field(repr=False, compare=False)
    model_excluded: tuple[Exclusion, ...] = ()
    dose_levels: Mapping[float, int] = field(default_factory=lambda: MappingProxyType({}))
    dose_unit: str | None = None
    n: int = 0
    confidence_level: float = 0.95
    measure: str | None = None
    unit: str | None = None
    rows: np.ndarray = field(
        default_factory=lambda: np.empty(0, np.int64), repr=False, compare=False
    )
    excluded: tuple[Exclusion, ...] = ()
    pairs: PairedData | None = field(default=None, repr=False, compare=False)
    reasons: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def rule_text(self) -> str:
        """The dose-group rule, e.g. ``"dose < 1000 million cells | dose ≥ 1000 ..."``."""
        return self.strata.rule_text

    @property
    def outcome(self) -> str:
        """``"change"`` or ``"reduction"``."""
        return self.direction

    @property
    def test(self) -> GroupTest:
        """The stated between-group test."""
        return self.tests[0]

    @property
    def n_distinct_doses(self) -> int:
        return len(self.dose_levels)

    def _what(self) -> str:
        m = self.measure or "the measurement"
        return f"{m} ({self.unit})" if self.unit else m

    def _title(self) -> str:
        return (
            f"Dose and {self.direction} in {self._what()} [dose groups: {self.rule_text}], "
            f"n = {self.n}"
        )

    def _estimates(self) -> list[Estimate]:
        out = []
        for method in _METHODS:
            out.append(
                correlation_estimate(
                    f"{_METHOD_NAMES[method]}: dose vs {self.direction}",
                    self.correlations.get(method),
                    self.reasons.get(method, ""),
                    self.n,
                )
            )
        sign = 1.0 if self.direction == "change" else -1.0
        out += _stratum_estimates(self.strata, self.groups, f"mean {self.direction}", sign)
        out += group_test_estimates(
            self.tests,
            difference=f"difference in mean {self.direction} between dose groups",
            differs=f"{self.direction} differs between dose groups",
            note=f"rule: {self.rule_text}",
        )
        out.append(
            correlation_estimate(
                f"partial r: dose vs {self.direction} | baseline",
                self.partial,
                self.reasons.get("partial", ""),
                self.n,
            )
        )
        m = self.model
        if m is None:
            out.append(
                Estimate(
                    f"model {self.direction} ~ baseline + {LOG_DOSE}",
                    n=len(self.model_rows),
                    note=self.reasons.get("model", ""),
                )
            )
        else:
            left = (
                f"; {count_noun(len(self.model_excluded), 'row')} with dose ≤ 0 left out"
                if self.model_excluded
                else ""
            )
            model = f"OLS {self.direction} ~ baseline + {LOG_DOSE}"
            note = f"R² = {m.r_squared:.4g}{left}"
            out += [
                model_term_estimate(f"model coefficient: {term}", m, term, model, note)
                for term in m.terms
            ]
        return out

    def _explanation(self) -> str:
        """Dose–response for a student, including why few dose levels matter."""
        m = self.measure or "the measurement"
        unit = f" {self.unit}" if self.unit and self.unit != "%" else (self.unit or "")
        du = f" {self.dose_unit}" if self.dose_unit else ""
        outcome = (
            "change (after minus before, so a fall is negative)"
            if self.direction == "change"
            else "reduction (before minus after, so a fall is positive)"
        )
        parts = [f"This asks whether patients given more cells had a larger {outcome} in {m}."]
        # Each level exactly as recorded (a level is an identity, not an estimate to round).
        levels = ", ".join(f"{format_cutoff(d)}{du} (n = {c})" for d, c in self.dose_levels.items())
        parts.append(
            f"The doses take only {count_noun(self.n_distinct_doses, 'distinct value')}: "
            f"{levels}. With so few dose levels a 'correlation' is in effect a comparison of a "
            "few groups: the rank correlations are dominated by ties, and the estimate leans on "
            "the handful of patients at the rarer doses."
        )
        p = self.correlations.get("pearson")
        s = self.correlations.get("spearman")
        if p is not None:
            parts.append(
                f"Pearson's r of dose with the {self.direction} is {format_number(p.estimate)} "
                f"({p.confidence_level:.0%} CI {format_number(p.ci_low)} to "
                f"{format_number(p.ci_high)}, p = {format_p(p.pvalue)})"
                + (
                    f"; Spearman's rho is {format_number(s.estimate)} (p = {format_p(s.pvalue)})"
                    if s is not None
                    else ""
                )
                + "."
            )
        else:
            parts.append(f"No correlation could be computed: {self.reasons.get('pearson')}.")
        t = self.test
        sizes = ", ".join(f"{g.label}: n = {g.n}" for g in self.groups)
        parts.append(f"Dose groups: {self.rule_text} ({self.strata.boundary_text}; {sizes}).")
        if t.reason is not None:
            parts.append(f"The between-group test ({t.method}) could not be computed: {t.reason}.")
        elif t.method == "Welch t":
            parts.append(
                f"Welch's t-test of the {self.direction} between the two groups: difference "
                f"{format_number(t.estimate)}{unit} ({t.groups[1]} minus {t.groups[0]}), "
                f"{self.confidence_level:.0%} CI {format_number(t.ci_low)} to "
                f"{format_number(t.ci_high)}, p = {format_p(t.pvalue)}."
            )
        else:
            parts.append(
                f"Kruskal–Wallis test across the groups (stated test): p = "
                f"{format_p(t.pvalue)}; the one-way ANOVA and Welch's ANOVA are shown beside it."
            )
        if self.partial is not None:
            parts.append(
                f"Adjusted for the baseline value (patients with higher baselines fall more, "
                f"regression to the mean among other reasons), the partial correlation is "
                f"{format_number(self.partial.estimate)} (p = {format_p(self.partial.pvalue)})."
            )
        if self.model is not None:
            i = self.model.index(LOG_DOSE)
            parts.append(
                f"In the linear model {self.direction} ~ baseline + {LOG_DOSE}, a tenfold higher "
                f"dose goes with a {self.direction} {format_number(self.model.coef[i])}{unit} "
                f"different ({self.confidence_level:.0%} CI "
                f"{format_number(self.model.ci_low[i])} to "
                f"{format_number(self.model.ci_high[i])}, p = "
                f"{format_p(self.model.pvalue[i])}) at the same baseline."
            )
            if self.model_excluded:
                parts.append(
                    f"{count_noun(len(self.model_excluded), 'row')} with dose ≤ 0 "
                    f"{'was' if len(self.model_excluded) == 1 else 'were'} left out of "
                    "the model only (a logarithm needs a positive dose)."
                )
        else:
            parts.append(f"The log-dose model was not fitted: {self.reasons.get('model')}.")
        parts.append(
            "What this does NOT show: a causal dose–response. Doses were not assigned at random; "
            "if they were chosen by body weight or clinical condition, dose groups differ in "
            "other ways that also affect the outcome. No significant trend is not evidence of no "
            "trend either: with few patients at low doses the intervals are wide, so read them. "
            f"Rule: {self.rule_text}."
        )
        return " ".join(parts)


def dose_thresholds_for(doses: Sequence[float] | np.ndarray) -> tuple[float, ...]:
    """The dose thresholds the figures apply: :data:`DOSE_THRESHOLDS` when they put doses on
    both sides, else the median dose (:func:`._subgroups.rounded_cutoffs`).

    Examples
    --------
    >>> dose_thresholds_for([500.0, 2000.0]), dose_thresholds_for([10.0, 20.0, 40.0])
    ((1000.0,), (20.0,))
    """
    dose = np.asarray(doses, dtype=np.float64)
    if all(np.any(dose < t) and np.any(dose >= t) for t in DOSE_THRESHOLDS):
        return DOSE_THRESHOLDS
    return rounded_cutoffs([float(np.median(dose))])


def dose_response(
    data: Cohort | PairedData,
    *,
    thresholds: Sequence[float] | float = DOSE_THRESHOLDS,
    boundary: Boundary = "upper",
    labels: Sequence[str] | None = None,
    confidence_level: float = 0.95,
    direction: Direction = "change",
) -> DoseResponseResult:
    """Relation of dose to the change: correlations, dose groups, adjusted and model estimates.

    Parameters
    ----------
    data : Cohort or PairedData
        A cohort with a ``dose`` column (rows without a dose are left out with the reason
        ``"dose missing"``), or pairs from ``cohort.pair(require=("dose",))``.
    thresholds : float or sequence of float, default DOSE_THRESHOLDS (1000.0,)
        Cutoffs of the dose groups, in the dose's unit; ``dose_thresholds_for()`` gives
        the median dose when the default does not split the doses.
    boundary : {"lower", "upper"}, default "upper"
        Which group a dose equal to a threshold joins. The default ``"upper"`` makes groups
        ``dose < 1000`` and ``dose ≥ 1000`` (in the dose's unit), as papers phrase dose groups
        ("≥ 1 billion cells").
    labels : sequence of str, optional
        Names of the dose groups (default: their conditions).
    confidence_level : float, default 0.95
    direction : {"change", "reduction"}, default "change"
        Outcome ``after - before`` or ``before - after``; correlations, group means and
        model coefficients change sign accordingly, p-values do not.

    Returns
    -------
    DoseResponseResult

    Raises
    ------
    ValueError
        For bad thresholds or options, when the cohort has no dose column, or when no pair
        has a dose.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> res = dose_response(load_dataset("matsuoka2025"), direction="reduction")
    >>> round(res.correlations["pearson"].estimate, 4), res.rule_text
    (0.0799, 'dose < 1000 million cells | dose ≥ 1000 million cells')
    """
    level = float(confidence_level)
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level!r}")
    if direction not in ("change", "reduction"):
        raise ValueError(f"direction must be 'change' or 'reduction', got {direction!r}")
    pairs, units = resolve_pairs(data, ("dose",), who="dose_response")
    n = pairs.n
    if n == 0:
        left = "; ".join(f"row {x.row}: {x.reason}" for x in pairs.excluded)
        raise ValueError(f"no complete pairs with a dose to analyse ({left})")
    dose = np.asarray(pairs.extra["dose"], dtype=np.float64)
    before = np.asarray(pairs.before, dtype=np.float64)
    change = np.asarray(pairs.change, dtype=np.float64)
    y = change if direction == "change" else -change
    dose_unit = units["dose"]
    du = f" {dose_unit}" if dose_unit else ""
    reasons: dict[str, str] = {}
    values, counts = np.unique(dose, return_counts=True)
    levels = MappingProxyType({float(v): int(c) for v, c in zip(values, counts, strict=True)})

    correlations: dict[str, CorrelationResult] = {}
    for method in _METHODS:
        if values.size == 1:
            reasons[method] = (
                f"all doses are equal ({format_cutoff(values[0])}{du}): a "
                "correlation needs the dose to vary"
            )
            continue
        try:
            correlations[method] = correlate(dose, y, method=method, confidence_level=level)
        except ValueError as exc:
            reasons[method] = (
                str(exc).replace("x is", "the dose is").replace("y is", f"the {direction} is")
            )

    strata = cut(
        dose, thresholds, boundary=boundary, labels=labels, variable="dose", unit=dose_unit
    )
    groups = paired_by_stratum(pairs, strata, confidence_level=level)
    tests = compare_groups(
        [y[strata.mask(i)] for i in range(strata.k)], strata.labels, confidence_level=level
    )

    partial: CorrelationResult | None = None
    if values.size == 1:
        reasons["partial"] = reasons["pearson"]
    else:
        try:
            partial = partial_correlation(dose, y, {"baseline": before}, confidence_level=level)
        except ValueError as exc:
            reasons["partial"] = (
                str(exc)
                .replace("x and y are", f"the dose and the {direction} are")
                .replace("x is", "the dose is")
                .replace("y is", f"the {direction} is")
            )

    positive = dose > 0.0
    model_excluded = tuple(
        Exclusion(int(r), f"dose {format_cutoff(d)}{du} ≤ 0 cannot be logged (model only)")
        for r, d in zip(pairs.rows[~positive], dose[~positive], strict=True)
    )
    model_rows = np.asarray(pairs.rows[positive])
    model: LinearModelResult | None = None
    if values[values > 0].size < 2:
        reasons["model"] = "needs at least two distinct positive doses to estimate a log-dose slope"
    else:
        try:
            model = ols(
                y[positive],
                {"baseline": before[positive], LOG_DOSE: np.log10(dose[positive])},
                confidence_level=level,
            )
        except ValueError as exc:
            reasons["model"] = str(exc)
    return DoseResponseResult(
        direction=direction,
        correlations=MappingProxyType(correlations),
        strata=strata,
        groups=groups,
        tests=tests,
        partial=partial,
        model=model,
        model_rows=model_rows,
        model_excluded=model_excluded,
        dose_levels=levels,
        dose_unit=dose_unit,
        n=n,
        confidence_level=level,
        measure=pairs.measure,
        unit=pairs.unit,
        rows=np.asarray(pairs.rows),
        excluded=tuple(pairs.excluded),
        pairs=pairs,
        reasons=MappingProxyType(reasons),
    )
