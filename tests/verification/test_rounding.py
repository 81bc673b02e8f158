"""Rounding procedures, both ways: expected roundings come from integer arithmetic written
out in this file, and every print's interval holds exactly the values that print so.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cohort_reanalysis.verification._interval import Interval, contains, interval, matches
from cohort_reanalysis.verification._reported import (
    parse_number,
)
from cohort_reanalysis.verification._rounding import ROUNDINGS, round_to_text, round_value

PROCEDURES = ["half_up", "half_down", "half_even", "truncate", "ceiling", "floor"]
D = Decimal


def ends(iv: Interval) -> tuple[str, str, bool, bool]:
    return (f"{iv.low:f}", f"{iv.high:f}", iv.low_closed, iv.high_closed)


# ----------------------------------------------------------------------------- rounding


def test_round_value_known_cases() -> None:
    assert round_value(0.125, 2, "half_even") == D("0.12")
    assert round_value(0.135, 2, "half_even") == D("0.14")
    assert round_value(2.675, 2, "half_up") == D("2.68")  # float repr issue, see module doc
    assert round_value(-2.5, 0, "half_up") == D("-3")
    assert round_value(-2.5, 0, "half_down") == D("-2")
    assert round_value(-2.5, 0, "half_even") == D("-2")
    assert round_value(-2.7, 0, "truncate") == D("-2")
    assert round_value(-2.7, 0, "ceiling") == D("-2")
    assert round_value(-2.2, 0, "floor") == D("-3")
    assert round_to_text(6.7, 2, "half_up") == "6.70"
    assert round_to_text(-0.004, 2, "half_up") == "-0.00"
    with pytest.raises(ValueError, match="two procedures"):
        round_value(1.0, 1, "up_or_down")
    with pytest.raises(ValueError, match="decimals"):
        round_value(1.0, -1, "half_up")
    with pytest.raises(ValueError):
        round_value(math.inf, 1, "half_up")


def reference_round(x: Fraction, decimals: int, procedure: str) -> Fraction:
    """Rounding written out with integers, independent of the decimal module."""
    scaled = x * 10**decimals
    sign = -1 if scaled < 0 else 1
    mag = abs(scaled)
    below = math.floor(mag)
    frac = mag - below
    if procedure == "truncate":
        k = sign * below
    elif procedure == "ceiling":
        k = math.ceil(scaled)
    elif procedure == "floor":
        k = math.floor(scaled)
    else:
        if frac > Fraction(1, 2):
            mk = below + 1
        elif frac < Fraction(1, 2):
            mk = below
        elif procedure == "half_up":
            mk = below + 1
        elif procedure == "half_down":
            mk = below
        else:
            mk = below + (below % 2)
        k = sign * mk
    return Fraction(k, 10**decimals)


@settings(max_examples=150, deadline=None)
@given(
    k=st.integers(min_value=-(10**9), max_value=10**9),
    extra=st.integers(min_value=1, max_value=4),
    decimals=st.integers(min_value=0, max_value=4),
    procedure=st.sampled_from(PROCEDURES),
)
def test_round_value_agrees_with_integer_arithmetic(
    k: int, extra: int, decimals: int, procedure: str
) -> None:
    # Exact decimals with a few more digits than kept, ties included (k ending in 5, 50...).
    x = Fraction(k, 10 ** (decimals + extra))
    value = D(k).scaleb(-(decimals + extra))
    assert Fraction(round_value(value, decimals, procedure)) == reference_round(
        x, decimals, procedure
    )


# ----------------------------------------------------------------------------- properties


@settings(max_examples=200, deadline=None)
@given(
    x=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
    decimals=st.integers(min_value=0, max_value=8),
    procedure=st.sampled_from(PROCEDURES),
)
def test_a_rounded_value_lies_in_the_interval_of_its_print(
    x: float, decimals: int, procedure: str
) -> None:
    text = round_to_text(x, decimals, procedure)
    parsed = parse_number(text)
    assert parsed.decimals == decimals
    assert contains(interval(parsed, rounding=procedure), x)  # type: ignore[arg-type]
    if procedure in ("half_up", "half_down"):
        assert contains(interval(parsed, rounding="up_or_down"), x)
        assert matches(text, x).procedure in ("half_up", "half_down")


@settings(max_examples=150, deadline=None)
@given(
    base=st.integers(min_value=-(10**5), max_value=10**5),
    tail=st.sampled_from(["zero", "tie", "below_tie", "above_tie", "last"]),
    digits=st.integers(min_value=1, max_value=3),
    decimals=st.integers(min_value=0, max_value=5),
    procedure=st.sampled_from(PROCEDURES),
)
def test_exact_decimals_lie_in_the_interval_of_their_print(
    base: int, tail: str, digits: int, decimals: int, procedure: str
) -> None:
    # Values on and next to the boundaries: k ends in 0..0, 50..0, 49..9, 50..1 or 9..9.
    half = 5 * 10 ** (digits - 1)
    offset = {
        "zero": 0,
        "tie": half,
        "below_tie": half - 1,
        "above_tie": half + 1,
        "last": 10**digits - 1,
    }[tail]
    k = base * 10**digits + (offset if base >= 0 else -offset)
    value = D(k).scaleb(-(decimals + digits))
    text = round_to_text(value, decimals, procedure)
    assert contains(interval(text, rounding=procedure), value)  # type: ignore[arg-type]


def printed(k: int, decimals: int) -> str:
    return f"{D(k).scaleb(-decimals):.{decimals}f}"


@settings(max_examples=150, deadline=None)
@given(
    k=st.integers(min_value=-(10**6), max_value=10**6),
    decimals=st.integers(min_value=0, max_value=4),
    procedure=st.sampled_from(PROCEDURES),
)
def test_adjacent_prints_tile_without_gaps_or_overlaps(
    k: int, decimals: int, procedure: str
) -> None:
    a = interval(printed(k, decimals), rounding=procedure)  # type: ignore[arg-type]
    b = interval(printed(k + 1, decimals), rounding=procedure)  # type: ignore[arg-type]
    assert a.high == b.low  # no gap, no overlap of interiors
    assert a.high_closed != b.low_closed  # the shared point belongs to exactly one
    assert a.low < a.high


@settings(max_examples=200, deadline=None)
@given(
    x=st.decimals(min_value=-1000, max_value=1000, places=5, allow_nan=False, allow_infinity=False),
    decimals=st.integers(min_value=0, max_value=3),
    procedure=st.sampled_from(PROCEDURES),
)
def test_only_the_print_of_a_value_contains_it(x: Decimal, decimals: int, procedure: str) -> None:
    text = round_to_text(x, decimals, procedure)
    k = int(D(text).scaleb(decimals))
    for other in (k - 1, k + 1):
        neighbour = printed(other, decimals)
        assert not contains(interval(neighbour, rounding=procedure), x)  # type: ignore[arg-type]


def test_roundings_listed() -> None:
    assert set(ROUNDINGS) == {"up_or_down", *PROCEDURES}
