"""The paired slopegraph: one line per patient from before to after, coloured and dashed by the
direction of the change, with the mean of each visit and its t interval at the sides."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ...analyses._paired import PairedChangeResult, paired_change
from ...cohort import Cohort, PairedData
from ._style import (
    DIRECTIONS,
    as_result,
    despine,
    direction_of,
    figure_width,
    fmt,
    fmt_p,
    level_text,
    measure_label,
    new_axes,
    set_title,
    styled,
    t_interval,
    unit_suffix,
    wrap,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.collections import LineCollection

__all__ = [
    "as_paired_result",
    "direction_handles",
    "draw_slopes",
    "legend_below",
    "paired_summary",
    "plot_before_after",
]

_ORDER = ("fall", "none", "rise")  # rises drawn last: the exceptions stay visible


def as_paired_result(data: PairedChangeResult | Cohort | PairedData) -> PairedChangeResult:
    """A :class:`PairedChangeResult`, computing it from a cohort or pairs when needed."""
    return as_result(data, PairedChangeResult, paired_change)


def draw_slopes(
    ax: Axes,
    before: npt.ArrayLike,
    after: npt.ArrayLike,
    *,
    x: tuple[float, float] = (0.0, 1.0),
    offset: npt.ArrayLike = 0.0,
    alpha: float = 0.75,
    linewidth: float = 1.0,
) -> tuple[LineCollection, dict[str, int]]:
    """Draw every patient's before-to-after line as ONE ``LineCollection``.

    ``offset`` shifts each patient's line along x (one value, or one per patient: the
    Cumming plot places strata side by side). Returns the collection and the number of
    falls, rises and unchanged patients.
    """
    from matplotlib.collections import LineCollection

    b = np.asarray(before, dtype=np.float64)
    a = np.asarray(after, dtype=np.float64)
    direction = direction_of(a - b)
    order = np.argsort([_ORDER.index(d) for d in direction], kind="stable")
    shift = np.broadcast_to(np.asarray(offset, dtype=np.float64), b.shape)[order]
    segments = np.empty((b.size, 2, 2))
    segments[:, 0, 0], segments[:, 1, 0] = x[0] + shift, x[1] + shift
    segments[:, 0, 1], segments[:, 1, 1] = b[order], a[order]
    styles = [DIRECTIONS[str(d)] for d in direction[order]]
    lines = LineCollection(
        list(segments),
        colors=[s.colour for s in styles],
        linestyles=[s.linestyle for s in styles],
        linewidths=linewidth,
        alpha=alpha,
        capstyle="round",
        label="_patients",
    )
    ax.add_collection(lines)
    counts = {key: int(np.count_nonzero(direction == key)) for key in DIRECTIONS}
    return lines, counts


def direction_handles(counts: dict[str, int]) -> list[Any]:
    """Legend entries for the directions present, with their counts."""
    from matplotlib.lines import Line2D

    return [
        Line2D(
            [],
            [],
            color=style.colour,
            linestyle=style.linestyle,
            linewidth=1.2,
            label=f"{style.label} (n = {counts[key]})",
        )
        for key, style in DIRECTIONS.items()
        if counts[key]
    ]


def paired_summary(result: PairedChangeResult) -> str:
    """One or two lines of text: n, mean change, its CI and the paired t test."""
    u = unit_suffix(result.unit)
    text = f"n = {result.n} pairs; mean change {fmt(result.estimate)}{u}"
    if result.ci_low is not None and result.ci_high is not None and result.statistic is not None:
        text += (
            f" ({level_text(result.confidence_level)} CI {fmt(result.ci_low)} to "
            f"{fmt(result.ci_high)})\npaired t({fmt(result.df)}) = {fmt(result.statistic)}, "
            f"p = {fmt_p(result.pvalue)}"
        )
    else:
        why = result.reasons.get("statistic", "no spread")
        text += f"\nno test or CI: {why}"
    if result.excluded:
        text += f"; {len(result.excluded)} row(s) left out"
    return text


@styled
def plot_before_after(
    result_or_cohort: PairedChangeResult | Cohort | PairedData,
    *,
    ax: Axes | None = None,
    show_means: bool = True,
) -> Axes:
    """Paired slopegraph: each patient's line from before to after.

    Lines are coloured *and* dashed by the direction of the change (fall: solid blue; rise:
    dashed vermillion; no change: dotted black), drawn as one ``LineCollection``. At each
    side, the mean of the visit with its two-sided t confidence interval (at the result's
    confidence level). The title gives n, the mean change ``after - before`` with its CI and
    the paired t test.

    Parameters
    ----------
    result_or_cohort : PairedChangeResult, Cohort or PairedData
        A result of :func:`~cohort_reanalysis.analyses._paired.paired_change`, or data to
        compute it from (the cohort's default before/after pair).
    ax : matplotlib Axes, optional
        Where to draw; by default a new figure (``matplotlib.figure.Figure``, not pyplot).
    show_means : bool, default True
        Draw the visit means with their t intervals.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset
    >>> ax = plot_before_after(load_dataset("matsuoka2025"))
    >>> len(ax.collections[0].get_segments())  # every patient in one LineCollection
    58
    """
    result = as_paired_result(result_or_cohort)
    ax = new_axes(ax, 4.2, 4.0)
    before = np.asarray(result.pairs.before, dtype=np.float64)
    after = np.asarray(result.pairs.after, dtype=np.float64)
    _, counts = draw_slopes(ax, before, after)
    handles = direction_handles(counts)
    if show_means:
        handles += _draw_means(ax, before, after, result.confidence_level)
    ax.set_xticks([0.0, 1.0], [result.before_label, result.after_label])
    ax.set_xlim(-0.4, 1.4)
    values = np.concatenate([before, after])
    span = float(np.ptp(values)) or max(1.0, abs(float(values[0])) * 0.1)
    ax.set_ylim(float(values.min()) - 0.05 * span, float(values.max()) + 0.05 * span)
    ax.set_ylabel(measure_label(result.measure, result.unit))
    set_title(ax, paired_summary(result))
    legend_below(ax, handles)
    despine(ax)
    return ax


def legend_below(ax: Axes, handles: list[Any], *, ncol: int = 2) -> None:
    """A legend under the axes, below its tick labels and x label, out of the data's way.

    It hangs a fixed distance (worked out from the font sizes) under the axes, and
    constrained layout makes room for it. Labels are wrapped to the figure's width, so long
    statistics never push the axes away.
    """
    import matplotlib
    from matplotlib.transforms import ScaledTranslation

    width = figure_width(ax)
    cols = min(ncol, max(1, len(handles)))
    for handle in handles:
        handle.set_label(wrap(handle.get_label(), width / cols - 0.5, 7.5))
    rc = matplotlib.rcParams
    tick_lines = 1 + max((t.get_text().count("\n") for t in ax.get_xticklabels()), default=0)
    points = float(rc["xtick.major.size"]) + float(rc["xtick.major.pad"]) + 2.0
    labels = ax.xaxis.get_ticklabels()
    if labels:
        points += tick_lines * 1.2 * float(labels[0].get_fontsize())
    label = ax.get_xlabel()
    if label:
        points += (label.count("\n") + 1) * 1.2 * float(ax.xaxis.label.get_fontsize()) + 4.0
    fig: Any = ax.get_figure(root=True)
    offset = ScaledTranslation(0.0, -points / 72.0, fig.dpi_scale_trans)
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        bbox_transform=ax.transAxes + offset,
        ncol=cols,
        borderaxespad=0.0,
    )


def _draw_means(ax: Axes, before: np.ndarray, after: np.ndarray, level: float) -> list[Any]:
    """Mean ± t CI of each visit, just outside the patient lines."""
    from matplotlib.lines import Line2D

    colour = DIRECTIONS["none"].colour
    xs, ys, lows, highs = [], [], [], []
    for x, values in ((-0.14, before), (1.14, after)):
        ci = t_interval(values, level)
        mean = float(np.mean(values))
        xs.append(x)
        ys.append(mean)
        lows.append(mean - (ci[1] if ci else mean))
        highs.append((ci[2] if ci else mean) - mean)
    ax.errorbar(
        xs,
        ys,
        yerr=[lows, highs],
        fmt="o",
        color=colour,
        markersize=5,
        capsize=3,
        elinewidth=1.4,
        zorder=4,
        label="_means",
    )
    return [
        Line2D(
            [],
            [],
            color=colour,
            marker="o",
            markersize=5,
            linestyle="none",
            label=f"visit mean, {level_text(level)} CI (t)",
        )
    ]
