"""The space as an integer matrix: the same specifications, in the same order, as the
per-specification enumeration it replaced (kept here as the oracle)."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@pytest.mark.parametrize("sizes", [[2, 3, 1, 4, 2, 9], [1], [300, 2], [2] * 13 + [9, 4, 4], []])
def test_a_full_product_is_every_combination_in_search_order(sizes: list[int]) -> None:
    from cohort_reanalysis.verification import _space_codes

    total = int(np.prod(sizes))
    codes, departures = _space_codes._product_codes(sizes, total)
    # The search order by its definition: every combination (numbered as encode numbers
    # them), fewest departures first, then the higher mask of departed choices, then the
    # lower number (lexsort's keys, last the most significant).
    full = _space_codes._all_codes(sizes, total)
    departed = full != 0
    mask = departed @ _space_codes._bits(sizes)
    order = np.lexsort([np.arange(total), -mask, departed.sum(axis=1)])
    assert codes.dtype == np.int64 and np.array_equal(codes, full[order])
    assert np.array_equal(departures, departed.sum(axis=1)[order])


@given(st.lists(st.integers(1, 4), min_size=1, max_size=6), st.integers(0, 2**62))
@settings(max_examples=200, deadline=None)
def test_the_packed_search_order_is_lexsorts(sizes: list[int], offset: int) -> None:
    from cohort_reanalysis.verification import _space_codes

    rng = np.random.default_rng(len(sizes))
    n = 50
    multi = sum(1 for size in sizes if size > 1)
    departures = rng.integers(0, multi + 1, n)
    mask = rng.integers(0, 2**multi, n)
    numbers = rng.permutation(n).astype(np.int64) + offset % (2**62 - n)  # large: lexsort
    order = _space_codes._search_order(departures, mask, numbers, sizes)
    assert np.array_equal(order, np.lexsort([numbers, -mask, departures]))
