"""Summary-level claims: every kind, and every rule of their fields."""

from __future__ import annotations

from typing import Any

import pytest
from claim_docs import (
    FORMAT,
    expect_error,
    make_summary,
    summary_doc,
)

from cohort_reanalysis.verification.claims import (
    parse_claims,
)


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


def test_every_summary_kind_has_its_fields() -> None:
    from cohort_reanalysis.verification.claims import SUMMARY_KINDS
    from cohort_reanalysis.verification.claims._summary_claims import _KINDS, _READERS

    assert set(_KINDS) == SUMMARY_KINDS
    for kind in _KINDS.values():
        assert set(kind.required) | set(kind.optional) <= set(_READERS)


def test_a_summary_claim_names_its_rounding() -> None:
    item = {"kind": "mean_sd", "mean": "5.19", "sd": "1.00", "n": 28}
    for extra in (
        {"rounding": "up"},
        {"rounding": "up_from", "threshold": 3, "symmetric": True},
        {"rounding": "anti_trunc"},
    ):
        base = {"id": "s", "quote": "q", "location": "l", **item, **extra}
        cs = parse_claims({"format": FORMAT, "dataset": "d", "summary_claims": [base]})
        assert {k: cs.summary_claims[0][k] for k in extra} == extra
        assert parse_claims(cs.to_dict()) == cs


@pytest.mark.parametrize(
    ("extra", "field", "rule"),
    [
        ({"rounding": "bankers"}, "rounding", "unknown rounding"),
        ({"rounding": "half_up", "threshold": 4}, "threshold", "takes no threshold"),
        ({"threshold": 4}, "threshold", "takes no threshold"),
        ({"rounding": "up_from", "threshold": 10}, "threshold", "between 0 and 10"),
        ({"rounding": "trunc", "symmetric": True}, "symmetric", "takes no symmetric"),
        ({"rounding": "up", "symmetric": "yes"}, "symmetric", "true or false"),
    ],
)
def test_rounding_options_only_where_they_apply(
    extra: dict[str, Any], field: str, rule: str
) -> None:
    base = {"id": "s", "quote": "q", "location": "l", "kind": "mean_sd", "mean": "5.19"}
    item = {**base, "sd": "1", "n": 28, **extra}
    doc = {"format": FORMAT, "dataset": "d", "summary_claims": [item]}
    expect_error(doc, field=field, rule=rule)


def test_counts_take_no_rounding() -> None:
    base = {"id": "s", "quote": "q", "location": "l", "kind": "counts", "total": "61"}
    item = {**base, "parts": ["61"], "rounding": "up"}
    doc = {"format": FORMAT, "dataset": "d", "summary_claims": [item]}
    expect_error(doc, field="rounding", rule="unknown field")
