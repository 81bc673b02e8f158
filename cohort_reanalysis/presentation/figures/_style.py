"""Shared look of every figure: Okabe–Ito colours, a local style, axes helpers, and the two
small pieces of arithmetic figures draw (a t interval of a mean, a regression line's band).

Nothing here touches matplotlib's global state: the style is applied with
``matplotlib.rc_context`` only while a figure is being built (:func:`styled`), and figures
are made with ``matplotlib.figure.Figure`` directly, never through pyplot.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np
import numpy.typing as npt

from ..._format import format_number, format_p
from ...cohort import Cohort, PairedData

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "DIRECTIONS",
    "GREY",
    "OKABE_ITO",
    "RC",
    "Band",
    "DirectionStyle",
    "as_result",
    "despine",
    "direction_of",
    "figure_width",
    "fmt",
    "fmt_p",
    "line_band",
    "new_axes",
    "new_figure",
    "set_title",
    "styled",
    "t_interval",
    "wrap",
]

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
GREY = "#6E6E6E"
LIGHT = "#BDBDBD"


@dataclass(frozen=True)
class DirectionStyle:
    """How one direction of change is drawn: colour, and a line style and marker that keep it
    readable in grayscale."""

    label: str
    colour: str
    linestyle: Any  # a name or an (offset, dashes) pattern, as matplotlib takes it
    marker: str


#: Fall, rise and no change: colour *and* dash pattern, so grayscale prints stay readable.
DIRECTIONS: dict[str, DirectionStyle] = {
    "fall": DirectionStyle("fall", OKABE_ITO["blue"], "-", "v"),
    "rise": DirectionStyle("rise", OKABE_ITO["vermillion"], (0.0, (4.0, 2.0)), "^"),
    "none": DirectionStyle("no change", OKABE_ITO["black"], (0.0, (1.0, 1.5)), "o"),
}

#: The local style (applied only while drawing, see :func:`styled`).
RC: dict[str, Any] = {
    "font.size": 9.0,
    "axes.labelsize": 9.0,
    "axes.titlesize": 9.0,
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.linewidth": 0.8,
    "xtick.labelsize": 8.0,
    "ytick.labelsize": 8.0,
    "xtick.major.width": 0.8,
    "ytick.major.width": 0.8,
    "legend.fontsize": 7.5,
    "legend.frameon": False,
    "legend.handlelength": 2.6,
    "lines.linewidth": 1.2,
    "svg.fonttype": "none",  # SVG text stays text: searchable and editable
    # Unhinted glyphs: the same PNG on every FreeType version, and a third faster to draw.
    "text.hinting": "no_hinting",
    "figure.dpi": 100.0,
}

F = TypeVar("F", bound=Callable[..., Any])

R = TypeVar("R")


def as_result(data: Any, kind: type[R], compute: Callable[[Cohort | PairedData], R]) -> R:
    """``data`` if it is already a ``kind`` result, else ``compute(data)`` for a Cohort or
    pairs; anything else is a TypeError naming what was expected."""
    if isinstance(data, kind):
        return data
    if isinstance(data, (Cohort, PairedData)):
        return compute(data)
    raise TypeError(f"expected a {kind.__name__}, Cohort or PairedData, got {type(data).__name__}")


def styled(func: F) -> F:
    """Run ``func`` inside ``matplotlib.rc_context(RC)``: the style reaches only its artists."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import matplotlib

        with matplotlib.rc_context(cast(Any, RC)):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def new_figure(width: float, height: float) -> Figure:
    """A figure outside pyplot (no GUI, nothing global), laid out with constrained layout."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def new_axes(ax: Axes | None, width: float = 4.8, height: float = 3.6) -> Axes:
    """``ax`` itself, or the single axes of a new figure."""
    if ax is not None:
        return ax
    return new_figure(width, height).add_subplot()


def despine(ax: Axes) -> None:
    """No top or right spine (also on axes made before the style applied)."""
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)


def direction_of(change: npt.ArrayLike) -> np.ndarray:
    """``"fall"``, ``"rise"`` or ``"none"`` for each change ``after - before``."""
    d = np.asarray(change, dtype=np.float64)
    return np.where(d < 0, "fall", np.where(d > 0, "rise", "none"))


def fmt(x: float | None, digits: int = 3) -> str:
    """A number for a figure: ``format_number`` with a real minus sign."""
    return format_number(x, digits).replace("-", "−")


def fmt_p(p: float | None) -> str:
    """``p = 0.012`` or ``p = 1.1e-06`` (the number only, with a real minus sign)."""
    return format_p(p).replace("-", "−")


def measure_label(measure: str | None, unit: str | None) -> str:
    """``"HbA1c (%)"``; ``"value"`` when nothing is known."""
    name = measure or "value"
    return f"{name} ({unit})" if unit else name


def unit_suffix(unit: str | None) -> str:
    """``"%"`` sticks to the number; other units follow a space."""
    if not unit:
        return ""
    return unit if unit == "%" else f" {unit}"


def level_text(level: float) -> str:
    """``0.95`` -> ``"95%"`` (``"97.5%"`` keeps its decimal)."""
    pct = 100.0 * level
    return f"{pct:.0f}%" if abs(pct - round(pct)) < 1e-9 else f"{pct:g}%"


def t_interval(x: npt.ArrayLike, level: float = 0.95) -> tuple[float, float, float] | None:
    """Mean of ``x`` and its two-sided t confidence interval; ``None`` when undefined.

    Undefined when ``n < 2`` or every value is equal (a zero-width interval would look like
    certainty).

    Examples
    --------
    >>> m, lo, hi = t_interval([1.0, 2.0, 3.0])
    >>> m, round(lo, 4), round(hi, 4)  # 2 -/+ t(0.975, 2) * 1 / sqrt(3)
    (2.0, -0.4841, 4.4841)
    """
    from ...analyses._kernel import one_sample_t
    from ...analyses._kernel import t_interval as kernel_t_interval

    try:
        test = one_sample_t(np.asarray(x, dtype=np.float64))
    except ValueError:  # fewer than 2 values, or all equal: no interval
        return None
    low, high = kernel_t_interval(test.estimate, test.se, test.df, level)
    return test.estimate, low, high


@dataclass(frozen=True)
class Band:
    """A least-squares line ``y = intercept + slope x`` and its pointwise confidence band for
    the mean of ``y`` at each ``x`` of ``grid``."""

    intercept: float
    slope: float
    grid: np.ndarray
    fit: np.ndarray
    low: np.ndarray
    high: np.ndarray
    confidence_level: float
    n: int


def line_band(
    x: npt.ArrayLike, y: npt.ArrayLike, grid: npt.ArrayLike, *, confidence_level: float = 0.95
) -> Band | None:
    """Ordinary least-squares line of ``y`` on ``x`` with its confidence band on ``grid``.

    The band is ``fit ± t(n - 2) s sqrt(1/n + (x0 - mean x)² / Sxx)``, the interval for the
    mean response (Draper & Smith, Applied Regression Analysis, §1.4). ``None`` when the
    line is undefined (``n < 3`` or ``x`` constant).

    Examples
    --------
    >>> b = line_band([0.0, 1.0, 2.0, 3.0], [0.0, 1.0, 2.0, 3.5], [0.0, 3.0])
    >>> round(b.slope, 3), round(b.intercept, 3)
    (1.15, -0.1)
    """
    from ...analyses._kernel import t_quantile

    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    g = np.asarray(grid, dtype=np.float64)
    n = xs.size
    if n < 3:
        return None
    xbar, ybar = float(xs.mean()), float(ys.mean())
    sxx = float(np.sum((xs - xbar) ** 2))
    if sxx == 0.0:
        return None
    slope = float(np.sum((xs - xbar) * (ys - ybar))) / sxx
    intercept = ybar - slope * xbar
    resid = ys - (intercept + slope * xs)
    s = math.sqrt(float(np.sum(resid**2)) / (n - 2))
    q = t_quantile(0.5 + confidence_level / 2.0, n - 2)
    fit = intercept + slope * g
    half = q * s * np.sqrt(1.0 / n + (g - xbar) ** 2 / sxx)
    return Band(intercept, slope, g, fit, fit - half, fit + half, confidence_level, n)


def wrap(text: str, width_in: float, fontsize: float) -> str:
    """``text`` wrapped (each existing line separately) to about ``width_in`` inches."""
    import textwrap

    chars = max(20, int(width_in * 72.0 / (0.55 * fontsize)))
    return "\n".join(
        "\n".join(textwrap.wrap(line, chars, break_on_hyphens=False)) or line
        for line in text.split("\n")
    )


def figure_width(ax: Axes) -> float:
    """Width in inches of the figure holding ``ax``."""
    fig: Any = ax.get_figure(root=True)
    return float(fig.get_figwidth()) if fig is not None else 5.0


def set_title(ax: Axes, text: str, *, fontsize: float = 8.0) -> None:
    """A small left-aligned title, wrapped to the axes' figure width.

    It sits just above the axes (``y=1``). Left to itself, matplotlib searches at every draw
    for tick labels above the axes to clear; ours never have any, and the search measured
    every y tick label again each time (a tenth of the time taken to draw all the figures).
    """
    width = figure_width(ax)
    ax.set_title(wrap(text, width - 0.6, fontsize), fontsize=fontsize, loc="left", y=1.0)


def add_footer(fig: Figure, text: str, *, fontsize: float = 6.5) -> None:
    """Put ``text`` (e.g. the provenance caption) at the foot of the figure.

    It is the figure's ``supxlabel``, which constrained layout keeps clear of the axes, tick
    labels and a legend placed below them.
    """
    wrapped = wrap(text, float(fig.get_figwidth()) - 0.2, fontsize)
    fig.supxlabel(
        wrapped,
        x=0.01,
        ha="left",
        va="bottom",
        fontsize=fontsize,
        color=GREY,
        multialignment="left",
    )
