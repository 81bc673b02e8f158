"""The raster canvas our PNGs are drawn on: Agg, with each run of text drawn as one bitmap,
and PNG files encoded without Pillow's per-row filter search.

Matplotlib 3.11 draws text in Agg one glyph at a time, from Python (a font size, a
transform, a rendered glyph and a composite per character). Our figures carry a few
thousand characters, and that loop was 40 % of the time taken to rasterise them. Before
3.11, Agg laid a string out and rendered all its glyphs into one bitmap in C++, then
composited that bitmap once; this canvas draws plain text that way again. The layout is the
same (the same ``FT2Font.set_text`` that measures the text for the layout engine), and so
is the look: only anti-aliased edges differ, by a sub-pixel placement of some glyphs. And
since laying a string out is most of what drawing it costs, each string is rendered when it
is measured (every string is measured before it is drawn) and drawn from that rendering.
Mathtext, and anything else but plain text, goes through matplotlib's own path.

PNG: Pillow tries every PNG filter on every row and keeps the best; on flat-coloured
figures that search cost more than the compression, and the files came out larger. The
canvas writes rows unfiltered, RGB when every pixel is opaque (RGBA otherwise), with the
same metadata and dpi that matplotlib writes: about half the time, and 15 % smaller files,
for the same pixels.

This module imports matplotlib; it is imported only when a figure is written.
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Mapping
from typing import Any

import matplotlib
import numpy as np
import numpy.typing as npt
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.cbook import open_file_cm

__all__ = ["TextRunCanvas", "encode_png"]

# Before 3.11 matplotlib itself draws each string as one bitmap: there, this canvas is Agg.
_PER_GLYPH_TEXT = (matplotlib.__version_info__.major, matplotlib.__version_info__.minor) >= (3, 11)


# A rendered string: its bitmap, the bitmap's offset and the string's descent (1/64 px).
_Run = tuple[npt.NDArray[np.uint8], float, float, float]


class _TextRunRenderer(RendererAgg):
    """RendererAgg that renders a string's glyphs into one bitmap and composites it once.

    Every string is measured (for the layout) before it is drawn, and laying a string out
    is most of what drawing it costs. So each plain string is rendered when it is measured,
    and drawing it composites that bitmap; the same ``set_text`` that measures it and the
    same hinting, so the same pixels.
    """

    _MAX_RUNS = 4096  # a renderer that draws ever new strings (an animation) starts afresh

    def __init__(self, width: int, height: int, dpi: float) -> None:
        super().__init__(width, height, dpi)
        self._runs: dict[tuple[Any, ...], _Run] = {}

    def get_text_width_height_descent(self, s: str, prop: Any, ismath: Any) -> Any:
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        flags = get_hinting_flag()
        font = self._prepare_font(prop)
        font.set_text(s, 0.0, flags=flags)
        width, height = font.get_width_height()
        run = self._rendered(font)
        if len(self._runs) >= self._MAX_RUNS:
            self._runs.clear()
        self._runs[(s, prop.copy(), flags)] = run
        return width / 64.0, height / 64.0, run[3] / 64.0

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
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        flags = get_hinting_flag()
        # Measured as drawn (no font features or language, anti-aliased): already rendered.
        measured = features is None and language is None and gc.get_antialiased()
        run = self._runs.get((s, prop, flags)) if measured else None
        if run is None:
            font = self._prepare_font(prop)
            # Laid out unrotated; the bitmap is rotated as it is composited.
            font.set_text(s, 0.0, flags=flags, features=features, language=language)
            run = self._rendered(font, antialiased=gc.get_antialiased())
        x_offset, y_offset, descent = (v / 64.0 for v in run[1:])
        # (x, y) is the left end of the baseline; the bitmap's origin is its lower-left
        # corner, a descent below the baseline, which turns with the text.
        radians = math.radians(angle)
        left = round(x + x_offset + descent * math.sin(radians))
        bottom = round(y + y_offset + descent * math.cos(radians))
        self._renderer.draw_text_image(run[0], left, bottom + 1, angle, gc)

    @staticmethod
    def _rendered(font: Any, *, antialiased: bool = True) -> _Run:
        """Render the string ``font`` has just laid out (``set_text``)."""
        font.draw_glyphs_to_bitmap(antialiased=antialiased)
        x_offset, y_offset = font.get_bitmap_offset()
        return font.get_image(), x_offset, y_offset, font.get_descent()


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

    def print_png(
        self,
        filename_or_obj: Any,
        *,
        metadata: Mapping[str, str | bytes | None] | None = None,
        pil_kwargs: dict[str, Any] | None = None,
        **_already_applied: Any,
    ) -> None:
        """Draw the figure and write it as a PNG (through Pillow when given ``pil_kwargs``).

        savefig passes a canvas outside matplotlib its dpi, facecolor, edgecolor and the
        like too; it has set them on the figure already, so they are not used here.
        """
        if pil_kwargs is not None:
            super().print_png(filename_or_obj, metadata=metadata, pil_kwargs=pil_kwargs)
            return
        FigureCanvasAgg.draw(self)
        software = f"Matplotlib version{matplotlib.__version__}, https://matplotlib.org/"
        data = encode_png(
            np.asarray(self.buffer_rgba()),
            dpi=float(self.figure.dpi),
            metadata={"Software": software, **(metadata or {})},
        )
        with open_file_cm(filename_or_obj, "wb") as file:
            file.write(data)

    def get_renderer(self) -> RendererAgg:
        if not _PER_GLYPH_TEXT:
            return super().get_renderer()
        width, height = self.get_width_height(physical=True)
        key = (width, height, self.figure.dpi)
        if self._lastKey != key:  # a new size or dpi needs a new renderer, as in Agg
            self.renderer = _TextRunRenderer(width, height, self.figure.dpi)
            self._lastKey = key
        return self.renderer


def encode_png(
    rgba: npt.NDArray[np.uint8],
    *,
    dpi: float | None = None,
    metadata: Mapping[str, str | bytes | None] | None = None,
    level: int = 2,
) -> bytes:
    """PNG file contents for an image of shape (height, width, 4), rows top to bottom.

    Rows are stored unfiltered and deflated at zlib ``level``; an image whose pixels are
    all opaque is stored as RGB. ``dpi`` goes in a pHYs chunk and each ``metadata`` entry
    in a tEXt chunk (iTXt when it is not Latin-1; None values are left out), as Pillow
    writes them.

    Examples
    --------
    >>> import io
    >>> import numpy as np
    >>> from PIL import Image
    >>> pixels = np.full((2, 3, 4), 255, dtype=np.uint8)
    >>> image = Image.open(io.BytesIO(encode_png(pixels, dpi=150, metadata={"Title": "t"})))
    >>> image.size, image.mode, image.info["Title"]
    ((3, 2), 'RGB', 't')
    """
    image = np.asarray(rgba)
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 4:
        raise ValueError(
            f"expected a (height, width, 4) uint8 image, got {image.dtype} {image.shape}"
        )
    height, width = image.shape[:2]
    opaque = bool((image[..., 3] == 255).all())
    pixels = image[..., :3] if opaque else image
    rows = np.zeros((height, 1 + width * pixels.shape[2]), dtype=np.uint8)  # filter byte 0
    rows[:, 1:] = pixels.reshape(height, -1)
    chunks = [
        _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2 if opaque else 6, 0, 0, 0))
    ]
    if dpi is not None:
        per_metre = int(dpi / 0.0254 + 0.5)
        chunks.append(_chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)))
    for key, value in (metadata or {}).items():
        if value is not None:
            chunks.append(_text_chunk(key, value))
    chunks.append(_chunk(b"IDAT", zlib.compress(rows.tobytes(), level)))
    chunks.append(_chunk(b"IEND", b""))
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _text_chunk(key: str, value: str | bytes) -> bytes:
    name = key.encode("latin-1")
    if isinstance(value, bytes):  # matplotlib takes bytes too, written as they are
        return _chunk(b"tEXt", name + b"\0" + value)
    try:
        return _chunk(b"tEXt", name + b"\0" + value.encode("latin-1"))
    except UnicodeEncodeError:  # iTXt: uncompressed, no language, no translated keyword
        return _chunk(b"iTXt", name + b"\0\0\0\0\0" + value.encode("utf-8"))
