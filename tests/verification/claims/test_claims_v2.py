"""claims@2: every new field parsed into the model, each wrong use refused by its path."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from claim_docs import MATSUOKA, META, make_claim, make_doc

from cohort_reanalysis.verification.claims import (
    FORMAT,
    FORMAT_V1,
    ClaimsError,
    Condition,
    Equals,
    Pair,
    load_claims,
    parse_claims,
)

SBP = {"before": "sbp_0", "after": "sbp_12"}


def claim_with(quantity: dict[str, Any] | None, **overrides: Any) -> dict[str, Any]:
    return make_claim(quantity=quantity, **overrides)


def parse_one(quantity: dict[str, Any] | None, **overrides: Any) -> Any:
    (claim,) = parse_claims(make_doc(claim_with(quantity, **overrides))).claims
    return claim


def problems_of(doc: object) -> list[tuple[str | None, str | None, str]]:
    with pytest.raises(ClaimsError) as info:
        parse_claims(doc, source="claims.json")
    assert "\n" not in str(info.value)
    return [(p.claim_id, p.field, p.rule) for p in info.value.problems]


def refused(quantity: dict[str, Any], field: str, rule: str, **overrides: Any) -> None:
    found = problems_of(make_doc(claim_with(quantity, **overrides)))
    assert any(f == field and re.search(rule, r) for _, f, r in found), found


# ----------------------------------------------------------------------------- parsed


def test_pair_selects_the_columns_of_change() -> None:
    claim = parse_one({"statistic": "mean_change", "pair": SBP, "direction": "reduction"})
    assert claim.quantity.pair == Pair("sbp_0", "sbp_12")
    assert claim.quantity.variables() == {"sbp_0", "sbp_12"}
    # A CI of a mean change, as in the issue: variable "change" with a pair.
    ci = parse_one(
        {"statistic": "ci", "variable": "change", "pair": SBP, "method": {"confidence_level": 0.9}},
        reported="-1.13 to -0.02",
    )
    assert ci.quantity.method.confidence_level == 0.9 and ci.reported == "-1.13 to -0.02"


@pytest.mark.parametrize(
    ("quantity", "reported", "attribute", "expected"),
    [
        ({"statistic": "statistic", "method": {"test": "paired_t"}}, "4.06", "test", "paired_t"),
        (
            {"statistic": "df", "method": {"test": "one_sample_t"}, "variable": "dbp_change"},
            "9",
            "test",
            "one_sample_t",
        ),
        ({"statistic": "se", "variable": "change"}, "0.39", "test", None),
        (
            {"statistic": "effect_size", "method": {"effect_size": "d_z"}},
            "1.28",
            "effect_size",
            "d_z",
        ),
        (
            {
                "statistic": "effect_size",
                "variable": "x",
                "groups": [[], []],
                "method": {"effect_size": "hedges_g"},
            },
            "0.5",
            "effect_size",
            "hedges_g",
        ),
        (
            {"statistic": "percent_change", "method": {"percent_change": "ratio_of_means"}},
            "-12.5",
            "percent_change",
            "ratio_of_means",
        ),
        (
            {
                "statistic": "pvalue",
                "variable": "diff",
                "method": {"test": "one_sample_t", "mu": 0.5},
            },
            "0.0028",
            "mu",
            0.5,
        ),
        (
            {"statistic": "pvalue", "variable": "diff", "method": {"test": "signed_rank"}},
            "0.0091",
            "test",
            "signed_rank",
        ),
        (
            {"statistic": "ci", "variable": "diff", "method": {"test": "signed_rank", "mu": 0}},
            "0.8 to 2.4",
            "mu",
            0.0,
        ),
        (
            {
                "statistic": "pvalue",
                "variable": "outcome",
                "groups": [[], []],
                "method": {"test": "fisher"},
            },
            "0.03",
            "test",
            "fisher",
        ),
        (
            {
                "statistic": "statistic",
                "variable": "outcome",
                "groups": [[], []],
                "method": {"test": "chi2"},
            },
            "4.2",
            "test",
            "chi2",
        ),
        (
            {
                "statistic": "ci",
                "variable": "age",
                "groups": [[], []],
                "method": {"test": "welch_t", "alternative": "two-sided"},
            },
            "-3 to 1",
            "alternative",
            "two-sided",
        ),
        (
            {"statistic": "ci", "x": "dose", "y": "change", "method": {"correlation": "pearson"}},
            "0.1 to 0.6",
            "correlation",
            "pearson",
        ),
    ],
)
def test_new_statistics_and_tests_parse(
    quantity: dict[str, Any], reported: str, attribute: str, expected: object
) -> None:
    claim = parse_one(quantity, reported=reported)
    assert getattr(claim.quantity.method, attribute) == expected
    assert parse_claims(make_doc(claim.to_dict())).claims[0] == claim


def test_proportion_condition_slope_and_row_identity() -> None:
    improved = {"variable": "change", "op": "<", "value": 0}
    prop = parse_one({"statistic": "proportion", "condition": improved}, reported="72%")
    assert prop.quantity.condition == Condition("change", "<", 0)
    slope = parse_one({"statistic": "slope", "x": "dose", "y": "change"}, reported="-0.4")
    assert (slope.quantity.x, slope.quantity.y) == ("dose", "change")
    identity = {
        "id": "diff.column",
        "quote": "Difference (After - Before)",
        "location": "Table 1",
        "versions": ["journal"],
        "quantity": {
            "statistic": "row_identity",
            "column": "diff",
            "equals": {"op": "difference", "of": ["after", "before"]},
        },
    }
    (row,) = parse_claims(make_doc(identity)).claims
    assert row.reported is None and row.comparator is None and row.unit is None
    assert row.quantity.equals == Equals("difference", ("after", "before"))
    assert row.quantity.column == "diff"
    assert parse_claims(make_doc(row.to_dict())).claims[0] == row


def test_a_claim_without_a_number_leaves_out_reported_comparator_unit_versions() -> None:
    bare = {
        "id": "n.no_number",
        "quote": "HbA1c fell in most patients",
        "location": "Abstract",
        "quantity": None,
        "note": "no number is given",
    }
    (claim,) = parse_claims(make_doc(bare)).claims
    assert claim.reported is None and claim.comparator is None and claim.versions == ()
    assert claim.to_dict() == bare
    assert parse_claims(make_doc(claim.to_dict())).claims[0] == claim


def test_source_names_a_metadata_source() -> None:
    claim = parse_one({"statistic": "mean", "variable": "before"}, source="abstract")
    assert claim.source == "abstract"
    refused({"statistic": "mean", "variable": "before"}, "source", "source id", source="Not An Id")


# ----------------------------------------------------------------------------- refused


@pytest.mark.parametrize(
    ("quantity", "field", "rule"),
    [
        # The diastolic/systolic bug: a paired p-value naming another column.
        ({"statistic": "pvalue", "variable": "dbp_after"}, "quantity.variable", "paired"),
        (
            {"statistic": "pvalue", "variable": "dbp", "method": {"test": "paired_t"}},
            "quantity.variable",
            "paired",
        ),
        ({"statistic": "mean_change", "variable": "dbp"}, "quantity.variable", "paired"),
        ({"statistic": "effect_size", "variable": "dbp"}, "quantity.variable", "paired"),
        ({"statistic": "mean", "variable": "age", "pair": SBP}, "quantity.pair", "change"),
        (
            {"statistic": "mean_change", "pair": {"before": "a", "after": "a"}},
            "quantity.pair",
            "different",
        ),
        ({"statistic": "mean_change", "pair": {"before": "a"}}, "quantity.pair.after", "missing"),
        (
            {"statistic": "mean_change", "pair": {"before": "change", "after": "a"}},
            "quantity.pair.before",
            "not 'change'",
        ),
        ({"statistic": "n", "variable": "age"}, "quantity.variable", "does not apply"),
        ({"statistic": "proportion"}, "quantity.condition", "needs"),
        (
            {"statistic": "proportion", "condition": {"variable": "x", "op": "~", "value": 1}},
            "quantity.condition.op",
            "unknown op",
        ),
        (
            {"statistic": "pvalue", "variable": "x", "method": {"mu": 1}},
            "quantity.method.mu",
            "applies only to tests",
        ),
        (
            {"statistic": "pvalue", "method": {"test": "one_sample_t"}},
            "quantity.variable",
            "needs the 'variable'",
        ),
        (
            {"statistic": "pvalue", "variable": "x", "method": {"test": "chi2"}},
            "quantity.method.test",
            "count by groups",
        ),
        (
            {
                "statistic": "statistic",
                "variable": "x",
                "groups": [[], []],
                "method": {"test": "fisher"},
            },
            "quantity.method.test",
            "does not apply",
        ),
        (
            {"statistic": "ci", "variable": "x", "method": {"confidence_level": 95}},
            "quantity.method.confidence_level",
            "between 0 and 1",
        ),
        (
            {"statistic": "mean", "variable": "x", "method": {"confidence_level": 0.9}},
            "quantity.method.confidence_level",
            "does not apply",
        ),
        (
            {"statistic": "effect_size", "method": {"effect_size": "cohen"}},
            "quantity.method.effect_size",
            "unknown effect size",
        ),
        (
            {
                "statistic": "effect_size",
                "variable": "x",
                "groups": [[], []],
                "method": {"effect_size": "d_z"},
            },
            "quantity.method.effect_size",
            "paired",
        ),
        (
            {"statistic": "percent_change", "method": {"percent_change": "median"}},
            "quantity.method.percent_change",
            "unknown percent change",
        ),
        ({"statistic": "slope", "x": "dose"}, "quantity.y", "needs"),
        (
            {"statistic": "slope", "x": "dose", "y": "age", "method": {"test": "paired_t"}},
            "quantity.method.test",
            "does not apply",
        ),
        (
            {"statistic": "se", "variable": "x", "groups": [[], []]},
            "quantity.groups",
            "does not apply",
        ),
        (
            {"statistic": "mean", "variable": "age", "direction": "reduction"},
            "quantity.direction",
            "about change",
        ),
        ({"statistic": "ci", "x": "a", "y": "b", "variable": "c"}, "quantity.variable", "x/y only"),
    ],
)
def test_wrong_uses_are_refused_by_field_path(
    quantity: dict[str, Any], field: str, rule: str
) -> None:
    reported = "1 to 2" if quantity["statistic"] == "ci" else "1"
    refused(quantity, field, rule, reported=reported)


def test_row_identity_states_no_number_and_names_a_known_op() -> None:
    quantity = {
        "statistic": "row_identity",
        "column": "diff",
        "equals": {"op": "difference", "of": ["after", "before"]},
    }
    found = problems_of(make_doc(claim_with(quantity)))  # make_claim gives reported etc.
    assert {f for _, f, _ in found} >= {"reported", "comparator", "unit"}
    bad = {
        "statistic": "row_identity",
        "column": "diff",
        "equals": {"op": "a - b", "of": ["after"]},
    }
    found = problems_of(
        make_doc(
            {"id": "r", "quote": "q", "location": "l", "versions": ["journal"], "quantity": bad}
        )
    )
    assert [f for _, f, _ in found] == ["quantity.equals.op"]


def test_two_number_statistics_and_comparators() -> None:
    refused({"statistic": "ci", "variable": "change"}, "reported", "two numbers", reported="-0.57")
    refused(
        {"statistic": "proportion", "condition": {"variable": "change", "op": "<", "value": 0}},
        "reported",
        "one number",
        reported="1 to 2",
    )


# ----------------------------------------------------------------------------- @1 unchanged


def test_claims_at_1_files_still_load_and_round_trip() -> None:
    for path in (MATSUOKA, META):
        cs = load_claims(path)
        assert cs.format == FORMAT_V1
        assert parse_claims(cs.to_dict()).to_dict() == cs.to_dict()
        raw = json.loads(path.read_text(encoding="utf-8"))
        assert cs.to_dict()["format"] == raw["format"]


def test_claims_at_1_files_may_not_use_claims_at_2_additions() -> None:
    doc = make_doc(
        claim_with({"statistic": "mean_change", "pair": SBP}, source="abstract"),
        format=FORMAT_V1,
    )
    found = problems_of(doc)
    assert {f for _, f, _ in found} == {"source", "quantity.pair"}
    found = problems_of(
        make_doc(claim_with({"statistic": "se", "variable": "x"}), format=FORMAT_V1)
    )
    assert [f for _, f, _ in found] == ["quantity.statistic"]
    assert FORMAT == "cohort-reanalysis/claims@2"
