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

A long table's plain-number columns do not even become text. A table of numbers alone is
read by pandas' parser (from pandas 3.1, whose floats are ``float``'s), each column's text
left in the bytes until asked for (``_printed``); any other long table in slices, its
plain-number columns converted from the bytes (``_plain.plain_columns``) and only their
printed text kept.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ._plain import plain_columns
from ._printed import DeferredText, Printed, printed_text, text_cells
from ._validate import MISSING_TOKENS

__all__ = ["BulkTable", "SourceFile", "bulk_cells"]

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
    printed : dict of str to ndarray or DeferredText
        For those columns, each cell's text as the file printed it, as a fixed-width bytes
        array or still in the file's bytes (``_printed.printed_text`` makes it strings).
    """

    header: list[str]
    cells: pd.DataFrame
    printed: dict[str, Printed]

    def text(self) -> pd.DataFrame:
        """Every cell as its text, as the csv module reads it."""
        text = self.cells.copy()
        for name, printed in self.printed.items():
            text[name] = pd.Series(printed_text(printed), index=text.index, dtype=object)
        return text


def bulk_cells(
    text: str, sep: str, data: bytes | None = None, source: SourceFile | None = None
) -> BulkTable | None:
    """The header and the cells of ``text`` read in bulk, or None.

    ``data`` is ``text`` encoded as UTF-8, if the caller has it (else it is encoded here);
    ``source`` the file whose bytes ``data`` is, if pandas may read it again.

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
    breaks = int(np.count_nonzero(codes == 10))  # (bytes.count is a few times slower)
    line_bound = breaks + 1
    long = line_bound > _SPLIT_ROWS
    if long and _PANDAS_FLOATS:
        table = _numeric_table(data, codes, sep, breaks, source)
        if table is not None:
            return table
    # Any other long table is read a slice of lines at a time, converting its plain-number
    # columns as it goes: no cell of those columns becomes a Python string (50 bytes each),
    # and the temporaries stay small enough to be reused, not mapped afresh: on this kind of
    # work the page faults of new memory cost more than the conversion itself.
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
            parsed = text_cells(_join(data, pieces), sep, len(header), words)
        except (ValueError, pd.errors.ParserError):  # not expected once widths are checked
            return None
        if parsed.shape != (len(index), len(words)):
            return None
        columns.update(
            {j: pd.Series(parsed[j].to_numpy(dtype=object), index, dtype=object) for j in words}
        )
    cells = pd.DataFrame({j: columns[j] for j in range(len(header))}, index=index)
    cells.columns = pd.Index(header)  # as pd.DataFrame(columns=header) makes it
    printed: dict[str, Printed] = {header[j]: np.concatenate(parts) for j, parts in numbers.items()}
    return BulkTable(header, cells, printed)


#: pandas parses floats correctly rounded from 3.1 on (fast_float: the float that ``float``
#: gives), so a long table of numbers alone can be read by its C parser.
_PANDAS_FLOATS = tuple(int(part) for part in re.findall(r"\d+", pd.__version__)[:2]) >= (3, 1)

#: The bytes of cells that are numbers or missing tokens, and of line breaks.
_NUMBER_BYTES = b"0123456789.+-eE\r\n" + "".join(sorted(set("".join(MISSING_TOKENS)))).encode()


