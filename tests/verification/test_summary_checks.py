"""Summary-level checks: GRIM, GRIMMER, statcheck-style p recomputation, CIs, counts.

Known answers come from the sources named next to them: Brown & Heathers (2017) and the R
package scrutiny (tests/testthat/test-grim.R, test-grimmer.R, ?grimmer examples) for GRIM and
GRIMMER; statcheck (tests/testthat/test-error.R, test-decisionerror.R) for p-values; Altman &
Bland (2011, BMJ 343:d2090 and d2304) and closed forms for CIs. Brute-force enumeration of
small integer samples checks GRIM exactly and GRIMMER for soundness.
"""

from __future__ import annotations

import itertools
import json
import math
from decimal import ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from statistics import NormalDist

import pytest

from cohort_reanalysis.verification._summary_checks import (
    SummaryCheck,
    ci_consistency,
    counts_add_up,
    grim,
    grimmer,
    recompute_p,
)

R = json.loads((Path(__file__).resolve().parents[1] / "reference" / "msc58_R.json").read_text())

Z975 = NormalDist().inv_cdf(0.975)


def two_sided_normal_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


# ----------------------------------------------------------------------------- GRIM


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


# ----------------------------------------------------------------------------- GRIMMER


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


# ----------------------------------------------------------------------------- statcheck


@pytest.mark.parametrize(
    ("test", "stat", "df", "p", "comparator"),
    [
        # statcheck tests/testthat/test-error.R, "simple errors are classified as such".
        ("t", "2.20", 28, ".03", "="),
        ("F", "2.20", (2, 28), ".15", "="),
        ("chi2", "22.20", 28, ".79", "="),
        ("z", "2.20", None, ".04", "="),
        # "inexactly reported p-values": t(28) = 2.20, p > .05 is an error.
        ("t", "2.20", 28, ".05", ">"),
        # "decision errors are also classified as errors".
        ("t", "1.20", 28, ".03", "="),
        ("t", "2.20", 28, ".30", "="),
        # negative statistics: t(28) = -2.20, p = .03 is an error.
        ("t", "-2.20", 28, ".03", "="),
        # test_error.R (older): t(48) = 1.02, p < .05.
        ("t", "1.02", 48, ".05", "<"),
    ],
)
def test_statcheck_errors(test: str, stat: str, df: object, p: str, comparator: str) -> None:
    assert recompute_p(test, stat, df, p, comparator).consistent is False  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("test", "stat", "df", "p", "comparator"),
    [
        # statcheck test-error.R, "correctly rounded p-values are not considered errors".
        ("t", "2", 28, ".02", "="),
        ("t", "2", 28, ".14", "="),
        ("t", "2.2", 28, ".03", "="),
        ("t", "2.2", 28, ".04", "="),
        ("t", "2.20", 28, ".036", "="),
        ("t", "2.20", 28, ".037", "="),
        # "t(28) = 2.0, p < .05" is not an error; " Z = -2.42, p = 0.016" is not either.
        ("t", "2.0", 28, ".05", "<"),
        ("z", "-2.42", None, "0.016", "="),
        # "cases where t = ... are correctly classified": correct ones.
        ("t", "2.2", 28, ".036", "="),
        ("t", "2.2", 28, ".08", "<"),
        ("t", "2.2", 28, ".02", ">"),
    ],
)
def test_statcheck_consistent(test: str, stat: str, df: object, p: str, comparator: str) -> None:
    assert recompute_p(test, stat, df, p, comparator).consistent is True  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("test", "stat", "df", "p"),
    [
        # statcheck tests/testthat/test-decisionerror.R, "simple decision errors".
        ("t", "2.20", 28, ".06"),
        ("t", "1.20", 28, ".03"),
        ("F", "22.20", (2, 28), ".06"),
        ("F", "2.20", (2, 28), ".03"),
        ("chi2", "2.20", 28, ".03"),
        ("chi2", "52.20", 28, ".06"),
        ("z", "1.20", None, ".03"),
        ("z", "2.20", None, ".06"),
    ],
)
def test_statcheck_decision_errors(test: str, stat: str, df: object, p: str) -> None:
    r = recompute_p(test, stat, df, p)  # type: ignore[arg-type]
    assert r.consistent is False and r.values["decision_error"] == 1.0
    assert "decision error" in r.detail


