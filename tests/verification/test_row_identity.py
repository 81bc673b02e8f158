"""Row identities (verification/_row_identity.py): a printed column against op(A, B) on every
row, at each cell's printed precision, in exact decimal arithmetic; every broken row named,
every row left out accounted for; Student's (1908) printed difference column end to end.

Expected values are computed by hand (in the comments), never taken from this package."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pandas as pd
import pytest

from cohort_reanalysis.cohort import Cohort, load_dataset
from cohort_reanalysis.presentation._cli import main
from cohort_reanalysis.presentation._html_report import render_html
from cohort_reanalysis.presentation._markdown import render_markdown
from cohort_reanalysis.presentation._text import render_text
from cohort_reanalysis.verification._audit import verify
from cohort_reanalysis.verification._row_identity import check_row_identity
from cohort_reanalysis.verification.claims import (
    FORMAT,
    ClaimsError,
    Equals,
    Quantity,
    parse_claims,
)

ROOT = Path(__file__).resolve().parents[2]
STUDENT = ROOT / "datasets" / "student1908_sleep"
D = {"name": "d", "dtype": "float"}  # a numeric column with no role of its own
SCHEMA = json.loads((ROOT / "docs" / "schemas" / "verify.schema.json").read_text("utf-8"))


def _cohort(tmp_path: Path, text: str) -> Cohort:
    """A table from CSV text (so every cell keeps its printed text); a, b and d numeric."""
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    return Cohort.from_csv(path, columns={"before": "b", "after": "a", "covariate": D}, name="demo")


def _claims(**quantity: Any) -> Any:
    return parse_claims(
        {
            "format": FORMAT,
            "dataset": "demo",
            "claims": [
                {
                    "id": "table.d",
                    "quote": "d",
                    "location": "Table 1",
                    "versions": ["journal"],
                    "quantity": {"statistic": "row_identity", **quantity},
                }
            ],
        }
    )


def _identity(op: str, a: str = "a", b: str = "b", column: str = "d") -> Quantity:
    return Quantity("row_identity", column=column, equals=Equals(op, (a, b)))


# ----------------------------------------------------------------------------- the must-show


def test_a_table_with_two_broken_rows_names_exactly_those_two(tmp_path: Path) -> None:
    # d = a - b on every row but 3 (printed 1.5, a - b = -1.5) and 6 (printed 0.3, a - b = 0.2).
    cohort = _cohort(
        tmp_path,
        "b,a,d\n1.0,2.5,1.5\n2.0,2.0,0.0\n3.0,1.5,1.5\n0.5,0.7,0.2\n4.4,4.0,-0.4\n"
        "0.1,0.3,0.3\n9.9,10.0,0.1\n",
    )
    audit = verify(cohort, _claims(column="d", equals={"op": "difference", "of": ["a", "b"]}))
    result = audit["table.d"]
    assert result.verdict.value == "not_reproduced"
    assert [b.row for b in result.broken_rows] == [3, 6]
    assert result.to_dict()["broken_rows"] == [
        {"row": 3, "printed": "1.5", "computed": -1.5},
        {"row": 6, "printed": "0.3", "computed": 0.2},
    ]
    # The explanation names both rows, and no other.
    assert "row 3 (printed 1.5, computed -1.5)" in result.explanation
    assert "row 6 (printed 0.3, computed 0.2)" in result.explanation
    assert "2 of the 7 rows" in result.explanation
    for other in (1, 2, 4, 5, 7):
        assert f"row {other} " not in result.explanation


@pytest.mark.parametrize("seed", range(5))
def test_any_two_broken_rows_of_a_random_table_are_found_and_only_they(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(5, 40)
    before = [round(rng.uniform(-20, 20), 2) for _ in range(n)]
    after = [round(rng.uniform(-20, 20), 2) for _ in range(n)]
    printed = [
        f"{Decimal(str(a)) - Decimal(str(b)):.2f}" for a, b in zip(after, before, strict=True)
    ]
    broken = sorted(rng.sample(range(n), 2))
    for i in broken:  # a lost or added minus sign, or a slip of the last digit
        printed[i] = printed[i][1:] if printed[i].startswith("-") else "-" + printed[i]
        if Decimal(printed[i]) == 0:
            printed[i] = "0.01"
    frame = pd.DataFrame({"b": map(str, before), "a": map(str, after), "d": printed})
    cohort = Cohort.from_frame(frame, columns={"before": "b", "after": "a", "covariate": D})
    check = check_row_identity(cohort, _identity("difference"))
    assert [b.row for b in check.broken] == [i + 1 for i in broken]
    assert len(check.rows) == n and check.excluded == ()


# ----------------------------------------------------------------------------- every op


@pytest.mark.parametrize(
    ("op", "printed", "held"),
    [
        # a = 7, b = 2 (row 1) and a = 1, b = 3 (row 2), by hand:
        ("difference", ("5", "-2"), (True, True)),  # 7 - 2 = 5, 1 - 3 = -2
        ("sum", ("9", "4"), (True, True)),  # 9, 4
        ("ratio", ("3.5", "0.33"), (True, True)),  # 3.5, 0.3333...
        ("ratio", ("3.50", "0.34"), (True, False)),  # 0.3333... prints as 0.33
        ("percent_change", ("250", "-66.7"), (True, True)),  # 100 (7-2)/2, 100 (1-3)/3
        ("percent_change", ("250.0", "-66.6"), (True, False)),  # -66.666... is -66.7
        ("difference", ("-5", "2"), (False, False)),  # the operands the wrong way round
    ],
)
def test_every_op_against_hand_computed_values(
    tmp_path: Path, op: str, printed: tuple[str, str], held: tuple[bool, bool]
) -> None:
    cohort = _cohort(tmp_path, f"b,a,d\n2,7,{printed[0]}\n3,1,{printed[1]}\n")
    check = check_row_identity(cohort, _identity(op))
    assert [r not in {b.row for b in check.broken} for r in check.rows] == list(held)


def test_computed_values_are_exact(tmp_path: Path) -> None:
    cohort = _cohort(tmp_path, "b,a,d\n3,1,9\n")
    expected = {
        "difference": Decimal(-2),
        "sum": Decimal(4),
        "ratio": Decimal(1) / Decimal(3),  # to 28 digits; the check has at least 50
        "percent_change": Decimal(-200) / Decimal(3),
    }
    for op, value in expected.items():
        (broken,) = check_row_identity(cohort, _identity(op)).broken
        assert broken.row == 1 and broken.printed == "9"
        assert float(broken.computed) == float(value)
        assert abs(broken.computed - value) < Decimal("1e-26")


def test_operands_may_be_roles_and_change(tmp_path: Path) -> None:
    cohort = _cohort(tmp_path, "b,a,d\n1.25,2.5,1.25\n0.5,-0.5,-1.0\n")
    for a, b in (("after", "before"), ("a", "before")):
        assert check_row_identity(cohort, _identity("difference", a, b)).holds
    assert check_row_identity(cohort, _identity("sum", "before", "change", column="a")).holds
    check = check_row_identity(cohort, _identity("difference", "after", "before"))
    assert check.of == ("a", "b") and check.identity_text == "d = a - b"


# ----------------------------------------------------------------------------- precision


@pytest.mark.parametrize(
    ("printed", "computed", "rounding", "holds"),
    [
        ("1.0", "1.04", "up_or_down", True),
        ("1.0", "1.06", "up_or_down", False),
        ("1.0", "0.95", "up_or_down", True),  # a tie below, either way
        ("1.0", "0.94", "up_or_down", False),
        ("1.00", "1.04", "up_or_down", False),  # the trailing zero is a precision
        ("1.00", "1.004", "up_or_down", True),
        ("1", "1.4", "up_or_down", True),
        # Exact ties at 5: 1.05 prints as 1.1 half up, as 1.0 half down and half even.
        ("1.0", "1.05", "up_or_down", True),
        ("1.1", "1.05", "up_or_down", True),
        ("1.0", "1.05", "half_up", False),
        ("1.1", "1.05", "half_up", True),
        ("1.0", "1.05", "half_down", True),
        ("1.0", "1.05", "half_even", True),
        ("1.1", "1.05", "half_even", False),
        ("1.2", "1.15", "half_even", True),  # to the even digit
        ("-1.0", "-1.05", "half_up", False),  # away from zero: -1.1
        ("-1.1", "-1.05", "half_up", True),
        ("0.0", "-0.04", "up_or_down", True),  # an unsigned zero from either side
        ("-0.0", "0.04", "up_or_down", False),  # a printed minus zero came from below zero
    ],
)
def test_a_cell_holds_what_rounds_to_it(
    tmp_path: Path, printed: str, computed: str, rounding: str, holds: bool
) -> None:
    # d = a - 0, so op(A, B) is exactly the decimal `computed`.
    cohort = _cohort(tmp_path, f"b,a,d\n0,{computed},{printed}\n")
    check = check_row_identity(cohort, _identity("difference"), rounding=rounding)
    assert check.holds is holds


def test_ties_are_decided_in_decimal_not_binary(tmp_path: Path) -> None:
    # 1.3 - 1.25 is exactly 0.05 (binary: 0.050000000000000044, which half down would print
    # as 0.1); 2.675 + 0 is exactly 2.675 (binary: 2.67499999..., which half up prints 2.67).
    cohort = _cohort(tmp_path, "b,a,d\n1.25,1.3,0.0\n0,2.675,2.68\n")
    down = check_row_identity(cohort, _identity("difference"), rounding="half_down")
    assert [b.row for b in down.broken] == [2]  # 2.675 half down is 2.67
    up = check_row_identity(cohort, _identity("difference"), rounding="half_up")
    assert [b.row for b in up.broken] == [1]  # 0.05 half up is 0.1
    ratio = _cohort(tmp_path, "b,a,d\n8,1,0.12\n8,3,0.38\n")  # 0.125 and 0.375, exact ties
    assert not check_row_identity(ratio, _identity("ratio"), rounding="half_even").broken
    assert check_row_identity(ratio, _identity("ratio"), rounding="half_up").broken


def test_each_cell_is_read_at_its_own_printed_precision(tmp_path: Path) -> None:
    # 1.04 holds as "1.0" (row 1), not as "1.00" (row 2); "1e1" is printed to the ten.
    cohort = _cohort(tmp_path, "b,a,d\n0,1.04,1.0\n0,1.04,1.00\n0,14,1e1\n")
    check = check_row_identity(cohort, _identity("difference"))
    assert [b.row for b in check.broken] == [2]
    assert check.decimals == (-1, 1, 2)


def test_a_column_given_as_numbers_is_read_through_its_shortest_repr() -> None:
    frame = pd.DataFrame({"b": [0.0, 0.0], "a": [1.04, 1.06], "d": [1.0, 1.0]})
    cohort = Cohort.from_frame(frame, columns={"before": "b", "after": "a", "covariate": D})
    check = check_row_identity(cohort, _identity("difference"))
    assert [(b.row, b.printed) for b in check.broken] == [(2, "1.0")]


# ----------------------------------------------------------------------------- rows left out


def test_rows_with_a_missing_value_are_left_out_with_their_reason(tmp_path: Path) -> None:
    cohort = _cohort(tmp_path, "b,a,d\n1,2,1\n,2,1\n1,3,\n1,NA,NA\n2,1,5\n")
    check = check_row_identity(cohort, _identity("difference"))
    assert check.rows == (1, 5)
    assert [(e.row, e.reason) for e in check.excluded] == [
        (2, "b missing"),
        (3, "d missing"),
        (4, "d missing, a missing"),
    ]
    audit = verify(cohort, _claims(column="d", equals={"op": "difference", "of": ["a", "b"]}))
    text = audit["table.d"].explanation
    assert "breaks on 1 of the 2 rows checked" in text and "row 5 (printed 5, computed -1)" in text
    assert "left out (3): row 2: b missing; row 3: d missing; row 4: d missing, a missing" in text


def test_a_zero_denominator_is_left_out_not_divided(tmp_path: Path) -> None:
    cohort = _cohort(tmp_path, "b,a,d\n0,2,9\n4,2,0.5\n")
    check = check_row_identity(cohort, _identity("ratio"))
    assert check.holds and check.rows == (2,)
    assert [(e.row, e.reason) for e in check.excluded] == [(1, "b is 0: the ratio is undefined")]


def test_reproduced_and_not_checkable_verdicts(tmp_path: Path) -> None:
    cohort = _cohort(tmp_path, "b,a,d\n1,2,1\n,2,\n")
    audit = verify(cohort, _claims(column="d", equals={"op": "difference", "of": ["a", "b"]}))
    r = audit["table.d"]
    assert r.verdict.value == "reproduced" and r.broken_rows == ()
    assert "holds on the one row checked" in r.explanation
    assert "row 2: d missing, b missing" in r.explanation
    none = _cohort(tmp_path, "b,a,d\n1,2,\n,2,1\n")
    audit = verify(none, _claims(column="d", equals={"op": "difference", "of": ["a", "b"]}))
    r = audit["table.d"]
    assert r.verdict.value == "not_checkable" and r.to_dict()["broken_rows"] == []
    assert "no row has all three values" in r.explanation


# ----------------------------------------------------------------------------- bad claims


@pytest.mark.parametrize(
    ("quantity", "field", "value"),
    [
        ({"column": "diff", "equals": {"op": "difference", "of": ["a", "b"]}}, "column", "diff"),
        ({"column": "d", "equals": {"op": "sum", "of": ["a", "dose"]}}, "equals.of[1]", "dose"),
        ({"column": "g", "equals": {"op": "sum", "of": ["a", "b"]}}, "column", "g"),
    ],
)
def test_a_claim_naming_an_unknown_or_text_column_is_an_error_naming_the_field(
    tmp_path: Path, quantity: dict[str, Any], field: str, value: str
) -> None:
    path = tmp_path / "t.csv"
    path.write_text("b,a,d,g\n1,2,1,x\n", encoding="utf-8")
    cohort = Cohort.from_csv(
        path, columns={"before": "b", "after": "a", "covariate": D, "group": "g"}
    )
    with pytest.raises(ClaimsError) as err:
        verify(cohort, _claims(**quantity))
    assert err.value.field == f"quantity.{field}" and err.value.value == value
    assert err.value.claim_id == "table.d"


def test_change_is_not_a_printed_column_unless_the_table_prints_one(tmp_path: Path) -> None:
    cohort = _cohort(tmp_path, "b,a,d\n1,2,1\n")
    with pytest.raises(ValueError, match=r"quantity\.column .change.: not a column that the table"):
        check_row_identity(cohort, _identity("difference", column="change"))
    audit = verify(cohort, _claims(column="change", equals={"op": "difference", "of": ["a", "b"]}))
    assert audit["table.d"].verdict.value == "not_checkable"


# ----------------------------------------------------------------------------- Student 1908


def _student_copy(tmp_path: Path, edit: dict[int, tuple[str, str]]) -> Path:
    """Student's folder copied, with cells of ``patients.csv`` changed (row: (old, new) in its
    line) and the checksum updated, as a reviewer who edits a table would."""
    folder = tmp_path / "student_copy"
    shutil.copytree(STUDENT, folder)
    csv = folder / "patients.csv"
    lines = csv.read_text("utf-8").splitlines(keepends=True)
    for row, (old, new) in edit.items():
        assert old in lines[row]
        lines[row] = lines[row].replace(old, new, 1)
    csv.write_text("".join(lines), encoding="utf-8")
    meta = json.loads((folder / "metadata.json").read_text("utf-8"))
    meta["sha256"] = hashlib.sha256(csv.read_bytes()).hexdigest()
    (folder / "metadata.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return folder


def _json(capsys: pytest.CaptureFixture[str], source: str) -> dict[str, Any]:
    assert main(["verify", source, "--format", "json"]) == 0
    out: dict[str, Any] = json.loads(capsys.readouterr().out)
    errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(out))
    assert not errors, [e.message for e in errors]
    return out


def test_students_printed_difference_column_holds_on_every_row(
    capsys: pytest.CaptureFixture[str],
) -> None:
    claims = _json(capsys, "student1908_sleep")["claims"]
    (diff,) = (c for c in claims if c["id"] == "difference_column")
    assert diff["verdict"] == "reproduced" and diff["broken_rows"] == []
    assert "holds on all 10 rows checked" in diff["explanation"]
    assert all(c["broken_rows"] is None for c in claims if c["id"] != "difference_column")
    # By hand: Student's column 2 minus column 1, row by row, is his printed difference.
    cohort = load_dataset("student1908_sleep")
    for x, y, d in zip(
        cohort.printed("sleep_gain_1"),  # type: ignore[arg-type]
        cohort.printed("sleep_gain_2"),  # type: ignore[arg-type]
        cohort.printed("difference_2_minus_1"),  # type: ignore[arg-type]
        strict=True,
    ):
        assert Decimal(y) - Decimal(x) == Decimal(d)


def test_two_minus_signs_lost_from_students_table_are_found_on_exactly_those_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Patients 2 and 4 (file rows 2 and 4) print -1.6 and -1.2 in column 1; without their
    # minus signs, 2 - 1 is 0.8 - 1.6 = -0.8 and 0.1 - 1.2 = -1.1, not the printed 2.4 and 1.3.
    folder = _student_copy(tmp_path, {2: (",-1.6,", ",1.6,"), 4: (",-1.2,", ",1.2,")})
    out = _json(capsys, str(folder))
    (diff,) = (c for c in out["claims"] if c["id"] == "difference_column")
    assert diff["verdict"] == "not_reproduced"
    assert diff["broken_rows"] == [
        {"row": 2, "printed": "2.4", "computed": -0.8},
        {"row": 4, "printed": "1.3", "computed": -1.1},
    ]
    assert "breaks on 2 of the 10 rows checked" in diff["explanation"]


def test_two_minus_signs_lost_from_the_difference_column_itself_are_found(
    tmp_path: Path,
) -> None:
    # Student's difference column has no negative value: make rows 3 and 9 negative by
    # swapping the drug columns there (d = -0.2 - 1.1 = -1.3 and 0.0 - 4.6 = -4.6), then let
    # the difference column lose those two minus signs.
    identity = _identity("difference", "sleep_gain_2", "sleep_gain_1", "difference_2_minus_1")
    swapped = {3: (",-0.2,1.1,1.3", ",1.1,-0.2,-1.3"), 9: (",0.0,4.6,4.6", ",4.6,0.0,-4.6")}
    assert check_row_identity(load_dataset(_student_copy(tmp_path / "s", swapped)), identity).holds
    lost = {3: (",-0.2,1.1,1.3", ",1.1,-0.2,1.3"), 9: (",0.0,4.6,4.6", ",4.6,0.0,4.6")}
    check = check_row_identity(load_dataset(_student_copy(tmp_path / "l", lost)), identity)
    assert [(b.row, b.printed, b.computed) for b in check.broken] == [
        (3, "1.3", Decimal("-1.3")),
        (9, "4.6", Decimal("-4.6")),
    ]


def test_broken_rows_are_rendered_in_every_format(tmp_path: Path) -> None:
    folder = _student_copy(tmp_path, {2: (",-1.6,", ",1.6,"), 4: (",-1.2,", ",1.2,")})
    audit = verify(load_dataset(folder))
    listed = "row 2: printed 2.4, computed -0.8; row 4: printed 1.3, computed -1.1"
    assert f"Broken rows: {listed}." in " ".join(render_text(audit).split())
    markdown = render_markdown(audit)
    assert f"- **Broken rows:** {listed}" in markdown
    assert "| rows 2, 4 |" in markdown  # the claims table's recomputed column
    assert f"<dt>Broken rows</dt><dd>{listed}</dd>" in render_html(audit)


def test_a_broken_rows_entry_that_breaks_the_contract_fails_the_schema(
    capsys: pytest.CaptureFixture[str],
) -> None:
    good = _json(capsys, "student1908_sleep")
    i = next(i for i, c in enumerate(good["claims"]) if c["id"] == "difference_column")
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for bad in (
        [{"row": 0, "printed": "2.4", "computed": -0.8}],  # rows start at 1
        [{"row": 2, "printed": "2.4", "computed": "-0.8"}],  # a number, not text
        [{"row": 2, "printed": "2.4"}],
    ):
        document = json.loads(json.dumps(good))
        document["claims"][i]["verdict"] = "not_reproduced"
        document["claims"][i]["broken_rows"] = bad
        assert list(validator.iter_errors(document)), bad
    reproduced_but_broken = json.loads(json.dumps(good))
    reproduced_but_broken["claims"][i]["broken_rows"] = [
        {"row": 2, "printed": "2.4", "computed": -0.8}
    ]
    assert list(validator.iter_errors(reproduced_but_broken))
    del reproduced_but_broken["claims"][i]["broken_rows"]
    assert list(validator.iter_errors(reproduced_but_broken))
