"""A specification: values of the choices a claim touches, and its departures."""

from __future__ import annotations

from cohort_reanalysis.verification._specification import Specification


def test_specification_departures_and_plain_dict() -> None:
    s = Specification({"a": 1, "b": 2}, {"a": 1, "b": 3})
    assert s.departures == ("b",) and s.to_dict() == {"a": 1, "b": 2}
