"""Reported values as intervals.

Expected intervals come from the definitions of the rounding procedures (worked by hand in the
comments) and from the R package scrutiny's documented bounds (``unround()``'s Rounding
table); expected roundings come from integer arithmetic written out in this file.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cohort_reanalysis.verification._reported import (
    ROUNDINGS,
    Interval,
    ReportedNumber,
    ReportedPair,
    contains,
    interval,
    matches,
    parse_number,
    parse_reported,
    round_to_text,
    round_value,
)

PROCEDURES = ["half_up", "half_down", "half_even", "truncate", "ceiling", "floor"]
D = Decimal


def ends(iv: Interval) -> tuple[str, str, bool, bool]:
    return (f"{iv.low:f}", f"{iv.high:f}", iv.low_closed, iv.high_closed)


# ----------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "value", "decimals", "percent", "sign"),
    [
        ("7.49", "7.49", 2, False, ""),
        ("0.58", "0.58", 2, False, ""),
        ("6.7", "6.7", 1, False, ""),
        ("6.70", "6.70", 2, False, ""),  # trailing zero counts
        ("8", "8", 0, False, ""),
        ("0.0000002", "0.0000002", 7, False, ""),
        ("-0.57", "-0.57", 2, False, "-"),
        ("\u22120.57", "-0.57", 2, False, "-"),  # typographic minus
        ("+1.5", "1.5", 1, False, "+"),
        ("1.55%", "1.55", 2, True, ""),
        (".05", "0.05", 2, False, ""),
        (" 7.49 ", "7.49", 2, False, ""),
    ],
)
def test_parse_single(text: str, value: str, decimals: int, percent: bool, sign: str) -> None:
    n = parse_reported(text)
    assert isinstance(n, ReportedNumber)
    assert n.value == D(value)
    assert n.decimals == decimals
    assert n.is_percent is percent
    assert n.sign == sign
    assert n.step == D(1).scaleb(-decimals)


@pytest.mark.parametrize(
    ("text", "first", "second", "percent"),
    [
        ("6.3 to 12.4", "6.3", "12.4", False),
        ("6.3% to 12.4%", "6.3%", "12.4%", True),
        ("6.3 to 12.4%", "6.3", "12.4%", True),  # a trailing % applies to both ends
        ("15.25 45.75", "15.25", "45.75", False),
        ("6-68", "6", "68", False),
        ("6\u201368", "6", "68", False),
        ("42 to 89", "42", "89", False),
        ("-1.13 to -0.02", "-1.13", "-0.02", False),
        ("-0.98 to 0.00", "-0.98", "0.00", False),
    ],
)
def test_parse_pair(text: str, first: str, second: str, percent: bool) -> None:
    p = parse_reported(text)
    assert isinstance(p, ReportedPair)
    assert (p.first.text, p.second.text) == (first, second)
    assert p.first.is_percent is percent and p.second.is_percent is percent
    assert p.second.decimals == len(second.rstrip("%").partition(".")[2])


def test_pair_keeps_precision_and_sign() -> None:
    p = parse_reported("-0.98 to 0.00")
    assert isinstance(p, ReportedPair)
    assert p.first.value == D("-0.98") and p.second.decimals == 2 and p.second.sign == ""


@pytest.mark.parametrize(
    ("text", "written_out", "exponent"),
    [
        ("1.1e-06", "0.0000011", -6),
        ("1.10E-6", "0.00000110", -6),  # the mantissa's trailing zero counts
        ("1.1 × 10^-6", "0.0000011", -6),
        ("1.1×10\u22126", "0.0000011", -6),  # a superscript flattened by text extraction
        ("1.1 x 10**-6", "0.0000011", -6),
        ("1.1×10⁻⁶", "0.0000011", -6),
        ("\u22122.5e-3", "-0.0025", -3),
        ("6.0e-3", "0.0060", -3),
        ("1e-4", "0.0001", -4),
        ("3.2e0", "3.2", 0),
    ],
)
def test_scientific_notation_reads_as_the_number_written_out(
    text: str, written_out: str, exponent: int
) -> None:
    sci, plain = parse_number(text), parse_number(written_out)
    assert (sci.value, sci.decimals, sci.exponent) == (plain.value, plain.decimals, exponent)
    assert plain.exponent is None and sci.text == text
    for rounding in ROUNDINGS:
        assert ends(interval(sci, rounding=rounding)) == ends(interval(plain, rounding=rounding))


def test_a_positive_power_of_ten_prints_to_tens_or_hundreds() -> None:
    n = parse_number("1.2e3")  # printed to the hundred: 1150 <= x < 1250 under half-up
    assert (n.value, n.decimals, n.step) == (D("1200"), -2, D("100"))
    assert ends(interval(n, rounding="half_up")) == ("1150", "1250", True, False)
    assert ends(interval("-4e1", rounding="truncate")) == ("-50", "-40", False, True)


def test_scientific_pairs_and_tiny_p_values() -> None:
    pair = parse_reported("1.1e-6 to 2.2 × 10^-6")
    assert isinstance(pair, ReportedPair)
    assert (pair.first.value, pair.second.value) == (D("0.0000011"), D("0.0000022"))
    # R: 2 * pt(-5.4646, 57) = 1.063217e-06 (tests/reference/msc58_R.json, msc_paired).
    p = 1.063217491283263e-06
    assert matches("1.06 × 10^-6", p).ok and matches("1.1e-06", p).ok
    missed = matches("1.2e-06", p)
    assert not missed.ok and missed.log10_distance == pytest.approx(math.log10(1.15e-6 / p))


@settings(max_examples=200, deadline=None)
@given(
    x=st.floats(min_value=1e-12, max_value=999.0, allow_nan=False),
    negative=st.booleans(),
    digits=st.integers(min_value=0, max_value=4),
    style=st.sampled_from(["e", "E", " × 10^", "×10⁻"]),
    procedure=st.sampled_from(PROCEDURES),
)
def test_a_rounded_value_lies_in_the_interval_of_its_scientific_print(
    x: float, negative: bool, digits: int, style: str, procedure: str
) -> None:
    x = -x if negative else x
    exponent = D(repr(x)).adjusted()  # the power of ten of the first significant digit
    assume(digits - exponent >= 0)
    rounded = round_value(x, digits - exponent, procedure)
    mantissa = f"{rounded.scaleb(-exponent):.{digits}f}"
    if style == "×10⁻" and exponent < 0:  # superscript digits
        text = (
            mantissa + style + str(-exponent).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
        )
    else:
        text = f"{mantissa}{' × 10^' if style == '×10⁻' else style}{exponent}"
    parsed = parse_number(text)
    assert parsed.decimals == digits - exponent and parsed.value == rounded
    assert contains(interval(parsed, rounding=procedure), x)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "about 7",
        "7.",
        "e-5",
        "10^-6",
        "1.1 × 10",
        "1.1e",
        "1.1e-6.5",
        "1,234",
        "",
        "7.49 8 9",
        "6.3% to 12.4",
        "p < 0.05",
        "--3",
    ],
)
def test_parse_rejects_with_the_text_named(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        parse_reported(text)


def test_parse_number_refuses_pairs_and_non_strings() -> None:
    with pytest.raises(ValueError, match="two"):
        parse_number("6.3 to 12.4")
    with pytest.raises(ValueError):
        parse_reported(7.49)  # type: ignore[arg-type]


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


def test_roundings_listed() -> None:
    assert set(ROUNDINGS) == {"up_or_down", *PROCEDURES}
