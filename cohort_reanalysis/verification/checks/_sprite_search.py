"""The space SPRITE searches: integer samples with a given sum and sum of squares.

A sample is a vector of counts per allowed scale value, on top of fixed counts (the
restrictions). The target is integer: a sum ``s`` and, for each ``s``, a range of sums of
squares ``Q``. Moving one value up by ``d`` and another down by ``d`` keeps the sum and
changes ``Q`` by ``2 d (a - b + d)``, a step known before it is taken; :func:`walk` takes
such steps towards the range, :func:`enumerate_samples` lists every sample that meets it.

Examples
--------
>>> space = Space(3, 1, np.arange(1, 8), np.zeros(7, dtype=np.int64), 3, {12: (66, 66)})
>>> enumerate_samples(space).tolist()  # three values from 1 to 7 with sum 12 and Q = 66
[[1, 0, 0, 1, 0, 0, 1]]
>>> sample((1, 0, 0, 1, 0, 0, 1), space).tolist()
[1, 4, 7]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Space", "enumerate_samples", "multisets", "sample", "search", "walk"]


@dataclass(frozen=True)
class Space:
    """Samples of ``n`` values from ``low`` up: free counts over ``free_values`` on top of
    ``fixed`` counts, meeting one of ``targets``."""

    n: int
    low: int
    free_values: np.ndarray  # the scale values the free part may take, increasing
    fixed: np.ndarray  # fixed counts per scale value from low up (restrictions)
    n_free: int
    targets: dict[int, tuple[int, int]]  # free sum -> free sum of squares, first..last


def multisets(k: int, n: int) -> int:
    """How many multisets of ``n`` values from ``k`` there are."""
    return math.comb(n + k - 1, k - 1) if k else int(n == 0)


def sample(key: tuple[int, ...], space: Space) -> np.ndarray:
    """The sorted sample with the free counts ``key`` and the fixed counts (read-only)."""
    full = space.fixed.copy()
    if key:
        full[space.free_values - space.low] += np.array(key, dtype=np.int64)
    out = np.repeat(np.arange(space.low, space.low + full.size, dtype=np.int64), full)
    out.setflags(write=False)
    return out


# ----------------------------------------------------------------------------- the walk


def moves(values: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every move of one value up by d and another down by d between allowed values.

    Returns index arrays (from_up, to_up, from_down, to_down), whether the two values moved
    start at the same index, and the change of the sum of squares, ``2 d (a - b + d)``.
    """
    index = {int(v): i for i, v in enumerate(values)}
    rows = [
        (i, index[a + d], j, index[b - d], 2 * d * (a - b + d))
        for i, a in enumerate(values.tolist())
        for j, b in enumerate(values.tolist())
        for d in range(1, int(values[-1] - values[0]) + 1)
        if a + d in index and b - d in index and a - b + d != 0  # not a swap
    ]
    up, up_to, down, down_to, dq = np.array(rows, dtype=np.int64).reshape(-1, 5).T
    return up, up_to, down, down_to, (up == down).astype(np.int64), dq


def _start(
    rng: np.random.Generator, values: np.ndarray, n_free: int, total: int, budget: int
) -> tuple[np.ndarray, int]:
    """Random counts with the sum ``total``: random values, then single values moved to
    other allowed values towards the sum (rsprite2's mean adjustment)."""
    k = values.size
    counts = np.bincount(rng.integers(k, size=n_free), minlength=k).astype(np.int64)
    i, j = np.nonzero(~np.eye(k, dtype=bool))
    gap = values[j] - values[i]
    current = int(counts @ values)
    steps = 0
    while current != total and steps < budget:
        need = total - current
        toward = (counts[i] > 0) & (np.sign(gap) == np.sign(need))
        short = toward & (np.abs(gap) <= abs(need))  # not past the sum
        pool = np.flatnonzero(short if short.any() else toward)
        if pool.size == 0:
            break
        m = pool[rng.integers(pool.size)]
        counts[i[m]] -= 1
        counts[j[m]] += 1
        current += int(gap[m])
        steps += 1
    return counts, steps


