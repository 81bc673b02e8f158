"""Claims files: parsing, every validation rule, the bundled files, and hostile input."""

from __future__ import annotations

import ast
import copy
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cohort_reanalysis.verification import _claims
from cohort_reanalysis.verification._claims import (
    ROLES,
    Claim,
    ClaimsError,
    ClaimSet,
    Condition,
    Method,
    check_variables,
    load_claims,
    parse_claims,
    split_reported,
)

REPO = Path(__file__).resolve().parents[2]
DATASETS = REPO / "datasets"
MATSUOKA = DATASETS / "matsuoka2025" / "claims.json"
META = DATASETS / "meta_t1dm_2025" / "claims.json"
SOURCES = REPO.parent / "shared" / "sources"
FORMAT = "cohort-reanalysis/claims@1"


def make_claim(**overrides: Any) -> dict[str, Any]:
    claim: dict[str, Any] = {
        "id": "c1",
        "quote": "The mean baseline HbA1c level was 7.49%",
        "location": "preprint, Abstract, Results",
        "versions": ["preprint"],
        "reported": "7.49",
        "comparator": "=",
        "unit": "%",
        "quantity": {"statistic": "mean", "variable": "before"},
    }
    claim.update(overrides)
    return claim


def make_doc(*claims: dict[str, Any], **top: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"format": FORMAT, "dataset": "demo", "claims": list(claims)}
    doc.update(top)
    return doc


def with_quantity(**quantity: Any) -> dict[str, Any]:
    return make_doc(make_claim(quantity=quantity))


def make_summary(**overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": "s1",
        "quote": "MD: -0.57%, 95% CI: -1.13 to -0.02",
        "location": "abstract",
        "kind": "estimate_ci",
        "estimate": "-0.57",
        "ci_low": "-1.13",
        "ci_high": "-0.02",
        "scale": "difference",
    }
    item.update(overrides)
    return item


def summary_doc(**overrides: Any) -> dict[str, Any]:
    return {"format": FORMAT, "dataset": "demo", "summary_claims": [make_summary(**overrides)]}


def expect_error(doc: object, *, field: str | None, rule: str) -> ClaimsError:
    with pytest.raises(ClaimsError) as info:
        parse_claims(doc, source="claims.json")
    err = info.value
    assert err.field == field, str(err)
    assert re.search(rule, err.rule), str(err)
    assert "\n" not in str(err)
    return err


# ----------------------------------------------------------------------------- the good path


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


def test_variables_lists_every_name_the_claim_mentions() -> None:
    quantity = {
        "statistic": "pvalue",
        "variable": "change",
        "subset": [{"variable": "age", "op": ">", "value": 50}],
        "groups": [
            [{"variable": "dose", "op": ">=", "value": 1000}],
            [{"variable": "bmi", "op": "<", "value": 30}],
        ],
    }
    cs = parse_claims(with_quantity(**quantity))
    assert cs.claims[0].variables() == {"change", "age", "dose", "bmi"}
    corr = parse_claims(with_quantity(statistic="correlation", x="followup", y="change"))
    assert corr.claims[0].variables() == {"followup", "change"}
    null = parse_claims(make_doc(make_claim(quantity=None, reported="0")))
    assert null.claims[0].variables() == set() and not null.claims[0].checkable


