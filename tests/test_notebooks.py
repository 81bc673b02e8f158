"""The teaching notebooks run from a clean kernel, fast and without warnings, and are stored in
git without outputs.

The kernel is started from a kernel spec written here that points at this interpreter
(``sys.executable``), so the notebooks run against the same installed package as the tests,
whatever ``python`` happens to be first on PATH.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
KERNEL = "cohort-reanalysis-tests"
TIME_LIMIT = 60.0  # seconds per notebook
PYTHON_WARNING = re.compile(r"\b\w+Warning\b")


def test_there_are_notebooks() -> None:
    names = [p.name for p in NOTEBOOKS]
    assert len(names) >= 4, names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_outputs_are_stripped(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        assert cell.get("outputs") == [], f"{path.name} cell {i} has outputs"
        assert cell.get("execution_count") is None, f"{path.name} cell {i} has an execution count"


@pytest.fixture(scope="session")
def kernel_dirs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    root = tmp_path_factory.mktemp("kernels")
    spec = root / KERNEL
    spec.mkdir()
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [
                    sys.executable,
                    "-Xfrozen_modules=off",
                    "-m",
                    "ipykernel_launcher",
                    "-f",
                    "{connection_file}",
                ],
                "display_name": "cohort_reanalysis tests",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    return [str(root)]


def _output_texts(output: dict) -> list[str]:
    texts: list[str] = []
    if output["output_type"] == "stream":
        texts.append(output["text"])
    for key in ("text/plain", "text/html", "text/markdown"):
        value = output.get("data", {}).get(key)
        if value is not None:
            texts.append(value if isinstance(value, str) else "".join(value))
    return texts


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_cleanly(path: Path, kernel_dirs: list[str], tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    nb = nbformat.read(path, as_version=4)
    # A first cell that reports the kernel's interpreter, checked below and then discarded.
    probe = nbformat.v4.new_code_cell("import sys; print(sys.executable)")
    nb.cells.insert(0, probe)
    ksm = KernelSpecManager(kernel_dirs=kernel_dirs, ensure_native_kernel=False)
    km = KernelManager(kernel_name=KERNEL, kernel_spec_manager=ksm)
    client = nbclient.NotebookClient(
        nb,
        km=km,
        kernel_name=KERNEL,
        timeout=int(TIME_LIMIT),
        resources={"metadata": {"path": str(tmp_path)}},
    )
    env = {
        **os.environ,
        "MPLCONFIGDIR": str(tmp_path / "mpl"),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    start = time.perf_counter()
    client.execute(env=env, cwd=str(tmp_path))
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_LIMIT, f"{path.name} took {elapsed:.1f} s"

    kernel_python = nb.cells[0].outputs[0]["text"].strip()
    assert Path(kernel_python).resolve() == Path(sys.executable).resolve()

    problems = []
    for i, cell in enumerate(nb.cells[1:]):
        for output in cell.get("outputs", []):
            if output["output_type"] == "stream" and output["name"] == "stderr":
                problems.append(f"cell {i}: stderr: {output['text'][:300]}")
            if output["output_type"] == "error":
                problems.append(f"cell {i}: {output['ename']}: {output['evalue']}")
            for text in _output_texts(output):
                # A Python warning category (UserWarning, FutureWarning, ...); the library's own
                # "Warning: ..." lines about a result are meant to be seen.
                if PYTHON_WARNING.search(text):
                    problems.append(f"cell {i}: warning in output: {text[:300]}")
    assert not problems, "\n".join(problems)
