"""The bad-input catalogue (issue 8) through the command line: `analyze`, `describe`, `verify`.

Each bad table ends in exit status 2 and one line on stderr per problem (one rule broken in
one column), each naming the file and, where the problem sits in a row, the row and the
column; never a traceback. The same inputs
through the Python API are in tests/cohort/test_bad_inputs.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cohort_reanalysis.cohort import dataset_info
from cohort_reanalysis.presentation._cli import main

# name -> (file bytes, what the one-line message must also mention besides the file name)
BAD_TABLES: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "empty file": (b"", ("empty",)),
    "header only": (b"b,a\n", ("no rows",)),
    "binary garbage": (b"\x00\x01\x02\xff\xfe" * 40, ("binary",)),
    "latin-1": ("b,a,note\n7.5,6.4,caf\xe9\n".encode("latin-1"), ("UTF-8", "--encoding")),
    "comma decimals": (b"b;a\n7,5;6,4\n8,1;7,0\n", ("rows 1 ('7,5'), 2", "'b'", "--decimal")),
    "thousands separator": (b'b,a\n"1,000",6.4\n', ("row 1", "'b'", "thousands")),
    "text n/a": (b"b,a\n7.5,n/a\n", ("row 1", "'a'", "missing")),
    "censored <5": (b"b,a\n7.5,<5\n", ("row 1", "'a'", "censored")),
    "percent sign": (b"b,a\n7.5%,6.4\n", ("row 1", "'b'", "percent")),
    "inf": (b"b,a\n7.5,inf\n", ("row 1", "'a'", "infinite")),
    "duplicated column names": (b"b,a,a\n7.5,6.4,6.0\n", ("duplicated column",)),
    "ragged row": (b"b,a\n7.5,6.4\n8.1,7.0,9\n", ("row 2", "cells")),
    "HbA1c in mmol/mol": (b"b,a\n7.5,6.4\n74,6.5\n", ("row 2", "'b'", "mmol/mol")),
}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> str:
    """The error's lines (one per problem: most bad tables break one rule), joined."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines, err
    assert all(line.startswith("cohort-reanalysis: error: ") for line in lines), err
    assert "Traceback" not in err
    return "\n".join(lines)


