"""check_table: scrutiny's *_map() over a frame of reported values, with an audit summary,
and the split of "mean (SD)" and "mean ± SD"; problems all at once."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cohort_reanalysis.verification.checks import check_table, grim, grimmer, split_mean_sd
from cohort_reanalysis.verification.checks._table import TableError


def test_split_mean_sd() -> None:
    assert split_mean_sd("2.65 (0.27)") == ("2.65", "0.27")
    assert split_mean_sd(" 2.65 ± 0.27 ") == ("2.65", "0.27")
    assert split_mean_sd("-1.0(2.50)") == ("-1.0", "2.50")
    assert split_mean_sd("52.3% (4.1%)") == ("52.3%", "4.1%")
    for bad in ("2.65", "2.65 (0.27", "2.65 - 0.27", "a (b)"):
        with pytest.raises(ValueError, match="mean"):
            split_mean_sd(bad)


def test_grim_table_matches_scrutiny_pigs1() -> None:
    # scrutiny's pigs1 data (grim_map(pigs1)): 12 means, n, 6 inconsistent... checked here
    # against grim() row by row, and the audit counts them.
    means = ["7.22", "4.74", "5.23", "2.57", "6.77", "2.68", "7.01", "7.38", "3.14", "6.89"]
    ns = [32, 25, 29, 24, 27, 28, 29, 26, 27, 31]
    t = check_table(pd.DataFrame({"mean": means, "n": ns}), check="grim")
    expected = [grim(m, n).consistent for m, n in zip(means, ns, strict=True)]
    assert t["consistency"].tolist() == expected
    assert t.inconsistent == expected.count(False) and t.cases == len(means)
    assert t.rate == pytest.approx(expected.count(False) / len(means))
    assert list(t.frame.columns[:2]) == ["mean", "n"]


def test_grimmer_table_with_a_combined_column_and_options() -> None:
    df = pd.DataFrame({"m (sd)": ["5.23 (2.55)", "5.23 ± 2.55"], "N": ["31", "35"]})
    t = check_table(df, check="grimmer", columns={"mean_sd": "m (sd)", "n": "N"})
    assert t["consistency"].tolist() == [True, False]
    assert t["possible_sds"].tolist()[0] == "2.5522"
    t = check_table(pd.DataFrame({"mean": ["5.17"], "n": [28]}), check="grim", rounding="trunc")
    assert t["consistency"].tolist() == [True]


def test_not_applicable_rows_are_counted_apart() -> None:
    # 5.2 with n = 28: means 1/28 apart are finer than one decimal, so GRIM does not apply.
    t = check_table(pd.DataFrame({"mean": ["5.19", "5.2"], "n": [28, 28]}), check="grim")
    assert t.summary() == {"inconsistent": 1, "cases": 1, "rate": 1.0, "not_applicable": 1}
    assert t["status"].tolist() == ["inconsistent", "not applicable"]
    empty = check_table(pd.DataFrame({"mean": ["5.19"], "n": [169]}), check="grim")
    assert math.isnan(empty.rate)


def test_every_problem_at_once() -> None:
    df = pd.DataFrame({"mean": ["5.19", 5.2, "x"], "n": [28, 0, 28]})
    with pytest.raises(TableError) as info:
        check_table(df, check="grim")
    problems = info.value.problems  # one per bad row: its first bad cell
    assert len(problems) == 2
    assert problems[0].startswith("row 2") and "not text" in problems[0]
    assert problems[1].startswith("row 3") and "'x'" in problems[1]
    with pytest.raises(TableError) as info:
        check_table(df, check="grim", columns={"mean": "avg", "sd": "s"})
    assert len(info.value.problems) == 2  # sd is no role of GRIM; avg is missing
    with pytest.raises(ValueError, match="unknown check"):
        check_table(df, check="grime")


def test_debit_and_sprite_tables() -> None:
    t = check_table(pd.DataFrame({"mean": ["0.35"], "sd": ["0.49"], "n": [20]}), check="debit")
    assert t["consistency"].tolist() == [True] and t["counts"].tolist() == ["7"]
    df = pd.DataFrame({"mean": ["3.5"], "sd": ["1.2"], "n": [20]})
    t = check_table(df, check="sprite", bounds=(1, 7), seed=1)
    assert t["consistency"].tolist() == [True]
    sample = [int(x) for x in t["solution"].iloc[0].split()]
    assert len(sample) == 20 and f"{sum(sample) / 20:.1f}" == "3.5"
    assert grimmer("3.5", "1.2", 20, bounds=(1, 7)).consistent
