"""statcheck-style p recomputation: known answers from statcheck (tests/testthat/test-error.R,
test-decisionerror.R), closed forms, and R's cor.test for r."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from cohort_reanalysis.verification.checks import recompute_p

R = json.loads((Path(__file__).resolve().parents[2] / "reference" / "msc58_R.json").read_text())


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
