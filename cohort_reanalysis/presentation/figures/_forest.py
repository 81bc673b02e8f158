"""Forest plot: the mean change with its CI and n in each subgroup, and the overall estimate.

Also the one place that reads strata out of the analyses' results (severity subgroups, dose
groups, follow-up bands), for this plot and the Cumming plot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

import numpy as np

from ...analyses._dose import DoseResponseResult
from ...analyses._followup import FollowupResult
from ...analyses._paired import PairedChangeResult, paired_change
from ...analyses._strata import GroupTest
from ...analyses._subgroups import SubgroupsResult
from ...cohort import Cohort, PairedData
from ._paired import as_paired_result
from ._style import (
    GREY,
    OKABE_ITO,
    despine,
    fmt,
    fmt_p,
    level_text,
    new_axes,
    set_title,
    styled,
    unit_suffix,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["StrataView", "Stratum", "group_test_text", "plot_forest", "strata_of"]

StrataResult: TypeAlias = "SubgroupsResult | DoseResponseResult | FollowupResult"
ForestInput: TypeAlias = (
    "StrataResult | Mapping[str, PairedChangeResult | StrataResult "
    "| Mapping[str, PairedChangeResult | None] | None]"
)


@dataclass(frozen=True)
class Stratum:
    """One row of a forest or Cumming plot."""

    label: str
    n: int
    result: PairedChangeResult | None
    reason: str | None = None


@dataclass(frozen=True)
class StrataView:
    """The strata of a result, in order, with what is needed to title a figure."""

    title: str
    strata: tuple[Stratum, ...]
    test: GroupTest | None
    pairs: PairedData | None
    measure: str | None
    unit: str | None
    confidence_level: float


def strata_of(result: StrataResult) -> StrataView:
    """The strata of a subgroups, dose-response or follow-up result.

    Every stratum carries the paired change ``after - before`` (a dose result with
    ``direction="reduction"`` still gives the change here; its tests are sign-free).
    """
    if isinstance(result, SubgroupsResult):
        summaries, title = result.subgroups, f"by {result.variable_label}"
    elif isinstance(result, DoseResponseResult):
        summaries, title = result.groups, "by dose group"
    elif isinstance(result, FollowupResult):
        summaries, title = result.bands, "by follow-up"
    else:
        raise TypeError(
            "expected a SubgroupsResult, DoseResponseResult or FollowupResult, got "
            f"{type(result).__name__}"
        )
    strata = tuple(Stratum(s.label, s.n, s.paired, s.reason) for s in summaries)
    return StrataView(
        title=title,
        strata=strata,
        test=result.tests[0] if result.tests else None,
        pairs=result.pairs,
        measure=result.measure,
        unit=result.unit,
        confidence_level=result.confidence_level,
    )


def group_test_text(test: GroupTest | None, *, short: bool = False) -> str:
    """``"between strata: Welch t = 1.9, df = 14.2, p = 0.077"`` (or why there is none).

    ``short`` drops the ``"between strata: "`` prefix and the reason a test is missing.
    """
    if test is None:
        return ""
    head = "" if short else "between strata: "
    if test.reason is not None or test.pvalue is None:
        why = "" if short else f" ({test.reason or 'undefined'})"
        return f"{head}{test.method} not computed{why}"
    stat = "" if test.statistic is None else f" = {fmt(test.statistic)}"
    df = ""
    if test.df is not None:
        df = f", df = {fmt(test.df)}"
        if test.df_denominator is not None:
            df += f", {fmt(test.df_denominator)}"
    return f"{head}{test.method}{stat}{df}, p = {fmt_p(test.pvalue)}"


@dataclass(frozen=True)
class _Row:
    label: str
    n: int | None
    result: PairedChangeResult | None
    reason: str | None
    header: bool = False
    overall: bool = False


def _rows(results: ForestInput) -> tuple[list[_Row], PairedData | None, list[str]]:
    """Rows (section headers, then strata), the pairs behind them, and test lines."""
    if isinstance(results, (SubgroupsResult, DoseResponseResult, FollowupResult)):
        view = strata_of(results)
        rows = [_Row(s.label, s.n, s.result, s.reason) for s in view.strata]
        return rows, view.pairs, [group_test_text(view.test, short=True)] if view.test else []
    if not isinstance(results, Mapping):
        raise TypeError(
            "plot_forest needs a mapping of labels to results, or a SubgroupsResult, "
            f"DoseResponseResult or FollowupResult; got {type(results).__name__}"
        )
    rows = []
    tests: list[str] = []
    pairs: PairedData | None = None
    for name, value in results.items():
        if value is None:
            rows.append(_Row(str(name), 0, None, "no patients"))
        elif isinstance(value, PairedChangeResult):
            rows.append(_Row(str(name), value.n, value, None))
        elif isinstance(value, (SubgroupsResult, DoseResponseResult, FollowupResult)):
            view = strata_of(value)
            rows.append(_Row(str(name), None, None, None, header=True))
            rows += [_Row(s.label, s.n, s.result, s.reason) for s in view.strata]
            if view.test is not None:
                tests.append(f"{name}: {group_test_text(view.test, short=True)}")
            pairs = pairs or view.pairs
        elif isinstance(value, Mapping):
            rows.append(_Row(str(name), None, None, None, header=True))
            for label, sub in value.items():
                if sub is not None and not isinstance(sub, PairedChangeResult):
                    raise TypeError(
                        f"plot_forest: {name!r} -> {label!r} is a {type(sub).__name__}, "
                        "expected a PairedChangeResult"
                    )
                rows.append(
                    _Row(
                        str(label), 0 if sub is None else sub.n, sub, None if sub else "no patients"
                    )
                )
        else:
            raise TypeError(
                f"plot_forest: {name!r} is a {type(value).__name__}, expected a "
                "PairedChangeResult, SubgroupsResult, DoseResponseResult or FollowupResult"
            )
    return rows, pairs, tests


@styled
def plot_forest(
    results: ForestInput,
    *,
    overall: PairedChangeResult | Cohort | PairedData | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Forest plot of the mean change ``after - before`` with its t CI in each subgroup.

    One row per subgroup (a square sized by n, its CI as a line), the overall estimate as a
    diamond at the bottom, a line at zero, and the numbers (n, mean, CI) printed at the right.
    A subgroup of one patient shows its value without a CI; an empty one says so.

    Parameters
    ----------
    results : SubgroupsResult, DoseResponseResult, FollowupResult or mapping
        The strata of one result, or a mapping of labels to :class:`PairedChangeResult`
        (one row each), to strata results, or to mappings of labels to
        :class:`PairedChangeResult` (a section headed by the label: severity strata, dose
        groups, follow-up bands, sex, ...). ``None`` values are empty rows.
    overall : PairedChangeResult, Cohort or PairedData, optional
        The overall estimate. By default, for a strata result (or a mapping holding one),
        the paired change of all the pairs it used.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset
    >>> from cohort_reanalysis.analyses._subgroups import severity_subgroups
    >>> ax = plot_forest(severity_subgroups(load_dataset("matsuoka2025")))
    >>> ax.texts[-2].get_text()  # the overall row: its label, then its numbers
    'All patients'
    """
    rows, pairs, tests = _rows(results)
    if overall is not None:
        total: PairedChangeResult | None = as_paired_result(overall)
    elif pairs is not None and pairs.n > 0:
        total = paired_change(pairs)
    else:
        total = None
    if total is not None:
        rows.append(_Row("All patients", total.n, total, None, overall=True))
    if not rows:
        raise ValueError("plot_forest: nothing to plot (no subgroups and no overall estimate)")
    ax = new_axes(ax, 6.0, 1.0 + 0.32 * len(rows) + 0.16 * len(tests))
    first = next((r.result for r in rows if r.result is not None), None)
    unit = first.unit if first else None
    measure = first.measure if first else None
    level = first.confidence_level if first else 0.95
    _draw_rows(ax, rows, unit)
    what = measure or "value"
    ax.set_xlabel(
        f"Mean change in {what}, after − before{f' ({unit})' if unit else ''}, "
        f"{level_text(level)} CI (t)"
    )
    if tests:
        set_title(ax, "\n".join(tests))
    despine(ax)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    return ax