def _numeric_table(
    data: bytes, codes: np.ndarray, sep: str, breaks: int, source: SourceFile | None
) -> BulkTable | None:
    """A table whose first line is its header and whose every cell under it is a number or a
    missing token, read by pandas' parser with each column's text deferred; or None.
    ``breaks`` counts the line breaks in ``data``; ``source`` is the file it was read from.

    pandas' parser refuses a cell that is not a number of Python's grammar (or a missing
    token) and gives the others the float ``float`` gives (``tests/cohort/test_bulk.py``
    checks both on every cell of up to six of these bytes). But it reads a short line as
    missing cells: so if the delimiters are the header's number to a line and no cell is
    missing, no line is short, and none long; else every line's delimiters are checked.
    """
    header_end = data.find(b"\n") + 1 or len(data)
    if not data or _blank_lines(data, codes, np.array([0]), np.array([header_end]), sep)[0]:
        return None  # a blank line above the header
    allowed = _NUMBER_BYTES + sep.encode()
    if len(data.translate(None, allowed)) != len(data[:header_end].translate(None, allowed)):
        return None  # text under the header
    if not _lines_shorter_than(data, csv.field_size_limit()):
        return None  # the csv module may refuse a cell this long: the slices' reader checks
    line = data[:header_end].decode("utf-8")
    header = [cell.strip() for cell in line.rstrip("\r\n").split(sep)]
    width = len(header)
    lines = breaks - 1 + (not data.endswith(b"\n"))  # under the header
    if lines < 1 or np.count_nonzero(codes == ord(sep)) != (lines + 1) * (width - 1):
        return None
    cells = _floats(data, sep, width, source)
    if cells is None or cells.shape != (lines, width):
        return None
    some = np.zeros(lines, dtype=bool)  # rows with a missing cell, and rows of nothing else
    every = np.ones(lines, dtype=bool)
    for j in range(width):
        missing = np.isnan(cells[j].to_numpy())
        some |= missing
        every &= missing
    rows: np.ndarray | None = None
    if some.any():
        body = codes[header_end:]
        ends = np.flatnonzero(body == 10)
        if ends.size < lines:
            ends = np.append(ends, body.size)
        starts = np.concatenate(([0], ends[:-1] + 1))
        if width > 1:
            # The sorted delimiters, width - 1 to a line: each line holds its own share
            # exactly when its first and last lie inside it.
            grid = np.flatnonzero(body == ord(sep)).reshape(lines, width - 1)
            if (grid[:, 0] < starts).any() or (grid[:, -1] >= ends).any():
                return None  # a short line (and a long one)
        # A line of delimiters alone (and perhaps a carriage return) is blank: not a row.
        empty = np.flatnonzero(every)
        size = ends[empty] - starts[empty]
        size -= (size > 0) & (body[np.maximum(ends[empty] - 1, 0)] == 13)
        blank = empty[size == width - 1]
        if blank.size == lines:
            return None  # no rows
        if blank.size:
            rows = np.setdiff1d(np.arange(lines), blank)
            cells = cells.iloc[rows]
    cells.index = (
        pd.RangeIndex(1, lines + 1, name="row")
        if rows is None
        else pd.Index(rows + 1, name="row", dtype="int64")
    )
    cells.columns = pd.Index(header)
    printed: dict[str, Printed] = {
        name: DeferredText(data, sep, width, j, rows) for j, name in enumerate(header)
    }
    return BulkTable(header, cells, printed)


def _floats(data: bytes, sep: str, width: int, source: SourceFile | None) -> pd.DataFrame | None:
    """The cells under the header line as floats (NaN for a missing token), one column per
    position, by pandas' parser; None if it refuses a cell or a line.

    From the file if it is known (pandas reads a file path with several threads) and still
    as it was, else from the bytes.
    """
    try:
        cells = pd.read_csv(
            io.BytesIO(data) if source is None else source.path,
            sep=sep,
            header=0,
            names=range(width),
            dtype=np.float64,
            keep_default_na=False,
            na_values=sorted(MISSING_TOKENS),
            skip_blank_lines=False,
            quoting=csv.QUOTE_NONE,
            encoding="utf-8",
            engine="c",
        )
    except (ValueError, pd.errors.ParserError, OSError):
        return None  # a cell that is not a number, a line of too many cells
    if source is not None and not source.unchanged():
        return None  # (the file was rewritten: what was read is ``data``)
    return cells


@dataclass(frozen=True)
class SourceFile:
    """The file a table's bytes were read from, as it was before (device, inode, size,
    modification and change times): pandas may read it again, and what it read stands if
    the file is still so.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile() as file:
    ...     source = SourceFile.of(Path(file.name))
    ...     same = source is not None and source.unchanged()
    >>> same, source.unchanged()
    (True, False)
    """

    path: Path
    state: tuple[int, ...]

    @classmethod
    def of(cls, path: Path) -> SourceFile | None:
        """The file as it is now, or None if it cannot be looked at."""
        try:
            return cls(Path(os.path.abspath(path)), _file_state(path))
        except OSError:
            return None

    def unchanged(self) -> bool:
        """Whether the file is as it was."""
        try:
            return _file_state(self.path) == self.state
        except OSError:
            return False


def _file_state(path: Path) -> tuple[int, ...]:
    status = os.stat(path)
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


def _lines_shorter_than(data: bytes, size: int) -> bool:
    """Whether every line of ``data`` is shorter than ``size`` bytes, as far as a cheap test
    tells: False may be wrong (a line of ``size // 2`` bytes or more), True is not."""
    half = max(size // 2, 1)
    # A line of size - 1 bytes or more holds one of these blocks whole.
    return all(data.find(b"\n", lo, lo + half) >= 0 for lo in range(0, len(data) - half + 1, half))


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
