"""SPRITE against brute force, rsprite2's examples, and a property test.

The oracle lists every multiset of n values on a 1-7 scale with itertools (n <= 12), and
prints each one's mean and sample SD with Python's decimal module: a path independent of
the interval arithmetic, the search and the enumeration under test. Known answers come from
rsprite2 (README, ?set_parameters, ?GRIMMER_test, ?boundary_test, tests/testthat).
"""

from __future__ import annotations

import functools
import itertools
import statistics
from decimal import ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cohort_reanalysis.verification.checks._sprite import SpriteResult, sprite

# ----------------------------------------------------------------------------- oracle


def printed(x: Fraction, decimals: int) -> set[str]:
    """How x prints with ordinary rounding, a tie going either way (x is exact). A negative
    value that rounds to zero prints as "-0.0" or, as much software prints it, "0.0"; zero
    itself may have been a negative zero."""
    step = Decimal(1).scaleb(-decimals)
    with localcontext() as ctx:
        ctx.prec = 60
        d = Decimal(x.numerator) / Decimal(x.denominator)
        out = {
            f"{d.quantize(step, rounding=r):.{decimals}f}" for r in (ROUND_HALF_UP, ROUND_HALF_DOWN)
        }
        zeros = {t.lstrip("-") for t in out if Decimal(t) == 0}
        return out | zeros | {"-" + t for t in zeros if x == 0}  # -0.0 is a zero too


def printed_sd(variance: Fraction, decimals: int) -> set[str]:
    step = Decimal(1).scaleb(-decimals)
    with localcontext() as ctx:
        ctx.prec = 60  # exact whenever the SD is a tie: a tie has a short expansion
        d = (Decimal(variance.numerator) / Decimal(variance.denominator)).sqrt()
        return {
            f"{d.quantize(step, rounding=r):.{decimals}f}" for r in (ROUND_HALF_UP, ROUND_HALF_DOWN)
        }


def prints_as(sample: np.ndarray, mean: str, sd: str) -> bool:
    n, s, q = len(sample), int(sample.sum()), int((sample.astype(object) ** 2).sum())
    m_dp = len(mean.split(".")[1]) if "." in mean else 0
    s_dp = len(sd.split(".")[1]) if "." in sd else 0
    variance = (Fraction(q) - Fraction(s * s, n)) / (n - 1)
    return mean in printed(Fraction(s, n), m_dp) and sd in printed_sd(variance, s_dp)


@functools.cache
def moments(n: int) -> dict[tuple[int, int], int]:
    """(sum, sum of squares) -> how many multisets of n values on 1-7 have them."""
    out: dict[tuple[int, int], int] = {}
    for combo in itertools.combinations_with_replacement(range(1, 8), n):
        key = (sum(combo), sum(x * x for x in combo))
        out[key] = out.get(key, 0) + 1
    return out


def pairs(s: int, q: int, n: int) -> set[tuple[str, str]]:
    variance = (Fraction(q) - Fraction(s * s, n)) / (n - 1)
    return set(itertools.product(printed(Fraction(s, n), 2), printed_sd(variance, 2)))


@functools.cache
def brute_force(n: int) -> dict[tuple[str, str], int]:
    """(mean, SD) printed to 2 decimals -> how many multisets of n values on 1-7 print so."""
    out: dict[tuple[str, str], int] = {}
    for (s, q), count in moments(n).items():
        for pair in pairs(s, q, n):
            out[pair] = out.get(pair, 0) + count
    return out


@functools.cache
def gap_pairs(n: int) -> frozenset[tuple[str, str]]:
    """Printed pairs that GRIMMER and the spread bounds allow but no sample has: from a sum
    of squares of the right parity between the least and the most any sample with that sum
    has, that no sample has, printed in a way no sample prints."""
    have = moments(n)
    spread: dict[int, list[int]] = {}
    for s, q in have:
        spread.setdefault(s, []).append(q)
    out: set[tuple[str, str]] = set()
    for s, qs in spread.items():
        for q in range(min(qs), max(qs) + 1, 2):
            if (s, q) not in have:
                out |= pairs(s, q, n) - brute_force(n).keys()
    return frozenset(out)


def gaps() -> list[tuple[str, str, int]]:
    return [(m, d, n) for n in range(3, 13) for m, d in sorted(gap_pairs(n))][::20]


