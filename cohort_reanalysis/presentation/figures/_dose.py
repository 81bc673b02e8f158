"""Dose and response: each patient's change against the dose (jittered strips for the few
distinct doses), the dose groups' means with CIs, and the least-squares line of the change on
the dose with its confidence band, labelled with Pearson's r and its p."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ...analyses._dose import DoseResponseResult, dose_response
from ...analyses._paired import PairedChangeResult
from ...cohort import Cohort, PairedData
from ._paired import legend_below
from ._style import (
    GREY,
    OKABE_ITO,
    as_result,
    despine,
    fmt,
    fmt_p,
    level_text,
    line_band,
    new_axes,
    set_title,
    styled,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["jitter_positions", "plot_dose_response"]

_POINTS = OKABE_ITO["blue"]
_GROUP_COLOURS = (
    OKABE_ITO["orange"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["vermillion"],
)
_GROUP_HATCH = ("", "////", "\\\\\\\\", "....", "xxxx")


def jitter_positions(
    dose: np.ndarray, *, log: bool, jitter: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Jittered x positions, and each point's jitter half-width in axis units (log10 or
    linear).

    The half-width is ``jitter`` times the span of the (transformed) doses, capped for each
    distinct dose at 0.4 of the gap to its nearest neighbouring dose, so strips never overlap
    and a dose far from the others keeps a wide strip.
    """
    t = np.log10(dose) if log else dose.astype(np.float64)
    levels, which = np.unique(t, return_inverse=True)
    span = float(levels[-1] - levels[0]) if levels.size > 1 else 1.0
    half = np.full(levels.size, jitter * span)
    if levels.size > 1:
        gaps = np.diff(levels)
        nearest = np.minimum(np.r_[np.inf, gaps], np.r_[gaps, np.inf])
        half = np.minimum(half, 0.4 * nearest)
    per_point = half[which]
    moved = t + rng.uniform(-1.0, 1.0, size=t.size) * per_point
    return (10.0**moved if log else moved), per_point


@styled
def plot_dose_response(
    dose_result: DoseResponseResult | Cohort | PairedData,
    *,
    ax: Axes | None = None,
    log_dose: bool = True,
    jitter: float = 0.08,
    seed: int | np.random.Generator | None = 0,
    dose_label: str | None = None,
) -> Axes:
    """Change (or reduction) against dose.

    Points: each patient, jittered horizontally (seeded) since doses take few values. Boxes:
    each dose group's mean (line) and t CI (box height) across the doses it holds. Line and
    band: least-squares line of the outcome on the dose and its confidence band for the mean;
    its slope test is Pearson's correlation test, so the legend's r and p belong to it. On a
    log dose axis that line is curved (it is straight in the dose itself).

    Parameters
    ----------
    dose_result : DoseResponseResult, Cohort or PairedData
        From :func:`~cohort_reanalysis.analyses._dose.dose_response` (its ``direction`` sets
        the outcome), or data to compute it from.
    ax : matplotlib Axes, optional
    log_dose : bool, default True
        Logarithmic dose axis; ignored (and said so) when a dose is not positive.
    jitter : float, default 0.08
        Horizontal jitter half-width as a fraction of the dose span on the axis, capped so
        that strips of adjacent doses never overlap; 0 for none.
    seed : int, Generator or None, default 0
        Seed of the jitter.
    dose_label : str, optional
        Label of the dose axis; default the cohort column's label with its unit, or
        ``"Dose (unit)"``.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset
    >>> ax = plot_dose_response(load_dataset("matsuoka2025"))
    >>> ax.get_xscale()
    'log'
    """
    result = as_result(dose_result, DoseResponseResult, dose_response)
    spec = dose_result.column("dose") if isinstance(dose_result, Cohort) else None
    if dose_label is None and spec is not None:
        dose_label = spec.display
    if result.pairs is None:
        raise ValueError("this DoseResponseResult carries no pairs to plot")
    if not jitter >= 0.0:
        raise ValueError(f"jitter must be >= 0, got {jitter!r}")
    ax = new_axes(ax, 5.0, 4.0)
    pairs = result.pairs
    dose = np.asarray(pairs.extra["dose"], dtype=np.float64)
    sign = 1.0 if result.direction == "change" else -1.0
    y = sign * np.asarray(pairs.change, dtype=np.float64)
    notes: list[str] = []
    log = log_dose and bool(np.all(dose > 0))
    if log_dose and not log:
        notes.append("linear dose axis: a dose ≤ 0 cannot be shown on a log axis")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    xs, half = jitter_positions(dose, log=log, jitter=jitter, rng=rng)
    if log:
        ax.set_xscale("log")
    ax.axhline(0.0, color=GREY, linewidth=0.8, linestyle=(0, (4, 2)), zorder=1)
    handles = _draw_groups(ax, result, dose, y, log=log, half=half)
    ax.scatter(xs, y, s=16, color=_POINTS, alpha=0.75, linewidths=0, zorder=3, label="patient")
    handles.insert(0, _point_handle())
    handles.append(_draw_line(ax, result, dose, y, log=log))
    levels = np.unique(dose)
    if log:
        from matplotlib.ticker import NullFormatter

        ax.set_xticks(levels, [fmt(v) for v in levels])
        ax.xaxis.set_minor_formatter(NullFormatter())
        pad = 10.0 ** (max(float(half.max(initial=0.0)), 0.05) * 1.5)
        ax.set_xlim(levels[0] / pad, levels[-1] * pad)
    unit = f" ({result.dose_unit})" if result.dose_unit else ""
    ax.set_xlabel(dose_label or f"Dose{unit}")
    what = result.measure or "value"
    yunit = f" ({result.unit})" if result.unit else ""
    ax.set_ylabel(
        f"Change in {what}, after − before{yunit}"
        if sign > 0
        else f"Reduction in {what}, before − after{yunit}"
    )
    title = f"n = {result.n} patients at {result.n_distinct_doses} distinct doses"
    if notes:
        title += "\n" + "; ".join(notes)
    set_title(ax, title, fontsize=7.5)
    legend_below(ax, handles, ncol=1)
    despine(ax)
    return ax


