"""Which figures a dataset has: one :class:`FigureSpec` per figure, in :data:`FIGURES`.

A specification names the figure, says what it needs (cohort columns, an audit), computes
what it shows from :class:`FigureInputs` (the analyses of one dataset, each computed once
on first need), and names its plot function. To add a figure, write its plot function and
add its specification to :data:`FIGURES`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from ...analyses._dose import dose_response, dose_thresholds_for
from ...analyses._followup import followup_bands_for, followup_effect
from ...analyses._paired import PairedChangeResult, paired_change
from ...analyses._rtm import regression_to_mean
from ...analyses._subgroups import severity_cutoffs_for, severity_subgroups
from ...cohort import Cohort
from ._audit import AuditSummary, plot_audit
from ._dose import plot_dose_response
from ._estimation import plot_estimation, plot_subgroup_estimates
from ._followup import plot_followup
from ._forest import plot_forest
from ._paired import plot_before_after
from ._rtm import plot_regression_to_mean

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from ...verification._audit import Audit

__all__ = [
    "FIGURES",
    "FIGURE_DESCRIPTIONS",
    "FIGURE_NAMES",
    "Drawing",
    "FigureInputs",
    "FigureSpec",
    "checked_names",
    "drawings",
    "figure_names",
]

Arguments = tuple[tuple[Any, ...], Mapping[str, Any]]


@dataclass(frozen=True)
class FigureInputs:
    """The analyses of one dataset that figures show, each computed once, on first need.

    Figures share analyses (the forest plot reuses the severity strata, the dose groups
    and the follow-up bands), so the figures asked for compute only what they need. The
    strata use the defaults of their analyses (:func:`severity_cutoffs_for`,
    :func:`dose_thresholds_for`, :func:`followup_bands_for`).
    """

    cohort: Cohort
    audit: Audit | None = None
    n_resamples: int = 5000
    seed: int = 0
    reliability: float = 0.8

    @property
    def resampling(self) -> dict[str, Any]:
        return {"n_resamples": self.n_resamples, "seed": self.seed}

    @cached_property
    def paired(self) -> PairedChangeResult:
        return paired_change(self.cohort)

    @cached_property
    def severity(self) -> Any:
        baseline = np.asarray(self.paired.pairs.before, dtype=np.float64)
        cutoffs = severity_cutoffs_for(self.cohort.measure, self.cohort.unit, baseline)
        return severity_subgroups(self.cohort, cutoffs=cutoffs)

    @cached_property
    def dose(self) -> Any:
        doses = self.cohort.pair(require=("dose",)).extra["dose"]
        return dose_response(self.cohort, thresholds=dose_thresholds_for(doses))

    @cached_property
    def followup(self) -> Any:
        times = self.cohort.pair(require=("followup",)).extra["followup"]
        spec = self.cohort.column("followup")
        bands = followup_bands_for(spec.unit if spec is not None else None, times)
        return followup_effect(self.cohort, bands=bands)

    def by_category(self, name: str) -> dict[str, PairedChangeResult] | None:
        """Paired change within each level of a categorical column (e.g. sex)."""
        column = self.cohort.column(name)
        if column is None:
            return None
        pairs = self.cohort.pair(require=(name,))
        levels = np.asarray(pairs.extra[name], dtype=object)
        out: dict[str, PairedChangeResult] = {}
        for level in sorted({str(v) for v in levels}):
            mask = np.array([str(v) == level for v in levels], dtype=bool)
            out[f"{column.name} = {level}"] = paired_change(pairs.select(mask))
        return out or None


@dataclass(frozen=True)
class FigureSpec:
    """One figure: its name, what it needs, what it shows and how it is drawn.

    ``arguments`` computes, from the dataset's :class:`FigureInputs`, the positional and
    keyword arguments of ``plot``; ``columns`` are the cohort columns the figure needs, and
    ``needs_audit`` says it shows verdicts. ``description`` says in a sentence what the
    figure shows: the HTML report prints it as the figure's caption.
    """

    name: str
    plot: Callable[..., Any]
    arguments: Callable[[FigureInputs], Arguments]
    columns: tuple[str, ...] = ()
    needs_audit: bool = False
    description: str = ""

    def available(self, cohort: Cohort, audit: Audit | None) -> bool:
        """Whether this dataset (and audit) can have the figure."""
        if self.needs_audit and audit is None:
            return False
        return all(cohort.column(name) is not None for name in self.columns)


def _paired_only(inputs: FigureInputs) -> Arguments:
    return (inputs.paired,), {}


def _estimation(inputs: FigureInputs) -> Arguments:
    return (inputs.paired,), inputs.resampling


def _severity(inputs: FigureInputs) -> Arguments:
    return (inputs.severity,), inputs.resampling


def _dose(inputs: FigureInputs) -> Arguments:
    spec = inputs.cohort.column("dose")
    label = spec.display if spec is not None else None
    return (inputs.dose,), {"seed": inputs.seed, "dose_label": label}


def _followup(inputs: FigureInputs) -> Arguments:
    return (inputs.followup,), {}


def _forest(inputs: FigureInputs) -> Arguments:
    sections: dict[str, Any] = {"Baseline severity": inputs.severity}
    if inputs.cohort.column("dose") is not None:
        sections["Dose group"] = inputs.dose
    if inputs.cohort.column("followup") is not None:
        sections["Follow-up"] = inputs.followup
    sex = inputs.by_category("sex")
    if sex is not None:
        sections["Sex"] = sex
    group = inputs.by_category("group")  # the table's declared group column (arm, pot, ...)
    if group is not None:
        spec = inputs.cohort.column("group")
        sections[spec.display if spec is not None else "Group"] = group
    return (sections,), {"overall": inputs.paired}


def _regression_to_mean(inputs: FigureInputs) -> Arguments:
    return (regression_to_mean(inputs.cohort, reliability=inputs.reliability),), {}


def _audit(inputs: FigureInputs) -> Arguments:
    assert inputs.audit is not None  # FigureSpec.available checked it
    return (AuditSummary.of(inputs.audit),), {}


#: Every figure, in the order they are drawn and listed.
FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec(
        "before_after",
        plot_before_after,
        _paired_only,
        description="Each patient's value before and after, joined by a line coloured by the "
        "direction of the change, with the means.",
    ),
    FigureSpec(
        "estimation",
        plot_estimation,
        _estimation,
        description="The mean change (after - before) with its bootstrap distribution and "
        "interval, beside the paired values (a Gardner-Altman estimation plot).",
    ),
    FigureSpec(
        "severity_subgroups",
        plot_subgroup_estimates,
        _severity,
        description="Each stratum of baseline severity: its patients before and after, and "
        "its mean change with the bootstrap distribution and interval (a Cumming estimation "
        "plot). The strata are the analysis' default (severity_cutoffs_for): HbA1c 8 % "
        "(SEVERITY_CUTOFFS), for any other measure the median baseline.",
    ),
    FigureSpec(
        "dose_response",
        plot_dose_response,
        _dose,
        columns=("dose",),
        description="Each patient's change against the dose, with each dose group's mean "
        "change and t interval, and the least-squares line with its confidence band. The dose "
        "groups are the analysis' default (dose_thresholds_for): 1000 (DOSE_THRESHOLDS) when "
        "doses lie on both sides of it, else the median dose.",
    ),
    FigureSpec(
        "followup",
        plot_followup,
        _followup,
        columns=("followup",),
        description="Each patient's change against the follow-up time, with the "
        "least-squares line, its confidence band and the follow-up bands' means. The bands "
        "are the analysis' default (followup_bands_for): 12 and 36 months (FOLLOWUP_BANDS).",
    ),
    FigureSpec(
        "forest",
        plot_forest,
        _forest,
        description="The mean change with its t interval in every subgroup (severity, dose, "
        "follow-up, sex, the declared group column), beside the overall mean change; the "
        "strata are the analyses' defaults, as in the figures of each.",
    ),
    FigureSpec(
        "regression_to_mean",
        plot_regression_to_mean,
        _regression_to_mean,
        description="Each patient's change against the baseline, with the observed "
        "least-squares line and the change that regression to the mean alone (no treatment "
        "effect) would produce at the assumed reliability.",
    ),
    FigureSpec(
        "audit",
        plot_audit,
        _audit,
        needs_audit=True,
        description="Each claim's printed value (grey: the values that print so) against the "
        "value recomputed under the stated method and under the reproducing alternative or "
        "the nearest specification, by verdict.",
    ),
)

#: What each figure shows, by name: the captions of the HTML report.
FIGURE_DESCRIPTIONS: Mapping[str, str] = {spec.name: spec.description for spec in FIGURES}

#: The figures :func:`~._all.all_figures` can draw, in order (absent columns skip theirs).
FIGURE_NAMES: tuple[str, ...] = tuple(spec.name for spec in FIGURES)


@dataclass(frozen=True)
class Drawing:
    """One figure, computed and ready to draw: its plot function and what it shows.

    It holds analysis results and plain values, never the table or the audit, so it
    pickles small for a worker process.
    """

    name: str
    plot: Callable[..., Any]
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    def draw(self) -> Figure:
        from matplotlib.figure import Figure

        drawn = self.plot(*self.args, **self.kwargs)  # an Axes, or a multi-panel Figure
        return drawn if isinstance(drawn, Figure) else drawn.get_figure()


def figure_names(cohort: Cohort, audit: Audit | None = None) -> list[str]:
    """The figures :func:`~._all.render_figures` draws for ``cohort`` (and ``audit``), in
    the order of ``FIGURE_NAMES``: absent columns skip theirs, and ``audit`` needs an audit.

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset
    >>> figure_names(load_dataset("matsuoka2025"))[-1]
    'regression_to_mean'
    """
    return [spec.name for spec in FIGURES if spec.available(cohort, audit)]


def checked_names(names: Iterable[str] | None, available: list[str]) -> list[str]:
    """``names`` (all of ``available`` if None) in the order of ``FIGURE_NAMES``, each one
    checked, none twice."""
    if names is None:
        return list(available)
    asked = [names] if isinstance(names, str) else list(names)
    unknown = [name for name in asked if name not in available]
    if unknown:
        raise ValueError(
            f"no figure called {', '.join(map(repr, unknown))} for this dataset; "
            f"it has {', '.join(available)}"
        )
    return [name for name in available if name in asked]


def drawings(inputs: FigureInputs, names: Iterable[str] | None = None) -> tuple[Drawing, ...]:
    """The figures called ``names`` (default: every figure the dataset has), computed."""
    wanted = checked_names(names, figure_names(inputs.cohort, inputs.audit))
    out = []
    for spec in FIGURES:
        if spec.name in wanted:
            args, kwargs = spec.arguments(inputs)
            out.append(Drawing(spec.name, spec.plot, args, dict(kwargs)))
    return tuple(out)
