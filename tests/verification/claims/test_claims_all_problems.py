"""Every mistake of a claims file at once: one error, each problem with id, path, value, rule."""

from __future__ import annotations

from claim_docs import make_claim, make_doc, make_summary

from cohort_reanalysis.verification.claims import ClaimsError, parse_claims


def test_a_file_with_six_mistakes_lists_all_six() -> None:
    doc = make_doc(
        make_claim(id="a", comparator="~"),  # 1
        make_claim(id="b", reported="seven", quantity={"statistic": "avg", "variable": "x"}),
        make_claim(id="c", quantity={"statistic": "pvalue", "variable": "dbp"}),  # 4
        make_claim(id="a"),  # 5: duplicate id
        summary_claims=[make_summary(id="s", ci_low="low")],  # 6
    )
    try:
        parse_claims(doc, source="claims.json")
    except ClaimsError as err:
        found = [(p.claim_id, p.field, p.value) for p in err.problems]
        assert found == [
            ("a", "comparator", "~"),
            ("b", "reported", "seven"),
            ("b", "quantity.statistic", "avg"),
            ("c", "quantity.variable", "dbp"),
            (None, "claims[3].id", "a"),
            ("s", "ci_low", "low"),
        ]
        assert all(p.rule for p in err.problems)
        assert err.claim_id == "a" and err.field == "comparator"  # the first, as before
        lines = err.lines()
        assert len(lines) == 6 and all(line.startswith("claims.json: ") for line in lines)
        message = str(err)
        assert message.startswith("claims.json: 6 problems: (1) claim 'a'")
        assert "\n" not in message and "duplicate id" in message
    else:  # pragma: no cover
        raise AssertionError("no ClaimsError")


def test_several_problems_in_one_claim_and_one_quantity_are_all_listed() -> None:
    doc = make_doc(
        make_claim(
            quote="",
            unit=3,
            extra=1,
            quantity={
                "statistic": "mean",
                "variable": "x",
                "prob": 0.5,
                "subset": [{"variable": "x", "op": "~", "value": 1}, {"op": "<"}],
                "method": {"sd_ddof": 3, "test": "t"},
            },
        )
    )
    try:
        parse_claims(doc)
    except ClaimsError as err:
        fields = [p.field for p in err.problems]
        assert fields == [
            "extra",
            "quote",
            "unit",
            "quantity.prob",
            "quantity.subset[0].op",
            "quantity.subset[1].variable",
            "quantity.subset[1].value",
            "quantity.method.test",  # a field mean does not use
            "quantity.method.sd_ddof",
            "quantity.method.test",  # and a value outside the vocabulary
            "quantity.method.sd_ddof",
        ]
    else:  # pragma: no cover
        raise AssertionError("no ClaimsError")
