"""SPRITE: integer samples on a bounded scale that have a printed mean and SD.

SPRITE (Heathers, Anaya, van der Zee & Brown 2018, "Recovering data from summary statistics:
Sample Parameter Reconstruction via Iterative TEchniques", PeerJ Preprints 6:e26968) searches
for whole-number samples that reproduce a reported mean, SD and n on a scale such as 1-7, as
rsprite2 (Lukas Wallrich) does in ``find_possible_distribution()``: start from a random
sample with the right sum, then move pairs of values, one up and one down, so that the sum
stays and the SD approaches its target.

Here the printed mean and SD are read as exact rounding intervals (as GRIM and GRIMMER read
them), which turns the target into integers: a sum ``s`` whose mean ``s / n`` prints as the
mean, and a sum of squares ``Q`` with ``(Q - s**2 / n) / (n - 1)`` in the SD's squared
interval. A sample is a vector of counts per scale value; each pair move changes ``Q`` by a
known even step, so the walk picks, among the moves the counts allow, one that lands in the
target or moves towards it without passing it. Candidates that no sample can reach (GRIM,
the parity of ``Q``, the least and most spread samples with that sum) are ruled out first,
which proves that no sample exists; when the whole space of samples is small it is
enumerated (as CLOSURE does), which proves it either way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

import numpy as np

from .._interval import interval
from .._reported import ReportedNumber, parse_number
from .._rounding import Rounding, Rule, rules
from ._shared import (
    max_sum_of_squares,
    min_sum_of_squares,
    whole,
    whole_numbers_between,
    whole_numbers_in,
)
from ._sprite_search import Space, enumerate_samples, multisets, sample, search

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["EXHAUSTIVE_LIMIT", "SpriteResult", "sprite"]

#: Samples are enumerated outright when there are at most this many multisets of n values
#: on the free part of the scale (n = 20 on a 1-7 scale has 230,230).
EXHAUSTIVE_LIMIT = 250_000

# More candidate sums than this and the printed mean says next to nothing about the data.
_MAX_SUMS = 100_000

Method = Literal["analytic", "search", "enumeration"]
Seed = int | np.random.SeedSequence | np.random.Generator | None
#: Counts per scale value, keyed by the value or its digits (as rsprite2 names them).
Counts = Mapping[int, int] | Mapping[str, int]


@dataclass(frozen=True, eq=False)
class SpriteResult:
    """What :func:`sprite` found.

    Attributes
    ----------
    exists : bool or None
        True if a sample was found, False if it is proved that none exists (by the GRIM,
        parity and spread bounds, or by enumerating every sample), None if the search gave
        up without proof either way.
    solutions : list of numpy.ndarray
        Distinct samples, each sorted, of length n, integers within the bounds, whose mean
        and SD print as reported (read-only arrays); at most ``n_solutions`` of them.
    reason : str
        Plain sentences: what was found, and how.
    mean, sd : str
        The printed mean and SD.
    n : int
        Sample size.
    bounds : tuple of int
        The scale's lowest and highest value.
    method : {"analytic", "search", "enumeration"}
        What settled the answer: the bounds alone, the random search, or enumeration.
    iterations : int
        Steps the random search took (moves of one or two values).
    n_possible : int or None
        How many distinct samples there are, when enumeration counted them.

    Examples
    --------
    >>> r = sprite("2.2", "1.3", 20, bounds=(1, 5), seed=1)
    >>> r.exists, len(r.solutions[0]), r.consistent
    (True, 20, True)
    """

    exists: bool | None
    solutions: list[np.ndarray]
    reason: str
    mean: str
    sd: str
    n: int
    bounds: tuple[int, int]
    method: Method
    iterations: int
    n_possible: int | None = None

    @property
    def consistent(self) -> bool | None:
        """``exists``, under the name the summary checks use."""
        return self.exists

    def frequencies(self) -> pd.DataFrame:
        """Counts per scale value for each solution, as a tidy table.

        One row per solution and scale value (zeros included): ``solution`` (0, 1, ...),
        ``value``, ``count``; what a histogram of the solutions draws.

        Examples
        --------
        >>> r = sprite("4.0", "4.24", 2, bounds=(1, 7))  # only 1 and 7 are that far apart
        >>> r.frequencies()["count"].tolist()
        [1, 0, 0, 0, 0, 0, 1]
        """
        import pandas as pd

        low, high = self.bounds
        scale = np.arange(low, high + 1)
        counts = [np.bincount(s - low, minlength=scale.size) for s in self.solutions]
        return pd.DataFrame(
            {
                "solution": np.repeat(np.arange(len(counts)), scale.size),
                "value": np.tile(scale, len(counts)),
                "count": np.concatenate(counts) if counts else np.array([], dtype=np.int64),
            }
        )

    def explain(self) -> str:
        """The answer and its reasons in plain language."""
        status = {True: "samples exist", False: "no sample exists", None: "undecided"}
        return f"sprite: {status[self.exists]}. {self.reason}"

    def __str__(self) -> str:
        return self.explain()


# ----------------------------------------------------------------------------- the problem


def _scale_value(key: object, low: int, high: int, name: str) -> int:
    if isinstance(key, (bool, float)) or not isinstance(key, (int, str, np.integer)):
        raise ValueError(f"{name}: a scale value must be a whole number, got {key!r}")
    try:
        value = int(key)
    except ValueError:
        raise ValueError(f"{name}: a scale value must be a whole number, got {key!r}") from None
    if not low <= value <= high:
        raise ValueError(f"{name}: {value} lies off the scale from {low} to {high}")
    return value


def _restrictions(
    exact: Counts | None,
    minimum: Counts | Literal["range"] | None,
    low: int,
    high: int,
    n: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Fixed counts per scale value, and the values the free part may take."""
    fixed = np.zeros(high - low + 1, dtype=np.int64)
    free = np.ones(high - low + 1, dtype=bool)
    if isinstance(minimum, str):
        if minimum != "range":
            raise ValueError(
                f"restrictions_minimum: expected a mapping or 'range', got {minimum!r}"
            )
        minimum = {low: 1, high: 1}
    seen: set[int] = set()
    for name, given, is_exact in (
        ("restrictions_exact", exact, True),
        ("restrictions_minimum", minimum, False),
    ):
        for key, count in (given or {}).items():
            value = _scale_value(key, low, high, name)
            if value in seen:
                raise ValueError(f"{name}: more than one restriction for the value {value}")
            seen.add(value)
            fixed[value - low] = whole(count, f"{name}[{value}]", minimum=0)
            free[value - low] = not is_exact
    if fixed.sum() > n:
        raise ValueError(f"the restrictions fix {fixed.sum()} values, more than n = {n}")
    if fixed.sum() < n and not free.any():
        raise ValueError(
            f"the restrictions fix every scale value but only {fixed.sum()} of n = {n}"
        )
    return fixed, np.flatnonzero(free) + low


