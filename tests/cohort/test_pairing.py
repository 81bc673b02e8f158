"""Choosing the before/after pair among several measures and visits (a registry table).

Expected values are read off the small tables written in each test, never off the code's output.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cohort_reanalysis.cohort import Cohort, ColumnSpec, Exclusion, Role

REGISTRY = pd.DataFrame(
    {
        "patient": ["r01", "r02", "r03", "r04"],
        "hba1c_0": [8.4, 7.9, 9.2, 8.8],
        "hba1c_6": [7.6, 7.5, None, 8.1],
        "hba1c_12": [7.1, 7.7, 8.5, None],
        "insulin_0": [14.2, 20.5, 11.0, 17.3],
        "insulin_6": [12.0, None, 10.4, 15.0],
        "insulin_12": [10.8, 18.9, None, 13.1],
        "clinic": ["Tokyo", "Osaka", "Tokyo", "Nagoya"],
    }
)
VISITS = [("0", "baseline"), ("6", "6 months"), ("12", "12 months")]


def registry_specs(*, with_primary_pair: bool) -> list[ColumnSpec]:
    specs = [ColumnSpec("patient", "id")]
    for measure, prefix, unit in (("HbA1c", "hba1c", "%"), ("insulin", "insulin", "µU/mL")):
        for suffix, visit in VISITS:
            role = "measurement"
            if with_primary_pair and measure == "HbA1c":
                role = {"0": "before", "12": "after"}.get(suffix, "measurement")
            specs.append(
                ColumnSpec(f"{prefix}_{suffix}", role, measure=measure, unit=unit, visit=visit)
            )
    return specs


@pytest.mark.parametrize("with_primary_pair", [True, False])
def test_registry_pair_by_measure_and_visit(with_primary_pair: bool) -> None:
    cohort = Cohort.from_frame(
        REGISTRY, columns=registry_specs(with_primary_pair=with_primary_pair)
    )
    pairs = cohort.pair(measure="insulin", baseline="baseline", followup="12 months")
    assert pairs.rows.tolist() == [1, 2, 4]
    np.testing.assert_array_equal(pairs.before, [14.2, 20.5, 17.3])
    np.testing.assert_array_equal(pairs.after, [10.8, 18.9, 13.1])
    assert pairs.excluded == (Exclusion(3, "insulin_12 missing"),)
    assert pairs.measure == "insulin"
    assert pairs.unit == "µU/mL"
    assert pairs.before_label == "baseline"
    assert pairs.after_label == "12 months"

    six = cohort.pair(measure="HbA1c", baseline="baseline", followup="6 months")
    assert six.rows.tolist() == [1, 2, 4]
    np.testing.assert_array_equal(six.after, [7.6, 7.5, 8.1])
    assert six.unit == "%"

    later = cohort.pair(measure="insulin", baseline="6 months", followup="12 months")
    assert later.rows.tolist() == [1, 4]
    assert {e.row for e in later.excluded} == {2, 3}


def test_registry_measure_is_case_insensitive_and_visit_may_be_a_column_name() -> None:
    cohort = Cohort.from_frame(REGISTRY, columns=registry_specs(with_primary_pair=False))
    pairs = cohort.pair(measure="INSULIN", baseline="insulin_0", followup="insulin_6")
    assert pairs.rows.tolist() == [1, 3, 4]
    np.testing.assert_array_equal(pairs.after, [12.0, 10.4, 15.0])


def test_registry_default_pair_is_the_primary_pair() -> None:
    cohort = Cohort.from_frame(REGISTRY, columns=registry_specs(with_primary_pair=True))
    pairs = cohort.pair()
    assert pairs.rows.tolist() == [1, 2, 3]
    np.testing.assert_array_equal(pairs.before, [8.4, 7.9, 9.2])
    np.testing.assert_array_equal(pairs.after, [7.1, 7.7, 8.5])
    assert pairs.measure == "HbA1c"


def test_registry_unknown_measure_or_visit() -> None:
    cohort = Cohort.from_frame(REGISTRY, columns=registry_specs(with_primary_pair=False))
    with pytest.raises(KeyError, match="HOMA-IR") as err:
        cohort.pair(measure="HOMA-IR")
    assert "insulin" in str(err.value) and "HbA1c" in str(err.value)
    with pytest.raises(KeyError, match="24 months") as err:
        cohort.pair(measure="insulin", followup="24 months")
    assert "12 months" in str(err.value)


def test_registry_unmapped_columns_are_text_covariates() -> None:
    cohort = Cohort.from_frame(REGISTRY, columns=registry_specs(with_primary_pair=False))
    clinic = cohort.column("clinic")
    assert clinic is not None
    assert clinic.role is Role.COVARIATE
    assert clinic.dtype == "str"
    assert cohort.values("clinic").tolist() == ["Tokyo", "Osaka", "Tokyo", "Nagoya"]
    assert next(iter(cohort)).values["clinic"] == "Tokyo"  # noqa: PD011


def test_registry_pair_with_covariate_required() -> None:
    cohort = Cohort.from_frame(REGISTRY, columns=registry_specs(with_primary_pair=False))
    pairs = cohort.pair(
        measure="HbA1c", baseline="baseline", followup="12 months", require=("clinic",)
    )
    assert pairs.extra["clinic"].tolist() == ["Tokyo", "Osaka", "Tokyo"]


def test_registry_default_pair_never_mixes_measures() -> None:
    cohort = Cohort.from_frame(REGISTRY, columns=registry_specs(with_primary_pair=False))
    try:
        pairs = cohort.pair()
    except (KeyError, ValueError) as err:  # refusing, naming the measures, is fine too
        assert "HbA1c" in str(err) and "insulin" in str(err)
        return
    used = pairs.rows - 1

    def source(values: np.ndarray) -> set[str]:
        return {
            name.split("_")[0]
            for name in REGISTRY.columns[1:-1]
            if np.array_equal(REGISTRY[name].to_numpy(dtype=float)[used], values)
        }

    assert source(pairs.before) & source(pairs.after)
