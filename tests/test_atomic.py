"""Files written whole or not at all (``cohort_reanalysis._atomic``) and the writers using it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pandas as pd
import pytest

from cohort_reanalysis import _atomic
from cohort_reanalysis._atomic import (
    atomic_path,
    check_output_file,
    check_output_folder,
    write_atomic,
)
from cohort_reanalysis.cohort import load_dataset


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".tmp-"))


def test_write_atomic_text_and_bytes(tmp_path: Path) -> None:
    assert write_atomic(tmp_path / "a.txt", "é\n").read_bytes() == "é\n".encode()
    assert write_atomic(tmp_path / "b.png", b"\x89PNG").read_bytes() == b"\x89PNG"
    assert leftovers(tmp_path) == []


def test_a_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("previous report")
    with pytest.raises(RuntimeError, match="disk full"), atomic_path(target) as tmp:
        tmp.write_text("half a rep")
        raise RuntimeError("disk full")
    assert target.read_text() == "previous report"
    assert leftovers(tmp_path) == []


def test_new_files_get_the_default_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        mode = stat.S_IMODE(write_atomic(tmp_path / "r.txt", "x").stat().st_mode)
    finally:
        os.umask(old)
    assert mode == 0o644


def test_the_temporary_name_keeps_the_suffix(tmp_path: Path) -> None:
    # pandas infers compression, and savefig a format, from the suffix.
    with atomic_path(tmp_path / "table.csv.gz") as tmp:
        assert tmp.name.endswith("table.csv.gz") and tmp.parent == tmp_path
        pd.DataFrame({"a": [1]}).to_csv(tmp, index=False)
    assert pd.read_csv(tmp_path / "table.csv.gz")["a"].tolist() == [1]


def test_a_symlink_keeps_pointing_at_the_new_contents(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_a_device_is_written_in_place_never_replaced() -> None:
    with pytest.raises(OSError) as err:
        write_atomic("/dev/full", "x" * 100_000)
    assert err.value.errno is not None
    assert stat.S_ISCHR(Path("/dev/full").stat().st_mode)  # still the device


def test_cohort_to_csv_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cohort = load_dataset("matsuoka2025")
    target = tmp_path / "patients.csv"
    target.write_text("previous table\n")
    real = pd.DataFrame.to_csv

    def fail_midway(self: pd.DataFrame, path: Path, **kwargs: object) -> None:
        real(self.head(3), path, **kwargs)  # part of the table reaches the disk
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", fail_midway)
    with pytest.raises(OSError, match="No space"):
        cohort.to_csv(target)
    assert target.read_text() == "previous table\n"
    assert leftovers(tmp_path) == []
    monkeypatch.undo()
    cohort.to_csv(target)
    assert len(pd.read_csv(target)) == len(cohort)


def test_output_checks_name_the_option(tmp_path: Path) -> None:
    a_file = tmp_path / "f.txt"
    a_file.write_text("x")
    with pytest.raises(ValueError, match=r"^--out .*: is a folder, not a file$"):
        check_output_file(tmp_path, option="--out")
    with pytest.raises(ValueError, match=r"^--out .*f\.txt is a file, not a folder$"):
        check_output_file(a_file / "report.html", option="--out")
    with pytest.raises(ValueError, match=r"^--figures .*: is a file, not a folder$"):
        check_output_folder(a_file, option="--figures")
    check_output_file(tmp_path / "new" / "deeper" / "report.html", option="--out")
    check_output_folder(tmp_path / "figures", option="--figures")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_folder_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(ValueError, match="not writable"):
        check_output_file(locked / "r.txt", option="--out")


def test_every_writer_of_the_package_goes_through_atomic_writes() -> None:
    """No module writes a file directly (write_text, write_bytes, open for writing)."""
    package = Path(_atomic.__file__).parent
    offenders = []
    for path in sorted(package.rglob("*.py")):
        if path.name == "_atomic.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#")[0]
            if ">>>" in code or "..." in code[:12]:
                continue  # doctest examples write their own temporary files
            writes_open = "open(" in code and ('"w' in code or "'w" in code)
            if ".write_text(" in code or ".write_bytes(" in code or writes_open:
                offenders.append(f"{path.relative_to(package)}:{number}: {line.strip()}")
    assert offenders == []
