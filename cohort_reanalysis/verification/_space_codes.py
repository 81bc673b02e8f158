"""A claim's declared space as an integer matrix: one row per specification, in search order.

Row ``s``, column ``j`` is the index of specification ``s``'s value of choice ``j`` among
that choice's values (0 = the stated one). :func:`space_codes` builds every combination as
arrays (no Python loop per specification), applies ``ClaimSpace.canonical`` and ``_valid``
as column operations, removes the duplicates and sorts by ``ClaimSpace.sort_key`` (fewest
departures, then departures on earlier choices, then earlier values) with one lexsort. The
result is the same list, in the same order, as the assignments of ``_space``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ._specification import PAIRING, SIGNED_RANK_LAW, TEST, VARIANCE, Choice

__all__ = ["decode", "encode", "space_codes"]

Codes = npt.NDArray[np.int64]


def encode(codes: Codes, sizes: Sequence[int]) -> Codes:
    """Each row of ``codes`` as one integer (mixed radix ``sizes``, the last digit fastest).

    Examples
    --------
    >>> encode(np.array([[0, 1], [1, 2]]), (2, 3)).tolist()
    [1, 5]
    """
    # Each digit times its place value, in one matrix product (exact: below 2**62).
    place = [math.prod(int(z) for z in sizes[j + 1 :]) for j in range(len(sizes))]
    out: Codes = codes @ np.array(place, dtype=np.int64)
    return out


def decode(numbers: Codes, sizes: Sequence[int]) -> Codes:
    """The inverse of :func:`encode`.

    Examples
    --------
    >>> decode(np.array([1, 5]), (2, 3)).tolist()
    [[0, 1], [1, 2]]
    """
    out = np.empty((numbers.shape[0], len(sizes)), dtype=np.int64)
    if len(sizes):
        for j, digits in enumerate(np.unravel_index(numbers, tuple(int(z) for z in sizes))):
            out[:, j] = digits
    return out


def _all_codes(sizes: Sequence[int], total: int) -> Codes:
    """``decode(arange(total))`` without a division: column j repeats each value for the
    product of the later sizes, and that block for the product of the earlier ones."""
    out = np.empty((total, len(sizes)), dtype=np.int64)
    inner = total
    for j, size in enumerate(sizes):
        inner //= int(size)
        # Written in place through a (outer, size, inner) view: no temporary the size of a
        # column (large fresh arrays cost their page faults).
        view = out[:, j].reshape(total // (inner * int(size)), int(size), inner)
        view[...] = np.arange(int(size), dtype=np.int64)[None, :, None]
    return out


def _is(choice: Choice, value: Any) -> npt.NDArray[np.bool_]:
    return np.array([v == value for v in choice.values], dtype=bool)


def space_codes(choices: Sequence[Choice], *, group_test: bool) -> tuple[Codes, Codes]:
    """``(codes, departures)``: every distinct valid specification in search order, and how
    many choices each departs on.

    Examples
    --------
    >>> a = Choice("a", "x", ("y",), "")
    >>> b = Choice("b", 1, (2, 3), "")
    >>> codes, departures = space_codes([a, b], group_test=False)
    >>> codes.tolist(), departures.tolist()
    ([[0, 0], [1, 0], [0, 1], [0, 2], [1, 1], [1, 2]], [0, 1, 1, 1, 2, 2])
    """
    sizes = [len(c.values) for c in choices]
    k = len(choices)
    total = math.prod(sizes)
    if total >= 2**62:
        raise ValueError(f"a space of {total} specifications is too large to enumerate")
    col = {c.name: j for j, c in enumerate(choices)}
    if not {TEST, PAIRING, VARIANCE, SIGNED_RANK_LAW} & set(col):
        return _product_codes(sizes, total)
    codes = _all_codes(sizes, total)

    def where(name: str, value: Any) -> npt.NDArray[np.bool_]:
        if name not in col:
            return np.zeros(total, dtype=bool)
        j = col[name]
        return _is(choices[j], value)[codes[:, j]]

    keep = np.ones(total, dtype=bool)
    test_t, test_rank = where(TEST, "t"), where(TEST, "rank")
    unpaired = where(PAIRING, "unpaired")
    canonical = False
    if VARIANCE in col:  # as ClaimSpace.canonical: variance applies to an unpaired t only
        codes[~(test_t & (group_test | unpaired)), col[VARIANCE]] = 0
        canonical = True
    if SIGNED_RANK_LAW in col:  # and a signed-rank law to a paired or one-sample rank test
        codes[~test_rank | unpaired, col[SIGNED_RANK_LAW]] = 0
        canonical = True
    # As ClaimSpace._valid: Kruskal-Wallis compares independent groups only.
    keep &= ~(where(TEST, "kruskal") & where(PAIRING, "paired"))
    if canonical or not keep.all():
        numbers = np.unique(encode(codes[keep], sizes))
        codes = decode(numbers, sizes)
    else:  # every combination is valid and distinct, already in the order of its number
        numbers = np.arange(total, dtype=np.int64)
    departed = codes != 0
    departures = departed.sum(axis=1, dtype=np.int64)
    # sort_key: (count, positions of the departures, their value indices). Among sets of
    # departed columns of one size, the sorted tuples of positions compare as the bit masks
    # with column j worth 2^(k-1-j) compare, in reverse (the first column where two sets
    # differ outweighs every later one); among rows departing on the same columns, the
    # tuples of value indices compare as the rows of codes, i.e. as their numbers (the first
    # column most significant).
    mask = departed @ _bits(sizes)
    order = np.lexsort([numbers, -mask, departures]) if k else np.arange(codes.shape[0])
    return codes[order], departures[order]


def _bits(sizes: Sequence[int]) -> Codes:
    """The bit of each choice with more than one value, the first the highest; 0 for a
    choice of one value, which never departs (at most 61 others below 2^62 specifications).
    A row's mask is ``departed @ _bits(sizes)``: a sum of distinct powers of two, exact."""
    multi = [j for j, size in enumerate(sizes) if size > 1]
    out = np.zeros(len(sizes), dtype=np.int64)
    for i, j in enumerate(multi):
        out[j] = 1 << (len(multi) - 1 - i)
    return out


