"""Strata with an explicit boundary rule."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cohort_reanalysis.analyses._strata import cut, format_cutoff

# ----------------------------------------------------------------------------- cut


def test_value_at_cutoff_lands_in_stated_stratum() -> None:
    values = [7.9, 8.0, 8.1]
    assert cut(values, [8.0], boundary="lower").index.tolist() == [0, 0, 1]
    assert cut(values, [8.0], boundary="upper").index.tolist() == [0, 1, 1]


def test_every_cutoff_respects_the_boundary() -> None:
    values = [1.0, 12.0, 20.0, 36.0, 50.0]
    assert cut(values, [12.0, 36.0], boundary="lower").index.tolist() == [0, 0, 1, 1, 2]
    assert cut(values, [12.0, 36.0], boundary="upper").index.tolist() == [0, 1, 1, 2, 2]


def test_rule_text_and_default_labels() -> None:
    s = cut([7.0, 9.0], [8.0], boundary="lower", variable="HbA1c", unit="%")
    assert s.rule_text == "HbA1c ≤ 8 % | HbA1c > 8 %"
    assert s.labels == ("HbA1c ≤ 8 %", "HbA1c > 8 %")
    u = cut([7.0, 9.0], [12, 36], boundary="upper", variable="follow-up", unit="months")
    assert u.rule_text == (
        "follow-up < 12 months | 12 ≤ follow-up < 36 months | follow-up ≥ 36 months"
    )
    assert "upper" in u.boundary_text


def test_cutoffs_print_as_written_and_exactly() -> None:
    # Whole numbers without ".0"; others as the shortest text that reads back exactly
    # (rounding 1234.5678 to 3 significant digits would misstate the boundary).
    assert [format_cutoff(c) for c in (8.0, 1000, 12.0, 6.2, 1234.5678, -0.0)] == [
        "8",
        "1000",
        "12",
        "6.2",
        "1234.5678",
        "0",
    ]
    for c in (6.2, 1234.5678, 0.1 + 0.2, 1e-7):
        assert float(format_cutoff(c)) == c
    s = cut([1.0], [6.2, 1000.0], boundary="lower", variable="x", unit="u")
    assert s.rule_text == "x ≤ 6.2 u | 6.2 < x ≤ 1000 u | x > 1000 u"
    assert s.cutoffs == (6.2, 1000.0)  # stored at full precision, as floats


def test_custom_labels_keep_the_rule() -> None:
    s = cut([7.0, 9.0], 8.0, boundary="lower", labels=["moderate", "severe"], variable="HbA1c")
    assert s.labels == ("moderate", "severe")
    assert s.rule_text == "HbA1c ≤ 8 | HbA1c > 8"


def test_counts_include_empty_strata() -> None:
    s = cut([1.0, 2.0, 3.0], [10.0, 20.0], boundary="lower")
    assert s.counts() == (3, 0, 0)
    assert s.mask(1).sum() == 0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"cutoffs": [8.0, 7.0], "boundary": "lower"}, "strictly increasing"),
        ({"cutoffs": [8.0, 8.0], "boundary": "lower"}, "strictly increasing"),
        ({"cutoffs": [], "boundary": "lower"}, "non-empty"),
        ({"cutoffs": [math.nan], "boundary": "lower"}, "finite"),
        ({"cutoffs": [8.0], "boundary": "middle"}, "boundary"),
        ({"cutoffs": [8.0], "boundary": "lower", "labels": ["a"]}, "2 strata"),
        ({"cutoffs": [8.0], "boundary": "lower", "labels": ["a", "a"]}, "unique"),
    ],
)
def test_bad_options_raise(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        cut([1.0, 2.0], **kwargs)


def test_missing_values_raise() -> None:
    with pytest.raises(ValueError, match="missing"):
        cut([1.0, math.nan], [1.5], boundary="lower")


@given(
    st.lists(st.integers(-50, 50), min_size=1, max_size=30),
    st.lists(st.integers(-40, 40), min_size=1, max_size=4, unique=True),
)
def test_index_counts_cutoffs_passed(values: list[int], cutoffs: list[int]) -> None:
    # Definition: "lower" puts x in stratum #{c : c < x}; "upper" in #{c : c <= x}.
    cuts = sorted(cutoffs)
    x = np.array(values, dtype=float)
    lower = cut(x, cuts, boundary="lower").index
    upper = cut(x, cuts, boundary="upper").index
    assert lower.tolist() == [sum(c < v for c in cuts) for v in values]
    assert upper.tolist() == [sum(c <= v for c in cuts) for v in values]
