"""Printed values as intervals, and recomputed values matched against them.

Expected intervals come from the definitions of the rounding procedures (worked by hand in the
comments) and from the R package scrutiny's documented bounds (``unround()``'s Rounding
table).
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from cohort_reanalysis.verification._interval import Interval, contains, interval, matches

PROCEDURES = ["half_up", "half_down", "half_even", "truncate", "ceiling", "floor"]
D = Decimal


def ends(iv: Interval) -> tuple[str, str, bool, bool]:
    return (f"{iv.low:f}", f"{iv.high:f}", iv.low_closed, iv.high_closed)


# ----------------------------------------------------------------------------- intervals


@pytest.mark.parametrize(
    ("rounding", "expected"),
    [
        # Half-width 0.005 around 7.49; the tie 7.485 rounds up (to 7.49), 7.495 up (to 7.50).
        ("half_up", ("7.485", "7.495", True, False)),
        ("half_down", ("7.485", "7.495", False, True)),
        # Last digit 9 is odd: both ties go to the even neighbours 7.48 and 7.50.
        ("half_even", ("7.485", "7.495", False, False)),
        ("up_or_down", ("7.485", "7.495", True, True)),
        ("truncate", ("7.49", "7.50", True, False)),
        ("floor", ("7.49", "7.50", True, False)),
        ("ceiling", ("7.48", "7.49", False, True)),
    ],
)
def test_interval_positive(rounding: str, expected: tuple[str, str, bool, bool]) -> None:
    assert ends(interval("7.49", rounding=rounding)) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rounding", "expected"),
    [
        # Ties away from zero: -0.575 -> -0.58 (excluded), -0.565 -> -0.57 (included).
        ("half_up", ("-0.575", "-0.565", False, True)),
        ("half_down", ("-0.575", "-0.565", True, False)),
        ("half_even", ("-0.575", "-0.565", False, False)),
        ("up_or_down", ("-0.575", "-0.565", True, True)),
        # Towards zero: -0.579 -> -0.57, -0.58 -> -0.58.
        ("truncate", ("-0.58", "-0.57", False, True)),
        ("ceiling", ("-0.58", "-0.57", False, True)),
        ("floor", ("-0.57", "-0.56", True, False)),
    ],
)
def test_interval_negative(rounding: str, expected: tuple[str, str, bool, bool]) -> None:
    assert ends(interval("-0.57", rounding=rounding)) == expected  # type: ignore[arg-type]


def test_interval_matches_scrutiny_unround_table() -> None:
    # scrutiny's unround() documents, for "8.2": up_or_down lower <= x <= upper,
    # up lower <= x < upper, down lower < x <= upper, with bounds 8.15 and 8.25.
    assert ends(interval("8.2")) == ("8.15", "8.25", True, True)
    assert ends(interval("8.2", rounding="half_up")) == ("8.15", "8.25", True, False)
    assert ends(interval("8.2", rounding="half_down")) == ("8.15", "8.25", False, True)
    # ceiling: lower < x = upper; floor and trunc (positive x): lower = x < upper.
    assert ends(interval("8.2", rounding="ceiling")) == ("8.1", "8.2", False, True)
    assert ends(interval("8.2", rounding="floor")) == ("8.2", "8.3", True, False)
    assert ends(interval("8.2", rounding="truncate")) == ("8.2", "8.3", True, False)
    # trunc, zero x: lower < x < upper.
    assert ends(interval("0.0", rounding="truncate")) == ("-0.1", "0.1", False, False)


def test_interval_of_zero_keeps_the_printed_sign() -> None:
    assert ends(interval("0.00", rounding="half_up")) == ("-0.005", "0.005", False, False)
    assert ends(interval("-0.00", rounding="half_up")) == ("-0.005", "0.00", False, True)
    assert ends(interval("+0.00", rounding="half_up")) == ("0.00", "0.005", True, False)
    assert ends(interval("0.00")) == ("-0.005", "0.005", True, True)


def test_interval_precision_and_percent() -> None:
    assert ends(interval("6.70")) == ("6.695", "6.705", True, True)
    assert ends(interval("6.7")) == ("6.65", "6.75", True, True)
    assert ends(interval("8")) == ("7.5", "8.5", True, True)
    assert ends(interval("0.0000002")) == ("0.00000015", "0.00000025", True, True)
    assert ends(interval("1.55%")) == ("1.545", "1.555", True, True)  # printed unit
    assert ends(interval("1.55%").scaled(D("0.01"))) == ("0.01545", "0.01555", True, True)


def test_half_even_closes_both_ends_on_an_even_digit() -> None:
    assert ends(interval("0.58", rounding="half_even")) == ("0.575", "0.585", True, True)
    assert ends(interval("0.57", rounding="half_even")) == ("0.565", "0.575", False, False)


@pytest.mark.parametrize(
    ("comparator", "expected"),
    [
        ("<", ("-inf", "0.0001", False, False)),
        ("<=", ("-inf", "0.0001", False, True)),
        (">", ("0.0001", "inf", False, False)),
        (">=", ("0.0001", "inf", True, False)),
    ],
)
def test_comparators_take_the_bound_as_exact(
    comparator: str, expected: tuple[str, str, bool, bool]
) -> None:
    iv = interval("0.0001", comparator=comparator)  # type: ignore[arg-type]
    low = "-inf" if iv.low.is_infinite() else f"{iv.low:f}"
    high = "inf" if iv.high.is_infinite() else f"{iv.high:f}"
    assert (low, high, iv.low_closed, iv.high_closed) == expected


def test_inclusive_rounding_widens_by_the_rounding_interval() -> None:
    iv = interval("0.0001", comparator="<", inclusive_rounding=True, rounding="half_up")
    assert f"{iv.high:f}" == "0.00015" and not iv.high_closed
    iv = interval("0.05", comparator=">=", inclusive_rounding=True)
    assert f"{iv.low:f}" == "0.045" and iv.low_closed
    assert str(interval("0.0001", comparator="<")) == "(-inf, 0.0001)"


def test_unknown_options_raise() -> None:
    with pytest.raises(ValueError, match="rounding"):
        interval("1.0", rounding="bankers")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="comparator"):
        interval("1.0", comparator="==")  # type: ignore[arg-type]


def test_contains_reads_floats_through_repr() -> None:
    # 2.675 is stored just below 2.675; as printed, it is the tie and rounds half up to 2.68.
    assert contains(interval("2.68", rounding="half_up"), 2.675)
    assert not contains(interval("2.67", rounding="half_up"), 2.675)
    assert 7.485 in interval("7.49", rounding="half_up")
    assert 7.495 not in interval("7.49", rounding="half_up")
    assert "7.49" not in interval("7.49")
    with pytest.raises(ValueError, match="NaN"):
        contains(interval("7.49"), math.nan)


# ----------------------------------------------------------------------------- matching


def test_matches_names_the_tie_breaking_procedure() -> None:
    assert matches("7.49", 7.49).procedure == "half_up"
    assert matches("7.49", 7.485).procedure == "half_up"
    assert matches("7.49", 7.495).procedure == "half_down"  # only rounding down gives 7.49
    m = matches("7.49", 7.50)
    assert not m.ok and m.procedure is None
    assert m.distance == pytest.approx(0.005)
    assert m.relative_distance == pytest.approx(0.005 / 7.49)
    assert matches("7.49", 7.49, rounding="truncate").procedure == "truncate"


def test_matches_on_an_excluded_end_is_not_ok_at_distance_zero() -> None:
    m = matches("7.49", 7.495, rounding="half_up")
    assert not m.ok and m.distance == 0.0


def test_matches_p_values_in_orders_of_magnitude() -> None:
    m = matches("0.0001", 0.01, comparator="<")
    assert not m.ok
    assert m.log10_distance == pytest.approx(2.0)
    assert m.distance == pytest.approx(0.0099)
    ok = matches("0.0000002", 3e-9, comparator="<")
    assert ok.ok and ok.procedure is None and ok.log10_distance == 0.0
    # 0.00012 prints as 0.0001: admitted only with inclusive_rounding, which names the procedure.
    assert not matches("0.0001", 0.00012, comparator="<").ok
    wide = matches("0.0001", 0.00012, comparator="<", inclusive_rounding=True, rounding="half_up")
    assert wide.ok and wide.procedure == "half_up"


def test_matches_zero_and_negative() -> None:
    m = matches("0.00", 0.01)
    assert not m.ok and m.relative_distance == math.inf
    assert matches("-0.57", -0.5749).ok
    assert matches("-0.57", -0.574, rounding="truncate").ok
    assert not matches("-0.57", -0.569, rounding="truncate").ok
    assert matches("-0.57", -0.5, comparator="<").log10_distance == math.inf
    with pytest.raises(ValueError):
        matches("1.0", math.inf)
