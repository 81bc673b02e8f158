"""One error naming file, claim, field, value and rule, on one short line."""

from __future__ import annotations

import pytest
from claim_docs import (
    make_claim,
    make_doc,
    with_quantity,
)

from cohort_reanalysis.verification.claims import (
    ClaimsError,
    parse_claims,
)


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