def test_check_variables_names_the_unknown_one() -> None:
    cs = parse_claims(
        with_quantity(
            statistic="mean",
            variable="before",
            subset=[{"variable": "hba1c_baseline", "op": ">", "value": 8}],
        ),
        source="c.json",
    )
    check_variables(cs, {"before", "hba1c_baseline"})
    with pytest.raises(ClaimsError) as info:
        check_variables(cs, {"before"})
    err = info.value
    assert (err.file, err.claim_id, err.field, err.value) == (
        "c.json",
        "c1",
        "quantity.subset[0].variable",
        "hba1c_baseline",
    )


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("7.49", ("7.49",)),
        ("0.0000002", ("0.0000002",)),
        ("-0.57", ("-0.57",)),
        ("−0.57", ("−0.57",)),
        (".05", (".05",)),
        ("12.4%", ("12.4%",)),
        ("6.3 to 12.4", ("6.3", "12.4")),
        ("6.3% to 12.4%", ("6.3%", "12.4%")),
        ("6-68", ("6", "68")),
        ("30–60", ("30", "60")),
        ("6 - 68", ("6", "68")),
        ("15.25 45.75", ("15.25", "45.75")),
        ("-1.13 to -0.02", ("-1.13", "-0.02")),
    ],
)
def test_split_reported_accepts_printed_numbers(text: str, parts: tuple[str, ...]) -> None:
    assert split_reported(text) == parts


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        " 7.49",
        "7.49 ",
        "7,49",
        "about 7",
        "three",
        "e5",  # a power of ten needs a mantissa
        "10^-6",
        "1.1 × 10",
        "1e",
        "NaN",
        "inf",
        "0x10",
        "7.",
        "1 to 2 to 3",
        "1 2 3",
        "٣",  # an Arabic-Indic digit: ASCII digits only
        "7.49\n",
        "p < 0.05",
        "%5",
        "5%%",
    ],
)
def test_split_reported_rejects_everything_else(text: str) -> None:
    assert split_reported(text) is None


# ----------------------------------------------------------------------------- top level


@pytest.mark.parametrize(
    ("doc", "field", "rule"),
    [
        ([], None, "expected a JSON object"),
        ("claims", None, "expected a JSON object"),
        (None, None, "expected a JSON object"),
        (make_doc(extra=1), "extra", "unknown field"),
        ({"dataset": "demo", "claims": []}, "format", "missing required field"),
        ({"format": FORMAT, "claims": []}, "dataset", "missing required field"),
        (make_doc(format="cohort-reanalysis/claims@2"), "format", "unsupported format"),
        (make_doc(dataset="Demo Set"), "dataset", "must match"),
        (make_doc(dataset=3), "dataset", "expected a string"),
        ({"format": FORMAT, "dataset": "demo"}, None, "needs 'claims' or 'summary_claims'"),
        (make_doc(claims={}), "claims", "expected a JSON array"),
        (make_doc(summary_claims="x"), "summary_claims", "expected a JSON array"),
        ({1: 2}, None, "keys must be strings"),
    ],
)
def test_top_level_errors(doc: object, field: str | None, rule: str) -> None:
    expect_error(doc, field=field, rule=rule)


# ----------------------------------------------------------------------------- claim fields

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


# ----------------------------------------------------------------------------- summary claims


def test_summary_claim_fields() -> None:
    cs = parse_claims(summary_doc(confidence_level=0.95, n=169, claimed_significant=True))
    (item,) = cs.summary_claims
    assert item.kind == "estimate_ci" and item["estimate"] == "-0.57" and item["n"] == 169
    assert cs.claims == () and cs["s1"] is item
    assert parse_claims(cs.to_dict()) == cs


@pytest.mark.parametrize(
    "item",
    [
        {"kind": "mean_sd", "mean": "3.45", "sd": "1.2", "n": 20, "items": 3},
        {"kind": "test_statistic", "test": "t", "statistic": "2.1", "df": "28", "p": "0.045"},
        {"kind": "test_statistic", "test": "F", "statistic": "4.2", "df": "2, 30", "p": "0.03"},
        {"kind": "test_statistic", "test": "r", "statistic": ".30", "df": "56", "p": "0.022"},
        {"kind": "test_statistic", "test": "t", "statistic": "1.2", "df": "30", "p": "n.s."},
        {"kind": "test_statistic", "test": "t", "statistic": "5.46", "df": "57", "p": "1.06e-6"},
        {
            "kind": "test_statistic",
            "test": "z",
            "statistic": "1.96",
            "p": "0.05",
            "comparator": "<",
        },
        {"kind": "counts", "parts": ["42", "16"], "total": "61"},
        {"kind": "count", "count": "169", "of": "participants"},
    ],
)
def test_every_summary_kind_parses(item: dict[str, Any]) -> None:
    base = {"id": "s", "quote": "q", "location": "l", **item}
    cs = parse_claims({"format": FORMAT, "dataset": "d", "summary_claims": [base]})
    assert cs.summary_claims[0].kind == item["kind"]
    assert parse_claims(cs.to_dict()) == cs