def test_decision_error_alpha_and_p_equal_alpha() -> None:
    # test-decisionerror.R: alpha levels, and p = alpha counted as significant by default.
    assert recompute_p("t", "2.20", 28, ".11", alpha=0.10).values["decision_error"] == 1.0
    assert recompute_p("t", "5.20", 28, ".02", alpha=0.01).values["decision_error"] == 1.0
    assert recompute_p("t", "1.20", 28, ".005", alpha=0.01).values["decision_error"] == 1.0
    r = recompute_p("t", "2.20", 28, ".05")
    assert r.consistent is False and r.values["decision_error"] == 0.0
    strict = recompute_p("t", "2.20", 28, ".05", p_equal_alpha_significant=False)
    assert strict.values["decision_error"] == 1.0
    # "t(48) = 1.02, p < .05": an error and a decision error.
    assert recompute_p("t", "1.02", 48, ".05", "<").values["decision_error"] == 1.0


def test_one_sided_reading_is_tried_and_reported() -> None:
    # test-error.R: t(28) = 2.20, p = .018 is an error two-sided, consistent one-tailed.
    r = recompute_p("t", "2.20", 28, ".018")
    assert r.consistent is False
    assert r.values["one_sided_consistent"] == 1.0 and "one-sided" in r.detail
    assert recompute_p("t", "2.20", 28, ".018", alternative="greater").consistent is True
    assert recompute_p("t", "-2.20", 28, ".018", alternative="less").consistent is True
    assert (
        recompute_p("t", "2.20", 28, ".018", one_sided_fallback=False).values.get(
            "one_sided_consistent"
        )
        is None
    )


@pytest.mark.parametrize(
    ("test", "stat", "df", "expected"),
    [
        # Closed forms: normal; t with 1 df (Cauchy); t with 2 df; chi2 with 2 df; F(2, d).
        ("z", "1.96", None, math.erfc(1.96 / math.sqrt(2))),
        ("t", "1.50", 1, 1 - 2 / math.pi * math.atan(1.5)),
        ("t", "-3.00", 2, 1 - 3 / math.sqrt(2 + 9)),
        ("chi2", "4.60", 2, math.exp(-4.6 / 2)),
        ("F", "3.50", (2, 10), (1 + 2 * 3.5 / 10) ** (-10 / 2)),
    ],
)
def test_recomputed_p_closed_forms(test: str, stat: str, df: object, expected: float) -> None:
    r = recompute_p(test, stat, df, f"{expected:.4f}")  # type: ignore[arg-type]
    assert r.values["p_recomputed"] == pytest.approx(expected, rel=1e-9)
    assert r.consistent is True
    assert r.values["p_low"] <= expected <= r.values["p_high"]


def test_statistic_interval_gives_p_interval() -> None:
    # "t(28) = 2.2": t in [2.15, 2.25], so p between the p of those ends (test-error.R).
    r = recompute_p("t", "2.2", 28, ".036")
    from scipy import stats

    assert r.values["p_low"] == pytest.approx(2 * stats.t.sf(2.25, 28))
    assert r.values["p_high"] == pytest.approx(2 * stats.t.sf(2.15, 28))
    # A statistic whose interval straddles 0 allows p = 1.
    assert recompute_p("t", "0.0", 10, "0.97").values["p_high"] == pytest.approx(1.0)


def test_tiny_p_values_and_log_distance() -> None:
    # z = 5.50 gives p = 3.8e-8; "p < 0.0000002" fits, "p < 0.00000001" does not.
    assert recompute_p("z", "5.50", None, "0.0000002", "<").consistent is True
    r = recompute_p("z", "5.50", None, "0.00000001", "<")
    assert r.consistent is False
    assert r.values["log10_distance"] == pytest.approx(
        math.log10(math.erfc(5.505 / math.sqrt(2))) - math.log10(1e-8), rel=1e-6
    )


def test_recompute_p_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="no degrees"):
        recompute_p("z", "2.0", 10, "0.05")
    with pytest.raises(ValueError, match="df1, df2"):
        recompute_p("F", "2.0", 10, "0.05")
    with pytest.raises(ValueError, match="negative"):
        recompute_p("chi2", "-2.0", 3, "0.05")
    with pytest.raises(ValueError, match="between 0 and 1"):
        recompute_p("t", "2.0", 10, "1.5")
    with pytest.raises(ValueError, match="upper tail"):
        recompute_p("F", "2.0", (1, 10), "0.05", alternative="greater")
    with pytest.raises(ValueError, match="unknown test"):
        recompute_p("rho", "0.3", 10, "0.05")  # type: ignore[arg-type]
    assert recompute_p("F", "3.50", "2, 10", "0.0704").consistent is True


