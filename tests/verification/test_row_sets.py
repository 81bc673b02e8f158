"""Row sets declared from a dataset's transcription notes (damaged rows)."""

from __future__ import annotations

from cohort_reanalysis.cohort import dataset_info
from cohort_reanalysis.cohort._spec import DamagedRows
from cohort_reanalysis.verification._row_sets import ALL_ROWS, RowSet, row_sets_from_provenance


def test_row_sets_from_the_bundled_damaged_rows() -> None:
    damaged = dataset_info("matsuoka2025").provenance.damaged_rows
    sets = row_sets_from_provenance(damaged, range(1, 59))
    assert [r.name for r in sets] == [
        "all rows",
        "without rows 15, 51",
        "without rows 51-58",
        "without rows 15, 51-58",
    ]
    assert sets[2].excluded == tuple(range(51, 59))
    assert "merged" in sets[2].reason


def test_row_sets_without_damaged_rows() -> None:
    assert row_sets_from_provenance((), range(1, 59)) == (RowSet(ALL_ROWS),)
    # Rows outside the table, or every row at once, declare no alternative.
    outside = (DamagedRows((70, 71), "not in this table"), DamagedRows((1, 2, 3, 4), "all"))
    assert row_sets_from_provenance(outside, range(1, 5)) == (RowSet(ALL_ROWS),)
