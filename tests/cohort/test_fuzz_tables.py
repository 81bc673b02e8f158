"""Fuzzing the loader (issue 8.6): random tables and mappings load, or raise CohortValidationError.

Tables are generated as bytes: random headers and cells (numbers in several spellings, empty and
missing tokens, text, odd values), random delimiters, quoting, line endings, blank lines, ragged
rows, random encodings and random bytes. Mappings are random too (roles to present or absent
columns, specs with random dtypes, ranges and categories). Whatever comes in, the only exception
allowed out of Cohort.from_csv is CohortValidationError; a table that loads must be usable
(pairing, iteration) and must survive to_csv/from_csv unchanged.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cohort_reanalysis.cohort import Cohort, CohortValidationError, ColumnSpec, Role

NAMES = [
    "b",
    "a",
    "dose",
    "sex",
    "id",
    "age",
    "months",
    "arm",
    "note",
    "hba1c_6",
    "B",
    " a",
    "",
    "x,y",
    'q"t',
    "é",
    "1",
]
ODD = [
    "",
    " ",
    "NA",
    "NaN",
    "nan",
    "NULL",
    "inf",
    "-inf",
    "Infinity",
    "1e999",
    "-1e999",
    "n/a",
    "-",
    "<5",
    ">10",
    "7.5%",
    "1,000",
    "7,5",
    "1.234,5",
    "1 000",
    "1'000",
    '"',
    '""',
    "'",
    "\\",
    "#",
    "é",
    "\u00a0",
    "\u00a07.5",
    "\x1c",
    "\u2028",
    "\u0085",
    "+",
    "0x10",
    "١٢",
    "1_000",
    "  7.5  ",
    "7.5e",
    ".",
    "-0",
    "9" * 30,
    "\r",
    "\n",
    "\t",
    ";",
    "|",
    "M",
    "F",
    "m",
    "True",
    "1e-320",
    "0.1e1",
    "+7.",
    ".5",
    "٣.٥",
    "７.５",
    "\x00",
    "\ufeff",
]
DELIMITERS = [",", ";", "\t", "|", " ", ":"]
ENCODINGS = ["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16", "ascii", "shift_jis"]


def number_text(draw: st.DrawFn) -> str:
    value = draw(
        st.one_of(
            st.floats(allow_nan=False, allow_infinity=False),
            st.floats(min_value=-30, max_value=300, allow_nan=False),
            st.integers(-(10**7), 10**7).map(float),
        )
    )
    style = draw(st.sampled_from(["repr", "fixed", "exp", "int", "comma", "general"]))
    if style == "repr":
        return repr(value)
    if style == "fixed":
        return f"{value:.2f}"
    if style == "exp":
        return f"{value:e}"
    if style == "int":
        return str(int(value)) if abs(value) < 1e18 else repr(value)
    if style == "comma":
        return f"{value:.1f}".replace(".", ",")
    return f"{value:g}"


@st.composite
def cells(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["number", "number", "number", "odd", "text", "empty"]))
    if kind == "number":
        return number_text(draw)
    if kind == "odd":
        return draw(st.sampled_from(ODD))
    if kind == "text":
        return draw(st.text(max_size=8))
    return ""


def quote(cell: str, delimiter: str, always: bool) -> str:
    if always or any(ch in cell for ch in (delimiter, '"', "\n", "\r")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


@st.composite
def tables(draw: st.DrawFn) -> tuple[bytes, list[str]]:
    """Bytes of a table file, and its header names (for building mappings)."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=300)), []
    header = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=6))
    n_rows = draw(st.integers(0, 30))
    width = len(header)
    rows = []
    for _ in range(n_rows):
        ragged = draw(st.sampled_from([0] * 18 + [-1, 1]))
        rows.append(
            draw(
                st.lists(cells(), min_size=max(width + ragged, 0), max_size=max(width + ragged, 0))
            )
        )
    delimiter = draw(st.sampled_from(DELIMITERS))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    always = draw(st.booleans())
    lines = [delimiter.join(quote(c, delimiter, always) for c in row) for row in [header, *rows]]
    if lines and draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(lines)))
        lines.insert(at, draw(st.sampled_from(["", " ", delimiter * width])))
    text = newline.join(lines) + draw(st.sampled_from([newline, "", newline * 2]))
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 9)) == 0:
        # Corrupt a few bytes in place.
        spots = draw(
            st.lists(
                st.tuples(st.integers(0, max(len(data) - 1, 0)), st.integers(0, 255)), max_size=4
            )
        )
        buffer = bytearray(data)
        for at, byte in spots:
            if at < len(buffer):
                buffer[at] = byte
        data = bytes(buffer)
    return data, header


SINGLE = [r.value for r in Role if r not in (Role.MEASUREMENT, Role.COVARIATE)]


