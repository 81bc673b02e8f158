"""The bulk reader of text tables (issue 18.5) against the csv module's record-by-record one.

``bulk_cells`` may decline a table (None), but a table it reads must give exactly the cells,
header and row numbers that the record-by-record reader gives, and a table that reader
refuses (a ragged row, a bad header) must not be read in bulk.
"""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path
from unittest.mock import patch

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cohort_reanalysis.cohort import CohortValidationError, _bulk
from cohort_reanalysis.cohort._bulk import _SPLIT_ROWS, SourceFile, bulk_cells
from cohort_reanalysis.cohort._cells import check_header
from cohort_reanalysis.cohort._io import _read_records
from cohort_reanalysis.cohort._printed import DeferredText

PIECES = [
    "7.5",
    "-1e3",
    "NA",
    "",
    " ",
    "  x",
    "a b",
    "é",
    "\t",
    "\u00a0",
    "\u2028",
    "\x1c",
    "\x0c",
    "\ufeff",
    '"',
    "\r",
    "\r\n",
    "\n",
    ",",
    ";",
    "|",
    "\x00",
    "٣",
    "b",
    "b",
]

CELLS = PIECES + ["1", "2.50"] * 6


def both(text: str, sep: str) -> tuple[object, object]:
    try:
        records: object = _read_records(text, sep, Path("t.csv"))
    except CohortValidationError as err:
        records = str(err)
    bulk = bulk_cells(text, sep)
    if bulk is not None:
        try:
            check_header(bulk.header, "t.csv")
        except CohortValidationError as err:
            return records, str(err)
    return records, None if bulk is None else bulk.text()


def same(text: str, sep: str) -> bool:
    records, bulk = both(text, sep)
    if bulk is None:
        return False
    if isinstance(bulk, pd.DataFrame):
        assert isinstance(records, pd.DataFrame), (text, records)
        pd.testing.assert_frame_equal(bulk, records)
    else:
        assert bulk == records
    return True


#: Cells of tables of numbers alone (and the bytes that break their lines).
NUMBERS = ["7.5", "-1e3", "NA", "NaN", "", "1", "2.50", "-0", "+.5", "5.", "1e999"] * 3
NUMBERS += [",", "\n"]


@st.composite
def tables(draw: st.DrawFn, cells: list[str] = CELLS) -> tuple[str, str]:
    sep = draw(st.sampled_from([",", ";", "\t", "|", " "]))
    width = draw(st.integers(1, 4))
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        size = max(width + draw(st.sampled_from([0] * 8 + [-1, 1])), 0)
        drawn = draw(st.lists(st.sampled_from(cells), min_size=size, max_size=size))
        lines.append(sep.join(drawn))
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    return ending.join(lines) + draw(st.sampled_from(["", ending, ending * 2])), sep


@settings(max_examples=600, deadline=None)
@given(tables())
@example(("b,a\n7.5,6.4\n\n8.1,x\n", ","))
@example(("\n\n b , a\r\n7.5, 6.4\r\n \r\n,\r\n8.1,\t\r\n", ","))
def test_bulk_reads_what_the_csv_module_reads(table: tuple[str, str]) -> None:
    same(*table)


@pytest.mark.parametrize(
    "text",
    [
        "b,a\n7.5,6.4\n\n8.1,x\n",
        "b,a\r\n7.5,6.4\r\n8.1,7\r\n",
        "\n \nb,a\n 7.5,  6.4\n,\n\u00a0,\n8.1,x",
        "b,a\n7.5,6.4\n\u2028,\x1c\n",
        "b\n7.5\n\n6.4\n",
        "b,a,b\n1,2,3\n",
    ],
)
def test_bulk_reads_plain_tables(text: str) -> None:
    assert same(text, ",")
    many = text.split("\n", 1)[0] + "\n" + "7.5,6.4,1\n" * (_SPLIT_ROWS + 1)
    same(many, ",")


