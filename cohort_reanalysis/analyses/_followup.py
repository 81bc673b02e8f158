"""Follow-up time and the change: how long patients were followed, and whether the change
depends on it (the evidence offered for a "sustained" effect).

The median and IQR of follow-up are given under any of the nine Hyndman–Fan quantile definitions
(:mod:`._quantiles`), since papers rarely say which they used. The change ``after - before`` is
related to follow-up by correlations and a regression slope, compared across follow-up bands
(cut with the boundary rule of :func:`._strata.cut`), and, when the user supplies equivalence
bounds, tested for a negligible slope by two one-sided tests (:func:`._equivalence.tost`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from .._format import format_number, format_p, format_plain
from ..cohort import Cohort, Exclusion, PairedData
from ._correlation import CorrelationResult, correlate
from ._equivalence import EquivalenceResult, tost
from ._group_tests import GroupTest, compare_groups, group_test_estimates
from ._kernel._quantiles import (
    SPREADSHEET_EQUIVALENTS,
    QuantileType,
    QuantileTypeLike,
    quantiles,
    quantiles_all_types,
    resolve_quantile_type,
)
from ._linear_model import LinearModelResult, ols
from ._result import AnalysisResult, Estimate, correlation_estimate, model_term_estimate
from ._strata import (
    Boundary,
    Strata,
    StratumSummary,
    cut,
    paired_by_stratum,
    resolve_pairs,
)
from ._subgroups import _stratum_estimates, rounded_cutoffs

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["FOLLOWUP_BANDS", "FollowupResult", "followup_bands_for", "followup_effect"]

#: The default follow-up bands, in months: up to 12, 12 to 36, and beyond 36 (one and three
#: years).
FOLLOWUP_BANDS: tuple[float, ...] = (12.0, 36.0)

_PROBS = (0.25, 0.5, 0.75)
FOLLOWUP = "follow-up"


def _software_for(qt: QuantileType) -> tuple[str, ...]:
    return tuple(name for name, t in SPREADSHEET_EQUIVALENTS.items() if t == qt)


def _and(names: Sequence[str]) -> str:
    # Semicolons when a name has a comma of its own ("Stata pctile/_pctile, altdef").
    sep = "; " if any("," in n for n in names) else ", "
    return names[0] if len(names) == 1 else sep.join(names[:-1]) + " and " + names[-1]


def _quantile_words(qt: QuantileType, software: Sequence[str]) -> str:
    """The quantile definition in one phrase with one bracket, e.g. for type 7:
    "quantile type 7 of Hyndman & Fan (linear interpolation: the default of R and numpy, and
    what Excel QUARTILE.INC ... compute)"."""
    if qt is QuantileType.LINEAR:
        what = "linear interpolation: the default of R and numpy"
    else:
        what = f"numpy's method {qt.method!r}"
    if software:
        what += f", and what {_and(software)} compute" + ("s" if len(software) == 1 else "")
    return f"quantile type {qt.r_type} of Hyndman & Fan ({what})"


