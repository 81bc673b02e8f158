"""cohort.to_csv(path) then Cohort.from_csv(path) (with the sidecar) gives an equal Cohort."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cohort_reanalysis.cohort import Cohort, ColumnSpec, Provenance, load_dataset


def round_trip(cohort: Cohort, folder: Path) -> Cohort:
    path = folder / "cohort.csv"
    sidecar = cohort.to_csv(path)
    assert sidecar == folder / "cohort.cohort.json"
    assert json.loads(sidecar.read_text(encoding="utf-8"))["format"] == "cohort-reanalysis/cohort@1"
    return Cohort.from_csv(path)


def assert_same(a: Cohort, b: Cohort) -> None:
    assert b == a
    assert b.columns == a.columns
    assert b.measure == a.measure and b.unit == a.unit and b.name == a.name
    assert b.provenance == a.provenance
    assert b.frame.dtypes.to_dict() == a.frame.dtypes.to_dict()
    assert b.rows.tolist() == a.rows.tolist()
    for spec in a.columns:
        left, right = a.values(spec.name), b.values(spec.name)
        if spec.is_numeric:
            # Bit for bit: no digits lost in writing or reading.
            np.testing.assert_array_equal(left, right, strict=True)
        else:
            assert left.tolist() == right.tolist()


def test_bundled_dataset_round_trip(tmp_path: Path) -> None:
    cohort = load_dataset("matsuoka2025")
    again = round_trip(cohort, tmp_path)
    assert_same(cohort, again)
    assert again.provenance.reported_n == 61
    assert again.provenance.transcription_notes == cohort.provenance.transcription_notes
    assert dict(again.provenance.related_dois) == dict(cohort.provenance.related_dois)
    assert again.source == str(tmp_path / "cohort.csv")


def test_round_trip_of_a_multi_measure_cohort(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "hba1c_0": [8.4, 7.9, None],
            "hba1c_12": [7.1, None, 8.5],
            "insulin_0": [14.2, 20.5, 11.0],
            "site": ["Tokyo", None, "Osaka, Japan"],
        }
    )
    specs = [
        ColumnSpec("id", "id"),
        ColumnSpec("hba1c_0", "measurement", measure="HbA1c", unit="%", visit="baseline"),
        ColumnSpec("hba1c_12", "measurement", measure="HbA1c", unit="%", visit="12 months"),
        ColumnSpec("insulin_0", "measurement", measure="insulin", unit="µU/mL", visit="baseline"),
    ]
    cohort = Cohort.from_frame(frame, columns=specs, name="registry")
    assert_same(cohort, round_trip(cohort, tmp_path))


def test_sidecar_overrides(tmp_path: Path) -> None:
    cohort = Cohort.from_frame(
        pd.DataFrame({"w0": [80.0], "w1": [79.5]}),
        columns={"before": "w0", "after": "w1"},
        measure="weight",
        unit="kg",
    )
    path = tmp_path / "w.csv"
    cohort.to_csv(path)
    assert Cohort.from_csv(path, unit="lb").unit == "lb"


# ---------------------------------------------------------------- generated cohorts
finite = st.floats(allow_nan=False, allow_infinity=False)
many_digits = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False).map(
    lambda x: x / 3.0 + 1e-9
)
maybe = lambda s: st.one_of(st.none(), s)  # noqa: E731

safe_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
codes = st.sampled_from(["M", "F", "ctrl", "arm B", "low;high", "7,5", "NA?"])


@st.composite
def cohorts(draw: st.DrawFn) -> Cohort:
    n = draw(st.integers(1, 25))
    column = lambda s: draw(st.lists(maybe(s), min_size=n, max_size=n))  # noqa: E731
    frame = pd.DataFrame(
        {
            "before": pd.Series(column(st.one_of(finite, many_digits)), dtype="float64"),
            "after": pd.Series(column(st.one_of(finite, many_digits)), dtype="float64"),
            "age": pd.Series(column(st.integers(-(10**6), 10**6)), dtype="Int64"),
            "arm": pd.Series(column(codes), dtype=object),
            "note": pd.Series(column(safe_text), dtype=object),
            "ratio": pd.Series(column(finite), dtype="float64"),
        }
    )
    unit = draw(st.sampled_from([None, "kg", "mmHg", "µmol/L"]))
    specs = [
        ColumnSpec("before", "before", unit=unit, label=draw(maybe(safe_text))),
        ColumnSpec(
            "after", "after", unit=unit, visit=draw(maybe(st.sampled_from(["12 months", "end"])))
        ),
        ColumnSpec("age", "age", dtype="int"),
        ColumnSpec("arm", "group"),
        ColumnSpec("ratio", "measurement", measure="ratio", visit="6 months"),
    ]
    provenance = Provenance(
        citation=draw(maybe(safe_text)),
        doi=draw(maybe(st.just("10.1234/abc.5"))),
        authors=tuple(draw(st.lists(safe_text, max_size=3))),
        related_dois=draw(st.dictionaries(safe_text, safe_text, max_size=2)),
        table=draw(maybe(st.just("Table 2"))),
        reported_n=draw(maybe(st.integers(0, 10**4))),
        printed_rows=n,
        year=draw(maybe(st.integers(1900, 2100))),
        transcription_notes=tuple(draw(st.lists(safe_text, max_size=3))),
    )
    return Cohort.from_frame(
        frame,
        columns=specs,
        measure=draw(maybe(st.just("BMI"))),
        unit=unit,
        provenance=provenance,
        name=draw(maybe(safe_text)),
    )


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts())
def test_generated_cohorts_round_trip(cohort: Cohort) -> None:
    with tempfile.TemporaryDirectory() as folder:
        again = round_trip(cohort, Path(folder))
    assert_same(cohort, again)


@pytest.mark.parametrize(
    "value",
    [0.1 + 0.2, 1 / 3, 5e-324, 1.7976931348623157e308, -0.0, 123456789.12345679, 2.0**-1074 * 3],
)
def test_float_digits_survive(tmp_path: Path, value: float) -> None:
    frame = pd.DataFrame({"b": [value, 1.0], "a": [1.0, value]})
    cohort = Cohort.from_frame(frame, columns={"before": "b", "after": "a"})
    again = round_trip(cohort, tmp_path)
    assert again.values("b")[0] == value
    assert again.values("a")[1] == value


def test_row_numbers_with_a_gap_survive_the_round_trip(tmp_path: Path) -> None:
    # A blank line in the source leaves row 2 unused; rows keep naming the source's lines.
    source = tmp_path / "source.csv"
    source.write_text("b,a\n7.5,6.4\n\n8.1,7.0\n")
    cohort = Cohort.from_csv(source, columns={"before": "b", "after": "a"})
    assert cohort.rows.tolist() == [1, 3]
    cohort.to_csv(tmp_path / "copy.csv")
    again = Cohort.from_csv(tmp_path / "copy.csv")
    assert again.rows.tolist() == [1, 3] and again == cohort
