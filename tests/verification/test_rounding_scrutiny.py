"""Every rounding procedure scrutiny names, under its names: expectations written by hand from
scrutiny's definitions and its tests (``test-round.R``, ``test-unround.R``), and the property
scrutiny sweeps, that ``unround()`` inverts ``reround()`` at and around every bound."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cohort_reanalysis.verification._interval import interval, matches
from cohort_reanalysis.verification._reported import parse_number
from cohort_reanalysis.verification._rounding import (
    ROUNDING_NAMES,
    SCRUTINY_NAMES,
    check_rounding,
    round_to_text,
    round_value,
    rules,
    unround,
)

D = Decimal
MID = [D(k * 10 + 5) / 100 for k in range(10)]  # 0.05, 0.15, ..., 0.95


def r(x: Decimal | float, d: int, name: str, **kw: object) -> Decimal:
    return round_value(x, d, name, **kw)  # type: ignore[arg-type]


def test_every_scrutiny_name_is_accepted() -> None:
    assert set(SCRUTINY_NAMES) <= set(ROUNDING_NAMES)
    for name in SCRUTINY_NAMES:
        assert str(interval("0.53", rounding=name))  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- ties


def test_up_and_down_send_positive_ties_up_and_down() -> None:
    assert [r(x, 1, "up") for x in MID] == [D(k + 1) / 10 for k in range(10)]
    assert [r(x, 1, "down") for x in MID] == [D(k) / 10 for k in range(10)]


def test_negative_ties_move_along_the_number_line_unless_symmetric() -> None:
    # -0.05 -> 0.0 under up (towards +inf, Java's Math.round), -0.1 under down.
    assert [r(-x, 1, "up") for x in MID] == [-D(k) / 10 for k in range(10)]
    assert [r(-x, 1, "down") for x in MID] == [-D(k + 1) / 10 for k in range(10)]
    # symmetric: ties away from zero (Excel, SAS, SPSS) and towards it.
    assert [r(-x, 1, "up", symmetric=True) for x in MID] == [-D(k + 1) / 10 for k in range(10)]
    assert [r(-x, 1, "down", symmetric=True) for x in MID] == [-D(k) / 10 for k in range(10)]
    assert [r(-x, 1, "up", symmetric=True) for x in MID] == [r(-x, 1, "half_up") for x in MID]
    assert [r(-x, 1, "down", symmetric=True) for x in MID] == [r(-x, 1, "half_down") for x in MID]
    assert r(-2.5, 0, "up") == D("-2") and r(-2.5, 0, "up", symmetric=True) == D("-3")


def test_only_ties_depend_on_the_procedure() -> None:
    values = [D(k) / 100 for k in range(-999, 1000) if k % 5] + [D("9.273"), D("-7.584")]
    for sym in (False, True):
        for x in values:
            nearest = r(x, 1, "half_even")
            assert r(x, 1, "up", symmetric=sym) == nearest
            assert r(x, 1, "down", symmetric=sym) == nearest


@pytest.mark.parametrize("threshold", range(1, 10))
@pytest.mark.parametrize("base", ["0.42", "7.13", "100"])
def test_up_from_and_down_from_switch_at_their_thresholds(threshold: int, base: str) -> None:
    for digit in range(10):
        x = D(base) + D(digit) / 1000
        up = D(base) + (D("0.01") if digit >= threshold else 0)
        down = D(base) + (D("0.01") if digit > 10 - threshold else 0)
        assert r(x, 2, "up_from", threshold=threshold) == up
        assert r(x, 2, "down_from", threshold=threshold) == down


def test_down_from_is_up_from_mirrored_with_the_tie_reversed() -> None:
    for threshold in range(1, 10):
        for k in range(0, 2000, 7):
            x = D(k) / 1000
            down = r(x, 2, "down_from", threshold=threshold)
            up = r(x, 2, "up_from", threshold=10 - threshold)
            on_tie = k % 10 == 10 - threshold
            assert down + (D("0.01") if on_tie else 0) == up


def test_threshold_five_is_the_plain_procedure() -> None:
    xs = [*MID, *(-x for x in MID), *(D(k) / 100 for k in range(-500, 501, 3))]
    for sym in (False, True):
        for x in xs:
            assert r(x, 1, "up_from", threshold=5, symmetric=sym) == r(x, 1, "up", symmetric=sym)
            assert r(x, 1, "down_from", threshold=5, symmetric=sym) == r(
                x, 1, "down", symmetric=sym
            )


def test_scrutiny_documented_examples() -> None:
    assert r(9.273, 1, "up") == r(9.273, 1, "down") == D("9.3")
    assert r(7.584, 2, "up") == D("7.58")
    assert r(4.28, 1, "up_from", threshold=9) == D("4.2")
    assert r(4.28, 1, "up_from", threshold=1) == D("4.3")
    assert r(4.52, 1, "ceiling") == D("4.6")
    assert r(4.67, 1, "floor") == D("4.6")
    assert r(8.439, 2, "trunc") == D("8.43") and r(-8.439, 2, "trunc") == D("-8.43")
    assert r(8.421, 2, "anti_trunc") == D("8.43") and r(-8.421, 2, "anti_trunc") == D("-8.43")
    # "Always" away from zero: a value on the grid moves too, and 0 goes to +1 step.
    assert r(8.42, 2, "anti_trunc") == D("8.43") and r(0, 2, "anti_trunc") == D("0.01")
    assert r(0.1445, 3, "up_from", threshold=4.5) == D("0.145")
    assert r(2.345, 2, "up_from", threshold=5) == D("2.35")
    assert r(0.145, 2, "up") == D("0.15") and r(0.145, 2, "down") == D("0.14")


def test_whole_steps_stay_where_they_are() -> None:
    for k in range(1001):
        x = D(k) / 100
        for name in ("ceiling", "floor", "trunc"):
            assert r(x, 2, name) == x
        assert r(-x, 2, "trunc") == -x
        if k:
            assert r(x - D("0.01"), 2, "anti_trunc") == x
    assert r(0.28, 2, "ceiling") == D("0.28") and r(0.29, 2, "floor") == D("0.29")
    assert r(0.281, 2, "ceiling") == D("0.29") and r(0.289, 2, "floor") == D("0.28")


def test_binary_artefacts_are_read_as_printed() -> None:
    # 2.675 is stored just below 2.675; read as printed, it is a tie.
    assert r(2.675, 2, "up") == D("2.68") and r(2.675, 2, "down") == D("2.67")
    assert r(2.675, 2, "even") == D("2.68")  # 7 is odd: to the even 8
    assert r(0.15, 1, "even") == D("0.2")  # R's round() gives 0.1: see the module docstring
    assert r(2.675, 2, "trunc") == D("2.67") and r(-2.675, 2, "up") == D("-2.67")
    assert round_to_text(-2.675, 2, "up", symmetric=True) == "-2.68"
    assert matches("2.68", 2.675, rounding="up").ok
    assert not matches("2.68", 2.675, rounding="down").ok
    assert matches("0.2", 0.15, rounding="even").ok and matches("0.1", 0.15, rounding="even").ok


# ----------------------------------------------------------------------------- unround


def ends(text: str, rounding: str, **kw: object) -> tuple[str, str, bool, bool]:
    low, high, lc, hc = unround(parse_number(text), rounding, **kw)  # type: ignore[arg-type]
    return (f"{low:f}", f"{high:f}", lc, hc)


def test_threshold_moves_only_the_from_procedures() -> None:
    for name in ("up_or_down", "up", "down"):
        assert ends("0.53", name)[:2] == ("0.525", "0.535")
    assert ends("0.53", "up_from", threshold=6) == ("0.526", "0.536", True, False)
    assert ends("0.53", "down_from", threshold=6) == ("0.524", "0.534", False, True)
    assert ends("0.53", "up_from", threshold=4.5)[0] == "0.5245"
    # The union: scrutiny's up_from_or_down_from, closed where a closed part supplies the end.
    assert ends("0.53", "up_from_or_down_from", threshold=6) == ("0.524", "0.536", False, False)
    assert ends("0.53", "up_from_or_down_from", threshold=3) == ("0.523", "0.537", True, True)


def test_unround_table_for_each_procedure() -> None:
    assert ends("8.2", "up") == ("8.15", "8.25", True, False)
    assert ends("8.2", "down") == ("8.15", "8.25", False, True)
    assert ends("8.2", "even") == ("8.15", "8.25", True, True)
    assert ends("8.2", "ceiling_or_floor") == ("8.1", "8.3", False, False)
    assert ends("8.2", "trunc") == ("8.2", "8.3", True, False)
    assert ends("-8.2", "trunc") == ("-8.3", "-8.2", False, True)
    assert ends("0.0", "trunc") == ("-0.1", "0.1", False, False)
    assert ends("0.70", "anti_trunc") == ("0.69", "0.70", True, False)
    assert ends("-0.70", "anti_trunc") == ("-0.70", "-0.69", False, True)
    # -0.01 cannot come from 0, which anti-truncates to +0.01; nothing prints as 0.
    assert ends("-0.01", "anti_trunc") == ("-0.01", "0.00", False, False)
    assert not interval("0.00", rounding="anti_trunc").width


def test_symmetric_mirrors_the_ends_of_a_negative_number() -> None:
    assert ends("-0.53", "up") == ("-0.535", "-0.525", True, False)
    assert ends("-0.53", "up", symmetric=True) == ("-0.535", "-0.525", False, True)
    # At zero the mirror lies inside the interval: both ends behave like the upper one.
    assert ends("0.00", "up") == ("-0.005", "0.005", True, False)
    assert ends("0.00", "up", symmetric=True) == ("-0.005", "0.005", False, False)
    assert ends("0.00", "up_from", threshold=3, symmetric=True) == ("-0.003", "0.003", False, False)


def test_options_are_refused_where_they_do_nothing() -> None:
    for bad in (0, 10, -2, 12, float("nan"), "5", True):
        with pytest.raises(ValueError, match="threshold"):
            check_rounding("up_from", threshold=bad)
    with pytest.raises(ValueError, match="takes no threshold"):
        interval("0.53", rounding="half_up", threshold=5)
    with pytest.raises(ValueError, match="takes no symmetric"):
        interval("0.53", rounding="trunc", symmetric=True)
    with pytest.raises(ValueError, match="unknown rounding"):
        interval("0.53", rounding="doesn't exist")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="two procedures"):
        round_value(1.0, 1, "ceiling_or_floor")


_METHODS = [
    "up_or_down",
    "up",
    "down",
    "even",
    "ceiling",
    "floor",
    "ceiling_or_floor",
    "trunc",
    "anti_trunc",
    "up_from",
    "down_from",
    "up_from_or_down_from",
]


def test_unround_inverts_reround_at_and_around_every_bound() -> None:
    """scrutiny's sweep: every method, sign, symmetric, threshold and decimals; a value just
    inside a bound rounds back, one just outside does not, and one on it does exactly when
    the bound is closed (not for ``even``, whose closed ends are deliberately loose)."""
    checked = 0
    for digits in (0, 1, 2):
        unit = D(1).scaleb(-digits)
        eps = unit / 1000
        for k in (0, 1, -1, 3, -3, 253, -253):
            x = k * unit
            text = f"{x:.{digits}f}"
            for symmetric in (False, True):
                for threshold in (3, 5, 6):
                    for m in _METHODS:
                        kw: dict[str, object] = {}
                        if m in ("up_from", "down_from", "up_from_or_down_from"):
                            kw["threshold"] = threshold
                        if m in ("up", "down", "up_from", "down_from", "up_from_or_down_from"):
                            kw["symmetric"] = symmetric
                        low, high, lc, hc = unround(parse_number(text), m, **kw)  # type: ignore[arg-type]
                        singles = rules(m, **kw)  # type: ignore[arg-type]

                        def back(
                            v: Decimal, singles: object = singles, d: int = digits, x: Decimal = x
                        ) -> bool:
                            return any(r(v, d, s) == x for s in singles)  # type: ignore[attr-defined]

                        if m == "anti_trunc" and k == 0:
                            assert low == high and not (lc or hc)
                            assert not back(D(0)) and not back(eps) and not back(-eps)
                            continue
                        label = (m, text, symmetric, threshold)
                        assert back(low + eps) and back(high - eps), label
                        assert not back(low - eps) and not back(high + eps), label
                        if m != "even":
                            assert back(low) == lc and back(high) == hc, label
                        checked += 1
    assert checked > 700
