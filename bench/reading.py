"""Reading benchmark (issue 18.5): ``Cohort.read`` beside a bare ``pandas.read_csv``.

Each measurement is a fresh process (``python bench/reading.py TOOL FILE``) that imports
what it needs and, for the library, reads a tiny table once so that its lazy imports are
done; then it times one read and prints the wall time, the peak resident memory of the
process (VmHWM) and that peak's excess over the memory before the read.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

COLUMNS = {"before": "before", "after": "after"}


def write_rows(path: Path, n: int, seed: int = 0) -> Path:
    """``n`` rows of two HbA1c-like columns printed to one decimal."""
    rng = np.random.default_rng(seed)
    before = np.round(np.clip(rng.normal(8.5, 1.5, n), 4, 19), 1)
    after = np.round(np.clip(before + rng.normal(-0.8, 0.9, n), 3.5, 19.5), 1)
    lines = [f"{b:.1f},{a:.1f}" for b, a in zip(before, after, strict=True)]
    path.write_text("before,after\n" + "\n".join(lines) + "\n")
    return path


def write_columns(path: Path, k: int, n: int = 20, seed: int = 0) -> Path:
    """``n`` rows of ``k`` columns: before, after and ``k - 2`` numeric covariates."""
    rng = np.random.default_rng(seed)
    values = np.round(np.clip(rng.normal(8.5, 1.5, (n, k)), 4, 19), 2)
    header = ["before", "after"] + [f"c{i}" for i in range(k - 2)]
    body = [",".join(f"{v:.2f}" for v in row) for row in values]
    path.write_text(",".join(header) + "\n" + "\n".join(body) + "\n")
    return path


def _peak_mib() -> float:
    """The process's peak resident memory: VmHWM on Linux (``ru_maxrss`` keeps the peak of
    the parent that forked this process), else ``ru_maxrss``."""
    try:
        status = Path("/proc/self/status").read_text()
        line = next(ln for ln in status.splitlines() if ln.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024
    except (OSError, StopIteration, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(tool: str, file: str) -> None:
    """Time one read by ``tool``: ``cohort`` (``Cohort.read``), ``cohort-printed`` (and
    ``Cohort.printed`` of both columns) or ``pandas`` (a bare ``pandas.read_csv``)."""
    import pandas as pd

    if tool in ("cohort", "cohort-printed"):
        from cohort_reanalysis import Cohort

        tiny = Path(file).with_name("tiny.csv")
        tiny.write_text("before,after\n7.5,6.4\n")
        Cohort.read(tiny, columns=COLUMNS)
        if tool == "cohort":
            run = lambda: Cohort.read(file, columns=COLUMNS)  # noqa: E731
        else:  # and the printed text of both columns, which a table of numbers defers

            def run() -> None:
                cohort = Cohort.read(file, columns=COLUMNS)
                for name in COLUMNS:
                    cohort.printed(name)

    else:
        run = lambda: pd.read_csv(file)  # noqa: E731
    base = _peak_mib()
    t0 = time.perf_counter()
    run()
    seconds = time.perf_counter() - t0
    peak = _peak_mib()
    print(json.dumps({"seconds": seconds, "peak_mib": peak, "excess_mib": peak - base}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
