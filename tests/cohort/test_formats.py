"""One reading path: the same table as CSV, Excel, Parquet and a DataFrame gives the same
Cohort, or the same error (issue 18, item 1).

Each case is a table of Python cells (text, numbers, None for an empty cell) written in every
format as a spreadsheet user would: text as text cells, numbers as numbers (Parquet: a float
column when the column holds only numbers, else a text column).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from cohort_reanalysis.cohort import Cohort, CohortValidationError

openpyxl = pytest.importorskip("openpyxl")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

PAIR = {"before": "b", "after": "a"}
Cells = Sequence[Sequence[Any]]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write_csv(path: Path, header: Sequence[str], rows: Cells) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([_text(v) for v in row] for row in rows)
    return path


def write_excel(path: Path, header: Sequence[str], rows: Cells) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for j, name in enumerate(header, start=1):
        if name:
            sheet.cell(row=1, column=j, value=name)
    for i, row in enumerate(rows, start=2):
        for j, value in enumerate(row, start=1):
            if isinstance(value, float) and not math.isfinite(value):
                value = _text(value)  # a sheet cannot hold an infinity; a user types it
            sheet.cell(row=i, column=j, value=value)
    workbook.save(path)
    return path


def write_parquet(path: Path, header: Sequence[str], rows: Cells) -> Path:
    arrays = []
    for j in range(len(header)):
        column = [row[j] for row in rows]
        if all(v is None or isinstance(v, float) for v in column):
            arrays.append(pa.array(column, type=pa.float64()))
        else:
            arrays.append(pa.array([None if v is None else _text(v) for v in column]))
    pq.write_table(pa.Table.from_arrays(arrays, names=list(header)), path)
    return path


WRITERS: dict[str, tuple[str, Callable[[Path, Sequence[str], Cells], Path]]] = {
    "csv": (".csv", write_csv),
    "excel": (".xlsx", write_excel),
    "parquet": (".parquet", write_parquet),
}

GOOD = [7.5, 8.1, 7.2]


def bad_cell(cell: Any, column: int = 0) -> tuple[list[str], list[list[Any]]]:
    """b, a and sex columns with one bad cell in row 2."""
    rows: list[list[Any]] = [[b, b - 0.5, "M"] for b in GOOD]
    rows[1][column] = cell
    return ["b", "a", "sex"], rows


MALFORMED: dict[str, tuple[list[str], list[list[Any]]]] = {
    "word": bad_cell("seven"),
    "n/a": bad_cell("n/a"),
    "N/A": bad_cell("N/A"),
    "null": bad_cell("null"),
    "None": bad_cell("None"),
    "#N/A": bad_cell("#N/A"),
    "nan-lowercase": bad_cell("nan"),
    "dash": bad_cell("-"),
    "arabic-indic digits": bad_cell("٧.٥"),
    "full-width digits": bad_cell("７.５"),
    "devanagari digit": bad_cell("७"),
    "complex": bad_cell("(7.5+0j)"),
    "comma decimal": bad_cell("7,5"),
    "censored": bad_cell("<5"),
    "percent": bad_cell("7.5%"),
    "infinity": bad_cell(math.inf),
    "overflow": bad_cell("1e999"),
    "mmol/mol as percent": bad_cell(74.0),
    "unknown sex code": bad_cell("X", column=2),
    "missing sex is fine, missing before needs allow": bad_cell(None, column=1),
    "duplicated header": (["b", "a", "a"], [[7.5, 7.0, 7.1], [8.1, 7.6, 7.7]]),
    "empty header": (["b", "a", ""], [[7.5, 7.0, 1.0], [8.1, 7.6, 2.0]]),
}


def _columns(case: str) -> dict[str, Any]:
    if case.startswith("missing"):
        return {**PAIR, "sex": "sex", "after": {"name": "a", "allow_missing": False}}
    if case in ("duplicated header", "empty header"):
        return PAIR
    return {**PAIR, "sex": "sex"}


def _problems(err: CohortValidationError) -> list[tuple[Any, ...]]:
    return [(p.rule, p.column, p.row, p.value, p.hint) for p in err.problems]


@pytest.mark.parametrize("case", list(MALFORMED))
def test_the_same_malformed_table_gives_the_same_error_in_every_format(
    tmp_path: Path, case: str
) -> None:
    header, rows = MALFORMED[case]
    found = {}
    for fmt, (suffix, writer) in WRITERS.items():
        path = writer(tmp_path / f"table{suffix}", header, rows)
        with pytest.raises(CohortValidationError) as info:
            Cohort.read(path, columns=_columns(case), measure="HbA1c", unit="%")
        assert info.value.file == str(path)
        found[fmt] = _problems(info.value)
    assert found["excel"] == found["csv"], case
    assert found["parquet"] == found["csv"], case
    if case not in ("duplicated header", "empty header"):
        assert found["csv"][0][2] == 2  # the row of the bad cell


def test_no_token_of_pandas_na_list_becomes_missing_in_excel(tmp_path: Path) -> None:
    # pandas.read_excel reads all of these as missing; a CSV's reader refuses them.
    tokens = ["n/a", "N/A", "null", "None", "#N/A", "nan", "-NaN", "NULL", "<NA>", "1.#QNAN"]
    rows = [[7.5 + i / 10, token] for i, token in enumerate(tokens)]
    path = write_excel(tmp_path / "t.xlsx", ["b", "a"], rows)
    with pytest.raises(CohortValidationError) as info:
        Cohort.from_excel(path, columns=PAIR)
    assert info.value.rows == tuple(range(1, len(tokens) + 1))
    assert {p.rule for p in info.value.problems} == {"not a number"}


def test_a_valid_table_gives_the_same_cohort_in_every_format(tmp_path: Path) -> None:
    header = ["id", "b", "a", "sex", "clinic"]
    rows = [
        ["p1", 7.5, 6.75, "M", "Kyoto"],
        ["p2", 8.1, None, "F", "Sapporo"],
        ["p3", 0.1, 12.125, None, "Clinique Hélène"],
        ["p4", 7.0, 6.5, "F", None],
    ]
    columns = {**PAIR, "id": "id", "sex": "sex"}
    cohorts = {
        fmt: Cohort.read(writer(tmp_path / f"t{suffix}", header, rows), columns=columns)
        for fmt, (suffix, writer) in WRITERS.items()
    }
    cohorts["frame"] = Cohort.from_frame(pd.DataFrame(rows, columns=header), columns=columns)
    for fmt, cohort in cohorts.items():
        assert cohort == cohorts["csv"], fmt
    np.testing.assert_array_equal(cohorts["csv"].values("b"), [7.5, 8.1, 0.1, 7.0])
    assert cohorts["csv"].values("clinic").tolist() == ["Kyoto", "Sapporo", "Clinique Hélène", None]


@pytest.mark.parametrize(("cell", "value"), [("٧.٥", 7.5), ("７.５", 7.5), ("७", 7.0)])
def test_other_digits_are_read_only_when_asked(tmp_path: Path, cell: str, value: float) -> None:
    header, rows = bad_cell(cell)
    for suffix, writer in WRITERS.values():
        path = writer(tmp_path / f"t{suffix}", header, rows)
        with pytest.raises(CohortValidationError, match="digits='any'") as info:
            Cohort.read(path, columns=PAIR)
        assert info.value.rows == (2,) and info.value.rule == "not a number"
        cohort = Cohort.read(path, columns=PAIR, digits="any")
        assert cohort.values("b")[1] == value
        assert cohort.pair().excluded == ()


def test_other_digits_were_not_read_as_missing(tmp_path: Path) -> None:
    # They used to leave the row out with the false reason "b missing".
    path = write_csv(tmp_path / "t.csv", *bad_cell("٧.٥"))
    with pytest.raises(CohortValidationError) as info:
        Cohort.from_csv(path, columns=PAIR)
    assert "'٧.٥' as '7.5'" in str(info.value)


def test_unknown_digits_option_is_refused() -> None:
    with pytest.raises(ValueError, match="digits must be one of"):
        Cohort.from_frame(pd.DataFrame({"b": [1.0], "a": [2.0]}), columns=PAIR, digits="arabic")


@pytest.mark.parametrize(
    "column",
    [
        np.array([7.5 + 0j, 8.1 + 1j]),
        np.array([True, False]),
        pd.to_datetime(["2020-01-01", "2020-02-01"]),
        pd.array([7, None], dtype="Int64"),
    ],
    ids=["complex", "bool", "datetime", "nullable-int"],
)
def test_frames_of_non_real_dtypes_are_refused_not_converted(column: Any) -> None:
    frame = pd.DataFrame({"b": column, "a": [6.0, 7.0]})
    if isinstance(column, pd.arrays.IntegerArray):
        cohort = Cohort.from_frame(frame, columns=PAIR)  # integers with a missing one are real
        assert cohort.values("b")[0] == 7.0 and np.isnan(cohort.values("b")[1])
        return
    with pytest.raises(CohortValidationError) as info:
        Cohort.from_frame(frame, columns=PAIR)
    assert info.value.column == "b" and info.value.rule == "not a number"
    assert info.value.rows == (1, 2)


def test_a_complex_column_is_not_cut_to_its_real_part() -> None:
    frame = pd.DataFrame({"b": [7.5 + 0j, 8.1 + 0j], "a": [6.0, 7.0]})
    with pytest.raises(CohortValidationError, match="complex number") as info:
        Cohort.from_frame(frame, columns=PAIR)
    assert info.value.value == "(7.5+0j)"


def test_formula_without_a_saved_value_is_refused(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["b", "a"])
    sheet.append([7.5, 7.0])
    sheet.append([8.1, "=A3-0.5"])  # openpyxl saves formulas without a computed value
    path = tmp_path / "t.xlsx"
    workbook.save(path)
    with pytest.raises(CohortValidationError) as info:
        Cohort.from_excel(path, columns=PAIR)
    err = info.value
    assert (err.rule, err.column, err.rows, err.value) == (
        "a formula with no saved value",
        "a",
        (2,),
        "=A3-0.5",
    )


def test_excel_rows_are_numbered_like_a_csv_and_blank_rows_skipped(tmp_path: Path) -> None:
    rows: list[list[Any]] = [[7.5, 7.0], [None, None], [8.1, 7.6]]
    for suffix, writer in (WRITERS["csv"], WRITERS["excel"]):
        cohort = Cohort.read(writer(tmp_path / f"t{suffix}", ["b", "a"], rows), columns=PAIR)
        assert cohort.rows.tolist() == [1, 3]


def test_missing_sheet_is_named(tmp_path: Path) -> None:
    path = write_excel(tmp_path / "t.xlsx", ["b", "a"], [[7.5, 7.0]])
    with pytest.raises(CohortValidationError, match="no sheet named 'other'"):
        Cohort.from_excel(path, sheet="other", columns=PAIR)
    with pytest.raises(CohortValidationError, match="no sheet number 3"):
        Cohort.from_excel(path, sheet=3, columns=PAIR)


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_a_csv_named_as_another_format(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"table{suffix}"
    path.write_text("b,a\n7.5,7.0\n", encoding="utf-8")
    with pytest.raises(CohortValidationError, match="it looks like a text table") as info:
        Cohort.read(path, columns=PAIR)
    assert info.value.file == str(path)


def test_a_truncated_parquet_file(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "t.parquet", ["b", "a"], [[7.5, 7.0]])
    path.write_bytes(path.read_bytes()[:40] + b"PAR1")
    with pytest.raises(CohortValidationError, match="not a readable Parquet file"):
        Cohort.read(path, columns=PAIR)


def test_the_old_xls_format_is_named(tmp_path: Path) -> None:
    path = tmp_path / "t.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(CohortValidationError, match=r"old binary \.xls"):
        Cohort.read(path, columns=PAIR)
