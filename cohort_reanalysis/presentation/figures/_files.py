"""Figures written out: PNG, SVG or PDF files or their contents, through ``savefig``.

Each figure is laid out once for all its files (see :func:`write`), so its PNG and SVG
agree and writing twice gives the same bytes. SVGs are reproducible (no date, fixed ids).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..._atomic import atomic_path
from ._registry import Drawing
from ._style import RC, add_footer

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "DRAWING_MODULES",
    "PNG_OPTIONS",
    "checked_formats",
    "encode_figures",
    "render_drawing",
    "save_figures",
    "write",
]

#: What drawing a figure imports (matplotlib, its PNG and SVG backends, and scipy.stats for
#: the densities): a process that forks drawers can import these once, for all of them.
DRAWING_MODULES: tuple[str, ...] = (
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "matplotlib.backends.backend_svg",
    "scipy.stats",
)

#: Pillow's options for our PNGs: compression level 1 instead of Pillow's 6, the same pixels
#: in about two thirds of the encoding time and files no larger (Pillow's search for the
#: best filter of each row, which no option turns off, is most of the rest; bench/README.md).
PNG_OPTIONS: Mapping[str, Any] = {"compress_level": 1}


def render_drawing(
    drawing: Drawing, kinds: Sequence[str], dpi: int, footer: str | None
) -> dict[str, dict[str, bytes]]:
    """Draw ``drawing`` and render it to ``{name: {format: contents}}``.

    A module-level function of picklable arguments, so that any executor (processes under
    spawn, forkserver or fork) can run it.
    """
    import matplotlib

    fig = drawing.draw()
    if footer is not None:
        add_footer(fig, footer)
    buffers = {kind: io.BytesIO() for kind in kinds}
    with matplotlib.rc_context(_save_rc()):
        write(fig, drawing.name, [(buffers[kind], kind) for kind in kinds], dpi)
    return {drawing.name: {kind: buffer.getvalue() for kind, buffer in buffers.items()}}


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

    Parameters
    ----------
    figures : mapping of str to Figure
        The figures by name, as ``all_figures`` returns them; the name is the file's stem.
    directory : str or Path
        Where to write them.
    dpi : int, default 150
        Resolution of the PNG files.
    formats : iterable of str, default ("png", "svg")
        The formats to write, each at most once.

    Returns
    -------
    list of Path
        The files written, in order.

    Examples
    --------
    >>> import tempfile
    >>> from cohort_reanalysis import load_dataset
    >>> from cohort_reanalysis.presentation.figures import all_figures
    >>> figs = all_figures(load_dataset("matsuoka2025"), names=["before_after"])
    >>> [p.name for p in save_figures(figs, tempfile.mkdtemp())]
    ['before_after.png', 'before_after.svg']
    """
    import matplotlib

    kinds = checked_formats(formats, dpi)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with matplotlib.rc_context(_save_rc()):
        for name, fig in figures.items():
            paths = [folder / f"{name}.{kind}" for kind in kinds]
            with ExitStack() as files:  # each file whole or not at all
                temporary = [files.enter_context(atomic_path(path)) for path in paths]
                write(fig, name, list(zip(temporary, kinds, strict=True)), dpi)
            written += paths
    return written


def encode_figures(
    figures: Mapping[str, Figure], *, format: str = "png", dpi: int = 150
) -> dict[str, bytes | str]:
    """Each figure as PNG bytes (or SVG text), ready to embed in an HTML report.

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset
    >>> from cohort_reanalysis.presentation.figures import all_figures
    >>> figs = all_figures(load_dataset("matsuoka2025"), names=["forest"])
    >>> encode_figures(figs)["forest"][:4]
    b'\\x89PNG'
    """
    import matplotlib

    if format not in ("png", "svg"):
        raise ValueError(f"format must be 'png' or 'svg', got {format!r}")
    checked_formats([format], dpi)
    out: dict[str, bytes | str] = {}
    with matplotlib.rc_context(_save_rc()):
        for name, fig in figures.items():
            buffer = io.BytesIO()
            write(fig, name, [(buffer, format)], dpi)
            data = buffer.getvalue()
            out[name] = data.decode("utf-8") if format == "svg" else data
    return out


def checked_formats(formats: Iterable[str], dpi: int) -> tuple[str, ...]:
    """``formats`` as a tuple, each one checked, and ``dpi`` checked."""
    if dpi <= 0:
        raise ValueError(f"dpi must be positive, got {dpi!r}")
    kinds = tuple([formats] if isinstance(formats, str) else formats)
    for kind in kinds:
        if kind not in ("png", "svg", "pdf"):
            raise ValueError(f"unknown figure format {kind!r}; use 'png', 'svg' or 'pdf'")
    return kinds


def write(fig: Figure, name: str, targets: list[tuple[Any, str]], dpi: int) -> None:
    """Write ``fig`` to each (file or buffer, format), laid out once for all of them.

    Constrained layout is recomputed at each draw and, started from the positions of the
    last draw, does not give exactly the same positions twice. So each write starts from
    the grid, the layout runs once, as a PNG at ``dpi`` would lay it out, and the engine is
    then removed while the files are written: the PNG and the SVG agree, writing twice
    gives the same files, and each file costs one draw (savefig would otherwise lay the
    figure out again before each draw). The layout engine is restored afterwards.
    """
    import matplotlib

    engine = fig.get_layout_engine()
    old_dpi = fig.get_dpi()
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


def _save_rc() -> Any:
    """The local style, plus a fixed SVG id salt so that SVG files are reproducible."""
    return {**RC, "svg.hashsalt": "cohort_reanalysis"}


def _save_options(kind: str, name: str) -> dict[str, Any]:
    title = f"cohort_reanalysis: {name.replace('_', ' ')}"
    if kind == "svg":
        return {"metadata": {"Title": title, "Date": None}}
    if kind == "pdf":
        return {"metadata": {"Title": title, "CreationDate": None}}
    return {"metadata": {"Title": title}, "pil_kwargs": dict(PNG_OPTIONS)}