@pytest.mark.parametrize("case", sorted(BAD_TABLES))
def test_analyze_refuses_a_bad_table_in_one_line(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, mentions = BAD_TABLES[case]
    path = tmp_path / "table.csv"
    path.write_bytes(data)
    argv = ["analyze", str(path), "--before", "b", "--after", "a", "--measure", "HbA1c"]
    code, out, err = run([*argv, "--unit", "%"], capsys)
    assert code == 2 and out == ""
    line = one_line_error(err)
    assert str(path) in line
    for text in mentions:
        assert text in line, (case, line)


def test_analyze_names_a_missing_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.csv"
    path.write_text("b,a\n7.5,6.4\n")
    code, _, err = run(["analyze", str(path), "--before", "b", "--after", "after"], capsys)
    line = one_line_error(err)
    assert code == 2 and "'after'" in line and "does not exist" in line


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("7.5,6.4\n", id="one row"),
        # Differences all -0.75; quarters are exact in binary, so they are truly equal.
        pytest.param("7.5,6.75\n8.0,7.25\n9.5,8.75\n", id="zero-variance differences"),
    ],
)
def test_analyze_decides_one_row_and_zero_variance(
    body: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "t.csv"
    path.write_text("b,a\n" + body)
    code, out, err = run(
        ["analyze", str(path), "--before", "b", "--after", "a", "--format", "json"], capsys
    )
    assert code == 0, err
    group = json.loads(out)["groups"]["all"]
    # The paired t cannot be computed: null with a reason, never NaN (json.loads would accept
    # NaN only as a bare token, which allow_nan=False in the CLI forbids).
    assert group["statistic"] is None and group["pvalue"] is None
    assert "NaN" not in out


@pytest.mark.parametrize("command", ["describe", "verify"])
def test_describe_and_verify_refuse_an_unknown_name_or_path(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run([command, "no_such_dataset"], capsys)
    line = one_line_error(err)
    assert code == 2 and out == "" and "no_such_dataset" in line and "matsuoka2025" in line


def _dataset_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "copy"
    shutil.copytree(dataset_info("matsuoka2025").folder, folder)
    return folder


@pytest.mark.parametrize("command", ["describe", "verify"])
def test_a_damaged_data_file_is_refused_by_checksum(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _dataset_copy(tmp_path)
    data = folder / "patients.csv"
    data.write_text(data.read_text().replace("7.5,6.4,27", "7.5,6.4,28", 1))
    code, _, err = run([command, str(folder)], capsys)
    line = one_line_error(err)
    assert code == 2 and "checksum" in line and "patients.csv" in line


CLAIM_DEFECTS = {
    "missing field": lambda c: c.pop("quote"),
    "unknown statistic": lambda c: c["quantity"].update(statistic="geometric_mode"),
    "malformed reported value": lambda c: c.update(reported="7.49.1"),
    "unknown column": lambda c: c["quantity"].update(variable="hba1c_baseline"),
    "python code": lambda c: c.update(reported="__import__('os').system('touch PWNED')"),
    "ordering a text column": lambda c: c["quantity"].update(
        subset=[{"variable": "sex", "op": "<", "value": 0}]
    ),
    "mean of a text column": lambda c: c["quantity"].update(variable="sex"),
}


@pytest.mark.parametrize("defect", sorted(CLAIM_DEFECTS))
def test_verify_refuses_a_bad_claims_file_in_one_line(
    defect: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _dataset_copy(tmp_path)
    claims_path = folder / "claims.json"
    claims = json.loads(claims_path.read_text())
    target = next(c for c in claims["claims"] if c["id"] == "abstract.mean_before")
    CLAIM_DEFECTS[defect](target)
    claims_path.write_text(json.dumps(claims))
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["verify", str(folder)], capsys)
    line = one_line_error(err)
    assert code == 2 and out == ""
    assert "claims.json" in line and "abstract.mean_before" in line, line
    assert not (tmp_path / "PWNED").exists()


# Claims made of the statistics and variables the format knows, in random combinations:
# verify either judges every claim or refuses the file with a ClaimsError, nothing else.
_STATISTICS = ["n", "mean", "sd", "min", "max", "median", "mean_change", "pvalue", "correlation"]
_VARIABLES = ["before", "after", "change", "age", "dose", "followup", "sex", "months", "nope"]


@st.composite
def claims_files(draw: st.DrawFn) -> dict[str, object]:
    claims = []
    for i in range(draw(st.integers(1, 4))):
        quantity: dict[str, object] = {
            "statistic": draw(st.sampled_from(_STATISTICS)),
            "variable": draw(st.sampled_from(_VARIABLES)),
        }
        if draw(st.booleans()):
            quantity["subset"] = [
                {
                    "variable": draw(st.sampled_from(_VARIABLES)),
                    "op": draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="])),
                    "value": draw(st.one_of(st.floats(-10, 3000, allow_nan=False), st.just("M"))),
                }
            ]
        if quantity["statistic"] == "correlation":
            quantity["x"] = draw(st.sampled_from(_VARIABLES))
            quantity["y"] = draw(st.sampled_from(_VARIABLES))
        reported = draw(
            st.one_of(
                st.decimals(-100, 100, places=2, allow_nan=False).map(str),
                st.text(max_size=6),
            )
        )
        claims.append(
            {
                "id": f"c{i}",
                "quote": "q",
                "location": "l",
                "versions": ["preprint"],
                "reported": reported,
                "comparator": draw(st.sampled_from(["=", "<", ">="])),
                "unit": None,
                "quantity": quantity,
            }
        )
    return {"format": "cohort-reanalysis/claims@1", "dataset": "matsuoka2025", "claims": claims}


@settings(max_examples=40, deadline=None)
@given(claims_files())
def test_verify_on_random_claims_judges_or_refuses(obj: dict[str, object]) -> None:
    from cohort_reanalysis import ClaimsError, load_dataset, verify
    from cohort_reanalysis.verification.claims import parse_claims

    cohort = load_dataset("matsuoka2025")
    try:
        audit = verify(cohort, parse_claims(obj))
    except ClaimsError:
        return
    assert len(audit.results) == len(obj["claims"])  # type: ignore[arg-type]
    assert {r.verdict.value for r in audit.results} <= {
        "reproduced",
        "reproduced_under_alternative",
        "not_reproduced",
        "not_checkable",
    }
