"""DEBIT against scrutiny's documented cases and a brute-force oracle.

Known answers: scrutiny's vignette ("DEBIT basics"), its ``?debit`` example, the ``pigs3``
cases of tests/testthat/test-debit.R and test-debit-map.R, and the counts of ``?sd_binary``.
The oracle enumerates every count of ones k in 0..n, prints its mean and SD with Python's
decimal module (a separate path from the interval arithmetic under test), and says which
counts print as a given pair.
"""

from __future__ import annotations

import statistics
from decimal import (
    ROUND_DOWN,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Decimal,
    localcontext,
)

import pytest

from cohort_reanalysis.verification.checks import SummaryCheck
from cohort_reanalysis.verification.checks._debit import DebitCheck, debit

# ----------------------------------------------------------------------------- oracle

MODES = {
    "up_or_down": (ROUND_HALF_UP, ROUND_HALF_DOWN),
    "half_up": (ROUND_HALF_UP,),
    "half_even": (ROUND_HALF_EVEN,),
    "truncate": (ROUND_DOWN,),
}


def printed(x: Decimal, decimals: int, rounding: str) -> set[str]:
    step = Decimal(1).scaleb(-decimals)
    return {f"{x.quantize(step, rounding=mode):.{decimals}f}" for mode in MODES[rounding]}


def oracle(
    n: int, mean_dp: int, sd_dp: int, rounding: str, formula: str = "sample"
) -> dict[tuple[str, str], list[int]]:
    """(printed mean, printed SD) -> every count of ones that prints as that pair."""
    out: dict[tuple[str, str], list[int]] = {}
    with localcontext() as ctx:
        ctx.prec = 60  # exact for every tie: a tie has a short terminating expansion
        for k in range(n + 1):
            mean = Decimal(k) / Decimal(n)
            divisor = n * (n - 1) if formula == "sample" else n * n
            sd = (Decimal(k * (n - k)) / Decimal(divisor)).sqrt()
            for m in printed(mean, mean_dp, rounding):
                for s in printed(sd, sd_dp, rounding):
                    out.setdefault((m, s), []).append(k)
    return out


def grid(decimals: int, stop: str) -> list[str]:
    step = Decimal(1).scaleb(-decimals)
    count = int(Decimal(stop) / step)
    return [f"{i * step:.{decimals}f}" for i in range(count + 1)]


@pytest.mark.parametrize(
    ("n", "mean_dp", "sd_dp", "rounding", "formula"),
    [
        (2, 2, 2, "up_or_down", "sample"),
        (7, 2, 2, "up_or_down", "sample"),
        (20, 2, 2, "up_or_down", "sample"),
        (40, 1, 2, "up_or_down", "sample"),
        (8, 3, 3, "up_or_down", "sample"),  # ties: 1/8 = 0.125 and SD 0.5 print both ways
        (16, 2, 2, "half_up", "sample"),
        (16, 2, 2, "half_even", "sample"),
        (12, 2, 2, "truncate", "sample"),
        (12, 2, 2, "up_or_down", "population"),
        (1, 2, 2, "up_or_down", "population"),
    ],
)
def test_debit_agrees_with_enumeration(
    n: int, mean_dp: int, sd_dp: int, rounding: str, formula: str
) -> None:
    expected = oracle(n, mean_dp, sd_dp, rounding, formula)
    means = grid(mean_dp, "1")
    sds = grid(sd_dp, "0.6")
    if len(means) * len(sds) > 20_000:  # three decimals: the pairs that fit, and their neighbours
        near = {(m, s) for m, s in expected}
        step = Decimal(1).scaleb(-sd_dp)
        pairs = {(m, f"{Decimal(s) + d * step:.{sd_dp}f}") for m, s in near for d in (-1, 0, 1)}
        pairs |= {(m, "0.300") for m in means}
    else:
        pairs = {(m, s) for m in means for s in sds}
    fitted = 0
    for m, s in sorted(pairs):
        if Decimal(s) < 0:
            continue
        r = debit(m, s, n, rounding=rounding, sd_formula=formula)  # type: ignore[arg-type]
        want = expected.get((m, s), [])
        assert list(r.counts) == want, (m, s, n)
        assert r.consistent is bool(want)
        fitted += bool(want)
    assert fitted > 0  # the grid reached the DEBIT curve


# ----------------------------------------------------------------------------- scrutiny


