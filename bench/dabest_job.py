"""Time DABEST on a paired analysis; run by bench/run.py with DABEST's own interpreter.

DABEST pins its own numpy/pandas/numba, so it lives in a separate virtual environment
(``python3 -m venv /tmp/dabest && /tmp/dabest/bin/pip install dabest``). This script reads
a JSON job from stdin (``before``, ``after``, ``resamples``, ``repeats``) and prints one JSON
object: the import time, and per repeat the seconds of ``mean_diff.results`` (the bootstrap
BCa interval and the permutation test) and of the Gardner-Altman plot rendered to PNG.
"""

from __future__ import annotations

import io
import json
import sys
import time
from typing import Any


def main() -> int:
    job = json.load(sys.stdin)
    t0 = time.perf_counter()
    import dabest
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    import_s = time.perf_counter() - t0
    n = len(job["before"])
    frame = pd.DataFrame({"id": np.arange(n), "before": job["before"], "after": job["after"]})
    resamples = int(job["resamples"])

    def analysis(seed: int) -> tuple[Any, Any]:
        data = dabest.load(
            frame,
            idx=("before", "after"),
            paired="baseline",
            id_col="id",
            resamples=resamples,
            random_seed=seed,
        )
        effect = data.mean_diff
        # dabest.load() has no permutation_count argument (default 5000); set it on the
        # effect-size object before the results are computed, to match the others.
        effect._EffectSizeDataFrame__permutation_count = resamples
        return effect, effect.results

    analysis(0)  # warm-up: numba compilation caches, lazy imports
    runs, plots = [], []
    row: dict[str, object] = {}
    for r in range(int(job["repeats"])):
        t = time.perf_counter()
        effect, res = analysis(r + 1)
        runs.append(time.perf_counter() - t)
        t = time.perf_counter()
        fig = effect.plot()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100)
        plt.close(fig)
        plots.append(time.perf_counter() - t)
        first = res.iloc[0]
        row = {
            "difference": float(first["difference"]),
            "bca_low": float(first["bca_low"]),
            "bca_high": float(first["bca_high"]),
            "pvalue_permutation": float(first["pvalue_permutation"]),
            "permutation_count": int(first["permutation_count"]),
            "resamples": int(first["resamples"]),
        }
    print(
        json.dumps(
            {
                "version": dabest.__version__,
                "import_s": import_s,
                "analysis_s": runs,
                "plot_s": plots,
                "last": row,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
