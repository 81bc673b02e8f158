"""Cells of a plain text table read in bulk, exactly as the csv module reads them.

``_io`` reads a text table record by record with the csv module, whose rules are the
library's: a row's number counts the records under the header (a blank one too), a row of
another length than the header is a problem, a blank row is skipped. That loop costs a
Python iteration per record and per cell. For the common table, one without quote
characters, records are lines and cells are what lies between delimiters, so the same cells
can come from pandas' C parser and the rules from a few numpy passes over the bytes:

- every line's number of delimiters (a row of the header's length has one fewer than cells);
- which lines are blank: every character whitespace or a delimiter.

Whenever the table is not of that kind (quotes, NUL characters, lone carriage returns, a
space as delimiter, a ragged row, anything the parser's output does not confirm),
:func:`bulk_cells` returns None and the caller reads the table record by record, which also
words the problems; so the result, or the error, is the csv module's in every case.

A long table's plain-number columns do not even become text: they are converted from the
bytes (``_plain.plain_columns``) slice by slice, and only their printed text is kept.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._plain import plain_columns, printed_text

__all__ = ["BulkTable", "bulk_cells"]

#: Delimiters read in bulk: a space is not (with ``skipinitialspace`` the csv module reads
#: a run of spaces as one delimiter).
BULK_DELIMITERS = frozenset(",;\t|")

#: Bytes that may be part of a blank line: ASCII whitespace as ``str.strip`` removes it, and
#: every byte of a non-ASCII character (which may be Unicode whitespace: checked one by one).
_MAYBE_BLANK = np.zeros(256, dtype=bool)
_MAYBE_BLANK[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
_MAYBE_BLANK[128:] = True

_BOM = "\ufeff".encode()


@dataclass(frozen=True)
class BulkTable:
    """A text table read in bulk.

    Attributes
    ----------
    header : list of str
        The column names, stripped.
    cells : DataFrame
        One column per header name, indexed by row number: the cells' text, except for the
        columns in ``printed``, whose cells are all plain numbers or missing tokens and are
        given as floats (NaN for a missing token).
    printed : dict of str to ndarray
        For those columns, each cell's text as a fixed-width bytes array
        (``_plain.printed_text`` makes it strings): what the file printed.
    """

    header: list[str]
    cells: pd.DataFrame
    printed: dict[str, np.ndarray]

    def text(self) -> pd.DataFrame:
        """Every cell as its text, as the csv module reads it."""
        text = self.cells.copy()
        for name, printed in self.printed.items():
            text[name] = pd.Series(printed_text(printed), index=text.index, dtype=object)
        return text


def bulk_cells(text: str, sep: str, data: bytes | None = None) -> BulkTable | None:
    """The header and the cells of ``text`` read in bulk, or None.

    ``data`` is ``text`` encoded as UTF-8, if the caller has it (else it is encoded here).

    None means "read it record by record": the table has quotes or another feature this
    reader does not take, or a row whose length differs from the header's (whose problem
    the record-by-record reader words), or no header or no rows.

    Examples
    --------
    >>> table = bulk_cells("b,a\\n7.5,6.4\\n\\n8.1, x\\n", ",")
    >>> table.header, table.cells.index.tolist(), table.cells["a"].tolist()
    (['b', 'a'], [1, 3], ['6.4', 'x'])
    >>> bulk_cells('b,a\\n"7,5",6.4\\n', ",") is None
    True
    """
    if sep not in BULK_DELIMITERS or '"' in text or "\x00" in text:
        return None
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None  # a lone carriage return ends a record for the csv module
    if data is None:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate
            return None
    codes = np.frombuffer(data, dtype=np.uint8)
    # A long table is read a slice of lines at a time, converting its plain-number columns
    # as it goes: no cell of those columns becomes a Python string (50 bytes each), and the
    # temporaries stay small enough to be reused, not mapped afresh: on this kind of work
    # the page faults of new memory cost more than the conversion itself.
    line_bound = data.count(b"\n") + 1
    long = line_bound > _SPLIT_ROWS
    header: list[str] | None = None
    header_line = 0
    line_count = 0
    rows: list[np.ndarray] = []
    pieces: list[tuple[int, int]] = []  # byte ranges of runs of body lines
    numbers: dict[int, list[np.ndarray]] = {}  # each plain column's printed text, by slice
    values = np.empty((0, 0))  # and their floats: a row per column, a column per line
    done = 0  # rows read
    for lo, hi in _slices(data, _SLICE_BYTES if long else len(data)):
        lines = _Lines(codes, sep, lo, hi)
        if lines.starts.size and int(np.max(lines.ends - lines.starts)) > csv.field_size_limit():
            return None  # the csv module refuses a cell this long
        body = np.flatnonzero(~_blank_lines(data, codes, lines.starts, lines.ends, sep))
        if header is None and body.size:
            line = data[lines.starts[body[0]] : lines.ends[body[0]]].decode("utf-8")
            header = [cell.strip() for cell in line.rstrip("\r\n").split(sep)]
            header_line = line_count + int(body[0])
            body = body[1:]
            if long and len(header) <= _NARROW:
                numbers = {j: [] for j in range(len(header))}
                values = np.empty((len(header), line_bound))
        if body.size:
            assert header is not None
            if np.any(lines.widths[body] != len(header)):
                return None
            if not rows and data[lines.starts[body[0]] :].startswith(_BOM):
                return None  # the parser would drop it; the csv module keeps it in the cell
            rows.append(line_count + body - header_line)
            pieces += [(int(lines.starts[a]), int(lines.ends[b])) for a, b in _runs(body)]
            if numbers:
                starts, ends = lines.cells(codes, body, len(header))
                tried = list(numbers)
                found, texts = plain_columns(codes, starts[:, tried], ends[:, tried])
                for i, j in enumerate(tried):
                    printed_cells = texts[i]
                    if printed_cells is None:
                        del numbers[j]  # read as text
                    else:
                        numbers[j].append(printed_cells)
                        values[j, done : done + body.size] = found[i]
            done += body.size
        line_count += lines.starts.size
    if header is None or not rows:
        return None  # no header, or no rows under it
    numbered = np.concatenate(rows)
    index: pd.Index = (
        pd.RangeIndex(1, numbered.size + 1, name="row")  # no blank line: rows 1 to n
        if numbered[-1] == numbered.size
        else pd.Index(numbered, name="row", dtype="int64")
    )
    if not long:
        # Few rows (but perhaps 10^4 columns, which pandas' parser builds one at a time).
        block = _join(data, pieces)
        cells = pd.DataFrame(_split(block, sep), columns=header, index=index, dtype=object)
        return BulkTable(header, cells, {})
    columns = {j: pd.Series(values[j, :done], index=index) for j in numbers}
    words = [j for j in range(len(header)) if j not in numbers]
    if words:
        try:
            parsed = _parse(_join(data, pieces), sep, len(header), words)
        except (ValueError, pd.errors.ParserError):  # not expected once widths are checked
            return None
        if parsed.shape != (len(index), len(words)):
            return None
        columns.update(
            {j: pd.Series(parsed[j].to_numpy(dtype=object), index, dtype=object) for j in words}
        )
    cells = pd.DataFrame({j: columns[j] for j in range(len(header))}, index=index)
    cells.columns = pd.Index(header)  # as pd.DataFrame(columns=header) makes it
    printed = {header[j]: np.concatenate(parts) for j, parts in numbers.items()}
    return BulkTable(header, cells, printed)


#: Long tables of at most this many columns have their plain-number columns converted from
#: the bytes; a wider one (a few lines per slice, a Python step per column) is parsed by
#: pandas as text, every column at once.
_NARROW = 64

#: A long table is read in slices of about this many bytes (whole lines).
_SLICE_BYTES = 1 << 17


def _slices(data: bytes, size: int) -> Iterator[tuple[int, int]]:
    """Byte ranges of about ``size`` that cover ``data`` in whole lines."""
    lo = 0
    while lo < len(data):
        hi = len(data)
        if lo + size < len(data):
            hi = data.rfind(b"\n", lo, lo + size) + 1
            if hi == 0:  # a line longer than ``size``
                hi = data.find(b"\n", lo + size) + 1 or len(data)
        yield lo, hi
        lo = hi


class _Lines:
    """Where each line of ``codes[lo:hi]`` (whole lines) starts and ends, and how many cells
    it has.

    ``marks`` are the positions of every delimiter and line break, in order; each line's
    break is one of them (a last line without a break ends at the end of the bytes).
    """

    def __init__(self, codes: np.ndarray, sep: str, lo: int, hi: int) -> None:
        part = codes[lo:hi]
        marks = np.flatnonzero((part == ord(sep)) | (part == 10)) + lo
        is_break = np.take(codes, marks) == 10
        if hi == codes.size and hi > lo and codes[-1] != 10:
            marks = np.append(marks, hi)  # where the last line ends
            is_break = np.append(is_break, True)
        breaks = np.flatnonzero(is_break)
        self.marks = marks
        self.breaks = breaks  # the index in ``marks`` of each line's end
        self.ends = np.minimum(marks[breaks] + 1, hi)  # each line with its line break
        self.starts = np.concatenate(([lo], self.ends[:-1]))[: self.ends.size]
        self.widths = np.diff(breaks, prepend=-1)  # a line of w cells has w - 1 delimiters

    def cells(
        self, codes: np.ndarray, lines: np.ndarray, width: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Where each cell of ``lines`` (of ``width`` cells each) starts and ends: two arrays
        of one row per line and one column per cell. A line's break, and a carriage return
        before it, are not part of its last cell."""
        last = self.breaks[lines]
        if last.size and int(lines[-1] - lines[0]) == last.size - 1:
            # Consecutive lines: their marks are all their cells' ends, in order.
            first = int(last[0]) - width + 1
            ends = self.marks[first : int(last[-1]) + 1].reshape(-1, width).copy()
        else:
            ends = self.marks[last[:, None] + np.arange(1 - width, 1)]
        starts = np.empty_like(ends)
        starts[:, 0] = self.starts[lines]
        starts[:, 1:] = ends[:, :-1] + 1
        tail = ends[:, -1]
        tail -= (tail > starts[:, -1]) & (np.take(codes, np.maximum(tail - 1, 0)) == 13)
        return starts, ends


