"""A long CSV (read in slices, its plain-number columns converted from bytes) gives the same
Cohort, or the same error, as the same table read by the short-table path (every cell a
Python string, typed by the validator).

The short path is forced by raising ``_bulk._SPLIT_ROWS`` above the table's length; the
long path by lowering it to 0 and slicing every few bytes.
"""

from __future__ import annotations

from pathlib import Path
from unittest.mock import patch

import numpy as np
import pandas as pd
import pytest

from cohort_reanalysis import Cohort
from cohort_reanalysis.cohort import CohortValidationError, _bulk
from cohort_reanalysis.cohort._printed import DeferredText

COLUMNS = {
    "before": "b",
    "after": "a",
    "id": "id",
    "group": "arm",
    "dose": {"name": "dose", "role": "dose", "dtype": "int"},
}


def _read(
    path: Path, long: bool, pandas: bool = True, columns: object = COLUMNS, **options: object
) -> object:
    split = 0 if long else 10**9
    with (
        patch.object(_bulk, "_SPLIT_ROWS", split),
        patch.object(_bulk, "_SLICE_BYTES", 11),
        patch.object(_bulk, "_PANDAS_FLOATS", _bulk._PANDAS_FLOATS and pandas),
    ):
        try:
            cohort = Cohort.read(path, columns=columns, **options)  # type: ignore[arg-type]
        except CohortValidationError as err:
            return str(err)
    return (
        cohort.frame,
        {name: cohort.printed(name) for name in ("b", "a", "dose")},
        cohort.values("b"),
    )


def _same(path: Path, **options: object) -> object:
    """The short path's result, once the long paths (pandas' parser for a table of numbers,
    slices) are seen to give the same."""
    short = _read(path, False, **options)
    for long in (_read(path, True, **options), _read(path, True, pandas=False, **options)):
        if isinstance(short, str) or isinstance(long, str):
            assert long == short
            continue
        assert isinstance(short, tuple) and isinstance(long, tuple)
        pd.testing.assert_frame_equal(long[0], short[0])
        for name, text in short[1].items():
            other = long[1][name]
            assert (other is None) == (text is None), name
            if text is not None:
                assert other.tolist() == text.tolist(), name
        np.testing.assert_array_equal(long[2], short[2])
    return short


ROWS = [
    ("7.50", "6.4", "007", "x", "1"),
    ("8.1", "NA", "P2", "y", "2"),
    ("", "-0.125", "P3", "x", "3"),
    ("1e1", "+.5", "P4", "NA", "NaN"),
    ("9", "5.", "P5", "y", "4"),
]


def _write(
    tmp_path: Path, rows: list[tuple[str, ...]], ending: str = "\n", header: str = "b,a,id,arm,dose"
) -> Path:
    lines = [header, *(",".join(r) for r in rows)]
    path = tmp_path / "t.csv"
    path.write_text(ending.join(lines) + ending)
    return path


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_a_long_table_gives_the_short_paths_cohort(tmp_path: Path, ending: str) -> None:
    rows = [(*r[:2], f"{r[2]}-{k}", *r[3:]) for k in range(3) for r in ROWS]
    got = _same(_write(tmp_path, rows, ending))
    assert not isinstance(got, str), got


@pytest.mark.parametrize(
    "bad",
    [
        ("1e999", "6.4", "P9", "x", "1"),  # overflows: not a finite number
        ("7.5", "6.4", "P1", "x", "1"),  # a repeated id
        ("7.5", " 6.4", "P9", "x", "1.5"),  # a space (read as text); a fractional dose
        ("7,5", "6.4", "P9", "x", "1"),  # ragged: a comma
        ("٧.٥", "6.4", "P9", "x", "1"),  # digits of another script
        ("inf", "6.4", "P9", "x", "1"),
        ("7.5", "6.4", "P9", "x", "1e30"),  # too large to store exactly as a whole number
    ],
)
def test_a_long_table_gives_the_short_paths_error(tmp_path: Path, bad: tuple[str, ...]) -> None:
    got = _same(_write(tmp_path, [*ROWS, bad, *ROWS[1:2]]))
    assert isinstance(got, str), got


