"""Every figure for a dataset, and writing them out (PNG and SVG) or encoding them for HTML."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ...analyses._dose import dose_response
from ...analyses._followup import followup_effect
from ...analyses._paired import PairedChangeResult, paired_change
from ...analyses._rtm import regression_to_mean
from ...analyses._subgroups import severity_subgroups
from ...cohort import Cohort
from ._audit import AuditSummary, plot_audit
from ._caption import caption
from ._dose import plot_dose_response
from ._estimation import plot_estimation, plot_subgroup_estimates
from ._followup import plot_followup
from ._forest import plot_forest
from ._paired import plot_before_after
from ._rtm import plot_regression_to_mean
from ._style import RC, add_footer

if TYPE_CHECKING:  # pragma: no cover
    from concurrent.futures import Executor, Future

    from matplotlib.figure import Figure

    from ...verification._audit import Audit

__all__ = [
    "FIGURE_NAMES",
    "FigureJob",
    "all_figures",
    "drawing_order",
    "encode_figures",
    "figure_job",
    "figure_names",
    "render_figures",
    "save_figures",
    "warm_up",
]

#: The figures :func:`all_figures` can draw, in order (absent columns skip theirs).
FIGURE_NAMES = (
    "before_after",
    "estimation",
    "severity_subgroups",
    "dose_response",
    "followup",
    "forest",
    "regression_to_mean",
    "audit",
)


def _round3(values: np.ndarray) -> tuple[float, ...]:
    """Cutoffs of our own choosing, to 3 significant digits (they label the strata)."""
    return tuple(float(v) for v in np.unique([float(f"{x:.3g}") for x in values]))


def _severity_cutoffs(cohort: Cohort, baseline: np.ndarray) -> tuple[float, ...]:
    """HbA1c in %: the usual 8 % split; any other measure: its median baseline."""
    measure = (cohort.measure or "").casefold()
    if measure == "hba1c" and cohort.unit == "%":
        return (8.0,)
    return _round3(np.array([np.median(baseline)]))


def _dose_thresholds(dose: np.ndarray) -> tuple[float, ...]:
    """The analysis's 1000 when it splits the doses; otherwise the median dose."""
    if np.any(dose < 1000.0) and np.any(dose >= 1000.0):
        return (1000.0,)
    return _round3(np.array([np.median(dose)]))


def _followup_bands(unit: str | None, times: np.ndarray) -> tuple[float, ...]:
    """12 and 36 months when follow-up is in months; otherwise its terciles."""
    if unit and "month" in unit.casefold():
        return (12.0, 36.0)
    return _round3(np.quantile(times, [1.0 / 3.0, 2.0 / 3.0]))


def _by_category(cohort: Cohort, name: str) -> dict[str, PairedChangeResult] | None:
    """Paired change within each level of a categorical column (e.g. sex)."""
    if cohort.column(name) is None:
        return None
    pairs = cohort.pair(require=(name,))
    levels = np.asarray(pairs.extra[name], dtype=object)
    out: dict[str, PairedChangeResult] = {}
    for level in sorted({str(v) for v in levels}):
        mask = np.array([str(v) == level for v in levels], dtype=bool)
        out[f"{name} = {level}"] = paired_change(pairs.select(mask))
    return out or None


