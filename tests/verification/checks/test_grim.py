"""GRIM: known answers from Brown & Heathers (2017) and the R package scrutiny
(tests/testthat/test-grim.R); brute-force enumeration of small integer samples checks it
exactly."""

from __future__ import annotations

from decimal import ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest

from cohort_reanalysis.verification.checks import grim


def test_grim_brown_heathers_example() -> None:
    # Brown & Heathers (2017): a mean of 5.19 cannot come from 28 whole numbers.
    r = grim("5.19", 28)
    assert r.consistent is False
    assert "145/28" in r.detail and "146/28" in r.detail


def seq(start: str, stop: str) -> list[str]:
    step = Decimal(1).scaleb(Decimal(start).as_tuple().exponent)  # type: ignore[arg-type]
    out, x = [], Decimal(start)
    while x <= Decimal(stop):
        out.append(str(x))
        x += step
    return out


T, F = True, False


@pytest.mark.parametrize(
    ("means", "n", "items", "percent", "expected"),
    [
        # scrutiny tests/testthat/test-grim.R, vec1 .. vec5.
        (seq("5.19", "5.30"), 28, 1, False, [F, F, T, F, F, F, T, F, F, F, T, F]),
        (seq("0.150", "0.159"), 120, 3, False, [T, F, F, T, F, F, T, F, T, F]),
        (seq("0.80", "0.89"), 28, 2, False, [T, F, T, F, T, F, T, T, T, T]),
        # percent = TRUE in scrutiny: "519" per cent is the proportion 5.19.
        (seq("519", "530"), 28, 1, True, [F, F, T, F, F, F, T, F, F, F, T, F]),
        (seq("6", "16"), 50, 1, True, [T, F, T, F, T, F, T, F, T, F, T]),
    ],
)
def test_grim_matches_scrutiny(
    means: list[str], n: int, items: int, percent: bool, expected: list[bool]
) -> None:
    texts = [m + "%" if percent else m for m in means]
    assert [grim(m, n, items=items).consistent for m in texts] == expected


def printed_both_ways(x: Fraction, decimals: int) -> set[str]:
    """The prints of x under half-up and half-down rounding, via the decimal module."""
    with localcontext() as ctx:
        ctx.prec = 60
        d = Decimal(x.numerator) / Decimal(x.denominator)
        q = Decimal(1).scaleb(-decimals)
        # d is exact whenever x has a terminating expansion (so ties are seen as ties).
        return {
            f"{d.quantize(q, rounding=r):.{decimals}f}" for r in (ROUND_HALF_UP, ROUND_HALF_DOWN)
        }


@pytest.mark.parametrize("n", [1, 2, 3, 7, 12, 28, 45, 99])
def test_grim_is_exact_against_enumeration(n: int) -> None:
    possible: set[str] = set()
    for total in range(0, 6 * n + 1):
        possible |= printed_both_ways(Fraction(total, n), 2)
    for k in range(0, 601):
        text = f"{Decimal(k).scaleb(-2):.2f}"
        r = grim(text, n)
        assert r.consistent is (text in possible), text


def test_grim_does_not_apply_when_n_is_large() -> None:
    r = grim("5.19", 169)
    assert r.consistent is None and "does not apply" in r.detail
    assert grim("5.19", 99).consistent is not None
    assert grim("5.1", 10).consistent is None  # 10 >= 10**1
    assert grim("5.190", 169).consistent is False  # a third decimal makes it applicable
    assert grim("5.195", 169).consistent is True  # 878/169 = 5.19527


def test_grim_rejects_bad_n() -> None:
    for bad in (0, -3, 2.5, True, "x"):
        with pytest.raises(ValueError):
            grim("5.19", bad)  # type: ignore[arg-type]
    assert grim("5.21", "28").consistent is True
