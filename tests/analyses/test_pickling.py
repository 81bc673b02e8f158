"""Cohorts and results survive pickling, so they can go to worker processes and caches.

Read-only mappings (``MappingProxyType``) cannot be pickled as they are; the classes that
hold them rebuild them on arrival, still read-only.
"""

from __future__ import annotations

import pickle
from types import MappingProxyType
from typing import Any

import numpy as np
import pytest

import cohort_reanalysis as cr


@pytest.fixture(scope="module")
def cohort() -> cr.Cohort:
    return cr.load_dataset("matsuoka2025")


def _round_trip(obj: Any) -> Any:
    return pickle.loads(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))


def test_cohort_round_trips_with_its_provenance(cohort: cr.Cohort) -> None:
    again = _round_trip(cohort)
    assert again == cohort
    assert again.provenance == cohort.provenance
    assert isinstance(again.provenance.related_dois, MappingProxyType)
    assert again.provenance.related_dois == cohort.provenance.related_dois


def test_patients_and_pairs_stay_read_only(cohort: cr.Cohort) -> None:
    patient = next(iter(cohort))
    again = _round_trip(patient)
    assert again == patient
    assert isinstance(again.values, MappingProxyType)
    pairs = cohort.pair(require=("dose",))
    back = _round_trip(pairs)
    np.testing.assert_array_equal(back.change, pairs.change)
    np.testing.assert_array_equal(back.extra["dose"], pairs.extra["dose"])
    assert isinstance(back.extra, MappingProxyType)
    assert not back.before.flags.writeable
    assert back.excluded == pairs.excluded


@pytest.mark.parametrize(
    "analysis",
    [
        cr.paired_change,
        cr.severity_subgroups,
        cr.dose_response,
        cr.followup_effect,
        cr.regression_to_mean,
        cr.table_one,
        cr.verify,
    ],
)
def test_results_round_trip(cohort: cr.Cohort, analysis: Any) -> None:
    result = analysis(cohort)
    again = _round_trip(result)
    assert str(again) == str(result)
    frame, back = result.to_frame(), again.to_frame()
    assert frame.equals(back)
