"""Printed values: the grammar of printed numbers and pairs, read exactly.

Scientific notation is checked against the same number written out, through its interval.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cohort_reanalysis.verification._interval import Interval, contains, interval, matches
from cohort_reanalysis.verification._reported import (
    ReportedNumber,
    ReportedPair,
    parse_number,
    parse_reported,
    split_reported,
)
from cohort_reanalysis.verification._rounding import ROUNDINGS, round_value

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


# ----------------------------------------------------------------------------- the claims grammar


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("7.49", ("7.49",)),
        ("0.0000002", ("0.0000002",)),
        ("-0.57", ("-0.57",)),
        ("−0.57", ("−0.57",)),
        (".05", (".05",)),
        ("12.4%", ("12.4%",)),
        ("6.3 to 12.4", ("6.3", "12.4")),
        ("6.3% to 12.4%", ("6.3%", "12.4%")),
        ("6-68", ("6", "68")),
        ("30–60", ("30", "60")),
        ("6 - 68", ("6", "68")),
        ("15.25 45.75", ("15.25", "45.75")),
        ("-1.13 to -0.02", ("-1.13", "-0.02")),
    ],
)
def test_split_reported_accepts_printed_numbers(text: str, parts: tuple[str, ...]) -> None:
    assert split_reported(text) == parts


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        " 7.49",
        "7.49 ",
        "7,49",
        "about 7",
        "three",
        "e5",  # a power of ten needs a mantissa
        "10^-6",
        "1.1 × 10",
        "1e",
        "NaN",
        "inf",
        "0x10",
        "7.",
        "1 to 2 to 3",
        "1 2 3",
        "٣",  # an Arabic-Indic digit: ASCII digits only
        "7.49\n",
        "p < 0.05",
        "%5",
        "5%%",
    ],
)
def test_split_reported_rejects_everything_else(text: str) -> None:
    assert split_reported(text) is None


numbers = st.builds(
    lambda sign, whole, frac, pct: f"{sign}{whole}{'.' + frac if frac else ''}{pct}",
    st.sampled_from(["", "-", "+", "−"]),
    st.integers(0, 10**6).map(str),
    st.text(alphabet="0123456789", max_size=7),
    st.sampled_from(["", "%"]),
)


@given(numbers, numbers, st.sampled_from([" to ", "-", " - ", "–", " "]))
def test_fuzz_printed_numbers_always_accepted(a: str, b: str, sep: str) -> None:
    assert split_reported(a) == (a,)
    parts = split_reported(f"{a}{sep}{b}")
    assert parts is not None and "".join(parts) == a + b


@given(st.text(max_size=30))
def test_fuzz_split_reported_total(text: str) -> None:
    parts = split_reported(text)
    assert parts is None or (1 <= len(parts) <= 2 and all(p in text for p in parts))
