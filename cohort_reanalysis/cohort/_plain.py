"""Cells of plain decimal numbers read in bulk, to exactly the floats ``float`` gives.

Converting a million cells one ``float()`` call at a time costs about half a second. Most
cells of a table are short decimals (``7.5``, ``-12``, ``0.125``): at most 15 digits and no
exponent. Such a cell is an integer ``m < 10**15`` over ``10**k`` with ``k <= 15``; both are
exact in float64, and IEEE division rounds their quotient correctly, which is the float that
``float()`` (correctly rounded) gives. So those cells are read with a few numpy passes over
the cells' bytes, one pass per character position; the others (exponents, long digit
strings) by ``float`` itself.

Cells come either as Python strings (:func:`plain_numbers`) or as offsets into a table's
bytes (:func:`plain_columns`, for the bulk reader, which then makes no Python string for
them and keeps their printed text as a fixed-width bytes array: ``_printed.printed_text``
turns it into strings when asked).
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["plain_columns", "plain_numbers"]

#: Exactly 10**k as floats, k = 0..15 (from integers: no rounding).
_POWERS = np.array([float(10**k) for k in range(16)])
_MOST_DIGITS = 15

_CHUNK = 1 << 14
_NOT_PLAIN = re.compile(r"[^0-9.eE+-]")
#: Cells longer than this are converted by ``float`` alone.
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


def plain_columns(
    data: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, list[np.ndarray | None]]:
    """Columns of cells given as bytes, as floats; and each column's printed text, or None.

    Cell ``i`` of column ``j`` is ``data[starts[i, j]:ends[i, j]]``. A column whose cells
    are all plain numbers or missing tokens has its floats (as :func:`plain_numbers` gives
    them) in row ``j`` of the first array, and its printed text: a fixed-width bytes array,
    each cell's bytes as they are (``_printed.printed_text`` makes it strings). Any other
    column (a cell that is not plain, or longer than 24 bytes) has None, and its row means
    nothing.

    Examples
    --------
    >>> data = np.frombuffer(b"7.50,NA\\n1e3,x\\n", dtype=np.uint8)
    >>> values, printed = plain_columns(data, np.array([[0, 5], [8, 12]]),
    ...                                 np.array([[4, 7], [11, 13]]))
    >>> values[0].tolist(), printed[0].tolist(), printed[1] is None
    ([7.5, 1000.0], [b'7.50', b'1e3'], True)
    """
    rows, count = starts.shape
    lengths = ends - starts
    widths = lengths.max(axis=0, initial=0)
    tried = np.flatnonzero(widths <= _WIDEST)
    width = int(widths[tried].max(initial=0))
    # Every tried column's cells in one run (column after column): one pass per character
    # position for all of them.
    cell_starts = starts[:, tried].T.ravel()
    cell_lengths = lengths[:, tried].T.ravel()
    chars = _characters(data, cell_starts, cell_lengths, width)
    values, plain = _convert(data, cell_starts, cell_starts + cell_lengths, chars)
    out = np.full((count, rows), np.nan)
    out[tried] = values.reshape(len(tried), rows)
    whole = np.asarray(plain.reshape(len(tried), rows).all(axis=1))
    printed: list[np.ndarray | None] = [None] * count
    for i, j in enumerate(tried.tolist()):
        if whole[i]:
            text = np.zeros((rows, max(width, 1)), dtype=np.uint8)  # numpy has no "S0"
            text[:, :width] = chars[:, i * rows : (i + 1) * rows].T
            printed[j] = text.view(f"S{text.shape[1]}").reshape(-1)
    return out, printed


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
    starts = np.concatenate(([0], ends[:-1] + 1))
    lengths = ends - starts
    if int(lengths.max(initial=0)) > _WIDEST:
        return _by_float(cells)
    chars = _characters(flat, starts, lengths, int(lengths.max()))
    values, plain = _convert(flat, starts, ends, chars)
    return values if plain.all() else None


def _characters(
    data: np.ndarray, starts: np.ndarray, lengths: np.ndarray, width: int
) -> np.ndarray:
    """The cells' bytes by position: row ``j`` holds each cell's ``j``-th byte, NUL past
    its end (``width`` rows, one column per cell)."""
    chars = np.zeros((width, len(starts)), dtype=np.uint8)
    last = data.size - 1
    for j in range(width):
        np.copyto(chars[j], np.take(data, np.minimum(starts + j, last)), where=j < lengths)
    return chars


def _convert(
    data: np.ndarray, starts: np.ndarray, ends: np.ndarray, chars: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The cells' floats from their bytes by position (``_characters``), and whether each
    cell is plain (a number of Python's grammar or a missing token; NaN for the latter)."""
    width, n = chars.shape
    lengths = ends - starts
    if width == 0:
        return np.full(n, np.nan), np.ones(n, dtype=bool)
    # Classes by comparisons on the bytes themselves: no index array (np.take would make
    # one eight times the bytes' size, and such temporaries are fresh memory each time).
    is_digit = (chars - np.uint8(48)) < 10
    is_point = chars == ord(".")
    minus = chars == ord("-")
    usual = width <= _MOST_DIGITS and not minus[1:].any()
    if usual and (is_digit | is_point | minus | (chars == 0)).all():
        # The usual column: short cells of digits, points and leading minus signs only (no
        # exponent, no missing token but the empty cell): most of the grammar holds already.
        return _decimals(chars, lengths, is_digit, is_point)
    is_sign = (chars == ord("+")) | minus
    is_letter = (chars == ord("N")) | (chars == ord("A")) | (chars == ord("a"))
    is_exponent = (chars | np.uint8(32)) == ord("e")  # e or E
    known = is_digit | is_point | is_sign | is_letter | is_exponent | (chars == 0)
    plain = known.all(axis=0)  # no space, no other letter...
    missing = lengths == 0
    lettered = np.flatnonzero(is_letter.any(axis=0))
    if lettered.size:  # a cell with N, A or a is a missing token, or not plain
        part, size = chars[:, lettered], lengths[lettered]
        token = _spells(part, size, b"NA") | _spells(part, size, b"NaN")
        missing[lettered] = token
        plain[lettered] &= token
    points = is_point.sum(axis=0)
    sign_first = is_sign[0]
    digits = lengths - points - sign_first  # in a cell of digits, a point and a first sign
    short = (
        plain
        & ~missing
        & ~is_exponent.any(axis=0)
        & ~is_sign[1:].any(axis=0)
        & (points <= 1)
        & (digits >= 1)
        & (digits <= _MOST_DIGITS)
    )
    values = _short_values(chars, lengths, is_digit, is_point, points)
    values[missing] = np.nan
    for i in np.flatnonzero(plain & ~missing & ~short).tolist():
        # Exponents and long digit strings: Python's own (correctly rounded) conversion of
        # the cell's bytes, whose characters are all of Python's float grammar by now.
        try:
            values[i] = float(data[starts[i] : ends[i]].tobytes())
        except ValueError:
            plain[i] = False
    return values, plain