@settings(max_examples=600, deadline=None)
@given(tables())
@example(("b,a\n7.5,6.4\n\n8.1,x\n", ","))
@example(("b,a\r\n7.5,NA\r\n\r\n-1e3,\r\n8.10,NaN", ","))
@example(("b;a\n1;2\n\n\n3;4\n5;", ";"))
def test_long_tables_read_in_slices_give_the_csv_module_cells(table: tuple[str, str]) -> None:
    # Every table takes the long-table path (plain-number columns converted from bytes, the
    # others parsed by pandas), in slices of a few bytes: across slices, blank lines and
    # carriage returns, the cells and row numbers are the csv module's.
    with patch.object(_bulk, "_SPLIT_ROWS", 0), patch.object(_bulk, "_SLICE_BYTES", 7):
        same(*table)


@pytest.mark.parametrize("slice_bytes", [1, 5, 64, 1 << 17])
def test_plain_columns_are_given_as_the_floats_float_reads(
    slice_bytes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    cells = ["7.5", "NA", "-0.125", "1e3", "", "007", "+.5", "5.", "NaN", "123456789012345678"]
    text = "b,a,id\n" + "".join(f"{c},{c[::-1]},P{i}\n" for i, c in enumerate(cells))
    monkeypatch.setattr(_bulk, "_SPLIT_ROWS", 0)
    monkeypatch.setattr(_bulk, "_SLICE_BYTES", slice_bytes)
    table = bulk_cells(text, ",")
    assert table is not None
    assert set(table.printed) == {"b"}  # "a" holds "5.-" and "e1" (reversed): text
    expected = [float(c) if c not in ("", "NA", "NaN") else None for c in cells]
    got = [None if v != v else v for v in table.cells["b"].tolist()]
    assert got == expected
    assert table.text()["b"].tolist() == cells
    assert table.cells["id"].tolist() == [f"P{i}" for i in range(len(cells))]


@pytest.mark.parametrize(
    "text",
    [
        'b,a\n"7,5",6.4\n',  # quotes
        "b,a\n7.5\r6.4\n",  # a lone carriage return
        "b,a\n7.5,6.4,1\n",  # ragged
        "b,a\n7.5\n",  # ragged
        "b,a\n",  # no rows
        "b,a\n\ufeff7.5,6.4\n",  # a byte-order mark the parser would drop
        "b,a\n7\x00,6\n",
    ],
)
def test_bulk_declines(text: str) -> None:
    assert bulk_cells(text, ",") is None


def test_bulk_declines_a_cell_longer_than_the_csv_module_reads() -> None:
    import csv

    assert bulk_cells("b,a\n1," + "7" * (csv.field_size_limit() + 1) + "\n", ",") is None


def test_bulk_declines_a_space_delimiter() -> None:
    assert bulk_cells("b a\n1  2\n", " ") is None


needs_fast_float = pytest.mark.skipif(
    not _bulk._PANDAS_FLOATS, reason="tables of numbers are read by pandas from pandas 3.1 on"
)


def _python(cell: str) -> float | None:
    """What the library reads a cell of a numeric column as: NaN for a missing token, the
    float ``float`` gives, or None (refused; a NaN spelled otherwise is no measurement)."""
    if cell in ("", "NA", "NaN"):
        return float("nan")
    try:
        value = float(cell)
    except ValueError:
        return None
    return None if value != value else value


def _cells(alphabet: str, longest: int) -> list[str]:
    sizes = range(1, longest + 1)
    return ["".join(p) for n in sizes for p in itertools.product(alphabet, repeat=n)]


def _floats_of(cells: list[str]) -> np.ndarray | None:
    data = ("x\n" + "\n".join(cells) + "\n").encode()
    frame = _bulk._floats(data, ",", 1, None)
    return None if frame is None else frame[0].to_numpy()


@needs_fast_float
def test_pandas_reads_every_number_python_reads_to_the_same_float() -> None:
    # Every cell of up to six digits, points, signs and exponent letters, and of up to four
    # with the letters of the missing tokens too: the bulk reader's premise for such cells.
    cells = sorted(set(_cells("01.+-eE", 6)) | set(_cells("01.+-eENaA", 4)))
    numbers = [c for c in cells if _python(c) is not None]
    got = _floats_of(numbers)
    assert got is not None
    expected = np.array([_python(c) for c in numbers])
    same = np.isnan(got) == np.isnan(expected)
    same &= (got == expected) | np.isnan(expected)
    same &= np.signbit(got) == np.signbit(expected)  # "-0" is -0.0
    assert same.all(), [c for c, ok in zip(numbers, same, strict=True) if not ok][:10]


@needs_fast_float
def test_pandas_refuses_every_cell_python_refuses() -> None:
    # One read per cell of up to three bytes (exactly the reader's call), and for longer
    # ones pandas' type inference on a one-row table of one column per cell: a column left
    # as text is one whose cell the float parser refused.
    short = [c for c in _cells("01.+-eENaA", 3) if _python(c) is None]
    assert len(short) > 900
    assert [c for c in short if _floats_of(["1", c]) is not None] == []
    longer = [c for c in _cells("01.+-eENaA", 4) + _cells("01.+-eE", 5) if _python(c) is None]
    frame = pd.read_csv(
        io.StringIO(",".join(longer) + "\n"),
        header=None,
        keep_default_na=False,
        na_values=["", "NA", "NaN"],
        quoting=csv.QUOTE_NONE,
    )
    read = [c for c, kind in zip(longer, frame.dtypes, strict=True) if kind.kind != "O"]
    assert read == []


@needs_fast_float
@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.from_regex(
            r"[+-]?([0-9]{1,30}(\.[0-9]{0,30})?|\.[0-9]{1,30})([eE][+-]?[0-9]{1,3})?",
            fullmatch=True,
        ),
        min_size=1,
        max_size=40,
    )
)
def test_pandas_reads_long_numbers_to_the_float_python_reads(cells: list[str]) -> None:
    got = _floats_of(cells)
    assert got is not None
    assert got.tolist() == [float(c) for c in cells]
    assert np.signbit(got).tolist() == [np.signbit(float(c)) for c in cells]


