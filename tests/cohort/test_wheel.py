"""The built wheel carries the bundled datasets and loads them without the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cohort_reanalysis._version import __version__

REPO = Path(__file__).resolve().parents[2]

CHECK = """
import pathlib, sys
from importlib.metadata import version
import cohort_reanalysis
from cohort_reanalysis.cohort import list_datasets, load_dataset
assert version("cohort-reanalysis") == cohort_reanalysis.__version__, version("cohort-reanalysis")
site = pathlib.Path(sys.argv[1]).resolve()
package = pathlib.Path(cohort_reanalysis.__file__).resolve()
assert site in package.parents, (package, site)
cohort = load_dataset("matsuoka2025")
assert len(cohort) == 58, len(cohort)
assert cohort.provenance.reported_n == 61
assert site in pathlib.Path(cohort.source).resolve().parents, cohort.source
assert "matsuoka2025" in list_datasets()
print("ok", len(cohort))
"""


@pytest.mark.slow
def test_wheel_installs_and_loads_the_bundled_dataset(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    dist = tmp_path / "dist"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "-q",
            "-w",
            str(dist),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    wheels = list(dist.glob("cohort_reanalysis-*.whl"))
    assert len(wheels) == 1, wheels
    # pyproject.toml takes the version from cohort_reanalysis/_version.py.
    assert wheels[0].name.startswith(f"cohort_reanalysis-{__version__}-"), wheels[0].name
    with zipfile.ZipFile(wheels[0]) as archive:
        names = set(archive.namelist())
    assert "cohort_reanalysis/py.typed" in names
    assert "cohort_reanalysis/_bundled/matsuoka2025/patients.csv" in names
    assert "cohort_reanalysis/_bundled/matsuoka2025/metadata.json" in names

    site = tmp_path / "site"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--disable-pip-version-check",
            "-q",
            "--target",
            str(site),
            str(wheels[0]),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr

    # cwd is tmp_path and PYTHONPATH only the install: the source tree cannot be imported.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONPATH"] = str(site)
    run = subprocess.run(
        [sys.executable, "-c", CHECK, str(site)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "ok 58"