@pytest.mark.parametrize(
    ("overrides", "field", "rule"),
    [
        ({"kind": "forest"}, "kind", "unknown summary kind"),
        ({"estimate": "-0.57 to 1"}, "estimate", "one number"),
        ({"estimate": "minus 0.57"}, "estimate", "not a printed number"),
        ({"ci_low": None}, "ci_low", "expected a string"),
        ({"scale": "log"}, "scale", "unknown estimate scale"),
        ({"confidence_level": 95}, "confidence_level", "between 0 and 1"),
        ({"n": 0}, "n", ">= 1"),
        ({"n": True}, "n", "integer"),
        ({"n": 169.0}, "n", "integer"),
        ({"claimed_significant": "yes"}, "claimed_significant", "true or false"),
        ({"mean": "3"}, "mean", "unknown field"),
        ({"versions": []}, "versions", "at least one"),
        ({"unit": 1}, "unit", "expected a string"),
    ],
)
def test_summary_errors(overrides: dict[str, Any], field: str, rule: str) -> None:
    expect_error(summary_doc(**overrides), field=field, rule=rule)


def test_summary_missing_fields() -> None:
    item = make_summary()
    del item["ci_high"]
    expect_error(
        {"format": FORMAT, "dataset": "d", "summary_claims": [item]},
        field="ci_high",
        rule="missing",
    )
    item = make_summary()
    del item["kind"]
    expect_error(
        {"format": FORMAT, "dataset": "d", "summary_claims": [item]}, field="kind", rule="missing"
    )


@pytest.mark.parametrize(
    ("item", "field", "rule"),
    [
        ({"test": "t", "statistic": "2.1", "p": "0.04"}, "df", "needs df"),
        ({"test": "z", "statistic": "2.1", "df": "10", "p": "0.04"}, "df", "no df"),
        ({"test": "F", "statistic": "4.2", "df": "2", "p": "0.03"}, "df", "F takes two"),
        ({"test": "t", "statistic": "2.1", "df": "2, 3", "p": "0.04"}, "df", "F takes two"),
        ({"test": "t", "statistic": "2.1", "df": "ten", "p": "0.04"}, "df", "one number"),
        ({"test": "r", "statistic": "0.3", "p": "0.04"}, "df", "needs df"),
        (
            {"test": "t", "statistic": "1.2", "df": "30", "p": "ns", "comparator": "<"},
            "comparator",
            "takes no comparator",
        ),
        ({"test": "t", "statistic": "1.2", "df": "30", "p": "not sig"}, "p", "not a printed"),
        ({"test": "r", "statistic": "0.3", "df": "2, 3", "p": "0.04"}, "df", "F takes two"),
        ({"test": "t", "statistic": "2.1", "df": "1e2", "p": "0.04"}, "df", "one number"),
        ({"test": "T", "statistic": "2.1", "df": "10", "p": "0.04"}, "test", "unknown test"),
        (
            {"test": "t", "statistic": "2.1", "df": "9", "p": "0.04", "comparator": "~"},
            "comparator",
            "unknown",
        ),
        (
            {"test": "t", "statistic": "2.1", "df": "9", "p": "0.04", "alternative": "up"},
            "alternative",
            "unknown",
        ),
    ],
)
def test_test_statistic_errors(item: dict[str, Any], field: str, rule: str) -> None:
    base = {"id": "s", "quote": "q", "location": "l", "kind": "test_statistic", **item}
    expect_error(
        {"format": FORMAT, "dataset": "d", "summary_claims": [base]}, field=field, rule=rule
    )


def test_counts_errors() -> None:
    base = {"id": "s", "quote": "q", "location": "l", "kind": "counts", "total": "61"}
    doc = {"format": FORMAT, "dataset": "d", "summary_claims": [{**base, "parts": []}]}
    expect_error(doc, field="parts", rule="not be empty")
    doc = {"format": FORMAT, "dataset": "d", "summary_claims": [{**base, "parts": ["4 2"]}]}
    expect_error(doc, field="parts[0]", rule="one number")


