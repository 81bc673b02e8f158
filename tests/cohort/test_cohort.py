"""Behaviour of the Cohort: construction, copies, immutability, typed rows, pairing, equality.

Pairing among several measures and visits is in test_pairing.py.

Expected values are read off the small tables written in each test, never off the code's output.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from cohort_reanalysis.cohort import (
    Cohort,
    CohortValidationError,
    Exclusion,
    PairedData,
    Patient,
    Provenance,
    Role,
)

BASIC_CSV = """\
id,sex,age,dose,before,after,months,arm,note
p1,M,66,1000,7.5,6.4,27,A,first
p2,F,71,,7.2,,12,B,
p3,M,,500,,6.9,6,A,third
p4,F,58,100,8.1,7.0,,B,x
"""
BASIC_COLUMNS = {
    "id": "id",
    "sex": "sex",
    "age": "age",
    "dose": "dose",
    "before": "before",
    "after": "after",
    "followup": "months",
    "group": "arm",
}


def write(tmp_path: Path, text: str, name: str = "table.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def basic(tmp_path: Path) -> Cohort:
    return Cohort.from_csv(
        write(tmp_path, BASIC_CSV), columns=BASIC_COLUMNS, measure="HbA1c", unit="%"
    )


def weights() -> pd.DataFrame:
    return pd.DataFrame({"w0": [80.0, 92.5, 71.0], "w12": [78.0, 90.0, 71.5]})


# ---------------------------------------------------------------- construction
def test_from_frame_basic() -> None:
    cohort = Cohort.from_frame(
        weights(), columns={"before": "w0", "after": "w12"}, measure="weight", unit="kg"
    )
    assert len(cohort) == 3
    assert cohort.measure == "weight"
    assert cohort.unit == "kg"
    assert cohort.rows.tolist() == [1, 2, 3]
    assert cohort.rows.dtype == np.int64
    assert cohort.source is None
    np.testing.assert_array_equal(cohort.values("before"), [80.0, 92.5, 71.0])
    np.testing.assert_array_equal(cohort.pair().change, [78.0 - 80.0, 90.0 - 92.5, 71.5 - 71.0])


def test_from_frame_ignores_the_frame_index() -> None:
    frame = weights()
    frame.index = ["x", "y", "z"]
    cohort = Cohort.from_frame(frame, columns={"before": "w0", "after": "w12"})
    assert cohort.rows.tolist() == [1, 2, 3]
    assert cohort.frame.index.tolist() == [1, 2, 3]


def test_from_csv_and_read_agree(tmp_path: Path) -> None:
    path = write(tmp_path, BASIC_CSV)
    a = Cohort.from_csv(path, columns=BASIC_COLUMNS, measure="HbA1c", unit="%")
    b = Cohort.read(path, columns=BASIC_COLUMNS, measure="HbA1c", unit="%")
    assert a == b
    assert a.source == str(path)
    assert len(a) == 4


def test_from_csv_matches_from_frame_of_the_same_values(tmp_path: Path) -> None:
    path = write(tmp_path, "w0,w12\n80,78\n92.5,90\n71,71.5\n")
    from_file = Cohort.from_csv(
        path, columns={"before": "w0", "after": "w12"}, measure="weight", unit="kg"
    )
    from_frame = Cohort.from_frame(
        weights(), columns={"before": "w0", "after": "w12"}, measure="weight", unit="kg"
    )
    assert from_file == from_frame


def test_column_specs_resolved_from_the_mapping(basic: Cohort) -> None:
    roles = {spec.name: spec.role for spec in basic.columns}
    assert roles == {
        "id": Role.ID,
        "sex": Role.SEX,
        "age": Role.AGE,
        "dose": Role.DOSE,
        "before": Role.BEFORE,
        "after": Role.AFTER,
        "months": Role.FOLLOWUP,
        "arm": Role.GROUP,
        "note": Role.COVARIATE,
    }
    before = basic.column("before")
    assert before is not None and before.unit == "%" and before.measure == "HbA1c"
    assert basic.column(Role.FOLLOWUP) is not None
    assert basic.column(Role.FOLLOWUP).name == "months"  # type: ignore[union-attr]
    assert basic.column("no such thing") is None


def test_values_by_role_or_name(basic: Cohort) -> None:
    np.testing.assert_array_equal(basic.values("followup"), [27.0, 12.0, 6.0, np.nan])
    np.testing.assert_array_equal(basic.values("months"), [27.0, 12.0, 6.0, np.nan])
    assert basic.values("sex").tolist() == ["M", "F", "M", "F"]
    assert basic.values("note").tolist() == ["first", None, "third", "x"]
    with pytest.raises(KeyError, match="no column with role or name 'weight'"):
        basic.values("weight")


def test_missing_counts(basic: Cohort) -> None:
    missing = basic.missing()
    assert missing["dose"] == 1
    assert missing["after"] == 1
    assert missing["before"] == 1
    assert missing["age"] == 1
    assert missing["months"] == 1
    assert missing["note"] == 1
    assert missing["id"] == 0


def test_dtypes(basic: Cohort) -> None:
    dtypes = basic.frame.dtypes
    assert dtypes["before"] == np.float64
    assert dtypes["dose"] == np.float64
    assert isinstance(dtypes["sex"], pd.CategoricalDtype)
    assert list(dtypes["sex"].categories) == ["M", "F"]
    assert isinstance(dtypes["arm"], pd.CategoricalDtype)
    assert pd.api.types.is_string_dtype(dtypes["note"])


def test_int_column_is_nullable_int(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a,age\n7.1,6.5,50\n7.3,6.9,\n")
    cohort = Cohort.from_csv(
        path, columns={"before": "b", "after": "a", "age": {"name": "age", "dtype": "int"}}
    )
    assert cohort.frame.dtypes["age"] == pd.Int64Dtype()
    np.testing.assert_array_equal(cohort.values("age"), [50.0, np.nan])


# ---------------------------------------------------------------- copies and immutability
def test_frame_is_a_copy(basic: Cohort) -> None:
    frame = basic.frame
    frame.loc[1, "before"] = 99.0
    frame["extra"] = 1
    del frame["after"]
    assert basic.frame.loc[1, "before"] == 7.5
    assert "extra" not in basic.frame.columns
    assert len(basic) == 4


def test_from_frame_copies_its_input() -> None:
    frame = weights()
    cohort = Cohort.from_frame(frame, columns={"before": "w0", "after": "w12"})
    frame.loc[0, "w0"] = 1000.0
    assert cohort.values("before")[0] == 80.0


def test_values_is_a_copy(basic: Cohort) -> None:
    values = basic.values("before")
    values[0] = -1.0
    assert basic.values("before")[0] == 7.5
    text = basic.values("note")
    text[0] = "changed"
    assert basic.values("note")[0] == "first"


@pytest.mark.parametrize(
    "attribute",
    ["frame", "measure", "unit", "name", "provenance", "columns", "rows", "source", "anything_new"],
)
def test_no_attribute_assignment(basic: Cohort, attribute: str) -> None:
    with pytest.raises(AttributeError):
        setattr(basic, attribute, None)


def test_specs_and_provenance_are_frozen(basic: Cohort) -> None:
    assert isinstance(basic.columns, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        basic.columns[0].unit = "mmol/mol"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        basic.provenance.doi = "10.1/changed"  # type: ignore[misc]


def test_paired_data_arrays_are_read_only(basic: Cohort) -> None:
    pairs = basic.pair(require=("dose",))
    for array in (pairs.before, pairs.after, pairs.rows, pairs.extra["dose"]):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 0
    with pytest.raises(TypeError):
        pairs.extra["dose"] = np.zeros(1)  # type: ignore[index]


def test_cohort_is_unhashable(basic: Cohort) -> None:
    with pytest.raises(TypeError):
        hash(basic)


# ---------------------------------------------------------------- iteration
def test_iteration_gives_typed_patients(basic: Cohort) -> None:
    patients = list(basic)
    assert len(patients) == 4
    assert all(isinstance(p, Patient) for p in patients)
    assert [p.row for p in patients] == [1, 2, 3, 4]
    first = patients[0]
    assert first.id == "p1"
    assert first.sex == "M"
    assert first.age == 66.0 and type(first.age) is float
    assert first.dose == 1000.0 and type(first.dose) is float
    assert first.before == 7.5 and type(first.before) is float
    assert first.after == 6.4 and type(first.after) is float
    assert first.followup == 27.0
    assert first.group == "A"
    assert type(first.sex) is str and type(first.group) is str and type(first.id) is str
    assert first.values["note"] == "first"  # noqa: PD011
    assert first.change == pytest.approx(6.4 - 7.5)
    second = patients[1]
    assert second.dose is None and second.after is None
    assert second.values["note"] is None  # noqa: PD011
    assert second.change is None
    third = patients[2]
    assert third.age is None and third.before is None
    assert patients[3].followup is None


def test_iteration_row_numbers_follow_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a\n" + "".join(f"{7 + i / 10},{6 + i / 10}\n" for i in range(12)))
    cohort = Cohort.from_csv(path, columns={"before": "b", "after": "a"})
    assert [p.row for p in cohort] == list(range(1, 13))
    assert [p.before for p in cohort] == [7 + i / 10 for i in range(12)]


def test_iteration_int_column_gives_python_ints(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a,age\n7.1,6.5,50\n7.3,6.9,\n")
    cohort = Cohort.from_csv(
        path, columns={"before": "b", "after": "a", "age": {"name": "age", "dtype": "int"}}
    )
    first, second = list(cohort)
    assert first.age == 50 and type(first.age) is int
    assert type(first.values["age"]) is int  # noqa: PD011
    assert second.age is None


def test_patient_is_frozen(basic: Cohort) -> None:
    patient = next(iter(basic))
    with pytest.raises(dataclasses.FrozenInstanceError):
        patient.before = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        patient.values["note"] = "x"  # type: ignore[index]  # noqa: PD011


def test_iteration_uses_roles_not_names() -> None:
    frame = pd.DataFrame(
        {
            "before": ["old scale"],
            "after": ["old scale"],
            "b2": [7.0],
            "a2": [6.0],
        }
    )
    cohort = Cohort.from_frame(frame, columns={"before": "b2", "after": "a2"})
    patient = next(iter(cohort))
    assert patient.before == 7.0
    assert patient.after == 6.0
    assert cohort.column(Role.BEFORE).name == "b2"  # type: ignore[union-attr]


# ---------------------------------------------------------------- pairing
def test_pair_excludes_and_lists_rows(basic: Cohort) -> None:
    pairs = basic.pair()
    assert isinstance(pairs, PairedData)
    assert pairs.rows.tolist() == [1, 4]
    np.testing.assert_array_equal(pairs.before, [7.5, 8.1])
    np.testing.assert_array_equal(pairs.after, [6.4, 7.0])
    np.testing.assert_allclose(pairs.change, [6.4 - 7.5, 7.0 - 8.1])
    assert pairs.n == 2
    assert pairs.n_excluded == 2
    assert pairs.excluded == (
        Exclusion(2, "after missing"),
        Exclusion(3, "before missing"),
    )
    assert pairs.measure == "HbA1c"
    assert pairs.unit == "%"


def test_pair_rows_used_and_excluded_cover_the_cohort(basic: Cohort) -> None:
    pairs = basic.pair(require=("dose", "age", "followup"))
    used = set(pairs.rows.tolist())
    left_out = {e.row for e in pairs.excluded}
    assert used.isdisjoint(left_out)
    assert used | left_out == set(basic.rows.tolist())


def test_pair_require_dose(basic: Cohort) -> None:
    pairs = basic.pair(require=("dose",))
    assert pairs.rows.tolist() == [1, 4]
    np.testing.assert_array_equal(pairs.extra["dose"], [1000.0, 100.0])
    reasons = {e.row: e.reason for e in pairs.excluded}
    assert reasons[2] == "after missing, dose missing"
    assert reasons[3] == "before missing"


def test_pair_require_excludes_rows_with_complete_pairs(tmp_path: Path) -> None:
    path = write(tmp_path, "b,a,d\n7.5,6.4,1000\n7.2,6.8,\n8.0,7.1,500\n")
    cohort = Cohort.from_csv(path, columns={"before": "b", "after": "a", "dose": "d"})
    assert cohort.pair().n == 3
    pairs = cohort.pair(require=("dose",))
    assert pairs.rows.tolist() == [1, 3]
    assert pairs.excluded == (Exclusion(2, "dose missing"),)
    np.testing.assert_array_equal(pairs.extra["dose"], [1000.0, 500.0])


def test_pair_require_a_category_column(basic: Cohort) -> None:
    pairs = basic.pair(require=("group",))
    assert pairs.extra["group"].tolist() == ["A", "B"]


def test_pair_require_unknown_column(basic: Cohort) -> None:
    with pytest.raises(KeyError, match="'weight'"):
        basic.pair(require=("weight",))


def test_pair_select_keeps_exclusions(basic: Cohort) -> None:
    pairs = basic.pair(require=("dose",))
    high = pairs.select(pairs.extra["dose"] > 500)
    assert high.rows.tolist() == [1]
    assert high.extra["dose"].tolist() == [1000.0]
    assert high.excluded == pairs.excluded


def test_pair_labels(basic: Cohort) -> None:
    pairs = basic.pair()
    assert pairs.before_label == "before"
    assert pairs.after_label == "after"


def test_numeric_covariate_by_spec() -> None:
    frame = pd.DataFrame({"b": [7.0, 8.0], "a": [6.5, 7.0], "bmi": ["27.5", ""]})
    cohort = Cohort.from_frame(
        frame, columns={"before": "b", "after": "a", "covariate": {"name": "bmi"}}
    )
    np.testing.assert_array_equal(cohort.values("bmi"), [27.5, np.nan])


def test_cohort_measure_does_not_constrain_other_columns_in_the_same_unit() -> None:
    frame = pd.DataFrame({"b": [7.0, 8.0], "a": [6.5, 7.0], "fat": [25.0, 31.0]})
    cohort = Cohort.from_frame(
        frame,
        columns={"before": "b", "after": "a", "covariate": {"name": "fat", "unit": "%"}},
        measure="HbA1c",
        unit="%",
    )
    np.testing.assert_array_equal(cohort.values("fat"), [25.0, 31.0])


# ---------------------------------------------------------------- equality and repr
def test_equality(tmp_path: Path) -> None:
    kw: dict[str, Any] = {
        "columns": {"before": "w0", "after": "w12"},
        "measure": "weight",
        "unit": "kg",
    }
    a = Cohort.from_frame(weights(), **kw)
    b = Cohort.from_frame(weights(), **kw)
    assert a == b
    assert not (a != b)
    changed = weights()
    changed.loc[2, "w12"] = 71.6
    assert a != Cohort.from_frame(changed, **kw)
    assert a != Cohort.from_frame(weights(), columns=kw["columns"], measure="weight", unit="lb")
    assert a != Cohort.from_frame(
        weights(),
        **kw,
        provenance=Provenance(doi="10.1/x"),
    )
    assert a != Cohort.from_frame(weights().iloc[:2], **kw)
    assert a != "not a cohort"


def test_equality_with_missing_values() -> None:
    frame = pd.DataFrame({"b": [7.0, None], "a": [6.0, 5.5]})
    a = Cohort.from_frame(frame, columns={"before": "b", "after": "a"})
    b = Cohort.from_frame(frame.copy(), columns={"before": "b", "after": "a"})
    assert a == b


def test_equality_sees_dtypes() -> None:
    frame = pd.DataFrame({"b": [7.0, 8.0], "a": [6.0, 5.5], "age": [50.0, 60.0]})
    as_float = Cohort.from_frame(frame, columns={"before": "b", "after": "a", "age": "age"})
    as_int = Cohort.from_frame(
        frame, columns={"before": "b", "after": "a", "age": {"name": "age", "dtype": "int"}}
    )
    assert as_float != as_int


def test_repr_and_html(basic: Cohort) -> None:
    text = repr(basic)
    assert "4 rows" in text and "HbA1c" in text
    html = basic._repr_html_()
    assert "<table" in html and "before" in html


def test_one_row_loads_and_pairs(tmp_path: Path) -> None:
    cohort = Cohort.from_csv(
        write(tmp_path, "b,a\n7.2,6.8\n"), columns={"before": "b", "after": "a"}
    )
    assert len(cohort) == 1
    pairs = cohort.pair()
    assert pairs.n == 1
    assert pairs.change.tolist() == pytest.approx([6.8 - 7.2])


def test_all_pairs_excluded_is_an_empty_pair_not_an_error(tmp_path: Path) -> None:
    cohort = Cohort.from_csv(
        write(tmp_path, "b,a\n7.2,\n,6.8\n"), columns={"before": "b", "after": "a"}
    )
    pairs = cohort.pair()
    assert pairs.n == 0
    assert [e.row for e in pairs.excluded] == [1, 2]


def test_private_constructor_is_not_validation_bypass_for_from_frame() -> None:
    # from_frame validates: an HbA1c of 74 % never becomes a Cohort.
    frame = pd.DataFrame({"b": [7.1, 74.0], "a": [6.5, 6.9]})
    with pytest.raises(CohortValidationError):
        Cohort.from_frame(frame, columns={"before": "b", "after": "a"}, measure="HbA1c", unit="%")


def test_one_column_with_two_roles() -> None:
    frame = pd.DataFrame({"b": [7.0, 8.0], "a": [6.5, 7.0], "d": [100.0, 500.0]})
    # before and after on one column is surely a slip: refused, or at least not a crash.
    try:
        same = Cohort.from_frame(frame, columns={"before": "b", "after": "b"})
    except CohortValidationError as err:
        assert err.column == "b"
    else:
        assert [p.change for p in same] == [0.0, 0.0]
    try:
        cohort = Cohort.from_frame(
            frame, columns={"before": "b", "after": "a", "dose": "d", "group": "d"}
        )
    except CohortValidationError as err:  # refusing the mapping, by name, is fine too
        assert err.column == "d"
        return
    patients = list(cohort)
    assert [p.dose for p in patients] == [100.0, 500.0]
    assert [p.group for p in patients] == ["100", "500"] or [p.group for p in patients] == [
        "100.0",
        "500.0",
    ]
    np.testing.assert_array_equal(cohort.values("dose"), [100.0, 500.0])


# ----------------------------------------------------------------------------- printed text


def test_printed_keeps_the_precision_the_float_loses(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("b,a,d\n 7.20 ,6.8,-0.40\n8.1,7.0,NA\n1e1,9,\n", encoding="utf-8")
    cohort = Cohort.from_csv(path, columns={"before": "b", "after": "a", "covariate": "d"})
    before, d = cohort.printed("before"), cohort.printed("d")
    assert before is not None and d is not None
    assert before.tolist() == ["7.20", "8.1", "1e1"]
    assert d.tolist() == ["-0.40", "NA", ""]  # missing cells keep their token
    assert cohort.values("before").tolist() == [7.2, 8.1, 10.0]
    with pytest.raises(ValueError):
        before[0] = "x"  # read-only: the cohort is immutable


def test_printed_is_in_pythons_number_grammar_whatever_the_locale(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('b;a\n"1.234,50";2\n7,0;3\n', encoding="utf-8")
    cohort = Cohort.from_csv(
        path, columns={"before": "b", "after": "a"}, decimal=",", thousands="."
    )
    assert cohort.printed("b").tolist() == ["1234.50", "7.0"]  # type: ignore[union-attr]


def test_printed_is_none_for_numbers_given_as_numbers() -> None:
    frame = pd.DataFrame({"b": [7.2, 8.1], "a": ["6.80", "7.0"]})
    cohort = Cohort.from_frame(frame, columns={"before": "b", "after": "a"})
    assert cohort.printed("b") is None
    assert cohort.printed("after").tolist() == ["6.80", "7.0"]  # type: ignore[union-attr]
    with pytest.raises(KeyError, match="no column"):
        cohort.printed("dose")


def test_to_csv_keeps_the_printed_text(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("b,a\n2,1.20\n,1e1\n", encoding="utf-8")
    cohort = Cohort.from_csv(path, columns={"before": "b", "after": "a"})
    cohort.to_csv(tmp_path / "back.csv")
    back = Cohort.from_csv(tmp_path / "back.csv")
    assert back == cohort
    assert back.printed("b").tolist() == ["2", "NA"]  # type: ignore[union-attr]
    assert back.printed("a").tolist() == ["1.20", "1e1"]  # type: ignore[union-attr]


def test_values_of_a_category_column_are_its_categories_or_none() -> None:
    # An all-missing category column has no categories: its codes are all -1.
    frame = pd.DataFrame(
        {
            "b": [7.5, 8.0],
            "a": [6.0, 7.0],
            "arm": pd.Categorical([None, None]),
        }
    )
    cohort = Cohort.from_frame(frame, columns={"before": "b", "after": "a", "group": "arm"})
    assert cohort.values("arm").tolist() == [None, None]
