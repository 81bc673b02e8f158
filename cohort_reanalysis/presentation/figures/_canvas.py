"""The raster canvas our PNGs are drawn on: Agg, with each run of text drawn as one bitmap.

Matplotlib 3.11 draws text in Agg one glyph at a time, from Python (a font size, a
transform, a rendered glyph and a composite per character). Our figures carry a few
thousand characters, and that loop was 40 % of the time taken to rasterise them. Before
3.11, Agg laid a string out and rendered all its glyphs into one bitmap in C++, then
composited that bitmap once; this canvas draws plain text that way again. The layout is the
same (the same ``FT2Font.set_text`` that measures the text for the layout engine), and so
is the look: only anti-aliased edges differ, by a sub-pixel placement of some glyphs.
Mathtext, and anything else but plain text, goes through matplotlib's own path.

This module imports matplotlib; it is imported only when a figure is written.
"""

from __future__ import annotations

import math
from typing import Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag

__all__ = ["TextRunCanvas"]

# Before 3.11 matplotlib itself draws each string as one bitmap, and draw_text_image
# takes the font rather than an image: there, this canvas is plain Agg.
_PER_GLYPH_TEXT = tuple(int(part) for part in matplotlib.__version__.split(".")[:2]) >= (3, 11)


class _TextRunRenderer(RendererAgg):
    """RendererAgg that renders a string's glyphs into one bitmap and composites it once."""

    def draw_text(
        self,
        gc: Any,
        x: float,
        y: float,
        s: str,
        prop: Any,
        angle: float,
        ismath: Any = False,
        mtext: Any = None,
    ) -> None:
        if ismath:
            super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            return
        font = self._prepare_font(prop)
        # Laid out unrotated; the bitmap is rotated as it is composited.
        font.set_text(
            s,
            0.0,
            flags=get_hinting_flag(),
            features=mtext.get_fontfeatures() if mtext is not None else None,
            language=mtext.get_language() if mtext is not None else None,
        )
        font.draw_glyphs_to_bitmap(antialiased=gc.get_antialiased())
        # (x, y) is the left end of the baseline; the bitmap's origin is its lower-left
        # corner, a descent below the baseline, which turns with the text.
        descent = font.get_descent() / 64.0
        x_offset, y_offset = (v / 64.0 for v in font.get_bitmap_offset())
        radians = math.radians(angle)
        left = round(x + x_offset + descent * math.sin(radians))
        bottom = round(y + y_offset + descent * math.cos(radians))
        self._renderer.draw_text_image(font.get_image(), left, bottom + 1, angle, gc)


class TextRunCanvas(FigureCanvasAgg):
    """FigureCanvasAgg whose renderer draws each run of text as one bitmap (matplotlib 3.11+).

    Examples
    --------
    >>> import io
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(2, 1))
    >>> _ = fig.text(0.1, 0.5, "HbA1c (%)")
    >>> buffer = io.BytesIO()
    >>> TextRunCanvas(fig).print_png(buffer)
    >>> buffer.getvalue()[:4]
    b'\\x89PNG'
    """

    def get_renderer(self) -> RendererAgg:
        if not _PER_GLYPH_TEXT:
            return super().get_renderer()
        width, height = self.get_width_height(physical=True)
        key = (width, height, self.figure.dpi)
        if self._lastKey != key:  # a new size or dpi needs a new renderer, as in Agg
            self.renderer = _TextRunRenderer(width, height, self.figure.dpi)
            self._lastKey = key
        return self.renderer
