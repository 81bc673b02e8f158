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
"""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import pandas as pd

__all__ = ["bulk_cells"]

#: Delimiters read in bulk: a space is not (with ``skipinitialspace`` the csv module reads
#: a run of spaces as one delimiter).
BULK_DELIMITERS = frozenset(",;\t|")

#: Bytes that may be part of a blank line: ASCII whitespace as ``str.strip`` removes it, and
#: every byte of a non-ASCII character (which may be Unicode whitespace: checked one by one).
_MAYBE_BLANK = np.zeros(256, dtype=bool)
_MAYBE_BLANK[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
_MAYBE_BLANK[128:] = True

_BOM = "\ufeff".encode()


def bulk_cells(text: str, sep: str) -> tuple[list[str], pd.DataFrame] | None:
    """The header and the cells (text, indexed by row number) of ``text``, or None.

    None means "read it record by record": the table has quotes or another feature this
    reader does not take, or a row whose length differs from the header's (whose problem
    the record-by-record reader words), or no header or no rows.

    Examples
    --------
    >>> header, cells = bulk_cells("b,a\\n7.5,6.4\\n\\n8.1, x\\n", ",")
    >>> header, cells.index.tolist(), cells["a"].tolist()
    (['b', 'a'], [1, 3], ['6.4', 'x'])
    >>> bulk_cells('b,a\\n"7,5",6.4\\n', ",") is None
    True
    """
    if sep not in BULK_DELIMITERS or '"' in text or "\x00" in text:
        return None
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None  # a lone carriage return ends a record for the csv module
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return None
    codes = np.frombuffer(data, dtype=np.uint8)
    breaks = np.flatnonzero(codes == 10)
    starts = np.concatenate(([0], breaks + 1))
    if starts[-1] == codes.size:
        starts = starts[:-1]  # the text ends with a line break: no record after it
    ends = np.append(starts[1:], codes.size)  # each line with its line break
    if starts.size and int(np.max(ends - starts)) > csv.field_size_limit():
        return None  # the csv module refuses a cell this long
    delimiters = np.flatnonzero(codes == ord(sep))
    widths = np.diff(np.searchsorted(delimiters, np.append(starts, codes.size))) + 1
    blank = _blank_lines(data, codes, starts, ends, sep)
    filled = np.flatnonzero(~blank)
    if filled.size < 2:
        return None  # no header, or no rows under it
    first = int(filled[0])
    line = data[starts[first] : ends[first]].decode("utf-8")
    header = [cell.strip() for cell in line.rstrip("\r\n").split(sep)]
    body = filled[1:]
    if np.any(widths[body] != len(header)):
        return None
    rows = body - first
    if body.size == len(starts) - first - 1:  # no blank line under the header
        block = data[starts[first + 1] :]
    else:
        block = b"".join(data[starts[a] : ends[b]] for a, b in _runs(body))
    if block.startswith(_BOM):
        return None  # the parser would drop it; the csv module keeps it in the cell
    index = pd.Index(rows, name="row", dtype="int64")
    if rows.size <= _SPLIT_ROWS:
        # pandas' parser builds each column for itself: slow on a table of 10^4 columns.
        cells = pd.DataFrame(_split(block, sep), columns=header, index=index, dtype=object)
    else:
        try:
            cells = _parse(block, sep, len(header))
        except (ValueError, pd.errors.ParserError):  # not expected once widths are checked
            return None
        cells.columns = pd.Index(header)  # as pd.DataFrame(columns=header) makes it
        cells.index = index
    if cells.shape != (rows.size, len(header)):
        return None
    return header, cells


#: Tables of at most this many rows are split by ``str.split``, longer ones by pandas.
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


def _parse(block: bytes, sep: str, width: int) -> pd.DataFrame:
    """Every cell as its text: no missing values, no quoting, blank lines kept."""
    return pd.read_csv(
        io.BytesIO(block),
        sep=sep,
        header=None,
        names=range(width),
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