@needs_fast_float
@settings(max_examples=400, deadline=None)
@given(tables(NUMBERS))
@example(("b,a\n7.5,6.4\n,\n8.1,\n", ","))
@example(("b,a\n7.5,6.4,\n8.1\n", ","))  # a long line beside a short one
@example(("b,a\n7.5\n8.1,6.4,1\n", ","))
@example(("b\n7.5\n\n\r\nNA\n", ","))
def test_long_tables_of_numbers_give_the_csv_module_cells(table: tuple[str, str]) -> None:
    # The same tables, those of numbers alone read by pandas' parser.
    with patch.object(_bulk, "_SPLIT_ROWS", 0):
        same(*table)


@needs_fast_float
def test_a_long_table_of_numbers_is_read_by_pandas_its_text_deferred() -> None:
    text = "b,a\n7.50,NA\n,\n-0,1e3\n"
    with patch.object(_bulk, "_SPLIT_ROWS", 0):
        table = bulk_cells(text, ",")
    assert table is not None
    assert all(isinstance(p, DeferredText) for p in table.printed.values())
    assert table.cells.index.tolist() == [1, 3]  # the blank line is row 2
    assert table.text()["b"].tolist() == ["7.50", "-0"]
    assert table.text()["a"].tolist() == ["NA", "1e3"]


@needs_fast_float
def test_a_table_file_rewritten_while_pandas_reads_it_is_read_from_the_bytes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "t.csv"
    path.write_text("b,a\n7.5,6.4\n")
    source = SourceFile.of(path)
    assert source is not None and source.unchanged()
    path.write_text("b,a\n9.9,9.9\n")
    assert not source.unchanged()
    with patch.object(_bulk, "_SPLIT_ROWS", 0):
        table = bulk_cells("b,a\n7.5,6.4\n", ",", source=source)
    assert table is not None and table.cells["b"].tolist() == [7.5]