@st.composite
def mappings(draw: st.DrawFn, header: list[str]) -> Any:
    names = st.sampled_from(sorted({*header, "b", "a", "missing", "dose"}))
    if draw(st.booleans()):
        roles = draw(
            st.lists(
                st.sampled_from([*SINGLE, "measurement", "covariate"]), max_size=5, unique=True
            )
        )
        if draw(st.integers(0, 3)):
            roles = ["before", "after", *[r for r in roles if r not in ("before", "after")]]
        return {role: draw(names) for role in roles}
    specs = []
    for _ in range(draw(st.integers(0, 5))):
        role = draw(st.sampled_from([r.value for r in Role]))
        dtype: Any = draw(st.sampled_from([None, "float", "int", "category", "str"]))
        plausible = draw(
            st.one_of(st.none(), st.tuples(st.floats(-100, 100), st.floats(100, 1000)))
        )
        specs.append(
            ColumnSpec(
                draw(names),
                role,
                dtype=dtype,
                plausible=plausible,
                allow_missing=draw(st.one_of(st.none(), st.booleans())),
                categories=draw(st.one_of(st.none(), st.just(("M", "F")))),
                unit=draw(st.sampled_from([None, "%", "mmol/mol", "kg", "months"])),
                measure=draw(st.sampled_from([None, "HbA1c", "insulin"])),
            )
        )
    return specs


@st.composite
def loads(draw: st.DrawFn) -> tuple[bytes, Any, dict[str, Any]]:
    data, header = draw(tables())
    columns = draw(mappings(header))
    measure, unit = draw(
        st.sampled_from([(None, None), ("HbA1c", "%"), ("HbA1c", "mmol/mol"), ("weight", "kg")])
    )
    decimal, thousands = draw(
        st.sampled_from([(".", None), (",", None), (".", ","), (",", "."), (",", " ")])
    )
    options = {
        "measure": measure,
        "unit": unit,
        "decimal": decimal,
        "thousands": thousands,
        "encoding": draw(st.sampled_from([None, None, "latin-1"])),
        "delimiter": draw(st.sampled_from([None, None, ",", ";", "\t", "|"])),
    }
    return data, columns, options


def check_usable(cohort: Cohort) -> None:
    assert len(cohort) >= 1
    rows = cohort.rows.tolist()
    assert rows == sorted(set(rows)) and rows[0] >= 1
    patients = list(cohort)
    assert [p.row for p in patients] == rows
    pairs = cohort.pair()
    assert pairs.n + pairs.n_excluded == len(cohort)
    assert not np.isnan(pairs.before).any() and not np.isnan(pairs.after).any()
    for spec in cohort.columns:
        values = cohort.values(spec.name)
        if spec.is_numeric:
            assert values.dtype == np.float64
        else:
            assert all(v is None or isinstance(v, str) for v in values)


def load(data: bytes, columns: Any, options: dict[str, Any]) -> Cohort | None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(data)
        try:
            cohort = Cohort.from_csv(path, columns=columns, **options)
        except CohortValidationError as err:
            assert isinstance(err, ValueError)
            assert str(err).startswith(f"{path}: ")
            assert err.problems
            assert all(row >= 1 for row in err.rows)
            return None
        check_usable(cohort)
        again_path = Path(folder) / "again.csv"
        cohort.to_csv(again_path)
        assert Cohort.from_csv(again_path) == cohort
        return cohort


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(loads())
@example((b"b,a\n7.5,6.4\n", {"before": "b", "after": "a"}, {}))
@example((b"b;a\n7,5;6,4\n", {"before": "b", "after": "a"}, {"decimal": ","}))
@example((b"\xef\xbb\xbfb\ta\r\n7.5\t\r\n", {"before": "b", "after": "a"}, {}))
@example((b"b,a\n\x00\x01", {"before": "b", "after": "a"}, {}))
@example((b"b,a,a\n1,2,3\n", {"before": "b", "after": "a"}, {}))
@example((b"b,a\n1e999,7\n", {"before": "b", "after": "a"}, {}))
@example((b"b,a\n7,6\n", {"before": "b", "after": "b"}, {}))
def test_loading_succeeds_or_raises_cohort_validation_error(
    case: tuple[bytes, Any, dict[str, Any]],
) -> None:
    data, columns, options = case
    load(data, columns, options)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.sampled_from([None, "latin-1"]))
def test_random_bytes(data: bytes, encoding: str | None) -> None:
    load(data, {"before": "b", "after": "a"}, {"encoding": encoding})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cells(), min_size=2, max_size=2), min_size=1, max_size=30))
def test_two_numeric_columns_valid_or_every_bad_cell_named(rows: list[list[str]]) -> None:
    """Every refused cell is named with its row and column; accepted cells are numbers."""
    text = "b,a\n" + "".join(",".join(quote(c, ",", True) for c in row) + "\n" for row in rows)
    cohort = load(text.encode("utf-8"), {"before": "b", "after": "a"}, {})
    if cohort is not None:
        assert len(cohort) <= len(rows)
