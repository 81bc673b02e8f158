"""``analyze --group`` compares the groups: Welch's t of the change with the rank-sum test
beside it (two groups), Kruskal–Wallis and the ANOVAs (more), in text and JSON, against R
(tests/reference/analyze_groups_R.R and its JSON)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cohort_reanalysis.cohort import dataset_info
from cohort_reanalysis.presentation._cli import main

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
R = json.loads((REFERENCE / "analyze_groups_R.json").read_text(encoding="utf-8"))
ARMS = REFERENCE / "analyze_groups_arms.csv"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def _comparison(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(_run(capsys, *argv, "--format", "json"))
    return out["comparison"]


def _sex(capsys: pytest.CaptureFixture[str], fmt: str = "json") -> Any:
    csv = dataset_info("matsuoka2025").data_file
    assert csv is not None
    argv = ("analyze", str(csv), "--before", "hba1c_before", "--after", "hba1c_after")
    if fmt == "json":
        return _comparison(capsys, *argv, "--group", "sex")
    return _run(capsys, *argv, "--group", "sex")


def test_two_groups_welch_t_and_rank_sum_match_r(capsys: pytest.CaptureFixture[str]) -> None:
    comparison = _sex(capsys)
    assert comparison["levels"] == ["F", "M"] and comparison["difference"] == "'M' - 'F'"
    welch, ranks = comparison["tests"]
    want = R["sex"]["welch"]  # t.test(male, female): M minus F
    assert welch["method"] == "Welch t" and welch["stated"] and welch["statistic_name"] == "t"
    assert welch["statistic"] == pytest.approx(want["t"], rel=1e-9)
    assert welch["df"] == pytest.approx(want["df"], rel=1e-9)
    assert welch["pvalue"] == pytest.approx(want["p"], rel=1e-9)
    assert welch["estimate"] == pytest.approx(want["difference"], rel=1e-9)
    assert [welch["ci_low"], welch["ci_high"]] == pytest.approx(want["ci"], rel=1e-9)
    assert welch["n"] == 58 and welch["reason"] is None
    want = R["sex"]["rank_sum"]  # wilcox.test(male, female, exact = FALSE, correct = TRUE)
    assert ranks["method"] == "Wilcoxon rank-sum" and not ranks["stated"]
    assert ranks["statistic"] == pytest.approx(want["w"], rel=1e-9)
    assert ranks["pvalue"] == pytest.approx(want["p"], rel=1e-9)
    assert ranks["estimate"] is None and ranks["df"] is None


def test_three_groups_kruskal_and_anovas_match_r(capsys: pytest.CaptureFixture[str]) -> None:
    comparison = _comparison(
        capsys, "analyze", str(ARMS), "--before", "before", "--after", "after", "--group", "arm"
    )
    assert comparison["levels"] == ["A", "B", "C"] and comparison["difference"] is None
    tests = {t["method"]: t for t in comparison["tests"]}
    assert comparison["tests"][0]["method"] == "Kruskal–Wallis"
    arms = R["arms"]
    for method, key, stat in [
        ("Kruskal–Wallis", "kruskal", "h"),
        ("one-way ANOVA", "anova", "f"),
        ("Welch ANOVA", "welch_anova", "f"),
    ]:
        got, want = tests[method], arms[key]
        assert got["n"] == arms["n"]  # the row without an after value is left out
        assert got["statistic"] == pytest.approx(want[stat], rel=1e-9), method
        assert got["pvalue"] == pytest.approx(want["p"], rel=1e-9), method
        dfs = want["df"] if isinstance(want["df"], list) else [want["df"]]
        assert [got["df"], got["df_denominator"]][: len(dfs)] == pytest.approx(dfs, rel=1e-9)
    assert tests["Kruskal–Wallis"]["stated"] and not tests["Welch ANOVA"]["stated"]


def test_the_text_shows_the_comparison(capsys: pytest.CaptureFixture[str]) -> None:
    text = _sex(capsys, fmt="text")
    block = text.split("Between the groups of sex, the change (after - before):\n", 1)[1]
    lines = block.replace("\n    ", " ").splitlines()
    assert lines[0].startswith(
        "  Welch t (stated): difference in mean change 'M' - 'F' = -0.120, 95% CI -0.844 to "
        "0.604; t = -0.342, df = 23.9, p = 0.735"
    )
    assert lines[1].startswith("  Wilcoxon rank-sum: W = 318.5, p = 0.767 (W of 'M' against 'F'")


def test_a_comparison_that_cannot_be_made_says_why(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "t.csv"
    # 'y' has one pair (no Welch t), 'z' none (left out), and every change ties in rank.
    path.write_text("b,a,g\n7.0,6.5,x\n8.0,7.5,x\n9.0,8.5,y\n,7.0,z\n", encoding="utf-8")
    argv = ("analyze", str(path), "--before", "b", "--after", "a", "--group", "g")
    comparison = _comparison(capsys, *argv)
    assert comparison["levels"] == ["x", "y"]
    welch, ranks = comparison["tests"]
    assert welch["statistic"] is None and "at least 2 patients per group" in welch["reason"]
    assert "'y' has n = 1" in welch["reason"] and "left out, no patients: 'z'" in welch["note"]
    assert ranks["statistic"] is None and "all values tie" in ranks["reason"]
    text = _run(capsys, *argv)
    assert "  Welch t (stated): not computed (Welch's t needs at least 2 patients" in text
    assert "  Wilcoxon rank-sum: not computed (all values tie" in text
    # One level: nothing to compare, said so.
    path.write_text("b,a,g\n7.0,6.5,x\n8.0,7.1,x\n", encoding="utf-8")
    (only,) = _comparison(capsys, *argv)["tests"]
    assert "fewer than two groups" in only["reason"]


def test_no_group_no_comparison(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ("analyze", str(ARMS), "--before", "before", "--after", "after")
    assert "comparison" not in json.loads(_run(capsys, *argv, "--format", "json"))
    assert "Between the groups" not in _run(capsys, *argv)
