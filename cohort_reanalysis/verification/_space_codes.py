"""A claim's declared space as an integer matrix: one row per specification, in search order.

Row ``s``, column ``j`` is the index of specification ``s``'s value of choice ``j`` among
that choice's values (0 = the stated one). :func:`space_codes` builds every combination as
arrays (no Python loop per specification), applies ``ClaimSpace.canonical`` and ``_valid``
as column operations, removes the duplicates and sorts by ``ClaimSpace.sort_key`` (fewest
departures, then departures on earlier choices, then earlier values) with one sort. The
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
    order = _search_order(departures, mask, numbers, sizes) if k else np.arange(codes.shape[0])
    return codes[order], departures[order]


def _search_order(departures: Codes, mask: Codes, numbers: Codes, sizes: Sequence[int]) -> Codes:
    """The order of ``np.lexsort([numbers, -mask, departures])``: fewer departures first,
    then the higher mask, then the lower number.

    The three keys are packed into one int64 when they fit (departures above the mask's
    complement above the number; the numbers are distinct, so any sort gives the same
    order), which a million rows sort in a fifth of lexsort's time.
    """
    multi = sum(1 for size in sizes if size > 1)
    number_bits = max(int(numbers.max(initial=0)).bit_length(), 1)
    if len(sizes).bit_length() + multi + number_bits > 63:
        return np.lexsort([numbers, -mask, departures])
    below = np.int64((1 << multi) - 1) - mask  # a higher mask first
    return np.argsort((departures << (multi + number_bits)) | (below << number_bits) | numbers)


def _bits(sizes: Sequence[int]) -> Codes:
    """The bit of each choice with more than one value, the first the highest; 0 for a
    choice of one value, which never departs (at most 61 others below 2^62 specifications).
    A row's mask is ``departed @ _bits(sizes)``: a sum of distinct powers of two, exact."""
    multi = [j for j, size in enumerate(sizes) if size > 1]
    out = np.zeros(len(sizes), dtype=np.int64)
    for i, j in enumerate(multi):
        out[j] = 1 << (len(multi) - 1 - i)
    return out


def _product_codes(sizes: Sequence[int], total: int) -> tuple[Codes, Codes]:
    """:func:`space_codes` of a full product (no test choices: every combination valid and
    distinct): the codes built at once in the narrowest integer type, choice by choice
    (contiguous), sorted as rows of a few bytes, then widened once."""
    k = len(sizes)
    numbers = np.arange(total, dtype=np.int64)
    if not k:
        return np.empty((total, 0), dtype=np.int64), np.zeros(total, dtype=np.int64)
    narrow = np.min_scalar_type(max(int(z) for z in sizes) - 1)
    by_choice = np.empty((k, total), dtype=narrow)  # a row per choice: written contiguously
    departures = np.zeros(total, dtype=np.int64)
    mask = np.zeros(total, dtype=np.int64)
    bits = _bits(sizes)
    inner = total
    for j, size in enumerate(sizes):
        inner //= int(size)
        # Through an (outer, size, inner) view: no temporary the size of a column.
        view = by_choice[j].reshape(total // (inner * int(size)), int(size), inner)
        view[...] = np.arange(int(size), dtype=narrow)[None, :, None]
        departed = by_choice[j] != 0
        departures += departed
        if bits[j]:
            mask += departed * bits[j]
    order = _search_order(departures, mask, numbers, sizes)
    # Rows of k narrow cells gathered in order (a gather down each of k long columns would
    # touch a cache line per cell), then widened in one pass.
    codes = np.ascontiguousarray(by_choice.T)[order].astype(np.int64)
    return codes, departures[order]
