"""Building claims documents for the claims tests (not a test module)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from cohort_reanalysis.verification.claims import FORMAT, ClaimsError, parse_claims

REPO = Path(__file__).resolve().parents[3]
DATASETS = REPO / "datasets"
MATSUOKA = DATASETS / "matsuoka2025" / "claims.json"
META = DATASETS / "meta_t1dm_2025" / "claims.json"
SOURCES = REPO.parent / "shared" / "sources"

__all__ = [
    "FORMAT",
    "MATSUOKA",
    "META",
    "SOURCES",
    "expect_error",
    "make_claim",
    "make_doc",
    "make_summary",
    "summary_doc",
    "with_quantity",
]


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
    quantity = claim.get("quantity")
    if "reported" not in overrides and isinstance(quantity, dict):
        # 7.49 is outside the domain of these (a p-value, a correlation, a count, ...)
        claim["reported"] = _IN_DOMAIN.get(str(quantity.get("statistic")), "7.49")
    return claim


_IN_DOMAIN = {"pvalue": "0.049", "correlation": "0.49", "proportion": "0.49", "n": "58"}
_IN_DOMAIN["count"] = "58"


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