class _Builder:
    """Computes what any one figure of a dataset shows, each analysis once, on first need
    (cached properties).

    Figures share analyses (the forest plot reuses the severity strata, the dose groups and
    the follow-up bands), so the figures asked for compute only what they need.
    """

    def __init__(
        self,
        cohort: Cohort,
        audit: Audit | None,
        *,
        n_resamples: int,
        seed: int,
        reliability: float,
    ) -> None:
        self.cohort = cohort
        self.audit = audit
        self.n_resamples = n_resamples
        self.seed = seed
        self.reliability = reliability

    def names(self) -> list[str]:
        """The figures this dataset can have, in the order of ``FIGURE_NAMES``."""
        return figure_names(self.cohort, self.audit)

    @cached_property
    def paired(self) -> PairedChangeResult:
        return paired_change(self.cohort)

    @cached_property
    def severity(self) -> Any:
        baseline = np.asarray(self.paired.pairs.before, dtype=np.float64)
        return severity_subgroups(self.cohort, cutoffs=_severity_cutoffs(self.cohort, baseline))

    @cached_property
    def dose(self) -> Any:
        doses = self.cohort.pair(require=("dose",)).extra["dose"]
        thresholds = _dose_thresholds(np.asarray(doses, dtype=np.float64))
        return dose_response(self.cohort, thresholds=thresholds)

    @cached_property
    def followup(self) -> Any:
        times = self.cohort.pair(require=("followup",)).extra["followup"]
        spec = self.cohort.column("followup")
        unit = spec.unit if spec is not None else None
        bands = _followup_bands(unit, np.asarray(times, dtype=np.float64))
        return followup_effect(self.cohort, bands=bands)

    def drawing(self, name: str) -> _Drawing:
        """The figure called ``name`` (one of :meth:`names`), computed and ready to draw."""
        if name == "before_after":
            return _Drawing(name, plot_before_after, (self.paired,))
        resampling = {"n_resamples": self.n_resamples, "seed": self.seed}
        if name == "estimation":
            return _Drawing(name, plot_estimation, (self.paired,), resampling)
        if name == "severity_subgroups":
            return _Drawing(name, plot_subgroup_estimates, (self.severity,), resampling)
        if name == "dose_response":
            spec = self.cohort.column("dose")
            label = spec.display if spec is not None else None
            return _Drawing(
                name, plot_dose_response, (self.dose,), {"seed": self.seed, "dose_label": label}
            )
        if name == "followup":
            return _Drawing(name, plot_followup, (self.followup,))
        if name == "forest":
            sections: dict[str, Any] = {"Baseline severity": self.severity}
            if self.cohort.column("dose") is not None:
                sections["Dose group"] = self.dose
            if self.cohort.column("followup") is not None:
                sections["Follow-up"] = self.followup
            sex = _by_category(self.cohort, "sex")
            if sex is not None:
                sections["Sex"] = sex
            return _Drawing(name, plot_forest, (sections,), {"overall": self.paired})
        if name == "regression_to_mean":
            rtm = regression_to_mean(self.cohort, reliability=self.reliability)
            return _Drawing(name, plot_regression_to_mean, (rtm,))
        if name == "audit" and self.audit is not None:
            return _Drawing(name, plot_audit, (AuditSummary.of(self.audit),))
        raise ValueError(
            f"no figure called {name!r} for this dataset; it has {', '.join(self.names())}"
        )


@dataclass(frozen=True)
class _Drawing:
    """One figure, computed and ready to draw: its plot function and what it shows.

    It holds analysis results and plain values, never the table or the audit, so it pickles
    small and a worker unpickles it without pandas or the verification modules.
    """

    name: str
    plot: Callable[..., Any]
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    def draw(self) -> Figure:
        from matplotlib.figure import Figure

        drawn = self.plot(*self.args, **self.kwargs)  # an Axes, or a multi-panel Figure
        return drawn if isinstance(drawn, Figure) else drawn.get_figure()