def _join(data: bytes, pieces: list[tuple[int, int]]) -> bytes:
    """The bytes of ``pieces`` (ranges in order), joined."""
    merged: list[list[int]] = []
    for a, b in pieces:
        if merged and merged[-1][1] == a:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    if len(merged) == 1:
        a, b = merged[0]
        return data[a:b] if (a, b) != (0, len(data)) else data
    return b"".join(data[a:b] for a, b in merged)


#: Tables of fewer lines are split by ``str.split``; longer ones are read in slices.
_SPLIT_ROWS = 4096


def _split(block: bytes, sep: str) -> np.ndarray:
    """The cells of lines that each hold the same number of delimiters, as a 2-D array."""
    text = block.decode("utf-8").replace("\r\n", "\n")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if " " in text:  # the csv module's skipinitialspace: spaces after a delimiter are dropped
        pattern = re.compile(re.escape(sep) + " *")
        return np.array([pattern.split(line.lstrip(" ")) for line in lines], dtype=object)
    return np.array([line.split(sep) for line in lines], dtype=object)


def _parse(block: bytes, sep: str, width: int, columns: list[int]) -> pd.DataFrame:
    """The cells of ``columns`` (positions) as their text: no missing values, no quoting,
    blank lines kept."""
    return pd.read_csv(
        io.BytesIO(block),
        sep=sep,
        header=None,
        names=range(width),
        usecols=columns,
        dtype=object,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        skipinitialspace=True,
        quoting=csv.QUOTE_NONE,
        index_col=False,
        engine="c",
        encoding="utf-8",
    )


def _blank_lines(
    data: bytes, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray, sep: str
) -> np.ndarray:
    """Whether each line is blank: only whitespace and delimiters, as ``str.strip`` sees it.

    A line whose first byte is neither is not blank; the few others are decoded and looked
    at one by one.
    """
    maybe = _MAYBE_BLANK.copy()
    maybe[ord(sep)] = True
    blank = maybe[codes[starts]] if codes.size else np.zeros(0, dtype=bool)
    for i in np.flatnonzero(blank):
        line = data[starts[i] : ends[i]].decode("utf-8")
        blank[i] = not line.replace(sep, "").strip()
    return blank


def _runs(lines: np.ndarray) -> list[tuple[int, int]]:
    """Runs of consecutive line numbers, as (first, last) pairs."""
    cuts = np.flatnonzero(np.diff(lines) != 1)
    firsts = np.concatenate(([lines[0]], lines[cuts + 1]))
    lasts = np.concatenate((lines[cuts], [lines[-1]]))
    return list(zip(firsts.tolist(), lasts.tolist(), strict=True))