# ----------------------------------------------------------------------------- files and JSON


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "claims.json"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_malformed_json_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, '{\n  "format": "cohort-reanalysis/claims@1",\n  "dataset": "d",\n}\n')
    with pytest.raises(ClaimsError) as info:
        load_claims(path)
    err = info.value
    assert err.file == str(path)
    assert "malformed JSON at line 4 column 1" in err.rule
    assert str(path) in str(err) and "\n" not in str(err)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ('{"format": "a", "format": "b"}', "duplicate key 'format'"),
        ('{"format": NaN}', "NaN is not a JSON value"),
        ('{"format": -Infinity}', "-Infinity is not a JSON value"),
        ("[" * 100_000 + "]" * 100_000, "malformed JSON"),
        ("", "malformed JSON at line 1 column 1"),
        ('{"format": ' + "9" * 5000 + "}", "malformed JSON"),
    ],
)
def test_non_standard_json_is_rejected(tmp_path: Path, text: str, rule: str) -> None:
    with pytest.raises(ClaimsError, match=re.escape(rule)):
        load_claims(write(tmp_path, text))


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ClaimsError, match="not UTF-8"):
        load_claims(write(tmp_path, b'{"format": "\xff"}'))
    with pytest.raises(ClaimsError, match="cannot read file") as info:
        load_claims(tmp_path / "absent.json")
    assert info.value.file == str(tmp_path / "absent.json")


def test_error_message_names_file_claim_field_value_and_rule() -> None:
    doc = with_quantity(
        statistic="mean", variable="age", subset=[{"variable": "age", "op": "=~", "value": 50}]
    )
    with pytest.raises(ClaimsError) as info:
        parse_claims(doc, source="data/claims.json")
    err = info.value
    assert isinstance(err, ValueError)
    assert err.file == "data/claims.json"
    assert err.claim_id == "c1"
    assert err.field == "quantity.subset[0].op"
    assert err.value == "=~"
    assert err.rule.startswith("unknown op")
    message = str(err)
    for part in ("data/claims.json", "'c1'", "'quantity.subset[0].op'", "'=~'", "unknown op"):
        assert part in message
    assert "\n" not in message


def test_error_message_stays_one_line_and_short_for_hostile_values() -> None:
    value = "x\n" * 500
    with pytest.raises(ClaimsError) as info:
        parse_claims(make_doc(make_claim(reported=value)))
    message = str(info.value)
    assert "\n" not in message and len(message) < 400


# ----------------------------------------------------------------------------- code is never run


