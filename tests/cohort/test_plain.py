"""Plain numbers read in bulk (``_plain``) against Python's own ``float``: the same floats,
bit for bit, and a column refused exactly when some cell is neither a number of Python's
grammar written with ``0-9 . e E + -`` nor a missing token."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cohort_reanalysis.cohort._plain import plain_columns, plain_numbers
from cohort_reanalysis.cohort._printed import printed_text

MISSING = ("", "NA", "NaN")
NUMBERISH = st.text(alphabet="0123456789.-+eE", max_size=18)
CELLS = st.one_of(
    NUMBERISH,
    st.sampled_from((*MISSING, "N", "nan", "7.5", "-0.125", "1e999", "9007199254740993")),
    st.from_regex(r"-?[0-9]{1,15}(\.[0-9]{0,6})?", fullmatch=True),
)


def _expected(cells: list[str]) -> list[float] | None:
    out = []
    for cell in cells:
        if cell in MISSING:
            out.append(math.nan)
            continue
        if not set(cell) <= set("0123456789.-+eE"):
            return None  # "nan", "inf" are float's words, not numbers of a table
        try:
            out.append(float(cell))
        except ValueError:
            return None
    return out


def _same(got: np.ndarray | list[float], want: list[float]) -> bool:
    return all(
        (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
        for a, b in zip(got, want, strict=True)
    )


@settings(max_examples=400, deadline=None)
@given(st.lists(CELLS, min_size=1, max_size=30))
@example(["-0", "5.", "+.5", "007"])
@example(["1.2.3"])
@example(["-", "."])
def test_plain_numbers_are_pythons_floats(cells: list[str]) -> None:
    want = _expected(cells)
    got = plain_numbers(np.array(cells, dtype=object))
    if want is None:
        assert got is None
    else:
        assert got is not None and _same(got, want)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(CELLS, min_size=2, max_size=2), min_size=1, max_size=30))
@example([["8.7", "10.25"], ["-3", ""]])
def test_plain_columns_from_bytes_are_pythons_floats(rows: list[list[str]]) -> None:
    text = "".join(",".join(row) + "\n" for row in rows).encode()
    data = np.frombuffer(text, dtype=np.uint8)
    starts, ends, at = [], [], 0
    for row in rows:
        line_starts, line_ends = [], []
        for cell in row:
            line_starts.append(at)
            at += len(cell.encode())
            line_ends.append(at)
            at += 1  # the delimiter or line break
        starts.append(line_starts)
        ends.append(line_ends)
    values, printed = plain_columns(data, np.array(starts), np.array(ends))
    for j in range(2):
        column = [row[j] for row in rows]
        want = _expected(column)
        if want is None or max(len(c) for c in column) > 24:
            assert printed[j] is None
        else:
            text_j = printed[j]
            assert text_j is not None
            assert _same(values[j], want)
            assert printed_text(text_j).tolist() == column
