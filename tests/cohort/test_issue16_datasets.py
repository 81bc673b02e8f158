"""The datasets bundled for issue 16: two transcribed (Student 1908, Darwin 1876), one
simulated multi-visit registry. They load with their checksums, their printed identities
hold, their claims verify, and the simulated one is what its script writes."""

from __future__ import annotations

import csv
import importlib.util
import io
from pathlib import Path

import numpy as np
import pytest

from cohort_reanalysis.cohort import list_datasets, load_dataset

ROOT = Path(__file__).resolve().parents[2]
NEW = ("student1908_sleep", "zea_mays_darwin1876", "simulated_registry")


@pytest.mark.parametrize("name", NEW)
def test_bundled_and_loads(name: str) -> None:
    assert name in list_datasets()
    cohort = load_dataset(name)
    assert len(cohort) == cohort.provenance.reported_n == cohort.provenance.printed_rows


def test_student_table_matches_r_sleep_and_its_printed_differences() -> None:
    c = load_dataset("student1908_sleep")
    one, two = c.values("before"), c.values("after")
    # R's datasets::sleep$extra, groups 1 and 2 (an independent transcription).
    assert one.tolist() == [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    assert two.tolist() == [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    # The printed difference (2-1) holds on every row at its printed precision (0.1).
    assert np.all(np.abs(np.round(two - one, 1) - c.values("difference_2_minus_1")) < 1e-9)
    # Student's printed means and (divisor n) SDs.
    assert [round(float(np.mean(v)), 2) for v in (one, two, two - one)] == [0.75, 2.33, 1.58]
    sds = [round(float(np.std(v)), 2) for v in (one, two, two - one)]
    assert sds == [1.70, 1.90, 1.17]


def test_darwin_table_sums_and_fisher_differences() -> None:
    c = load_dataset("zea_mays_darwin1876")
    crossed, self_ = c.values("after"), c.values("before")
    assert (crossed.sum(), self_.sum()) == (302.875, 263.625)  # printed 302.88 and 263.63
    eighths = (crossed - self_) * 8
    expected = [49, -67, 8, 16, 6, 23, 28, 41, 14, 29, 56, 24, 75, 60, -48]
    assert eighths.tolist() == expected
    assert c.values("group").tolist().count("3") == 5


def test_simulated_registry_pairs_any_marker_and_visits() -> None:
    c = load_dataset("simulated_registry")
    markers = {s.measure for s in c.columns if s.measure}
    assert len(markers) == 12
    p = c.pair(measure="HOMA-IR", baseline="baseline", followup="12 months")
    assert len(p.before) == 36 and len(p.excluded) == 4
    assert len(c.pair(measure="ALT", baseline="baseline", followup="6 months").before) == 40
    assert len(c.pair().before) == 36  # HbA1c before/after: baseline to 12 months


def test_simulated_registry_is_what_its_script_writes() -> None:
    path = ROOT / "datasets" / "simulated_registry" / "generate.py"
    spec = importlib.util.spec_from_file_location("generate_simulated_registry", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = module.simulate()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    assert out.getvalue() == path.with_name("patients.csv").read_text(encoding="utf-8")
