"""Tests of table_one against the CSV read with the csv module, the paper's printed text,
and R's type-7 quartiles."""

from __future__ import annotations

import csv
import json
import math
import statistics
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cohort_reanalysis.analyses._table_one import TableOne, table_one
from cohort_reanalysis.cohort import Cohort, load_dataset

ROOT = Path(__file__).resolve().parents[2]
CSV = ROOT / "datasets" / "matsuoka2025" / "patients.csv"
REF_PATHS = [
    ROOT / "tests" / "reference" / "msc58_R.json",
]


@pytest.fixture(scope="module")
def records() -> list[dict[str, str]]:
    with CSV.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def t1() -> TableOne:
    return table_one(load_dataset("matsuoka2025"))


def row(t: TableOne, characteristic: str) -> pd.Series:
    frame = t.frame.set_index("characteristic")
    return frame.loc[characteristic]


def test_n_and_reported_n(t1):
    assert t1.n == 58 and t1.reported_n == 61
    r = row(t1, "n")
    assert r["n"] == 58
    assert r["value"] == "58 (the source reports 61)"
    assert "61" in str(t1) and "58" in str(t1)
    assert t1.rows.tolist() == list(range(1, 59))
    assert t1.excluded == () and t1.n_excluded == 0


def test_sex_counts(t1, records):
    # Paper: "42 male and 16 female patients".
    m, f = row(t1, "Sex: M"), row(t1, "Sex: F")
    assert (m["count"], f["count"]) == (42, 16)
    assert sum(r["sex"] == "M" for r in records) == 42
    assert m["percent"] == pytest.approx(100 * 42 / 58, rel=1e-15)
    assert m["value"] == "42 (72.4%)" and f["value"] == "16 (27.6%)"


@pytest.mark.parametrize(
    ("characteristic", "column"),
    [
        ("Age (years), mean (SD)", "age"),
        ("HbA1c before treatment (%), mean (SD)", "hba1c_before"),
        ("HbA1c after treatment (%), mean (SD)", "hba1c_after"),
    ],
)
def test_means_and_sds_against_csv(t1, records, characteristic, column):
    values = [float(r[column]) for r in records]
    r = row(t1, characteristic)
    assert r["mean"] == pytest.approx(math.fsum(values) / len(values), rel=1e-13)
    assert r["sd"] == pytest.approx(statistics.stdev(values), rel=1e-12)
    assert r["n"] == 58 and r["missing"] == 0


@pytest.mark.parametrize(
    ("characteristic", "low", "high"),
    [
        # The paper's text: age 42 to 89; HbA1c before 6.3% to 12.4%, after 4.6% to 10.9%;
        # follow-up 6 to 68 months; doses 100 million to 2 billion cells.
        ("Age (years), range", 42, 89),
        ("HbA1c before treatment (%), range", 6.3, 12.4),
        ("HbA1c after treatment (%), range", 4.6, 10.9),
        ("Follow-up (months), range", 6, 68),
        ("Stem cell dose (million cells), range", 100, 2000),
    ],
)
def test_ranges_against_the_paper(t1, characteristic, low, high):
    r = row(t1, characteristic)
    assert (r["min"], r["max"]) == (low, high)
    assert r["value"] == f"{low:g}–{high:g}"


def test_paper_rounded_means(t1):
    # The paper: mean age 63.3 years, mean HbA1c 7.49% before and 6.7% after.
    assert round(row(t1, "Age (years), mean (SD)")["mean"], 1) == 63.3
    assert round(row(t1, "HbA1c before treatment (%), mean (SD)")["mean"], 2) == 7.49
    assert round(row(t1, "HbA1c after treatment (%), mean (SD)")["mean"], 1) == 6.7


def test_followup_quartiles_against_r_type7(t1):
    ref = None
    for path in REF_PATHS:
        if path.is_file():
            ref = json.loads(path.read_text(encoding="utf-8"))
            break
    if ref is None:
        pytest.skip("R reference values not found")
    q1, med, q3 = ref["msc_months_quantiles_types1to9"]["by_type"]["7"]
    r = row(t1, "Follow-up (months), median [IQR]")
    assert (r["q1"], r["median"], r["q3"]) == (
        pytest.approx(q1, rel=1e-12),
        pytest.approx(med, rel=1e-12),
        pytest.approx(q3, rel=1e-12),
    )
    assert "type 7" in r["statistic"]
    assert r["value"] == "35.5 [15.25–45.75]"


def test_dose_median(t1, records):
    r = row(t1, "Stem cell dose (million cells), median")
    assert r["median"] == statistics.median(float(x["dose_million"]) for x in records)


