"""The bulk reader of text tables (issue 18.5) against the csv module's record-by-record one.

``bulk_cells`` may decline a table (None), but a table it reads must give exactly the cells,
header and row numbers that the record-by-record reader gives, and a table that reader
refuses (a ragged row, a bad header) must not be read in bulk.
"""

from __future__ import annotations

from pathlib import Path
from unittest.mock import patch

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cohort_reanalysis.cohort import CohortValidationError, _bulk
from cohort_reanalysis.cohort._bulk import _SPLIT_ROWS, bulk_cells
from cohort_reanalysis.cohort._cells import check_header
from cohort_reanalysis.cohort._io import _read_records

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


@st.composite
def tables(draw: st.DrawFn) -> tuple[str, str]:
    sep = draw(st.sampled_from([",", ";", "\t", "|", " "]))
    width = draw(st.integers(1, 4))
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        size = max(width + draw(st.sampled_from([0] * 8 + [-1, 1])), 0)
        cells = draw(st.lists(st.sampled_from(CELLS), min_size=size, max_size=size))
        lines.append(sep.join(cells))
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
