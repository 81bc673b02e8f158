"""Every figure for a dataset, and writing them out (PNG and SVG) or encoding them for HTML."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ...analyses._dose import dose_response
from ...analyses._followup import followup_effect
from ...analyses._paired import PairedChangeResult, paired_change
from ...analyses._rtm import regression_to_mean
from ...analyses._subgroups import severity_subgroups
from ...cohort import Cohort
from ._audit import plot_audit
from ._caption import caption
from ._dose import plot_dose_response
from ._estimation import plot_estimation, plot_subgroup_estimates
from ._followup import plot_followup
from ._forest import plot_forest
from ._paired import plot_before_after
from ._rtm import plot_regression_to_mean
from ._style import RC, add_footer

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from ...verification._audit import Audit

__all__ = ["FIGURE_NAMES", "all_figures", "encode_figures", "save_figures"]

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


def all_figures(
    cohort: Cohort,
    audit: Audit | None = None,
    *,
    n_resamples: int = 5000,
    seed: int = 0,
    reliability: float = 0.8,
    footer: bool = True,
) -> dict[str, Figure]:
    """Draw every figure for a dataset.

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

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset
    >>> figures = all_figures(load_dataset("matsuoka2025"), n_resamples=500)
    >>> list(figures)[:3]
    ['before_after', 'estimation', 'severity_subgroups']
    """
    paired = paired_change(cohort)
    figures: dict[str, Any] = {
        "before_after": plot_before_after(paired).get_figure(),
        "estimation": plot_estimation(paired, n_resamples=n_resamples, seed=seed).get_figure(),
    }
    baseline = np.asarray(paired.pairs.before, dtype=np.float64)
    severity = severity_subgroups(cohort, cutoffs=_severity_cutoffs(cohort, baseline))
    figures["severity_subgroups"] = plot_subgroup_estimates(
        severity, n_resamples=n_resamples, seed=seed
    )
    sections: dict[str, Any] = {"Baseline severity": severity}
    if cohort.column("dose") is not None:
        dose_pairs = cohort.pair(require=("dose",))
        dose = dose_response(
            cohort,
            thresholds=_dose_thresholds(np.asarray(dose_pairs.extra["dose"], dtype=np.float64)),
        )
        spec = cohort.column("dose")
        figures["dose_response"] = plot_dose_response(
            dose, seed=seed, dose_label=spec.display if spec is not None else None
        ).get_figure()
        sections["Dose group"] = dose
    if cohort.column("followup") is not None:
        pairs = cohort.pair(require=("followup",))
        spec = cohort.column("followup")
        bands = _followup_bands(
            spec.unit if spec is not None else None,
            np.asarray(pairs.extra["followup"], dtype=np.float64),
        )
        followup = followup_effect(cohort, bands=bands)
        figures["followup"] = plot_followup(followup).get_figure()
        sections["Follow-up"] = followup
    sex = _by_category(cohort, "sex")
    if sex is not None:
        sections["Sex"] = sex
    figures["forest"] = plot_forest(sections, overall=paired).get_figure()
    rtm = regression_to_mean(cohort, reliability=reliability)
    figures["regression_to_mean"] = plot_regression_to_mean(rtm).get_figure()
    if audit is not None:
        figures["audit"] = plot_audit(audit, cohort=cohort).get_figure()
    if footer:
        text = caption(cohort)
        for fig in figures.values():
            add_footer(fig, text)
    return figures


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
    >>> figs = {"before_after": all_figures(load_dataset("matsuoka2025"))["before_after"]}
    >>> [p.name for p in save_figures(figs, tempfile.mkdtemp())]
    ['before_after.png', 'before_after.svg']
    """
    import matplotlib

    if dpi <= 0:
        raise ValueError(f"dpi must be positive, got {dpi!r}")
    kinds = tuple(formats)
    for kind in kinds:
        if kind not in ("png", "svg", "pdf"):
            raise ValueError(f"unknown figure format {kind!r}; use 'png', 'svg' or 'pdf'")
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
    >>> figs = all_figures(load_dataset("matsuoka2025"), n_resamples=500)
    >>> encode_figures(figs)["forest"][:4]
    b'\\x89PNG'
    """
    import matplotlib

    if format not in ("png", "svg"):
        raise ValueError(f"format must be 'png' or 'svg', got {format!r}")
    out: dict[str, bytes | str] = {}
    with matplotlib.rc_context(_save_rc()):
        for name, fig in figures.items():
            buffer = io.BytesIO()
            _write(fig, name, [(buffer, format)], dpi)
            data = buffer.getvalue()
            out[name] = data.decode("utf-8") if format == "svg" else data
    return out


def _write(fig: Figure, name: str, targets: list[tuple[Any, str]], dpi: int) -> None:
    """Write ``fig`` to each (file or buffer, format), laid out once for all of them.

    Constrained layout is recomputed at each draw and, started from the positions of the
    last draw, does not give exactly the same positions twice. So each write starts from
    the grid on a fresh canvas (no text sizes cached under other settings), the layout runs
    once, in an Agg draw at ``dpi`` (the first PNG's, or a draw of its own), and is then
    frozen for the others: the PNG and the SVG agree,
    writing twice gives the same files, and the layout is computed once. The layout engine
    and canvas are restored afterwards.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    engine = fig.get_layout_engine()
    canvas = fig.canvas
    FigureCanvasAgg(fig)
    if engine is not None:
        for ax in fig.axes:  # start from the grid, as a fresh figure does
            spec = ax.get_subplotspec()
            if spec is not None:
                ax.set_position(spec.get_position(fig))
                ax.set_in_layout(True)  # set_position takes the axes out of the layout
    first_lays_out = engine is not None and targets[0][1] == "png"
    try:
        if engine is not None and not first_lays_out:
            # Lay out as a PNG draw at this dpi would, so every format gets one layout.
            old_dpi = fig.get_dpi()
            fig.set_dpi(dpi)
            fig.draw_without_rendering()
            fig.set_dpi(old_dpi)
            fig.set_layout_engine("none")
        for i, (target, kind) in enumerate(targets):
            fig.savefig(target, format=kind, dpi=dpi, metadata=_metadata(kind, name))
            if i == 0 and first_lays_out:
                fig.set_layout_engine("none")
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)
        fig.set_canvas(canvas)


def _save_rc() -> Any:
    """The local style, plus a fixed SVG id salt so that SVG files are reproducible."""
    return {**RC, "svg.hashsalt": "cohort_reanalysis"}


def _metadata(kind: str, name: str) -> dict[str, Any]:
    title = f"cohort_reanalysis: {name.replace('_', ' ')}"
    if kind == "svg":
        return {"Title": title, "Date": None}
    if kind == "pdf":
        return {"Title": title, "CreationDate": None}
    return {"Title": title}