def test_another_decimal_mark_reads_the_text_of_a_long_table(tmp_path: Path) -> None:
    # "7.50" is refused under decimal=",", however the reader first read it.
    path = tmp_path / "t.csv"
    path.write_text("b;a;id;arm;dose\n7.50;6,4;P1;x;1\n8;7,1;P2;y;2\n")
    got = _same(path, decimal=",")
    assert isinstance(got, str) and "7.50" in got


def test_a_long_wide_table_is_read_as_text_every_column_at_once(tmp_path: Path) -> None:
    names = ["b", "a", "id", "arm", "dose"] + [f"c{i}" for i in range(_bulk._NARROW)]
    lines = [",".join(names)] + [
        ",".join([*r[:2], f"{r[2]}-{k}", *r[3:]] + ["1.5"] * _bulk._NARROW)
        for k in range(3)
        for r in ROWS
    ]
    path = tmp_path / "wide.csv"
    path.write_text("\n".join(lines) + "\n")
    with patch.object(_bulk, "_SPLIT_ROWS", 0):
        table = _bulk.bulk_cells(path.read_text(), ",")
    assert table is not None and table.printed == {}
    assert table.cells["c0"].tolist() == ["1.5"] * len(lines[1:])
    got = _same(path)
    assert not isinstance(got, str), got


NUMBERS = {"before": "b", "after": "a", "dose": COLUMNS["dose"]}

NUMBER_ROWS = [
    ("7.50", "6.4", "1"),
    ("8.1", "NA", "2"),
    ("", "-0.125", "3"),
    ("1e1", "+.5", "NaN"),
    ("9", "5.", "4"),
    ("-0", "123456789012345678901234", "0007"),
    ("1.5e-300", "NaN", ""),
    ("", "", ""),  # a blank line: a row number, not a row
]


def _write_numbers(tmp_path: Path, rows: list[tuple[str, ...]], ending: str = "\n") -> Path:
    return _write(tmp_path, rows, ending, header="b,a,dose")


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_a_long_table_of_numbers_gives_the_short_paths_cohort(tmp_path: Path, ending: str) -> None:
    path = _write_numbers(tmp_path, NUMBER_ROWS * 3, ending)
    got = _same(path, columns=NUMBERS)
    assert not isinstance(got, str), got
    with patch.object(_bulk, "_SPLIT_ROWS", 0):
        table = _bulk.bulk_cells(path.read_text(), ",", path.read_bytes())
    assert table is not None
    assert table.cells.index.tolist() == [r for r in range(1, 25) if r % 8]
    assert _bulk._PANDAS_FLOATS == all(isinstance(p, DeferredText) for p in table.printed.values())


@pytest.mark.parametrize(
    "bad",
    [
        [("1e999", "6.4", "1")],  # overflows: not a finite number
        [("7.5", "6.4")],  # a short line
        [("7.5", "6.4", "1", "2")],  # a long line
        [("7.5", "6.4", "1", ""), ("7.5", "6.4")],  # a long line and a short one
        [("7.5", "6.4"), ("7.5", "6.4", "1", "2")],
        [("NAN", "6.4", "1")],  # NaN spelled otherwise: Python's float reads it, pandas not
        [("1.2.3", "6.4", "1")],
        [(".", "6.4", "1")],
        [("7.5", "6.4", "1.5")],  # a fractional dose
        [("7.5", "6.4", "1e30")],  # too large to store exactly as a whole number
    ],
)
def test_a_long_table_of_numbers_gives_the_short_paths_error(
    tmp_path: Path, bad: list[tuple[str, ...]]
) -> None:
    for first in (True, False):  # (pandas reads a first line of too many cells otherwise)
        rows = [*bad, *NUMBER_ROWS] if first else [*NUMBER_ROWS, *bad, *NUMBER_ROWS[1:2]]
        got = _same(_write_numbers(tmp_path, rows), columns=NUMBERS)
        assert isinstance(got, str), got
