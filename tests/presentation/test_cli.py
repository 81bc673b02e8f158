"""The command line, in process (``main([...])``) and end to end in a subprocess.

Statistics printed by ``analyze`` are checked against scipy (``ttest_rel``, ``wilcoxon``,
``pearsonr``), never against this package's own output. Verdict expectations are computed
from the Audit in process, not hard-coded.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import stats

from cohort_reanalysis.presentation._cli import main

VERDICTS = {"reproduced", "reproduced_under_alternative", "not_reproduced", "not_checkable"}
GROUP_KEYS = {
    "n": int,
    "mean_before": float,
    "mean_after": float,
    "mean_change": float,
    "sd_change": float,
    "statistic": float,
    "df": float,
    "pvalue": float,
    "ci_low": float,
    "ci_high": float,
    "wilcoxon_pvalue": float,
    "n_excluded": int,
    "excluded": list,
}

# Rows 2 and 5 miss a value (numbered as in the file: header excluded, first data row 1).
TABLE = """\
id,before,after,dose,months,arm
p1,7.5,6.4,100,12,A
p2,,6.1,200,18,B
p3,8.2,7.0,300,24,A
p4,7.9,7.7,100,6,B
p5,8.8,,400,30,A
p6,9.1,7.5,500,36,B
p7,7.0,6.9,100,12,A
p8,8.4,7.1,1000,48,B
p9,10.2,8.3,2000,60,A
"""
BEFORE = np.array([7.5, np.nan, 8.2, 7.9, 8.8, 9.1, 7.0, 8.4, 10.2])
AFTER = np.array([6.4, 6.1, 7.0, 7.7, np.nan, 7.5, 6.9, 7.1, 8.3])
DOSE = np.array([100, 200, 300, 100, 400, 500, 100, 1000, 2000], dtype=float)
ARM = np.array(list("ABABABABA"))


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The command line in a fresh interpreter, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "cohort_reanalysis", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        check=False,
    )


def assert_one_line_error(stderr: str) -> str:
    """The error lines at the end of stderr (one per problem; one for most inputs), joined."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr
    errors = [line for line in lines if line.startswith("cohort-reanalysis: error: ")]
    assert errors, stderr
    assert lines[-len(errors) :] == errors, stderr
    return "\n".join(errors)


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "table.csv"
    path.write_text(TABLE, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- usage


def test_help_of_every_command_has_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ([], ["datasets"], ["describe"], ["verify"], ["analyze"]):
        assert main([*command, "--help"]) == 0
        out = capsys.readouterr().out
        assert "example" in out
        assert "cohort-reanalysis" in out


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["frobnicate"],
        ["analyze", "x.csv"],  # --before/--after missing
        ["verify", "matsuoka2025", "--format", "pdf"],
        ["verify", "matsuoka2025", "--fail-on", "wrong"],
    ],
)
def test_usage_errors_exit_2_with_one_line(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert_one_line_error(captured.err)


def test_an_internal_error_is_one_line_unless_asked_for_the_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cohort_reanalysis.presentation import _cli

    def broken(args: object) -> int:
        raise TypeError("boom")

    monkeypatch.setattr(_cli, "_cmd_datasets", broken)
    monkeypatch.delenv("COHORT_REANALYSIS_TRACEBACK", raising=False)
    assert main(["datasets"]) == 2
    line = assert_one_line_error(capsys.readouterr().err)
    assert "internal error: TypeError: boom" in line
    monkeypatch.setenv("COHORT_REANALYSIS_TRACEBACK", "1")
    with pytest.raises(TypeError, match="boom"):
        main(["datasets"])


def test_the_console_script_points_at_main() -> None:
    from importlib.metadata import entry_points

    scripts = entry_points(group="console_scripts")
    (script,) = [e for e in scripts if e.name == "cohort-reanalysis"]
    assert script.value == "cohort_reanalysis.presentation._cli:main"
    assert script.load() is main


# ---------------------------------------------------------------------------- datasets, describe


def test_datasets_lists_the_bundled_dataset(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("matsuoka2025 "))
    assert "58 rows" in line and "n = 61 reported" in line
    assert "10.20944/preprints202503.1601.v1" in out


def test_describe_states_provenance_columns_and_rows(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["describe", "matsuoka2025"]) == 0
    out = capsys.readouterr().out
    assert "DOI: 10.20944/preprints202503.1601.v1" in out
    assert "Rows: 58 printed; the paper reports n = 61 (3 not printed)" in out
    for column in ("sex", "age", "dose_million", "hba1c_before", "hba1c_after", "months"):
        assert column in out
    assert "million cells" in out
    # Table 1, computed by the analyses layer (counts checked against the printed table).
    assert "Sex: M" in out and "42 (72.4%)" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_describe_a_dataset_folder_and_a_csv_with_sidecar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cohort_reanalysis.cohort import dataset_info, load_dataset

    folder = dataset_info("matsuoka2025").folder
    assert main(["describe", str(folder)]) == 0
    assert "58 printed" in capsys.readouterr().out

    csv = tmp_path / "copy.csv"
    load_dataset("matsuoka2025").to_csv(csv)
    assert main(["describe", str(csv)]) == 0
    out = capsys.readouterr().out
    assert "hba1c_before" in out and "58 printed" in out


def test_describe_missing_cells_are_counted(
    table: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cohort_reanalysis.cohort import Cohort

    cohort = Cohort.from_csv(table, columns={"before": "before", "after": "after"})
    csv = tmp_path / "with_sidecar.csv"
    cohort.to_csv(csv)
    assert main(["describe", str(csv)]) == 0
    out = capsys.readouterr().out
    assert "row 2: before missing" in out and "row 5: after missing" in out


def test_describe_a_dataset_without_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    from cohort_reanalysis.cohort import dataset_info, list_datasets

    summary_only = [n for n in list_datasets() if not dataset_info(n).has_table]
    if not summary_only:
        pytest.skip("no summary-only dataset bundled")
    assert main(["describe", summary_only[0]]) == 0
    out = capsys.readouterr().out
    assert out.startswith(summary_only[0]) and "No patient table" in out


@pytest.mark.parametrize(
    "target", ["no_such_dataset", "/no/such/folder", "/no/such/table.csv", "."]
)
def test_describe_bad_targets_exit_2(target: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["describe", target]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert_one_line_error(captured.err)


def test_describe_csv_without_sidecar_exit_2(
    table: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["describe", str(table)]) == 2
    line = assert_one_line_error(capsys.readouterr().err)
    assert "sidecar" in line and str(table) in line


# ---------------------------------------------------------------------------- analyze


def _analyze_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(["analyze", *argv, "--format", "json"]) == 0
    captured = capsys.readouterr()
    return json.loads(captured.out)


def check_group(entry: dict[str, Any]) -> None:
    for key, kind in GROUP_KEYS.items():
        assert key in entry, key
        value = entry[key]
        if value is not None:
            assert isinstance(value, kind) or (kind is float and isinstance(value, int)), key
    for item in entry["excluded"]:
        assert set(item) == {"row", "reason"}
        assert isinstance(item["row"], int) and isinstance(item["reason"], str)
    assert entry["n_excluded"] == len(entry["excluded"])


def test_analyze_json_contract_and_values_against_scipy(
    table: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _analyze_json(capsys, str(table), "--before", "before", "--after", "after")
    assert set(out["groups"]) == {"all"}
    g = out["groups"]["all"]
    check_group(g)
    assert [x["row"] for x in g["excluded"]] == [2, 5]
    assert "before" in g["excluded"][0]["reason"] and "after" in g["excluded"][1]["reason"]

    keep = ~(np.isnan(BEFORE) | np.isnan(AFTER))
    b, a = BEFORE[keep], AFTER[keep]
    t = stats.ttest_rel(a, b)
    ci = t.confidence_interval(0.95)
    assert g["n"] == 7
    assert g["mean_before"] == pytest.approx(b.mean(), rel=1e-12)
    assert g["mean_after"] == pytest.approx(a.mean(), rel=1e-12)
    assert g["mean_change"] == pytest.approx((a - b).mean(), rel=1e-12)
    assert g["sd_change"] == pytest.approx(np.std(a - b, ddof=1), rel=1e-12)
    assert g["statistic"] == pytest.approx(t.statistic, rel=1e-10)
    assert g["df"] == 6
    assert g["pvalue"] == pytest.approx(t.pvalue, rel=1e-10)
    assert g["ci_low"] == pytest.approx(ci.low, rel=1e-10)
    assert g["ci_high"] == pytest.approx(ci.high, rel=1e-10)
    w = stats.wilcoxon(a - b, correction=True, method="approx")
    assert g["wilcoxon_pvalue"] == pytest.approx(w.pvalue, rel=1e-10)


def test_analyze_json_groups_keep_their_own_exclusions(
    table: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _analyze_json(
        capsys, str(table), "--before", "before", "--after", "after", "--group", "arm"
    )
    assert set(out["groups"]) == {"all", "A", "B"}
    for level in ("A", "B"):
        entry = out["groups"][level]
        check_group(entry)
        rows = np.flatnonzero(ARM == level) + 1
        keep = ~(np.isnan(BEFORE) | np.isnan(AFTER)) & (ARM == level)
        assert entry["n"] == int(keep.sum())
        assert entry["rows"] == [int(r) for r in np.flatnonzero(keep) + 1]
        assert {x["row"] for x in entry["excluded"]} <= set(rows.tolist())
        t = stats.ttest_rel(AFTER[keep], BEFORE[keep])
        assert entry["pvalue"] == pytest.approx(t.pvalue, rel=1e-10)
    assert [x["row"] for x in out["groups"]["A"]["excluded"]] == [5]
    assert [x["row"] for x in out["groups"]["B"]["excluded"]] == [2]


def test_analyze_json_dose_correlation_against_scipy(
    table: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _analyze_json(
        capsys, str(table), "--before", "before", "--after", "after", "--dose", "dose"
    )
    keep = ~(np.isnan(BEFORE) | np.isnan(AFTER))
    r = stats.pearsonr(DOSE[keep], AFTER[keep] - BEFORE[keep])
    rho = stats.spearmanr(DOSE[keep], AFTER[keep] - BEFORE[keep])
    pearson = out["dose"]["correlations"]["pearson"]
    assert pearson["estimate"] == pytest.approx(r.statistic, rel=1e-10)
    assert pearson["pvalue"] == pytest.approx(r.pvalue, rel=1e-8)
    assert out["dose"]["correlations"]["spearman"]["estimate"] == pytest.approx(
        rho.statistic, rel=1e-10
    )
    assert [x["row"] for x in out["dose"]["excluded"]] == [2, 5]


REFERENCE = Path(__file__).parents[1] / "reference" / "msc58_R.json"


def test_analyze_the_bundled_table_against_r(capsys: pytest.CaptureFixture[str]) -> None:
    """R 4.2.2 on the 58 printed rows, with R's reduction = before - after (signs flipped)."""
    from cohort_reanalysis.cohort import dataset_info

    ref = json.loads(REFERENCE.read_text(encoding="utf-8"))
    csv = dataset_info("matsuoka2025").data_file
    assert csv is not None
    out = _analyze_json(
        capsys,
        str(csv),
        *("--before", "hba1c_before", "--after", "hba1c_after"),
        *("--dose", "dose_million", "--followup", "months", "--group", "sex"),
        *("--measure", "HbA1c", "--unit", "%"),
    )
    g = out["groups"]["all"]
    t = ref["msc_paired"]
    assert g["n"] == 58 and g["n_excluded"] == 0 and g["excluded"] == []
    assert g["statistic"] == pytest.approx(-t["t"], rel=1e-9)
    assert g["df"] == t["df"]
    assert g["pvalue"] == pytest.approx(t["p"], rel=1e-9)
    assert g["mean_change"] == pytest.approx(-t["est"], rel=1e-9)
    assert (g["ci_low"], g["ci_high"]) == pytest.approx((-t["ci"][1], -t["ci"][0]), rel=1e-9)
    assert g["wilcoxon_pvalue"] == pytest.approx(ref["msc_wilcox_correct"]["p"], rel=1e-9)
    dose = out["dose"]["correlations"]
    assert dose["pearson"]["estimate"] == pytest.approx(-ref["msc_cor_dose_pearson"]["r"], rel=1e-9)
    assert dose["pearson"]["pvalue"] == pytest.approx(ref["msc_cor_dose_pearson"]["p"], rel=1e-9)
    months = out["followup"]["correlations"]
    pearson = ref["msc_cor_months_pearson"]
    assert months["pearson"]["estimate"] == pytest.approx(-pearson["r"], rel=1e-9)
    assert (months["pearson"]["ci_low"], months["pearson"]["ci_high"]) == pytest.approx(
        (-pearson["ci"][1], -pearson["ci"][0]), rel=1e-9
    )
    spearman = ref["msc_cor_months_spearman"]
    assert months["spearman"]["estimate"] == pytest.approx(-spearman["rho"], rel=1e-9)
    assert months["spearman"]["pvalue"] == pytest.approx(spearman["p"], rel=1e-9)
    q1, median, q3 = ref["msc_months_quantiles_types1to9"]["by_type"]["7"]
    followup = out["followup"]
    assert (followup["q1"], followup["median"], followup["q3"]) == pytest.approx((q1, median, q3))
    assert set(out["groups"]) == {"all", "M", "F"}
    assert out["groups"]["M"]["n"] + out["groups"]["F"]["n"] == 58


def test_analyze_text_states_exclusions_first(
    table: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", str(table), "--before", "before", "--after", "after"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "9 rows, 7 complete pairs, 2 left out" in lines[0]
    head = "\n".join(lines[:4])
    assert "row 2: before missing" in head and "row 5: after missing" in head


def test_analyze_no_nan_in_json_when_a_group_has_one_pair(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "small.csv"
    path.write_text("b,a,g\n7.0,6.5,x\n8.0,7.1,x\n9.0,8.2,y\n", encoding="utf-8")
    out = _analyze_json(capsys, str(path), "--before", "b", "--after", "a", "--group", "g")
    y = out["groups"]["y"]
    assert y["n"] == 1 and y["sd_change"] is None and y["pvalue"] is None
    assert y["reasons"]["statistic"]
    assert out["groups"]["x"]["df"] == 1


def test_analyze_comma_decimal_with_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "fr.csv"
    path.write_text("b;a\n7,5;6,4\n8,2;7,0\n7,9;7,7\n", encoding="utf-8")
    out = _analyze_json(capsys, str(path), "--before", "b", "--after", "a", "--decimal", ",")
    assert out["groups"]["all"]["mean_before"] == pytest.approx((7.5 + 8.2 + 7.9) / 3)


@pytest.mark.parametrize(
    ("content", "argv", "needles"),
    [
        # A comma decimal without --decimal: the message names file, row and column.
        ("b;a\n7,5;6,4\n8,2;7,0\n", ["--before", "b", "--after", "a"], ["'b'", "row", "7,5"]),
        # A column that does not exist.
        ("b,a\n7.5,6.4\n", ["--before", "b", "--after", "nope"], ["nope", "columns are"]),
        # A column without a name in the header.
        ("b,\n7.5,6.4\n", ["--before", "b", "--after", "a"], ["no name"]),
        # Text in a numeric column, at row 2.
        ("b,a\n7.5,6.4\n8.1,n/a\n", ["--before", "b", "--after", "a"], ["row 2", "'a'"]),
        # One column given to two options.
        ("b,a\n7.5,6.4\n", ["--before", "b", "--after", "a", "--group", "b"], ["--group"]),
        # No complete pair at all.
        ("b,a\n7.5,\n,6.4\n", ["--before", "b", "--after", "a"], ["no complete pairs"]),
        # HbA1c in mmol/mol labelled as %.
        (
            "b,a\n58,52\n64,60\n",
            ["--before", "b", "--after", "a", "--measure", "HbA1c", "--unit", "%"],
            ["plausible"],
        ),
    ],
)
def test_analyze_bad_tables_exit_2_with_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str,
    argv: list[str],
    needles: list[str],
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    assert main(["analyze", str(path), *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    line = assert_one_line_error(captured.err)
    for needle in needles:
        assert needle in line, line


def test_analyze_missing_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.csv"
    assert main(["analyze", str(missing), "--before", "b", "--after", "a"]) == 2
    line = assert_one_line_error(capsys.readouterr().err)
    assert str(missing) in line


# ---------------------------------------------------------------------------- verify


@pytest.fixture(scope="module")
def audit() -> Any:
    from cohort_reanalysis.cohort import load_dataset
    from cohort_reanalysis.verification._audit import verify

    return verify(load_dataset("matsuoka2025"))


def check_verify_contract(obj: dict[str, Any]) -> None:
    """The JSON object of ``verify --format json`` as docs/json-contract.md states it."""
    assert isinstance(obj["dataset"], str) and obj["dataset"]
    assert isinstance(obj["doi"], str)
    assert isinstance(obj["n_rows"], int) and not isinstance(obj["n_rows"], bool)
    assert isinstance(obj["claims"], list) and obj["claims"]
    for claim in obj["claims"]:
        for key in ("id", "quote", "location", "reported", "explanation"):
            assert isinstance(claim[key], str), (claim.get("id"), key)
        assert claim["verdict"] in VERDICTS
        assert isinstance(claim["specification"], dict)
        recomputed = claim["recomputed"]
        # docs/json-contract.md: number | null; ranges and IQRs give null and two recomputed_values.
        assert recomputed is None or _finite_number(recomputed), claim["id"]
        pair = claim.get("recomputed_values")
        assert pair is None or (len(pair) == 2 and all(_finite_number(v) for v in pair))
        if claim["verdict"] == "not_checkable":
            assert recomputed is None
    assert set(obj["counts"]) == VERDICTS
    tallied = {v: sum(c["verdict"] == v for c in obj["claims"]) for v in VERDICTS}
    assert obj["counts"] == tallied
    assert len({c["id"] for c in obj["claims"]}) == len(obj["claims"])


def test_verify_json_matches_the_contract_and_the_audit(
    audit: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", "matsuoka2025", "--format", "json"]) == 0
    captured = capsys.readouterr()
    obj = json.loads(captured.out)
    check_verify_contract(obj)
    assert obj == json.loads(json.dumps(audit.to_dict()))
    assert obj["dataset"] == "matsuoka2025" and obj["n_rows"] == 58
    assert obj["doi"] == "10.20944/preprints202503.1601.v1"
    # Progress went to stderr, in at most a few lines, never to stdout.
    assert "done in" in captured.err  # "verifying…" is said only if it takes over a second
    assert len(captured.err.splitlines()) <= 3


@pytest.mark.parametrize("verdict", sorted(VERDICTS))
def test_verify_fail_on_exits_1_exactly_when_a_claim_has_that_verdict(
    verdict: str, audit: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = 1 if any(r.verdict.value == verdict for r in audit.results) else 0
    assert main(["verify", "matsuoka2025", "--format", "json", "--fail-on", verdict]) == expected
    captured = capsys.readouterr()
    check_verify_contract(json.loads(captured.out))  # the report is still written
    if expected:
        hits = [r.id for r in audit.results if r.verdict.value == verdict]
        assert all(h in captured.err for h in hits)


def test_verify_text_states_the_facts_first(audit: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "matsuoka2025"]) == 0
    lines = capsys.readouterr().out.splitlines()
    head = "\n".join(lines[:12])
    assert lines[0] == f"Verification of matsuoka2025: {len(audit.results)} claims"
    assert "DOI: 10.20944/preprints202503.1601.v1" in head
    assert "58 printed" in head and "n = 61" in head
    assert "Left out of the before/after pairs" in head
    n_not = audit.counts["not_reproduced"]
    assert f"{n_not} not reproduced" in head
    assert max(len(line) for line in lines) <= 100


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_verify_out_writes_the_file_and_nothing_to_stdout(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sub" / f"report.{fmt}"
    assert main(["verify", "matsuoka2025", "--format", fmt, "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert str(out) in captured.err
    text = out.read_text(encoding="utf-8")
    assert "abstract.mean_before" in text
    if fmt == "json":
        check_verify_contract(json.loads(text))
    if fmt == "html":
        assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")


def test_verify_writes_every_figure_and_embeds_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from PIL import Image

    from cohort_reanalysis.presentation.figures import all_figures

    folder = tmp_path / "figures"
    out = tmp_path / "report.html"
    argv = ["verify", "matsuoka2025", "--format", "html", "--out", str(out)]
    assert main([*argv, "--figures", str(folder)]) == 0
    capsys.readouterr()
    pngs = sorted(folder.glob("*.png"))
    from cohort_reanalysis import load_dataset, verify

    cohort = load_dataset("matsuoka2025")
    expected = sorted(all_figures(cohort, verify(cohort)))
    assert [p.stem for p in pngs] == expected
    assert sorted(p.stem for p in folder.glob("*.svg")) == expected
    for png in pngs:
        dpi = Image.open(png).info["dpi"]
        assert min(dpi) >= 149.5, (png.name, dpi)
    assert out.read_text(encoding="utf-8").count("data:image/png;base64,") == len(pngs)


def test_verify_bad_dataset_and_bad_claims_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from cohort_reanalysis.cohort import dataset_info

    assert main(["verify", "no_such_dataset"]) == 2
    line = assert_one_line_error(capsys.readouterr().err)
    assert "no_such_dataset" in line

    folder = tmp_path / "broken"
    shutil.copytree(dataset_info("matsuoka2025").folder, folder)
    claims = folder / "claims.json"
    obj = json.loads(claims.read_text(encoding="utf-8"))
    obj["claims"][0]["comparator"] = "~"
    claims.write_text(json.dumps(obj), encoding="utf-8")
    assert main(["verify", str(folder)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    line = assert_one_line_error(captured.err)
    assert "claims.json" in line and "comparator" in line

    claims.write_text('{"format": ', encoding="utf-8")
    assert main(["verify", str(folder), "--format", "json"]) == 2
    assert_one_line_error(capsys.readouterr().err)


def test_verify_a_dataset_without_a_table_runs_the_summary_checks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from cohort_reanalysis.cohort import dataset_info, list_datasets

    summary_only = [n for n in list_datasets() if not dataset_info(n).has_table]
    if not summary_only:
        pytest.skip("no summary-only dataset bundled")
    name = summary_only[0]
    assert main(["verify", name, "--format", "json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert obj["dataset"] == name
    assert sum(obj["counts"].values()) == len(obj["summary_claims"])


def _finite_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


# ---------------------------------------------------------------------------- subprocess


@pytest.mark.slow
def test_subprocess_analyze_json_and_bad_table(table: Path, tmp_path: Path) -> None:
    done = run_cli(
        "analyze", str(table), "--before", "before", "--after", "after", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    check_group(out["groups"]["all"])
    assert [x["row"] for x in out["groups"]["all"]["excluded"]] == [2, 5]
    assert "NaN" not in done.stdout

    bad = tmp_path / "comma.csv"
    bad.write_text("b;a\n7,5;6,4\n", encoding="utf-8")
    done = run_cli("analyze", str(bad), "--before", "b", "--after", "a")
    assert done.returncode == 2
    assert done.stdout == ""
    line = assert_one_line_error(done.stderr)
    assert str(bad) in line and "row 1" in line and "'b'" in line

    done = run_cli("analyze", str(table), "--before", "before", "--after", "nope")
    assert done.returncode == 2
    assert "nope" in assert_one_line_error(done.stderr)


@pytest.mark.slow
def test_subprocess_datasets_describe_and_bad_path(tmp_path: Path) -> None:
    done = run_cli("datasets", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "matsuoka2025" in done.stdout

    done = run_cli("describe", "matsuoka2025", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "58 printed" in done.stdout

    done = run_cli("describe", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert done.returncode == 2
    assert_one_line_error(done.stderr)

    done = run_cli("analyze", "x.csv", cwd=tmp_path)  # usage error from argparse
    assert done.returncode == 2
    assert "--before" in assert_one_line_error(done.stderr)


@pytest.mark.slow
def test_subprocess_verify_json_and_fail_on(audit: Any, tmp_path: Path) -> None:
    done = run_cli(
        "verify", "matsuoka2025", "--format", "json", "--fail-on", "not_reproduced", cwd=tmp_path
    )
    expected = 1 if audit.counts["not_reproduced"] else 0
    assert done.returncode == expected, done.stderr
    assert "Traceback" not in done.stderr
    obj = json.loads(done.stdout)
    check_verify_contract(obj)
    assert obj["counts"] == audit.counts
