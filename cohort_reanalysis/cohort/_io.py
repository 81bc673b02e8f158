"""Read a table file into raw cells, numbered as in the file (first data row 1).

Reading is kept apart from typing (``_validate``) so that every format gives the validator the
same thing: a frame of cells indexed by file row number, with problems named by file.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pandas as pd

from ._errors import CohortValidationError, Problem

__all__ = ["read_raw_table"]

_DELIMITERS = (",", ";", "\t", "|")


def read_raw_table(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> tuple[pd.DataFrame, str | None]:
    """Raw cells of a CSV, Excel or Parquet file and the delimiter used (CSV only).

    Raises
    ------
    CohortValidationError
        When the file is missing, empty, binary, undecodable, has no rows, or its header
        repeats a column name.
    """
    path = Path(path)
    if not path.is_file():
        raise CohortValidationError([Problem("no such file")], file=path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        raw = _read_excel(path, sheet)
        found: str | None = None
    elif suffix in (".parquet", ".pq"):
        raw = _read_parquet(path)
        found = None
    else:
        raw, found = _read_text_table(path, encoding=encoding, delimiter=delimiter)
    if raw.shape[0] == 0:
        raise CohortValidationError([Problem("the table has a header but no rows")], file=path)
    if found is None:
        # Spreadsheet and Parquet rows are numbered by position, first data row 1.
        raw.index = pd.RangeIndex(1, raw.shape[0] + 1, name="row")
    return raw, found


def _read_text_table(
    path: Path, *, encoding: str | None, delimiter: str | None
) -> tuple[pd.DataFrame, str]:
    """Cells as text, indexed by row number: the count of records under the header.

    A blank line inside the table takes a number (so "row 3" is the third line under the
    header in an editor) but a line break inside a quoted cell does not. Parsed with the csv
    module rather than pandas, which renumbers rows after blank lines, pads short rows with
    missing values and shifts a table whose rows are all one cell long.
    """
    data = path.read_bytes()
    if not data.strip():
        raise CohortValidationError([Problem("the file is empty")], file=path)
    if b"\x00" in data[:4096]:
        raise CohortValidationError(
            [Problem("the file is binary, not a text table", hint="save it as CSV")], file=path
        )
    text = _decode(data, path, encoding)
    if not text.strip():
        # Only a byte-order mark or Unicode whitespace: empty once decoded.
        raise CohortValidationError([Problem("the file is empty")], file=path)
    try:
        sep = delimiter or _detect_delimiter(text.splitlines(), path)
    except csv.Error as err:
        raise CohortValidationError([Problem(f"not a readable table: {err}")], file=path) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, skipinitialspace=True)
    header: list[str] | None = None
    row = 0
    cells: list[list[str]] = []
    rows: list[int] = []
    problems: list[Problem] = []
    try:
        for record in reader:
            blank = not any(cell.strip() for cell in record)
            if header is None:
                if not blank:
                    header = [c.strip() for c in record]
                    _check_header(header, path)
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
    raw = pd.DataFrame(cells, columns=header, index=pd.Index(rows, name="row"), dtype=object)
    return raw, sep


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


def _check_header(header: list[str], path: Path) -> None:
    seen = Counter(header)
    duplicated = [name for name, count in seen.items() if count > 1]
    if duplicated:
        raise CohortValidationError(
            [Problem("duplicated column name in the header", name) for name in duplicated],
            file=path,
        )
    if any(not name for name in header):
        raise CohortValidationError([Problem("a column has no name in the header")], file=path)


def _read_excel(path: Path, sheet: str | int | None) -> pd.DataFrame:
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise CohortValidationError(
            [
                Problem(
                    "reading Excel needs openpyxl",
                    hint="pip install 'cohort-reanalysis[excel]' or save the sheet as CSV",
                )
            ],
            file=path,
        ) from None
    raw = pd.read_excel(path, sheet_name=0 if sheet is None else sheet, dtype=object)
    _check_header([str(c) for c in raw.columns if not str(c).startswith("Unnamed")], path)
    return raw


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(path)
    except ImportError:
        raise CohortValidationError(
            [
                Problem(
                    "reading Parquet needs pyarrow",
                    hint="pip install 'cohort-reanalysis[parquet]' or save the table as CSV",
                )
            ],
            file=path,
        ) from None
