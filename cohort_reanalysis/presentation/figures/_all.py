"""Every figure for a dataset: drawn as matplotlib figures, or rendered to file contents,
in this process or on any ``concurrent.futures`` executor of processes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ._caption import caption
from ._files import checked_formats, render_drawing
from ._registry import FIGURE_NAMES, FigureInputs, drawings
from ._style import add_footer

if TYPE_CHECKING:  # pragma: no cover
    from concurrent.futures import Executor

    from matplotlib.figure import Figure

    from ...cohort import Cohort
    from ...verification._audit import Audit

__all__ = ["FIGURE_NAMES", "all_figures", "render_figures"]


def all_figures(
    cohort: Cohort,
    audit: Audit | None = None,
    *,
    names: Iterable[str] | None = None,
    n_resamples: int = 5000,
    seed: int = 0,
    reliability: float = 0.8,
    footer: bool = True,
) -> dict[str, Figure]:
    """Draw every figure for a dataset (or the ones named).

    ``before_after``, ``estimation``, ``severity_subgroups`` (Cumming plot), ``dose_response``
    and ``followup`` (when the cohort has those columns), ``forest`` (every stratification
    at once, with sex when present), ``regression_to_mean`` and, given an audit, ``audit``.
    The strata are the defaults of their analyses: severity splits HbA1c (%) at 8 %, any
    other measure at its median baseline (``severity_cutoffs_for``); dose groups split at
    1000 when that splits the doses, else at the median dose (``dose_thresholds_for``);
    follow-up bands are 12 and 36 months, terciles for other units (``followup_bands_for``).
    Cutoffs of our choosing are rounded to 3 significant digits. Each figure gets the
    provenance caption (:func:`caption`) in a strip at its foot.

    Parameters
    ----------
    cohort : Cohort
    audit : Audit, optional
        From :func:`~cohort_reanalysis.verification._audit.verify` on the same cohort.
    names : iterable of str, optional
        Draw only these figures (names from ``FIGURE_NAMES``); each computes only the
        analyses it shows.
    n_resamples : int, default 5000
        Bootstrap resamples for the estimation plots.
    seed : int, default 0
        Seed of the bootstraps and of the dose jitter.
    reliability : float, default 0.8
        Test–retest reliability assumed by the regression-to-the-mean line.
    footer : bool, default True
        Print the provenance caption under each figure.

    Returns
    -------
    dict of str to matplotlib.figure.Figure
        In the order of ``FIGURE_NAMES``. Figures are not attached to pyplot: drop them
        and they are garbage-collected.

    Raises
    ------
    ValueError
        If a name in ``names`` is not a figure this dataset has (``audit`` needs an audit,
        ``dose_response`` and ``followup`` need those columns).

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset
    >>> figures = all_figures(load_dataset("matsuoka2025"), n_resamples=500)
    >>> list(figures)[:3]
    ['before_after', 'estimation', 'severity_subgroups']
    >>> list(all_figures(load_dataset("matsuoka2025"), names=["forest"]))
    ['forest']
    """
    inputs = FigureInputs(
        cohort, audit, n_resamples=n_resamples, seed=seed, reliability=reliability
    )
    figures = {drawing.name: drawing.draw() for drawing in drawings(inputs, names)}
    if footer:
        text = caption(cohort)
        for fig in figures.values():
            add_footer(fig, text)
    return figures


def render_figures(
    cohort: Cohort,
    audit: Audit | None = None,
    *,
    names: Iterable[str] | None = None,
    formats: Iterable[str] = ("png", "svg"),
    dpi: int = 150,
    executor: Executor | None = None,
    n_resamples: int = 5000,
    seed: int = 0,
    reliability: float = 0.8,
    footer: bool = True,
) -> dict[str, dict[str, bytes]]:
    """Draw every figure for a dataset and render each to file contents (PNG and SVG).

    The same figures as :func:`all_figures` (same options), written as
    :func:`save_figures` writes them, but returned as bytes. The analyses are
    computed here; given an ``executor``, each figure is then drawn and rendered as a task
    of its own, the audit figure (the costliest) first: matplotlib draws in one thread, so
    worker processes are the way to use more than one core.

    Parameters
    ----------
    cohort, audit, names, n_resamples, seed, reliability, footer
        As for :func:`all_figures`.
    formats : iterable of str, default ("png", "svg")
        Any of ``"png"``, ``"svg"``, ``"pdf"``.
    dpi : int, default 150
        Resolution of the PNG.
    executor : concurrent.futures.Executor, optional
        Worker processes to draw the figures in, e.g. a ``ProcessPoolExecutor`` under any
        start method (each task is sent the results its figure shows, not the table).
        ``None`` draws them one after the other here. Not threads: matplotlib's style
        settings are global to a process, so figures drawn side by side in threads could
        take each other's.

    Returns
    -------
    dict of str to dict of str to bytes
        ``{figure name: {format: contents}}``, figures in the order of ``FIGURE_NAMES``.
        The contents are the same whichever executor drew them.

    Raises
    ------
    ValueError
        For an unknown figure name or format, a ``dpi`` below 1, or a thread pool.

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset
    >>> files = render_figures(load_dataset("matsuoka2025"), names=["forest"], formats=["png"])
    >>> files["forest"]["png"][:4]
    b'\\x89PNG'
    """
    from concurrent.futures import ThreadPoolExecutor

    kinds = checked_formats(formats, dpi)
    if isinstance(executor, ThreadPoolExecutor):
        raise ValueError(
            "figures cannot be drawn in threads (matplotlib's settings are global to a "
            "process); pass a ProcessPoolExecutor, or executor=None"
        )
    inputs = FigureInputs(
        cohort, audit, n_resamples=n_resamples, seed=seed, reliability=reliability
    )
    todo = drawings(inputs, names)
    text = caption(cohort) if footer else None
    done: dict[str, dict[str, bytes]] = {}
    if executor is None:
        for drawing in todo:
            done.update(render_drawing(drawing, kinds, dpi, text))
    else:
        costliest_first = sorted(todo, key=lambda drawing: drawing.name != "audit")
        futures = [executor.submit(render_drawing, d, kinds, dpi, text) for d in costliest_first]
        for future in futures:
            done.update(future.result())
    return {drawing.name: done[drawing.name] for drawing in todo}
