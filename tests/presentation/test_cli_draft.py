"""``cohort-reanalysis draft`` end to end on the bundled preprint, and on bad inputs.

The drafted files are read back with the library's own readers (``load_claims``,
``load_dataset``) and verified; the transcribed table is compared with the hand-written
``patients.csv`` and its metadata with the bundled one. Every bad input is one line per
problem on stderr, exit status 2, and nothing written.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cohort_reanalysis.cohort import load_dataset
from cohort_reanalysis.presentation._cli import main
from cohort_reanalysis.verification._audit import verify, verify_summary
from cohort_reanalysis.verification.claims import load_claims, parse_claims

FOLDER = Path(__file__).resolve().parents[2] / "datasets" / "matsuoka2025"
PREPRINT = FOLDER / "sources" / "preprint.txt"
ABSTRACT = FOLDER / "sources" / "abstract.txt"
STATES = {"needs quantity", "quantity guessed"}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("cohort-reanalysis: error:")]


def _consistent(claims: object) -> None:
    for c in claims.claims:  # type: ignore[attr-defined]
        assert c.draft in STATES
        assert (c.draft == "needs quantity") == (c.quantity is None)


def test_draft_with_a_dataset_writes_a_claims_file_that_loads_and_verifies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "claims.json"
    code, report, err = run(
        ["draft", str(PREPRINT), "--dataset", "matsuoka2025", "--out", str(out), "--verify"],
        capsys,
    )
    assert code == 0, err
    claims = load_claims(out)  # as written: the draft field is part of claims@2
    assert claims.dataset == "matsuoka2025" and len(claims.claims) >= 35
    _consistent(claims)
    assert any(c.draft == "quantity guessed" for c in claims.claims)
    audit = verify(load_dataset("matsuoka2025"), claims)
    verdicts = {r.id: r.verdict.value for r in audit.results}
    # The report names every drafted claim, with its verdict and what is left to do.
    for c in claims.claims:
        line = next(ln for ln in report.splitlines() if ln.strip().startswith(f"{c.id}:"))
        assert verdicts[c.id] in line
        assert ("fill in its quantity" in line) == (c.quantity is None)
        assert ("confirm the guessed quantity" in line) == (c.quantity is not None)
    assert report.splitlines()[0].startswith("draft of matsuoka2025:")
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind


def test_draft_without_out_prints_the_claims_and_reports_on_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["draft", str(ABSTRACT), "--verify"], capsys)
    assert code == 0
    claims = parse_claims(json.loads(out))
    assert claims.claims and all(c.draft == "needs quantity" for c in claims.claims)
    assert "fill in its quantity" in err and "draft of draft:" in err


def test_apa_results_become_summary_claims_checked_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paper = tmp_path / "paper.html"
    paper.write_text(
        "<h2>3. Results</h2><p>HbA1c fell (t(28) = 2.20, p = .036) and the groups differed "
        "(F(2, 30) = 4.1, p &lt; .05).</p>",
        encoding="utf-8",
    )
    code, out, err = run(["draft", str(paper), "--verify"], capsys)
    assert code == 0
    claims = parse_claims(json.loads(out))
    assert [s["test"] for s in claims.summary_claims] == ["t", "F"]
    statuses = [r.status for r in verify_summary(claims).results]
    for s, status in zip(claims.summary_claims, statuses, strict=True):
        assert f"{s.id}: test_statistic: {status}" in err


def test_draft_out_dir_writes_table_metadata_and_claims(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "drafted"
    code, report, err = run(["draft", str(PREPRINT), "--out", str(out), "--verify"], capsys)
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["claims.json", "metadata.json", "patients.csv"]
    assert (out / "patients.csv").read_bytes() == (FOLDER / "patients.csv").read_bytes()
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    hand = json.loads((FOLDER / "metadata.json").read_text(encoding="utf-8"))
    assert [d["rows"] for d in meta["provenance"]["damaged_rows"]] == [
        d["rows"] for d in hand["provenance"]["damaged_rows"]
    ]
    assert [(c["name"], c["role"]) for c in meta["columns"]] == [
        (c["name"], c["role"]) for c in hand["columns"]
    ]
    assert any("guessed" in note for note in meta["provenance"]["transcription_notes"])
    cohort = load_dataset(out)
    assert len(cohort) == 58
    claims = load_claims(out / "claims.json")
    assert claims.dataset == "drafted"
    _consistent(claims)
    verify(cohort, claims)
    assert report.startswith("draft of drafted:")
    # The folder is a dataset the verify command reads as it is.
    assert main(["verify", str(out), "--format", "json"]) == 0
    # ... and --fail-on catches the claims whose quantity is still to be filled in.
    assert main(["verify", str(out), "--fail-on", "not_checkable"]) == 1
    assert not list(tmp_path.glob(".*"))


def test_draft_out_dir_of_a_text_without_a_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "abstract_only"
    code, _, err = run(["draft", str(ABSTRACT), "--out", str(out)], capsys)
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["claims.json", "metadata.json"]
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert meta["data_file"] is None
    _consistent(load_claims(out / "claims.json"))


def test_draft_with_a_table_without_sidecar_guesses_its_roles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "patients.csv"
    shutil.copy(FOLDER / "patients.csv", table)
    out = tmp_path / "claims.json"
    code, _, err = run(["draft", str(PREPRINT), "--table", str(table), "--out", str(out)], capsys)
    assert code == 0, err
    assert "roles guessed from the header" in err and "hba1c_before as before" in err
    claims = load_claims(out)
    assert claims.dataset == "patients"
    guessed = {
        c.quantity.to_dict()["variable"]
        for c in claims.claims
        if c.quantity and c.quantity.variable
    }
    assert {"before", "after"} <= guessed


# ----------------------------------------------------------------------------- bad inputs


def _bad_table(tmp_path: Path) -> Path:
    table = tmp_path / "bad.csv"
    table.write_text("sex,before,after\nM,7.5,x\nM,,6.1\nQ,n/a,6.0\n", encoding="utf-8")
    return table


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["draft", "{tmp}/missing.txt"], ["missing.txt: no such file"]),
        (["draft", "{tmp}/latin1.txt"], ["latin1.txt: not UTF-8 text (byte"]),
        (["draft", "{tmp}"], ["a folder, not a paper"]),
        (["draft", "{paper}", "--dataset", "no_such_dataset"], ["no_such_dataset"]),
        (["draft", "{paper}", "--table", "{tmp}/nope.csv"], ["nope.csv: no such file"]),
        (
            ["draft", "{paper}", "--table", "{tmp}/bad.csv"],
            ["column 'sex': unknown code", "column 'before'", "column 'after'"],
        ),
        (["draft", "{paper}", "--table", "{tmp}/bad.csv", "--dataset", "x"], ["not allowed"]),
        (["draft", "{paper}", "--out", "{tmp}/dir", "--dataset", "matsuoka2025"], ["--out DIR"]),
        (["draft", "{paper}", "--out", "{tmp}/file.txt/"], ["exists and is not a folder"]),
    ],
)
def test_a_bad_input_is_one_line_per_problem_and_exit_2(
    argv: list[str], words: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "latin1.txt").write_bytes("Results: caf\xe9 61 patients".encode("latin-1"))
    (tmp_path / "file.txt").write_text("a file where a folder is asked for")
    _bad_table(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    args = [a.format(tmp=tmp_path, paper=ABSTRACT) for a in argv]
    code, out, err = run(args, capsys)
    assert code == 2
    assert out == ""
    lines = _errors(err)
    notes = [line for line in err.splitlines() if line not in lines]
    assert all("roles guessed from the header" in note for note in notes)
    assert len(lines) == len(words)
    for word, line in zip(words, lines, strict=True):
        assert word in line
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def test_a_failed_draft_leaves_an_existing_claims_file_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "claims.json"
    out.write_text("old", encoding="utf-8")
    code, _, _ = run(
        ["draft", str(ABSTRACT), "--table", str(_bad_table(tmp_path)), "--out", str(out)], capsys
    )
    assert code == 2
    assert out.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "claims.json"]
