"""Rendering figures to files: one layout per figure, any executor, the same bytes."""

from __future__ import annotations

import io
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from cohort_reanalysis import load_dataset, verify
from cohort_reanalysis.presentation.figures import (
    FIGURE_NAMES,
    all_figures,
    encode_figures,
    render_figures,
    save_figures,
)

FAST = {"n_resamples": 200}


@pytest.fixture(scope="module")
def cohort() -> Any:
    return load_dataset("matsuoka2025")


@pytest.fixture(scope="module")
def audit(cohort: Any) -> Any:
    return verify(cohort)


@pytest.fixture(scope="module")
def serial(cohort: Any, audit: Any) -> dict[str, dict[str, bytes]]:
    return render_figures(cohort, audit, **FAST)


def test_every_figure_in_both_formats(serial: dict[str, dict[str, bytes]]) -> None:
    assert list(serial) == list(FIGURE_NAMES)
    for name, files in serial.items():
        assert list(files) == ["png", "svg"], name
        assert files["png"].startswith(b"\x89PNG"), name
        assert files["svg"].lstrip().startswith(b"<?xml"), name


def test_the_same_bytes_as_saving_the_figures(
    cohort: Any, audit: Any, serial: dict[str, dict[str, bytes]], tmp_path: Path
) -> None:
    figures = all_figures(cohort, audit, **FAST)
    for path in save_figures(figures, tmp_path):
        assert path.read_bytes() == serial[path.stem][path.suffix[1:]], path.name
    # and saving laid the figure out without leaving it changed: saving again is the same
    again = save_figures({"forest": figures["forest"]}, tmp_path / "again")
    assert [p.read_bytes() for p in again] == [serial["forest"]["png"], serial["forest"]["svg"]]
    assert "ConstrainedLayout" in type(figures["forest"].get_layout_engine()).__name__


@pytest.mark.parametrize("kind", ["fork", "spawn"])
def test_any_executor_gives_the_same_files(
    kind: str, cohort: Any, audit: Any, serial: dict[str, dict[str, bytes]]
) -> None:
    names = ["before_after", "forest", "audit"] if kind == "spawn" else None
    if kind not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {kind} start method here")
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context(kind)) as executor:
        files = render_figures(cohort, audit, names=names, executor=executor, **FAST)
    assert list(files) == (names or list(FIGURE_NAMES))  # in FIGURE_NAMES order
    for name, contents in files.items():
        assert contents == serial[name], name


def test_threads_are_refused(cohort: Any) -> None:
    # rc_context changes matplotlib's process-wide settings while a figure is drawn: figures
    # drawn side by side in threads came out with each other's styles (seen in SVGs).
    with ThreadPoolExecutor(2) as executor, pytest.raises(ValueError, match="threads"):
        render_figures(cohort, executor=executor)


def test_names_select_figures_in_their_order(cohort: Any, audit: Any) -> None:
    files = render_figures(cohort, audit, names=["forest", "before_after"], formats=["png"])
    assert list(files) == ["before_after", "forest"]
    assert list(all_figures(cohort, names="forest", **FAST)) == ["forest"]


def test_unknown_names_formats_and_dpi_are_refused(cohort: Any) -> None:
    with pytest.raises(ValueError, match=r"no figure called 'audit'.*it has before_after"):
        all_figures(cohort, names=["audit"])  # no audit given
    with pytest.raises(ValueError, match="'scatter'"):
        render_figures(cohort, names=["scatter"])
    with pytest.raises(ValueError, match="'gif'"):
        render_figures(cohort, formats=["gif"])
    with pytest.raises(ValueError, match="dpi must be positive"):
        render_figures(cohort, dpi=0)


def test_png_resolution_and_pdf(cohort: Any) -> None:
    from PIL import Image

    files = render_figures(cohort, names=["followup"], formats=("png", "pdf"), dpi=200)
    with Image.open(io.BytesIO(files["followup"]["png"])) as im:
        assert im.info["dpi"] == pytest.approx((200, 200), abs=0.5)
    assert files["followup"]["pdf"].startswith(b"%PDF")


def test_encode_matches_render(cohort: Any, serial: dict[str, dict[str, bytes]]) -> None:
    figures = all_figures(cohort, names=["regression_to_mean"], **FAST)
    svg = encode_figures(figures, format="svg")["regression_to_mean"]
    assert isinstance(svg, str) and svg.encode("utf-8") == serial["regression_to_mean"]["svg"]


def test_rendering_changes_no_global_setting(cohort: Any) -> None:
    import matplotlib

    before = dict(matplotlib.rcParams)
    render_figures(cohort, names=["before_after"], formats=["png", "svg"], **FAST)
    assert dict(matplotlib.rcParams) == before