def test_a_statistic_printed_as_a_threshold_allows_every_p_beyond_it() -> None:
    # Closed forms: F(2, 10) upper tail (1 + x/5)^-5; t on 1 df (Cauchy) two-sided
    # 1 - (2/pi) atan|x|, upper tail 1/2 - atan(x)/pi; chi2 on 2 df exp(-x/2).
    f_at_1 = (1 + 1 / 5) ** -5  # 0.402
    r = recompute_p("F", "1", "2, 10", "ns", statistic_comparator="<")
    assert r.consistent and r.values["p_high"] == 1.0
    assert r.values["p_low"] == pytest.approx(f_at_1, rel=1e-12)
    assert "F(2, 10) < 1 allows p from 0.4019 to 1" in r.detail
    wrong = recompute_p("F", "1", "2, 10", ".05", "<", statistic_comparator="<")
    assert not wrong.consistent and wrong.values["decision_error"] == 1.0
    # "t(1) < 1" bounds the size of t: p from 1 - (2/pi)(pi/4) = 0.5 up to 1, so p = .30 is
    # inconsistent (read literally, t < 1 would allow any p); p = .60 is not.
    r = recompute_p("t", "1", 1, ".30", statistic_comparator="<")
    assert not r.consistent and r.values["p_low"] == pytest.approx(0.5, rel=1e-12)
    assert "read as -1 < t < 1" in r.detail
    assert recompute_p("t", "1", 1, ".60", statistic_comparator="<").consistent
    # "t(2) > 3": p from 0 to 1 - 3/sqrt(11) = 0.0954; a reported .20 is inconsistent but,
    # with p on both sides of .05 allowed, not a decision error.
    r = recompute_p("t", "3", 2, ".20", statistic_comparator=">")
    assert r.values["p_low"] == 0.0
    assert r.values["p_high"] == pytest.approx(1 - 3 / math.sqrt(11), rel=1e-12)
    assert not r.consistent and r.values["decision_error"] == 0.0
    assert recompute_p("t", "3", 2, ".05", "<", statistic_comparator=">").consistent
    # "chi2(2) > 4.6": p up to exp(-2.3) = 0.1003, so "p = .10" ([0.095, 0.105]) fits and
    # "p = .11" ([0.105, 0.115]) does not.
    assert recompute_p("chi2", "4.6", 2, ".10", statistic_comparator=">").consistent
    assert not recompute_p("chi2", "4.6", 2, ".11", statistic_comparator=">").consistent
    # One-sided, the threshold is read as printed: t(1) > 1, upper tail, p from 0 to 0.25.
    r = recompute_p("t", "1", 1, ".25", alternative="greater", statistic_comparator=">")
    assert r.consistent and r.values["p_high"] == pytest.approx(0.25, rel=1e-12)
    # With inclusive_rounding the threshold widens by its own rounding: "< 1.0" to 1.05.
    r = recompute_p("F", "1.0", "2, 10", "ns", statistic_comparator="<", inclusive_rounding=True)
    assert r.values["p_low"] == pytest.approx((1 + 1.05 / 5) ** -5, rel=1e-12)
    with pytest.raises(ValueError, match="statistic comparator"):
        recompute_p("F", "1", "2, 10", "ns", statistic_comparator="~")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- CIs


def test_altman_bland_worked_example_difference() -> None:
    # Altman & Bland, BMJ 2011;343:d2090: 17 percentage points, P = 0.032, gives the 95% CI
    # "17.0 - 15.56 to 17.0 + 15.56, or 1.4 to 32.6". Going back (d2304): SE = 31.2 / 3.92,
    # z = 17 / SE = 2.14, P = 0.032.
    r = ci_consistency("17.0", "1.4", "32.6", reported_p="0.032")
    assert r.consistent is True
    se = (32.6 - 1.4) / (2 * Z975)
    assert r.values["se"] == pytest.approx(se)
    assert r.values["z"] == pytest.approx(17.0 / se)
    assert r.values["p"] == pytest.approx(two_sided_normal_p(17.0 / se))
    assert r.values["p_altman_bland"] == pytest.approx(0.032, abs=0.001)
    assert r.values["p_low"] <= 0.032 <= r.values["p_high"]


