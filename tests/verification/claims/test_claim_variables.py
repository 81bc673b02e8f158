"""Holding claims against a cohort's columns and roles."""

from __future__ import annotations

import pytest
from claim_docs import (
    with_quantity,
)

from cohort_reanalysis.verification.claims import (
    ClaimsError,
    check_variables,
    parse_claims,
)


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
