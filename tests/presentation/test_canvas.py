"""TextRunCanvas draws text where, and as dark as, matplotlib's own Agg canvas does, and
its PNG files hold the same pixels, dpi and metadata (read back by Pillow)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from cohort_reanalysis.presentation.figures._canvas import TextRunCanvas, encode_png


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


def _texts_figure() -> Figure:
    fig = Figure(figsize=(3.0, 2.0), dpi=150)
    ax = fig.add_subplot()
    ax.set_title("HbA1c (%) before and after")
    ax.set_ylabel("change (%)")  # rotated
    ax.text(0.1, 0.5, "two lines\nof text", fontsize=7)
    ax.text(0.9, 0.2, "n = 58", ha="right", fontweight="bold")
    return fig


def test_a_measured_string_is_drawn_from_its_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    """Strings rendered when measured are composited as such: the same pixels as laying
    them out again at the draw, with fewer renderings."""
    from cohort_reanalysis.presentation.figures import _canvas

    if not _canvas._PER_GLYPH_TEXT:
        pytest.skip("matplotlib < 3.11 draws each string as one bitmap itself")
    renders: list[int] = []
    rendered = _canvas._TextRunRenderer._rendered

    def counted(font: object, **kwargs: bool) -> object:
        renders.append(1)
        return rendered(font, **kwargs)

    monkeypatch.setattr(_canvas._TextRunRenderer, "_rendered", staticmethod(counted))

    class Forgetful(_canvas._TextRunRenderer):
        def draw_text(self, *args: object, **kwargs: object) -> None:
            self._runs.clear()  # lay every string out again at the draw
            super().draw_text(*args, **kwargs)  # type: ignore[arg-type]

    class ForgetfulCanvas(TextRunCanvas):
        def get_renderer(self) -> _canvas.RendererAgg:
            if not isinstance(getattr(self, "renderer", None), Forgetful):
                width, height = self.get_width_height(physical=True)
                self.renderer = Forgetful(width, height, self.figure.dpi)
            return self.renderer

    drawn = {}
    for canvas_class in (TextRunCanvas, ForgetfulCanvas):
        renders.clear()
        canvas = canvas_class(_texts_figure())
        canvas.draw()
        drawn[canvas_class] = (np.asarray(canvas.buffer_rgba()).copy(), len(renders))
    (pixels, n_cached), (again, n_again) = drawn[TextRunCanvas], drawn[ForgetfulCanvas]
    assert np.array_equal(pixels, again)
    assert n_cached < n_again


def test_text_with_font_features_is_laid_out_with_them() -> None:
    """A string drawn with font features is not taken from a rendering made without them."""
    fig = Figure(figsize=(3.0, 3.0), dpi=150)
    text = fig.text(0.5, 0.5, "office fifty")
    if not hasattr(text, "set_fontfeatures"):
        pytest.skip("font features came with matplotlib 3.11")
    text.set_fontfeatures(["-liga"])
    ours, theirs = TextRunCanvas(fig), None
    ours.draw()
    ours_pixels = np.asarray(ours.buffer_rgba())[..., :3].astype(float)
    theirs = FigureCanvasAgg(fig)
    theirs.draw()
    theirs_pixels = np.asarray(theirs.buffer_rgba())[..., :3].astype(float)
    (box_ours, ink_ours), (box_theirs, ink_theirs) = _ink(ours_pixels), _ink(theirs_pixels)
    assert np.abs(np.subtract(box_ours, box_theirs)).max() <= 1
    assert ink_ours == pytest.approx(ink_theirs, rel=0.03)


# ---------------------------------------------------------------------------- PNG encoding


def _decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()  # Pillow checks each chunk's CRC and the zlib stream here
    return image


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        np.uint8,
        st.tuples(st.integers(1, 12), st.integers(1, 12), st.just(4)),
        elements=st.integers(0, 255),
    )
)
def test_pillow_reads_back_every_pixel(rgba: np.ndarray) -> None:
    image = _decoded(encode_png(rgba))
    assert image.size == (rgba.shape[1], rgba.shape[0])
    if (rgba[..., 3] == 255).all():
        assert image.mode == "RGB"
        assert np.array_equal(np.asarray(image), rgba[..., :3])
    else:
        assert image.mode == "RGBA"
        assert np.array_equal(np.asarray(image), rgba)


def test_dpi_and_metadata_as_pillow_writes_them() -> None:
    rgba = np.full((3, 5, 4), 255, dtype=np.uint8)
    metadata = {"Title": "HbA1c (%)", "Author": "Łukasz", "Source": b"Table 1", "X": None}
    ours = _decoded(encode_png(rgba, dpi=150, metadata=metadata))
    reference = io.BytesIO()
    Image.fromarray(rgba).save(reference, format="png", dpi=(150, 150))
    assert ours.info["dpi"] == _decoded(reference.getvalue()).info["dpi"]
    assert ours.info["Title"] == "HbA1c (%)"
    assert ours.info["Author"] == "Łukasz"  # not Latin-1: an iTXt chunk
    assert ours.info["Source"] == "Table 1"  # bytes, as matplotlib allows
    assert "X" not in ours.info


def test_not_an_rgba_image_is_refused() -> None:
    with pytest.raises(ValueError, match=r"\(height, width, 4\) uint8"):
        encode_png(np.zeros((2, 2, 3), dtype=np.uint8))
    with pytest.raises(ValueError, match="uint8"):
        encode_png(np.zeros((2, 2, 4), dtype=np.float64))


def test_savefig_png_matches_agg_pixels_and_keeps_pillow_on_request() -> None:
    fig = Figure(figsize=(2.0, 1.5), dpi=100)
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [1, 0, 2])
    ax.set_title("n = 58")
    ours, with_pillow, agg = io.BytesIO(), io.BytesIO(), io.BytesIO()
    TextRunCanvas(fig)
    fig.savefig(ours, format="png", dpi=150, metadata={"Title": "t"})
    fig.savefig(with_pillow, format="png", dpi=150, pil_kwargs={"compress_level": 9})
    drawn = np.asarray(fig.canvas.buffer_rgba())
    FigureCanvasAgg(fig)
    fig.savefig(agg, format="png", dpi=150)
    ours_image, pillow_image = _decoded(ours.getvalue()), _decoded(with_pillow.getvalue())
    assert ours_image.mode == "RGB" and pillow_image.mode == "RGBA"  # Pillow wrote that one
    assert np.array_equal(np.asarray(ours_image), drawn[..., :3])
    assert ours_image.info["Title"] == "t"
    assert ours_image.info["Software"] == _decoded(agg.getvalue()).info["Software"]
    assert ours_image.size == _decoded(agg.getvalue()).size
