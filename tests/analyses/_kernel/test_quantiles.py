"""Tests of the Hyndman & Fan quantile definitions.

Oracles: R 4.2.2 ``quantile(months, type = 1..9)`` (tests/reference/msc58_R.json), the
worked examples printed in vendor documentation (Microsoft, Google, SAS, OpenOffice),
and numpy's own implementation of the nine methods.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cohort_reanalysis.analyses._kernel._quantiles import (
    SPREADSHEET_EQUIVALENT_SOURCES,
    SPREADSHEET_EQUIVALENTS,
    QuantileType,
    quantiles,
    quantiles_all_types,
    resolve_quantile_type,
)

ROOT = Path(__file__).resolve().parents[3]
REFERENCE = json.loads((ROOT / "tests" / "reference" / "msc58_R.json").read_text())


def _column(name: str) -> np.ndarray:
    with (ROOT / "datasets" / "matsuoka2025" / "patients.csv").open(newline="") as fh:
        return np.array([float(row[name]) for row in csv.DictReader(fh)])


MONTHS = _column("months")

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
samples = st.lists(finite, min_size=1, max_size=40)
probs_st = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


# --- R reference -------------------------------------------------------------------------


@pytest.mark.parametrize("r_type", range(1, 10))
def test_matches_r_on_follow_up_months(r_type: int) -> None:
    ref = REFERENCE["msc_months_quantiles_types1to9"]
    assert MONTHS.size == 58
    got = quantiles(MONTHS, ref["probs"], type=r_type)
    np.testing.assert_allclose(got, ref["by_type"][str(r_type)], rtol=1e-9, atol=0)


def test_all_types_matches_r_in_one_call() -> None:
    ref = REFERENCE["msc_months_quantiles_types1to9"]
    got = quantiles_all_types(MONTHS, ref["probs"])
    expected = np.array([ref["by_type"][str(t)] for t in range(1, 10)])
    assert got.shape == (9, 3)
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=0)


# --- vendor documentation examples ---------------------------------------------------------

# (software key, data, probabilities, documented results)
VENDOR_EXAMPLES = [
    # Microsoft support, QUARTILE.INC: first quartile of {1,2,4,7,8,9,10,12} is 3.5.
    ("Excel QUARTILE.INC", [1, 2, 4, 7, 8, 9, 10, 12], [0.25], [3.5]),
    # Microsoft Power Query List.Percentile (default = PERCENTILE.INC): {5,3,1,7,9} at 0.25 -> 3.
    ("Excel PERCENTILE.INC", [5, 3, 1, 7, 9], [0.25], [3.0]),
    # Microsoft support, QUARTILE.EXC: quartiles 1 and 3 of the 11 values are 15 and 43.
    ("Excel QUARTILE.EXC", [6, 7, 15, 36, 39, 40, 41, 42, 43, 47, 49], [0.25, 0.75], [15, 43]),
    # Power Query PercentileMode.ExcelExc: {5,3,1,7,9} quartiles -> {2, 5, 8}.
    ("Excel PERCENTILE.EXC", [5, 3, 1, 7, 9], [0.25, 0.5, 0.75], [2, 5, 8]),
    # Google Docs Editors Help, PERCENTILE.EXC on {15,20,35,40,50}: 0.4 -> 26, 0.8 -> 48.
    ("Google Sheets PERCENTILE.EXC", [15, 20, 35, 40, 50], [0.4, 0.5, 0.8], [26, 35, 48]),
    # Apache OpenOffice wiki: QUARTILE({9;3;7;8};1) = 6.
    ("Apache OpenOffice Calc QUARTILE", [9, 3, 7, 8], [0.25], [6]),
    # SAS PCTL function examples on (2,4,1,3), default definition 5.
    (
        "SAS PCTLDEF=5 (default of PROC UNIVARIATE/MEANS, PCTL function)",
        [2, 4, 1, 3],
        [0.25, 1 / 3, 0.5, 2 / 3, 0.75],
        [1.5, 2, 2.5, 3, 3.5],
    ),
    # SAS: PCTL2(25, 2,4,1,3) = 1 and PCTL3(100/3, 2,4,1,3) = 2.
    ("SAS PCTLDEF=2", [2, 4, 1, 3], [0.25], [1]),
    ("SAS PCTLDEF=3", [2, 4, 1, 3], [1 / 3], [2]),
]


@pytest.mark.parametrize(("key", "data", "probs", "expected"), VENDOR_EXAMPLES)
def test_documented_vendor_examples(
    key: str, data: list[float], probs: list[float], expected: list[float]
) -> None:
    qt = SPREADSHEET_EQUIVALENTS[key]
    np.testing.assert_allclose(quantiles(data, probs, type=qt), expected, rtol=1e-12)


def test_vendor_examples_discriminate_types() -> None:
    # The Excel examples would fail under the other common choice, so they really pin the type.
    assert quantiles([1, 2, 4, 7, 8, 9, 10, 12], [0.25], type=6)[0] != 3.5
    assert quantiles([6, 7, 15, 36, 39, 40, 41, 42, 43, 47, 49], [0.25], type=7)[0] != 15


def test_every_equivalent_has_a_source() -> None:
    assert set(SPREADSHEET_EQUIVALENTS) == set(SPREADSHEET_EQUIVALENT_SOURCES)
    assert all(isinstance(v, QuantileType) for v in SPREADSHEET_EQUIVALENTS.values())
    with pytest.raises(TypeError):
        SPREADSHEET_EQUIVALENTS["x"] = QuantileType.LINEAR  # type: ignore[index]


# --- resolving names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        (7, QuantileType.LINEAR),
        (np.int64(6), QuantileType.WEIBULL),
        ("linear", QuantileType.LINEAR),
        ("Median-Unbiased", QuantileType.MEDIAN_UNBIASED),
        ("R7", QuantileType.LINEAR),
        ("r2", QuantileType.AVERAGED_INVERTED_CDF),
        ("type7", QuantileType.LINEAR),
        ("type 9", QuantileType.NORMAL_UNBIASED),
        ("type_1", QuantileType.INVERTED_CDF),
        ("5", QuantileType.HAZEN),
        (QuantileType.HAZEN, QuantileType.HAZEN),
    ],
)
def test_resolve_spellings(spelling: object, expected: QuantileType) -> None:
    assert resolve_quantile_type(spelling) is expected  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [0, 10, -1, True, "R10", "type", "nearest", 7.0, None])
def test_resolve_rejects_and_lists_valid(bad: object) -> None:
    with pytest.raises(ValueError, match=r"valid types are.*7='linear'"):
        resolve_quantile_type(bad)  # type: ignore[arg-type]


def test_method_names_are_numpy_names() -> None:
    x = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0])
    for qt in QuantileType:
        # numpy raises on unknown method names, so this checks every name exists there.
        np.quantile(x, 0.3, method=qt.method)  # type: ignore[call-overload]
        assert qt.r_type == int(qt) and qt.label.startswith(f"type {int(qt)} ")


# --- edge cases ----------------------------------------------------------------------------


def test_single_value_is_every_quantile() -> None:
    got = quantiles_all_types([4.2], [0.0, 0.1, 0.5, 1.0])
    assert np.all(got == 4.2)


def test_extreme_probabilities_are_min_and_max() -> None:
    x = [5.0, 1.0, 3.0, 2.0]
    got = quantiles_all_types(x, [0.0, 1.0])
    assert np.all(got[:, 0] == 1.0) and np.all(got[:, 1] == 5.0)


def test_scalar_probability() -> None:
    assert quantiles([1, 2, 3], 0.5).shape == (1,)


def test_fuzz_protects_discontinuous_types() -> None:
    # 0.7 * 10 is 7.000000000000001 in binary; type 1 must still return x[7], not x[8].
    x = np.arange(1.0, 11.0)
    assert quantiles(x, [0.7], type=1)[0] == 7.0
    assert quantiles(x, [0.7], type=2)[0] == 7.5


@pytest.mark.parametrize(
    ("x", "probs", "match"),
    [
        ([], [0.5], "empty"),
        ([1.0, np.nan], [0.5], "NaN"),
        ([[1.0, 2.0]], [0.5], "one-dimensional"),
        ([1.0, 2.0], [1.5], r"\[0, 1\]"),
        ([1.0, 2.0], [np.nan], r"\[0, 1\]"),
    ],
)
def test_bad_input_raises(x: list[float], probs: list[float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        quantiles(x, probs)


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(samples, st.lists(probs_st, min_size=1, max_size=8))
def test_all_types_match_numpy_methods(x: list[float], probs: list[float]) -> None:
    got = quantiles_all_types(x, probs)
    scale = max(1.0, float(np.max(np.abs(x))))
    for qt in QuantileType:
        expected = np.quantile(np.asarray(x), probs, method=qt.method)  # type: ignore[call-overload]
        mismatch = ~np.isclose(got[qt.r_type - 1], expected, rtol=1e-9, atol=1e-9 * scale)
        if qt.r_type <= 3 and mismatch.any():
            # Only where n * p sits within rounding of an integer may the fuzz pick the other
            # order statistic (we follow R there, numpy does not).
            n = len(x)
            m = -0.5 if qt.r_type == 3 else 0.0
            nppm = n * np.asarray(probs)[mismatch] + m
            assert np.all(np.abs(nppm - np.round(nppm)) < 1e-12)
        else:
            assert not mismatch.any(), qt


@settings(max_examples=100, deadline=None)
@given(samples, st.lists(probs_st, min_size=2, max_size=10))
def test_monotone_in_probability_and_within_range(x: list[float], probs: list[float]) -> None:
    p = np.sort(probs)
    got = quantiles_all_types(x, p)
    assert np.all(np.diff(got, axis=1) >= -1e-9 * max(1.0, float(np.max(np.abs(x)))))
    assert np.all(got >= min(x)) and np.all(got <= max(x))


@settings(max_examples=100, deadline=None)
@given(samples, st.lists(probs_st, min_size=1, max_size=5))
def test_type7_is_numpy_default(x: list[float], probs: list[float]) -> None:
    scale = max(1.0, float(np.max(np.abs(x))))
    np.testing.assert_allclose(
        quantiles(x, probs), np.quantile(x, probs), rtol=1e-12, atol=1e-12 * scale
    )


@settings(max_examples=60, deadline=None)
@given(samples, st.lists(probs_st, min_size=1, max_size=5), st.randoms(use_true_random=False))
def test_row_order_invariance(x: list[float], probs: list[float], rnd: object) -> None:
    shuffled = list(x)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert np.array_equal(quantiles_all_types(x, probs), quantiles_all_types(shuffled, probs))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(-1000, 1000), min_size=1, max_size=30),
    st.lists(probs_st, min_size=1, max_size=5),
    st.integers(1, 20),
    st.integers(-50, 50),
)
def test_affine_equivariance(x: list[int], probs: list[float], a: int, b: int) -> None:
    xs = np.asarray(x, dtype=float)
    np.testing.assert_allclose(
        quantiles_all_types(a * xs + b, probs),
        a * quantiles_all_types(xs, probs) + b,
        rtol=1e-9,
        atol=1e-7,
    )


def test_all_types_rows_equal_single_type_calls() -> None:
    rng = np.random.default_rng(3)
    x = rng.integers(0, 20, 31).astype(float)
    p = np.linspace(0, 1, 21)
    every = quantiles_all_types(x, p)
    for t in range(1, 10):
        assert np.array_equal(every[t - 1], quantiles(x, p, type=t))
