"""The bad-input catalogue (issue 8), through the public API.

Every refusal is one CohortValidationError (a ValueError) whose attributes and message name the
file, the rows (numbered as in the file, header excluded, first data row 1), the column and the
rule broken. Cases that the README's "Input rules" table accepts are shown to load correctly.
The bugs this catalogue found were fixed; each case now guards against their return.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from cohort_reanalysis.cohort import Cohort, CohortValidationError, ColumnSpec, Problem

PAIR = {"before": "b", "after": "a"}


def write(tmp_path: Path, content: str | bytes, name: str = "table.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def refused(path: Path, columns: Any = PAIR, **options: Any) -> CohortValidationError:
    with pytest.raises(CohortValidationError) as info:
        Cohort.from_csv(path, columns=columns, **options)
    return info.value


def check(
    err: CohortValidationError,
    *,
    file: Path | None,
    rule: str,
    rows: Sequence[int] = (),
    column: str | None = None,
    hint: str | None = None,
) -> None:
    """The error names the file, rows, column and rule, in its attributes and its message."""
    message = str(err)
    assert isinstance(err, ValueError)
    if file is None:
        assert err.file is None
        assert message.startswith("<table>: ")
    else:
        assert err.file == str(file)
        assert message.startswith(f"{file}: ")
    assert tuple(err.rows) == tuple(rows)
    assert rule in err.rule and rule in message
    assert err.column == column
    if column is not None:
        assert f"column {column!r}" in message
    for row in rows:
        assert re.search(rf"at (?:row |rows (?:[^;]*, )?){row} \(", message), (row, message)
    if hint is not None:
        assert hint in message
    assert all(isinstance(p, Problem) for p in err.problems)


# ---------------------------------------------------------------- whole-file problems
@pytest.mark.parametrize("content", [b"", b"\n\n", b"  \r\n\t\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path, content)
    check(refused(path), file=path, rule="the file is empty")


@pytest.mark.parametrize("content", ["b,a\n", "b,a", "b,a\n\n\n", "\ufeffb;a\r\n"])
def test_header_only(tmp_path: Path, content: str) -> None:
    path = write(tmp_path, content)
    check(refused(path), file=path, rule="header but no rows")


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 4,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100),
        b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(40)),  # an .xlsx saved as .csv
        np.random.default_rng(20250321).bytes(2000),
    ],
)
def test_binary_garbage(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path, content)
    err = refused(path)
    check(err, file=path, rule=err.rule)
    assert "binary" in err.rule or "not UTF-8" in err.rule


def test_no_such_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.csv"
    check(refused(path), file=path, rule="no such file")


LATIN1 = "b,a,clinic\n7.5,6.4,Kyoto\n8.1,7.0,Sapporo General\n7.2,6.9,Clinique Hélène\n"


def test_latin1_is_refused_with_the_encoding_hint(tmp_path: Path) -> None:
    path = write(tmp_path, LATIN1.encode("latin-1"))
    err = refused(path)
    check(err, file=path, rule="not UTF-8", hint="encoding='latin-1'")
    assert "0xE9" in str(err) and "line 4" in str(err)


def test_latin1_is_accepted_with_encoding(tmp_path: Path) -> None:
    path = write(tmp_path, LATIN1.encode("latin-1"))
    cohort = Cohort.from_csv(path, columns=PAIR, encoding="latin-1")
    assert cohort.values("clinic").tolist() == ["Kyoto", "Sapporo General", "Clinique Hélène"]
    np.testing.assert_array_equal(cohort.values("before"), [7.5, 8.1, 7.2])


@pytest.mark.parametrize("encoding", ["utf-8", "ascii", "no-such-encoding"])
def test_wrong_encoding_argument(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path, LATIN1.encode("latin-1"))
    err = refused(path, encoding=encoding)
    assert err.file == str(path)
    assert encoding in str(err)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbfb,a\r\n7.5,6.4\r\n8.1,7.0\r\n")
    cohort = Cohort.from_csv(path, columns=PAIR)
    assert [c.name for c in cohort.columns] == ["b", "a"]
    np.testing.assert_array_equal(cohort.values("b"), [7.5, 8.1])


@pytest.mark.parametrize(
    "content", [b"\xef\xbb\xbf", b"\xef\xbb\xbf\n\n", b"\x1c", "\u2028".encode()]
)
def test_bom_or_unicode_whitespace_only(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path, content)
    check(refused(path), file=path, rule="the file is empty")


# ---------------------------------------------------------------- delimiters and number formats
@pytest.mark.parametrize("sep", [";", "\t", "|", ","])
def test_delimiter_detected(tmp_path: Path, sep: str) -> None:
    rows = [["sex", "b", "a", "note"], ["M", "7.5", "6.4", "ok"], ["F", "8.1", "7.0", "a, b"]]
    text = (
        "\n".join(sep.join(f'"{c}"' if "," in c and sep == "," else c for c in row) for row in rows)
        + "\n"
    )
    path = write(tmp_path, text)
    cohort = Cohort.from_csv(path, columns={**PAIR, "sex": "sex"})
    np.testing.assert_array_equal(cohort.values("b"), [7.5, 8.1])
    np.testing.assert_array_equal(cohort.values("a"), [6.4, 7.0])
    assert cohort.values("note").tolist() == ["ok", "a, b"]


def test_delimiter_can_be_given(tmp_path: Path) -> None:
    path = write(tmp_path, "b;a\n7.5;6.4\n")
    cohort = Cohort.from_csv(path, columns=PAIR, delimiter=";")
    np.testing.assert_array_equal(cohort.values("a"), [6.4])


EUROPEAN = "b;a;dose\n7,5;6,4;1000\n8,1;7,0;500\n7,2;6,9;100\n"


def test_comma_decimals_refused_with_hint(tmp_path: Path) -> None:
    path = write(tmp_path, EUROPEAN)
    err = refused(path, columns={**PAIR, "dose": "dose"})
    check(err, file=path, rule="not a number", rows=[1, 2, 3], column="b", hint="decimal=','")
    assert {(p.column, p.row) for p in err.problems} == {
        (c, r) for c in ("b", "a") for r in (1, 2, 3)
    }
    assert "'7,5'" in str(err)


def test_comma_decimals_accepted_with_decimal(tmp_path: Path) -> None:
    path = write(tmp_path, EUROPEAN)
    cohort = Cohort.from_csv(path, columns={**PAIR, "dose": "dose"}, decimal=",")
    np.testing.assert_array_equal(cohort.values("b"), [7.5, 8.1, 7.2])
    np.testing.assert_array_equal(cohort.values("a"), [6.4, 7.0, 6.9])
    np.testing.assert_array_equal(cohort.values("dose"), [1000.0, 500.0, 100.0])


def test_comma_decimals_quoted_in_a_comma_file(tmp_path: Path) -> None:
    path = write(tmp_path, 'b,a\n"7,5","6,4"\n')
    check(refused(path), file=path, rule="not a number", rows=[1], column="b", hint="decimal=','")
    cohort = Cohort.from_csv(path, columns=PAIR, decimal=",")
    np.testing.assert_array_equal(cohort.values("b"), [7.5])


def test_point_in_a_comma_decimal_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "b;a;dose\n7,5;6,4;1.234\n")
    err = refused(path, columns={**PAIR, "dose": "dose"}, decimal=",")
    check(err, file=path, rule="not a number", rows=[1], column="dose")


THOUSANDS = 'b,a,dose\n7.5,6.4,"1,234,567"\n8.1,7.0,"2,000,000"\n7.2,6.9,900\n'


def test_thousands_refused_with_hint(tmp_path: Path) -> None:
    path = write(tmp_path, THOUSANDS)
    err = refused(path, columns={**PAIR, "dose": "dose"})
    check(err, file=path, rule="not a number", rows=[1, 2], column="dose", hint="thousands=','")


def test_thousands_accepted_with_thousands(tmp_path: Path) -> None:
    path = write(tmp_path, THOUSANDS)
    cohort = Cohort.from_csv(path, columns={**PAIR, "dose": "dose"}, thousands=",")
    np.testing.assert_array_equal(cohort.values("dose"), [1234567.0, 2000000.0, 900.0])


def test_thousands_with_comma_decimal(tmp_path: Path) -> None:
    path = write(tmp_path, "b;a;dose\n7,5;6,4;1.234.567,5\n")
    cohort = Cohort.from_csv(path, columns={**PAIR, "dose": "dose"}, decimal=",", thousands=".")
    np.testing.assert_array_equal(cohort.values("dose"), [1234567.5])


def test_ambiguous_thousands_hint_names_thousands(tmp_path: Path) -> None:
    path = write(tmp_path, 'b,a,dose\n7.5,6.4,"1,000"\n')
    err = refused(path, columns={**PAIR, "dose": "dose"})
    check(err, file=path, rule="not a number", rows=[1], column="dose", hint="thousands=")


def test_thousands_separator_must_group_three_digits(tmp_path: Path) -> None:
    path = write(tmp_path, 'b,a,dose\n7.5,6.4,"7,5"\n')
    err = refused(path, columns={**PAIR, "dose": "dose"}, thousands=",")
    check(err, file=path, rule="not a number", rows=[1], column="dose")


# ---------------------------------------------------------------- cells
@pytest.mark.parametrize(
    ("cell", "hint"),
    [
        ("n/a", "leave the cell empty or write NA"),
        ("-", "leave the cell empty or write NA"),
        ("<5", "censored"),
        ("7.5%", "percent sign"),
        ("inf", "infinite"),
        ("-inf", "infinite"),
        ("Infinity", "infinite"),
        ("seven", None),
        ("7.5.1", None),
        ("0x1A", None),
        ("7 .5", None),
    ],
)
def test_text_in_a_numeric_column(tmp_path: Path, cell: str, hint: str | None) -> None:
    path = write(tmp_path, f"b,a\n7.5,6.4\n8.1,{cell}\n7.2,6.9\n")
    err = refused(path)
    # An infinity, written or stored, breaks the rule a float column's infinity breaks.
    rule = "not a finite number" if hint == "infinite" else "not a number"
    check(err, file=path, rule=rule, rows=[2], column="a", hint=hint)
    assert err.value == cell
    assert repr(cell) in str(err)


def test_each_kind_of_text_gets_its_own_hint_in_one_error(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a\nn/a,6\n<5,6\n7.5%,6\ninf,6\n7,6\n")
    err = refused(path)
    check(err, file=path, rule="not a number", rows=[1, 2, 3, 4], column="b")
    message = str(err)
    for hint in ("write NA", "censored", "percent sign", "infinite"):
        assert hint in message


@pytest.mark.parametrize("cell", ["", "NA", "NaN", " ", " NA "])
def test_missing_tokens(tmp_path: Path, cell: str) -> None:
    path = write(tmp_path, f"b,a\n7.5,6.4\n{cell},7.0\n7.2,6.9\n")
    cohort = Cohort.from_csv(path, columns=PAIR)
    assert np.isnan(cohort.values("b")[1])
    assert cohort.missing()["b"] == 1
    pairs = cohort.pair()
    assert pairs.rows.tolist() == [1, 3]
    assert [(e.row, e.reason) for e in pairs.excluded] == [(2, "b missing")]


def test_missing_tokens_in_text_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a,sex,note\n7.5,6.4,NA,NaN\n7.2,6.9,M,\n")
    cohort = Cohort.from_csv(path, columns={**PAIR, "sex": "sex"})
    assert cohort.values("sex").tolist() == [None, "M"]
    assert cohort.values("note").tolist() == [None, None]


def test_overflowing_number_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a\n7.5,6.4\n1e999,7.0\n")
    err = refused(path)
    check(err, file=path, rule=err.rule, rows=[2], column="b")


def test_infinite_value_in_a_frame() -> None:
    frame = pd.DataFrame({"b": [7.5, np.inf], "a": [6.4, 7.0]})
    with pytest.raises(CohortValidationError) as info:
        Cohort.from_frame(frame, columns=PAIR)
    check(info.value, file=None, rule="not a finite number", rows=[2], column="b")


def test_fraction_in_an_int_column(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a,age\n7.5,6.4,61\n8.1,7.0,61.5\n")
    err = refused(path, columns={**PAIR, "age": {"name": "age", "dtype": "int"}})
    check(err, file=path, rule="not a whole number", rows=[2], column="age")


# ---------------------------------------------------------------- ids, headers and the mapping
def test_duplicated_ids(tmp_path: Path) -> None:
    path = write(tmp_path, "id,b,a\np1,7.5,6.4\np2,8.1,7.0\np1,7.2,6.9\np3,7.0,6.0\np2,7,6\n")
    err = refused(path, columns={**PAIR, "id": "id"})
    check(err, file=path, rule="duplicated id", rows=[1, 2, 3, 5], column="id")
    assert "'p1'" in str(err) and "'p2'" in str(err)


def test_missing_id(tmp_path: Path) -> None:
    path = write(tmp_path, "id,b,a\np1,7.5,6.4\n,8.1,7.0\n")
    err = refused(path, columns={**PAIR, "id": "id"})
    check(err, file=path, rule="missing value not allowed", rows=[2], column="id")


def test_duplicated_column_names(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a,a ,age,age\n7.5,6.4,6.5,60,61\n")
    err = refused(path)
    check(err, file=path, rule="duplicated column name", column="a")
    assert {p.column for p in err.problems} == {"a", "age"}
    assert "'age'" in str(err)


def test_duplicated_column_names_in_a_frame() -> None:
    frame = pd.DataFrame([[7.5, 6.4, 6.5]], columns=["b", "a", "a"])
    with pytest.raises(CohortValidationError) as info:
        Cohort.from_frame(frame, columns=PAIR)
    check(info.value, file=None, rule="duplicated column name", column="a")


def test_column_without_a_name(tmp_path: Path) -> None:
    path = write(tmp_path, "b,,a\n7.5,1,6.4\n")
    check(refused(path), file=path, rule="no name in the header")


def test_role_mapped_to_a_missing_column(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a,dose_million\n7.5,6.4,1000\n")
    err = refused(path, columns={**PAIR, "dose": "dose"})
    check(
        err,
        file=path,
        rule="mapped to a column that does not exist",
        column="dose",
        hint="columns are: b, a, dose_million",
    )
    assert "'dose'" in str(err)


@pytest.mark.parametrize(
    ("mapping", "missing"),
    [({"before": "b"}, "after"), ({"after": "a"}, "before"), ({"dose": "d"}, "before")],
)
def test_required_role_not_mapped(tmp_path: Path, mapping: Mapping[str, str], missing: str) -> None:
    path = write(tmp_path, "b,a,d\n7.5,6.4,1000\n")
    err = refused(path, columns=mapping)
    check(err, file=path, rule=f"required role {missing!r} is not mapped")


def test_role_given_to_two_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a,d1,d2\n7.5,6.4,1000,500\n")
    specs = [
        ColumnSpec("b", "before"),
        ColumnSpec("a", "after"),
        ColumnSpec("d1", "dose"),
        ColumnSpec("d2", "dose"),
    ]
    check(refused(path, columns=specs), file=path, rule="'dose' is given to more than one")


def test_mapping_problems_are_reported_together(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a\n7.5,6.4\n")
    err = refused(path, columns={"before": "B", "dose": "dose"})
    rules = [p.rule for p in err.problems]
    assert any("does not exist" in r for r in rules)
    assert sum("does not exist" in r for r in rules) == 2
    assert any("'after' is not mapped" in r for r in rules)


def test_unknown_role_name_is_a_value_error() -> None:
    frame = pd.DataFrame({"b": [7.5], "a": [6.4]})
    with pytest.raises(ValueError, match="bfore"):
        Cohort.from_frame(frame, columns={"bfore": "b", "after": "a"})


def test_one_row_loads(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a\n7.5,6.4\n")
    cohort = Cohort.from_csv(path, columns=PAIR, measure="HbA1c", unit="%")
    assert len(cohort) == 1
    assert cohort.pair().n == 1


def test_no_columns_and_no_sidecar(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a\n7.5,6.4\n")
    with pytest.raises(CohortValidationError) as info:
        Cohort.from_csv(path)
    check(info.value, file=path, rule="no columns given and no sidecar", hint="columns=")


@pytest.mark.parametrize(
    "sidecar",
    ["{not json", json.dumps({"columns": [{"name": "b"}]}), json.dumps({"measure": "HbA1c"})],
)
def test_corrupt_sidecar(tmp_path: Path, sidecar: str) -> None:
    path = write(tmp_path, "b,a\n7.5,6.4\n")
    (tmp_path / "table.cohort.json").write_text(sidecar, encoding="utf-8")
    with pytest.raises(CohortValidationError) as info:
        Cohort.from_csv(path)
    assert "table.cohort.json" in str(info.value)


# ---------------------------------------------------------------- values against the spec
def test_hba1c_in_mmol_per_mol_given_as_percent(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a\n7.5,6.4\n74,7.0\n8.1,53\n")
    err = refused(path, measure="HbA1c", unit="%")
    check(
        err,
        file=path,
        rule="outside the plausible range 3 to 20 %",
        rows=[2, 3],
        column="b",
        hint="it looks like mmol/mol",
    )
    assert {(p.column, p.row, p.value) for p in err.problems} == {("b", 2, 74.0), ("a", 3, 53.0)}
    assert "HbA1c 74 is implausible in %" in str(err)


def test_implausible_value_without_another_unit(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a\n7.5,6.4\n250,7.0\n")
    err = refused(path, measure="HbA1c", unit="%")
    check(err, file=path, rule="outside the plausible range", rows=[2], column="b")
    assert "looks like" not in str(err)


def test_spec_plausible_range_wins(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a,months\n7.5,6.4,27\n8.1,7.0,700\n")
    columns = {**PAIR, "followup": {"name": "months", "unit": "months", "plausible": [0, 600]}}
    err = refused(path, columns=columns)
    check(
        err,
        file=path,
        rule="outside the plausible range 0 to 600 months",
        rows=[2],
        column="months",
    )


def test_negative_dose(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a,dose\n7.5,6.4,1000\n8.1,7.0,-500\n7.2,6.9,0\n")
    err = refused(path, columns={**PAIR, "dose": "dose"})
    check(err, file=path, rule="a dose cannot be negative", rows=[2], column="dose")
    assert err.value == -500.0


@pytest.mark.parametrize("code", ["X", "m", "Male", "1"])
def test_unknown_sex_code(tmp_path: Path, code: str) -> None:
    path = write(tmp_path, f"b,a,sex\n7.5,6.4,M\n8.1,7.0,{code}\n7.2,6.9,F\n")
    err = refused(path, columns={**PAIR, "sex": "sex"})
    check(err, file=path, rule="unknown code (allowed: M, F)", rows=[2], column="sex")
    assert err.value == code


def test_sex_codes_from_the_spec(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a,sex\n7.5,6.4,male\n8.1,7.0,female\n")
    columns: dict[str, Any] = {**PAIR, "sex": {"name": "sex", "categories": ["male", "female"]}}
    cohort = Cohort.from_csv(path, columns=columns)
    assert cohort.values("sex").tolist() == ["male", "female"]


def test_missing_values_where_the_spec_forbids_them(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a,sex\n7.5,6.4,M\n,7.0,\n7.2,NA,F\n")
    columns = {
        "before": {"name": "b", "allow_missing": False},
        "after": {"name": "a", "allow_missing": False},
        "sex": {"name": "sex", "categories": ["M", "F"], "allow_missing": False},
    }
    err = refused(path, columns=columns)
    check(err, file=path, rule="missing value not allowed", rows=[2, 3], column="b")
    assert {(p.column, p.row) for p in err.problems} == {("b", 2), ("a", 3), ("sex", 2)}


def test_several_problems_in_one_exception(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "id,sex,dose,b,a\n"
        "p1,M,1000,7.5,6.4\n"
        "p2,X,500,74,7.0\n"
        "p2,F,-100,8.1,n/a\n"
        "p4,F,100,7.2,6.9\n"
        "p5,M,abc,7.9,<5\n",
    )
    columns = {**PAIR, "id": "id", "sex": "sex", "dose": "dose"}
    err = refused(path, columns=columns, measure="HbA1c", unit="%")
    found = {(p.column, p.row, p.rule.split(" (")[0]) for p in err.problems}
    assert found == {
        ("sex", 2, "unknown code"),
        ("b", 2, "outside the plausible range 3 to 20 %"),
        ("id", 2, "duplicated id"),
        ("id", 3, "duplicated id"),
        ("dose", 3, "a dose cannot be negative"),
        ("a", 3, "not a number"),
        ("dose", 5, "not a number"),
        ("a", 5, "not a number"),
    }
    assert err.rows == (2, 3, 5)
    message = str(err)
    for column in ("id", "sex", "dose", "b", "a"):
        assert f"column {column!r}" in message
    for text in (
        "unknown code",
        "plausible range",
        "duplicated id",
        "cannot be negative",
        "not a number",
        "mmol/mol",
        "censored",
        "write NA",
    ):
        assert text in message


def test_long_lists_of_rows_are_shortened(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a\n" + "x,6.4\n" * 12)
    err = refused(path)
    assert err.rows == tuple(range(1, 13))
    assert len(err.problems) == 12
    assert "and 4 more" in str(err)


def test_frame_errors_name_no_file() -> None:
    frame = pd.DataFrame({"b": [7.1, 74.0], "a": [6.5, 6.9]})
    with pytest.raises(CohortValidationError) as info:
        Cohort.from_frame(frame, columns=PAIR, measure="HbA1c", unit="%")
    check(
        info.value,
        file=None,
        rule="outside the plausible range",
        rows=[2],
        column="b",
        hint="mmol/mol",
    )


def test_frame_with_no_rows() -> None:
    with pytest.raises(CohortValidationError) as info:
        Cohort.from_frame(pd.DataFrame({"b": [], "a": []}), columns=PAIR)
    check(info.value, file=None, rule="no rows")


# ---------------------------------------------------------------- row numbering
def test_row_numbers_count_data_rows_from_one(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a\r\n7.5,6.4\r\n8.1,7.0\r\n7.2,x\r\n")
    check(refused(path), file=path, rule="not a number", rows=[3], column="a")


def test_row_numbers_with_quoted_line_breaks(tmp_path: Path) -> None:
    path = write(tmp_path, 'b,a,note\n7.5,6.4,"two\nlines"\n8.1,x,ok\n')
    check(refused(path), file=path, rule="not a number", rows=[2], column="a")


def test_row_numbers_after_blank_lines_before_the_header(tmp_path: Path) -> None:
    # Leading blank lines are not data; rows still count from the header.
    path = write(tmp_path, "\n\nb,a\n7.5,6.4\n8.1,x\n")
    check(refused(path), file=path, rule="not a number", rows=[2], column="a")


# Decision: a row's number is its line in the file minus the header's line, so that "row 3"
# is the third line under the header in any editor or spreadsheet. A blank line inside the table
# therefore takes a number (it is not data and is not loaded), and rows after it keep theirs.
@pytest.mark.parametrize("blank", ["", "   ", ","])
def test_row_numbers_after_a_blank_line(tmp_path: Path, blank: str) -> None:
    path = write(tmp_path, f"b,a\n7.5,6.4\n{blank}\n8.1,x\n")
    check(refused(path), file=path, rule="not a number", rows=[3], column="a")
    ok = write(tmp_path, f"b,a\n7.5,6.4\n{blank}\n8.1,\n", name="ok.csv")
    cohort = Cohort.from_csv(ok, columns=PAIR)
    assert cohort.rows.tolist() == [1, 3]
    assert [p.row for p in cohort] == [1, 3]
    assert [e.row for e in cohort.pair().excluded] == [3]


# ---------------------------------------------------------------- ragged rows
def test_row_with_too_many_cells(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a\n7.5,6.4\n8.1,7.0,9\n7.2,6.9\n")
    err = refused(path)
    assert err.file == str(path)
    assert "same number of cells" in err.rule


def test_row_with_too_many_cells_is_located(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a\n7.5,6.4\n8.1,7.0,9\n7.2,6.9\n")
    err = refused(path)
    assert err.rows == (2,)


def test_every_row_one_cell_longer_than_the_header(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a\n1,7.5,6.4\n2,8.1,7.0\n")
    err = refused(path)
    assert err.file == str(path)
    assert "same number of cells" in err.rule


def test_row_with_too_few_cells(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a,dose\n7.5,6.4,100\n8.1\n7.2,6.9,100\n")
    err = refused(path)
    assert err.rows == (2,)


def test_nul_byte_late_in_the_file(tmp_path: Path) -> None:
    rows = "7.5,6.4\n" * 1200
    path = write(tmp_path, "b,a\n" + rows + "7.5,\x006.4\n")
    err = refused(path)
    assert err.file == str(path)
    assert err.rows == (1201,)


# ---------------------------------------------------------------- types the spec asks for
def test_large_integers_are_kept_exactly_or_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a,n\n7.5,6.4,9007199254740993\n")
    columns: dict[str, Any] = {**PAIR, "covariate": {"name": "n", "dtype": "int"}}
    try:
        cohort = Cohort.from_csv(path, columns=columns)
    except CohortValidationError as err:
        assert err.rows == (1,) and err.column == "n"
        return
    assert next(iter(cohort)).values["n"] == 9007199254740993  # noqa: PD011


@pytest.mark.parametrize("dtype", ["category", "str"])
def test_before_must_be_numeric(tmp_path: Path, dtype: str) -> None:
    path = write(tmp_path, "b,a\n7.5,6.4\nhigh,7.0\n")
    with pytest.raises(ValueError, match=r"numeric|number") as info:
        Cohort.from_csv(path, columns={"before": {"name": "b", "dtype": dtype}, "after": "a"})
    if isinstance(info.value, CohortValidationError):
        assert info.value.column == "b"


@pytest.mark.parametrize("content", [",\n,\n", ";;\n", ",,,\r\n\r\n"])
def test_file_of_delimiters_only(tmp_path: Path, content: str) -> None:
    path = write(tmp_path, content)
    err = refused(path)
    assert err.file == str(path)
    assert "empty" in str(err) or "header" in str(err)


def test_field_longer_than_the_csv_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a,note\n7.5,6.4," + "x" * 200_000 + "\n")
    err = refused(path)
    assert err.file == str(path)


# ------------------------------------------------------- files that are not tables (issue 18)
def test_utf16_table_gets_an_encoding_hint(tmp_path: Path) -> None:
    text = "b,a\n7.5,6.4\n8.1,7.0\n"
    for data in (text.encode("utf-16"), text.encode("utf-16-le")):
        path = write(tmp_path, data)
        check(refused(path), file=path, rule="UTF-16 text", hint="encoding='utf-16'")
    path = write(tmp_path, text.encode("utf-16"))
    assert Cohort.from_csv(path, columns=PAIR, encoding="utf-16").pair().n == 2


def test_a_fifo_is_not_called_missing(tmp_path: Path) -> None:
    path = tmp_path / "pipe.csv"
    os.mkfifo(path)  # opening it would wait for a writer: the check must not open it
    check(refused(path), file=path, rule="not a regular file but a named pipe")


def test_a_folder_is_not_called_missing(tmp_path: Path) -> None:
    path = tmp_path / "folder.csv"
    path.mkdir()
    check(refused(path), file=path, rule="not a regular file but a folder")


@pytest.mark.parametrize(
    ("rows", "rule"),
    [
        ([1, 1], "numbers two rows alike"),
        ([2, "x"], "whole numbers from 1"),
        ([0, 1], "whole numbers from 1"),
        ({"1": 1}, "must be a list"),
    ],
)
def test_a_sidecar_with_bad_row_numbers(tmp_path: Path, rows: Any, rule: str) -> None:
    path = write(tmp_path, "b,a\n7.5,6.4\n8.1,7.0\n")
    sidecar = {"columns": [{"name": "b", "role": "before"}, {"name": "a", "role": "after"}]}
    (tmp_path / "table.cohort.json").write_text(json.dumps({**sidecar, "rows": rows}))
    with pytest.raises(CohortValidationError) as info:
        Cohort.from_csv(path)
    assert rule in info.value.rule
    assert info.value.file == str(tmp_path / "table.cohort.json")
