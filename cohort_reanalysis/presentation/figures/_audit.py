"""The audit at a glance: every numeric claim's reported value against what the table gives.

Claims live on different scales (a count, a mean in %, a p-value of 1e-7), so each row is
normalised to its own reported interval (the true values its print allows under the
audit's rounding):

* a number printed with ``=``: distance from the centre of its interval in half-widths, so
  the interval is [-1, 1] (an exact count, whose interval is a point, uses half a unit);
* a threshold (``< 0.0001``, ``> 3 years``): the threshold sits at +1 (``<``) or -1 (``>``)
  and the distance beyond it is counted in orders of magnitude for p-values, otherwise in
  steps of the printed number's last digit, so the allowed side is (-inf, 1] or [-1, inf).

The x axis is symmetric-log (linear within ±1). The real numbers are printed beside each row.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from .._verdict_style import VERDICT_LABELS, VERDICT_MARKERS
from ._paired import legend_below
from ._style import GREY, figure_width, new_axes, set_title, styled, wrap

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from ...verification._audit import Audit

__all__ = ["VERDICT_STYLE", "AuditRow", "AuditSummary", "audit_rows", "plot_audit"]

#: Colour, marker and label of each verdict the figure places (from ``_verdict_style``).
VERDICT_STYLE: dict[str, tuple[str, str, str]] = {
    verdict: (colour, marker, VERDICT_LABELS[verdict])
    for verdict, (colour, marker) in VERDICT_MARKERS.items()
}
_BIG = 1e9  # stands in for an unbounded end of a reported interval


@dataclass(frozen=True)
class AuditRow:
    """One claim of the audit figure, normalised to its reported interval.

    ``stated`` and ``other`` are the normalised positions of the value under the stated
    method and of the reproducing (or, if none, nearest) alternative; each holds one value,
    or two for a range or quartiles. ``region`` is the reported interval on that scale.
    """

    id: str
    verdict: str
    region: tuple[float, float]
    stated: tuple[float, ...]
    other: tuple[float, ...]
    other_kind: str  # "alternative", "nearest" or ""
    text: str


@dataclass(frozen=True)
class AuditSummary:
    """What the audit figure shows of an audit: the rows it places, the claims it cannot
    place, and the facts of its title.

    Plain data, so that a figure worker draws the audit without importing the verification
    modules (or pandas) to unpickle an :class:`~cohort_reanalysis.verification.Audit`.
    """

    rows: tuple[AuditRow, ...]
    left_out: tuple[str, ...]
    dataset: str
    n_rows: int
    rounding: str
    counts: tuple[tuple[str, int], ...]  # (verdict, number of claims), in the audit's order

    @classmethod
    def of(cls, audit: Audit) -> AuditSummary:
        """What :func:`plot_audit` shows of ``audit``."""
        rows, left_out = audit_rows(audit)
        return cls(
            tuple(rows),
            tuple(left_out),
            audit.dataset,
            audit.n_rows,
            audit.rounding,
            tuple(audit.counts.items()),
        )


def _number(value: float) -> str:
    if value == 0 or 1e-3 <= abs(value) < 1e6:
        return f"{value:.6g}"
    return f"{value:.3g}"


def _scaled(reported: str, scale: float) -> str:
    from ...verification._reported import ReportedPair, parse_reported

    parsed = parse_reported(reported)
    numbers = parsed.numbers if isinstance(parsed, ReportedPair) else (parsed,)
    return " to ".join(_number(float(n) * scale) for n in numbers)


def _values_text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, (tuple, list)):
        return " to ".join(_number(float(v)) for v in value)
    return _number(float(value))


def _normaliser(
    reported: str, comparator: str, scale: float, statistic: str | None, rounding: str
) -> list[tuple[Callable[[float], float], tuple[float, float]]]:
    """For each printed number: (function value -> position, region on that scale)."""
    from ...verification._search import Target

    log = statistic == "pvalue"
    target = Target(
        reported,
        comparator,
        scale=scale,
        log_scale=log,
        exact=statistic in ("n", "count"),
    )
    out: list[tuple[Callable[[float], float], tuple[float, float]]] = []
    for end, number in enumerate(target.numbers):
        iv = target.interval(end, rounding)
        step = float(number.step * Decimal(repr(float(scale))))
        lo, hi = float(iv.low), float(iv.high)
        if comparator == "=":
            half = (hi - lo) / 2.0 or step / 2.0
            out.append((_centred((lo + hi) / 2.0, half), (-1.0, 1.0)))
            continue
        below = comparator in ("<", "<=")
        anchor = 1.0 if below else -1.0
        g = _beyond(hi if below else lo, anchor, step, log)
        out.append((g, (-_BIG, 1.0) if below else (-1.0, _BIG)))
    return out


def _centred(centre: float, half: float) -> Callable[[float], float]:
    """Distance from the centre of a rounding interval, in half-widths."""
    return lambda x: (x - centre) / half


def _beyond(threshold: float, anchor: float, step: float, log: bool) -> Callable[[float], float]:
    """``anchor`` plus the distance past ``threshold``: orders of magnitude, or printed steps."""

    def position(x: float) -> float:
        if not log:
            return anchor + (x - threshold) / step
        if x <= 0 or threshold <= 0:
            return -math.inf if x <= 0 else math.inf
        return anchor + math.log10(x / threshold)

    return position


def _positions(
    value: Any, fns: list[tuple[Callable[[float], float], tuple[float, float]]]
) -> tuple[float, ...]:
    if value is None:
        return ()
    ends = value if isinstance(value, (tuple, list)) else (value,)
    if len(ends) != len(fns):
        return ()
    out = []
    for x, (f, _) in zip(ends, fns, strict=True):
        x = float(x)
        if math.isfinite(x):
            z = f(x)
            if math.isfinite(z):
                out.append(z)
    return tuple(out)


def _NullLocator() -> Any:
    from matplotlib.ticker import NullLocator

    return NullLocator()


#: How the right-hand text names the hollow marker's value: the value is recomputed, so
#: each says under which specification (a bare "stated: 58" read as "the paper stated 58").
_KIND_WORDS = {"alternative": "under the alternative", "nearest": "nearest"}


def audit_rows(audit: Audit) -> tuple[list[AuditRow], list[str]]:
    """The rows of :func:`plot_audit`, and the ids of the claims it cannot place."""
    rows: list[AuditRow] = []
    left_out: list[str] = []
    for r in audit.results:
        verdict = r.verdict.value
        if verdict not in VERDICT_STYLE:
            left_out.append(r.id)
            continue
        scale = r.scale
        try:
            fns = _normaliser(r.reported, r.comparator, scale, r.statistic, audit.rounding)
        except (ValueError, ArithmeticError):
            left_out.append(r.id)
            continue
        stated = _positions(r.recomputed, fns)
        other_value: Any = None
        kind = ""
        if verdict == "reproduced_under_alternative":
            other_value, kind = r.alternative_value, "alternative"
        elif verdict == "not_reproduced" and r.nearest is not None:
            if r.nearest.value != r.recomputed:
                other_value, kind = r.nearest.value, "nearest"
        other = _positions(other_value, fns)
        if not stated and not other:
            left_out.append(r.id)
            continue
        shown = ("" if r.comparator == "=" else f"{r.comparator} ") + r.reported
        unit = r.unit or ""
        if unit and not shown.endswith(unit):
            shown += unit if unit == "%" else f" {unit}"
        if scale != 1.0:
            shown += f" [= {_scaled(r.reported, scale)}]"
        text = f"{shown}  |  under the stated method: {_values_text(r.recomputed)}"
        if kind and other:
            text += f"  |  {_KIND_WORDS[kind]}: {_values_text(other_value)}"
        region = fns[0][1]
        rows.append(AuditRow(r.id, verdict, region, stated, other, kind if other else "", text))
    return rows, left_out


@styled
def plot_audit(audit: Audit | AuditSummary, *, ax: Axes | None = None) -> Axes:
    """Each numeric claim's reported interval against the recomputed values, by verdict.

    One row per claim. Grey: the interval of true values the printed number allows
    (normalised, see the module notes). Filled marker: the value under the stated method;
    hollow marker joined to it: the value under the specification that reproduces the claim
    (``reproduced_under_alternative``) or the nearest value found
    (``not_reproduced``). Colour and marker shape both encode the verdict. The real numbers
    are printed at the right of each row; claims that cannot be placed (not checkable) are
    listed under the axes.

    Parameters
    ----------
    audit : Audit or AuditSummary
        From :func:`~cohort_reanalysis.verification._audit.verify` (or its
        :meth:`AuditSummary.of`, which is all the figure reads of it).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset
    >>> from cohort_reanalysis.verification._audit import verify
    >>> cohort = load_dataset("matsuoka2025")
    >>> ax = plot_audit(verify(cohort))
    >>> ax.get_xscale()
    'symlog'
    """
    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.lines import Line2D

    summary = audit if isinstance(audit, AuditSummary) else AuditSummary.of(audit)
    rows, left_out = summary.rows, summary.left_out
    ax = new_axes(ax, 9.0, 1.6 + 0.26 * max(len(rows), 1))
    y = np.arange(len(rows), dtype=np.float64)[::-1]
    reach = max([3.0, *(abs(z) for r in rows for z in (*r.stated, *r.other))])
    limit = 10.0 ** math.ceil(math.log10(reach * 1.5))
    boxes = [
        [
            (max(lo, -limit), yi - 0.32),
            (min(hi, limit), yi - 0.32),
            (min(hi, limit), yi + 0.32),
            (max(lo, -limit), yi + 0.32),
        ]
        for yi, r in zip(y, rows, strict=True)
        for lo, hi in [r.region]
    ]
    ax.add_collection(PolyCollection(boxes, facecolors="#D9D9D9", edgecolors="none", zorder=1))
    links = []
    for yi, r in zip(y, rows, strict=True):
        if len(r.stated) == len(r.other):
            links += [[(a, yi), (b, yi)] for a, b in zip(r.stated, r.other, strict=True)]
    if links:
        ax.add_collection(LineCollection(links, colors=GREY, linewidths=0.8, zorder=2))
    for verdict, (colour, marker, _) in VERDICT_STYLE.items():
        sx = [z for yi, r in zip(y, rows, strict=True) if r.verdict == verdict for z in r.stated]
        sy = [yi for yi, r in zip(y, rows, strict=True) if r.verdict == verdict for _ in r.stated]
        ox = [z for yi, r in zip(y, rows, strict=True) if r.verdict == verdict for z in r.other]
        oy = [yi for yi, r in zip(y, rows, strict=True) if r.verdict == verdict for _ in r.other]
        if sx:
            ax.scatter(
                sx,
                sy,
                s=34,
                marker=marker,
                color=colour,
                edgecolors="black",
                linewidths=0.5,
                zorder=4,
            )
        if ox:
            ax.scatter(
                ox,
                oy,
                s=34,
                marker=marker,
                facecolors="white",
                edgecolors=colour,
                linewidths=1.3,
                zorder=3,
            )
    ax.axvline(0.0, color=GREY, linewidth=0.6, zorder=1)
    ax.set_xscale("symlog", linthresh=1.0, linscale=1.0)
    ax.set_xlim(-limit, limit)
    ticks = [
        t for t in (-1000.0, -100.0, -10.0, -1.0, 0.0, 1.0, 10.0, 100.0, 1000.0) if abs(t) <= limit
    ]
    ax.set_xticks(ticks, [f"{t:g}".replace("-", "−") for t in ticks])
    ax.xaxis.set_minor_locator(_NullLocator())
    ax.set_ylim(-0.7, len(rows) - 0.3)
    # Row labels as plain texts, not ticks: a tick costs ten times a text to build.
    ax.set_yticks([])
    transform = ax.get_yaxis_transform()
    for yi, r in zip(y, rows, strict=True):
        ax.text(-0.02, yi, r.id, transform=transform, ha="right", va="center", fontsize=7)
        ax.text(1.02, yi, r.text, transform=transform, ha="left", va="center", fontsize=6.5)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.set_xlabel(
        "position relative to the reported value, in half-widths of its rounding interval "
        "(grey: values that print as reported; right: printed value | value under the stated "
        "method | under the reproducing alternative or the nearest). Thresholds: distance "
        "beyond the threshold in printed steps, for p-values in orders of magnitude. "
        "Symmetric log scale.",
        fontsize=7,
    )
    ax.xaxis.label.set_text(wrap(ax.xaxis.label.get_text(), 6.5, 7.0))
    handles = [
        Line2D(
            [],
            [],
            marker=m,
            linestyle="none",
            markerfacecolor=c,
            markeredgecolor="black",
            markeredgewidth=0.5,
            markersize=6,
            label=label,
        )
        for c, m, label in VERDICT_STYLE.values()
    ]
    handles += [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            color="black",
            markersize=5,
            label="filled: under the stated method",
        ),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markerfacecolor="white",
            markeredgecolor="black",
            markersize=5,
            label="hollow: under the reproducing alternative / nearest value",
        ),
    ]
    legend_below(ax, handles, ncol=3)
    counts = ", ".join(f"{n} {VERDICT_LABELS.get(v, v)}" for v, n in summary.counts if n)
    lines = [
        f"Claims of {summary.dataset} against its table ({summary.n_rows} rows; rounding "
        f"{summary.rounding})",
        f"Verdicts: {counts}",
    ]
    if left_out:
        lines.append(f"Not placed (no number to compare): {', '.join(left_out)}")
    title = wrap("\n".join(lines), 0.55 * figure_width(ax), 7.5)
    set_title(ax, title, fontsize=7.5)
    return ax
