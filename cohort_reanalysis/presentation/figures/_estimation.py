"""Estimation plots: Gardner–Altman for one paired contrast, Cumming for several subgroups.

The effect is the mean change ``after - before`` shown with its bootstrap distribution (a
half-violin) and its bootstrap confidence interval, as DABEST draws it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import numpy.typing as npt

from ...analyses._paired import PairedChangeResult
from ...analyses._resampling_result import BOOTSTRAP_MIN_N
from ...cohort import Cohort, PairedData
from ._forest import StrataResult, group_test_text, strata_of
from ._paired import as_paired_result, direction_handles, draw_slopes, legend_below
from ._style import (
    GREY,
    OKABE_ITO,
    despine,
    fmt,
    fmt_p,
    level_text,
    measure_label,
    new_axes,
    new_figure,
    set_title,
    styled,
    unit_suffix,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ...analyses._resampling import BootstrapResult

__all__ = [
    "T_CI_SHIFT",
    "bootstrap_for_plot",
    "density",
    "plot_estimation",
    "plot_subgroup_estimates",
    "small_n_note",
]

BootstrapMethod = Literal["bca", "percentile"]
_EFFECT = OKABE_ITO["black"]
_VIOLIN = OKABE_ITO["sky_blue"]
_T_CI = OKABE_ITO["vermillion"]
#: How far left of the bootstrap bar the t bar stands, as a fraction of the violin's width.
T_CI_SHIFT = 0.22


def bootstrap_for_plot(
    result: PairedChangeResult,
    *,
    n_resamples: int,
    seed: int | np.random.Generator | None,
    method: BootstrapMethod = "bca",
) -> tuple[BootstrapResult | None, str]:
    """The bootstrap of the mean change, and how it was done or why there is none.

    BCa is undefined when every change is equal; the percentile interval is then used and
    said so. A single pair has nothing to resample: ``(None, reason)``.
    """
    try:
        boot = result.bootstrap(n_resamples=n_resamples, method=method, seed=seed)
    except ValueError as exc:
        if method != "bca" or result.n < 2:
            return None, str(exc).split(":")[0]
        try:
            boot = result.bootstrap(n_resamples=n_resamples, method="percentile", seed=seed)
        except ValueError as exc2:  # pragma: no cover - percentile fails only for n < 2
            return None, str(exc2).split(":")[0]
    name = "BCa" if boot.method == "bca" else "percentile"
    return boot, f"{name} bootstrap, {boot.n_resamples} resamples"


def density(values: npt.ArrayLike, grid: npt.ArrayLike) -> np.ndarray:
    """Gaussian kernel density of ``values`` on ``grid``, with Silverman's rule of thumb.

    ``scipy.stats.gaussian_kde`` with the bandwidth ``0.9 min(SD, IQR / 1.349) n^(-1/5)``
    (Silverman, Density Estimation, 1986, eq. 3.31), which does not oversmooth a skewed
    bootstrap distribution as the SD alone would. Zero everywhere for a constant sample.

    Examples
    --------
    >>> g = np.linspace(-4, 4, 81)
    >>> d = density(np.random.default_rng(0).normal(size=20_000), g)
    >>> bool(abs(d[40] - 1 / np.sqrt(2 * np.pi)) < 0.02)  # the N(0, 1) density at 0
    True
    """
    from scipy.stats import gaussian_kde

    v = np.asarray(values, dtype=np.float64)
    g = np.asarray(grid, dtype=np.float64)
    sd = float(np.std(v, ddof=1)) if v.size > 1 else 0.0
    q75, q25 = np.percentile(v, [75, 25]) if v.size else (0.0, 0.0)
    spread = min(sd, float(q75 - q25) / 1.349) if q75 > q25 else sd
    if spread <= 0.0:
        return np.zeros_like(g)
    bandwidth = 0.9 * spread * v.size ** (-0.2)
    return np.asarray(gaussian_kde(v, bw_method=bandwidth / sd)(g), dtype=np.float64)


def _half_violin(
    ax: Axes, distribution: np.ndarray, *, x: float, offset: float, width: float
) -> None:
    """The bootstrap distribution as a half-violin to the right of ``x`` (y = value + offset)."""
    lo, hi = np.percentile(distribution, [0.05, 99.95])
    grid = np.linspace(lo, hi, 160)
    dens = density(distribution, grid)
    if not np.any(dens > 0):
        return
    ax.fill_betweenx(
        grid + offset,
        x,
        x + width * dens / dens.max(),
        color=_VIOLIN,
        alpha=0.55,
        linewidth=0.0,
        zorder=2,
        label="_bootstrap distribution",
    )


def _effect(
    ax: Axes,
    x: float,
    estimate: float,
    boot: BootstrapResult | None,
    *,
    offset: float = 0.0,
    width: float = 0.45,
) -> bool:
    """Mean change as a dot, its bootstrap CI as a bar, its distribution as a half-violin.

    Where n is too small for the bootstrap interval to be trusted (``boot.trusted`` is
    false), the t interval is drawn beside it, dashed and to the left (the side away from
    the violin); returns whether it was.
    """
    if boot is not None:
        _half_violin(ax, np.asarray(boot.distribution), x=x, offset=offset, width=width)
        ax.vlines(
            x, boot.ci_low + offset, boot.ci_high + offset, color=_EFFECT, linewidth=2.0, zorder=3
        )
    ax.plot([x], [estimate + offset], "o", color=_EFFECT, markersize=6, zorder=4)
    if boot is None or boot.trusted or boot.t_ci_low is None or boot.t_ci_high is None:
        return False
    at = x - T_CI_SHIFT * width
    ax.vlines(
        at,
        boot.t_ci_low + offset,
        boot.t_ci_high + offset,
        color=_T_CI,
        linewidth=1.6,
        linestyles=cast(Any, (0, (3, 1.5))),
        zorder=3,
        label="_t CI",
    )
    ax.hlines(
        [boot.t_ci_low + offset, boot.t_ci_high + offset],
        at - 0.04 * width,
        at + 0.04 * width,
        color=_T_CI,
        linewidth=1.2,
        zorder=3,
    )
    return True


def _t_ci_handles(level: float) -> list[Any]:
    """Legend entries telling the bootstrap bar from the t bar beside it."""
    from matplotlib.lines import Line2D

    return [
        Line2D([], [], color=_EFFECT, linewidth=2.0, label=f"{level_text(level)} bootstrap CI"),
        Line2D(
            [],
            [],
            color=_T_CI,
            linewidth=1.6,
            linestyle=(0, (3, 1.5)),
            label=f"{level_text(level)} t CI (n < {BOOTSTRAP_MIN_N})",
        ),
    ]


def small_n_note(labels: Sequence[str]) -> str:
    """What the figure says where n is too small for the bootstrap (empty if nowhere).

    Examples
    --------
    >>> small_n_note(["HbA1c > 8 %"])  # doctest: +NORMALIZE_WHITESPACE
    'n < 20 in HbA1c > 8 %: too small for the bootstrap CI to be trusted (too narrow); the t
    CI is drawn beside it (dashed)'
    """
    if not labels:
        return ""
    where = ", ".join(labels)
    return (
        f"n < {BOOTSTRAP_MIN_N} in {where}: too small for the bootstrap CI to be trusted (too "
        "narrow); the t CI is drawn beside it (dashed)"
    )


def _effect_title(
    result: PairedChangeResult, boot: BootstrapResult | None, how: str, seed: object
) -> str:
    u = unit_suffix(result.unit)
    text = f"mean change {fmt(result.estimate)}{u}"
    if boot is not None:
        seed_text = "" if seed is None or not isinstance(seed, int) else f", seed {seed}"
        text += (
            f", {level_text(boot.confidence_level)} CI {fmt(boot.ci_low)} to {fmt(boot.ci_high)}"
            f"\n({how}{seed_text}); n = {result.n} pairs"
        )
    else:
        text += f"; no bootstrap CI ({how}); n = {result.n}"
    if result.pvalue is not None:
        text += f"; paired t p = {fmt_p(result.pvalue)}"
    if boot is not None and not boot.trusted and boot.t_ci_low is not None:
        assert boot.t_ci_high is not None
        text += (
            f"\nn < {BOOTSTRAP_MIN_N}: too small for the bootstrap CI to be trusted (too narrow);"
            f" t CI {fmt(boot.t_ci_low)} to {fmt(boot.t_ci_high)} drawn beside it (dashed)"
        )
    return text


@styled
def plot_estimation(
    result: PairedChangeResult | Cohort | PairedData,
    *,
    ax: Axes | None = None,
    n_resamples: int = 5000,
    seed: int | np.random.Generator | None = 0,
    method: BootstrapMethod = "bca",
) -> Axes:
    """Gardner–Altman estimation plot of one paired contrast.

    Left: the paired slopegraph (one ``LineCollection``) with the visit means. Right, on a
    second y axis whose zero is the mean before: the mean change ``after - before`` (dot),
    its bootstrap distribution (half-violin) and bootstrap CI (bar). Because the axes are
    aligned, the dot sits level with the mean after. Where n is below ``BOOTSTRAP_MIN_N``
    (20), too small for the bootstrap interval to be trusted, the t interval is drawn beside
    it (dashed, to its left) and the title says so.

    Parameters
    ----------
    result : PairedChangeResult, Cohort or PairedData
    ax : matplotlib Axes, optional
    n_resamples : int, default 5000
        Bootstrap resamples of the mean change (vectorised).
    seed : int, Generator or None, default 0
        Seed of the bootstrap; the figure says which.
    method : {"bca", "percentile"}, default "bca"
        Bootstrap interval; BCa falls back to percentile when every change is equal.

    Returns
    -------
    matplotlib.axes.Axes
        The main axes; the change axis is its secondary y axis (``ax.child_axes``).

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset
    >>> ax = plot_estimation(load_dataset("matsuoka2025"), n_resamples=1000)
    >>> ax.get_xticklabels()[2].get_text()
    'mean change'
    """
    res = as_paired_result(result)
    ax = new_axes(ax, 5.2, 4.0)
    before = np.asarray(res.pairs.before, dtype=np.float64)
    after = np.asarray(res.pairs.after, dtype=np.float64)
    mb, ma = res.mean_before, res.mean_after
    _, counts = draw_slopes(ax, before, after, alpha=0.6)
    ax.plot([-0.14, 1.14], [mb, ma], "o", color=_EFFECT, markersize=5, zorder=4)
    boot, how = bootstrap_for_plot(res, n_resamples=n_resamples, seed=seed, method=method)
    x_eff = 2.0
    ax.hlines(
        [mb, ma],
        [-0.14, 1.14],
        [x_eff + 0.6, x_eff + 0.6],
        colors=GREY,
        linewidth=0.7,
        linestyles=cast(Any, [(0, (4, 2)), (0, (1, 1.5))]),
        zorder=1,
    )
    with_t = _effect(ax, x_eff, res.estimate, boot, offset=mb)
    ax.set_xlim(-0.4, x_eff + 0.7)
    lows = [before.min(), after.min()]
    highs = [before.max(), after.max()]
    if boot is not None:
        lows.append(float(np.min(boot.distribution)) + mb)
        highs.append(float(np.max(boot.distribution)) + mb)
    lo, hi = float(min(lows)), float(max(highs))
    span = (hi - lo) or 1.0
    ax.set_ylim(lo - 0.05 * span, hi + 0.05 * span)
    ax.set_xticks([0.0, 1.0, x_eff], [res.before_label, res.after_label, "mean change"])
    ax.set_ylabel(measure_label(res.measure, res.unit))

    def to_change(y: Any) -> Any:
        return y - mb

    def to_value(d: Any) -> Any:
        return d + mb

    secondary = ax.secondary_yaxis("right", functions=(to_change, to_value))
    unit = f" ({res.unit})" if res.unit else ""
    secondary.set_ylabel(f"Mean change, after − before{unit}")
    set_title(ax, _effect_title(res, boot, how, seed))
    handles = direction_handles(counts)
    if with_t and boot is not None:
        handles += _t_ci_handles(boot.confidence_level)
    legend_below(ax, handles, ncol=3)
    despine(ax)
    return ax


@styled
def plot_subgroup_estimates(
    subgroups_result: StrataResult,
    *,
    axes: Sequence[Axes] | None = None,
    n_resamples: int = 5000,
    seed: int | np.random.Generator | None = 0,
    method: BootstrapMethod = "bca",
) -> Figure:
    """Cumming estimation plot for several subgroups.

    Top: each subgroup's paired slopegraph (all patients in ONE ``LineCollection``). Bottom:
    each subgroup's mean change ``after - before`` with its bootstrap distribution and
    bootstrap CI, against a line at zero, with n under each label. In a subgroup of fewer
    than ``BOOTSTRAP_MIN_N`` (20) patients, too few for the bootstrap interval to be
    trusted, the t interval is drawn beside it (dashed, to its left), and the title names
    those subgroups. The title gives the stated between-subgroup test.

    Parameters
    ----------
    subgroups_result : SubgroupsResult, DoseResponseResult or FollowupResult
        Severity strata, dose groups or follow-up bands.
    axes : pair of matplotlib Axes, optional
        (top, bottom); by default a new figure.
    n_resamples, seed, method
        As in :func:`plot_estimation` (the seed is shared across subgroups, each drawing
        its own stream from one generator).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset
    >>> from cohort_reanalysis.analyses._subgroups import severity_subgroups
    >>> fig = plot_subgroup_estimates(severity_subgroups(load_dataset("matsuoka2025")),
    ...                               n_resamples=1000)
    >>> len(fig.axes)
    2
    """
    view = strata_of(subgroups_result)
    k = len(view.strata)
    if axes is None:
        fig = new_figure(1.2 + 1.9 * k, 5.2)
        top, bottom = fig.subplots(2, 1, height_ratios=(3, 2))
    else:
        top, bottom = axes
        fig = cast("Figure", top.get_figure(root=True))
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    centres = 3.0 * np.arange(k) + 0.5
    befores, afters, offsets = [], [], []
    handles: list[Any] = []
    bottom.axhline(0.0, color=GREY, linewidth=0.8, linestyle=(0, (4, 2)), zorder=1)
    notes: list[str] = []
    small: list[str] = []  # strata whose bootstrap CI is not to be trusted
    how_used = ""
    level = view.confidence_level
    for i, s in enumerate(view.strata):
        if s.result is None:
            continue
        b = np.asarray(s.result.pairs.before, dtype=np.float64)
        a = np.asarray(s.result.pairs.after, dtype=np.float64)
        befores.append(b)
        afters.append(a)
        offsets.append(np.full(b.size, 3.0 * i))
        boot, how = bootstrap_for_plot(s.result, n_resamples=n_resamples, seed=rng, method=method)
        if boot is None:
            notes.append(f"{s.label}: no CI ({how})")
        else:
            how_used = how_used or how
            level = boot.confidence_level
        if _effect(bottom, float(centres[i]), s.result.estimate, boot, width=0.9):
            small.append(s.label)
    if befores:
        b_all, a_all = np.concatenate(befores), np.concatenate(afters)
        _, counts = draw_slopes(top, b_all, a_all, offset=np.concatenate(offsets), alpha=0.65)
        lo = float(min(b_all.min(), a_all.min()))
        hi = float(max(b_all.max(), a_all.max()))
        span = (hi - lo) or 1.0
        top.set_ylim(lo - 0.05 * span, hi + 0.05 * span)
        handles = direction_handles(counts)
    ticks = np.concatenate([[3.0 * i, 3.0 * i + 1.0] for i in range(k)])
    first = next((s.result for s in view.strata if s.result is not None), None)
    before_label = first.before_label if first else "before"
    after_label = first.after_label if first else "after"
    top.set_xticks(ticks, [before_label, after_label] * k, fontsize=7)
    for i, s in enumerate(view.strata):
        top.text(
            3.0 * i + 0.5,
            1.0,
            s.label,
            transform=top.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=8,
            fontweight="bold",
        )
    bottom.set_xticks(centres, [f"{s.label}\nn = {s.n}" for s in view.strata], fontsize=7.5)
    for axis in (top, bottom):
        axis.set_xlim(-0.6, 3.0 * k - 0.4)
        despine(axis)
    top.set_ylabel(measure_label(view.measure, view.unit))
    unit = f" ({view.unit})" if view.unit else ""
    bottom.set_ylabel(f"Mean change{unit}\nafter − before")
    lines = [f"Paired change {view.title}; {level_text(level)} CI: {how_used or 'none'}"]
    test = group_test_text(view.test)
    if test:
        lines.append(test)
    if small:
        lines.append(small_n_note(small))
    if notes:
        lines.append("; ".join(notes))
    set_title(bottom, "\n".join(lines), fontsize=7.5)
    _pad_bottom_limits(bottom)
    if small:
        handles = [*handles, *_t_ci_handles(level)]
    if handles:
        legend_below(bottom, handles, ncol=3)
    return fig


def _pad_bottom_limits(ax: Axes) -> None:
    lo, hi = ax.get_ylim()
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    span = (hi - lo) or 1.0
    ax.set_ylim(lo - 0.04 * span, hi + 0.04 * span)
