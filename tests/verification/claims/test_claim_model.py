"""The claim model: values, variables, round trips through to_dict, and tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from claim_docs import (
    MATSUOKA,
    META,
    make_claim,
    make_doc,
    with_quantity,
)

from cohort_reanalysis.verification.claims import (
    Claim,
    load_claims,
    parse_claims,
)


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


@pytest.mark.parametrize("path", [MATSUOKA, META], ids=["matsuoka2025", "meta_t1dm_2025"])
def test_bundled_files_round_trip(path: Path) -> None:
    cs = load_claims(path)
    as_written = json.loads(path.read_text(encoding="utf-8"))
    assert cs.to_dict() == as_written
    again = parse_claims(json.loads(json.dumps(cs.to_dict())), source=path)
    assert again == cs
    assert cs.dataset == path.parent.name


def test_claim_dataclass_is_hashable_value() -> None:
    cs = load_claims(MATSUOKA)
    claims: tuple[Claim, ...] = cs.claims
    assert len(set(claims)) == len(claims)


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
