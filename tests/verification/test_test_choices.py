"""The design of a test-like claim and the choices its space declares."""

from __future__ import annotations

import pytest

from cohort_reanalysis.verification._space import build_space
from cohort_reanalysis.verification._test_choices import design
from cohort_reanalysis.verification.claims import Condition, Method, Pair, Quantity

G = ((Condition("arm", "==", "x"),), (Condition("arm", "==", "y"),))


@pytest.mark.parametrize(
    ("quantity", "kind"),
    [
        (Quantity("pvalue"), "paired"),
        (Quantity("ci", pair=Pair("a0", "a1")), "paired"),
        (Quantity("ci", variable="age"), "one_sample"),
        (Quantity("se", variable="age"), "one_sample"),
        (Quantity("pvalue", variable="d", method=Method(test="signed_rank")), "one_sample"),
        (Quantity("effect_size", variable="change", groups=G), "groups"),
        (Quantity("ci", x="age", y="change"), "xy"),
        (Quantity("mean", variable="age"), None),
    ],
)
def test_design(quantity: Quantity, kind: str | None) -> None:
    assert design(quantity) == kind


def test_claims_at_1_spaces_are_unchanged() -> None:
    # the choices of a paired and a two-group p, as claims@1 declared them
    paired = build_space(Quantity("pvalue"))
    assert paired.names == ("alternative", "pairing", "test", "variance", "rounding", "rows")
    assert paired.choice("test").values == ("t", "rank")
    groups = build_space(Quantity("pvalue", variable="change", groups=G))
    assert groups.choice("test").values == ("t", "rank", "kruskal")
    assert "signed_rank_law" not in paired.names + groups.names


def test_each_new_statistic_declares_what_the_search_tries() -> None:
    one = build_space(Quantity("pvalue", variable="d", method=Method(test="signed_rank", mu=1)))
    assert one.choice("pairing").values == ("one_sample",)
    assert one.choice("test").values == ("rank", "t")
    assert one.choice("signed_rank_law").values == ("r_default", "normal")
    es = build_space(Quantity("effect_size", method=Method(effect_size="d_av")))
    assert es.choice("effect_size").values == ("d_av", "d_z", "d_rm", "hedges_g")
    assert es.choice("direction").values == ("change", "reduction")
    between = build_space(Quantity("effect_size", variable="change", groups=G))
    assert between.choice("effect_size").values == ("d_av", "hedges_g")
    pc = build_space(Quantity("percent_change"))
    assert pc.choice("percent_change").values == ("mean_of_ratios", "ratio_of_means")
    count = build_space(Quantity("pvalue", variable="resp", groups=G, method=Method(test="fisher")))
    assert count.choice("test").values == ("fisher", "chi2", "chi2_uncorrected")
    stat = build_space(Quantity("statistic", method=Method(test="wilcoxon")))
    assert stat.choice("test").values == ("rank",)  # V is not compared with a t
    share = build_space(Quantity("proportion", condition=Condition("change", "<", 0)))
    assert share.names[:2] == ("boundary: change < 0", "direction")
    assert "direction" not in build_space(Quantity("se", variable="age")).names


def test_a_signed_rank_law_does_not_count_as_a_departure_under_a_t_test() -> None:
    space = build_space(Quantity("ci", variable="age"))
    tried = {(s["test"], s["signed_rank_law"]) for s in space.specifications()}
    assert tried == {("t", "r_default"), ("rank", "r_default"), ("rank", "normal")}