def _sd_from(q: int | Fraction, s: int, n: int) -> float:
    return math.sqrt(max(float((q - Fraction(s * s, n)) / (n - 1)), 0.0))


def _fmt(x: float) -> str:
    return f"{x:.4g}"


# ----------------------------------------------------------------------------- sprite


def sprite(
    mean: str,
    sd: str,
    n: int | str,
    *,
    bounds: tuple[int, int],
    n_solutions: int = 1,
    seed: Seed = None,
    restrictions_exact: Counts | None = None,
    restrictions_minimum: Counts | Literal["range"] | None = None,
    max_iterations: int = 20_000,
    exhaustive: bool | None = None,
    rounding: Rounding = "up_or_down",
    threshold: float | None = None,
    symmetric: bool | None = None,
) -> SpriteResult:
    """SPRITE: find whole-number samples on a scale whose mean and SD print as reported.

    The mean is GRIM-checked first, and each sum that fits it is paired with the sums of
    squares that give an SD in the SD's rounding interval, of the right parity, and within
    the least and most spread samples with that sum on the scale (GRIMMER's tests); if no
    pair survives, no sample exists. Otherwise a seeded random search starts from random
    samples with a fitting sum and moves pairs of values (one up, one down) towards the SD,
    as rsprite2's ``find_possible_distribution()`` does, until it has ``n_solutions``
    distinct samples or has taken ``max_iterations`` steps. When it falls short and the
    space of samples is small (at most ``EXHAUSTIVE_LIMIT`` = 250,000 multisets), every sample is
    enumerated, which settles whether any exists and how many there are.

    Parameters
    ----------
    mean, sd : str
        As printed; their decimals, trailing zeros included, are their precision. The SD is
        the sample SD (divisor ``n - 1``).
    n : int
        Sample size, at least 2.
    bounds : (int, int)
        The scale's lowest and highest value, e.g. ``(1, 7)``.
    n_solutions : int
        How many distinct samples to look for.
    seed : int, SeedSequence, Generator or None
        For :func:`numpy.random.default_rng`; the same seed gives the same samples.
    restrictions_exact : mapping of scale value to count, optional
        Values that occur exactly this often (``{3: 0}``: no 3s), as in rsprite2.
    restrictions_minimum : mapping of scale value to count, or "range", optional
        Values that occur at least this often; ``"range"`` means each end of the scale
        occurs at least once (the bounds are the observed range).
    max_iterations : int
        Steps the random search may take in all before it gives up.
    exhaustive : bool or None
        True: enumerate whenever the search falls short, however large the space (time and
        memory grow with it); False: never enumerate; None (default): enumerate small
        spaces only.
    rounding : str
        Rounding procedure assumed for the mean and SD: any name of ``_rounding``'s table.
    threshold, symmetric : optional
        For the procedures that take them (scrutiny's ``threshold`` and ``symmetric``; see
        ``_rounding``).

    Returns
    -------
    SpriteResult

    Examples
    --------
    rsprite2's example; sums of 43 to 45 give means of 2.15 to 2.25, which all print as 2.2:

    >>> r = sprite("2.2", "1.3", 20, bounds=(1, 5), n_solutions=3, seed=2)
    >>> r.exists, len(r.solutions), [float(s.mean()) for s in r.solutions]
    (True, 3, [2.25, 2.25, 2.2])
    >>> sprite("5.19", "1.50", 28, bounds=(1, 7)).exists  # GRIM: 145/28 and 146/28 only
    False
    >>> r = sprite("4.0", "3.5", 20, bounds=(1, 7))  # more spread than 1-7 allows
    >>> r.exists, r.method
    (False, 'analytic')
    """
    m, s_printed = parse_number(mean), parse_number(sd)
    if m.is_percent or s_printed.is_percent:
        raise ValueError(
            f"SPRITE takes a mean and SD, not per-cents: {m.text!r}, {s_printed.text!r}"
        )
    if s_printed.value < 0:
        raise ValueError(f"an SD cannot be negative: {s_printed.text!r}")
    n = whole(n, "n", minimum=2)
    low, high = (whole(b, "bounds", minimum=-(10**9)) for b in bounds)
    if low >= high:
        raise ValueError(f"bounds go from a lower to a higher value, got {bounds!r}")
    n_solutions = whole(n_solutions, "n_solutions", minimum=1)
    max_iterations = whole(max_iterations, "max_iterations", minimum=0)
    fixed, values = _restrictions(restrictions_exact, restrictions_minimum, low, high, n)
    what = f"{n} values from {low} to {high} with mean {m.text} and SD {s_printed.text}"

    def answer(
        exists: bool | None,
        reason: str,
        method: Method,
        solutions: list[np.ndarray] | None = None,
        iterations: int = 0,
        n_possible: int | None = None,
    ) -> SpriteResult:
        return SpriteResult(
            exists,
            solutions or [],
            reason,
            m.text,
            s_printed.text,
            n,
            (low, high),
            method,
            iterations,
            n_possible,
        )

    how = rules(rounding, threshold=threshold, symmetric=symmetric)
    space = _targets(m, s_printed, n, low, high, fixed, values, how)
    if isinstance(space, str):
        return answer(False, space, "analytic")
    size = multisets(values.size, space.n_free)
    small = size <= EXHAUSTIVE_LIMIT
    enumerable = exhaustive is True or (exhaustive is None and small)
    if small and exhaustive is not False:  # enumerating is then cheaper than a long search
        max_iterations = min(max_iterations, max(400, 8 * space.n_free * values.size))

    if not space.n_free:  # the restrictions fix the whole sample, and it fits
        return answer(
            True, f"The restrictions fix the sample of {what}.", "analytic", [sample((), space)]
        )
    rng = np.random.default_rng(seed)
    found, steps = search(rng, space, n_solutions, max_iterations)
    searched = len(found)
    n_possible: int | None = None
    if len(found) < n_solutions and enumerable:
        every = enumerate_samples(space)
        n_possible = len(every)
        if n_possible == 0:
            return answer(
                False,
                f"No sample of {what} exists: all {size:,} samples on the scale's free "
                "values were enumerated and none fits.",
                "enumeration",
                iterations=steps,
                n_possible=0,
            )
        for row in every[rng.permutation(n_possible)]:
            if len(found) >= n_solutions:
                break
            found.setdefault(tuple(row.tolist()), None)

    solutions = [sample(key, space) for key in found]
    if not solutions:
        return answer(
            None,
            f"No sample of {what} was found in {steps:,} steps of the search; with "
            f"{size:,} possible samples they were not enumerated, so this is no proof that "
            "none exists (raise max_iterations, or pass exhaustive=True).",
            "search",
            iterations=steps,
        )
    plural = "s" if len(solutions) > 1 else ""
    reason = f"Found {len(solutions)} distinct sample{plural} of {what}"
    if n_possible is None:
        reason += f" in {steps:,} steps of the search."
        if len(solutions) < n_solutions:
            reason += f" Fewer than the {n_solutions} asked for: more may exist."
    else:
        by_search = f"{searched} by the search in {steps:,} steps, the rest " if searched else ""
        reason += (
            f" ({by_search}by enumerating all {size:,} samples); there are {n_possible:,} in all."
        )
    method: Method = "search" if n_possible is None else "enumeration"
    return answer(True, reason, method, solutions, steps, n_possible)