def _decimals(
    chars: np.ndarray, lengths: np.ndarray, is_digit: np.ndarray, is_point: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``_convert`` for cells of at most 15 bytes: digits, points and a leading minus sign."""
    points = is_point.sum(axis=0)
    digits = lengths - points - (chars[0] == ord("-"))
    missing = lengths == 0
    plain = missing | ((points <= 1) & (digits >= 1))
    values = _short_values(chars, lengths, is_digit, is_point, points)
    values[missing] = np.nan
    return values, plain


def _short_values(
    chars: np.ndarray,
    lengths: np.ndarray,
    is_digit: np.ndarray,
    is_point: np.ndarray,
    points: np.ndarray,
) -> np.ndarray:
    """Each cell's digits as an integer over a power of ten, divided once: right for a cell
    of at most 15 digits, one point at most and a first sign (the others are overwritten)."""
    # Horner's rule in integers: exact while the mantissa has at most 15 digits.
    digit = np.where(is_digit, chars - np.uint8(48), np.uint8(0))
    mantissa = digit[0].astype(np.int64)
    point_at = np.zeros(len(lengths), dtype=np.int64)
    for j in range(1, chars.shape[0]):
        mantissa = np.where(is_digit[j], mantissa * 10 + digit[j], mantissa)
        point_at += is_point[j] * j  # (a short cell has one point at most)
    decimals = np.where(points == 1, lengths - 1 - point_at, 0)
    values = mantissa.astype(np.float64) / _POWERS[np.clip(decimals, 0, _MOST_DIGITS)]
    values[chars[0] == ord("-")] *= -1.0
    return values


def _spells(chars: np.ndarray, lengths: np.ndarray, word: bytes) -> np.ndarray:
    """Which cells are exactly ``word``."""
    if chars.shape[0] < len(word):
        return np.zeros(chars.shape[1], dtype=bool)
    found = lengths == len(word)
    for j, byte in enumerate(word):
        found &= chars[j] == byte
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
