"""Counts of parts against a stated total."""

from __future__ import annotations

import pytest

from cohort_reanalysis.verification.checks import counts_add_up


def test_counts_add_up() -> None:
    assert counts_add_up({"men": 30, "women": "28"}, 58).consistent is True
    r = counts_add_up({"a": 3, "b": 4}, 8)
    assert r.consistent is False and r.values["difference"] == -1.0 and "short by 1" in r.detail
    with pytest.raises(ValueError):
        counts_add_up({}, 0)
    with pytest.raises(ValueError):
        counts_add_up({"a": -1}, 0)