@dataclass(frozen=True)
class FigureJob:
    """Figures computed and ready to render to file contents (made by :func:`figure_job`).

    All the statistics are done: rendering only draws and encodes, so a worker that renders
    a job needs matplotlib and numpy, not the table.
    """

    drawings: tuple[_Drawing, ...]
    formats: tuple[str, ...]
    dpi: int
    footer: str | None

    def render(self, executor: Executor | None = None) -> dict[str, dict[str, bytes]]:
        """``{figure name: {format: contents}}``; see :func:`render_figures`."""
        if executor is None:
            return _render(self.drawings, self.formats, self.dpi, self.footer)
        done: dict[str, dict[str, bytes]] = {}
        for future in self.submit(executor):
            done.update(future.result())
        return {drawing.name: done[drawing.name] for drawing in self.drawings}

    def submit(self, executor: Executor) -> list[Future[dict[str, dict[str, bytes]]]]:
        """Start each figure on ``executor`` as a task of its own (see :func:`drawing_order`).

        Each future gives ``{name: {format: contents}}`` for its figure.
        """
        from concurrent.futures import ThreadPoolExecutor

        if isinstance(executor, ThreadPoolExecutor):
            raise ValueError(
                "figures cannot be drawn in threads (matplotlib's settings are global to a "
                "process); pass a ProcessPoolExecutor, or executor=None"
            )
        return [executor.submit(one.render) for one in drawing_order([self])]


def drawing_order(jobs: Iterable[FigureJob]) -> list[FigureJob]:
    """``jobs`` split into jobs of one figure each, in the order to draw them side by side:
    the audit figure carries most of the text, so it goes first, and the rest fill in
    beside it."""
    singles = [
        FigureJob((drawing,), job.formats, job.dpi, job.footer)
        for job in jobs
        for drawing in job.drawings
    ]
    return sorted(singles, key=lambda one: one.drawings[0].name != "audit")


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
    Severity strata split HbA1c (%) at 8 %, any other measure at its median baseline; dose
    groups split at 1000 (the analysis's default) when that splits the doses, else at the
    median dose; follow-up bands are 12 and 36 months (terciles for other units). Cutoffs
    of our choosing are rounded to 3 significant digits. Each figure gets the
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
    builder = _Builder(cohort, audit, n_resamples=n_resamples, seed=seed, reliability=reliability)
    wanted = builder.names() if names is None else _checked_names(names, builder.names())
    figures = {name: builder.drawing(name).draw() for name in wanted}
    if footer:
        text = caption(cohort)
        for fig in figures.values():
            add_footer(fig, text)
    return figures


def _checked_names(names: Iterable[str], available: list[str]) -> list[str]:
    """``names`` in the order of ``FIGURE_NAMES``, each one checked, none twice."""
    asked = [names] if isinstance(names, str) else list(names)
    unknown = [name for name in asked if name not in available]
    if unknown:
        raise ValueError(
            f"no figure called {', '.join(map(repr, unknown))} for this dataset; "
            f"it has {', '.join(available)}"
        )
    return [name for name in available if name in asked]


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

    The same figures as :func:`all_figures` (same options), written as :func:`save_figures`
    writes them, but returned as bytes. The analyses are computed here; given an
    ``executor``, each figure is then drawn and rendered as a task of its own, the costliest
    first: matplotlib draws in one thread, so worker processes are the way to use more than
    one core.

    Parameters
    ----------
    cohort, audit, names, n_resamples, seed, reliability, footer
        As for :func:`all_figures`.
    formats : iterable of str, default ("png", "svg")
        Any of ``"png"``, ``"svg"``, ``"pdf"``.
    dpi : int, default 150
        Resolution of the PNG.
    executor : concurrent.futures.Executor, optional
        Worker processes to draw the figures in, e.g. a ``ProcessPoolExecutor`` (each is
        sent the results its figure shows, not the table). ``None`` draws them one after
        the other here. Not threads: matplotlib's style settings are global to a process,
        so figures drawn side by side in threads could take each other's.

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
    job = figure_job(
        cohort,
        audit,
        names=names,
        formats=formats,
        dpi=dpi,
        n_resamples=n_resamples,
        seed=seed,
        reliability=reliability,
        footer=footer,
    )
    return job.render(executor)


def figure_names(cohort: Cohort, audit: Audit | None = None) -> list[str]:
    """The figures :func:`render_figures` draws for ``cohort`` (and ``audit``), in the order
    of ``FIGURE_NAMES``: absent columns skip theirs, and ``audit`` needs an audit."""
    skip = {
        "dose_response": cohort.column("dose") is None,
        "followup": cohort.column("followup") is None,
        "audit": audit is None,
    }
    return [name for name in FIGURE_NAMES if not skip.get(name, False)]


def figure_job(
    cohort: Cohort,
    audit: Audit | None = None,
    *,
    names: Iterable[str] | None = None,
    formats: Iterable[str] = ("png", "svg"),
    dpi: int = 150,
    n_resamples: int = 5000,
    seed: int = 0,
    reliability: float = 0.8,
    footer: bool = True,
) -> FigureJob:
    """The figures of :func:`render_figures` (same options), computed here and ready to be
    rendered anywhere: ``figure_job(...).render(executor)`` is ``render_figures``.

    Raises
    ------
    ValueError
        As :func:`render_figures`.
    """
    kinds = _checked_formats(formats, dpi)
    builder = _Builder(cohort, audit, n_resamples=n_resamples, seed=seed, reliability=reliability)
    wanted = builder.names() if names is None else _checked_names(names, builder.names())
    drawings = tuple(builder.drawing(name) for name in wanted)
    return FigureJob(drawings, kinds, dpi, caption(cohort) if footer else None)


def _render(
    drawings: Sequence[_Drawing], kinds: tuple[str, ...], dpi: int, footer: str | None
) -> dict[str, dict[str, bytes]]:
    """Draw and render ``drawings`` (a module-level function, so executors can pickle it)."""
    import matplotlib

    out: dict[str, dict[str, bytes]] = {}
    for drawing in drawings:
        fig = drawing.draw()
        if footer is not None:
            add_footer(fig, footer)
        buffers = {kind: io.BytesIO() for kind in kinds}
        with matplotlib.rc_context(_save_rc()):
            _write(fig, drawing.name, [(buffers[kind], kind) for kind in kinds], dpi)
        out[drawing.name] = {kind: buffer.getvalue() for kind, buffer in buffers.items()}
    return out


def warm_up() -> None:
    """Import and exercise what drawing needs, so that a worker's first figure costs no more
    than its others (an ``initializer`` for worker processes)."""
    import matplotlib
    import matplotlib.backends.backend_agg
    import matplotlib.backends.backend_svg
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_save_rc()):
        fig = Figure(figsize=(1.0, 1.0))
        fig.text(0.5, 0.5, "0123456789 n = (%)")
        _write(fig, "warm_up", [(io.BytesIO(), "png"), (io.BytesIO(), "svg")], 72)