def test_python_code_in_a_claims_file_is_malformed_not_run(tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    code = f"__import__('os').system('touch {target}')"
    path = write(tmp_path, f'{{"format": "{FORMAT}", "dataset": "d", "claims": [{code}]}}')
    with pytest.raises(ClaimsError, match="malformed JSON at line 1 column"):
        load_claims(path)
    assert not target.exists()


def test_python_code_in_string_fields_stays_inert(tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    code = f"__import__('os').system('touch {target}')"
    # As a reported value it is not a printed number.
    doc = make_doc(make_claim(reported=code))
    with pytest.raises(ClaimsError, match="not a printed number"):
        load_claims(write(tmp_path, json.dumps(doc)))
    assert not target.exists()
    # As a variable or a condition's text value it is kept as an inert string ...
    doc = with_quantity(
        statistic="mean",
        variable=code,
        subset=[{"variable": "sex", "op": "==", "value": code}],
    )
    cs = load_claims(write(tmp_path, json.dumps(doc)))
    assert not target.exists()
    quantity = cs.claims[0].quantity
    assert quantity is not None and quantity.subset[0].value == code
    # ... that no cohort has as a column.
    with pytest.raises(ClaimsError, match="unknown variable"):
        check_variables(cs, ROLES)
    assert not target.exists()


def test_parser_module_never_evaluates() -> None:
    tree = ast.parse(Path(_claims.__file__).read_text(encoding="utf-8"))
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert not called & {"eval", "exec", "compile", "__import__"}


# ----------------------------------------------------------------------------- bundled files


@pytest.mark.parametrize("path", [MATSUOKA, META], ids=["matsuoka2025", "meta_t1dm_2025"])
def test_bundled_files_round_trip(path: Path) -> None:
    cs = load_claims(path)
    as_written = json.loads(path.read_text(encoding="utf-8"))
    assert cs.to_dict() == as_written
    again = parse_claims(json.loads(json.dumps(cs.to_dict())), source=path)
    assert again == cs
    assert cs.dataset == path.parent.name


def test_matsuoka_claims_cover_the_stated_numbers() -> None:
    cs = load_claims(MATSUOKA)
    by_id = {c.id: c for c in cs.claims}
    expected = {
        "abstract.n_enrolled": ("n", "61", "="),
        "abstract.mean_before": ("mean", "7.49", "="),
        "abstract.mean_after": ("mean", "6.7", "="),
        "abstract.pvalue_all": ("pvalue", "0.0001", "<"),
        "abstract.moderate_mean_reduction": ("mean_change", "0.58", "="),
        "abstract.moderate_pvalue": ("pvalue", "0.0000002", "<"),
        "abstract.severe_mean_reduction": ("mean_change", "1.55", "="),
        "abstract.severe_pvalue": ("pvalue", "0.0122", "="),
        "abstract.median_followup": ("median", "35", "="),
        "abstract.followup_range": ("range", "6-68", "="),
        "results.median_followup": ("median", "35.5", "="),
        "results.followup_iqr": ("quartiles", "15.25 45.75", "="),
        "results.corr_duration_reduction": ("correlation", "0.041", "="),
        "results.n_male": ("count", "42", "="),
        "results.n_female": ("count", "16", "="),
        "results.mean_age": ("mean", "63.3", "="),
        "results.age_range": ("range", "42 to 89", "="),
        "results.median_dose": ("median", "2", "="),
        "results.high_dose_mean_reduction": ("mean_change", "1.72", "="),
        "results.low_dose_mean_reduction": ("mean_change", "1.12", "="),
        "results.dose_trend_pvalue": ("pvalue", "0.05", ">"),
    }
    for claim_id, (statistic, reported, comparator) in expected.items():
        claim = by_id[claim_id]
        assert claim.quantity is not None, claim_id
        assert (claim.quantity.statistic, claim.reported, claim.comparator) == (
            statistic,
            reported,
            comparator,
        ), claim_id
    assert by_id["abstract.no_serious_adverse_events"].quantity is None
    # The stated methods: paired t for the before/after p-values, Pearson for the correlation.
    for claim_id in ("abstract.pvalue_all", "abstract.moderate_pvalue", "abstract.severe_pvalue"):
        quantity = by_id[claim_id].quantity
        assert quantity is not None and quantity.method.test == "paired_t"
    corr = by_id["results.corr_duration_reduction"].quantity
    assert corr is not None and corr.method.correlation == "pearson"
    assert corr.direction == "reduction" and (corr.x, corr.y) == ("followup", "change")
    # Doses: printed in billions, the table in millions.
    assert by_id["results.median_dose"].scale == 1000
    # Every variable is a role the dataset's metadata maps.
    meta = json.loads((MATSUOKA.parent / "metadata.json").read_text(encoding="utf-8"))
    roles = {c["role"] for c in meta["columns"]} | {"change"}
    check_variables(cs, roles)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_quotes_are_copied_from_the_sources() -> None:
    preprint = SOURCES / "004_28f57e7d270adcc8.txt"
    journal = SOURCES / "002_582b283b84ee7953.txt"
    meta = SOURCES / "000_44165ed488028c22.txt"
    if not (preprint.exists() and journal.exists() and meta.exists()):
        pytest.skip("shared/sources is not beside this clone")
    texts = {
        "preprint": _squash(preprint.read_text(encoding="utf-8")),
        "journal": _squash(journal.read_text(encoding="utf-8")),
    }
    # Whitespace is ignored: the source text breaks lines and pages inside sentences, and the
    # journal prints "≥ 6.2%" where the preprint prints "≥6.2%".
    for claim in load_claims(MATSUOKA).claims:
        for version in claim.versions:
            assert _squash(claim.quote) in texts[version], (claim.id, version)
    meta_text = _squash(meta.read_text(encoding="utf-8"))
    for item in load_claims(META).summary_claims:
        assert _squash(item.quote) in meta_text, item.id


# ----------------------------------------------------------------------------- fuzzing

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)

FIELD_NAMES = st.sampled_from(
    [
        "format",
        "dataset",
        "claims",
        "summary_claims",
        "id",
        "quote",
        "location",
        "versions",
        "reported",
        "comparator",
        "unit",
        "scale",
        "quantity",
        "note",
        "statistic",
        "variable",
        "subset",
        "direction",
        "method",
        "x",
        "y",
        "level",
        "prob",
        "groups",
        "op",
        "value",
        "test",
        "alternative",
        "correlation",
        "quantile_type",
        "sd_ddof",
        "stated",
        "kind",
        "estimate",
        "ci_low",
        "ci_high",
        "confidence_level",
        "n",
        "claimed_significant",
        "mean",
        "sd",
        "items",
        "statistic",
        "df",
        "p",
        "parts",
        "total",
        "count",
        "of",
    ]
)


def _parses_or_claims_error(obj: object) -> None:
    try:
        result = parse_claims(obj)
    except ClaimsError as err:
        assert "\n" not in str(err)
    else:
        assert isinstance(result, ClaimSet)
        # Whatever parses survives a round trip unchanged.
        assert parse_claims(json.loads(json.dumps(result.to_dict()))) == result


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_fuzz_random_json_values(obj: object) -> None:
    _parses_or_claims_error(obj)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*prefix, i))
    return out


