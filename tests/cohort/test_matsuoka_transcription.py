"""The bundled transcription of Table 1 (Matsuoka et al. 2025) against R 4.2.2 reference values.

Reads ``datasets/matsuoka2025/patients.csv`` with pandas directly (not through ``Cohort``) so a
transcription error shows up here on its own. The oracle is ``tests/reference/msc58_R.json``
(R's ``t.test``, ``wilcox.test``, ``cor.test``, ``lm`` and ``quantile``; see its README).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
DATASET = REPO / "datasets" / "matsuoka2025"
CSV = DATASET / "patients.csv"
REFERENCE = REPO / "tests" / "reference" / "msc58_R.json"
# CI clones the repository with shared/ beside it: <x>/<clone> and <x>/shared.
SHARED_REFERENCE = REPO.parent / "shared" / "reference" / "msc58_R.json"
REL = 1e-9

# numpy's quantile methods in the order of R's types 1..9 (Hyndman & Fan 1996).
NUMPY_METHOD_OF_R_TYPE: dict[int, Any] = {
    1: "inverted_cdf",
    2: "averaged_inverted_cdf",
    3: "closest_observation",
    4: "interpolated_inverted_cdf",
    5: "hazen",
    6: "weibull",
    7: "linear",
    8: "median_unbiased",
    9: "normal_unbiased",
}


@pytest.fixture(scope="module")
def ref() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(REFERENCE.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return pd.read_csv(CSV, dtype={"sex": str})


@pytest.fixture(scope="module")
def reduction(table: pd.DataFrame) -> np.ndarray:
    return (table["hba1c_before"] - table["hba1c_after"]).to_numpy()


def approx(value: float) -> Any:
    return pytest.approx(value, rel=REL, abs=1e-12)


def test_reference_copy_matches_shared() -> None:
    if not SHARED_REFERENCE.exists():
        pytest.skip("shared/ is not beside this clone")
    assert REFERENCE.read_bytes() == SHARED_REFERENCE.read_bytes()


def test_shape_columns_and_sexes(table: pd.DataFrame) -> None:
    assert list(table.columns) == [
        "sex",
        "age",
        "dose_million",
        "hba1c_before",
        "hba1c_after",
        "months",
    ]
    assert len(table) == 58
    assert not table.isna().to_numpy().any()
    assert table["sex"].value_counts().to_dict() == {"M": 42, "F": 16}


def test_file_bytes_are_canonical() -> None:
    raw = CSV.read_bytes()
    assert b"\r" not in raw
    assert raw.endswith(b"\n") and not raw.endswith(b"\n\n")
    lines = raw.decode("utf-8").splitlines()
    assert len(lines) == 59
    # Numbers as printed: no "8.0" for a printed "8", no padding.
    for line in lines[1:]:
        for cell in line.split(","):
            assert cell == cell.strip() and not cell.endswith(".0"), line


def test_sha256_in_metadata_matches_file() -> None:
    meta = json.loads((DATASET / "metadata.json").read_text(encoding="utf-8"))
    assert meta["sha256"] == hashlib.sha256(CSV.read_bytes()).hexdigest()
    assert meta["data_file"] == "patients.csv"
    assert meta["provenance"]["printed_rows"] == 58
    assert meta["provenance"]["reported_n"] == 61
    assert [c["name"] for c in meta["columns"]] == list(pd.read_csv(CSV, nrows=0).columns)


def test_printed_rows_spot_checks(table: pd.DataFrame) -> None:
    # Hand-read from the source: first row, the largest baseline, and the merged block 3.
    assert table.iloc[0].tolist() == ["M", 66, 1000, 7.5, 6.4, 27]
    assert table.iloc[18].tolist() == ["M", 69, 2000, 12.4, 6.5, 51]
    assert table.iloc[50].tolist() == ["M", 76, 2000, 6.4, 5.5, 15]
    assert table.iloc[57].tolist() == ["M", 72, 500, 6.9, 6.6, 15]


def test_paired_t_matches_r(table: pd.DataFrame, ref: dict[str, Any]) -> None:
    from scipy import stats

    r = ref["msc_paired"]
    res = stats.ttest_rel(table["hba1c_before"], table["hba1c_after"])
    ci = res.confidence_interval(confidence_level=0.95)
    assert res.statistic == approx(r["t"])
    assert res.df == r["df"]
    assert res.pvalue == approx(r["p"])
    assert (ci.low, ci.high) == (approx(r["ci"][0]), approx(r["ci"][1]))
    diff = (table["hba1c_before"] - table["hba1c_after"]).mean()
    assert diff == approx(r["est"])


@pytest.mark.parametrize("correct", [True, False])
def test_wilcoxon_matches_r(table: pd.DataFrame, ref: dict[str, Any], correct: bool) -> None:
    from scipy import stats

    r = ref["msc_wilcox_correct" if correct else "msc_wilcox_nocorrect"]
    before, after = table["hba1c_before"].to_numpy(), table["hba1c_after"].to_numpy()
    res = stats.wilcoxon(before, after, zero_method="wilcox", correction=correct, method="approx")
    assert res.pvalue == approx(r["p"])
    # R's V is the sum of the ranks of the positive differences (zeros dropped).
    d = before - after
    d = d[d != 0]
    ranks = stats.rankdata(np.abs(d))
    assert ranks[d > 0].sum() == r["V"]


@pytest.mark.parametrize("column", ["months", "dose_million"])
def test_correlations_with_reduction_match_r(
    table: pd.DataFrame, reduction: np.ndarray, ref: dict[str, Any], column: str
) -> None:
    from scipy import stats

    key = "months" if column == "months" else "dose"
    x = table[column].to_numpy()
    pearson = stats.pearsonr(x, reduction)
    r = ref[f"msc_cor_{key}_pearson"]
    ci = pearson.confidence_interval(confidence_level=0.95)
    assert pearson.statistic == approx(r["r"])
    assert pearson.pvalue == approx(r["p"])
    assert (ci.low, ci.high) == (approx(r["ci"][0]), approx(r["ci"][1]))
    if "t" in r:
        n = len(x)
        t = pearson.statistic * np.sqrt((n - 2) / (1 - pearson.statistic**2))
        assert t == approx(r["t"])

    spearman = stats.spearmanr(x, reduction)
    r = ref[f"msc_cor_{key}_spearman"]
    assert spearman.statistic == approx(r["rho"])
    assert spearman.pvalue == approx(r["p"])

    if key == "dose":
        kendall = stats.kendalltau(x, reduction, method="asymptotic")
        r = ref["msc_cor_dose_kendall"]
        assert kendall.statistic == approx(r["tau"])
        assert kendall.pvalue == approx(r["p"])


def test_linear_model_of_reduction_on_months_matches_r(
    table: pd.DataFrame, reduction: np.ndarray, ref: dict[str, Any]
) -> None:
    from scipy import stats

    r = ref["msc_lm_months"]
    fit = stats.linregress(table["months"].to_numpy(), reduction)
    df = len(reduction) - 2
    assert (fit.intercept, fit.slope) == (approx(r["coef"][0]), approx(r["coef"][1]))
    assert (fit.intercept_stderr, fit.stderr) == (approx(r["se"][0]), approx(r["se"][1]))
    assert fit.pvalue == approx(r["p"][1])
    p_intercept = 2 * stats.t.sf(abs(fit.intercept / fit.intercept_stderr), df)
    assert p_intercept == approx(r["p"][0])
    q = stats.t.ppf(0.975, df)
    assert fit.slope - q * fit.stderr == approx(r["ci_slope"][0])
    assert fit.slope + q * fit.stderr == approx(r["ci_slope"][1])


@pytest.mark.parametrize("r_type", range(1, 10))
def test_month_quantiles_match_r_types(
    table: pd.DataFrame, ref: dict[str, Any], r_type: int
) -> None:
    r = ref["msc_months_quantiles_types1to9"]
    got = np.quantile(table["months"].to_numpy(), r["probs"], method=NUMPY_METHOD_OF_R_TYPE[r_type])
    assert got.tolist() == [approx(v) for v in r["by_type"][str(r_type)]]
