"""Dose and response: each patient's change against the dose (jittered strips for the few
distinct doses), the dose groups' means with CIs, and the least-squares line of the change on
the dose with its confidence band, labelled with Pearson's r and its p."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ...analyses._dose import DoseResponseResult, dose_response
from ...analyses._paired import PairedChangeResult
from ...analyses._strata import Boundary
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
    dose: np.ndarray,
    *,
    log: bool,
    jitter: float,
    rng: np.random.Generator,
    cutoffs: Sequence[float] = (),
    boundary: Boundary = "upper",
) -> tuple[np.ndarray, np.ndarray]:
    """Jittered x positions, and each point's strip ``(low, high)`` in dose units.

    A dose's strip is its own neighbourhood on the axis (in log space on a log axis): a
    half-width of ``jitter`` times the span of the (transformed) doses, capped at 0.4 of the
    gap to the nearest other dose, so strips of neighbouring doses never meet; it never
    reaches past the smallest or the largest dose (the extremes' strips are one-sided), nor
    past a group's cutoff, so that a point lies in its dose group's shading (a dose equal to
    a cutoff stays on the side ``boundary`` puts it). A single distinct dose has a symmetric
    strip. Positions are uniform within the strip (in log space on a log axis).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x, strips = jitter_positions(
    ...     np.array([100.0, 1000.0, 2000.0, 2000.0]), log=True, jitter=0.08, rng=rng,
    ...     cutoffs=[1000.0],
    ... )
    >>> bool(x.min() >= 100.0 and x.max() <= 2000.0), bool(x[1] >= 1000.0)
    (True, True)
    """
    d = np.asarray(dose, dtype=np.float64)
    t = np.log10(d) if log else d
    levels, which = np.unique(t, return_inverse=True)
    span = float(levels[-1] - levels[0]) if levels.size > 1 else 1.0
    half = np.full(levels.size, jitter * span)
    if levels.size > 1:
        gaps = np.diff(levels)
        nearest = np.minimum(np.r_[np.inf, gaps], np.r_[gaps, np.inf])
        half = np.minimum(half, 0.4 * nearest)
    # The strips in dose units, so that the data's range and the cutoffs bound them exactly.
    at = np.unique(d)
    if log:
        low, high = at / 10.0**half, at * 10.0**half
    else:
        low, high = at - half, at + half
    if at.size > 1:
        low, high = np.maximum(low, at[0]), np.minimum(high, at[-1])
    for cutoff in cutoffs:
        below = at < cutoff if boundary == "upper" else at <= cutoff
        high = np.where(below, np.minimum(high, cutoff), high)
        low = np.where(below, low, np.maximum(low, cutoff))
    lo, hi = low[which], high[which]
    u = rng.uniform(0.0, 1.0, size=d.size)
    if log:
        moved = 10.0 ** (np.log10(lo) + u * (np.log10(hi) - np.log10(lo)))
    else:
        moved = lo + u * (hi - lo)
    return np.clip(moved, lo, hi), np.column_stack([lo, hi])


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

    Points: each patient, jittered horizontally (seeded) since doses take few values, each
    within its dose's own neighbourhood (``jitter_positions``: never past a neighbouring
    dose, the data's range or a group's cutoff). Boxes: each dose group's mean (line) and t
    CI (box height) across the doses the group's rule gives it, from its cutoff (the shading
    of ``dose ≥ 1000`` starts at 1000) to the next cutoff or the data's last dose. Line and
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
        Logarithmic dose axis, said so in the axis label; ignored (and said so) when a dose
        is not positive.
    jitter : float, default 0.08
        Horizontal jitter half-width as a fraction of the dose span on the axis, capped so
        that strips of adjacent doses never overlap and never leave the data's range or the
        dose group; 0 for none.
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
    >>> ax.get_xscale(), ax.get_xlabel()
    ('log', 'Stem cell dose (million cells), log scale')
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
    strata = result.strata
    xs, strips = jitter_positions(
        dose, log=log, jitter=jitter, rng=rng, cutoffs=strata.cutoffs, boundary=strata.boundary
    )
    if log:
        ax.set_xscale("log")
    ax.axhline(0.0, color=GREY, linewidth=0.8, linestyle=(0, (4, 2)), zorder=1)
    handles = _draw_groups(ax, result, y, strips, log=log)
    ax.scatter(xs, y, s=16, color=_POINTS, alpha=0.75, linewidths=0, zorder=3, label="patient")
    handles.insert(0, _point_handle())
    handles.append(_draw_line(ax, result, dose, y, log=log))
    levels = np.unique(dose)
    if log:
        from matplotlib.ticker import NullFormatter

        ax.set_xticks(levels, [fmt(v) for v in levels])
        ax.xaxis.set_minor_formatter(NullFormatter())
        decades = math.log10(levels[-1] / levels[0])
        pad = 10.0 ** max(0.04 * decades, 0.05)
        ax.set_xlim(float(strips[:, 0].min()) / pad, float(strips[:, 1].max()) * pad)
    unit = f" ({result.dose_unit})" if result.dose_unit else ""
    ax.set_xlabel((dose_label or f"Dose{unit}") + (", log scale" if log else ""))
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
    ax: Axes, result: DoseResponseResult, y: np.ndarray, strips: np.ndarray, *, log: bool
) -> list[object]:
    """Each dose group's mean and t CI as a box over the doses its rule gives it.

    A box runs from the group's lower cutoff (the first group: the smallest dose) to its
    upper cutoff (the last group: the largest dose), so the shading of ``dose ≥ 1000``
    starts at 1000 and every jittered point lies in its group's box.
    """
    from matplotlib.patches import Patch, Rectangle

    handles: list[object] = []
    level = result.confidence_level
    # The points' strips already stop at the cutoffs and the data's range.
    first, last = float(strips[:, 0].min()), float(strips[:, 1].max())
    edges = [first, *result.strata.cutoffs, last]
    for i, group in enumerate(result.groups):
        if group.n == 0:
            continue
        mask = result.strata.mask(i)
        v = y[mask]
        left, right = max(edges[i], first), min(edges[i + 1], last)
        if not right > left:  # the group's doses have no width (one dose, no jitter)
            at = float(strips[mask, 0].min())
            left, right = (at / 1.05, at * 1.05) if log else (at - 0.5, at + 0.5)
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