def walk(
    rng: np.random.Generator, space: Space, table: tuple[np.ndarray, ...], budget: int
) -> tuple[np.ndarray | None, int]:
    """One attempt: a random start with a target sum, then pair moves (from :func:`moves`)
    towards its range of Q. Returns the free counts found (or None) and the steps taken."""
    values = space.free_values
    sums = list(space.targets)
    total = sums[int(rng.integers(len(sums)))]
    q_first, q_last = space.targets[total]
    counts, steps = _start(rng, values, space.n_free, total, budget)
    if int(counts @ values) != total:
        return None, steps
    q = int(counts @ (values * values))
    up, up_to, down, down_to, same, dq = table
    while steps < budget:
        if q_first <= q <= q_last:
            return counts, steps
        allowed = (counts[up] > same) & (counts[down] > 0)
        low_gap, high_gap = q_first - q, q_last - q
        lands = allowed & (dq >= low_gap) & (dq <= high_gap)
        if lands.any():
            pool = np.flatnonzero(lands)
        else:
            # Towards the range without passing it; if none, any move, to leave a dead end.
            toward = allowed & (
                (dq > 0) & (dq < low_gap) if low_gap > 0 else (dq < 0) & (dq > high_gap)
            )
            pool = np.flatnonzero(toward if toward.any() else allowed)
        if pool.size == 0:
            return None, steps
        m = pool[rng.integers(pool.size)]
        counts[up[m]] -= 1
        counts[up_to[m]] += 1
        counts[down[m]] -= 1
        counts[down_to[m]] += 1
        q += int(dq[m])
        steps += 1
    return None, steps


def search(
    rng: np.random.Generator, space: Space, wanted: int, max_iterations: int
) -> tuple[dict[tuple[int, ...], None], int]:
    """Distinct free counts that meet a target (in the order found), and the steps taken.

    Fresh walks until ``wanted`` distinct samples are found or ``max_iterations`` steps are
    spent; as in rsprite2, the search also stops once a new sample has become unlikely
    (more repeats in a row than make missing one less likely than 1 in 100,000).
    """
    found: dict[tuple[int, ...], None] = {}
    table = moves(space.free_values)
    per_attempt = max(200, 4 * space.n_free * space.free_values.size)
    steps = repeats = 0
    while len(found) < wanted and steps < max_iterations:
        counts, used = walk(rng, space, table, min(per_attempt, max_iterations - steps))
        steps += max(used, 1)
        if counts is None:
            continue
        key = tuple(counts.tolist())
        if key not in found:
            found[key] = None
            continue
        repeats += 1
        if repeats > max(100, round(math.log(1e-5) / math.log(len(found) / (len(found) + 1)))):
            break
    return found, steps


# ----------------------------------------------------------------------------- enumeration


def enumerate_samples(space: Space) -> np.ndarray:
    """Every vector of free counts that meets a target, one row each (CLOSURE-style).

    Counts are laid down one scale value at a time for all partial samples at once; a
    partial sample whose sum can no longer reach a target sum is dropped on the way.
    """
    values = space.free_values
    s_low, s_high = min(space.targets), max(space.targets)
    counts = np.zeros((1, 0), dtype=np.int64)
    remaining = np.array([space.n_free], dtype=np.int64)
    partial = np.zeros(1, dtype=np.int64)
    for j in range(values.size - 1):
        reps = remaining + 1  # each partial sample gets 0..remaining of this value
        owner = np.repeat(np.arange(remaining.size), reps)
        k = np.arange(owner.size) - np.repeat(np.cumsum(reps) - reps, reps)
        rest = remaining[owner] - k
        part = partial[owner] + k * values[j]
        keep = (part + rest * values[j + 1] <= s_high) & (part + rest * values[-1] >= s_low)
        counts = np.column_stack([counts[owner[keep]], k[keep]])
        remaining, partial = rest[keep], part[keep]
    counts = np.column_stack([counts, remaining])  # the rest take the last value
    sums = counts @ values
    squares = counts @ (values * values)
    first = np.ones(s_high - s_low + 1, dtype=np.int64)  # first > last: no target
    last = np.zeros(s_high - s_low + 1, dtype=np.int64)
    for s, (q_first, q_last) in space.targets.items():
        first[s - s_low], last[s - s_low] = q_first, q_last
    inside = (sums >= s_low) & (sums <= s_high)
    offset = np.where(inside, sums - s_low, 0)
    return counts[inside & (squares >= first[offset]) & (squares <= last[offset])]
