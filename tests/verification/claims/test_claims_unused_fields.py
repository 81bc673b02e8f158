"""Property: over random claims, every field a statistic does not use is rejected, never
ignored; and a claim that is accepted keeps every field it was given."""

from __future__ import annotations

from typing import Any

from claim_docs import make_claim, make_doc
from hypothesis import given, settings
from hypothesis import strategies as st

from cohort_reanalysis.verification.claims import STATISTICS, ClaimsError, parse_claims
from cohort_reanalysis.verification.claims._field_use import METHOD_USE as _METHOD_USE
from cohort_reanalysis.verification.claims._field_use import USES as _USES

# One valid quantity per statistic (and the printed value it takes).
VALID: dict[str, tuple[dict[str, Any], str]] = {
    "n": ({"statistic": "n"}, "58"),
    "count": ({"statistic": "count", "variable": "sex", "level": "M"}, "42"),
    "mean": ({"statistic": "mean", "variable": "age"}, "63.3"),
    "sd": ({"statistic": "sd", "variable": "age"}, "9.1"),
    "min": ({"statistic": "min", "variable": "age"}, "41"),
    "max": ({"statistic": "max", "variable": "age"}, "88"),
    "median": ({"statistic": "median", "variable": "age"}, "64"),
    "range": ({"statistic": "range", "variable": "age"}, "41 to 88"),
    "quantile": ({"statistic": "quantile", "variable": "age", "prob": 0.9}, "80"),
    "quartiles": ({"statistic": "quartiles", "variable": "age"}, "55 to 70"),
    "mean_change": ({"statistic": "mean_change"}, "-0.9"),
    "pvalue": ({"statistic": "pvalue"}, "0.001"),
    "correlation": ({"statistic": "correlation", "x": "dose", "y": "change"}, "0.3"),
    "difference_between": (
        {"statistic": "difference_between", "variable": "age", "groups": [[], []]},
        "2.1",
    ),
    "ci": ({"statistic": "ci", "variable": "change"}, "-1.13 to -0.02"),
    "statistic": ({"statistic": "statistic", "method": {"test": "paired_t"}}, "4.06"),
    "df": ({"statistic": "df", "method": {"test": "paired_t"}}, "9"),
    "se": ({"statistic": "se", "variable": "change"}, "0.39"),
    "effect_size": ({"statistic": "effect_size"}, "1.2"),
    "proportion": (
        {"statistic": "proportion", "condition": {"variable": "change", "op": "<", "value": 0}},
        "72%",
    ),
    "percent_change": ({"statistic": "percent_change"}, "-12"),
    "slope": ({"statistic": "slope", "x": "dose", "y": "change"}, "-0.4"),
    "row_identity": (
        {
            "statistic": "row_identity",
            "column": "diff",
            "equals": {"op": "difference", "of": ["after", "before"]},
        },
        "",
    ),
}
# A well-formed value for every quantity and method field, so that only its use is wrong.
QUANTITY_VALUES: dict[str, Any] = {
    "variable": "age",
    "subset": [{"variable": "age", "op": ">", "value": 50}],
    "direction": "reduction",
    "x": "dose",
    "y": "age",
    "level": "M",
    "prob": 0.5,
    "groups": [[], []],
    "pair": {"before": "sbp_0", "after": "sbp_12"},
    "condition": {"variable": "age", "op": ">", "value": 50},
    "column": "diff",
    "equals": {"op": "sum", "of": ["a", "b"]},
}
METHOD_VALUES: dict[str, Any] = {
    "test": "welch_t",
    "alternative": "less",
    "correlation": "spearman",
    "quantile_type": 6,
    "sd_ddof": 0,
    "confidence_level": 0.9,
    "mu": 1.0,
    "effect_size": "d_av",
    "percent_change": "ratio_of_means",
}


def _doc(quantity: dict[str, Any], reported: str) -> dict[str, Any]:
    if quantity["statistic"] == "row_identity":
        claim = {"id": "c1", "quote": "q", "location": "l", "versions": ["journal"]}
        claim["quantity"] = quantity
        return make_doc(claim)
    return make_doc(make_claim(quantity=quantity, reported=reported))


def test_the_valid_quantities_parse() -> None:
    assert set(VALID) == set(STATISTICS)
    for quantity, reported in VALID.values():
        parse_claims(_doc(quantity, reported))


@settings(max_examples=300, deadline=None)
@given(stat=st.sampled_from(sorted(STATISTICS)), data=st.data())
def test_every_field_a_statistic_does_not_use_is_rejected(stat: str, data: Any) -> None:
    quantity, reported = VALID[stat]
    unused_quantity = sorted(set(QUANTITY_VALUES) - set(_USES[stat]))
    unused_method = sorted(k for k, users in _METHOD_USE.items() if stat not in users)
    choices = [("quantity", k) for k in unused_quantity] + [("method", k) for k in unused_method]
    where, key = data.draw(st.sampled_from(choices))
    bad = {**quantity, "method": dict(quantity.get("method", {}))}
    if where == "quantity":
        bad[key] = QUANTITY_VALUES[key]
        path = f"quantity.{key}"
    else:
        bad["method"][key] = METHOD_VALUES[key]
        path = f"quantity.method.{key}"
    try:
        parse_claims(_doc(bad, reported))
    except ClaimsError as err:
        assert path in [p.field for p in err.problems], str(err)
    else:
        raise AssertionError(f"{path} accepted on {stat!r}")


@settings(max_examples=400, deadline=None)
@given(
    stat=st.sampled_from(sorted(STATISTICS)),
    extra=st.dictionaries(st.sampled_from(sorted(QUANTITY_VALUES)), st.just(0), max_size=4),
    method=st.dictionaries(st.sampled_from(sorted(METHOD_VALUES)), st.just(0), max_size=3),
    variable=st.sampled_from(["age", "change", "dose"]),
)
def test_an_accepted_claim_keeps_every_field_it_was_given(
    stat: str, extra: dict[str, Any], method: dict[str, Any], variable: str
) -> None:
    quantity, reported = VALID[stat]
    given_q = {**quantity, **{k: QUANTITY_VALUES[k] for k in extra}}
    if "variable" in extra:
        given_q["variable"] = variable
    given_m = {**quantity.get("method", {}), **{k: METHOD_VALUES[k] for k in method}}
    if given_m:
        given_q["method"] = given_m
    try:
        cs = parse_claims(_doc(given_q, reported))
    except ClaimsError:
        return  # rejected: never ignored
    kept = cs.claims[0].to_dict()["quantity"]
    assert set(kept) == set(given_q), (given_q, kept)
    assert set(kept.get("method", {})) == set(given_m)
