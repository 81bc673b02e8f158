"""ColumnSpec, Provenance and Role: defaults, validation of the spec itself, dict round trips."""

from __future__ import annotations

import dataclasses

import pytest

from cohort_reanalysis.cohort import ColumnSpec, Provenance, Role
from cohort_reanalysis.cohort._units import default_plausible, unit_hint


def test_role_from_string() -> None:
    assert Role("before") is Role.BEFORE
    assert Role("measurement") is Role.MEASUREMENT
    with pytest.raises(ValueError):
        Role("bfore")


@pytest.mark.parametrize(
    ("role", "dtype"),
    [
        ("id", "str"),
        ("sex", "category"),
        ("group", "category"),
        ("age", "float"),
        ("dose", "float"),
        ("before", "float"),
        ("after", "float"),
        ("followup", "float"),
        ("measurement", "float"),
        ("covariate", "float"),
    ],
)
def test_default_dtype_by_role(role: str, dtype: str) -> None:
    spec = ColumnSpec("x", role)
    assert spec.role is Role(role)
    assert spec.dtype == dtype
    assert spec.is_numeric == (dtype in ("float", "int"))


def test_ids_must_not_be_missing_by_default() -> None:
    assert ColumnSpec("id", "id").allow_missing is False
    assert ColumnSpec("b", "before").allow_missing is True
    assert ColumnSpec("id", "id", allow_missing=True).allow_missing is True


def test_spec_normalises_its_fields() -> None:
    spec = ColumnSpec("hba1c", "before", plausible=[3, 20], categories=None, unit="%")
    assert spec.plausible == (3.0, 20.0)
    assert isinstance(spec.plausible, tuple)
    sex = ColumnSpec("sex", "sex", categories=["M", "F"])
    assert sex.categories == ("M", "F")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"dtype": "number"}, "unknown dtype"), ({"plausible": (20, 3)}, "is empty")],
)
def test_bad_spec_is_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ColumnSpec("hba1c", "before", **kwargs)  # type: ignore[arg-type]


def test_display() -> None:
    assert ColumnSpec("b", "before", unit="%", label="HbA1c before").display == "HbA1c before (%)"
    assert ColumnSpec("b", "before").display == "b"
    assert ColumnSpec("b", "before", unit="kg").display == "b (kg)"


def test_spec_is_frozen_and_hashable() -> None:
    spec = ColumnSpec("b", "before", unit="%", plausible=(3, 20))
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.unit = "mmol/mol"  # type: ignore[misc]
    assert hash(spec) == hash(ColumnSpec("b", "before", unit="%", plausible=(3, 20)))


@pytest.mark.parametrize(
    "spec",
    [
        ColumnSpec("b", "before"),
        ColumnSpec(
            "hba1c_6",
            "measurement",
            unit="%",
            measure="HbA1c",
            visit="6 months",
            plausible=(3, 20),
            label="HbA1c at 6 months",
        ),
        ColumnSpec("sex", "sex", categories=("M", "F"), allow_missing=False),
        ColumnSpec("age", "age", dtype="int", unit="years"),
        ColumnSpec("note", "covariate", dtype="str"),
    ],
)
def test_spec_dict_round_trip(spec: ColumnSpec) -> None:
    data = spec.to_dict()
    assert data["role"] == spec.role.value
    assert ColumnSpec.from_dict(data) == spec


def test_spec_from_dict_refuses_unknown_or_missing_fields() -> None:
    with pytest.raises(ValueError, match="unknown field"):
        ColumnSpec.from_dict({"name": "b", "role": "before", "units": "%"})
    with pytest.raises(ValueError, match="needs 'name' and 'role'"):
        ColumnSpec.from_dict({"name": "b"})


def test_provenance_short_and_round_trip() -> None:
    prov = Provenance(
        citation="Doe J. A study. 2025",
        doi="10.1/x",
        table="Table 1",
        licence="CC BY 4.0",
        authors=["J Doe"],  # type: ignore[arg-type]
        related_dois={"journal": "10.2/y"},
        reported_n=61,
        printed_rows=58,
        transcription_notes=["row 3 split"],  # type: ignore[arg-type]
    )
    assert prov.short == "Doe J. A study. 2025, Table 1, doi:10.1/x"
    assert prov.authors == ("J Doe",)
    assert prov.transcription_notes == ("row 3 split",)
    assert Provenance.from_dict(prov.to_dict()) == prov
    assert Provenance().short == "unknown source"


def test_provenance_is_immutable() -> None:
    prov = Provenance(related_dois={"journal": "10.2/y"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        prov.doi = "10.1/z"  # type: ignore[misc]
    with pytest.raises(TypeError):
        prov.related_dois["other"] = "10.3/z"  # type: ignore[index]


def test_provenance_refuses_unknown_fields() -> None:
    with pytest.raises(ValueError, match="unknown field"):
        Provenance.from_dict({"doi": "10.1/x", "journal": "J"})


@pytest.mark.parametrize(
    ("measure", "unit", "expected"),
    [
        ("HbA1c", "%", (3.0, 20.0)),
        ("hba1c", "mmol/mol", (9.0, 195.0)),
        ("Weight", "kg", (1.0, 400.0)),
        (None, "years", (0.0, 130.0)),
        ("insulin", "µU/mL", None),
    ],
)
def test_default_plausible(measure: str | None, unit: str, expected: object) -> None:
    assert default_plausible(measure, unit) == expected


def test_unit_hint() -> None:
    # IFCC: 74 mmol/mol is about 8.9 %; it cannot be a percentage.
    hint = unit_hint("HbA1c", "%", 74.0)
    assert hint is not None and "mmol/mol" in hint
    # 2.0 is implausible in either unit: no hint rather than a wrong one.
    assert unit_hint("HbA1c", "%", 2.0) is None