def _point_handle() -> object:
    from matplotlib.lines import Line2D

    return Line2D(
        [],
        [],
        marker="o",
        linestyle="none",
        color=_POINTS,
        markersize=4,
        label="patient (jittered)",
    )


def _draw_groups(
    ax: Axes,
    result: DoseResponseResult,
    dose: np.ndarray,
    y: np.ndarray,
    *,
    log: bool,
    half: np.ndarray,
) -> list[object]:
    """Each dose group's mean and t CI as a box spanning the group's doses."""
    from matplotlib.patches import Patch, Rectangle

    handles: list[object] = []
    level = result.confidence_level
    for i, group in enumerate(result.groups):
        if group.n == 0:
            continue
        mask = result.strata.mask(i)
        d, v = dose[mask], y[mask]
        lo_d, hi_d = float(d.min()), float(d.max())
        # Pad the box just past the jitter strips of its outermost doses.
        h_lo = 1.25 * float(half[mask][np.argmin(d)]) or 0.02
        h_hi = 1.25 * float(half[mask][np.argmax(d)]) or 0.02
        if log:
            left, right = lo_d / 10.0**h_lo, hi_d * 10.0**h_hi
        else:
            scale = 1.0 if np.any(half > 0) else (float(np.ptp(dose)) or 1.0)
            left, right = lo_d - h_lo * scale, hi_d + h_hi * scale
        colour = _GROUP_COLOURS[i % len(_GROUP_COLOURS)]
        hatch = _GROUP_HATCH[i % len(_GROUP_HATCH)]
        ci = _group_ci(group.paired, 1.0 if result.direction == "change" else -1.0)
        mean = float(np.mean(v))
        label = f"{group.label}: mean"
        if ci is not None:
            ax.add_patch(
                Rectangle(
                    (left, ci[1]),
                    right - left,
                    ci[2] - ci[1],
                    facecolor=colour,
                    alpha=0.25,
                    edgecolor=colour,
                    hatch=hatch,
                    linewidth=0.8,
                    zorder=2,
                )
            )
            label += f" {fmt(mean)}, {level_text(level)} CI {fmt(ci[1])} to {fmt(ci[2])}"
        else:
            label += f" {fmt(mean)} (n = {group.n}: no CI)"
        ax.hlines(mean, left, right, colors=colour, linewidth=2.0, zorder=4)
        handles.append(
            Patch(
                facecolor=colour,
                alpha=0.5,
                edgecolor=colour,
                hatch=hatch,
                label=f"{label} (n = {group.n})",
            )
        )
    return handles


def _group_ci(paired: PairedChangeResult | None, sign: float) -> tuple[float, float, float] | None:
    """The group's mean outcome and t CI from its paired analysis, in the outcome's sign."""
    if paired is None or paired.ci_low is None or paired.ci_high is None:
        return None
    if sign > 0:
        return paired.estimate, paired.ci_low, paired.ci_high
    return -paired.estimate, -paired.ci_high, -paired.ci_low


def _draw_line(
    ax: Axes, result: DoseResponseResult, dose: np.ndarray, y: np.ndarray, *, log: bool
) -> object:
    """Least-squares line of the outcome on dose, with its band; the legend entry."""
    from matplotlib.lines import Line2D

    level = result.confidence_level
    lo, hi = float(dose.min()), float(dose.max())
    grid = np.geomspace(lo, hi, 120) if log and lo > 0 else np.linspace(lo, hi, 120)
    band = line_band(dose, y, grid, confidence_level=level)
    colour = OKABE_ITO["black"]
    pearson = result.correlations.get("pearson")
    stat = (
        f"Pearson r = {fmt(pearson.estimate)}, p = {fmt_p(pearson.pvalue)}"
        if pearson is not None
        else f"no correlation: {result.reasons.get('pearson', 'undefined')}"
    )
    if band is None:
        return Line2D([], [], color=colour, linestyle="none", label=f"no line; {stat}")
    ax.fill_between(grid, band.low, band.high, color=GREY, alpha=0.18, linewidth=0, zorder=1)
    ax.plot(grid, band.fit, color=colour, linewidth=1.3, zorder=4)
    return Line2D(
        [],
        [],
        color=colour,
        linewidth=1.3,
        label=f"least-squares line, {level_text(level)} band; {stat}",
    )
