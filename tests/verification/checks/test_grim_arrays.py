"""grim_arrays: GRIM over arrays, the same verdicts as grim() for every rounding name, and
against a brute-force oracle that rounds every possible mean; check_table(details=False)."""

from __future__ import annotations

from decimal import ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest

from cohort_reanalysis.verification._rounding import ROUNDING_NAMES
from cohort_reanalysis.verification.checks import check_table, grim
from cohort_reanalysis.verification.checks._grim_arrays import grim_arrays
from cohort_reanalysis.verification.checks._table import TableError

_SYMMETRIC = {"up", "down", "up_or_down", "up_from", "down_from", "up_from_or_down_from"}


def _cases(count: int, seed: int) -> tuple[list[str], np.ndarray]:
    """Printed means with 0-3 decimals: exact multiples of 1/n (ties among them), random
    values, zeros with and without a sign, negatives and per-cents."""
    rng = np.random.default_rng(seed)
    means, ns = [], rng.integers(1, 60, count)
    for n in ns.tolist():
        d = int(rng.integers(0, 4))
        value = int(rng.integers(-3 * n, 3 * n)) / n if rng.random() < 0.5 else rng.uniform(-3, 3)
        text = f"{0.0 if rng.random() < 0.1 else value:.{d}f}"
        if rng.random() < 0.1 and text.startswith("0"):
            text = str(rng.choice(["-", "+"])) + text
        means.append(text + ("%" if rng.random() < 0.1 else ""))
    return means, ns


@pytest.mark.parametrize("rounding", ROUNDING_NAMES)
def test_same_verdicts_as_grim_for_every_rounding(rounding: str) -> None:
    means, ns = _cases(400, seed=len(rounding))
    options: list[dict[str, object]] = [{}]
    if "from" in rounding:
        options.append({"threshold": 3})
    if rounding in _SYMMETRIC:
        options.append({"symmetric": True})
    for extra in options:
        found = grim_arrays(means, ns, rounding=rounding, **extra)  # type: ignore[arg-type]
        expected = [
            grim(m, int(n), rounding=rounding, **extra).consistent  # type: ignore[arg-type]
            for m, n in zip(means, ns, strict=True)
        ]
        assert found.verdicts().tolist() == expected, (rounding, extra)


def _brute_force(mean: str, n: int) -> bool | None:
    """Every mean s/n near the printed one, rounded half up and half down to its decimals."""
    printed = Decimal(mean)
    decimals = -printed.as_tuple().exponent
    if n >= 10**decimals:
        return None
    quantum = Decimal(1).scaleb(-decimals)
    centre = int(printed * n)
    for s in range(centre - n - 1, centre + n + 2):
        exact = Decimal(s) / Decimal(n)
        for how in (ROUND_HALF_UP, ROUND_HALF_DOWN):
            if exact.quantize(quantum, rounding=how) == printed:
                return True
    return False


def test_against_brute_force_rounding_of_every_mean() -> None:
    rng = np.random.default_rng(7)
    ns = rng.integers(2, 150, 3000)
    means = [f"{x:.2f}" for x in rng.uniform(0.5, 7.5, ns.size)]
    found = grim_arrays(means, ns).verdicts().tolist()
    # Decimal's quantize of a long division is exact enough here: s/n has at most a
    # repeating expansion and the context's 28 digits settle every tie at 2 decimals.
    assert found == [_brute_force(m, int(n)) for m, n in zip(means, ns, strict=True)]
    assert any(v is False for v in found) and any(v is True for v in found)


def test_grim_paper_and_items_and_percent() -> None:
    # Brown & Heathers (2017): 5.19 with n = 28 is impossible, 5.21 possible.
    r = grim_arrays(["5.19", "5.21", "5.19"], [28, 28, 28], items=[1, 1, 2])
    assert r.verdicts().tolist() == [False, True, grim("5.19", 28, items=2).consistent]
    pct = grim_arrays(["52.3", "52.3%"], [41, 41], percent=True)
    assert pct.verdicts().tolist() == [grim("52.3%", 41).consistent] * 2
    assert r.probability.tolist() == [
        grim(m, 28, items=i).probability
        for m, i in zip(["5.19", "5.21", "5.19"], [1, 1, 2], strict=True)
    ]


def test_bad_input_names_the_cases() -> None:
    with pytest.raises(ValueError, match=r"case 2 \('1e-3'\), case 3 \('x'\)"):
        grim_arrays(["5.19", "1e-3", "x", "5."], [28] * 4)
    with pytest.raises(ValueError, match=r"case 2: mean 5\.2 is not text"):
        grim_arrays(["5.19", 5.2], [28, 28])
    with pytest.raises(ValueError, match="n must be at least 1: case 2"):
        grim_arrays(["5.19", "5.21"], [28, 0])
    with pytest.raises(ValueError, match="n must be whole numbers"):
        grim_arrays(["5.19", "5.21"], [28.0, 3.0])
    with pytest.raises(ValueError, match="unknown rounding"):
        grim_arrays(["5.19"], [28], rounding="nearest")  # type: ignore[arg-type]


def test_large_numbers_fall_back_to_exact_python_integers() -> None:
    means = ["123456789012.5", "123456789012345678.25", "0.000000000000000000001"]
    ns = [2, 4, 3]
    found = grim_arrays(means, ns).verdicts().tolist()
    assert found == [grim(m, n).consistent for m, n in zip(means, ns, strict=True)]


def test_check_table_without_details_gives_the_same_verdicts() -> None:
    means, ns = _cases(300, seed=3)
    frame = pd.DataFrame({"m": means, "N": ns, "k": np.where(ns % 3 == 0, 2, 1)})
    columns = {"mean": "m", "n": "N", "items": "k"}
    full = check_table(frame, check="grim", columns=columns)
    fast = check_table(frame, check="grim", columns=columns, details=False)
    for column in ("consistency", "status", "probability"):
        assert fast[column].tolist() == full[column].tolist(), column
    assert fast.summary() == full.summary()
    assert "detail" not in fast.frame.columns


def test_check_table_without_details_refuses_what_it_cannot_do() -> None:
    frame = pd.DataFrame({"mean": ["5.19"], "sd": ["1.00"], "n": [28]})
    with pytest.raises(TableError, match="details=False is for grim only"):
        check_table(frame, check="grimmer", details=False)
    with pytest.raises(TableError, match="not whole numbers"):
        check_table(pd.DataFrame({"mean": ["5.19"], "n": [28.5]}), check="grim", details=False)
