"""The one result shape of the summary checks."""

from __future__ import annotations

import pytest

from cohort_reanalysis.verification.checks import SummaryCheck, grim


def test_summary_check_shape() -> None:
    values = {"x": 1}
    r = SummaryCheck("demo", None, "why not", values)
    values["x"] = 2
    assert r.values == {"x": 1.0} and r.status == "not applicable"
    frame = grim("5.19", 28).to_frame()
    assert list(frame.columns) == ["check", "status", "quantity", "value"]
    assert set(frame["status"]) == {"inconsistent"}
    assert "<table" in grim("5.19", 28)._repr_html_()
    assert str(grim("5.21", 28)).startswith("grim: consistent.")
    with pytest.raises(AttributeError):
        r.consistent = True  # type: ignore[misc]
