"""What the summary-check benchmark runs on (issue 20): a table of reported means, a SPRITE
case, and the plain loops each fast path is timed beside.

The plain loops are written the obvious way, one case at a time in Python, so that they
give the same answers as the library (the benchmark asserts it): GRIM as the textbook check
(the nearest totals ``floor(x n)`` and ``ceil(x n)``, divided by ``n``, within half a step
of the printed mean; exact fractions, so that ties are admitted both ways, as the library's
default ``up_or_down`` admits them), and SPRITE as a random walk of the sample (one value
up, one down, keeping the sum) until its SD prints as reported.
"""

from __future__ import annotations

import math
import random
import statistics
from fractions import Fraction

import numpy as np

#: The SPRITE case: n = 50 on a 1-7 scale.
SPRITE_CASE = {"mean": "4.12", "sd": "1.53", "n": 50, "bounds": (1, 7)}


def grim_table(rows: int, seed: int = 0) -> tuple[list[str], np.ndarray]:
    """``rows`` printed means with two decimals and their n (5 to 99): half of them means
    that n whole numbers give (ties among them), half random values on a 1-7 scale."""
    rng = np.random.default_rng(seed)
    n = rng.integers(5, 100, rows)
    exact = rng.integers(n, 7 * n) / n
    value = np.where(rng.random(rows) < 0.5, exact, rng.uniform(1, 7, rows))
    return [f"{v:.2f}" for v in value.tolist()], n


def textbook_grim(mean: str, n: int) -> bool | None:
    """Brown and Heathers' check, one case: None where every mean is possible."""
    decimals = len(mean.partition(".")[2])
    if n >= 10**decimals:
        return None
    x = Fraction(mean)
    half_step = Fraction(1, 2 * 10**decimals)
    return any(abs(Fraction(s, n) - x) <= half_step for s in (math.floor(x * n), math.ceil(x * n)))


def grim_loop(means: list[str], ns: np.ndarray) -> list[bool | None]:
    return [textbook_grim(m, n) for m, n in zip(means, ns.tolist(), strict=True)]


def _prints_as(value: float, text: str) -> bool:
    decimals = len(text.partition(".")[2])
    return abs(value - float(text)) <= 0.5 * 10**-decimals * (1 + 1e-12)


def plain_sprite(
    mean: str, sd: str, n: int, bounds: tuple[int, int], *, seed: int, max_steps: int = 100_000
) -> list[int] | None:
    """The obvious SPRITE: a sample with the right sum, then random moves of one value up
    and another down until the SD prints as ``sd``; None if ``max_steps`` run out."""
    low, high = bounds
    rng = random.Random(seed)
    total = round(Fraction(mean) * n)
    if not _prints_as(total / n, mean):
        return None
    sample = [total // n] * n
    for i in rng.sample(range(n), total - sum(sample)):
        sample[i] += 1
    target = float(sd)
    for _ in range(max_steps):
        current = statistics.stdev(sample)
        if _prints_as(current, sd):
            return sorted(sample)
        i, j = rng.sample(range(n), 2)  # two different values
        a, b = sample[i], sample[j]
        if current < target and a <= b and a > low and b < high:
            sample[i], sample[j] = a - 1, b + 1  # spread out
        elif current > target and a < b - 1:
            sample[i], sample[j] = a + 1, b - 1  # draw in
    return None


def sprite_answer_holds(
    sample: object, mean: str, sd: str, n: int, bounds: tuple[int, int]
) -> bool:
    """A solution is n integers within the bounds whose mean and SD print as reported."""
    values = [int(v) for v in np.asarray(sample).tolist()]
    return (
        len(values) == n
        and all(bounds[0] <= v <= bounds[1] for v in values)
        and _prints_as(sum(values) / n, mean)
        and _prints_as(statistics.stdev(values), sd)
    )