def _draw_rows(ax: Axes, rows: list[_Row], unit: str | None) -> None:
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Polygon

    y = np.arange(len(rows), dtype=np.float64)[::-1]
    u = unit_suffix(unit)
    segments, xs, ys, sizes = [], [], [], []
    numbers: list[tuple[float, str]] = []
    lows, highs = [], []
    n_max = max((r.n or 0) for r in rows) or 1
    for yi, row in zip(y, rows, strict=True):
        res = row.result
        if row.header:
            continue
        if res is None:
            numbers.append((yi, f"n = {row.n or 0}: {row.reason or 'no patients'}"))
            continue
        has_ci = res.ci_low is not None and res.ci_high is not None
        text = f"n = {res.n}   {fmt(res.estimate)}{u}"
        if has_ci:
            assert res.ci_low is not None and res.ci_high is not None
            text += f" ({fmt(res.ci_low)} to {fmt(res.ci_high)})"
            lows.append(res.ci_low)
            highs.append(res.ci_high)
        else:
            text += "  no CI (n = 1)" if res.n < 2 else "  no CI (SD 0)"
        numbers.append((yi, text))
        lows.append(res.estimate)
        highs.append(res.estimate)
        if row.overall:
            continue
        if has_ci:
            segments.append([(res.ci_low, yi), (res.ci_high, yi)])
        xs.append(res.estimate)
        ys.append(yi)
        sizes.append(12.0 + 60.0 * np.sqrt((res.n or 1) / n_max))
    colour = OKABE_ITO["black"]
    if segments:
        ax.add_collection(LineCollection(list(np.asarray(segments)), colors=colour, linewidths=1.2))
    if xs:
        ax.scatter(xs, ys, s=sizes, marker="s", color=colour, zorder=3, linewidths=0)
    for yi, row in zip(y, rows, strict=True):
        if row.overall and row.result is not None:
            res = row.result
            lo = res.ci_low if res.ci_low is not None else res.estimate
            hi = res.ci_high if res.ci_high is not None else res.estimate
            half = 0.28
            ax.add_patch(
                Polygon(
                    [(lo, yi), (res.estimate, yi + half), (hi, yi), (res.estimate, yi - half)],
                    closed=True,
                    facecolor=OKABE_ITO["blue"],
                    edgecolor=colour,
                    linewidth=0.8,
                    zorder=3,
                )
            )
            ax.axhline(yi + 0.5, color=GREY, linewidth=0.5)
    ax.axvline(0.0, color=GREY, linewidth=0.8, linestyle=(0, (4, 2)), zorder=1)
    lo_all = min([*lows, 0.0])
    hi_all = max([*highs, 0.0])
    pad = 0.08 * ((hi_all - lo_all) or 1.0)
    ax.set_xlim(lo_all - pad, hi_all + pad)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    # Row labels as plain texts, not ticks: a tick costs ten times a text to build.
    ax.set_yticks([])
    transform = ax.get_yaxis_transform()
    by_row = dict(numbers)
    for yi, row in zip(y, rows, strict=True):
        ax.text(
            -0.02,
            yi,
            row.label,
            transform=transform,
            ha="right",
            va="center",
            fontsize=8,
            fontweight="bold" if (row.header or row.overall) else "normal",
        )
        if yi in by_row:
            ax.text(1.02, yi, by_row[yi], transform=transform, ha="left", va="center", fontsize=7.5)
