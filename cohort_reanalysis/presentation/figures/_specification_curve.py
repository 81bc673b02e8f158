"""The specification curve of one claim (Simonsohn, Simmons and Nelson 2020; as R's specr
draws it): its value under every specification of the declared space, sorted, above a panel
that marks, beneath each specification, the value each choice takes in it."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .._verdict_style import VERDICT_ACCENTS
from ._style import GREY, despine, new_figure, set_title, styled

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_specification_curve"]

_PRINTS = VERDICT_ACCENTS["reproduced"]
_DOES_NOT = GREY
_FIXED = ("claim", "value", "reproduces", "departures", "failure")


@styled
def plot_specification_curve(frame: pd.DataFrame, claim: str, *, ax: Axes | None = None) -> Figure:
    """Draw one claim's value under every specification, sorted, with the choices beneath.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame from :func:`~cohort_reanalysis.multiverse`.
    claim : str
        The claim's id.
    ax : matplotlib.axes.Axes, optional
        Draw the curve here and the choices in a panel beneath it; default a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If the frame has no specification of ``claim``, or is not a multiverse frame.

    Notes
    -----
    Specifications whose value prints as reported are drawn in the colour of
    "reproduced", the others in grey; the stated method is ringed. A claim that states two
    numbers (an interval, a range) is drawn as a segment from one to the other. Only the
    choices that take more than one value for this claim get a row in the lower panel;
    specifications without a value are counted in the title, not drawn.

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset, multiverse
    >>> frame = multiverse(load_dataset("matsuoka2025"))
    >>> fig = plot_specification_curve(frame, "abstract.median_followup")
    >>> fig.axes[1].get_yticklabels()[0].get_text()
    'rows: all rows'
    """
    missing = [c for c in _FIXED if c not in frame.columns]
    if missing:
        raise ValueError(f"not a multiverse frame: no column {', '.join(map(repr, missing))}")
    part = frame[frame["claim"] == claim]
    if part.empty:
        known = ", ".join(dict.fromkeys(frame["claim"]))
        raise ValueError(f"no specification of claim {claim!r} in this frame (claims: {known})")
    low, high = _ends(part["value"])
    computed = np.isfinite(low)
    order = np.argsort(np.where(computed, (low + high) / 2.0, np.inf), kind="stable")
    order = order[computed[order]]
    shown = part.iloc[order]
    x = np.arange(1, len(order) + 1)
    choices = _varying_choices(shown, frame.columns)

    if ax is None:
        fig = new_figure(6.4, 2.6 + 0.22 * max(len(_labels(shown, choices)), 1))
        grid = fig.add_gridspec(2, 1, height_ratios=(1.0, 1.0), hspace=0.05)
        curve = fig.add_subplot(grid[0])
        marks = fig.add_subplot(grid[1], sharex=curve)
    else:
        curve = ax
        marks = ax.inset_axes((0.0, -1.15, 1.0, 1.0), sharex=ax)
        fig = ax.figure  # type: ignore[assignment]

    ok = shown["reproduces"].to_numpy(dtype=bool)
    colours = [_PRINTS if hit else _DOES_NOT for hit in ok]
    lo, hi = low[order], high[order]
    if np.any(lo != hi):
        curve.vlines(x, lo, hi, colors=colours, linewidth=1.2)
    curve.scatter(x, (lo + hi) / 2.0, c=colours, s=10, zorder=3)
    stated = shown["departures"].to_numpy() == 0
    if stated.any():
        curve.scatter(
            x[stated], ((lo + hi) / 2.0)[stated], s=60, facecolors="none",
            edgecolors="black", linewidths=0.9, zorder=4, label="stated method",
        )  # fmt: skip
    curve.scatter([], [], c=_PRINTS, s=10, label="prints as reported")
    curve.scatter([], [], c=_DOES_NOT, s=10, label="does not")
    curve.legend(loc="best", fontsize=6.5)
    curve.set_ylabel("value")
    curve.tick_params(labelbottom=False)
    despine(curve)
    n, hits, failed = len(part), int(part["reproduces"].sum()), int((~computed).sum())
    text = f"{claim}: {n} specifications, {hits} print as reported ({hits / n:.0%})"
    if failed:
        text += f"; {failed} without a value"
    set_title(curve, text)

    labels = _labels(shown, choices)
    rows = {label: i for i, label in enumerate(labels)}
    for name in choices:
        column = shown[name].tolist()
        ys = [rows[f"{name}: {v}"] for v in column if v is not None]
        xs = [xi for xi, v in zip(x, column, strict=True) if v is not None]
        marks.scatter(xs, ys, marker="|", s=40, c="black", linewidths=0.8)
    marks.set_yticks(range(len(labels)), labels, fontsize=6.5)
    marks.set_ylim(len(labels) - 0.5, -0.5)
    marks.set_xlabel("specification (sorted by value)")
    marks.set_xlim(0.5, max(len(order), 1) + 0.5)
    despine(marks)
    return fig


def _ends(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    low, high = [], []
    for v in values:
        a, b = (v if isinstance(v, tuple) else (v, v)) if v is not None else (math.nan, math.nan)
        low.append(float(a))
        high.append(float(b))
    return np.asarray(low), np.asarray(high)


def _varying_choices(shown: pd.DataFrame, columns: Any) -> list[str]:
    names = [c for c in columns if c not in _FIXED]
    out = []
    for name in names:
        distinct = {v for v in shown[name] if v is not None}
        if len(distinct) > 1:
            out.append(name)
    return out


def _labels(shown: pd.DataFrame, choices: list[str]) -> list[str]:
    labels = []
    for name in choices:
        values = sorted({v for v in shown[name] if v is not None}, key=_sort_key)
        labels += [f"{name}: {v}" for v in values]
    return labels


def _sort_key(value: Any) -> tuple[int, Any]:
    return (0, value) if isinstance(value, (int, float)) else (1, str(value))
