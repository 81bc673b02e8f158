"""Printed values outside their statistic's domain are refused when a claims file is read."""

from __future__ import annotations

import pytest
from claim_docs import expect_error, make_claim, make_doc, make_summary

from cohort_reanalysis.verification.claims import ClaimsError, parse_claims


def cond() -> dict[str, object]:
    return {"variable": "change", "op": "<", "value": 0}


def _claim(reported: str, **quantity: object) -> dict[str, object]:
    return make_claim(reported=reported, quantity=quantity)


@pytest.mark.parametrize(
    ("reported", "quantity", "rule"),
    [
        ("1e3", {"statistic": "pvalue"}, r"p-value lies in \[0, 1\]"),
        ("1.2", {"statistic": "pvalue"}, r"p-value lies in \[0, 1\]"),
        ("-0.01", {"statistic": "pvalue"}, r"p-value lies in \[0, 1\]"),
        ("120%", {"statistic": "pvalue"}, r"p-value lies in \[0, 1\]"),
        ("1e1", {"statistic": "correlation", "x": "age", "y": "change"}, "correlation"),
        ("-1.01", {"statistic": "correlation", "x": "age", "y": "change"}, "correlation"),
        ("-0.5", {"statistic": "sd", "variable": "before"}, "SD or SE is not negative"),
        ("-0.5", {"statistic": "se", "variable": "before"}, "SD or SE is not negative"),
        ("-3", {"statistic": "n"}, "count is not negative"),
        ("57.5", {"statistic": "n"}, "whole number"),
        ("5%", {"statistic": "n"}, "whole number"),
        ("1.5", {"statistic": "count", "variable": "sex", "level": "F"}, "whole number"),
        ("1.2", {"statistic": "proportion", "condition": cond()}, "proportion"),
        ("101%", {"statistic": "proportion", "condition": cond()}, "proportion"),
        ("1e999", {"statistic": "mean", "variable": "before"}, "not a finite number"),
        ("-1e999", {"statistic": "mean", "variable": "before"}, "not a finite number"),
        ("1e1000", {"statistic": "mean", "variable": "before"}, "power of ten beyond"),
        ("1 to 1e999", {"statistic": "range", "variable": "before"}, "not a finite number"),
    ],
)
def test_a_value_outside_its_domain_is_refused_naming_claim_and_field(
    reported: str, quantity: dict[str, object], rule: str
) -> None:
    err = expect_error(make_doc(_claim(reported, **quantity)), field="reported", rule=rule)
    assert err.claim_id == "c1" and err.value == reported


@pytest.mark.parametrize(
    ("reported", "quantity"),
    [
        ("0", {"statistic": "pvalue"}),
        ("1", {"statistic": "pvalue"}),
        ("1.1e-06", {"statistic": "pvalue"}),
        ("-1", {"statistic": "correlation", "x": "age", "y": "change"}),
        ("58", {"statistic": "n"}),
        ("1e1", {"statistic": "n"}),
        ("12%", {"statistic": "proportion", "condition": cond()}),
        ("-0.57", {"statistic": "mean_change"}),
        ("0", {"statistic": "sd", "variable": "before"}),
    ],
)
def test_a_value_inside_its_domain_is_read(reported: str, quantity: dict[str, object]) -> None:
    assert parse_claims(make_doc(_claim(reported, **quantity))).claims[0].reported == reported


def test_domain_problems_are_listed_with_every_other_problem() -> None:
    doc = make_doc(
        _claim("2", statistic="pvalue"),
        make_claim(id="c2", quote=""),
        make_claim(id="c3", reported="-1", quantity={"statistic": "sd", "variable": "after"}),
        summary_claims=[
            make_summary(id="s1", kind="mean_sd", mean="7", sd="-1", n=3),
            make_summary(id="s2", kind="counts", parts=["1", "2.5"], total="4"),
        ],
    )
    doc["summary_claims"][0].pop("estimate")
    for key in ("ci_low", "ci_high", "scale"):
        doc["summary_claims"][0].pop(key)
        doc["summary_claims"][1].pop(key)
    doc["summary_claims"][1].pop("estimate")
    with pytest.raises(ClaimsError) as info:
        parse_claims(doc, source="claims.json")
    found = [(p.claim_id, p.field) for p in info.value.problems]
    assert found == [
        ("c1", "reported"),
        ("c2", "quote"),
        ("c3", "reported"),
        ("s1", "sd"),
        ("s2", "parts[1]"),
    ]


@pytest.mark.parametrize(
    ("summary", "field", "rule"),
    [
        (
            {"kind": "test_statistic", "test": "t", "statistic": "2", "df": "10", "p": "1.5"},
            "p",
            "p-value",
        ),
        (
            {"kind": "test_statistic", "test": "r", "statistic": "1.5", "df": "10", "p": "0.01"},
            "statistic",
            "correlation",
        ),
        (
            {"kind": "test_statistic", "test": "chi2", "statistic": "-2", "df": "1", "p": "0.1"},
            "statistic",
            "chi-squared",
        ),
        ({"kind": "count", "count": "-1"}, "count", "count"),
        ({"kind": "counts", "parts": ["1", "2"], "total": "3.5"}, "total", "whole number"),
        (
            {"estimate": "0.8", "ci_low": "0", "ci_high": "1.2", "scale": "ratio"},
            "ci_low",
            "ratio .* is positive",
        ),
        ({"estimate": "1e999"}, "estimate", "finite"),
    ],
)
def test_summary_fields_have_domains(summary: dict[str, object], field: str, rule: str) -> None:
    item = make_summary(**summary)
    if summary.get("kind", "estimate_ci") != "estimate_ci":
        for key in ("estimate", "ci_low", "ci_high", "scale"):
            item.pop(key)
    doc = {"format": make_doc()["format"], "dataset": "demo", "summary_claims": [item]}
    err = expect_error(doc, field=field, rule=rule)
    assert err.claim_id == "s1"


def test_ns_is_not_a_number_to_check() -> None:
    item = make_summary(kind="test_statistic", test="t", statistic="1.2", df="10", p="ns")
    for key in ("estimate", "ci_low", "ci_high", "scale"):
        item.pop(key)
    doc = {"format": make_doc()["format"], "dataset": "demo", "summary_claims": [item]}
    assert parse_claims(doc).summary_claims[0].fields["p"] == "ns"
