"""Change ``after - before`` in strata of baseline severity, and a test that it differs.

Patients are cut by a variable (by default the baseline value of the measure) at stated cutoffs,
with the side of the boundary explicit (:func:`._strata.cut`); each stratum gets the paired
analysis of :func:`._paired.paired_change`, and the changes are compared between strata
(Welch's t for two strata, Kruskal–Wallis for more).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .._format import format_number, format_p
from ..cohort import Cohort, Exclusion, PairedData
from ._group_tests import GroupTest, compare_groups, group_test_estimates
from ._result import AnalysisResult, Estimate
from ._strata import (
    Boundary,
    Strata,
    StratumSummary,
    cut,
    paired_by_stratum,
    resolve_pairs,
)

__all__ = [
    "SEVERITY_CUTOFFS",
    "SubgroupsResult",
    "rounded_cutoffs",
    "severity_cutoffs_for",
    "severity_subgroups",
]

#: The default severity split: HbA1c (%) at 8 %, moderate (≤ 8 %) against severe (> 8 %), the
#: split of the paper behind the bundled dataset and a common clinical threshold.
SEVERITY_CUTOFFS: tuple[float, ...] = (8.0,)


def rounded_cutoffs(values: Sequence[float] | np.ndarray) -> tuple[float, ...]:
    """Cutoffs computed from the data (a median, terciles), to 3 significant digits, each once.

    They label strata ("HbA1c ≤ 8.05 %"), so a cutoff of our own choosing reads as a round
    number; the rounded value is the cutoff that is applied.

    Examples
    --------
    >>> rounded_cutoffs([8.04999, 1234.5678, 8.0501])
    (8.05, 1230.0)
    """
    return tuple(float(v) for v in np.unique([float(f"{float(x):.3g}") for x in values]))


def severity_cutoffs_for(
    measure: str | None, unit: str | None, baseline: Sequence[float] | np.ndarray
) -> tuple[float, ...]:
    """The severity cutoffs the figures apply: :data:`SEVERITY_CUTOFFS` for HbA1c in %, the
    median baseline (:func:`rounded_cutoffs`) for any other measure.

    Examples
    --------
    >>> severity_cutoffs_for("HbA1c", "%", [6.0, 9.0])
    (8.0,)
    >>> severity_cutoffs_for("weight", "kg", [71.0, 80.0, 92.5])
    (80.0,)
    """
    if (measure or "").casefold() == "hba1c" and unit == "%":
        return SEVERITY_CUTOFFS
    return rounded_cutoffs([float(np.median(np.asarray(baseline, dtype=np.float64)))])


def _stratum_estimates(
    strata: Strata,
    summaries: Sequence[StratumSummary],
    outcome: str = "mean change",
    sign: float = 1.0,
) -> list[Estimate]:
    """One tidy row per stratum: the paired mean change (or its negative) with its t test."""
    out = []
    for s in summaries:
        quantity = f"{outcome}, {s.label}"
        notes = [f"rule: {strata.rule_text}"]
        if s.label != s.condition:
            notes.insert(0, s.condition)
        p = s.paired
        if p is None:
            out.append(
                Estimate(
                    quantity,
                    n=0,
                    method="paired t",
                    note="; ".join([s.reason or "no patients", *notes]),
                )
            )
            continue
        if p.reasons.get("statistic"):
            notes.insert(0, p.reasons["statistic"])
        lo, hi = p.ci_low, p.ci_high
        if sign < 0 and lo is not None and hi is not None:
            lo, hi = -hi, -lo
        out.append(
            Estimate(
                quantity,
                sign * p.estimate,
                lo,
                hi,
                p.confidence_level if lo is not None else None,
                None if p.statistic is None else sign * p.statistic,
                p.df,
                p.pvalue,
                n=p.n,
                method="paired t",
                note="; ".join(notes),
                reason=p.reasons.get("statistic", ""),
            )
        )
    return out


def _stratum_sizes(summaries: Sequence[StratumSummary]) -> str:
    return ", ".join(f"{s.label}: n = {s.n}" for s in summaries)


@dataclass(frozen=True)
class SubgroupsResult(AnalysisResult):
    """Paired change in each stratum of a variable, and a test that the change differs.

    Attributes
    ----------
    variable : str
        What was cut (``"before"`` is the baseline of the measure).
    variable_label : str
        How it is printed in the rule text.
    strata : Strata
        Cutoffs, boundary rule (``strata.rule_text``) and the stratum of each pair.
    subgroups : tuple of StratumSummary
        Per stratum: label, condition, n, rows and the :class:`PairedChangeResult`
        (``None`` with a reason for an empty stratum).
    tests : tuple of GroupTest
        Between-strata tests; ``tests[0]`` is the stated one (Welch's t for two strata,
        Kruskal–Wallis for more, then one-way ANOVA and Welch's ANOVA for reference).
    n : int
        Pairs used.
    confidence_level : float
    measure, unit : str or None
    rows, excluded
        Rows used, and rows left out with reasons.

    Examples
    --------
    One patient has a baseline of exactly 8.0: the boundary rule decides its stratum.

    >>> from cohort_reanalysis import load_dataset, severity_subgroups
    >>> cohort = load_dataset("matsuoka2025")
    >>> [s.n for s in severity_subgroups(cohort, cutoffs=[8.0], boundary="lower").subgroups]
    [46, 12]
    >>> [s.n for s in severity_subgroups(cohort, cutoffs=[8.0], boundary="upper").subgroups]
    [45, 13]
    """

    variable: str
    variable_label: str
    strata: Strata
    subgroups: tuple[StratumSummary, ...]
    tests: tuple[GroupTest, ...]
    n: int
    confidence_level: float
    measure: str | None
    unit: str | None
    rows: np.ndarray = field(repr=False, compare=False)
    excluded: tuple[Exclusion, ...]
    pairs: PairedData = field(repr=False, compare=False)

    @property
    def rule_text(self) -> str:
        """The stratification rule, e.g. ``"HbA1c ≤ 8 % | HbA1c > 8 %"``."""
        return self.strata.rule_text

    @property
    def test(self) -> GroupTest:
        """The stated between-strata test."""
        return self.tests[0]

    @property
    def sizes(self) -> dict[str, int]:
        """Patients per stratum, in stratum order (zeros included)."""
        return {s.label: s.n for s in self.subgroups}

    def _title(self) -> str:
        what = (
            f"{self.measure} ({self.unit})"
            if self.measure and self.unit
            else (self.measure or "the measurement")
        )
        return (
            f"Change in {what} by strata of {self.variable_label} [{self.rule_text}], n = {self.n}"
        )

    def _estimates(self) -> list[Estimate]:
        out = _stratum_estimates(self.strata, self.subgroups)
        out += group_test_estimates(
            self.tests,
            difference="difference in mean change between strata",
            differs="change differs between strata",
            note=f"rule: {self.rule_text}",
        )
        return out

    def _explanation(self) -> str:
        """What was compared, how to read it, and why it cannot show that severity matters."""
        m = self.measure or "the measurement"
        unit = f" {self.unit}" if self.unit and self.unit != "%" else (self.unit or "")
        parts = [
            f"Patients were split by {self.variable_label} into {self.strata.k} strata: "
            f"{self.rule_text} ({self.strata.boundary_text}). Sizes: "
            f"{_stratum_sizes(self.subgroups)}. In each stratum the change in {m} "
            f"(after minus before, so a fall is negative) was tested against 0 with a paired "
            f"t-test."
        ]
        for s in self.subgroups:
            p = s.paired
            if p is None:
                parts.append(f"{s.label}: no patients, so nothing was computed.")
            elif p.statistic is None:
                why = p.reasons.get("statistic", "not computable")
                parts.append(
                    f"{s.label}: mean change {format_number(p.estimate)}{unit} "
                    f"(n = {p.n}); no test ({why})."
                )
            else:
                parts.append(
                    f"{s.label}: mean change {format_number(p.estimate)}{unit}, "
                    f"{p.confidence_level:.0%} CI {format_number(p.ci_low)} to "
                    f"{format_number(p.ci_high)}, p = {format_p(p.pvalue)} (n = {p.n})."
                )
        t = self.test
        if t.reason is not None:
            parts.append(f"The between-strata test ({t.method}) could not be computed: {t.reason}.")
        elif t.method == "Welch t":
            parts.append(
                f"Whether the change differs between the two strata is tested with Welch's t-test "
                f"on the changes (it does not assume equal variances): difference "
                f"{format_number(t.estimate)}{unit} ({t.groups[1]} minus {t.groups[0]}), "
                f"{self.confidence_level:.0%} CI {format_number(t.ci_low)} to "
                f"{format_number(t.ci_high)}, t = {format_number(t.statistic)} on "
                f"{format_number(t.df)} df, p = {format_p(t.pvalue)}."
            )
        else:
            parts.append(
                f"Whether the change differs between the {len(t.groups)} strata is tested with "
                f"the Kruskal–Wallis rank test (the stated test): H = "
                f"{format_number(t.statistic)} on {format_number(t.df)} df, p = "
                f"{format_p(t.pvalue)}. The one-way ANOVA and Welch's ANOVA are shown for "
                f"reference."
            )
        parts.append(
            "A p-value in one stratum and not in another is not evidence that the strata differ: "
            "only the between-strata test speaks to that, and small strata have wide intervals."
        )
        if self.variable == "before":
            parts.append(
                "What this does NOT show: that the treatment works better in more severe patients. "
                "A greater fall in the patients who started high is exactly what regression to "
                "the mean predicts with no treatment effect at all: a baseline value is partly "
                "true level and partly day-to-day and measurement noise, patients picked or "
                "grouped for high baseline values were on average measured on a high day, and "
                "their next value drifts back toward their true level. Grouping by the baseline "
                "also couples the groups to the change (the baseline appears in both). Without an "
                "untreated control group the two explanations cannot be told apart; see "
                "regression_to_mean() for Oldham's test and the expected size of the effect."
            )
        else:
            parts.append(
                "What this does NOT show: without an untreated control group, differences between "
                "strata cannot be attributed to the treatment; strata may differ in other ways."
            )
        parts.append(f"Rule: {self.rule_text}.")
        return " ".join(parts)


def _variable_values(
    data: Cohort | PairedData, variable: str
) -> tuple[PairedData, np.ndarray, str, str | None]:
    if variable in ("before", "after"):
        pairs, _ = resolve_pairs(data, (), who="severity_subgroups")
        values = pairs.before if variable == "before" else pairs.after
        label = pairs.measure or "baseline"
        if variable == "after":
            label = f"{pairs.measure or 'value'} ({pairs.after_label})"
        return pairs, np.asarray(values, dtype=np.float64), label, pairs.unit
    pairs, units = resolve_pairs(data, (variable,), who="severity_subgroups")
    values = np.asarray(pairs.extra[variable], dtype=np.float64)
    return pairs, values, variable, units[variable]


def severity_subgroups(
    data: Cohort | PairedData,
    *,
    cutoffs: Sequence[float] | float = SEVERITY_CUTOFFS,
    boundary: Boundary = "lower",
    labels: Sequence[str] | None = None,
    variable: str = "before",
    confidence_level: float = 0.95,
) -> SubgroupsResult:
    """Paired change in strata of baseline severity, and whether it differs between strata.

    Parameters
    ----------
    data : Cohort or PairedData
        The cohort (its ``before``/``after`` pair; rows missing either are left out and
        listed), or pairs already chosen with ``Cohort.pair``.
    cutoffs : float or sequence of float, default SEVERITY_CUTOFFS (8.0,)
        Strictly increasing cutoffs on ``variable``; ``k`` cutoffs make ``k + 1`` strata.
        The default splits HbA1c at 8 %, as moderate (≤ 8 %) and severe (> 8 %); for
        another measure, ``severity_cutoffs_for()`` gives its median baseline.
    boundary : {"lower", "upper"}, default "lower"
        Which stratum a value equal to a cutoff belongs to (``"lower"``: 8.0 is moderate).
    labels : sequence of str, optional
        Names of the strata (default: their conditions, e.g. ``"HbA1c ≤ 8 %"``).
    variable : str, default "before"
        ``"before"`` (baseline of the measure), ``"after"``, or a numeric column role or name
        (rows missing it are left out with the reason).
    confidence_level : float, default 0.95

    Returns
    -------
    SubgroupsResult
        The rule text (``result.rule_text``) is printed in every output.

    Raises
    ------
    ValueError
        For bad cutoffs, boundary or labels, or when there is no complete pair.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> res = severity_subgroups(load_dataset("matsuoka2025"))
    >>> res.rule_text, res.sizes
    ('HbA1c ≤ 8 % | HbA1c > 8 %', {'HbA1c ≤ 8 %': 46, 'HbA1c > 8 %': 12})
    """
    level = float(confidence_level)
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level!r}")
    pairs, values, label, unit = _variable_values(data, variable)
    if pairs.n == 0:
        left = "; ".join(f"row {x.row}: {x.reason}" for x in pairs.excluded)
        raise ValueError(f"no complete pairs to analyse ({left})")
    strata = cut(values, cutoffs, boundary=boundary, labels=labels, variable=label, unit=unit)
    summaries = paired_by_stratum(pairs, strata, confidence_level=level)
    changes = [np.asarray(pairs.change)[strata.mask(i)] for i in range(strata.k)]
    tests = compare_groups(changes, strata.labels, confidence_level=level)
    return SubgroupsResult(
        variable=variable,
        variable_label=label,
        strata=strata,
        subgroups=summaries,
        tests=tests,
        n=pairs.n,
        confidence_level=level,
        measure=pairs.measure,
        unit=pairs.unit,
        rows=np.asarray(pairs.rows),
        excluded=tuple(pairs.excluded),
        pairs=pairs,
    )