def test_frame_layout_and_copy(t1):
    frame = t1.to_frame()
    assert list(frame.columns[:2]) == ["characteristic", "value"]
    for column in (
        "n",
        "missing",
        "count",
        "percent",
        "mean",
        "sd",
        "median",
        "q1",
        "q3",
        "min",
        "max",
    ):
        assert frame[column].dtype == np.float64
    frame.loc[0, "value"] = "changed"
    assert t1.frame.loc[0, "value"] != "changed"


def test_reprs_and_provenance(t1):
    html = t1._repr_html_()
    assert "<table" in html and "Matsuoka" in html and "10.20944/preprints202503.1601.v1" in html
    assert "source reports n = 61" in html
    text = str(t1)
    assert "Sex: M" in text and "42 (72.4%)" in text and "R type 7" in text
    explain = t1.explain()
    assert "61" in explain and "58" in explain and "tests nothing" in explain
    assert t1._estimates()


def _small(frame: pd.DataFrame, **columns: str) -> Cohort:
    return Cohort.from_frame(frame, columns=columns, measure="weight", unit="kg")


def test_missing_cells_are_counted_not_dropped():
    frame = pd.DataFrame(
        {
            "s": ["M", None, "F", "M", "F"],
            "age": [50, 61, None, 70, 44],
            "b": [80.0, 90.0, None, 70.0, 85.0],
            "a": [78.0, 88.5, 71.0, None, 84.0],
            "f": [12, 24, 6, None, 36],
        }
    )
    cohort = _small(frame, sex="s", age="age", before="b", after="a", followup="f")
    t = table_one(cohort)
    assert t.n == 5 and t.rows.tolist() == [1, 2, 3, 4, 5]
    assert dict(t.missing) == {"s": 1, "age": 1, "b": 1, "a": 1, "f": 1}
    m = row(t, "s: M")
    assert m["count"] == 2 and m["n"] == 4 and m["percent"] == 50.0
    assert row(t, "s: missing")["count"] == 1
    age = row(t, "age (years), mean (SD)")
    assert age["mean"] == pytest.approx(np.mean([50, 61, 70, 44]))
    assert age["n"] == 4 and age["missing"] == 1 and "1 missing" in age["note"]
    f = row(t, "f, median [IQR]")
    # R: quantile(c(12, 24, 6, 36), c(.25, .5, .75)) -> 10.5, 18, 27 (type 7 by hand:
    # sorted 6 12 24 36, h = 3p + 1).
    assert (f["q1"], f["median"], f["q3"]) == (10.5, 18.0, 27.0)
    assert "Missing cells" in str(t)


def test_absent_roles_are_not_listed():
    frame = pd.DataFrame({"b": [80.0, 90.0], "a": [78.0, 88.5]})
    t = table_one(_small(frame, before="b", after="a"))
    chars = list(t.frame["characteristic"])
    assert chars[0] == "n"
    assert not any(c.startswith(("Sex", "Age", "f,")) for c in chars)
    assert len(chars) == 1 + 2 * 2
    assert t.reported_n is None and t.frame.loc[0, "value"] == "2"


def test_single_row_has_no_sd_and_no_nan_in_display():
    frame = pd.DataFrame({"b": [80.0], "a": [78.0]})
    t = table_one(_small(frame, before="b", after="a"))
    r = row(t, "b (kg), mean (SD)")
    assert r["mean"] == 80.0 and math.isnan(r["sd"])
    assert r["value"] == "80 (—)" and "SD needs 2 values" in r["note"]
    assert "nan" not in str(t).lower()


def test_row_order_invariance():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "s": rng.choice(["M", "F"], 30),
            "age": rng.integers(30, 80, 30),
            "b": np.round(rng.normal(80, 10, 30), 1),
            "a": np.round(rng.normal(78, 10, 30), 1),
            "f": rng.integers(1, 60, 30),
            "d": rng.choice([100, 500, 1000], 30),
        }
    )
    cols = {"sex": "s", "age": "age", "before": "b", "after": "a", "followup": "f", "dose": "d"}
    t = table_one(_small(frame, **cols)).frame
    u = table_one(_small(frame.sample(frac=1, random_state=1), **cols)).frame
    numeric = ["count", "percent", "median", "q1", "q3", "min", "max", "n", "missing"]
    pd.testing.assert_frame_equal(t[numeric], u[numeric])
    np.testing.assert_allclose(t["mean"], u["mean"], rtol=1e-12)
    np.testing.assert_allclose(t["sd"], u["sd"], rtol=1e-12)


def test_rejects_non_cohort():
    with pytest.raises(TypeError):
        table_one(pd.DataFrame())
