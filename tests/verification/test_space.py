"""The declared space of analytic choices: which choices a claim touches, their order, and
the search order of specifications."""

from __future__ import annotations

import pytest

from cohort_reanalysis.verification._row_sets import ALL_ROWS, RowSet
from cohort_reanalysis.verification._space import boundary_name, build_space, flip_op
from cohort_reanalysis.verification.claims import Condition, Method, Quantity

ROWS = (RowSet(ALL_ROWS), RowSet("without rows 5-7", (5, 6, 7), "merged"))


def test_flip_op_is_an_involution_on_numeric_boundaries() -> None:
    for op in ("<", "<=", ">", ">="):
        assert flip_op(flip_op(op)) == op
    assert flip_op("<=") == "<" and flip_op(">") == ">="
    with pytest.raises(ValueError, match="not a numeric boundary"):
        flip_op("==")


def test_mean_in_subset_touches_boundary_rounding_rows_only() -> None:
    q = Quantity("mean", variable="before", subset=(Condition("before", "<=", 8),))
    space = build_space(q, row_sets=ROWS)
    assert space.names == ("boundary: before <= 8", "rounding", "rows")
    assert space.choice("boundary: before <= 8").values == ("<=", "<")
    assert space.choice("rows").values == (ALL_ROWS, "without rows 5-7")
    # up_or_down contains half_up, half_down and half_even: only the others are alternatives.
    assert space.choice("rounding").values == ("up_or_down", "truncate", "ceiling", "floor")


def test_text_conditions_and_equalities_have_no_boundary_choice() -> None:
    q = Quantity("mean", variable="age", subset=(Condition("sex", "==", "F"),))
    assert build_space(q).names == ("rounding", "rows")


def test_comparator_claims_and_counts_have_no_rounding_choice() -> None:
    q = Quantity("pvalue", method=Method(test="paired_t"))
    assert "rounding" not in build_space(q, comparator="<").names
    assert "rounding" not in build_space(Quantity("n")).names


def test_stated_defaults_follow_the_claims_format() -> None:
    median = build_space(Quantity("median", variable="followup"))
    assert median.choice("quantile_type").stated_default == 7
    assert median.choice("quantile_type").values == (7, 1, 2, 3, 4, 5, 6, 8, 9)
    stated6 = build_space(Quantity("median", variable="x", method=Method(quantile_type=6)))
    assert stated6.choice("quantile_type").stated_default == 6
    sd = build_space(Quantity("sd", variable="x"))
    assert sd.choice("sd_ddof").values == (1, 0)
    corr = build_space(Quantity("correlation", x="followup", y="change", direction="reduction"))
    assert corr.choice("correlation").values == ("pearson", "spearman", "kendall")
    assert corr.choice("direction").values == ("reduction", "change")
    p = build_space(Quantity("pvalue"))
    assert p.stated_values["pairing"] == "paired" and p.stated_values["test"] == "t"
    assert p.choice("alternative").values == ("two-sided", "less", "greater")


def test_welch_stated_for_groups() -> None:
    groups = ((Condition("dose", ">=", 1000),), (Condition("dose", "<", 1000),))
    q = Quantity("pvalue", variable="change", groups=groups, method=Method(test="welch_t"))
    space = build_space(q)
    assert "pairing" not in space.names
    assert space.stated_values["variance"] == "welch"
    assert space.choice("test").values == ("t", "rank", "kruskal")
    assert boundary_name(groups[0][0]) in space.names and boundary_name(groups[1][0]) in space.names


def test_assignments_are_distinct_valid_and_in_search_order() -> None:
    q = Quantity("pvalue", subset=(Condition("before", ">", 8),))
    space = build_space(q, row_sets=ROWS)
    assignments = space.assignments
    assert len({tuple(a.values()) for a in assignments}) == len(assignments)
    assert dict(assignments[0]) == dict(space.stated_values)
    keys = [space.sort_key(a) for a in assignments]
    assert keys == sorted(keys)
    sizes = [k[0] for k in keys]
    assert sizes == list(space.departure_counts)
    for a in assignments:
        # The variance choice applies only to unpaired t-tests; kruskal has no paired form.
        if not (a["test"] == "t" and a["pairing"] == "unpaired"):
            assert a["variance"] == "student"
        assert not (a["test"] == "kruskal")
    # paired t, signed-rank, Student, Welch, rank-sum: 5 tests x 3 alternatives x 2 sides of
    # 8 x 4 roundings x 2 row sets
    assert space.size == 5 * 3 * 2 * 4 * 2


def test_ties_broken_by_the_fixed_order_of_choices() -> None:
    q = Quantity("mean", variable="before", subset=(Condition("before", "<=", 8),))
    space = build_space(q, row_sets=ROWS)
    one = [a for a, n in zip(space.assignments, space.departure_counts, strict=True) if n == 1]
    order = [next(k for k in a if a[k] != space.stated_values[k]) for a in one]
    # boundary first, rounding next (in its declared order), rows last
    assert order == ["boundary: before <= 8", "rounding", "rounding", "rounding", "rows"]
    assert [a["rounding"] for a in one[1:4]] == ["truncate", "ceiling", "floor"]


def test_specification_departures_and_validation() -> None:
    q = Quantity("median", variable="followup")
    space = build_space(q)
    spec = space.specification({"quantile_type": 6})
    assert spec.departures == ("quantile_type",)
    assert space.specification({}).is_stated
    with pytest.raises(ValueError, match="not a declared value"):
        space.specification({"quantile_type": 10})
    with pytest.raises(ValueError, match="not in this claim's space"):
        space.specification({"sd_ddof": 0})


def test_first_row_set_must_be_all_rows() -> None:
    with pytest.raises(ValueError, match="first row set"):
        build_space(Quantity("n"), row_sets=(RowSet("x", (1,)),))