def save_figures(
    figures: Mapping[str, Figure],
    directory: str | Path,
    *,
    dpi: int = 150,
    formats: Iterable[str] = ("png", "svg"),
) -> list[Path]:
    """Write each figure as ``<directory>/<name>.<format>`` (PNG at ``dpi``, and SVG).

    The directory is created if needed. The figure is laid out once for all its files, and
    SVG output is reproducible (no date, fixed ids, same layout), so the files can be
    committed and diffed.

    Returns
    -------
    list of Path
        The files written, in order.

    Examples
    --------
    >>> import tempfile
    >>> from cohort_reanalysis import load_dataset
    >>> figs = all_figures(load_dataset("matsuoka2025"), names=["before_after"])
    >>> [p.name for p in save_figures(figs, tempfile.mkdtemp())]
    ['before_after.png', 'before_after.svg']
    """
    import matplotlib

    kinds = _checked_formats(formats, dpi)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with matplotlib.rc_context(_save_rc()):
        for name, fig in figures.items():
            paths = [folder / f"{name}.{kind}" for kind in kinds]
            _write(fig, name, list(zip(paths, kinds, strict=True)), dpi)
            written += paths
    return written


def encode_figures(
    figures: Mapping[str, Figure], *, format: str = "png", dpi: int = 150
) -> dict[str, bytes | str]:
    """Each figure as PNG bytes (or SVG text), ready to embed in an HTML report.

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset
    >>> figs = all_figures(load_dataset("matsuoka2025"), names=["forest"])
    >>> encode_figures(figs)["forest"][:4]
    b'\\x89PNG'
    """
    import matplotlib

    if format not in ("png", "svg"):
        raise ValueError(f"format must be 'png' or 'svg', got {format!r}")
    _checked_formats([format], dpi)
    out: dict[str, bytes | str] = {}
    with matplotlib.rc_context(_save_rc()):
        for name, fig in figures.items():
            buffer = io.BytesIO()
            _write(fig, name, [(buffer, format)], dpi)
            data = buffer.getvalue()
            out[name] = data.decode("utf-8") if format == "svg" else data
    return out


