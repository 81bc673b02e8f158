"""The R reference values in tests/reference/ are what their R script computes.

Each ``<name>.json`` there is the oracle of some tests; ``<name>.R`` beside it is how it was
made. When R is installed (``apt-get install r-base-core``), each script is run and every value
compared with the stored one; without R the test skips and says so.
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


def _leaves(obj: Any, path: str = "") -> dict[str, float]:
    if isinstance(obj, dict):
        return {
            k: v for key, value in obj.items() for k, v in _leaves(value, f"{path}/{key}").items()
        }
    if isinstance(obj, list):
        return {
            k: v for i, value in enumerate(obj) for k, v in _leaves(value, f"{path}[{i}]").items()
        }
    if isinstance(obj, str):  # what a script says of itself (R's version), not a value
        return {}
    return {path: float(obj)}


SCRIPTS = sorted(REFERENCE.glob("*.R"))


def test_every_script_has_its_values() -> None:
    assert SCRIPTS, "no R script in tests/reference/"
    for script in SCRIPTS:
        assert script.with_suffix(".json").is_file(), script.name


@pytest.mark.slow
@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_stored_values_are_what_their_r_script_computes(script: Path) -> None:
    rscript = shutil.which("Rscript")
    if rscript is None:
        pytest.skip("Rscript is not installed (apt-get install r-base-core): R values not rerun")
    # Each script runs from the repository root without arguments and prints its JSON.
    run = subprocess.run(
        [rscript, "--vanilla", str(script)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    computed = _leaves(json.loads(run.stdout))
    stored = _leaves(json.loads(script.with_suffix(".json").read_text(encoding="utf-8")))
    assert computed.keys() == stored.keys()
    for key, value in stored.items():
        assert math.isclose(computed[key], value, rel_tol=1e-12, abs_tol=1e-15), key
