"""The table of matsuoka2025, transcribed from the preprint's text, against patients.csv."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from cohort_reanalysis.drafting import find_table

FOLDER = Path(__file__).resolve().parents[2] / "datasets" / "matsuoka2025"


def _drafted():
    table = find_table((FOLDER / "sources" / "preprint.txt").read_text(encoding="utf-8"))
    assert table is not None
    return table


def test_the_preprint_table_equals_the_hand_transcription_value_for_value() -> None:
    table = _drafted()
    with (FOLDER / "patients.csv").open(encoding="utf-8") as f:
        hand = list(csv.reader(f))
    assert [c["name"] for c in table.columns] == hand[0]
    assert len(table.rows) == 58
    assert table.rows == hand[1:]
    assert not table.unreadable


def test_the_notes_name_the_damaged_rows_the_metadata_names() -> None:
    table = _drafted()
    meta = json.loads((FOLDER / "metadata.json").read_text(encoding="utf-8"))
    assert [d["rows"] for d in table.damaged_rows] == [
        d["rows"] for d in meta["provenance"]["damaged_rows"]
    ]
    notes = " ".join(table.notes)
    assert "rows 15, 51" in notes and "Rows 51-58" in notes and "after row 50" in notes


def test_roles_and_units_are_guessed_and_marked() -> None:
    cols = _drafted().columns
    assert [c["role"] for c in cols] == ["sex", "age", "dose", "before", "after", "followup"]
    assert all(c["guessed"] for c in cols)
    assert cols[2]["unit"] == "million cells" and cols[5]["unit"] == "months"


def test_a_row_that_cannot_be_read_is_reported_not_dropped() -> None:
    text = "| A | B |\n|---|---|\n| 1 | 2 |\n| x y | |\n| 3 | 4 |\n"
    table = find_table(text)
    assert table is not None
    assert table.rows == [["1", "2"], ["3", "4"]]
    assert table.unreadable == [{"line": 4, "text": "| x y | |", "after_row": 1}]
    assert any("Line 4" in n for n in table.notes)


@pytest.mark.parametrize("sep", ["\t", "; ", "   "])
def test_tab_semicolon_and_whitespace_aligned_tables(sep: str) -> None:
    lines = ["Sex", "Age", "HbA1c before", "HbA1c after"], ["M", "66", "7.5", "6.4"]
    rows = [lines[0], lines[1], ["F", "42", "7.2", "8"], ["M", "71", "7.6", "6.7"]]
    text = "Table 1.\n\n" + "\n".join(sep.join(r) for r in rows) + "\n\nAfter the table."
    table = find_table(text)
    assert table is not None
    assert table.rows == rows[1:]
    assert [c["role"] for c in table.columns] == ["sex", "age", "before", "after"]
