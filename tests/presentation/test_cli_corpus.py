"""``verify A B ...`` and ``verify FOLDER``: one combined report, failures on stderr (one line
per problem) with exit status 2, the others reported all the same; --jobs, --executor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cohort_reanalysis.cohort import dataset_info, list_datasets
from cohort_reanalysis.presentation._cli import main
from cohort_reanalysis.presentation._cli_corpus import dask_address
from cohort_reanalysis.presentation._corpus_report import render_corpus
from cohort_reanalysis.verification._corpus import verify_corpus

BUNDLED = str(dataset_info("matsuoka2025").folder.parent)

Capture = pytest.CaptureFixture[str]


def _run(capsys: Capture, *argv: str) -> tuple[int, str, list[str]]:
    status = main(["verify", *argv])
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if ": error: " in line]
    return status, captured.out, errors


def test_a_folder_of_datasets_gives_the_summary_table(capsys: Capture) -> None:
    status, out, errors = _run(capsys, BUNDLED)
    assert status == 0 and errors == []
    lines = out.splitlines()
    assert lines[0] == f"Corpus of {len(list_datasets())} datasets: 5 verified, 0 failed"
    header = next(i for i, line in enumerate(lines) if line.startswith("dataset "))
    assert [line.split()[0] for line in lines[header + 1 :]] == list_datasets()
    assert "no table; summary-level:" in out  # meta_t1dm_2025 has no patient table


def test_a_failed_dataset_is_reported_and_exits_2(capsys: Capture) -> None:
    status, out, errors = _run(capsys, "student1908_sleep", "no_such_dataset", "--format", "json")
    assert status == 2
    document = json.loads(out)  # the whole document is written all the same
    assert [d["dataset"] for d in document["datasets"]] == ["student1908_sleep", "no_such_dataset"]
    assert len(errors) == 1 and "no dataset named 'no_such_dataset'" in errors[0]
    assert document["datasets"][1]["error"] in errors[0]


def test_every_problem_of_a_failed_dataset_is_one_line(capsys: Capture, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "broken"
    shutil.copytree(dataset_info("student1908_sleep").folder, folder)
    claims = json.loads((folder / "claims.json").read_text())
    by_id = {claim["id"]: claim for claim in claims["claims"]}
    by_id["n_patients"]["statistic_typo"] = 1
    by_id["mean_1"]["comparator"] = "≈"
    (folder / "claims.json").write_text(json.dumps(claims))
    status, _, errors = _run(capsys, str(folder), "zea_mays_darwin1876")
    assert status == 2
    assert len(errors) == 2 and all("claims.json" in line for line in errors)


def test_jsonl_is_one_dataset_per_line(capsys: Capture) -> None:
    status, out, _ = _run(capsys, BUNDLED, "--format", "jsonl")
    assert status == 0
    lines = out.splitlines()
    assert [json.loads(line) for line in lines] == verify_corpus([BUNDLED]).to_dict()["datasets"]
    status, out, _ = _run(capsys, "student1908_sleep", "--format", "jsonl")  # one dataset too
    assert status == 0 and len(out.splitlines()) == 1


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_reports_follow_the_summary(capsys: Capture, fmt: str) -> None:
    status, out, _ = _run(capsys, "student1908_sleep", "meta_t1dm_2025", "--format", fmt)
    assert status == 0
    status, with_reports, _ = _run(
        capsys, "student1908_sleep", "meta_t1dm_2025", "--format", fmt, "--reports"
    )
    assert status == 0
    if fmt == "html":
        assert with_reports.count("<iframe") == 2 and out.count("<iframe") == 0
        summary_end = with_reports.index("<h2>Reports</h2>")
        assert with_reports[:summary_end] == out[: out.index("<footer>")]
    else:
        assert with_reports.startswith(out)  # the summary first, as without --reports
        rest = with_reports[len(out) :].replace("\\_", "_")  # Markdown escapes the names
        assert "Verification of student1908_sleep" in rest
        assert "Summary-level checks of meta_t1dm_2025" in rest


def test_fail_on_looks_at_every_dataset(capsys: Capture) -> None:
    status = main(["verify", "matsuoka2025", "student1908_sleep", "--fail-on", "not_reproduced"])
    assert status == 1
    assert "claim(s): matsuoka2025:abstract.n_enrolled" in capsys.readouterr().err
    status, _, _ = _run(  # neither has a claim reproduced under an alternative
        capsys, "zea_mays_darwin1876", "meta_t1dm_2025", "--fail-on", "reproduced_under_alternative"
    )
    assert status == 0
    status, _, _ = _run(
        capsys, "meta_t1dm_2025", "student1908_sleep", "--fail-on", "not_reproduced"
    )
    assert status == 1  # a summary claim that is inconsistent counts, as for one dataset
    # A failed dataset outranks --fail-on.
    status, _, _ = _run(capsys, "matsuoka2025", "nope", "--fail-on", "not_reproduced")
    assert status == 2


def test_out_writes_the_document(capsys: Capture, tmp_path: Path) -> None:
    out_file = tmp_path / "corpus" / "all.json"
    status, out, _ = _run(capsys, BUNDLED, "--format", "json", "--out", str(out_file))
    assert status == 0 and out == ""
    assert json.loads(out_file.read_text()) == verify_corpus([BUNDLED]).to_dict()


def test_options_of_one_dataset_are_refused_all_at_once(capsys: Capture) -> None:
    status, out, errors = _run(
        capsys, "matsuoka2025", "student1908_sleep", "--claims", "c.json", "--figures", "f",
        "--before", "b", "--jobs", "2", "--executor", "dask://h:1",
    )  # fmt: skip
    assert status == 2 and out == ""
    assert [e.split(": error: ")[1].split(":")[0] for e in errors] == [
        "--claims",
        "--figures",
        "--before",
        "--jobs and --executor",
    ]


def test_one_dataset_refuses_reports(capsys: Capture) -> None:
    status, out, errors = _run(capsys, "matsuoka2025", "--reports")
    assert status == 2 and out == "" and len(errors) == 1 and "--reports" in errors[0]


def test_jobs_give_the_same_report(capsys: Capture) -> None:
    status, local, _ = _run(capsys, BUNDLED, "nope", "--format", "json")
    status_pool, pooled, _ = _run(capsys, BUNDLED, "nope", "--format", "json", "--jobs", "2")
    assert (status, status_pool) == (2, 2) and pooled == local
    status, single, _ = _run(capsys, "matsuoka2025", "--format", "json", "--jobs", "2")
    assert status == 0
    assert single == _run(capsys, "matsuoka2025", "--format", "json")[1]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--jobs", "0"], "--jobs 0: must be at least 1"),
        (["--executor", "tcp://h:1"], "expected dask://HOST:PORT"),
        (["--executor", "dask://nowhere"], "expected dask://HOST:PORT"),
    ],
)
def test_bad_jobs_and_executors_are_one_line(
    capsys: Capture, argv: list[str], message: str
) -> None:
    status, out, errors = _run(capsys, "matsuoka2025", "student1908_sleep", *argv)
    assert status == 2 and out == "" and len(errors) == 1 and message in errors[0]


def test_dask_address() -> None:
    assert dask_address("dask://10.0.0.2:8786") == "tcp://10.0.0.2:8786"
    with pytest.raises(ValueError, match="expected dask://HOST:PORT"):
        dask_address("dask://:8786")


def test_markdown_escapes_what_comes_from_files() -> None:
    corpus = verify_corpus(["no_*such*_|dataset"])
    text = render_corpus(corpus, format="markdown")
    row = next(line for line in text.splitlines() if "such" in line and line.startswith("| "))
    assert "\\*such\\*" in row and "\\|dataset" in row
    assert len(row.replace("\\|", "").split("|")) == 8  # the name's pipe splits no cell
