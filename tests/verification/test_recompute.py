"""Recomputation of every statistic of the claims format.

Oracles: R 4.2.2 on Table 1 (tests/reference/msc58_R.json: t.test, wilcox.test, cor.test,
quantile types 1-9), scipy.stats for the tests R was not run for (Student, Welch, rank-sum,
Kruskal-Wallis), and hand-computed values on small synthetic tables.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cohort_reanalysis.cohort import Cohort, load_dataset
from cohort_reanalysis.verification._cohort_arrays import CohortArrays
from cohort_reanalysis.verification._recompute import (
    evaluate_space,
    recompute,
)
from cohort_reanalysis.verification._space import build_space
from cohort_reanalysis.verification.claims import Condition, Method, Quantity


def scalar(value: object) -> float:
    assert isinstance(value, float)
    return value


ROOT = Path(__file__).resolve().parents[2]
R = json.loads((ROOT / "tests" / "reference" / "msc58_R.json").read_text())
REL = 1e-9


@pytest.fixture(scope="module")
def msc() -> CohortArrays:
    return CohortArrays(load_dataset("matsuoka2025"))


def weights(before: list[float], after: list[float], **extra: Sequence[object]) -> Cohort:
    frame = pd.DataFrame({"b": before, "a": after, **extra})
    columns = {"before": "b", "after": "a"}
    columns.update({k: k for k in extra})
    return Cohort.from_frame(frame, columns=columns, measure="weight", unit="kg")


# ----------------------------------------------------------------------------- against R


def test_paired_t_p_matches_r(msc: CohortArrays) -> None:
    q = Quantity("pvalue", method=Method(test="paired_t"))
    assert recompute(msc, q) == pytest.approx(R["msc_paired"]["p"], rel=REL)


def test_wilcoxon_signed_rank_p_matches_r(msc: CohortArrays) -> None:
    q = Quantity("pvalue", method=Method(test="wilcoxon"))
    assert recompute(msc, q) == pytest.approx(R["msc_wilcox_correct"]["p"], rel=1e-7)
    # the same through the space's choices
    assert recompute(msc, Quantity("pvalue"), {"test": "rank"}) == recompute(msc, q)


def test_mean_change_matches_r_estimate(msc: CohortArrays) -> None:
    q = Quantity("mean_change", direction="reduction")
    assert recompute(msc, q) == pytest.approx(R["msc_paired"]["est"], rel=REL)
    assert recompute(msc, q, {"direction": "change"}) == pytest.approx(-R["msc_paired"]["est"])


@pytest.mark.parametrize(
    ("x", "key", "method", "field"),
    [
        ("followup", "msc_cor_months_pearson", "pearson", "r"),
        ("followup", "msc_cor_months_spearman", "spearman", "rho"),
        ("dose", "msc_cor_dose_pearson", "pearson", "r"),
        ("dose", "msc_cor_dose_spearman", "spearman", "rho"),
        ("dose", "msc_cor_dose_kendall", "kendall", "tau"),
    ],
)
def test_correlations_and_their_p_match_r(
    msc: CohortArrays, x: str, key: str, method: str, field: str
) -> None:
    m = Method(correlation=method)
    r = recompute(msc, Quantity("correlation", x=x, y="change", direction="reduction", method=m))
    assert r == pytest.approx(R[key][field], rel=REL, abs=1e-12)
    p = recompute(msc, Quantity("pvalue", x=x, y="change", direction="reduction", method=m))
    assert p == pytest.approx(R[key]["p"], rel=1e-8)


def test_correlation_direction_flips_the_sign(msc: CohortArrays) -> None:
    q = Quantity("correlation", x="followup", y="change", direction="reduction")
    r = scalar(recompute(msc, q))
    assert r == pytest.approx(0.04148220551236255, rel=REL)
    assert recompute(msc, q, {"direction": "change"}) == pytest.approx(-r, rel=1e-12)


def test_all_nine_quantile_types_match_r(msc: CohortArrays) -> None:
    by_type = R["msc_months_quantiles_types1to9"]["by_type"]
    q_med = Quantity("median", variable="followup")
    q_iqr = Quantity("quartiles", variable="followup")
    q_25 = Quantity("quantile", variable="followup", prob=0.25)
    values = evaluate_space(msc, q_med, build_space(q_med, row_sets=msc.row_sets))
    for t in range(1, 10):
        q1, med, q3 = by_type[str(t)]
        assert values[(t, "all rows")] == pytest.approx(med, rel=REL)
        assert recompute(msc, q_iqr, {"quantile_type": t}) == pytest.approx((q1, q3), rel=REL)
        assert recompute(msc, q_25, {"quantile_type": t}) == pytest.approx(q1, rel=REL)


# ----------------------------------------------------------------------------- scipy oracles


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_two_group_tests_match_scipy(msc: CohortArrays, alternative: str) -> None:
    stats = pytest.importorskip("scipy.stats")
    groups = ((Condition("dose", ">=", 1000),), (Condition("dose", "<", 1000),))
    q = Quantity(
        "pvalue",
        variable="change",
        direction="reduction",
        groups=groups,
        method=Method(alternative=alternative),
    )
    frame = msc.cohort.frame
    red = frame.hba1c_before - frame.hba1c_after
    a, b = red[frame.dose_million >= 1000], red[frame.dose_million < 1000]
    student = stats.ttest_ind(a, b, alternative=alternative).pvalue
    welch = stats.ttest_ind(a, b, equal_var=False, alternative=alternative).pvalue
    ranksum = stats.mannwhitneyu(
        a, b, use_continuity=True, method="asymptotic", alternative=alternative
    ).pvalue
    assert recompute(msc, q) == pytest.approx(student, rel=1e-10)
    assert recompute(msc, q, {"variance": "welch"}) == pytest.approx(welch, rel=1e-10)
    assert recompute(msc, q, {"test": "rank"}) == pytest.approx(ranksum, rel=1e-10)
    if alternative == "two-sided":
        kw = stats.kruskal(a, b).pvalue
        assert recompute(msc, q, {"test": "kruskal"}) == pytest.approx(kw, rel=1e-10)
    else:
        with pytest.raises(ValueError, match="two-sided"):
            recompute(msc, q, {"test": "kruskal"})


def test_unpaired_before_after_and_severe_subgroup_match_scipy(msc: CohortArrays) -> None:
    stats = pytest.importorskip("scipy.stats")
    frame = msc.cohort.frame
    for op, rows in ((">", frame.hba1c_before > 8), (">=", frame.hba1c_before >= 8)):
        q = Quantity("pvalue", subset=(Condition("before", ">", 8),))
        b, a = frame.hba1c_before[rows], frame.hba1c_after[rows]
        spec = {"boundary: before > 8": op}
        assert recompute(msc, q, spec) == pytest.approx(stats.ttest_rel(b, a).pvalue, rel=1e-10)
        unpaired = stats.ttest_ind(a, b).pvalue
        assert recompute(msc, q, {**spec, "pairing": "unpaired"}) == pytest.approx(
            unpaired, rel=1e-10
        )
    # the p the paper prints (0.0122) is the one with 8.0 in the severe group
    severe = Quantity("pvalue", subset=(Condition("before", ">", 8),))
    assert recompute(msc, severe, {"boundary: before > 8": ">="}) == pytest.approx(
        0.01222, abs=5e-6
    )


# ----------------------------------------------------------------------------- by hand


def test_descriptives_by_hand() -> None:
    c = weights([80.0, 90.0, 100.0, 70.0], [78.0, 91.0, 95.0, 70.0], sex=["M", "F", "F", "M"])
    assert recompute(c, Quantity("n")) == 4
    assert recompute(c, Quantity("count", variable="sex", level="F")) == 2
    assert recompute(c, Quantity("mean", variable="before")) == 85.0
    # SD of (80, 90, 100, 70): sum of squares 500; n - 1 = 3, n = 4
    assert recompute(c, Quantity("sd", variable="before")) == pytest.approx(math.sqrt(500 / 3))
    assert recompute(c, Quantity("sd", variable="before"), {"sd_ddof": 0}) == pytest.approx(
        math.sqrt(125)
    )
    assert recompute(c, Quantity("range", variable="after")) == (70.0, 95.0)
    assert recompute(c, Quantity("min", variable="change")) == -5.0
    # change = (-2, 1, -5, 0): mean -1.5; as a reduction +1.5
    assert recompute(c, Quantity("mean_change")) == -1.5
    assert recompute(c, Quantity("mean_change", direction="reduction")) == 1.5
    assert recompute(c, Quantity("max", variable="change", direction="reduction")) == 5.0
    groups = ((Condition("sex", "==", "F"),), (Condition("sex", "==", "M"),))
    # F: before 90, 100 -> 95; M: 80, 70 -> 75
    assert recompute(c, Quantity("difference_between", variable="before", groups=groups)) == 20


def test_boundary_masks_put_the_patient_at_the_cutoff_on_either_side() -> None:
    c = weights([7.0, 8.0, 9.0], [6.0, 6.0, 8.0])
    q = Quantity("mean", variable="change", subset=(Condition("before", "<=", 8),))
    assert recompute(c, q) == pytest.approx(-1.5)  # rows 1, 2: changes -1, -2
    assert recompute(c, q, {"boundary: before <= 8": "<"}) == pytest.approx(-1.0)
    assert recompute(c, Quantity("n", subset=(Condition("before", ">", 8),))) == 1
    n_ge = recompute(
        c, Quantity("n", subset=(Condition("before", ">", 8),)), {"boundary: before > 8": ">="}
    )
    assert n_ge == 2


def test_missing_values_are_left_out_not_imputed() -> None:
    c = weights([80.0, float("nan"), 100.0], [78.0, 91.0, float("nan")])
    assert recompute(c, Quantity("mean", variable="after")) == pytest.approx((78 + 91) / 2)
    assert recompute(c, Quantity("mean_change")) == -2.0  # only row 1 is complete
    assert recompute(c, Quantity("n")) == 3


def test_what_cannot_be_computed_raises_with_a_reason() -> None:
    c = weights([80.0, 90.0], [78.0, 91.0])
    with pytest.raises(ValueError, match="ddof 1"):
        recompute(c, Quantity("sd", variable="before", subset=(Condition("before", "<", 85),)))
    with pytest.raises(ValueError, match="no values"):
        recompute(c, Quantity("mean", variable="before", subset=(Condition("before", ">", 99),)))
    same = weights([80.0, 90.0, 70.0], [79.0, 89.0, 69.0])
    with pytest.raises(ValueError, match="every difference is the same"):
        recompute(same, Quantity("pvalue"))


def test_one_sided_t_p_is_half_the_two_sided_in_the_observed_direction() -> None:
    c = weights([80.0, 90.0, 100.0, 70.0, 85.0], [78.0, 87.0, 95.0, 70.5, 83.0])
    q = Quantity("pvalue")
    two = scalar(recompute(c, q))
    assert recompute(c, q, {"alternative": "less"}) == pytest.approx(two / 2)
    assert recompute(c, q, {"alternative": "greater"}) == pytest.approx(1 - two / 2)
    red = Quantity("pvalue", direction="reduction")
    assert recompute(c, red, {"alternative": "greater"}) == pytest.approx(two / 2)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(50, 120), st.integers(-10, 10), st.integers(0, 3)),
        min_size=4,
        max_size=20,
    ),
    st.randoms(use_true_random=False),
)
def test_row_order_does_not_change_any_value(rows: list[tuple[int, int, int]], rnd: object) -> None:
    before = [float(b) for b, _, _ in rows]
    after = [float(b + d) for b, d, _ in rows]
    group = [float(g) for _, _, g in rows]
    order = list(range(len(rows)))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    c1 = weights(before, after, dose=group)
    c2 = weights(
        [before[i] for i in order], [after[i] for i in order], dose=[group[i] for i in order]
    )
    for q in (
        Quantity("mean", variable="change", subset=(Condition("dose", "<=", 1),)),
        Quantity("quartiles", variable="before"),
        Quantity("correlation", x="before", y="change"),
    ):
        try:
            v1 = recompute(c1, q)
        except ValueError:
            with pytest.raises(ValueError):
                recompute(c2, q)
            continue
        assert np.allclose(v1, recompute(c2, q), rtol=1e-12, atol=1e-12)
