"""GRIM's and GRIMMER's extras: the possible means and SDs, scrutiny's GRIM statistics, per-cents
without a sign, neighbours (``*_map_seq``) and splits of a total n (``*_map_total_n``), each
checked against brute force over small integer samples written here with fractions."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import pytest

from cohort_reanalysis.verification.checks import grim, grimmer
from cohort_reanalysis.verification.checks._grim import grim_probability, grim_ratio
from cohort_reanalysis.verification.checks._sequences import grim_seq, grim_total_n


def prints_as(value: Fraction, text: str) -> bool:
    """Ordinary rounding with a tie either way (up_or_down), by fractions."""
    x = Fraction(text)
    half = Fraction(1, 2 * 10 ** len(text.split(".")[1]))
    return x - half <= value <= x + half


def test_brown_heathers_nearest_means() -> None:
    # Brown & Heathers (2017): 5.19 with n = 28 is impossible; 145/28 and 146/28 are nearest.
    r = grim("5.19", 28)
    assert r.possible_sums == (145, 146)
    assert r.possible_means == ("5.1786", "5.2143")


@pytest.mark.parametrize("n", [7, 12, 28, 33])
@pytest.mark.parametrize("text", ["5.2", "5.19", "5.21", "2.50", "0.8"])
def test_possible_means_are_every_fitting_mean(n: int, text: str) -> None:
    fitting = [k for k in range(0, 10 * n) if prints_as(Fraction(k, n), text)]
    r = grim(text, n)
    if r.consistent is None:
        return
    if fitting:
        assert r.consistent and list(r.possible_sums) == fitting
        for k, shown in zip(fitting, r.possible_means, strict=True):
            assert abs(Fraction(shown) - Fraction(k, n)) <= Fraction(
                1, 2 * 10 ** (len(shown.split(".")[1]))
            )
    else:
        assert r.consistent is False and len(r.possible_means) == 2


def test_grim_statistics_as_scrutiny_documents_them() -> None:
    # scrutiny's examples: "83.29" with n = 21, "5.14" with n = 83, and as a per-cent.
    assert grim_ratio(2, 21) == pytest.approx(0.79)
    assert grim_ratio(2, 83) == pytest.approx(0.17)
    assert grim_ratio(4, 83) == pytest.approx(0.9917)
    assert grim_ratio(2, 120) == pytest.approx(-0.2) and grim_probability(2, 120) == 0.0
    assert grim("83.29", 21).probability == pytest.approx(0.79)
    assert grim("83.29", 21).values["ratio"] == pytest.approx(0.79)
    assert grim("5.14", 83, percent=True).probability == pytest.approx(0.9917)
    assert grim("5.14%", 83).probability == pytest.approx(0.9917)
    assert grim("0.150", 120, items=3).probability == pytest.approx(0.64)
    assert grim("5.19", 169).probability == 0.0  # GRIM does not apply


def test_percent_without_a_sign() -> None:
    # scrutiny's test-grim.R vec4: "519" .. "530" as per-cents of 28.
    texts = [str(k) for k in range(519, 531)]
    expected = [k in (521, 525, 529) for k in range(519, 531)]
    assert [grim(t, 28, percent=True).consistent for t in texts] == expected
    with pytest.raises(ValueError, match="percent"):
        grim("5.19", 28, percent="yes")  # type: ignore[arg-type]


def sample_sd(xs: tuple[int, ...]) -> float:
    m = Fraction(sum(xs), len(xs))
    return math.sqrt(float(sum((x - m) ** 2 for x in xs) / (len(xs) - 1)))


def test_possible_sds_print_as_reported_and_are_all_there() -> None:
    # Every SD of 6 responses on 1-5 with mean 3.0 that prints as 1.4 (brute force).
    n, mean, sd = 6, "3.0", "1.4"
    sds = set()
    for xs in itertools.combinations_with_replacement(range(1, 6), n):
        if prints_as(Fraction(sum(xs), n), mean) and abs(sample_sd(xs) - 1.4) <= 0.05:
            sds.add(round(sample_sd(xs), 3))
    r = grimmer(mean, sd, n, bounds=(1, 5))
    assert r.consistent
    assert {round(float(s), 3) for s in r.possible_sds} == sds


def test_possible_sds_when_none_fits_are_its_neighbours() -> None:
    r = grimmer("5.23", "2.55", 35)  # sum 183 is odd, the one sum of squares 1178 is even
    assert r.consistent is False
    low, high = (float(s) for s in r.possible_sds)
    assert low == pytest.approx(math.sqrt((1177 - Fraction(183**2, 35)) / 34), abs=1e-4)
    assert high == pytest.approx(math.sqrt((1179 - Fraction(183**2, 35)) / 34), abs=1e-4)


def test_grim_seq_counts_steps_to_the_nearest_passing_neighbour() -> None:
    def passes(text: str, n: int) -> bool:
        return any(prints_as(Fraction(k, n), text) for k in range(0, 10 * n))

    a = grim_seq("5.19", 28, dispersion=5)
    means = [f"{519 + k}" for k in range(-5, 6) if k]
    assert a.hits["mean"] == tuple(
        f"{int(m) / 100:.2f}" for m in means if passes(f"{int(m) / 100:.2f}", 28)
    )
    ns = [28 + k for k in range(-5, 6) if k and passes("5.19", 28 + k)]
    assert a.hits["n"] == tuple(ns)
    assert a.steps_down["n"] == min(28 - n for n in ns if n < 28)
    assert a.steps_up["n"] == min(n - 28 for n in ns if n > 28)
    assert a.consistent is False


def test_grim_total_n_tries_every_split_both_ways() -> None:
    def passes(text: str, n: int) -> bool:
        return any(prints_as(Fraction(k, n), text) for k in range(0, 10 * n))

    a = grim_total_n("3.43", "5.67", 36, dispersion=5)
    expected = []
    for n1 in range(13, 24):
        n2 = 36 - n1
        expected.append((n1, n2, "forth", passes("3.43", n1) and passes("5.67", n2)))
        expected.append((n1, n2, "back", passes("3.43", n2) and passes("5.67", n1)))
    assert list(a.scenarios) == expected
    assert a.hits == sum(s[3] for s in expected) == 2
