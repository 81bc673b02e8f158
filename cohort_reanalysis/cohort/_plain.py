"""A column of plain decimal numbers read in bulk, to exactly the floats ``float`` gives.

Converting a million cells one ``float()`` call at a time costs about half a second. Most
cells of a table are short decimals (``7.5``, ``-12``, ``0.125``): at most 15 digits and no
exponent. Such a cell is an integer ``m < 10**15`` over ``10**k`` with ``k <= 15``; both are
exact in float64, and IEEE division rounds their quotient correctly, which is the float that
``float()`` (correctly rounded) gives. So those cells are read with a few numpy passes over
the column's bytes; the others (exponents, long digit strings) by ``float`` itself.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["plain_numbers"]

#: Exactly 10**k as floats, k = 0..15 (from integers: no rounding).
_POWERS = np.array([float(10**k) for k in range(16)])
_MOST_DIGITS = 15

_OTHER, _DIGIT, _POINT, _SIGN, _EXPONENT, _END, _LETTER = range(7)
_CLASS = np.full(256, _OTHER, dtype=np.uint8)
_CLASS[ord("0") : ord("9") + 1] = _DIGIT
_CLASS[ord(".")] = _POINT
_CLASS[[ord("+"), ord("-")]] = _SIGN
_CLASS[[ord("e"), ord("E")]] = _EXPONENT
_CLASS[[0, 10]] = _END  # after the end of a cell (a NUL in a cell is refused before)
_CLASS[[ord("N"), ord("A"), ord("a")]] = _LETTER  # of the missing tokens NA and NaN only

_CHUNK = 1 << 16
_NOT_PLAIN = re.compile(r"[^0-9.eE+-]")
#: Chunks whose longest cell is longer are converted by ``float`` alone.
_WIDEST = 24


def plain_numbers(cells: np.ndarray) -> np.ndarray | None:
    """``cells`` (text) as floats, NaN for ``""``, ``"NA"`` and ``"NaN"``; or None.

    None unless every cell is one of those or a number in Python's grammar written with the
    characters ``0-9 . e E + -`` alone (no spaces: such a cell is its own stripped text).

    Examples
    --------
    >>> plain_numbers(np.array(["7.5", "", "NA", "-0.125", "1e3", "007"], dtype=object)).tolist()
    [7.5, nan, nan, -0.125, 1000.0, 7.0]
    >>> plain_numbers(np.array(["7.5", " 8"], dtype=object)) is None
    True
    """
    out = np.empty(len(cells), dtype=np.float64)
    for start in range(0, len(cells), _CHUNK):
        part = cells[start : start + _CHUNK]
        values = _chunk(part)
        if values is None:
            return None
        out[start : start + len(part)] = values
    return out


def _chunk(cells: np.ndarray) -> np.ndarray | None:
    try:
        joined = "\n".join(cells) + "\n"
    except TypeError:  # not all text
        return None
    if not joined.isascii() or "\x00" in joined:
        return None
    flat = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    ends = np.flatnonzero(flat == 10)
    if ends.size != len(cells):
        return None  # a cell holds a line break
    lengths = np.diff(ends, prepend=-1) - 1
    width = int(lengths.max(initial=0))
    if width > _WIDEST:
        return _by_float(cells)
    # One row per character position (and the line break after each cell), one column per
    # cell; NUL after a cell's end.
    n = len(cells)
    cell = np.repeat(np.arange(n), lengths + 1)
    position = np.arange(flat.size) - np.repeat(ends - lengths, lengths + 1)
    codes = np.zeros((width + 1, n), dtype=np.uint8)
    codes.ravel()[position * n + cell] = flat
    codes = codes[:width]
    kind = _CLASS[codes]
    missing = (lengths == 0) | _spells(codes, lengths, b"NA") | _spells(codes, lengths, b"NaN")
    if np.any(kind == _OTHER) or np.any(np.any(kind == _LETTER, axis=0) & ~missing):
        return None  # NUL, a space, a letter outside the missing tokens...
    digit = kind == _DIGIT
    point = kind == _POINT
    digits = digit.sum(axis=0)
    short = (
        (
            ~missing
            & (digits >= 1)
            & (digits <= _MOST_DIGITS)
            & (point.sum(axis=0) <= 1)
            & ~np.any(kind == _EXPONENT, axis=0)
            & ((kind == _SIGN).sum(axis=0) == (kind[0] == _SIGN))
        )
        if width
        else ~missing
    )
    mantissa = np.zeros(len(cells), dtype=np.float64)
    scale = np.zeros(len(cells), dtype=np.intp)
    for j in range(width):
        # Horner's rule: exact while the mantissa has at most 15 digits (< 2**53).
        here = digit[j]
        mantissa = np.where(here, mantissa * 10.0 + (codes[j] - 48.0), mantissa)
        scale += here & (scale > 0)
        scale += point[j]  # 1 from the point on, plus 1 for each digit after it
    scale = np.maximum(scale - 1, 0)
    values = mantissa / _POWERS[np.minimum(scale, _MOST_DIGITS)]
    if width:
        values[codes[0] == ord("-")] *= -1.0
    values[missing] = np.nan
    others = np.flatnonzero(~missing & ~short)
    if others.size:
        try:
            values[others] = cells[others].astype(np.float64)
        except (TypeError, ValueError):
            return None
    return values


def _spells(codes: np.ndarray, lengths: np.ndarray, word: bytes) -> np.ndarray:
    """Which cells are exactly ``word``."""
    if codes.shape[0] < len(word):
        return np.zeros(codes.shape[1], dtype=bool)
    found = lengths == len(word)
    for j, byte in enumerate(word):
        found &= codes[j] == byte
    return found


def _by_float(cells: np.ndarray) -> np.ndarray | None:
    """Every cell by ``float``, once no cell holds a character outside ``0-9 . e E + -``."""
    missing = (cells == "") | (cells == "NA") | (cells == "NaN")
    numbers = cells[~missing]
    if _NOT_PLAIN.search("".join(numbers)):
        return None
    values = np.full(len(cells), np.nan)
    try:
        values[~missing] = numbers.astype(np.float64)
    except ValueError:
        return None
    return values
