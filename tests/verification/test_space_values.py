"""The space evaluated as arrays gives, for every specification of every bundled claim,
what the one-specification path (``recompute``) gives, to the last bit and with the same
reason where there is no value."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from cohort_reanalysis.cohort import dataset_info, list_datasets, load_dataset
from cohort_reanalysis.verification._cohort_arrays import CohortArrays
from cohort_reanalysis.verification._recompute import evaluate_space, recompute
from cohort_reanalysis.verification._search import checkable_claims, claim_space
from cohort_reanalysis.verification._space import ROUNDING, build_space
from cohort_reanalysis.verification._space_values import space_values
from cohort_reanalysis.verification.claims import Condition, Pair, Quantity, load_claims


def _table_datasets() -> list[str]:
    out = []
    for name in list_datasets():
        try:
            load_dataset(name)
        except Exception:  # a dataset of summary-level claims only
            continue
        out.append(name)
    return out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, tuple):
        return isinstance(b, tuple) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return (math.isnan(a) and math.isnan(b)) or (
        a == b and math.copysign(1, a) == math.copysign(1, b)
    )


def _one_by_one(arrays: CohortArrays, q: Quantity, space: Any, comparator: str) -> dict:
    out = {}
    for assign in space.assignments:
        key = tuple(v for n, v in assign.items() if n != ROUNDING)
        try:
            out[key] = recompute(arrays, q, dict(assign), comparator=comparator)
        except ValueError as err:
            out[key] = ("failure", str(err))
    return out


def _check(values: dict, oracle: dict) -> None:
    assert values.keys() == oracle.keys()
    for key, want in oracle.items():
        got = values[key]
        if isinstance(want, tuple) and want[0] == "failure":
            assert getattr(got, "reason", None) == want[1], key
        else:
            assert _same(got, want), (key, got, want)


@pytest.mark.parametrize("name", _table_datasets())
def test_every_bundled_claim_every_specification(name: str) -> None:
    cohort = load_dataset(name)
    arrays, fresh = CohortArrays(cohort), CohortArrays(cohort)
    claims = checkable_claims(load_claims(dataset_info(name).claims_file).claims)
    for claim in claims:
        space = claim_space(claim, arrays.row_sets, "up_or_down")
        assert claim.quantity is not None and claim.comparator is not None
        oracle = _one_by_one(fresh, claim.quantity, space, claim.comparator)
        _check(evaluate_space(arrays, claim.quantity, space), oracle)


def _synthetic_quantities() -> list[Quantity]:
    sub = (Condition("before", "<=", 8), Condition("dose", ">", 100), Condition("age", ">=", 60))
    groups = ((Condition("dose", "<=", 500),), (Condition("dose", ">", 500),))
    pair = Pair("before", "after")
    qs = [
        Quantity(s, variable=v, subset=sub)
        for s in ("mean", "sd", "min", "max", "range")
        for v in ("before", "change", "followup")
    ]
    qs += [
        Quantity(s, variable="change", subset=sub, direction="reduction")
        for s in ("median", "quartiles", "mean")
    ]
    qs += [
        Quantity("quantile", variable="followup", prob=0.9, subset=sub),
        Quantity("n", subset=sub),
        Quantity("count", variable="sex", level="M", subset=sub),
        Quantity("count", variable="sex", subset=sub),  # no level: the variant says so
        Quantity("mean_change", subset=sub),
        Quantity("mean_change", subset=sub, pair=pair, direction="reduction"),
        Quantity("difference_between", variable="change", groups=groups),
        Quantity("difference_between", variable="age", groups=groups, subset=sub),
        Quantity("mean", variable="sex"),  # not numeric: the variant says so
        Quantity("sd", variable="before", subset=(Condition("before", ">", 12),)),
        Quantity("mean", variable="before", subset=(Condition("before", ">", 99),)),
        Quantity("pvalue", subset=sub),
        Quantity("proportion", condition=Condition("change", "<", 0), subset=sub),
    ]
    return qs


@pytest.mark.parametrize("q", _synthetic_quantities(), ids=lambda q: q.statistic)
def test_batched_statistics_on_subsets_with_boundaries(q: Quantity) -> None:
    cohort = load_dataset("matsuoka2025")
    arrays, fresh = CohortArrays(cohort), CohortArrays(cohort)
    space = build_space(q, row_sets=arrays.row_sets)
    _check(evaluate_space(arrays, q, space), _one_by_one(fresh, q, space, "="))


def test_rows_follow_the_codes() -> None:
    q = Quantity("median", variable="followup", subset=(Condition("before", "<=", 8),))
    arrays = CohortArrays(load_dataset("matsuoka2025"))
    space = build_space(q, row_sets=arrays.row_sets)
    out = space_values(arrays, q, space)
    assert out.numbers.shape == (space.size, 1) and out.failure.shape == (space.size,)
    assert np.all(out.failure == -1)
    assert out.numbers[0, 0] == recompute(arrays, q)


def test_multiverse_frame_is_the_one_by_one_frame() -> None:
    """Before/after: the frame the arrays give, against one built a specification at a time
    (recompute, then Target.check), as the multiverse was built before."""
    import cohort_reanalysis as cr
    from cohort_reanalysis.verification._search import target_of

    cohort = load_dataset("matsuoka2025")
    frame = cr.multiverse(cohort)
    fresh = CohortArrays(cohort)
    claims = checkable_claims(load_claims(dataset_info("matsuoka2025").claims_file).claims)
    rows = []
    for claim in claims:
        space = claim_space(claim, fresh.row_sets, "up_or_down")
        target = target_of(claim)
        assert claim.quantity is not None
        for assign, size in zip(space.assignments, space.departure_counts, strict=True):
            try:
                value = recompute(fresh, claim.quantity, dict(assign), comparator=claim.comparator)
                ok = target.check(value, assign.get(ROUNDING, "up_or_down"))[0]
                failure = None
            except ValueError as err:
                value, ok, failure = math.nan, False, str(err)
            rows.append((claim.id, dict(assign), value, ok, size, failure))
    assert len(frame) == len(rows)
    for (cid, assign, value, ok, size, failure), rec in zip(
        rows, frame.to_dict("records"), strict=True
    ):
        assert rec["claim"] == cid and rec["departures"] == size and rec["failure"] == failure
        assert bool(rec["reproduces"]) == ok and _same(rec["value"], value)
        assert {k: rec[k] for k in assign} == assign
        assert all(
            rec[k] is None
            for k in rec
            if k not in assign
            and k not in ("claim", "value", "reproduces", "departures", "failure")
        )
