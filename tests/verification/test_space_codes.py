"""The space as an integer matrix: the same specifications, in the same order, as the
per-specification enumeration it replaced (kept here as the oracle)."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

from cohort_reanalysis.cohort import dataset_info, list_datasets
from cohort_reanalysis.verification._row_sets import ALL_ROWS, RowSet
from cohort_reanalysis.verification._space import ClaimSpace, build_space
from cohort_reanalysis.verification._space_codes import decode, encode
from cohort_reanalysis.verification.claims import Condition, Method, Quantity, load_claims

ROWS = (
    RowSet(ALL_ROWS),
    RowSet("without rows 5-7", (5, 6, 7), "merged"),
    RowSet("without rows 9", (9,), "header"),
)


def _old_assignments(space: ClaimSpace) -> list[dict[str, Any]]:
    """The enumeration before the codes: itertools.product, canonical, valid, sort_key."""
    seen: set[tuple[Any, ...]] = set()
    out: list[dict[str, Any]] = []
    for combo in itertools.product(*(c.values for c in space.choices)):
        values = space.canonical(dict(zip(space.names, combo, strict=True)))
        if not space._valid(values):
            continue
        key = tuple(values.values())
        if key in seen:
            continue
        seen.add(key)
        out.append(values)
    return [v for _, v in sorted(((space.sort_key(v), v) for v in out), key=lambda kv: kv[0])]


def _quantities() -> list[Quantity]:
    sub = (Condition("before", "<=", 8), Condition("dose", ">", 100))
    groups = ((Condition("dose", "<", 500),), (Condition("dose", ">=", 500),))
    qs = [
        Quantity("median", variable="followup", subset=sub),
        Quantity("sd", variable="before"),
        Quantity("pvalue", subset=sub),
        Quantity("pvalue", variable="change", groups=groups),
        Quantity("pvalue", variable="age", method=Method(test="signed_rank")),
        Quantity("ci", subset=sub),
        Quantity("ci", variable="change", groups=groups, method=Method(test="welch_t")),
        Quantity("statistic", method=Method(test="wilcoxon")),
        Quantity("effect_size", subset=sub),
        Quantity("correlation", x="followup", y="change"),
        Quantity("pvalue", x="followup", y="change"),
        Quantity("percent_change", subset=sub),
        Quantity("proportion", condition=Condition("change", "<", 0), subset=sub),
        Quantity("n", subset=sub),
    ]
    for name in list_datasets():
        info = dataset_info(name)
        if info.claims_file is None:
            continue
        try:
            claims = load_claims(info.claims_file)
        except Exception:  # a summary-level claims file: no quantities
            continue
        qs += [c.quantity for c in claims.claims if c.quantity is not None]
    return qs


@pytest.mark.parametrize("comparator", ["=", "<"])
def test_codes_give_the_old_assignments_in_the_old_order(comparator: str) -> None:
    for q in _quantities():
        space = build_space(q, comparator=comparator, row_sets=ROWS)
        old = _old_assignments(space)
        assert [dict(a) for a in space.assignments] == old, q
        assert list(space.departure_counts) == [space.sort_key(a)[0] for a in old]


def test_codes_index_the_choice_values() -> None:
    q = Quantity("median", variable="followup", subset=(Condition("before", "<=", 8),))
    space = build_space(q, row_sets=ROWS)
    assert space.codes.shape == (space.size, len(space.choices))
    assert space.codes[0].tolist() == [0] * len(space.choices)  # the stated method first
    for row, assign in zip(space.codes, space.assignments, strict=True):
        assert {c.name: c.values[i] for c, i in zip(space.choices, row, strict=True)} == dict(
            assign
        )


def test_encode_decode_round_trip() -> None:
    sizes = (2, 9, 3, 1, 4)
    codes = np.stack(np.meshgrid(*[np.arange(s) for s in sizes], indexing="ij"), -1)
    codes = codes.reshape(-1, len(sizes))
    numbers = encode(codes, sizes)
    assert numbers.tolist() == list(range(int(np.prod(sizes))))
    assert (decode(numbers, sizes) == codes).all()


def test_a_full_product_by_columns_is_the_product_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from cohort_reanalysis.verification import _space_codes

    sizes = [2, 3, 1, 4, 2, 9]
    total = int(np.prod(sizes))
    small_codes, small_departures = _space_codes._product_codes(sizes, total)
    monkeypatch.setattr(_space_codes, "_SMALL", 0)  # the column-by-column path
    codes, departures = _space_codes._product_codes(sizes, total)
    assert np.array_equal(codes, small_codes) and np.array_equal(departures, small_departures)
    # and both are the general path's (the one with canonical forms and validity)
    full = _space_codes._all_codes(sizes, total)
    assert sorted(map(tuple, codes.tolist())) == sorted(map(tuple, full.tolist()))