def cases(count: int, seed: int) -> list[tuple[str, str, int]]:
    """Printed (mean, SD, n) on a 1-7 scale, n <= 12: from real samples, some nudged by one
    or two in the last digit (often impossible), some drawn at random."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        n = int(rng.integers(2, 13))
        x = rng.integers(1, 8, size=n)
        mean, sd = float(x.mean()), float(x.std(ddof=1))
        kind = rng.integers(4)
        if kind == 1:
            sd += float(rng.choice([-0.02, -0.01, 0.01, 0.02]))
        elif kind == 2:
            mean += float(rng.choice([-0.01, 0.01]))
        elif kind == 3:
            mean, sd = float(rng.uniform(1, 7)), float(rng.uniform(0, 3.2))
        out.append((f"{mean:.2f}", f"{max(sd, 0):.2f}", n))
    return out


# ----------------------------------------------------------------------------- exactness


@pytest.mark.parametrize(("mean", "sd", "n"), cases(250, seed=20))
def test_sprite_decides_exactly_as_brute_force(mean: str, sd: str, n: int) -> None:
    expected = brute_force(n).get((mean, sd), 0)
    r = sprite(mean, sd, n, bounds=(1, 7), n_solutions=3, seed=n)
    assert r.exists is (expected > 0), r.reason  # never None: the space is small
    assert len(r.solutions) == min(3, expected)
    if r.n_possible is not None:
        assert r.n_possible == expected
    for sample in r.solutions:
        assert prints_as(sample, mean, sd)


@pytest.mark.parametrize(("mean", "sd", "n"), cases(250, seed=21))
def test_search_alone_finds_a_sample_whenever_one_exists(mean: str, sd: str, n: int) -> None:
    expected = brute_force(n).get((mean, sd), 0)
    r = sprite(mean, sd, n, bounds=(1, 7), seed=n, exhaustive=False)
    if expected:
        assert r.exists is True and r.method == "search", r.reason
        assert prints_as(r.solutions[0], mean, sd)
    else:  # without enumeration the bounds prove it, unless only a gap in Q prints so
        assert (r.exists is False) == ((mean, sd) not in gap_pairs(n)), r.reason
        assert (r.exists is False) == (r.method == "analytic")


def test_enumeration_counts_every_sample() -> None:
    # max_iterations=0: enumeration alone, asked for more samples than exist.
    for n in (8, 12):
        table = brute_force(n)
        picked = sorted(k for k, count in table.items() if 2 <= count <= 40)[::97]
        assert len(picked) >= 3
        for mean, sd in picked:
            r = sprite(mean, sd, n, bounds=(1, 7), n_solutions=10**6, max_iterations=0)
            assert r.n_possible == table[(mean, sd)] == len(r.solutions)
            assert len({tuple(s) for s in r.solutions}) == len(r.solutions)


@pytest.mark.parametrize(("mean", "sd", "n"), gaps())
def test_enumeration_proves_what_the_bounds_cannot(mean: str, sd: str, n: int) -> None:
    assert brute_force(n).get((mean, sd), 0) == 0
    r = sprite(mean, sd, n, bounds=(1, 7), seed=n)
    assert r.exists is False and r.method == "enumeration", r.reason
    r = sprite(mean, sd, n, bounds=(1, 7), seed=n, exhaustive=False, max_iterations=2000)
    assert r.exists is None


@pytest.mark.parametrize("n", range(2, 13))
def test_search_alone_finds_the_rarest_samples(n: int) -> None:
    table = brute_force(n)
    rare = sorted(k for k, count in table.items() if count <= 2)
    for mean, sd in rare[:: max(1, len(rare) // 40)]:
        r = sprite(mean, sd, n, bounds=(1, 7), seed=1, exhaustive=False)
        assert r.exists is True and r.method == "search", (mean, sd)
        assert prints_as(r.solutions[0], mean, sd)


@pytest.mark.parametrize("rounding", ["up_or_down", "half_up", "half_even", "truncate"])
def test_sd_of_zero(rounding: str) -> None:
    # An unsigned "0.00" stands for (-0.005, 0.005) under half_up: open at the low end, but
    # an SD of exactly 0 (five 4s) still prints as it.
    r = sprite("4.00", "0.00", 5, bounds=(1, 7), rounding=rounding)  # type: ignore[arg-type]
    assert r.exists is True and r.solutions[0].tolist() == [4] * 5
    assert sprite("4.20", "0.00", 5, bounds=(1, 7), rounding=rounding).exists is False  # type: ignore[arg-type]


def test_no_sample_between_the_two_most_spread() -> None:
    # Three values from 1 to 7 adding up to 12: (1, 4, 7) has Q = 66 and the next, (1, 5, 6)
    # and (2, 3, 7), have 62; Q = 64 (SD sqrt(8) = 2.83) passes GRIMMER but has no sample.
    r = sprite("4.00", "2.83", 3, bounds=(1, 7))
    assert r.exists is False and r.method == "enumeration" and r.n_possible == 0
    r = sprite("4.00", "2.83", 3, bounds=(1, 7), exhaustive=False, max_iterations=500)
    assert r.exists is None and r.iterations <= 500 and "no proof" in r.reason


# ----------------------------------------------------------------------------- property


@st.composite
def real_samples(draw: st.DrawFn) -> tuple[np.ndarray, int, int, int, int]:
    low = draw(st.integers(-3, 3))
    high = low + draw(st.integers(1, 8))
    n = draw(st.integers(2, 60))
    x = np.array(draw(st.lists(st.integers(low, high), min_size=n, max_size=n)))
    return x, low, high, draw(st.integers(0, 3)), draw(st.integers(0, 3))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(real_samples(), st.integers(1, 4), st.integers(0, 2**32 - 1), st.integers(0, 3))
def test_every_solution_prints_as_reported(
    drawn: tuple[np.ndarray, int, int, int, int], wanted: int, seed: int, pick: int
) -> None:
    x, low, high, m_dp, s_dp = drawn
    means = sorted(printed(Fraction(int(x.sum()), len(x)), m_dp))
    variance = Fraction(statistics.variance([Fraction(int(v)) for v in x]))
    sds = sorted(printed_sd(variance, s_dp))
    mean, sd = means[pick % len(means)], sds[pick % len(sds)]
    r = sprite(mean, sd, len(x), bounds=(low, high), n_solutions=wanted, seed=seed)
    assert r.exists is not False, r.reason  # x itself is such a sample
    assert len(r.solutions) <= wanted
    assert len({tuple(s) for s in r.solutions}) == len(r.solutions)
    for sample in r.solutions:
        assert sample.dtype.kind == "i" and len(sample) == len(x)
        assert np.all(np.diff(sample) >= 0) and sample[0] >= low and sample[-1] <= high
        assert prints_as(sample, mean, sd)


# ----------------------------------------------------------------------------- rsprite2


@pytest.mark.parametrize(
    ("mean", "sd", "n", "bounds"),
    [
        ("2.2", "1.3", 20, (1, 5)),  # README, ?set_parameters, ?find_possible_distribution
        ("2.20", "1.32", 20, (1, 5)),  # README, two decimals
        ("4", "1.5", 20, (1, 7)),  # ?boundary_test: an SD of 1.5 is within the range
        ("5.21", "1.6", 28, (1, 7)),  # tests: GRIMMER_test(5.21, 1.6, 28) is TRUE
    ],
)
def test_rsprite2_examples_have_samples(
    mean: str, sd: str, n: int, bounds: tuple[int, int]
) -> None:
    r = sprite(mean, sd, n, bounds=bounds, n_solutions=5, seed=1234)
    assert r.exists is True and len(r.solutions) == 5
    assert all(prints_as(s, mean, sd) for s in r.solutions)


@pytest.mark.parametrize(
    ("mean", "sd", "n", "bounds", "why"),
    [
        ("5.19", "1.5", 28, (1, 7), "GRIM"),  # tests: GRIMMER fails because GRIM fails
        ("3.44", "2.47", 18, (1, 7), "GRIMMER"),  # ?GRIMMER_test
        ("4", "3.5", 20, (1, 7), "larger"),  # ?boundary_test: 3.5 is not possible
        ("4", "5", 20, (1, 7), "larger"),  # tests: boundary_test(sd = 5, ...) is FALSE
        ("8", "1.5", 20, (1, 7), "off"),  # tests: a mean off the scale
    ],
)
def test_rsprite2_examples_without_samples(
    mean: str, sd: str, n: int, bounds: tuple[int, int], why: str
) -> None:
    r = sprite(mean, sd, n, bounds=bounds)
    assert r.exists is False and r.method == "analytic" and r.solutions == []
    assert why in r.reason


def test_restrictions() -> None:
    # As rsprite2's restrictions: no 4s, exactly three 5s, both ends of the scale observed;
    # n = 60 is too many to enumerate, so the search has to step around the missing 4.
    r = sprite(
        "3.50",
        "2.00",
        60,
        bounds=(1, 7),
        n_solutions=5,
        seed=5678,
        restrictions_exact={"4": 0, "5": 3},
        restrictions_minimum="range",
    )
    assert r.exists is True and r.method == "search" and len(r.solutions) == 5
    for s in r.solutions:
        assert prints_as(s, "3.50", "2.00")
        assert np.sum(s == 4) == 0 and np.sum(s == 5) == 3
        assert np.sum(s == 1) >= 1 and np.sum(s == 7) >= 1


def test_restrictions_against_brute_force() -> None:
    n = 9  # no 4s and at least two 7s
    allowed = [
        c
        for c in itertools.combinations_with_replacement(range(1, 8), n)
        if c.count(4) == 0 and c.count(7) >= 2
    ]
    table: dict[tuple[str, str], list[tuple[int, ...]]] = {}
    for c in allowed:
        s, q = sum(c), sum(x * x for x in c)
        variance = (Fraction(q) - Fraction(s * s, n)) / (n - 1)
        for pair in itertools.product(printed(Fraction(s, n), 2), printed_sd(variance, 2)):
            table.setdefault(pair, []).append(c)
    fitting = sorted(k for k, v in table.items() if len(v) >= 2)[::40]
    nudged = [(m, f"{float(d) + 0.01:.2f}") for m, d in fitting]
    assert len(fitting) >= 3 and any(pair not in table for pair in nudged)
    for mean, sd in fitting + nudged:
        samples = sorted(table.get((mean, sd), []))
        r = sprite(
            mean,
            sd,
            n,
            bounds=(1, 7),
            n_solutions=10**6,
            restrictions_exact={4: 0},
            restrictions_minimum={7: 2},
        )
        assert r.exists is bool(samples), (mean, sd)
        assert sorted(tuple(int(v) for v in s) for s in r.solutions) == samples
        assert r.n_possible in (None, len(samples))


def test_restrictions_that_fix_the_whole_sample() -> None:
    fixed = {1: 1, 4: 1, 7: 1}
    assert sprite("4.00", "3.00", 3, bounds=(1, 7), restrictions_exact=fixed).exists is True
    assert sprite("4.00", "2.00", 3, bounds=(1, 7), restrictions_exact=fixed).exists is False


# ----------------------------------------------------------------------------- the result


def test_same_seed_same_samples() -> None:
    a = sprite("4.00", "1.50", 50, bounds=(1, 7), n_solutions=4, seed=7)
    b = sprite("4.00", "1.50", 50, bounds=(1, 7), n_solutions=4, seed=np.random.SeedSequence(7))
    assert a.exists is True and len(a.solutions) == 4
    assert [s.tolist() for s in a.solutions] == [s.tolist() for s in b.solutions]


def test_frequencies_is_tidy() -> None:
    r = sprite("2.2", "1.3", 20, bounds=(1, 5), n_solutions=3, seed=1)
    f = r.frequencies()
    assert list(f.columns) == ["solution", "value", "count"] and len(f) == 15
    for i, s in enumerate(r.solutions):
        counts = f[f["solution"] == i].set_index("value")["count"]
        assert counts.to_dict() == {v: int(np.sum(s == v)) for v in range(1, 6)}
    assert sprite("5.19", "1.5", 28, bounds=(1, 7)).frequencies().empty


def test_solutions_are_read_only_and_result_explains() -> None:
    r = sprite("4.0", "4.24", 2, bounds=(1, 7))
    assert isinstance(r, SpriteResult) and r.consistent is True
    assert r.solutions[0].tolist() == [1, 7]
    with pytest.raises(ValueError):
        r.solutions[0][0] = 2
    assert str(r).startswith("sprite: samples exist.")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"mean": "4.0", "sd": "1.0", "n": 1, "bounds": (1, 7)},
        {"mean": "4.0", "sd": "1.0", "n": 10, "bounds": (7, 1)},
        {"mean": "40%", "sd": "1.0", "n": 10, "bounds": (1, 7)},
        {"mean": "4.0", "sd": "-1.0", "n": 10, "bounds": (1, 7)},
        {"mean": "4.0", "sd": "1.0", "n": 10, "bounds": (1, 7), "restrictions_exact": {9: 1}},
        {"mean": "4.0", "sd": "1.0", "n": 10, "bounds": (1, 7), "restrictions_exact": {2: 11}},
        {
            "mean": "4.0",
            "sd": "1.0",
            "n": 10,
            "bounds": (1, 7),
            "restrictions_exact": {2: 1},
            "restrictions_minimum": {2: 1},
        },
        {"mean": "4.0", "sd": "1.0", "n": 10, "bounds": (1, 7), "restrictions_minimum": "ends"},
        {"mean": "4.0", "sd": "1.0", "n": 10, "bounds": (1, 7), "n_solutions": 0},
    ],
)
def test_bad_inputs_raise(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        sprite(**kwargs)  # type: ignore[arg-type]
