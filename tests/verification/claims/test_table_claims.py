"""Claims about the patient table: every statistic, and every rule of their fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from claim_docs import (
    expect_error,
    make_claim,
    make_doc,
    make_summary,
    with_quantity,
)

from cohort_reanalysis.verification.claims import (
    ClaimSet,
    Condition,
    Method,
    parse_claims,
)


def test_minimal_claim_parses_to_frozen_values() -> None:
    cs = parse_claims(make_doc(make_claim()), source="x.json")
    assert isinstance(cs, ClaimSet)
    assert cs.dataset == "demo" and cs.source == Path("x.json")
    (claim,) = cs.claims
    assert claim.scale == 1.0 and claim.note is None and claim.unit == "%"
    assert claim.quantity is not None and claim.quantity.method == Method()
    assert cs["c1"] is claim and cs.ids == ("c1",) and len(cs) == 1
    with pytest.raises(AttributeError):
        claim.reported = "8"  # type: ignore[misc]


def test_every_statistic_with_its_fields_parses() -> None:
    moderate = [{"variable": "before", "op": "<=", "value": 8}]
    quantities: list[dict[str, Any]] = [
        {"statistic": "n", "subset": moderate},
        {"statistic": "count", "variable": "sex", "level": "M"},
        {"statistic": "sd", "variable": "age", "method": {"sd_ddof": 0}},
        {"statistic": "quantile", "variable": "followup", "prob": 0.9},
        {"statistic": "median", "variable": "followup", "method": {"quantile_type": 6}},
        {"statistic": "mean_change", "variable": "change", "direction": "reduction"},
        {"statistic": "pvalue", "subset": moderate, "method": {"test": "wilcoxon"}},
        {
            "statistic": "pvalue",
            "x": "followup",
            "y": "change",
            "method": {"test": "correlation", "correlation": "spearman"},
        },
        {
            "statistic": "pvalue",
            "variable": "change",
            "groups": [moderate, [{"variable": "before", "op": ">", "value": 8}]],
            "method": {"test": "welch_t", "alternative": "greater"},
        },
        {"statistic": "correlation", "x": "dose", "y": "change", "direction": "reduction"},
        {
            "statistic": "difference_between",
            "variable": "change",
            "groups": [[{"variable": "sex", "op": "==", "value": "M"}], []],
        },
    ]
    claims = [make_claim(id=f"q{i}", quantity=q) for i, q in enumerate(quantities)]
    cs = parse_claims(make_doc(*claims))
    assert [c.quantity.statistic for c in cs.claims if c.quantity] == [
        q["statistic"] for q in quantities
    ]
    assert cs.claims[-1].quantity is not None
    assert cs.claims[-1].quantity.groups == ((Condition("sex", "==", "M"),), ())


REQUIRED = ["quote", "location", "versions", "reported", "comparator", "unit", "quantity"]


@pytest.mark.parametrize("missing", REQUIRED)
def test_missing_required_claim_field(missing: str) -> None:
    claim = make_claim()
    del claim[missing]
    err = expect_error(make_doc(claim), field=missing, rule="missing required field")
    assert err.claim_id == "c1"


def test_missing_id_is_named_by_position() -> None:
    claim = make_claim()
    del claim["id"]
    err = expect_error(make_doc(make_claim(id="a"), claim), field="claims[1].id", rule="missing")
    assert err.claim_id is None


@pytest.mark.parametrize("bad", ["Mean", "a b", "", "a/b", "é", "a\n", 7, None, ["a"]])
def test_bad_id_pattern(bad: object) -> None:
    expect_error(make_doc(make_claim(id=bad)), field="claims[0].id", rule=r"\[a-z0-9_.-\]\+")


def test_duplicate_id_across_claims_and_summary_claims() -> None:
    expect_error(
        make_doc(make_claim(id="x"), make_claim(id="x")), field="claims[1].id", rule="duplicate"
    )
    doc = make_doc(make_claim(id="s1"), summary_claims=[make_summary(id="s1")])
    expect_error(doc, field="summary_claims[0].id", rule="duplicate")


@pytest.mark.parametrize(
    ("overrides", "field", "rule"),
    [
        ({"colour": "red"}, "colour", "unknown field"),
        ({"quote": ""}, "quote", "must not be empty"),
        ({"quote": 3}, "quote", "expected a string"),
        ({"location": None}, "location", "expected a string"),
        ({"versions": []}, "versions", "at least one"),
        ({"versions": "preprint"}, "versions", "expected a JSON array"),
        ({"versions": ["preprint", "preprint"]}, "versions[1]", "duplicate"),
        ({"versions": ["Pre print"]}, "versions[0]", "a version"),
        ({"reported": "about 7"}, "reported", "not a printed number"),
        ({"reported": 7.49}, "reported", "expected a string"),
        ({"reported": "6.3 to 12.4"}, "reported", "reports one number"),
        ({"comparator": "=="}, "comparator", "unknown comparator"),
        ({"comparator": "≥"}, "comparator", "unknown comparator"),
        ({"unit": 5}, "unit", "expected a string"),
        ({"unit": ""}, "unit", "must not be empty"),
        ({"scale": 0}, "scale", "positive"),
        ({"scale": -12}, "scale", "positive"),
        ({"scale": True}, "scale", "expected a number"),
        ({"scale": "12"}, "scale", "expected a number"),
        ({"scale": float("nan")}, "scale", "finite"),
        ({"scale": float("inf")}, "scale", "finite"),
        ({"scale": 10**400}, "scale", "finite"),
        ({"note": ""}, "note", "must not be empty"),
        ({"quantity": []}, "quantity", "expected a JSON object"),
        ({"quantity": None, "reported": "1 2", "comparator": "<"}, "comparator", "two-number"),
    ],
)
def test_claim_field_errors(overrides: dict[str, Any], field: str, rule: str) -> None:
    expect_error(make_doc(make_claim(**overrides)), field=field, rule=rule)


def test_range_needs_two_numbers() -> None:
    doc = make_doc(make_claim(quantity={"statistic": "range", "variable": "age"}))
    expect_error(doc, field="reported", rule="reports two numbers")


# ----------------------------------------------------------------------------- quantity


@pytest.mark.parametrize(
    ("quantity", "field", "rule"),
    [
        ({"variable": "before"}, "quantity.statistic", "missing required field"),
        ({"statistic": "average", "variable": "x"}, "quantity.statistic", "unknown statistic"),
        ({"statistic": "mean", "variable": "x", "colour": 1}, "quantity.colour", "unknown field"),
        ({"statistic": "mean"}, "quantity.variable", "needs 'variable'"),
        ({"statistic": "count", "variable": "sex"}, "quantity.level", "needs 'level'"),
        ({"statistic": "correlation", "x": "dose"}, "quantity.y", "needs 'y'"),
        ({"statistic": "correlation", "y": "change"}, "quantity.x", "needs 'x'"),
        ({"statistic": "quantile", "variable": "age"}, "quantity.prob", "needs 'prob'"),
        ({"statistic": "quantile", "variable": "a", "prob": 0}, "quantity.prob", "between 0"),
        ({"statistic": "quantile", "variable": "a", "prob": 1}, "quantity.prob", "between 0"),
        ({"statistic": "quantile", "variable": "a", "prob": 1.5}, "quantity.prob", "between 0"),
        ({"statistic": "quantile", "variable": "a", "prob": "0.5"}, "quantity.prob", "number"),
        ({"statistic": "mean", "variable": "a", "level": "M"}, "quantity.level", "not apply"),
        ({"statistic": "mean", "variable": "a", "prob": 0.5}, "quantity.prob", "not apply"),
        ({"statistic": "mean", "variable": "a", "x": "b"}, "quantity.x", "not apply"),
        ({"statistic": "mean", "variable": "a", "groups": [[], []]}, "quantity.groups", "apply"),
        (
            {"statistic": "difference_between", "variable": "change"},
            "quantity.groups",
            "needs 'groups'",
        ),
        (
            {"statistic": "difference_between", "variable": "change", "groups": [[]]},
            "quantity.groups",
            "exactly two",
        ),
        (
            {"statistic": "difference_between", "variable": "change", "groups": {}},
            "quantity.groups",
            "JSON array",
        ),
        ({"statistic": "mean", "variable": ""}, "quantity.variable", "must not be empty"),
        ({"statistic": "mean", "variable": "a\tb"}, "quantity.variable", "control"),
        ({"statistic": "mean", "variable": 3}, "quantity.variable", "expected a string"),
        (
            {"statistic": "mean", "variable": "age", "direction": "reduction"},
            "quantity.direction",
            "change",
        ),
        (
            {"statistic": "mean_change", "direction": "decrease"},
            "quantity.direction",
            "unknown direction",
        ),
        ({"statistic": "mean", "variable": "a", "subset": {}}, "quantity.subset", "JSON array"),
        ({"statistic": "mean", "variable": "a", "subset": [5]}, "quantity.subset[0]", "object"),
    ],
)
def test_quantity_errors(quantity: dict[str, Any], field: str, rule: str) -> None:
    expect_error(with_quantity(**quantity), field=field, rule=rule)


@pytest.mark.parametrize(
    ("condition", "field", "rule"),
    [
        ({"variable": "before", "op": "=~", "value": 8}, "op", "unknown op"),
        ({"variable": "before", "op": "=", "value": 8}, "op", "unknown op"),
        ({"variable": "before", "op": "<="}, "value", "missing required field"),
        ({"op": "<=", "value": 8}, "variable", "missing required field"),
        ({"variable": "before", "op": "<=", "value": 8, "unit": "%"}, "unit", "unknown field"),
        ({"variable": "sex", "op": "<", "value": "M"}, "op", "only == or !="),
        ({"variable": "sex", "op": "==", "value": True}, "value", "expected a number"),
        ({"variable": "sex", "op": "==", "value": None}, "value", "expected a number"),
        ({"variable": "sex", "op": "==", "value": ""}, "value", "must not be empty"),
        ({"variable": "age", "op": ">", "value": float("nan")}, "value", "finite"),
        ({"variable": "age", "op": ">", "value": [50]}, "value", "expected a number"),
    ],
)
def test_condition_errors(condition: dict[str, Any], field: str, rule: str) -> None:
    doc = with_quantity(statistic="mean", variable="age", subset=[condition])
    err = expect_error(doc, field=f"quantity.subset[0].{field}", rule=rule)
    assert err.claim_id == "c1"


@pytest.mark.parametrize(
    ("quantity", "field", "rule"),
    [
        ({"statistic": "pvalue", "method": {"test": "t"}}, "quantity.method.test", "unknown test"),
        (
            {"statistic": "pvalue", "method": {"alternative": "both"}},
            "quantity.method.alternative",
            "unknown",
        ),
        (
            {"statistic": "correlation", "x": "a", "y": "b", "method": {"correlation": "r"}},
            "quantity.method.correlation",
            "unknown correlation",
        ),
        (
            {"statistic": "median", "variable": "a", "method": {"quantile_type": 0}},
            "quantity.method.quantile_type",
            "between 1 and 9",
        ),
        (
            {"statistic": "median", "variable": "a", "method": {"quantile_type": 10}},
            "quantity.method.quantile_type",
            "between 1 and 9",
        ),
        (
            {"statistic": "median", "variable": "a", "method": {"quantile_type": "7"}},
            "quantity.method.quantile_type",
            "integer",
        ),
        (
            {"statistic": "median", "variable": "a", "method": {"quantile_type": True}},
            "quantity.method.quantile_type",
            "integer",
        ),
        (
            {"statistic": "sd", "variable": "a", "method": {"sd_ddof": 2}},
            "quantity.method.sd_ddof",
            "between 0 and 1",
        ),
        (
            {"statistic": "mean", "variable": "a", "method": {"test": "paired_t"}},
            "quantity.method.test",
            "not apply",
        ),
        (
            {"statistic": "mean", "variable": "a", "method": {"quantile_type": 7}},
            "quantity.method.quantile_type",
            "not apply",
        ),
        (
            {"statistic": "mean", "variable": "a", "method": {"how": "excel"}},
            "quantity.method.how",
            "unknown field",
        ),
        (
            {"statistic": "mean", "variable": "a", "method": "excel"},
            "quantity.method",
            "JSON object",
        ),
        (
            {"statistic": "mean", "variable": "a", "method": {"stated": ""}},
            "quantity.method.stated",
            "empty",
        ),
        ({"statistic": "pvalue", "x": "a"}, "quantity.y", "both x and y"),
        (
            {"statistic": "pvalue", "x": "a", "y": "b", "method": {"test": "paired_t"}},
            "quantity.method.test",
            "correlation",
        ),
        (
            {"statistic": "pvalue", "x": "a", "y": "b", "variable": "c"},
            "quantity.variable",
            "x/y only",
        ),
        (
            {"statistic": "pvalue", "x": "a", "y": "b", "groups": [[], []]},
            "quantity.groups",
            "not both",
        ),
        ({"statistic": "pvalue", "groups": [[], []]}, "quantity.variable", "needs 'variable'"),
        (
            {
                "statistic": "pvalue",
                "variable": "c",
                "groups": [[], []],
                "method": {"test": "paired_t"},
            },
            "quantity.method.test",
            "two-group",
        ),
        (
            {"statistic": "pvalue", "method": {"test": "welch_t"}},
            "quantity.method.test",
            "not a paired test",
        ),
        (
            {"statistic": "pvalue", "method": {"correlation": "pearson"}},
            "quantity.method.correlation",
            "no correlation",
        ),
        (
            {"statistic": "correlation", "x": "a", "y": "b", "method": {"test": "correlation"}},
            "quantity.method.test",
            "not apply",
        ),
        (
            {
                "statistic": "difference_between",
                "variable": "c",
                "groups": [[], []],
                "method": {"test": "correlation"},
            },
            "quantity.method.test",
            "two-group",
        ),
    ],
)
def test_method_and_pvalue_errors(quantity: dict[str, Any], field: str, rule: str) -> None:
    expect_error(with_quantity(**quantity), field=field, rule=rule)
