"""Read a table file into raw cells, numbered as in the file (first data row 1).

Reading is kept apart from typing (``_validate``) so that every format gives the validator the
same thing: a frame of cells indexed by file row number, with problems named by file.
"""

from __future__ import annotations

import codecs
import csv
import io
import stat
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ._bulk import SourceFile, bulk_cells
from ._cells import check_header
from ._errors import CohortValidationError, Problem
from ._formats import read_excel, read_parquet
from ._printed import Printed

__all__ = ["RawTable", "check_regular_file", "read_raw_table"]

_DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class RawTable:
    """A table file's cells, before they are typed.

    Attributes
    ----------
    cells : DataFrame
        Every column real numbers or text (see ``_cells``), whatever the format; the index
        numbers the rows as in the file (first data row 1).
    printed : mapping of str to ndarray or DeferredText
        The columns of a text table that were read as numbers already (every cell a plain
        number or a missing token, see ``_bulk``): each cell's text as the file printed it,
        as bytes or still in the file (``_printed.printed_text`` makes it strings).
    """

    cells: pd.DataFrame
    printed: Mapping[str, Printed] = field(default_factory=dict)


def read_raw_table(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> RawTable:
    """Cells of a CSV, Excel or Parquet file.

    Raises
    ------
    CohortValidationError
        When the file is missing or not a regular file, empty, binary, undecodable, not of
        the format its suffix names, has no rows, or its header repeats or omits a name.
    """
    path = Path(path)
    check_regular_file(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        table = RawTable(read_excel(path, sheet))
    elif suffix in (".parquet", ".pq"):
        table = RawTable(read_parquet(path))
    else:
        table = _read_text_table(path, encoding=encoding, delimiter=delimiter)
    if table.cells.shape[0] == 0:
        raise CohortValidationError([Problem("the table has a header but no rows")], file=path)
    return table


def check_regular_file(path: Path) -> None:
    """Refuse a path that is not a regular file, saying what it is instead.

    Checked without opening the file: opening a named pipe would wait for a writer.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise CohortValidationError([Problem("no such file")], file=path) from None
    except OSError as err:
        raise CohortValidationError(
            [Problem(f"cannot read the file: {err.strerror or type(err).__name__}")], file=path
        ) from None
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _NOT_FILES if test(mode)), "not a regular file")
    raise CohortValidationError(
        [Problem(f"not a regular file but {kind}", hint="give the path of a table file")],
        file=path,
    )


_NOT_FILES = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _read_text_table(path: Path, *, encoding: str | None, delimiter: str | None) -> RawTable:
    """Cells as text, indexed by row number: the count of records under the header.

    A blank line inside the table takes a number (so "row 3" is the third line under the
    header in an editor) but a line break inside a quoted cell does not. Parsed with the csv
    module rather than pandas, which renumbers rows after blank lines, pads short rows with
    missing values and shifts a table whose rows are all one cell long.
    """
    source = SourceFile.of(path)  # (before reading: a change after it shows)
    data = path.read_bytes()
    if not data or data.isspace():  # (not data.strip(), which copies the file)
        raise CohortValidationError([Problem("the file is empty")], file=path)
    if encoding is None and _looks_utf16(data):
        raise CohortValidationError(
            [
                Problem(
                    "UTF-16 text, not UTF-8",
                    hint="pass encoding='utf-16' (command line: --encoding utf-16) "
                    "or save the table as UTF-8 CSV",
                )
            ],
            file=path,
        )
    if encoding is None and b"\x00" in data[:4096]:
        raise CohortValidationError(
            [Problem("the file is binary, not a text table", hint="save it as CSV")], file=path
        )
    text = _decode(data, path, encoding)
    if not text or text.isspace():
        # Only a byte-order mark or Unicode whitespace: empty once decoded.
        raise CohortValidationError([Problem("the file is empty")], file=path)
    try:
        sep = delimiter or _detect_delimiter(_first_lines(text, 20), path)
    except csv.Error as err:
        raise CohortValidationError([Problem(f"not a readable table: {err}")], file=path) from None
    # The file's own bytes are the text's UTF-8 (saves encoding it again) unless decoded
    # otherwise or from behind a byte-order mark.
    utf8 = data if encoding is None and not data.startswith(codecs.BOM_UTF8) else None
    bulk = bulk_cells(text, sep, utf8, source if utf8 is not None else None)
    if bulk is not None:
        check_header(bulk.header, path)
        return RawTable(bulk.cells, bulk.printed)
    return RawTable(_read_records(text, sep, path))


def _read_records(text: str, sep: str, path: Path) -> pd.DataFrame:
    """The table record by record with the csv module (see ``_read_text_table``)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, skipinitialspace=True)
    header: list[str] | None = None
    row = 0
    cells: list[list[str]] = []
    rows: list[int] = []
    problems: list[Problem] = []
    try:
        for record in reader:
            blank = not "".join(record).strip()
            if header is None:
                if not blank:
                    header = [c.strip() for c in record]
                    check_header(header, path)
                continue
            row += 1
            if blank:
                continue
            if len(record) != len(header):
                rule = (
                    f"not the same number of cells as the header ({len(record)} here, "
                    f"{len(header)} in the header)"
                )
                problems.append(Problem(rule, row=row, value=sep.join(record)))
                continue
            cells.append(record)
            rows.append(row)
    except csv.Error as err:
        raise CohortValidationError(
            [Problem(f"not a readable table near line {reader.line_num}: {err}")], file=path
        ) from None
    if problems:
        raise CohortValidationError(problems, file=path)
    if header is None:
        # Every line held only delimiters or spaces.
        raise CohortValidationError([Problem("the file is empty")], file=path)
    return pd.DataFrame(cells, columns=header, index=pd.Index(rows, name="row"), dtype=object)


def _decode(data: bytes, path: Path, encoding: str | None) -> str:
    if encoding is not None:
        try:
            return data.decode(encoding)
        except LookupError:
            raise CohortValidationError(
                [Problem("unknown text encoding", value=encoding)], file=path
            ) from None
        except UnicodeDecodeError as err:
            line = data[: err.start].count(b"\n") + 1
            raise CohortValidationError(
                [
                    Problem(
                        f"not {encoding} text (byte 0x{data[err.start]:02X} on line {line})",
                        hint="pass the file's real encoding",
                    )
                ],
                file=path,
            ) from None
    try:
        # utf-8-sig drops a byte-order mark, which spreadsheet exports often add.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise CohortValidationError(
            [
                Problem(
                    f"not UTF-8 text (byte 0x{data[err.start]:02X} on line {line})",
                    hint="latin-1? pass encoding='latin-1' (command line: --encoding latin-1)",
                )
            ],
            file=path,
        ) from None