_VALID = json.loads(MATSUOKA.read_text(encoding="utf-8"))
_VALID["claims"] = _VALID["claims"][:12]
_VALID["summary_claims"] = json.loads(META.read_text(encoding="utf-8"))["summary_claims"][:3]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzz_mutated_valid_files(data: st.DataObject) -> None:
    doc = copy.deepcopy(_VALID)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = _paths(doc)
        path = data.draw(st.sampled_from(paths))
        if not path:
            doc = data.draw(json_values)
            break
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = data.draw(json_values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[data.draw(FIELD_NAMES)] = data.draw(json_values)
        else:
            parent.append(data.draw(json_values))
    _parses_or_claims_error(doc)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=200), st.binary(max_size=200)))
def test_fuzz_raw_file_contents(content: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "claims.json"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        try:
            load_claims(path)
        except ClaimsError:
            pass


numbers = st.builds(
    lambda sign, whole, frac, pct: f"{sign}{whole}{'.' + frac if frac else ''}{pct}",
    st.sampled_from(["", "-", "+", "−"]),
    st.integers(0, 10**6).map(str),
    st.text(alphabet="0123456789", max_size=7),
    st.sampled_from(["", "%"]),
)


@given(numbers, numbers, st.sampled_from([" to ", "-", " - ", "–", " "]))
def test_fuzz_printed_numbers_always_accepted(a: str, b: str, sep: str) -> None:
    assert split_reported(a) == (a,)
    parts = split_reported(f"{a}{sep}{b}")
    assert parts is not None and "".join(parts) == a + b


@given(st.text(max_size=30))
def test_fuzz_split_reported_total(text: str) -> None:
    parts = split_reported(text)
    assert parts is None or (1 <= len(parts) <= 2 and all(p in text for p in parts))


def test_claim_dataclass_is_hashable_value() -> None:
    cs = load_claims(MATSUOKA)
    claims: tuple[Claim, ...] = cs.claims
    assert len(set(claims)) == len(claims)


# ----------------------------------------------------------------------------- tables


def test_claim_set_as_a_table() -> None:
    raw = json.loads(MATSUOKA.read_text(encoding="utf-8"))["claims"]
    claims = load_claims(MATSUOKA)
    frame = claims.to_frame()
    assert list(frame.columns) == ["id", "kind", "reported", "location", "checkable", "quote"]
    assert frame["id"].tolist() == [c["id"] for c in raw]  # file order, every claim
    assert frame["quote"].tolist() == [c["quote"] for c in raw]
    unchecked = [c["id"] for c in raw if c.get("quantity") is None]
    assert frame.loc[~frame["checkable"], "id"].tolist() == unchecked
    row = frame.set_index("id").loc["abstract.moderate_pvalue"]
    assert row["reported"] == "< 0.0000002" and row["kind"] == "pvalue"
    html = claims._repr_html_()
    assert f"Claims of matsuoka2025: {len(raw)} ({len(raw) - len(unchecked)} checkable" in html
    assert html.count("<tr") == len(raw) + 1  # a header and one row per claim


def test_summary_claim_set_as_a_table() -> None:
    frame = load_claims(META).to_frame().set_index("id")
    assert frame.loc["hba1c_6m", "reported"] == "-0.57% (-1.13 to -0.02)"
    assert frame.loc["n_participants", "reported"] == "169 participants"
    assert frame["checkable"].all() and set(frame["kind"]) == {"estimate_ci", "count"}
