"""An estimate and its CI: Altman & Bland (2011, BMJ 343:d2090 and d2304), closed forms, and
the meta-analysis whose numbers are bundled."""

from __future__ import annotations

import math
from statistics import NormalDist

import pytest

from cohort_reanalysis.verification.checks import ci_consistency

Z975 = NormalDist().inv_cdf(0.975)


def two_sided_normal_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


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
