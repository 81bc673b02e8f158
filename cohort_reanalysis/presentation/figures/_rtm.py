"""Regression to the mean: change against baseline, the observed least-squares line, and the
line expected with no treatment effect at all for a chosen test–retest reliability."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ...analyses._rtm import RegressionToMeanResult, regression_to_mean
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
    measure_label,
    new_axes,
    set_title,
    styled,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["expected_change_line", "plot_regression_to_mean"]

_POINTS = OKABE_ITO["blue"]
_EXPECTED = OKABE_ITO["vermillion"]
_DEFAULT_RELIABILITY = 0.8


def expected_change_line(
    baseline: np.ndarray, *, reliability: float, population_mean: float
) -> np.ndarray:
    """Expected change ``after - before`` given the baseline, with no treatment effect.

    With ``before = T + e1`` and ``after = T + e2`` (true level ``T``, independent errors,
    reliability ``rho = var T / var before``), ``E[after - before | before = x] =
    -(1 - rho) (x - mu)``: a line through ``(mu, 0)`` with slope ``-(1 - rho)``.

    Examples
    --------
    >>> expected_change_line(np.array([7.0, 10.0]), reliability=0.8, population_mean=8.0)
    array([ 0.2, -0.4])
    """
    rho = float(reliability)
    if not 0.0 < rho <= 1.0:
        raise ValueError(f"reliability must lie in (0, 1], got {reliability!r}")
    return -(1.0 - rho) * (np.asarray(baseline, dtype=np.float64) - float(population_mean))


@styled
def plot_regression_to_mean(
    rtm_result_or_cohort: RegressionToMeanResult | Cohort | PairedData,
    *,
    reliability: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Change against baseline, with the line expected under no effect (regression to the mean).

    Points: each patient's change ``after - before`` against the baseline. Black line and
    band: the observed least-squares line (its slope is negative from regression to the
    mean and mathematical coupling alone). Dashed vermillion line: the change expected with
    no treatment effect, ``-(1 - reliability) (baseline - mu)``, where ``mu`` is the result's
    population mean (by default the mean baseline). The title gives Oldham's correlation,
    which is free of that artefact.

    Parameters
    ----------
    rtm_result_or_cohort : RegressionToMeanResult, Cohort or PairedData
        From :func:`~cohort_reanalysis.analyses._rtm.regression_to_mean`, or data to compute
        it from (with ``reliability``).
    reliability : float, optional
        Test–retest reliability for the expected line, in (0, 1]. Default: the result's own
        reliability, else 0.8 (an assumption, printed in the legend).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset
    >>> ax = plot_regression_to_mean(load_dataset("matsuoka2025"), reliability=0.8)
    >>> len(ax.lines)  # zero line, observed line, line expected under no effect
    3
    """
    rho_given = _DEFAULT_RELIABILITY if reliability is None else reliability
    result = as_result(
        rtm_result_or_cohort,
        RegressionToMeanResult,
        lambda data: regression_to_mean(data, reliability=rho_given),
    )
    rho = reliability if reliability is not None else result.reliability
    rho = _DEFAULT_RELIABILITY if rho is None else float(rho)
    ax = new_axes(ax, 5.0, 4.2)
    x = np.asarray(result.pairs.before, dtype=np.float64)
    d = np.asarray(result.pairs.change, dtype=np.float64)
    level = result.confidence_level
    ax.axhline(0.0, color=GREY, linewidth=0.8, linestyle=(0, (4, 2)), zorder=1)
    ax.scatter(x, d, s=16, color=_POINTS, alpha=0.75, linewidths=0, zorder=3)
    handles = [_handle("patient", marker="o", colour=_POINTS)]
    lo, hi = float(x.min()), float(x.max())
    pad = 0.03 * ((hi - lo) or 1.0)
    grid = np.linspace(lo - pad, hi + pad, 100)
    band = line_band(x, d, grid, confidence_level=level)
    if band is not None and result.slope is not None:
        ax.fill_between(grid, band.low, band.high, color=GREY, alpha=0.18, linewidth=0, zorder=1)
        ax.plot(grid, band.fit, color=OKABE_ITO["black"], linewidth=1.3, zorder=4)
        handles.append(
            _handle(
                f"observed slope {fmt(result.slope)} ({level_text(level)} CI "
                f"{fmt(result.slope_ci_low)} to {fmt(result.slope_ci_high)})",
                colour=OKABE_ITO["black"],
            )
        )
    mu = result.population_mean if result.population_mean is not None else float(x.mean())
    where = "population mean" if result.population_mean is not None else "mean baseline"
    ax.plot(
        grid,
        expected_change_line(grid, reliability=rho, population_mean=mu),
        color=_EXPECTED,
        linewidth=1.5,
        linestyle=(0, (5, 2)),
        zorder=4,
    )
    unit = f" {result.unit}" if result.unit and result.unit != "%" else (result.unit or "")
    handles.append(
        _handle(
            f"expected with no treatment effect, reliability {rho:g}: slope "
            f"{fmt(-(1.0 - rho))} through the {where} {fmt(mu)}{unit}",
            colour=_EXPECTED,
            linestyle=(0, (5, 2)),
        )
    )
    ax.set_xlabel(f"Baseline {measure_label(result.measure, result.unit)}")
    what = result.measure or "value"
    yunit = f" ({result.unit})" if result.unit else ""
    ax.set_ylabel(f"Change in {what}, after − before{yunit}")
    set_title(ax, _title(result), fontsize=7.5)
    legend_below(ax, handles, ncol=1)
    despine(ax)
    return ax


def _title(result: RegressionToMeanResult) -> str:
    parts = [f"n = {result.n}"]
    o = result.oldham
    if o is not None:
        parts.append(
            f"Oldham r (change vs mean of visits) = {fmt(o.estimate)}, p = {fmt_p(o.pvalue)}"
        )
    else:
        parts.append(f"Oldham r not computed: {result.reasons.get('oldham', 'undefined')}")
    if result.corrected_slope is not None:
        parts.append(
            f"Blomqvist slope on true baseline {fmt(result.corrected_slope)} "
            f"(reliability {result.reliability:g})"
        )
    if result.expected_change is not None and result.net_change is not None:
        parts.append(
            f"expected RTM change {fmt(result.expected_change)}, net {fmt(result.net_change)}"
        )
    return "; ".join(parts)


def _handle(
    label: str,
    *,
    colour: str,
    marker: str | None = None,
    linestyle: Any = "-",
) -> object:
    from matplotlib.lines import Line2D

    if marker is not None:
        return Line2D(
            [], [], marker=marker, linestyle="none", color=colour, markersize=4, label=label
        )
    return Line2D([], [], color=colour, linestyle=linestyle, linewidth=1.4, label=label)