def _digits(sizes: Sequence[int], total: int, j: int) -> Codes:
    """Column ``j`` of ``decode(arange(total))``, by repetition (no division)."""
    inner = math.prod(int(z) for z in sizes[j + 1 :])
    size = int(sizes[j])
    block = np.repeat(np.arange(size, dtype=np.int64), inner)
    return np.tile(block, total // (inner * size))


def _product_codes(sizes: Sequence[int], total: int) -> tuple[Codes, Codes]:
    """:func:`space_codes` of a full product (no test choices: every combination valid and
    distinct), column by column: the sort keys first, then the codes written once, in order
    (a space of 10^6 specifications is not copied)."""
    k = len(sizes)
    numbers = np.arange(total, dtype=np.int64)
    bits = _bits(sizes)
    if total * k <= _SMALL:  # a small space: the codes at once, then sorted
        codes = _all_codes(sizes, total)
        departed = codes != 0
        departures = departed.sum(axis=1, dtype=np.int64)
        mask = departed @ bits
        order = np.lexsort([numbers, -mask, departures]) if k else numbers
        return codes[order], departures[order]
    departures = np.zeros(total, dtype=np.int64)
    mask = np.zeros(total, dtype=np.int64)
    for j in range(k):
        departed_j = _digits(sizes, total, j) != 0
        departures += departed_j
        if bits[j]:
            mask[departed_j] += bits[j]
    order = np.lexsort([numbers, -mask, departures]) if k else numbers
    codes = np.empty((total, k), dtype=np.int64)
    for j in range(k):
        codes[:, j] = _digits(sizes, total, j)[order]
    return codes, departures[order]


#: Up to this many cells, a full product's codes are built at once and copied in order
#: (below a few MB the copy is cheaper than a second pass over the columns).
_SMALL = 2**18
