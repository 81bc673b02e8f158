"""Read Excel and Parquet files into the cells a CSV gives: the same rules for every format.

Neither goes through pandas' readers, whose defaults would decide for us: ``read_excel``
turns ``n/a``, ``null``, ``#N/A`` and the rest of pandas' NA list into missing values,
renames a repeated header ``b.1`` and accepts an empty one; ``read_parquet`` fails on a
repeated column name with pyarrow's own error. Excel cells are read by openpyxl as written
(a formula without a saved value is refused, not read as missing); Parquet columns by pyarrow.
Both then go through ``_cells`` and are validated like a CSV's text.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._cells import cell_text, check_header, uniform_cells
from ._errors import CohortValidationError, Problem

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["read_excel", "read_parquet"]

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and other Office 97 files)
_PARQUET = b"PAR1"


def read_excel(path: Path, sheet: str | int | None) -> pd.DataFrame:
    """Cells of one sheet, rows numbered as under a CSV header (blank rows take a number)."""
    _check_magic(path, "an Excel workbook (.xlsx)", (_ZIP,))
    try:
        import openpyxl
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
    try:
        rows = _sheet_rows(openpyxl.load_workbook(path, read_only=True, data_only=True), sheet)
        formulas = None
        if any(v is None for row in rows for v in row):
            # A formula's cell holds its value only if a spreadsheet program saved one.
            formulas = _sheet_rows(openpyxl.load_workbook(path, read_only=True), sheet)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as err:
        if isinstance(err, _SheetError):
            raise CohortValidationError([err.problem], file=path) from None
        raise CohortValidationError(
            [Problem(f"not a readable Excel workbook ({type(err).__name__})")], file=path
        ) from None
    return _table(rows, formulas, path)


class _SheetError(ValueError):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.rule)
        self.problem = problem


def _sheet_rows(workbook: Any, sheet: str | int | None) -> list[tuple[Any, ...]]:
    try:
        names = list(workbook.sheetnames)
        if sheet is None or isinstance(sheet, int):
            index = 0 if sheet is None else sheet
            if not 0 <= index < len(names):
                raise _SheetError(
                    Problem(f"no sheet number {index}", hint=f"the workbook has {len(names)}")
                )
            worksheet = workbook[names[index]]
        elif sheet in names:
            worksheet = workbook[sheet]
        else:
            raise _SheetError(
                Problem(f"no sheet named {sheet!r}", hint=f"sheets: {', '.join(names)}")
            )
        return [tuple(row) for row in worksheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _table(
    rows: list[tuple[Any, ...]], formulas: list[tuple[Any, ...]] | None, path: Path
) -> pd.DataFrame:
    import pandas as pd

    width = max((len(row) for row in rows), default=0)
    padded = [tuple(row) + (None,) * (width - len(row)) for row in rows]
    start = next((i for i, row in enumerate(padded) if not _blank(row)), None)
    if start is None:
        raise CohortValidationError([Problem("the sheet is empty")], file=path)
    header = [cell_text(v).strip() for v in padded[start]]
    body = padded[start + 1 :]
    # Columns with neither a name nor a value are formatting, not data.
    used = [j for j in range(width) if header[j] or any(_filled(row[j]) for row in body)]
    header = [header[j] for j in used]
    check_header(header, path)
    cells: list[list[Any]] = []
    numbers: list[int] = []
    problems: list[Problem] = []
    for offset, row in enumerate(body):
        if _blank(row):
            continue
        number = offset + 1
        for j in used:
            if row[j] is None and formulas is not None:
                formula = _at(formulas, start + 1 + offset, j)
                if isinstance(formula, str) and formula.startswith("="):
                    problems.append(
                        Problem(
                            "a formula with no saved value",
                            header[used.index(j)],
                            number,
                            formula,
                            "open and save the workbook in a spreadsheet program, or save as CSV",
                        )
                    )
        cells.append([row[j] for j in used])
        numbers.append(number)
    if problems:
        raise CohortValidationError(problems, file=path)
    frame = pd.DataFrame(cells, columns=header, dtype=object)
    frame.index = pd.Index(numbers, name="row", dtype="int64")
    return uniform_cells(frame)


def _at(rows: list[tuple[Any, ...]], i: int, j: int) -> Any:
    return rows[i][j] if i < len(rows) and j < len(rows[i]) else None


def _filled(value: Any) -> bool:
    return value is not None and cell_text(value).strip() != ""


def _blank(row: tuple[Any, ...]) -> bool:
    return not any(_filled(v) for v in row)


def read_parquet(path: Path) -> pd.DataFrame:
    """Columns of a Parquet file, rows numbered by position (first row 1)."""
    _check_magic(path, "a Parquet file", (_PARQUET,))
    try:
        import pyarrow.parquet as pq
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
    import pandas as pd

    try:
        # The header first: pyarrow refuses to read repeated names, with its own error.
        header = [name.strip() for name in pq.read_schema(path).names]
        check_header(header, path)
        table = pq.ParquetFile(path).read()
    except CohortValidationError:
        raise
    except Exception as err:  # pyarrow's errors are its own (ArrowInvalid, OSError, ...)
        raise CohortValidationError(
            [Problem(f"not a readable Parquet file ({type(err).__name__})")], file=path
        ) from None
    columns = {i: table.column(i).to_pandas() for i in range(table.num_columns)}
    frame = pd.DataFrame(columns)
    frame.columns = pd.Index(header, dtype=object)
    frame.index = pd.RangeIndex(1, table.num_rows + 1, name="row")
    return uniform_cells(frame)


def _check_magic(path: Path, kind: str, magics: tuple[bytes, ...]) -> None:
    """Refuse a file whose first bytes are not those of its suffix's format."""
    with path.open("rb") as handle:
        head = handle.read(512)
    if any(head.startswith(magic) for magic in magics):
        return
    if head.startswith(_OLE):
        hint = "the old binary .xls format is not read: save it as .xlsx or CSV"
    elif head and b"\x00" not in head and _decodes(head):
        hint = f"it looks like a text table: name it {path.stem}.csv"
    else:
        hint = None
    raise CohortValidationError(
        [Problem(f"not {kind}, whatever its suffix says", hint=hint)], file=path
    )


def _decodes(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as err:
        return err.start > len(head) - 4  # cut in the middle of a character
    return True
