"""Change against follow-up time: each patient, the regression slope with its confidence band,
and the mean change of each follow-up band with its CI."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ...analyses._followup import FOLLOWUP, FollowupResult, followup_effect
from ...cohort import Cohort, PairedData
from ._paired import legend_below
from ._style import (
    GREY,
    LIGHT,
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

__all__ = ["plot_followup"]

_POINTS = OKABE_ITO["blue"]
_BANDS = OKABE_ITO["vermillion"]


@styled
def plot_followup(
    followup_result: FollowupResult | Cohort | PairedData,
    *,
    ax: Axes | None = None,
) -> Axes:
    """Change ``after - before`` against follow-up time.

    Points: each patient. Line and band: the least-squares slope of the change on follow-up
    (the result's model) with its confidence band for the mean. Diamonds with bars: the mean
    change in each follow-up band with its t CI, at the band's median follow-up, and a thin
    line over the band's range of follow-up; dotted verticals mark the band cutoffs. The
    title gives the median and IQR of follow-up (with the quantile definition).

    Parameters
    ----------
    followup_result : FollowupResult, Cohort or PairedData
        From :func:`~cohort_reanalysis.analyses._followup.followup_effect`, or data to
        compute it from.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset
    >>> ax = plot_followup(load_dataset("matsuoka2025"))
    >>> ax.get_xlabel()
    'Follow-up (months)'
    """
    result = as_result(followup_result, FollowupResult, followup_effect)
    ax = new_axes(ax, 5.0, 4.0)
    f = np.asarray(result.followup, dtype=np.float64)
    y = np.asarray(result.pairs.change, dtype=np.float64)
    level = result.confidence_level
    ax.axhline(0.0, color=GREY, linewidth=0.8, linestyle=(0, (4, 2)), zorder=1)
    for cutoff in result.strata.cutoffs:
        if f.min() < cutoff < f.max():
            ax.axvline(cutoff, color=LIGHT, linewidth=0.8, linestyle=(0, (1, 2)), zorder=1)
    ax.scatter(f, y, s=16, color=_POINTS, alpha=0.75, linewidths=0, zorder=3)
    handles = [_point_handle()]
    handles.append(_draw_slope(ax, result, f, y))
    handles += _draw_bands(ax, result, f)
    fu = result.followup_unit
    ax.set_xlabel(f"Follow-up ({fu})" if fu else "Follow-up")
    what = result.measure or "value"
    unit = f" ({result.unit})" if result.unit else ""
    ax.set_ylabel(f"Change in {what}, after − before{unit}")
    fu_text = f" {fu}" if fu else ""
    set_title(
        ax,
        f"n = {result.n}; follow-up median {result.median:g}{fu_text}, IQR "
        f"{result.q1:g} to {result.q3:g} (quantile type {result.quantile_type.r_type}); "
        f"{level_text(level)} CIs",
        fontsize=7.5,
    )
    legend_below(ax, handles, ncol=1)
    despine(ax)
    return ax


def _point_handle() -> object:
    from matplotlib.lines import Line2D

    return Line2D(
        [], [], marker="o", linestyle="none", color=_POINTS, markersize=4, label="patient"
    )


def _draw_slope(ax: Axes, result: FollowupResult, f: np.ndarray, y: np.ndarray) -> object:
    from matplotlib.lines import Line2D

    colour = OKABE_ITO["black"]
    model = result.model
    if model is None:
        return Line2D(
            [], [], linestyle="none", label=f"no slope: {result.reasons.get('model', 'undefined')}"
        )
    grid = np.linspace(float(f.min()), float(f.max()), 100)
    band = line_band(f, y, grid, confidence_level=result.confidence_level)
    i = model.index(FOLLOWUP)
    slope, intercept = model.coef[i], model.coef[model.index("(Intercept)")]
    if band is not None:
        ax.fill_between(grid, band.low, band.high, color=GREY, alpha=0.18, linewidth=0, zorder=1)
    ax.plot(grid, intercept + slope * grid, color=colour, linewidth=1.3, zorder=4)
    per = (result.followup_unit or "unit").rstrip("s")
    unit = result.unit or ""
    pearson = result.correlations.get("pearson")
    r_text = "" if pearson is None else f"; r = {fmt(pearson.estimate)}"
    return Line2D(
        [],
        [],
        color=colour,
        linewidth=1.3,
        label=(
            f"slope {fmt(slope)}{unit} per {per} ({level_text(model.confidence_level)} CI "
            f"{fmt(model.ci_low[i])} to {fmt(model.ci_high[i])}), p = {fmt_p(model.pvalue[i])}"
            f"{r_text}"
        ),
    )


def _draw_bands(ax: Axes, result: FollowupResult, f: np.ndarray) -> list[object]:
    from matplotlib.lines import Line2D

    xs, ys, lows, highs = [], [], [], []
    for i, band in enumerate(result.bands):
        p = band.paired
        if p is None:
            continue
        fb = f[result.strata.mask(i)]
        x = float(np.median(fb))
        xs.append(x)
        ys.append(p.estimate)
        lo = p.ci_low if p.ci_low is not None else p.estimate
        hi = p.ci_high if p.ci_high is not None else p.estimate
        lows.append(p.estimate - lo)
        highs.append(hi - p.estimate)
        ax.hlines(
            p.estimate,
            float(fb.min()),
            float(fb.max()),
            colors=_BANDS,
            linewidth=0.9,
            alpha=0.8,
            zorder=4,
        )
    if not xs:
        return []
    ax.errorbar(
        xs,
        ys,
        yerr=[lows, highs],
        fmt="D",
        color=_BANDS,
        markersize=5,
        capsize=3,
        elinewidth=1.4,
        zorder=5,
    )
    sizes = "; ".join(f"{b.label} (n = {b.n})" for b in result.bands)
    return [
        Line2D(
            [],
            [],
            marker="D",
            color=_BANDS,
            markersize=5,
            linestyle="none",
            label=f"band mean, {level_text(result.confidence_level)} CI (t):\n{sizes}",
        )
    ]
