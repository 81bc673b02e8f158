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
    out = np.zeros(codes.shape[0], dtype=np.int64)
    for j, size in enumerate(sizes):
        out = out * int(size) + codes[:, j]
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
    codes = _all_codes(sizes, total)
    col = {c.name: j for j, c in enumerate(choices)}

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
    # (A choice of one value never departs: only the others, at most 61 of them below
    # 2^62 specifications, carry a bit.)
    multi = np.flatnonzero(np.asarray(sizes) > 1)
    mask = np.zeros(codes.shape[0], dtype=np.int64)
    for bit, j in enumerate(multi[::-1].tolist()):
        mask[departed[:, j]] += np.int64(1) << np.int64(bit)
    order = np.lexsort([numbers, -mask, departures]) if k else np.arange(codes.shape[0])
    return codes[order], departures[order]
