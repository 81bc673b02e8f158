"""TextRunCanvas draws text where, and as dark as, matplotlib's own Agg canvas does."""

from __future__ import annotations

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from cohort_reanalysis.presentation.figures._canvas import TextRunCanvas  # noqa: E402


def _pixels(canvas_class: type, **text: object) -> np.ndarray:
    fig = Figure(figsize=(3.0, 3.0), dpi=150)
    fig.text(0.5, 0.5, **text)  # type: ignore[arg-type]
    canvas = canvas_class(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].astype(float)


def _ink(pixels: np.ndarray) -> tuple[tuple[int, int, int, int], float]:
    """Bounding box (rows, columns) of the inked pixels, and the total ink."""
    darkness = 255.0 - pixels.mean(axis=2)
    rows = np.flatnonzero(darkness.max(axis=1) > 40)
    cols = np.flatnonzero(darkness.max(axis=0) > 40)
    return (rows[0], rows[-1], cols[0], cols[-1]), float(darkness.sum())


@pytest.mark.parametrize(
    "text",
    [
        {"s": "HbA1c (%) n = 58, p = 1.1e-06"},
        {"s": "Mean change −0.79 (95 % CI −1.0 to −0.5)", "ha": "center", "va": "center"},
        {"s": "HbA1c (%)", "rotation": 90, "ha": "right", "va": "top"},
        {"s": "dose ≥ 1000 million cells", "rotation": 30},
        {"s": "Welch t = −1.67", "rotation": -45, "ha": "center"},
        {"s": "two lines\nof text, left", "multialignment": "left", "fontsize": 7},
        {"s": "bold and large", "fontweight": "bold", "fontsize": 14},
        {"s": "not anti-aliased", "antialiased": False},
        {"s": r"mathtext $\mu \pm \sigma^2$"},  # goes through matplotlib's own path
    ],
)
def test_text_lands_where_agg_puts_it(text: dict[str, object]) -> None:
    ours = _pixels(TextRunCanvas, **text)
    theirs = _pixels(FigureCanvasAgg, **text)
    (box_ours, ink_ours), (box_theirs, ink_theirs) = _ink(ours), _ink(theirs)
    # Glyphs may sit a sub-pixel apart, which can move an anti-aliased edge by one pixel.
    assert np.abs(np.subtract(box_ours, box_theirs)).max() <= 1
    assert ink_ours == pytest.approx(ink_theirs, rel=0.03)


def test_a_text_moved_by_two_pixels_is_caught() -> None:
    """The comparison above can fail: a text 2 px off is outside its tolerance."""
    fig = Figure(figsize=(3.0, 3.0), dpi=150)
    fig.text(0.5 + 2.0 / 450.0, 0.5, "HbA1c (%)")
    canvas = TextRunCanvas(fig)
    canvas.draw()
    moved = np.asarray(canvas.buffer_rgba())[..., :3].astype(float)
    box_moved, _ = _ink(moved)
    box_agg, _ = _ink(_pixels(FigureCanvasAgg, s="HbA1c (%)"))
    assert np.abs(np.subtract(box_moved, box_agg)).max() >= 2


def test_a_new_size_or_dpi_gets_a_new_renderer() -> None:
    fig = Figure(figsize=(2.0, 1.0), dpi=100)
    canvas = TextRunCanvas(fig)
    first = canvas.get_renderer()
    assert canvas.get_renderer() is first
    fig.set_dpi(150)
    second = canvas.get_renderer()
    assert second is not first
    assert (second.width, second.height) == (300, 150)