@dataclass(frozen=True)
class FollowupResult(AnalysisResult):
    """Follow-up duration and the change ``after - before``.

    Attributes
    ----------
    quantile_type : QuantileType
        Hyndman–Fan definition of the quartiles below (R's ``type``).
    q1, median, q3, iqr : float
        Quartiles of follow-up and ``q3 - q1``.
    minimum, maximum : float
    software : tuple of str
        Spreadsheet and statistics functions documented to compute ``quantile_type``.
    correlations : mapping of str to CorrelationResult
        ``"pearson"`` and ``"spearman"`` of follow-up with the change (absent with a reason
        when undefined).
    model : LinearModelResult or None
        OLS ``change ~ follow-up``; its slope is the change per unit of follow-up.
    strata : Strata
        Follow-up bands (``strata.rule_text``).
    bands : tuple of StratumSummary
        Paired analysis per band.
    tests : tuple of GroupTest
        Between-band tests of the change; ``tests[0]`` is the stated one.
    equivalence : EquivalenceResult or None
        TOST of the slope against ``equivalence_bounds`` (``None`` when no bounds are given).
    equivalence_bounds : (float, float) or None
        In measure units per follow-up unit.
    followup_unit : str or None
    n : int
    reasons : mapping of str to str

    Examples
    --------
    The quartiles of follow-up as R's ``quantile(months, type = 7)`` and ``type = 6``:

    >>> from cohort_reanalysis import followup_effect, load_dataset
    >>> cohort = load_dataset("matsuoka2025")
    >>> result = followup_effect(cohort)
    >>> result.q1, result.median, result.q3
    (15.25, 35.5, 45.75)
    >>> followup_effect(cohort, quantile_type=6).q3
    46.25
    """

    quantile_type: QuantileType
    q1: float
    median: float
    q3: float
    iqr: float
    minimum: float
    maximum: float
    software: tuple[str, ...]
    correlations: Mapping[str, CorrelationResult]
    model: LinearModelResult | None
    strata: Strata
    bands: tuple[StratumSummary, ...]
    tests: tuple[GroupTest, ...]
    equivalence: EquivalenceResult | None
    equivalence_bounds: tuple[float, float] | None
    followup_unit: str | None
    n: int
    confidence_level: float
    measure: str | None
    unit: str | None
    followup: np.ndarray = field(repr=False, compare=False)
    rows: np.ndarray = field(repr=False, compare=False)
    excluded: tuple[Exclusion, ...]
    pairs: PairedData = field(repr=False, compare=False)
    reasons: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def rule_text(self) -> str:
        """The follow-up band rule, e.g. ``"follow-up ≤ 12 months | ..."``."""
        return self.strata.rule_text

    @property
    def slope(self) -> float | None:
        """Change per unit of follow-up (``None`` if the model could not be fitted)."""
        return None if self.model is None else self.model.coef[self.model.index(FOLLOWUP)]

    def quantiles_all_types(self) -> pd.DataFrame:
        """Q1, median, Q3 and IQR of follow-up under all nine Hyndman–Fan definitions.

        One row per R ``type`` (1..9) with columns ``type``, ``method`` (numpy's name),
        ``q1``, ``median``, ``q3``, ``iqr`` and ``software`` (functions documented to compute
        that type, from ``SPREADSHEET_EQUIVALENTS``).
        """
        q = quantiles_all_types(self.followup, _PROBS)
        records = []
        for qt in QuantileType:
            row = q[qt.r_type - 1]
            records.append(
                {
                    "type": qt.r_type,
                    "method": qt.method,
                    "q1": float(row[0]),
                    "median": float(row[1]),
                    "q3": float(row[2]),
                    "iqr": float(row[2] - row[0]),
                    "software": "; ".join(_software_for(qt)),
                }
            )
        import pandas as pd

        return pd.DataFrame.from_records(records)

    def _fu(self) -> str:
        return f" {self.followup_unit}" if self.followup_unit else ""

    def _slope_unit(self) -> str:
        u = self.unit or "units"
        per = self.followup_unit.rstrip("s") if self.followup_unit else "unit of follow-up"
        return f"{u} per {per}"

    def _title(self) -> str:
        m = self.measure or "the measurement"
        what = f"{m} ({self.unit})" if self.unit else m
        return f"Follow-up and change in {what} [bands: {self.rule_text}], n = {self.n}"

    def _estimates(self) -> list[Estimate]:
        qmethod = f"quantile {self.quantile_type.label}"
        soft = ("same as " + ", ".join(self.software)) if self.software else ""
        out = [
            Estimate(f"median {FOLLOWUP}", self.median, n=self.n, method=qmethod, note=soft),
            Estimate(f"Q1 {FOLLOWUP}", self.q1, n=self.n, method=qmethod, note=soft),
            Estimate(f"Q3 {FOLLOWUP}", self.q3, n=self.n, method=qmethod, note=soft),
            Estimate(f"IQR {FOLLOWUP}", self.iqr, n=self.n, method=f"Q3 − Q1, {qmethod}"),
        ]
        for method, name in (("pearson", "Pearson r"), ("spearman", "Spearman rho")):
            out.append(
                correlation_estimate(
                    f"{name}: {FOLLOWUP} vs change",
                    self.correlations.get(method),
                    self.reasons.get(method, ""),
                    self.n,
                )
            )
        m = self.model
        if m is None:
            out.append(
                Estimate(
                    f"slope of change on {FOLLOWUP}", n=self.n, note=self.reasons.get("model", "")
                )
            )
        else:
            out.append(
                model_term_estimate(
                    f"slope of change on {FOLLOWUP}",
                    m,
                    FOLLOWUP,
                    f"OLS change ~ {FOLLOWUP}",
                    self._slope_unit(),
                )
            )
        e = self.equivalence
        if e is None:
            out.append(
                Estimate(
                    "equivalence of slope to 0 (TOST)",
                    n=self.n,
                    note=self.reasons.get("equivalence", ""),
                )
            )
        else:
            verdict = "equivalent" if e.equivalent else "not shown equivalent"
            out.append(
                Estimate(
                    "equivalence of slope to 0 (TOST)",
                    e.estimate,
                    e.ci_low,
                    e.ci_high,
                    e.confidence_level,
                    min(e.t_lower, -e.t_upper),
                    e.df,
                    e.pvalue,
                    self.n,
                    f"TOST, bounds {format_number(e.bounds[0])} to {format_number(e.bounds[1])}",
                    f"{verdict} at alpha = {e.alpha:g}; statistic: the smaller one-sided t; "
                    f"{self._slope_unit()}",
                )
            )
        out += _stratum_estimates(self.strata, self.bands)
        out += group_test_estimates(
            self.tests,
            difference="difference in mean change between bands",
            differs="change differs between bands",
            note=f"rule: {self.rule_text}",
        )
        return out

    def _explanation(self) -> str:
        """What follow-up says about a 'sustained' effect, and what it cannot say."""
        fu = self._fu()
        # Order statistics print as papers print them (35.5, 15.25), as in table_one.
        parts = [
            f"Follow-up ran from {format_plain(self.minimum)} to "
            f"{format_plain(self.maximum)}{fu}: median {format_plain(self.median)}{fu}, "
            f"IQR {format_plain(self.q1)} to {format_plain(self.q3)}{fu}, using "
            f"{_quantile_words(self.quantile_type, self.software)}. Quartiles of small samples "
            "depend on the definition; quantiles_all_types() lists all nine, so a reported value "
            "can be matched to the software that produced it."
        ]
        p = self.correlations.get("pearson")
        if p is not None and self.model is not None:
            i = self.model.index(FOLLOWUP)
            parts.append(
                f"The change correlates with follow-up with r = {format_number(p.estimate)} "
                f"(p = {format_p(p.pvalue)}); the slope is "
                f"{format_number(self.model.coef[i])} {self._slope_unit()} "
                f"({self.model.confidence_level:.0%} CI {format_number(self.model.ci_low[i])} "
                f"to {format_number(self.model.ci_high[i])})."
            )
        else:
            why = self.reasons.get("pearson") or self.reasons.get("model", "")
            parts.append(f"The change could not be related to follow-up: {why}.")
        parts.append(
            "A non-significant correlation does not show that the effect is sustained: absence "
            "of evidence of a trend is not evidence of no trend, and the slope's interval says "
            "how large a waning the data still allow."
        )
        e = self.equivalence
        if e is not None:
            parts.append(
                f"The equivalence test (two one-sided tests) asks whether the slope lies within "
                f"{format_number(e.bounds[0])} to {format_number(e.bounds[1])} "
                f"{self._slope_unit()}: the {e.confidence_level:.0%} interval "
                f"{format_number(e.ci_low)} to {format_number(e.ci_high)} "
                + (
                    "lies inside them, so the drift is shown to be within the bounds"
                    if e.equivalent
                    else "does not lie inside them, so a negligible drift is not shown"
                )
                + f" (p = {format_p(e.pvalue)})."
            )
        parts.append(
            "Equivalence bounds must come from the user or the clinic, set before looking at the "
            "data: they state how much drift per unit of time is clinically negligible. Bounds "
            "taken from the data (for example from the interval itself) make the test circular, "
            "since any slope is 'equivalent' within a margin chosen wide enough."
            + ("" if e is not None else " None were given, so no equivalence test was run.")
        )
        parts.append(
            "What this does NOT show: each patient was measured once after treatment, at "
            "different times, so the slope compares different patients, not one patient over "
            "time. Patients followed longer may differ (earlier enrolment, different doses or "
            "care, who stayed in follow-up), and without a control group a stable difference "
            "may be regression to the mean or other care rather than a lasting treatment effect."
        )
        parts.append(f"Bands: {self.rule_text} ({self.strata.boundary_text}).")
        return " ".join(parts)