def test_bland_ratio_example() -> None:
    # Bland's teaching example (needle size trial): "relative risk 0.66 (95% confidence
    # interval 0.45 to 0.99), P=0.04" — symmetric on the log scale, p about 0.04.
    r = ci_consistency(
        "0.66", "0.45", "0.99", scale="ratio", reported_p="0.04", claimed_significant=True
    )
    assert r.consistent is True and r.values["excludes_null"] == 1.0
    se = (math.log(0.99) - math.log(0.45)) / (2 * Z975)
    assert r.values["p"] == pytest.approx(two_sided_normal_p(math.log(0.66) / se))
    # On the original scale the same interval is lopsided (0.21 below, 0.33 above).
    assert ci_consistency("0.66", "0.45", "0.99").consistent is False


def test_closed_form_wald_interval() -> None:
    # Estimate 1.00 with SE 0.50: CI 1.00 -/+ 0.98 = 0.02 to 1.98 (with z = 1.96).
    r = ci_consistency("1.00", "0.02", "1.98", reported_p="0.045")
    se = 1.96 / Z975 * 0.5
    assert r.values["se"] == pytest.approx(se)
    assert r.values["p"] == pytest.approx(two_sided_normal_p(1.0 / se))
    assert r.consistent is True
    # A 99% interval from the same SE is wider; with df the t quantile is used.
    r99 = ci_consistency("1.00", "-0.29", "2.29", confidence_level=0.99)
    assert r99.values["se"] == pytest.approx(2.58 / NormalDist().inv_cdf(0.995) * 0.5)
    from scipy import stats

    rt = ci_consistency("1.00", "0.02", "1.98", df=10)
    assert rt.values["critical_value"] == pytest.approx(stats.t.ppf(0.975, 10))


def test_asymmetry_suggests_the_other_scale() -> None:
    r = ci_consistency("1.00", "0.50", "2.00")
    assert r.consistent is False and r.values["symmetric"] == 0.0
    assert "'ratio'" in r.detail
    assert ci_consistency("1.00", "0.50", "2.00", scale="ratio").consistent is True


def test_null_position_and_claims() -> None:
    borderline = ci_consistency("-0.49", "-0.98", "0.00", claimed_significant=False)
    assert borderline.consistent is True and borderline.values["borderline"] == 1.0
    # A borderline interval is never a contradiction, whichever way the claim goes.
    assert ci_consistency("-0.49", "-0.98", "0.00", claimed_significant=True).consistent is True
    wrong = ci_consistency("0.50", "-0.10", "1.10", claimed_significant=True)
    assert wrong.consistent is False and "contradicts" in wrong.detail
    wrong = ci_consistency("0.50", "0.10", "0.90", claimed_significant=False)
    assert wrong.consistent is False
    assert ci_consistency("1.50", "1.00", "2.25", scale="ratio").values["borderline"] == 1.0


def test_order_and_reported_p_problems() -> None:
    assert ci_consistency("5.0", "6.0", "7.0").consistent is False
    r = ci_consistency("17.0", "1.4", "32.6", reported_p="0.001", reported_p_comparator="<")
    assert r.consistent is False and r.values["reported_p_fits"] == 0.0
    with pytest.raises(ValueError, match="positive"):
        ci_consistency("0.00", "0.50", "2.00", scale="ratio")
    with pytest.raises(ValueError, match="scale"):
        ci_consistency("1.0", "0.5", "1.5", scale="log")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- the meta-analysis

# Stem cell therapy in type 1 diabetes, meta-analysis (sources/000_44165ed488028c22.txt):
# "a marginal reduction in HbA1c at 6 months [mean difference (MD): -0.57%, 95% CI: -1.13 to
# -0.02] but not at 12 months (-0.49%, -0.98 to 0.00). Fasting C-peptide levels (ng/mL) showed
# slight improvement at both 6 months (0.03, 0.03 to 0.03) and 12 months (0.09, 0.05 to
# 0.13)." 169 participants. The strings below are the paper's.


def test_meta_hba1c_6_months() -> None:
    r = ci_consistency("-0.57", "-1.13", "-0.02", n=169, claimed_significant=True)
    assert r.consistent is True
    assert r.values["symmetric"] == 1.0 and r.values["excludes_null"] == 1.0
    se = (-0.02 - -1.13) / (2 * Z975)
    assert r.values["p"] == pytest.approx(two_sided_normal_p(0.57 / se))  # about 0.044
    assert 0.04 < r.values["p_low"] < r.values["p_high"] < 0.05
    # The AI summary's "only marginal, non-significant improvements in HbA1c" contradicts it.
    ai = ci_consistency("-0.57", "-1.13", "-0.02", n=169, claimed_significant=False)
    assert ai.consistent is False


