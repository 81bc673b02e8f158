"""A numeric column's printed text, in each form the readers hand it on."""

from __future__ import annotations

import pickle
from pathlib import Path
from unittest.mock import patch

import numpy as np

from cohort_reanalysis import Cohort
from cohort_reanalysis.cohort import _bulk
from cohort_reanalysis.cohort._printed import DeferredText, printed_text

TABLE = b"b,a\r\n7.50,NA\r\n,\r\n-0,1e3\r\n008, 2\r\n"


def test_deferred_text_is_the_cells_of_its_rows_as_the_file_printed_them() -> None:
    every = DeferredText(TABLE, ",", 2, 1, None)
    assert printed_text(every).tolist() == ["NA", "", "1e3", "2"]  # (the space after ",")
    rows = DeferredText(TABLE, ",", 2, 0, np.array([0, 2, 3]))
    text = printed_text(rows)
    assert text.tolist() == ["7.50", "-0", "008"]
    assert not text.flags.writeable


def test_text_and_bytes_are_given_as_strings() -> None:
    text = np.array(["7.50", ""], dtype=object)
    assert printed_text(text) is text
    assert printed_text(np.array([b"7.50", b""])).tolist() == ["7.50", ""]


def test_a_cohort_whose_text_is_deferred_pickles_and_prints_as_read(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("b,a\n" + "7.50,6.4\n,\n" * 8 + "8,NA\n")
    with patch.object(_bulk, "_SPLIT_ROWS", 0):
        cohort = Cohort.read(path, columns={"before": "b", "after": "a"})
    again = pickle.loads(pickle.dumps(cohort))
    assert again == cohort
    assert again.printed("b").tolist() == ["7.50"] * 8 + ["8"]
    assert cohort.rows.tolist() == [*range(1, 17, 2), 17]
