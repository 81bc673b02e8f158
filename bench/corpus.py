"""A synthetic corpus for the benchmark (issue 21): dataset folders of simulated papers.

Each paper is a ``cr.simulate_cohort`` table (20 to 200 patients, a true change between
-0.8 and 0 points) written as a dataset folder (``patients.csv``, ``metadata.json``,
``claims.json``), with six claims a paper would print: n, the baseline mean and SD, the mean
reduction, the paired t-test's p and the median after, computed here with numpy and scipy and
rounded as printed. One paper in five misprints its mean reduction (by 0.1 to 0.3), so the
corpus has verdicts of every kind to find, as a real one would.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["measure_corpus", "write_corpus"]


def _claim(
    cid: str, quote: str, reported: str, quantity: dict[str, Any], comparator: str = "="
) -> dict[str, Any]:
    return {
        "id": cid,
        "quote": quote,
        "location": "simulated paper",
        "versions": ["simulated"],
        "reported": reported,
        "unit": "patients" if quantity["statistic"] == "n" else "%",
        "comparator": comparator,
        "quantity": quantity,
    }


def _claims(name: str, before: np.ndarray, after: np.ndarray, misprint: float) -> dict[str, Any]:
    from scipy import stats

    change = after - before
    p = float(stats.ttest_rel(after, before).pvalue)
    p_text, p_op = (f"{p:.3f}", "=") if p >= 0.001 else ("0.001", "<")
    reduction = -float(change.mean()) + misprint
    return {
        "format": "cohort-reanalysis/claims@1",
        "dataset": name,
        "claims": [
            _claim("n", f"{len(before)} patients.", str(len(before)), {"statistic": "n"}),
            _claim(
                "mean_before",
                "Mean baseline HbA1c.",
                f"{before.mean():.2f}",
                {"statistic": "mean", "variable": "before"},
            ),
            _claim(
                "sd_before",
                "SD of baseline HbA1c.",
                f"{before.std(ddof=1):.2f}",
                {"statistic": "sd", "variable": "before"},
            ),
            _claim(
                "reduction",
                "HbA1c fell on average.",
                f"{reduction:.2f}",
                {"statistic": "mean_change", "variable": "change", "direction": "reduction"},
            ),
            _claim(
                "p_change",
                "The fall was tested with a paired t-test.",
                p_text,
                {"statistic": "pvalue", "method": {"test": "paired_t"}},
                comparator=p_op,
            ),
            _claim(
                "median_after",
                "Median HbA1c after.",
                f"{np.median(after):.1f}",
                {"statistic": "median", "variable": "after"},
            ),
        ],
    }


def write_corpus(root: Path, n_papers: int, *, seed: int = 21) -> list[Path]:
    """Write ``n_papers`` dataset folders under ``root``; return their paths, in order."""
    import cohort_reanalysis as cr

    rng = np.random.default_rng(seed)
    folders = []
    for i in range(n_papers):
        name = f"paper{i:04d}"
        folder = root / name
        folder.mkdir(parents=True)
        cohort = cr.simulate_cohort(
            int(rng.integers(20, 201)),
            true_change=float(rng.uniform(-0.8, 0.0)),
            effect_sd=0.2,
            baseline_mean=8.0,
            baseline_sd=0.9,
            seed=int(rng.integers(2**31)),
        )
        frame = cohort.frame
        before = np.round(frame["before"].to_numpy(float), 1)
        after = np.round(frame["after"].to_numpy(float), 1)
        lines = ["id,before,after"] + [
            f"{pid},{b:.1f},{a:.1f}" for pid, b, a in zip(frame["id"], before, after, strict=True)
        ]
        table = folder / "patients.csv"
        table.write_text("\n".join(lines) + "\n", encoding="utf-8")
        misprint = float(rng.uniform(0.1, 0.3)) if rng.random() < 0.2 else 0.0
        meta = {
            "format": "cohort-reanalysis/dataset@1",
            "name": name,
            "title": f"Simulated paper {i}",
            "data_file": "patients.csv",
            "sha256": hashlib.sha256(table.read_bytes()).hexdigest(),
            "claims_file": "claims.json",
            "measure": "HbA1c",
            "unit": "%",
            "provenance": {"printed_rows": len(before), "source_kind": "simulated"},
            "columns": [
                {"name": "id", "role": "id", "dtype": "str", "allow_missing": False},
                {"name": "before", "role": "before", "dtype": "float", "unit": "%"},
                {"name": "after", "role": "after", "dtype": "float", "unit": "%"},
            ],
        }
        (folder / "metadata.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        claims = _claims(name, before, after, misprint)
        (folder / "claims.json").write_text(json.dumps(claims, indent=1), encoding="utf-8")
        folders.append(folder)
    return folders


def measure_corpus(
    root: Path, n_papers: int, measure_tools: Any, *, budget_s: float
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Papers per second of ``verify_corpus`` on one process, a 2-process pool and a
    2-worker Dask LocalCluster, on the same ``n_papers`` folders (written under ``root``,
    outside the timings). Returns the measurements by tool and facts (corpus counts, whether
    every executor gave the identical result, the load around each).

    Each configuration is timed alone, one after the other (not in alternating rounds): a
    live LocalCluster keeps its scheduler in this process, whose threads slowed the
    one-process run 2.4x when they were timed side by side (4.4 s against 10.6 s for 200
    papers), and an idle pool holds memory the others could use.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import cohort_reanalysis as cr

    def load() -> list[float]:
        return [round(x, 2) for x in os.getloadavg()]

    folders = write_corpus(root, n_papers)
    facts: dict[str, Any] = {"papers": n_papers, "load": {}}
    local = cr.verify_corpus(folders)  # warm: imports, caches
    facts["counts"] = local.counts
    facts["claims_per_paper"] = sum(len(e.audit) for e in local) / n_papers  # type: ignore[arg-type]
    identical: dict[str, bool] = {}
    measured: dict[str, Any] = {}

    def timed(name: str, executor: Any) -> None:
        identical[name] = cr.verify_corpus(folders, executor=executor) == local
        before = load()
        measured.update(
            measure_tools(
                {name: lambda: cr.verify_corpus(folders, executor=executor)},
                min_runs=2,
                max_runs=3,
                budget_s=budget_s,
                warmup=False,
            )
        )
        facts["load"][name] = {"before": before, "after": load()}

    timed("one process", None)
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        cr.verify_corpus(folders[:8], executor=pool)  # start and warm the workers untimed
        timed("ProcessPoolExecutor(2)", pool)
    try:
        import distributed
    except ImportError as exc:
        facts["dask"] = f"not installed: {exc}"
    else:
        with (
            distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            dask = client.get_executor()
            cr.verify_corpus(folders[:8], executor=dask)
            timed("Dask LocalCluster(2 workers)", dask)
    facts["identical"] = identical
    return measured, facts