def test_scrutiny_vignette_and_help_examples() -> None:
    # vignette("debit"): debit(x = "0.35", sd = "0.18", n = 20) is FALSE; 7 ones give 0.49.
    r = debit("0.35", "0.18", 20)
    assert r.consistent is False and r.counts == ()
    assert r.values["sd_implied_low"] == pytest.approx(statistics.stdev([1] * 7 + [0] * 13))
    # ?debit: debit(x = "0.36", sd = "0.11", n = 20); 0.36 is not k/20 either.
    r = debit("0.36", "0.11", 20)
    assert r.consistent is False and "GRIM" in r.detail


def test_scrutiny_pigs3() -> None:
    # tests/testthat/test-debit.R and test-debit-map.R: pigs3, n = 1683 throughout.
    pigs3 = [
        ("0.53", "0.50", True),
        ("0.44", "0.50", True),
        ("0.77", "0.42", True),
        ("0.19", "0.35", False),
        ("0.34", "0.47", True),
        ("0.93", "0.25", True),
        ("0.12", "0.33", True),
    ]
    assert [debit(x, sd, 1683).consistent for x, sd, _ in pigs3] == [c for *_, c in pigs3]


def test_scrutiny_sd_binary_counts() -> None:
    # ?sd_binary: 127 values coded 0 and 153 coded 1, n = 280.
    data = [0] * 127 + [1] * 153
    mean, sd = statistics.mean(data), statistics.stdev(data)
    for dp in (2, 3, 4):
        r = debit(f"{mean:.{dp}f}", f"{sd:.{dp}f}", 280)
        assert r.consistent is True and 153 in r.counts
    # The population SD of the same data fits only with sd_formula="population".
    psd = statistics.pstdev(data)
    assert debit(f"{mean:.4f}", f"{psd:.5f}", 280, sd_formula="population").counts == (153,)
    assert debit(f"{mean:.4f}", f"{psd:.5f}", 280).consistent is False


def test_mean_interval_straddling_one_half() -> None:
    # "0.5" stands for [0.45, 0.55], on both sides of the SD's peak at p = 0.5. With n = 1000
    # the sample SD is sqrt((250000 - j**2) / 999000) for k = 500 +- j; it lies in
    # [0.49995, 0.50005] for 201 <= j**2 <= 299, so j = 15, 16, 17. scrutiny's debit() tests
    # only the SDs at 0.45 and 0.55 (both 0.4977) and says FALSE.
    r = debit("0.5", "0.5000", 1000)
    assert r.consistent is True
    assert r.counts == (483, 484, 485, 515, 516, 517)
    assert "483-485, 515-517" in r.detail


# ----------------------------------------------------------------------------- edges


def test_result_is_a_summary_check() -> None:
    r = debit("0.25", "0.44", 20)
    assert isinstance(r, SummaryCheck) and isinstance(r, DebitCheck)
    assert r.check == "debit" and r.status == "consistent"
    assert r.values["witness_count"] == 5
    assert r.to_frame()["quantity"].tolist()[:3] == ["mean", "sd", "n"]


def test_percent_mean_reads_as_proportion() -> None:
    assert debit("35%", "0.49", 20).counts == debit("0.35", "0.49", 20).counts == (7,)


def test_one_value() -> None:
    r = debit("1", "0", 1)
    assert r.consistent is None and r.status == "not applicable"
    assert debit("1", "0", 1, sd_formula="population").counts == (1,)


def test_all_zeros_and_all_ones() -> None:
    assert debit("0.00", "0.00", 10).counts == (0,)
    assert debit("1.00", "0.00", 10).counts == (10,)
    assert debit("0.00", "0.10", 10).consistent is False


@pytest.mark.parametrize(
    ("mean", "sd", "n", "formula"),
    [
        ("1.20", "0.40", 10, "sample"),
        ("-0.10", "0.40", 10, "sample"),
        ("0.50", "1.50", 10, "sample"),
        ("0.50", "0.50", 0, "sample"),
        ("0.50", "0.50", 10, "both"),
        ("0.50", "0.50 to 0.60", 10, "sample"),
    ],
)
def test_bad_inputs_raise(mean: str, sd: str, n: int, formula: str) -> None:
    with pytest.raises(ValueError):
        debit(mean, sd, n, sd_formula=formula)  # type: ignore[arg-type]