def _targets(
    m: ReportedNumber,
    sd: ReportedNumber,
    n: int,
    low: int,
    high: int,
    fixed: np.ndarray,
    values: np.ndarray,
    rounding: tuple[Rule, ...],
) -> Space | str:
    """The (sum, sum of squares) targets a sample must meet, or why none can be met.

    GRIM gives the sums; for each, the SD's interval gives a range of sums of squares ``Q``,
    narrowed to the parity of the sum (``x**2`` and ``x`` are both odd or both even) and to
    the least and most spread free parts with that sum (a relaxation when restrictions take
    values out of the middle of the scale, so still a proof when it rules a sum out).
    """
    scale = np.arange(low, high + 1, dtype=np.int64)
    n_free = n - int(fixed.sum())
    fixed_sum, fixed_squares = int(fixed @ scale), int(fixed @ (scale * scale))
    mean_iv = interval(m, rounding=rounding)
    first, last = whole_numbers_in(mean_iv, n)
    if first > last:
        return (
            f"Mean {m.text} is impossible for {n} whole numbers (GRIM): no sum over {n} gives "
            f"a mean in {mean_iv}."
        )
    v_low, v_high = (int(values[0]), int(values[-1])) if n_free else (0, 0)
    first = max(first, fixed_sum + n_free * v_low)
    last = min(last, fixed_sum + n_free * v_high)
    if first > last:
        by = "the scale" + (" and the restrictions" if fixed.any() else "")
        return f"Mean {m.text} lies off what {by} allow for {n} values from {low} to {high}."
    if last - first + 1 > _MAX_SUMS:
        raise ValueError(
            f"SPRITE would have to try {last - first + 1} sums for mean {m.text} with n = {n}; "
            "the printed precision is too coarse for this n"
        )
    sd_iv = interval(sd, rounding=rounding)
    sd_low, sd_high = max(Fraction(sd_iv.low), Fraction(0)), Fraction(sd_iv.high)
    low_closed = sd_iv.low_closed or sd_iv.low <= 0  # an SD is never negative: clamp at 0
    targets: dict[int, tuple[int, int]] = {}
    least, most = math.inf, -math.inf
    for s in range(first, last + 1):
        base = Fraction(s * s, n)
        q_first, q_last = whole_numbers_between(
            base + (n - 1) * sd_low**2, base + (n - 1) * sd_high**2, low_closed, sd_iv.high_closed
        )
        q_first += (q_first - s) % 2
        q_last -= (q_last - s) % 2
        free_sum = s - fixed_sum
        spread_low = spread_high = fixed_squares
        if n_free:
            spread_low += min_sum_of_squares(free_sum, n_free)
            spread_high += max_sum_of_squares(free_sum, n_free, v_low, v_high)
        least = min(least, _sd_from(spread_low, s, n))
        most = max(most, _sd_from(spread_high, s, n))
        q_first, q_last = max(q_first, spread_low), min(q_last, spread_high)
        if q_first <= q_last:
            targets[free_sum] = (q_first - fixed_squares, q_last - fixed_squares)
    if targets:
        return Space(n, low, values, fixed, n_free, targets)
    what = f"{n} values from {low} to {high} with mean {m.text} and SD {sd.text}"
    if sd_high < Fraction(least) or (sd_high == Fraction(least) and not sd_iv.high_closed):
        why = f"SD {sd.text} is smaller than such samples can have (at least {_fmt(least)})"
    elif sd_low > Fraction(most) or (sd_low == Fraction(most) and not low_closed):
        why = f"SD {sd.text} is larger than such samples can have (at most {_fmt(most)})"
    else:
        why = f"no whole-number sum of squares of the right parity gives an SD in {sd_iv}"
    return f"No sample of {what} exists (GRIMMER): {why}."
