"""GRIMMER: known answers from the R package scrutiny (tests/testthat/test-grimmer.R,
?grimmer examples); brute-force enumeration of small integer samples checks it for
soundness."""

from __future__ import annotations

import itertools
from decimal import ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest

from cohort_reanalysis.verification.checks import grimmer


@pytest.mark.parametrize(
    ("mean", "sd", "n", "items", "expected"),
    [
        # scrutiny tests/testthat/test-grimmer.R, "GRIMMER works correctly by default".
        ("5.21", "1.6", 28, 1, True),
        ("3.44", "2.47", 18, 1, False),
        # ?grimmer examples: inconsistent with n = 35, consistent with n = 31.
        ("5.23", "2.55", 35, 1, False),
        ("5.23", "2.55", 31, 1, True),
        # ?grimmer: "A mean of 3.00 with an SD of 2.08 is possible for 20 whole numbers".
        ("3.00", "2.08", 20, 1, True),
        # test-grimmer.R: a value set from pigs5 that "is consistent according to both the
        # new version and rsprite2".
        ("2.57", "2.57", 30, 1, True),
    ],
)
def test_grimmer_matches_scrutiny(mean: str, sd: str, n: int, items: int, expected: bool) -> None:
    assert grimmer(mean, sd, n, items=items).consistent is expected


def test_grimmer_fails_when_grim_fails() -> None:
    r = grimmer("5.19", "1.00", 28)
    assert r.consistent is False and "GRIM-inconsistent" in r.detail


def test_grimmer_minimum_spread() -> None:
    # Ten whole numbers summing to 5 spread at least as much as five 1s and five 0s:
    # SD = sqrt(10 * 0.25 / 9) = 0.527. An SD of 0.24 passes Allard's tests 1-3 (Q = 3 is
    # odd like the total, and (3 - 2.5) / 9 gives SD 0.236) but cannot happen.
    r = grimmer("0.50", "0.24", 10)
    assert r.consistent is False and "minimum spread" in r.detail
    assert grimmer("0.50", "0.53", 10).consistent is True


def test_grimmer_not_applicable_and_errors() -> None:
    assert grimmer("5.00", "0.00", 1).consistent is None
    with pytest.raises(ValueError, match="negative"):
        grimmer("5.00", "-1.00", 10)
    with pytest.raises(ValueError, match="per-cent"):
        grimmer("50%", "1.00", 10)


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


def achievable_prints(n: int, decimals: int, values: range = range(10)) -> set[tuple[str, str]]:
    """Every (mean, SD) print of n whole numbers in ``values`` (0..9), by enumeration."""
    out: set[tuple[str, str]] = set()
    q = Decimal(1).scaleb(-decimals)
    for sample in itertools.combinations_with_replacement(values, n):
        s = sum(sample)
        ss = sum(x * x for x in sample)
        var = Fraction(ss - Fraction(s * s, n), n - 1)
        with localcontext() as ctx:
            ctx.prec = 60
            sd = (Decimal(var.numerator) / Decimal(var.denominator)).sqrt()
            sds = {
                f"{sd.quantize(q, rounding=r):.{decimals}f}"
                for r in (ROUND_HALF_UP, ROUND_HALF_DOWN)
            }
        for m in printed_both_ways(Fraction(s, n), decimals):
            out |= {(m, sd_text) for sd_text in sds}
    return out


@pytest.mark.parametrize(("n", "decimals"), [(2, 2), (3, 2), (4, 2), (5, 2), (6, 1), (6, 2)])
def test_grimmer_never_rejects_what_real_data_produce(n: int, decimals: int) -> None:
    achievable = achievable_prints(n, decimals)
    for mean, sd in achievable:
        assert grimmer(mean, sd, n).consistent is True, (mean, sd, n)


def test_grimmer_rejects_most_impossible_pairs() -> None:
    # Means in [3.5, 5.5] and SDs <= 1.5 with n <= 5 can only come from values within
    # mean +/- SD * sqrt(n - 1) < 3.1 of the mean, i.e. from 0..9: enumeration is complete.
    n = 5
    achievable = achievable_prints(n, 2)
    flagged = missed = 0
    for m in range(350, 551, 3):
        for s in range(0, 151, 2):
            mean, sd = f"{m / 100:.2f}", f"{s / 100:.2f}"
            if (mean, sd) in achievable:
                continue
            if grimmer(mean, sd, n).consistent:
                missed += 1
            else:
                flagged += 1
    # GRIMMER is necessary, not sufficient: it misses some impossible pairs, not most.
    assert flagged > 5 * missed


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
def test_grimmer_scale_bounds_reject_only_what_the_scale_cannot_give(n: int) -> None:
    # Every (mean, SD) print of n responses on a 1-5 scale, by enumeration, passes.
    on_scale = achievable_prints(n, 2, values=range(1, 6))
    for mean, sd in on_scale:
        assert grimmer(mean, sd, n, bounds=(1, 5)).consistent is True, (mean, sd)
    # Of the prints of data in 0..9, which plain GRIMMER passes, the bounds reject some (the
    # mean off the scale, or more spread than the scale allows), and none the scale can give.
    rejected = {}
    for mean, sd in achievable_prints(n, 2):
        check = grimmer(mean, sd, n, bounds=(1, 5))
        if not check.consistent:
            rejected[mean, sd] = check.detail
    assert not set(rejected) & on_scale
    assert any("maximum spread" in detail for detail in rejected.values())
    assert any("off the scale" in detail for detail in rejected.values())


def test_grimmer_bounds_by_hand() -> None:
    # Mean 4 on a 1-5 scale with n = 5: the most spread split of the total 20 is 5, 5, 5, 4, 1
    # (deviations 1, 1, 1, 0, -3: SD sqrt(12 / 4) = 1.732). SD 3 needs responses off the
    # scale, and passes without bounds.
    assert grimmer("4.00", "1.73", 5, bounds=(1, 5)).consistent is True
    assert grimmer("4.00", "1.74", 5, bounds=(1, 5)).consistent is False
    assert grimmer("4.00", "3.00", 5).consistent is True
    # Two items per respondent on 1-3: respondent totals in 2..6; mean 2.00 of 3 respondents
    # has item total 12, most spread as totals 6, 4, 2 (SD of the averages 1.00).
    assert grimmer("2.00", "1.00", 3, items=2, bounds=(1, 3)).consistent is True
    assert grimmer("2.00", "1.10", 3, items=2, bounds=(1, 3)).consistent is False
    with pytest.raises(ValueError, match="low to high"):
        grimmer("2.00", "1.00", 3, bounds=(5, 1))
