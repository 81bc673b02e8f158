"""The R reference values in tests/reference/ are what their R script computes.

``msc58_R.json`` is the oracle of many tests; ``msc58_R.R`` beside it is how it was made.
When R is installed (``apt-get install r-base-core``), the script is run on the bundled table
and every value compared; without R the test skips and says so.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "tests" / "reference"
TABLE = ROOT / "datasets" / "matsuoka2025" / "patients.csv"


def _leaves(obj: Any, path: str = "") -> dict[str, float]:
    if isinstance(obj, dict):
        return {
            k: v for key, value in obj.items() for k, v in _leaves(value, f"{path}/{key}").items()
        }
    if isinstance(obj, list):
        return {
            k: v for i, value in enumerate(obj) for k, v in _leaves(value, f"{path}[{i}]").items()
        }
    return {path: float(obj)}


@pytest.mark.slow
def test_msc58_values_are_what_the_r_script_computes() -> None:
    rscript = shutil.which("Rscript")
    if rscript is None:
        pytest.skip("Rscript is not installed (apt-get install r-base-core): R values not rerun")
    run = subprocess.run(
        [rscript, "--vanilla", str(REFERENCE / "msc58_R.R"), str(TABLE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    computed = _leaves(json.loads(run.stdout))
    stored = _leaves(json.loads((REFERENCE / "msc58_R.json").read_text(encoding="utf-8")))
    assert computed.keys() == stored.keys()
    for key, value in stored.items():
        assert math.isclose(computed[key], value, rel_tol=1e-12, abs_tol=1e-15), key
