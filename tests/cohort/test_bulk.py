"""The bulk reader of text tables (issue 18.5) against the csv module's record-by-record one.

``bulk_cells`` may decline a table (None), but a table it reads must give exactly the cells,
header and row numbers that the record-by-record reader gives, and a table that reader
refuses (a ragged row, a bad header) must not be read in bulk.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cohort_reanalysis.cohort import CohortValidationError
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
        records: object = _read_records(text, sep, Path("t.csv"))[0]
    except CohortValidationError as err:
        records = str(err)
    bulk = bulk_cells(text, sep)
    if bulk is not None:
        header = bulk[0]
        try:
            check_header(header, "t.csv")
        except CohortValidationError as err:
            return records, str(err)
    return records, None if bulk is None else bulk[1]


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