def _checked_formats(formats: Iterable[str], dpi: int) -> tuple[str, ...]:
    if dpi <= 0:
        raise ValueError(f"dpi must be positive, got {dpi!r}")
    kinds = tuple([formats] if isinstance(formats, str) else formats)
    for kind in kinds:
        if kind not in ("png", "svg", "pdf"):
            raise ValueError(f"unknown figure format {kind!r}; use 'png', 'svg' or 'pdf'")
    return kinds


def _write(fig: Figure, name: str, targets: list[tuple[Any, str]], dpi: int) -> None:
    """Write ``fig`` to each (file or buffer, format), laid out once for all of them.

    Constrained layout is recomputed at each draw and, started from the positions of the
    last draw, does not give exactly the same positions twice. So each write starts from
    the grid on a fresh canvas (no text sizes cached under other settings), the layout runs
    once, as a PNG at ``dpi`` would lay it out, and the engine is then removed while the
    files are written: the PNG and the SVG agree, writing twice gives the same files, and
    each file costs one draw (savefig would otherwise lay the figure out again before each
    draw). The canvas is a :class:`~._canvas.TextRunCanvas` (Agg, text drawn a string at a
    time). The layout engine and canvas are restored afterwards.
    """
    import matplotlib

    from ._canvas import TextRunCanvas

    engine = fig.get_layout_engine()
    canvas = fig.canvas
    old_dpi = fig.get_dpi()
    TextRunCanvas(fig)
    try:
        if engine is not None:
            for ax in fig.axes:  # start from the grid, as a fresh figure does
                spec = ax.get_subplotspec()
                if spec is not None:
                    ax.set_position(spec.get_position(fig))
                    ax.set_in_layout(True)  # set_position takes the axes out of the layout
            fig.set_dpi(dpi)
            engine.execute(fig)
            fig.set_dpi(old_dpi)
            # None (not "none", which leaves a placeholder engine that savefig lays out for)
            # only while neither rcParam asks for a layout engine by default.
            with matplotlib.rc_context(
                {"figure.autolayout": False, "figure.constrained_layout.use": False}
            ):
                fig.set_layout_engine(None)
        for target, kind in targets:
            fig.savefig(target, format=kind, dpi=dpi, **_save_options(kind, name))
    finally:
        fig.set_dpi(old_dpi)
        if engine is not None:
            fig.set_layout_engine(engine)
        fig.set_canvas(canvas)


def _save_rc() -> Any:
    """The local style, plus a fixed SVG id salt so that SVG files are reproducible."""
    return {**RC, "svg.hashsalt": "cohort_reanalysis"}


def _save_options(kind: str, name: str) -> dict[str, Any]:
    title = f"cohort_reanalysis: {name.replace('_', ' ')}"
    if kind == "svg":
        return {"metadata": {"Title": title, "Date": None}}
    if kind == "pdf":
        return {"metadata": {"Title": title, "CreationDate": None}}
    # No pil_kwargs: TextRunCanvas then encodes the PNG itself (see _canvas.encode_png).
    return {"metadata": {"Title": title}}
