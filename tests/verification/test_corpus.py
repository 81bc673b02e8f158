"""verify_corpus: many datasets at once; each verified as ``verify NAME`` verifies it, a
failure as its entry (one line per problem) while the others are verified, in the order
given, identically on any executor."""

from __future__ import annotations

import json
import multiprocessing
import shutil
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

from cohort_reanalysis import CorpusAudit, verify_corpus
from cohort_reanalysis.cohort import dataset_info, list_datasets, load_dataset
from cohort_reanalysis.verification._audit import verify, verify_summary
from cohort_reanalysis.verification._corpus import corpus_datasets
from cohort_reanalysis.verification.claims import load_claims

BUNDLED = dataset_info("matsuoka2025").folder.parent


def _copy(name: str, to: Path, as_name: str | None = None) -> Path:
    folder = to / (as_name or name)
    shutil.copytree(dataset_info(name).folder, folder)
    return folder


@pytest.fixture
def corpus_folder(tmp_path: Path) -> Path:
    """Two good datasets, a bad table, a bad claims file, a folder that is not a dataset."""
    root = tmp_path / "papers"
    root.mkdir()
    _copy("student1908_sleep", root)
    _copy("zea_mays_darwin1876", root)
    bad_table = _copy("student1908_sleep", root, "bad_table")
    meta = json.loads((bad_table / "metadata.json").read_text())
    meta.pop("sha256", None)
    meta["name"] = "bad_table"
    (bad_table / "metadata.json").write_text(json.dumps(meta))
    csv = (bad_table / "patients.csv").read_text().splitlines()
    csv[2] = ",".join(["oops"] * len(csv[2].split(",")))
    (bad_table / "patients.csv").write_text("\n".join(csv) + "\n")
    bad_claims = _copy("zea_mays_darwin1876", root, "bad_claims")
    (bad_claims / "claims.json").write_text("{not json")
    (root / "notes").mkdir()  # no metadata.json: not a dataset, left out of the corpus
    return root


def test_each_dataset_is_verified_as_verify_name_verifies_it() -> None:
    corpus = verify_corpus([BUNDLED])
    assert [Path(e.source).name for e in corpus] == list_datasets()
    for entry in corpus:
        info = dataset_info(entry.source)
        assert info.claims_file is not None
        claims = load_claims(info.claims_file)
        if info.has_table:
            expected = verify(load_dataset(entry.source), claims).to_dict()
        else:
            expected = verify_summary(claims).to_dict()
        assert entry.to_dict() == expected
        assert not entry.failed and entry.problems == () and entry.error is None


def test_counts_add_the_datasets_up() -> None:
    corpus = verify_corpus([BUNDLED, "no_such_dataset"])
    counts = corpus.counts
    assert (counts["datasets"], counts["verified"], counts["failed"]) == (6, 5, 1)
    tables = [e.audit for e in corpus if e.audit is not None and hasattr(e.audit, "rows_excluded")]
    for verdict in ("reproduced", "reproduced_under_alternative", "not_reproduced"):
        assert counts["claims"][verdict] == sum(a.counts[verdict] for a in tables)
    summary = verify_summary(dataset_info("meta_t1dm_2025").claims_file).counts  # type: ignore[arg-type]
    assert counts["summary_claims"] == summary
    assert corpus.to_dict()["counts"] == counts


def test_a_dataset_that_fails_is_its_entry_and_the_others_are_verified(
    corpus_folder: Path,
) -> None:
    corpus = verify_corpus([corpus_folder, corpus_folder / "notes", corpus_folder / "x.csv"])
    names = [Path(e.source).name for e in corpus]
    assert names == [
        "bad_claims",
        "bad_table",
        "student1908_sleep",
        "zea_mays_darwin1876",
        "notes",
        "x.csv",
    ]
    failed = {Path(e.source).name: e for e in corpus.failed}
    assert set(failed) == {"bad_claims", "bad_table", "notes", "x.csv"}
    assert "claims.json" in failed["bad_claims"].error  # type: ignore[operator]
    assert "malformed JSON" in failed["bad_claims"].error  # type: ignore[operator]
    table_problems = failed["bad_table"].problems
    assert table_problems and all("patients.csv" in line for line in table_problems)
    assert "row 2" in table_problems[0] and "oops" in table_problems[0]
    assert failed["bad_table"].error == "; ".join(table_problems)
    assert "no metadata.json" in failed["notes"].error  # type: ignore[operator]
    assert failed["x.csv"].dataset.endswith("x.csv")
    good = corpus_folder / "student1908_sleep"
    assert corpus["student1908_sleep"].audit == verify(load_dataset(good))
    assert set(failed["notes"].to_dict()) == {"dataset", "error"}


def test_a_folder_of_dataset_folders_stands_for_each_of_them(corpus_folder: Path) -> None:
    inside = corpus_datasets([corpus_folder])
    assert [Path(p).name for p in inside] == [
        "bad_claims",
        "bad_table",
        "student1908_sleep",
        "zea_mays_darwin1876",
    ]
    one = corpus_folder / "student1908_sleep"
    assert corpus_datasets([one, "matsuoka2025"]) == [str(one), "matsuoka2025"]


def test_unknown_rounding_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown rounding"):
        verify_corpus(["matsuoka2025"], rounding="sideways")


def test_rounding_reaches_every_dataset() -> None:
    corpus = verify_corpus(["student1908_sleep", "meta_t1dm_2025"], rounding="half_even")
    assert all(e.audit is not None and e.audit.rounding == "half_even" for e in corpus)


def test_to_frame_has_one_row_per_dataset() -> None:
    frame = verify_corpus(["student1908_sleep", "meta_t1dm_2025", "nope"]).to_frame()
    assert frame["kind"].tolist() == ["table", "summary", "failed"]
    student = verify(load_dataset("student1908_sleep")).counts
    assert frame.loc[0, "reproduced"] == student["reproduced"]
    assert frame.loc[2, "error"].startswith("nope")


@pytest.fixture(scope="module")
def process_pool() -> Iterator[ProcessPoolExecutor]:
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool


@pytest.mark.slow
def test_identical_on_a_process_pool_and_a_thread_pool(
    process_pool: ProcessPoolExecutor, corpus_folder: Path
) -> None:
    targets = [BUNDLED, corpus_folder, "no_such_dataset"]
    local = verify_corpus(targets)
    assert isinstance(local, CorpusAudit)
    on_pool = verify_corpus(targets, executor=process_pool)
    assert on_pool == local  # every audit, field by field, and the failures' lines
    assert on_pool.to_dict() == local.to_dict()
    with ThreadPoolExecutor(3) as threads:
        assert verify_corpus(targets, executor=threads) == local