def test_meta_hba1c_12_months() -> None:
    r = ci_consistency("-0.49", "-0.98", "0.00", n=169, claimed_significant=False)
    assert r.consistent is True
    assert r.values["borderline"] == 1.0 and r.values["excludes_null"] == 0.0
    assert r.values["p"] == pytest.approx(two_sided_normal_p(0.49 / (0.98 / (2 * Z975))))
    assert r.values["p_low"] < 0.05 < r.values["p_high"]


def test_meta_c_peptide_6_months() -> None:
    r = ci_consistency("0.03", "0.03", "0.03", n=169)
    assert r.consistent is True and r.values["excludes_null"] == 1.0
    assert r.values["se"] == 0.0 and "z" not in r.values
    # Width at most 0.035 - 0.025 = 0.01: SE <= 0.01 / 3.92.
    assert r.values["se_max"] == pytest.approx(0.01 / (2 * Z975))
    assert r.values["p_high"] == pytest.approx(two_sided_normal_p(0.025 / (0.01 / (2 * Z975))))
    assert "zero printed width" in r.detail
    # Two equal groups of 84.5: SD = SE * sqrt(n) / 2 <= 0.017 ng/mL.
    assert r.values["implied_sd_two_equal_groups_max"] == pytest.approx(
        0.01 / (2 * Z975) * math.sqrt(169) / 2
    )


def test_meta_c_peptide_12_months() -> None:
    r = ci_consistency("0.09", "0.05", "0.13", n=169, claimed_significant=True)
    assert r.consistent is True and r.values["symmetric"] == 1.0
    assert r.values["p"] == pytest.approx(two_sided_normal_p(0.09 / (0.08 / (2 * Z975))))


# ----------------------------------------------------------------------------- counts, shape


def test_counts_add_up() -> None:
    assert counts_add_up({"men": 30, "women": "28"}, 58).consistent is True
    r = counts_add_up({"a": 3, "b": 4}, 8)
    assert r.consistent is False and r.values["difference"] == -1.0 and "short by 1" in r.detail
    with pytest.raises(ValueError):
        counts_add_up({}, 0)
    with pytest.raises(ValueError):
        counts_add_up({"a": -1}, 0)


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


# ----------------------------------------------------------------------------- r tests


def test_r_p_value_is_r_cor_test() -> None:
    """Pearson's r of follow-up months and HbA1c reduction, 58 patients (R cor.test)."""
    ref = R["msc_cor_months_pearson"]
    exact = recompute_p("r", repr(ref["r"]), 56, "0.7572")
    assert exact.values["p_recomputed"] == pytest.approx(ref["p"], rel=1e-9)
    assert exact.consistent
    printed = recompute_p("r", "0.041", 56, "0.76")  # as a paper would print them
    assert printed.consistent and "r(56) = 0.041" in printed.detail


def test_r_decision_error_and_bounds() -> None:
    # r = .30 on 56 df: t = 0.3 sqrt(56 / 0.91) = 2.3534, two-sided p = 0.0222
    # (R: 2 * pt(-2.3534, 56)); reported as not significant, a decision error.
    wrong = recompute_p("r", ".30", 56, ".05", ">")
    assert not wrong.consistent and wrong.values["decision_error"] == 1.0
    t = 0.3 * math.sqrt(56 / 0.91)
    from scipy import stats

    assert wrong.values["p_recomputed"] == pytest.approx(2 * stats.t.sf(t, 56), rel=1e-12)
    # A printed "1.00" stands for [0.995, 1]: p can be 0, never a correlation above 1.
    perfect = recompute_p("r", "1.00", 10, "0.001", "<")
    assert perfect.consistent and perfect.values["p_low"] == 0.0
    with pytest.raises(ValueError, match="between -1 and 1"):
        recompute_p("r", "1.2", 10, "0.01")
    with pytest.raises(ValueError, match="degrees of freedom"):
        recompute_p("r", "0.3", None, "0.01")


def test_ns_reads_as_p_above_alpha() -> None:
    # t(30) = 2.5: two-sided p = 0.01812 (R: 2 * pt(-2.5, 30)), significant at .05.
    wrong = recompute_p("t", "2.5", 30, "ns")
    assert not wrong.consistent and wrong.values["decision_error"] == 1.0
    assert "'ns', read as p > 0.05" in wrong.detail
    assert recompute_p("t", "1.2", 30, "n.s.").consistent  # p = 0.2395
    # At alpha = .01 the same p is not significant, and "NS" is right.
    assert recompute_p("t", "2.5", 30, "NS", alpha=0.01).consistent
    with pytest.raises(ValueError, match="no comparator"):
        recompute_p("t", "1.2", 30, "ns", "<")