def _first_lines(text: str, count: int) -> list[str]:
    """The lines of ``text`` (as ``str.splitlines`` splits them) up to the ``count``-th
    non-blank one, without splitting the whole text."""
    size = 4096
    while True:
        lines = text[:size].splitlines()
        if size >= len(text):
            return lines
        filled = [i for i, line in enumerate(lines) if line.strip()]
        if len(filled) > count:  # the last line may be cut; the first ``count`` are whole
            return lines[: filled[count - 1] + 1]
        size *= 4


def _detect_delimiter(lines: list[str], path: Path) -> str:
    """The delimiter that splits the first lines into the same number (>1) of fields."""
    sample = [line for line in lines if line.strip()][:20]
    best: tuple[int, str] | None = None
    for sep in _DELIMITERS:
        widths = {len(row) for row in csv.reader(sample, delimiter=sep)}
        if len(widths) == 1 and (width := widths.pop()) > 1 and (best is None or width > best[0]):
            best = (width, sep)
    if best is None:
        # One column, or ragged under every delimiter: let the parser name the bad line.
        counts = Counter(ch for ch in sample[0] if ch in _DELIMITERS)
        return counts.most_common(1)[0][0] if counts else ","
    return best[1]


def _looks_utf16(data: bytes) -> bool:
    """A UTF-16 byte-order mark, or NUL bytes in every other place as ASCII text in UTF-16."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return True
    head = data[:4096]
    if len(head) < 8:
        return False
    even, odd = head[0::2], head[1::2]
    return even.count(0) > 0.9 * len(even) or odd.count(0) > 0.9 * len(odd)