def followup_bands_for(unit: str | None, times: Sequence[float] | np.ndarray) -> tuple[float, ...]:
    """The follow-up bands the figures apply: :data:`FOLLOWUP_BANDS` when follow-up is in
    months, else its terciles (:func:`._subgroups.rounded_cutoffs`).

    Examples
    --------
    >>> followup_bands_for("months", [3.0, 50.0]), followup_bands_for("days", [10, 20, 30, 40])
    ((12.0, 36.0), (20.0, 30.0))
    """
    if unit and "month" in unit.casefold():
        return FOLLOWUP_BANDS
    quantiles = np.quantile(np.asarray(times, dtype=np.float64), [1.0 / 3.0, 2.0 / 3.0])
    return rounded_cutoffs(quantiles)


def followup_effect(
    data: Cohort | PairedData,
    *,
    quantile_type: QuantileTypeLike = 7,
    bands: Sequence[float] | float = FOLLOWUP_BANDS,
    boundary: Boundary = "lower",
    equivalence_bounds: tuple[float, float] | None = None,
    confidence_level: float = 0.95,
) -> FollowupResult:
    """Follow-up duration and its relation to the change ``after - before``.

    Parameters
    ----------
    data : Cohort or PairedData
        A cohort with a ``followup`` column (rows without it are left out with the reason
        ``"followup missing"``), or pairs from ``cohort.pair(require=("followup",))``.
    quantile_type : int, str or QuantileType, default 7
        Hyndman–Fan definition for the median and IQR (1..9 or a name such as ``"weibull"``);
        7 (linear interpolation) is the default of R and numpy, and Excel QUARTILE.INC's.
    bands : float or sequence of float, default FOLLOWUP_BANDS (12.0, 36.0)
        Cutoffs of the follow-up bands, in the follow-up's unit (the default is in months;
        ``followup_bands_for()`` gives terciles for other units).
    boundary : {"lower", "upper"}, default "lower"
        Which band a value equal to a cutoff joins (``"lower"``: 12 is in ``≤ 12``).
    equivalence_bounds : (low, high), optional
        Bounds for the slope, in measure units per follow-up unit (e.g. ``(-0.01, 0.01)`` %
        HbA1c per month), chosen on clinical grounds *before* seeing the data. The TOST uses
        ``alpha = 1 - confidence_level`` for each one-sided test (a 90 % interval at 0.95).
    confidence_level : float, default 0.95

    Returns
    -------
    FollowupResult

    Raises
    ------
    ValueError
        For bad bands or options, when the cohort has no follow-up column, or when no pair
        has a follow-up time.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> res = followup_effect(load_dataset("matsuoka2025"))
    >>> res.median, res.q1, res.q3
    (35.5, 15.25, 45.75)
    """
    level = float(confidence_level)
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level!r}")
    qt = resolve_quantile_type(quantile_type)
    if equivalence_bounds is not None:
        low, high = (float(b) for b in equivalence_bounds)
        if not low < high:
            raise ValueError(
                f"equivalence_bounds must be (low, high) with low < high, got "
                f"{equivalence_bounds!r}"
            )
        if level <= 0.5:
            raise ValueError("the TOST needs confidence_level > 0.5 (alpha = 1 - level < 0.5)")
    pairs, units = resolve_pairs(data, ("followup",), who="followup_effect")
    n = pairs.n
    if n == 0:
        left = "; ".join(f"row {x.row}: {x.reason}" for x in pairs.excluded)
        raise ValueError(f"no complete pairs with a follow-up time to analyse ({left})")
    f = np.asarray(pairs.extra["followup"], dtype=np.float64)
    change = np.asarray(pairs.change, dtype=np.float64)
    f_unit = units["followup"]
    reasons: dict[str, str] = {}

    q1, med, q3 = (float(v) for v in quantiles(f, _PROBS, type=qt))

    correlations: dict[str, CorrelationResult] = {}
    for method in ("pearson", "spearman"):
        try:
            correlations[method] = correlate(f, change, method=method, confidence_level=level)
        except ValueError as exc:
            reasons[method] = (
                str(exc).replace("x is", "follow-up is").replace("y is", "the change is")
            )

    model: LinearModelResult | None = None
    try:
        model = ols(change, {FOLLOWUP: f}, confidence_level=level)
    except ValueError as exc:
        reasons["model"] = str(exc).replace(f"column {FOLLOWUP!r}", FOLLOWUP)

    equivalence: EquivalenceResult | None = None
    if equivalence_bounds is None:
        reasons["equivalence"] = (
            "no equivalence_bounds given: a 'sustained' effect needs a clinically negligible "
            "drift per unit of follow-up, chosen before seeing the data"
        )
    elif model is None:
        reasons["equivalence"] = "no slope: " + reasons["model"]
    else:
        i = model.index(FOLLOWUP)
        equivalence = tost(
            model.coef[i], model.se[i], float(model.df_resid), low=low, high=high, alpha=1.0 - level
        )

    strata = cut(f, bands, boundary=boundary, variable=FOLLOWUP, unit=f_unit)
    band_results = paired_by_stratum(pairs, strata, confidence_level=level)
    tests = compare_groups(
        [change[strata.mask(i)] for i in range(strata.k)], strata.labels, confidence_level=level
    )
    return FollowupResult(
        quantile_type=qt,
        q1=q1,
        median=med,
        q3=q3,
        iqr=q3 - q1,
        minimum=float(f.min()),
        maximum=float(f.max()),
        software=_software_for(qt),
        correlations=MappingProxyType(correlations),
        model=model,
        strata=strata,
        bands=band_results,
        tests=tests,
        equivalence=equivalence,
        equivalence_bounds=None if equivalence_bounds is None else (low, high),
        followup_unit=f_unit,
        n=n,
        confidence_level=level,
        measure=pairs.measure,
        unit=pairs.unit,
        followup=f,
        rows=np.asarray(pairs.rows),
        excluded=tuple(pairs.excluded),
        pairs=pairs,
        reasons=MappingProxyType(reasons),
    )
