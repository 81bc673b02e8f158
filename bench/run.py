"""Benchmarks of cohort_reanalysis against scipy.stats, pingouin, DABEST and a numpy floor.

``make bench`` runs ``python bench/run.py --out bench/results.json``. It prints a Markdown
table (each operation, each tool: median and min-max seconds over repeated runs, and the
ratio to the fastest tool) and writes everything to JSON, with the machine, the date, the
targets of issues 7 and 15 and whether each was met, and a scaling study from 10^2 to 10^6 patients
(a table, fitted log-log slopes, and the figure ``bench/scaling.png``).

Method. Wall-clock time by ``time.perf_counter``. Whole-process operations (imports, the
command line) run as fresh subprocesses from an empty working directory, after one
warm-up run each so that bytecode and disk caches are warm. In-process operations are
called once to warm up (lazy imports, caches), then repeated. The tools of one operation
are timed in turn, round by round, so that a change of machine load hits them alike; the
median is the headline and min-max shows the spread. Repeats stop at ``max_runs`` or when
the time spent reaches a budget, so the whole run stays under about ten minutes on two
cores. The numpy floor (``bench/floor.py``) is the same work written in a few plain lines.

Run ``python bench/run.py --quick`` for a fast smoke run (small sizes, few repeats).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import floor  # noqa: E402  (bench/floor.py, beside this script)

Fn = Callable[[], object]

CR = "cohort_reanalysis"
FLOOR = "numpy floor"


# ----------------------------------------------------------------------------- timing


@dataclass
class Measured:
    """Samples of one tool on one operation (seconds), or why there are none."""

    samples: list[float] = field(default_factory=list)
    error: str | None = None
    note: str = ""

    def summary(self) -> dict[str, Any]:
        s = sorted(self.samples)
        return {
            "median_s": float(np.median(s)) if s else None,
            "min_s": s[0] if s else None,
            "max_s": s[-1] if s else None,
            "runs": len(s),
            "samples_s": self.samples,
            "error": self.error,
            "note": self.note,
        }


def _error(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) < 300 else text[:297] + "..."


def measure_tools(
    tools: Mapping[str, Fn],
    *,
    min_runs: int = 3,
    max_runs: int = 9,
    budget_s: float = 6.0,
    warmup: bool = True,
    min_sample_s: float = 0.05,
) -> dict[str, Measured]:
    """Time each tool, in turn round by round, until ``max_runs`` or the time budget.

    A tool stops after ``max_runs`` runs, or once it has ``min_runs`` runs and has spent
    ``budget_s``, or once it has spent ``3 * budget_s`` (a slow tool: one or two runs).
    With ``warmup``, a fast tool is called in a loop so that each sample lasts at least
    ``min_sample_s`` (as ``timeit`` does); the sample is the time per call. This averages
    out the bursts of load from other processes that single millisecond calls would catch.
    """
    out = {name: Measured() for name in tools}
    active = list(tools)
    loops = dict.fromkeys(tools, 1)
    if warmup:
        for name in list(active):
            try:
                tools[name]()
                t0 = time.perf_counter()
                tools[name]()
                one = time.perf_counter() - t0
            except Exception as exc:  # a tool that cannot run is reported, not fatal
                out[name].error = _error(exc)
                active.remove(name)
                continue
            loops[name] = max(1, min(1000, math.ceil(min_sample_s / max(one, 1e-7))))
            if loops[name] > 1:
                out[name].note = f"each sample: mean of {loops[name]} calls"
    spent = dict.fromkeys(tools, 0.0)
    rnd = 0
    while active:
        k = rnd % len(active)
        for name in active[k:] + active[:k]:
            fn, k = tools[name], loops[name]
            t0 = time.perf_counter()
            try:
                for _ in range(k):
                    fn()
            except Exception as exc:
                out[name].error = _error(exc)
                spent[name] = math.inf
                continue
            took = time.perf_counter() - t0
            out[name].samples.append(took / k)
            spent[name] += took
        for name in list(active):
            n = len(out[name].samples)
            if (
                out[name].error is not None
                or n >= max_runs
                or (n >= min_runs and spent[name] >= budget_s)
                or spent[name] >= 3 * budget_s
            ):
                active.remove(name)
        rnd += 1
    return out


def measure_commands(
    commands: Mapping[str, Sequence[str]], rounds: Mapping[str, int], *, cwd: Path
) -> dict[str, Measured]:
    """Whole-process timings: each command once to warm up, then interleaved rounds."""
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONWARNINGS": "ignore"}
    out = {name: Measured() for name in commands}

    def once(name: str) -> float | None:
        t0 = time.perf_counter()
        proc = subprocess.run(
            list(commands[name]), cwd=cwd, env=env, capture_output=True, text=True
        )
        took = time.perf_counter() - t0
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            out[name].error = f"exit {proc.returncode}: " + " | ".join(tail)
            return None
        return took

    for name in commands:
        once(name)
    for rnd in range(max(rounds.values())):
        names = [n for n in commands if rnd < rounds[n] and out[n].error is None]
        if not names:
            break
        k = rnd % len(names)
        for name in names[k:] + names[:k]:
            took = once(name)
            if took is not None:
                out[name].samples.append(took)
    return out


# ----------------------------------------------------------------------------- results


class Results:
    """Operations measured so far, printed as they come and written as JSON at the end."""

    def __init__(self) -> None:
        self.ops: list[dict[str, Any]] = []
        self.started = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def add(
        self,
        op_id: str,
        title: str,
        measured: Mapping[str, Measured],
        *,
        notes: Mapping[str, str] | None = None,
        detail: str = "",
    ) -> dict[str, Any]:
        tools = []
        for name, m in measured.items():
            row = {"tool": name, **m.summary()}
            if notes and name in notes:
                row["note"] = (row["note"] + " " + notes[name]).strip()
            tools.append(row)
        medians = [t["median_s"] for t in tools if t["median_s"] is not None]
        fastest = min(medians) if medians else None
        for t in tools:
            t["ratio_to_fastest"] = (
                None if t["median_s"] is None or not fastest else t["median_s"] / fastest
            )
        op = {"id": op_id, "operation": title, "detail": detail, "tools": tools}
        self.ops.append(op)
        _log(f"[{self.elapsed():6.1f}s] {title}")
        for t in tools:
            if t["median_s"] is None:
                _log(f"    {t['tool']:<42} ERROR {t['error']}")
            else:
                _log(
                    f"    {t['tool']:<42} {_fmt(t['median_s']):>9} "
                    f"({_fmt(t['min_s'])}-{_fmt(t['max_s'])}, {t['runs']} runs) "
                    f"x{t['ratio_to_fastest']:.2f}"
                )
        return op

    def get(self, op_id: str) -> dict[str, Any] | None:
        return next((op for op in self.ops if op["id"] == op_id), None)

    def median(self, op_id: str, tool: str) -> float | None:
        op = self.get(op_id)
        if op is None:
            return None
        row = next((t for t in op["tools"] if t["tool"] == tool), None)
        return None if row is None else row["median_s"]


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1.0:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


# ----------------------------------------------------------------------------- machine


def machine_info() -> dict[str, Any]:
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
    }
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in lscpu.splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("Model name", "CPU(s)", "Thread(s) per core", "L3 cache"):
                info[key.strip().lower().replace(" ", "_").replace("(s)", "s")] = value.strip()
    except (OSError, subprocess.CalledProcessError):
        info["cpu_model"] = platform.processor() or "unknown"
    try:
        meminfo = Path("/proc/meminfo").read_text()
        kb = int(next(ln for ln in meminfo.splitlines() if ln.startswith("MemTotal")).split()[1])
        info["ram_gib"] = round(kb / 2**20, 1)
    except (OSError, StopIteration, ValueError):
        info["ram_gib"] = None
    versions: dict[str, str | None] = {}
    for pkg in ("cohort-reanalysis", "numpy", "scipy", "pandas", "pingouin", "matplotlib"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    info["versions"] = versions
    return info


def _load() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


# ----------------------------------------------------------------------------- data


def matsuoka_pairs() -> tuple[Any, Any]:
    from cohort_reanalysis import load_dataset

    cohort = load_dataset("matsuoka2025")
    return cohort, cohort.pair()


def synthetic_pairs(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """HbA1c-like pairs: before ~ N(8.5, 1.5), change ~ N(-0.8, 0.9), kept in 3..20 %."""
    rng = np.random.default_rng(seed)
    before = np.clip(rng.normal(8.5, 1.5, n), 4.0, 19.0)
    after = np.clip(before + rng.normal(-0.8, 0.9, n), 3.5, 19.5)
    return before, after


def synthetic_cohort(n: int, seed: int = 0) -> Any:
    """The Matsuoka table resampled to ``n`` rows (same columns, so its claims apply)."""
    from cohort_reanalysis import Cohort, load_dataset

    base = load_dataset("matsuoka2025")
    frame = base.frame.sample(n=n, replace=True, random_state=seed).reset_index(drop=True)
    return Cohort.from_frame(
        frame, columns=list(base.columns), measure=base.measure, unit=base.unit
    )


def paired_data(before: np.ndarray, after: np.ndarray) -> Any:
    from cohort_reanalysis import PairedData

    return PairedData(before, after, np.arange(1, before.size + 1, dtype=np.int64), ())


# ----------------------------------------------------------------------------- tools


def ours_bootstrap(d: np.ndarray, b: int, seed: int) -> Fn:
    from cohort_reanalysis.analyses._resampling import bootstrap_mean_ci

    return lambda: bootstrap_mean_ci(d, n_resamples=b, seed=seed)


def ours_sign_flip(d: np.ndarray, b: int, seed: int) -> Fn:
    from cohort_reanalysis.analyses._resampling import sign_flip_test

    return lambda: sign_flip_test(d, n_resamples=b, seed=seed)


def floor_bootstrap(d: np.ndarray, b: int, seed: int) -> Fn:
    return lambda: floor.bootstrap_ci(d, n_resamples=b, seed=seed)


def floor_sign_flip(d: np.ndarray, b: int, seed: int) -> Fn:
    return lambda: floor.sign_flip_pvalue(d, n_resamples=b, seed=seed)


def _batch(n: int) -> int:
    # scipy resamples all at once unless batched: keep its memory near the others' 32 MB.
    return max(1, 2**22 // n)


def scipy_bootstrap(d: np.ndarray, b: int, seed: int, method: str = "BCa") -> Fn:
    from scipy import stats

    return lambda: (
        stats.bootstrap(
            (d,),
            np.mean,
            n_resamples=b,
            method=method,
            vectorized=True,
            batch=_batch(d.size),
            rng=np.random.default_rng(seed),
        ).confidence_interval
    )


def scipy_permutation(before: np.ndarray, after: np.ndarray, b: int, seed: int) -> Fn:
    from scipy import stats

    def stat(x: np.ndarray, y: np.ndarray, axis: int = -1) -> Any:
        return np.mean(x - y, axis=axis)

    return lambda: (
        stats.permutation_test(
            (after, before),
            stat,
            permutation_type="samples",
            vectorized=True,
            n_resamples=b,
            batch=_batch(before.size),
            rng=np.random.default_rng(seed),
        ).pvalue
    )


def ours_paired(before: np.ndarray, after: np.ndarray, b: int, seed: int) -> Fn:
    from cohort_reanalysis.analyses._paired import paired_change

    pairs = paired_data(before, after)

    def run() -> object:
        res = paired_change(pairs)
        return (
            res,
            res.bootstrap(n_resamples=b, seed=seed),
            res.permutation(n_resamples=b, seed=seed + 1),
        )

    return run


def floor_paired(before: np.ndarray, after: np.ndarray, b: int, seed: int) -> Fn:
    return lambda: floor.paired_analysis(before, after, n_resamples=b, seed=seed)


def scipy_paired(before: np.ndarray, after: np.ndarray, b: int, seed: int) -> Fn:
    from scipy import stats

    boot = scipy_bootstrap(after - before, b, seed)
    perm = scipy_permutation(before, after, b, seed + 1)

    def run() -> object:
        t = stats.ttest_rel(after, before)
        ci = t.confidence_interval()
        w = stats.wilcoxon(after - before, correction=True, method="approx")
        return t.pvalue, ci, w.pvalue, boot(), perm()

    return run


def pingouin_paired(before: np.ndarray, after: np.ndarray, b: int, seed: int) -> Fn:
    import pingouin as pg

    d = after - before

    def run() -> object:
        return (
            pg.ttest(after, before, paired=True),
            pg.wilcoxon(after, before),
            pg.compute_bootci(d, func="mean", method="bca", n_boot=b, seed=seed),
        )

    return run


def ours_tests(before: np.ndarray, after: np.ndarray) -> Fn:
    from cohort_reanalysis.analyses._paired import paired_change

    pairs = paired_data(before, after)
    return lambda: paired_change(pairs)


def scipy_tests(before: np.ndarray, after: np.ndarray) -> Fn:
    from scipy import stats

    def run() -> object:
        t = stats.ttest_rel(after, before)
        return t.confidence_interval(), stats.wilcoxon(after - before, method="approx")

    return run


# ----------------------------------------------------------------------------- stages


def stage_processes(res: Results, args: argparse.Namespace, workdir: Path) -> None:
    py = sys.executable
    figdir = workdir / "figures"
    commands = {
        "python -c pass": [py, "-c", "pass"],
        "import pandas": [py, "-c", "import pandas"],
        "import cohort_reanalysis": [py, "-c", "import cohort_reanalysis"],
        # The package import no longer loads pandas; the table layer does, at the first table.
        "first table": [
            py,
            "-c",
            "import cohort_reanalysis as cr; cr.load_dataset('matsuoka2025')",
        ],
        "import pingouin": [py, "-c", "import pingouin"],
        "main job": [
            py,
            "-m",
            "cohort_reanalysis",
            "verify",
            "matsuoka2025",
            "--format",
            "json",
            "--figures",
            str(figdir),
        ],
    }
    r = args.rounds
    rounds = {name: r for name in commands}
    for name in ("import pingouin", "main job"):
        rounds[name] = max(2, r - 2)
    rounds["python -c pass"] = 3
    m = measure_commands(commands, rounds, cwd=workdir)
    n_fig = len([p for p in figdir.glob("*") if p.is_file()]) if figdir.exists() else 0
    res.add(
        "import",
        "import (whole process, fresh interpreter)",
        {
            CR: m["import cohort_reanalysis"],
            f"{CR} + load_dataset": m["first table"],
            "pandas": m["import pandas"],
            "pingouin": m["import pingouin"],
            "python -c pass": m["python -c pass"],
        },
        detail="python -c 'import X' as a subprocess; includes interpreter start-up",
    )
    job_note = (
        f"{n_fig} figure files written"
        if n_fig
        else "NO figure files written: the command line skipped the figures"
    )
    tools = {CR: m["main job"], "pingouin (bare import)": m["import pingouin"]}
    notes = {CR: job_note, "pingouin (bare import)": "same runs as in the import row"}
    res.add(
        "main_job",
        "main job: verify matsuoka2025 --format json --figures DIR (whole process)",
        tools,
        notes=notes,
        detail="python -m cohort_reanalysis verify ... as a subprocess",
    )


def stage_dabest(
    args: argparse.Namespace, before: np.ndarray, after: np.ndarray
) -> tuple[dict[str, Any], Measured, Measured]:
    """Run bench/dabest_job.py with DABEST's interpreter; never fatal."""
    info: dict[str, Any] = {"python": args.dabest_python, "available": False}
    analysis, plot = Measured(), Measured()
    py = Path(args.dabest_python)
    if args.no_dabest:
        info["reason"] = "skipped (--no-dabest)"
    elif not py.exists():
        info["reason"] = (
            f"no DABEST interpreter at {py}: create it with `python3 -m venv /tmp/dabest && "
            "/tmp/dabest/bin/pip install dabest` (DABEST pins its own numpy/pandas/numba, "
            "so it is not installed into the project's environment)"
        )
    else:
        job = {
            "before": before.tolist(),
            "after": after.tolist(),
            "resamples": args.resamples,
            "repeats": 3,
        }
        try:
            proc = subprocess.run(
                [str(py), "-P", str(HERE / "dabest_job.py")],
                input=json.dumps(job),
                capture_output=True,
                text=True,
                timeout=600,
                cwd=tempfile.gettempdir(),
                env={**os.environ, "MPLBACKEND": "Agg"},
            )
            lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
            if proc.returncode != 0 or not lines:
                raise RuntimeError(
                    f"exit {proc.returncode}: " + " | ".join(proc.stderr.strip().splitlines()[-3:])
                )
            out = json.loads(lines[-1])  # DABEST prints its own banner on stdout
            info.update(
                available=True,
                version=out["version"],
                import_s=out["import_s"],
                last=out["last"],
            )
            analysis.samples = list(out["analysis_s"])
            plot.samples = list(out["plot_s"])
        except (OSError, RuntimeError, subprocess.TimeoutExpired, ValueError) as exc:
            info["reason"] = _error(exc)
    if not info["available"]:
        analysis.error = plot.error = info.get("reason", "not available")
    return info, analysis, plot


def stage_small(res: Results, args: argparse.Namespace, dabest: Measured) -> None:
    from cohort_reanalysis.analyses._correlation import correlate
    from cohort_reanalysis.analyses._ranks import wilcoxon_signed_rank

    _, pairs = matsuoka_pairs()
    before = np.asarray(pairs.before, dtype=float)
    after = np.asarray(pairs.after, dtype=float)
    d = after - before
    n, b, seed = d.size, args.resamples, 20250301
    budget = args.op_budget

    import pingouin as pg
    from scipy import stats

    m = measure_tools(
        {
            f"{CR} (BCa)": ours_bootstrap(d, b, seed),
            f"{FLOOR} (percentile)": floor_bootstrap(d, b, seed),
            "scipy.stats.bootstrap (BCa)": scipy_bootstrap(d, b, seed),
            "scipy.stats.bootstrap (percentile)": scipy_bootstrap(d, b, seed, "percentile"),
            "pingouin.compute_bootci (BCa)": lambda: pg.compute_bootci(
                d, func="mean", method="bca", n_boot=b, seed=seed
            ),
        },
        budget_s=budget,
    )
    res.add("bootstrap_58", f"bootstrap CI of the mean change, {n} pairs, {b:,} resamples", m)

    m = measure_tools(
        {
            CR: ours_sign_flip(d, b, seed),
            FLOOR: floor_sign_flip(d, b, seed),
            "scipy.stats.permutation_test": scipy_permutation(before, after, b, seed),
        },
        budget_s=budget,
    )
    res.add("permutation_58", f"sign-flip permutation test, {n} pairs, {b:,} resamples", m)

    m = measure_tools(
        {
            CR: ours_paired(before, after, b, seed),
            FLOOR: floor_paired(before, after, b, seed),
            "scipy.stats": scipy_paired(before, after, b, seed),
            "pingouin": pingouin_paired(before, after, b, seed),
        },
        budget_s=budget,
    )
    m["dabest"] = dabest
    res.add(
        "paired_58",
        f"paired analysis, {n} pairs: t-test, Wilcoxon, {b:,} bootstrap + {b:,} permutation",
        m,
        notes={
            CR: "paired_change (t, CI, d_z/d_av/d_rm with CIs, Wilcoxon, Hodges-Lehmann, "
            "Shapiro-Wilk) + .bootstrap() BCa + .permutation()",
            FLOOR: "t, CI, Wilcoxon, percentile bootstrap, sign flip",
            "scipy.stats": "ttest_rel + CI, wilcoxon, bootstrap BCa, permutation_test",
            "pingouin": "ttest(paired), wilcoxon, compute_bootci BCa; no permutation test",
            "dabest": "mean_diff.results (BCa + permutation + t/Wilcoxon p), own venv; "
            "permutation Python loop per resample",
        },
    )

    m = measure_tools(
        {
            f"{CR} paired_change": ours_tests(before, after),
            f"{CR} wilcoxon_signed_rank": lambda: wilcoxon_signed_rank(d),
            FLOOR: lambda: floor.paired_tests(before, after),
            "scipy.stats ttest_rel + wilcoxon": scipy_tests(before, after),
            "pingouin ttest + wilcoxon": lambda: (
                pg.ttest(after, before, paired=True),
                pg.wilcoxon(after, before),
            ),
        },
        budget_s=budget / 2,
        max_runs=15,
    )
    res.add(
        "tests_58",
        f"paired tests without resampling, {n} pairs",
        m,
        notes={f"{CR} paired_change": "also effect sizes with CIs, Hodges-Lehmann, Shapiro"},
    )

    dose = np.asarray(pairs.extra["dose"], dtype=float) if "dose" in pairs.extra else before
    m = measure_tools(
        {
            CR: lambda: correlate(dose, d, method="pearson"),
            "scipy.stats.pearsonr (+CI)": lambda: stats.pearsonr(dose, d).confidence_interval(),
            "pingouin.corr": lambda: pg.corr(dose, d),
        },
        budget_s=budget / 2,
        max_runs=15,
    )
    res.add("correlation_58", f"Pearson correlation with CI, {n} pairs", m)


def stage_verify(res: Results, args: argparse.Namespace, pool: Executor | None) -> None:
    from cohort_reanalysis import load_dataset
    from cohort_reanalysis.verification._audit import verify

    cohort = load_dataset("matsuoka2025")
    audit = verify(cohort)
    tools: dict[str, Fn] = {CR: lambda: verify(cohort)}
    if pool is not None:
        tools[f"{CR}, ProcessPoolExecutor(2)"] = lambda: verify(cohort, executor=pool)
    m = measure_tools(tools, budget_s=args.op_budget)
    n_spec = _n_specifications(cohort)
    res.add(
        "verify",
        f"specification search: verify every claim of matsuoka2025 ({len(audit)} claims, "
        f"{n_spec:,} specifications)",
        m,
        notes={f"{CR}, ProcessPoolExecutor(2)": "pool started once, outside the timing"},
        detail="in-process, warm; no peer does this (statcheck and scrutiny are R)",
    )


def stage_verify_once_imported(res: Results, args: argparse.Namespace) -> dict[str, Any]:
    """One warm ``verify`` of matsuoka2025, timed alone; returns its target row.

    The test suite asserted this bound until issue 15 (tests/verification/test_audit.py); a
    wall-clock bound belongs here, where the machine and its load are written down.
    """
    from cohort_reanalysis import load_dataset
    from cohort_reanalysis.verification._audit import verify

    cohort = load_dataset("matsuoka2025")
    verify(cohort)  # lazy imports (scipy.special) happen here, outside the timing
    m = measure_tools(
        {CR: lambda: verify(cohort)}, warmup=False, min_runs=3, budget_s=args.op_budget
    )
    res.add(
        "verify_once_imported",
        "verify every claim of matsuoka2025 once its modules are imported (one call per sample)",
        m,
        detail="the wall-clock bound that tests/verification/test_audit.py held until issue 15",
    )
    value = res.median("verify_once_imported", CR)
    limit = 1.0
    return {
        "target": "verify matsuoka2025 once imported (seconds)",
        "value": value,
        "limit": limit,
        "kind": "<",
        "met": None if value is None else value < limit,
        "detail": "median of single warm calls; the test suite's bound was 2 s, its aim under 1 s",
    }


def stage_drafting(res: Results, args: argparse.Namespace) -> tuple[list[dict[str, Any]], Any]:
    """Drafting (issue 17): recall and precision on the bundled sources, and the time to
    draft a 300 kB text, beside reading it alone (the floor every draft pays). Returns the
    target rows and the quality rows."""
    import drafting

    from cohort_reanalysis import load_dataset
    from cohort_reanalysis.drafting import draft, read_text

    quality = drafting.quality()
    text = drafting.long_text()
    cohort = load_dataset("matsuoka2025")
    m = measure_tools(
        {
            f"{CR} draft (no table)": lambda: draft(text),
            f"{CR} draft with matsuoka2025's table": lambda: draft(text, cohort=cohort),
            "reading the text only (read_text)": lambda: read_text(text),
        },
        warmup=False,
        min_runs=3,
        budget_s=args.op_budget,
    )
    res.add(
        "draft_300k",
        f"draft a {len(text.encode()) / 1000:.0f} kB text (the preprint repeated): every "
        "number with its quote, APA results, guessed quantities",
        m,
        detail="no peer in Python; statcheck (R) reads APA results only",
    )
    value = res.median("draft_300k", f"{CR} draft with matsuoka2025's table")
    cpu = []
    for _ in range(3):  # CPU time of this process: what the load of other processes leaves out
        t0 = time.process_time()
        draft(text, cohort=cohort)
        cpu.append(time.process_time() - t0)
    pre = quality[0]
    out = [
        {
            "target": "draft a 300 kB text with a table (seconds)",
            "value": value,
            "limit": 1.0,
            "kind": "<",
            "met": None if value is None else value < 1.0,
            "detail": f"median of single warm calls (wall); CPU time {min(cpu):.2f} s",
        },
        {
            "target": "drafting recall on the preprint",
            "value": pre["recall"],
            "limit": 0.9,
            "kind": ">=",
            "met": pre["recall"] >= 0.9,
            "detail": f"precision {pre['precision']:.3f}; {pre['hand_written']} hand-written",
        },
        {
            "target": "drafting quantity recall on the preprint",
            "value": pre["quantity_recall"],
            "limit": 0.9,
            "kind": ">=",
            "met": pre["quantity_recall"] >= 0.9,
            "detail": "where the table makes the quantity unambiguous",
        },
    ]
    for row in quality:
        _log(
            f"    drafting {row['source']}: recall {row['recall']:.1%}, quantity recall "
            f"{row['quantity_recall']:.1%}, precision {row['precision']:.1%} "
            f"({row['drafted']} drafted, {row['hand_written']} hand-written)"
        )
    return out, quality


def stage_summary(res: Results, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Summary-level checks (issue 20): GRIM over a table of 10^5 reported means and SPRITE
    to a first solution for n = 50 on a 1-7 scale, each beside a plain Python loop written
    the obvious way (``bench/summary.py``), with the answers asserted equal. Returns the
    target rows."""
    import pandas as pd
    import summary

    from cohort_reanalysis import check_table, grim, grim_arrays, sprite

    rows = 10_000 if args.quick else 100_000
    means, ns = summary.grim_table(rows)
    frame = pd.DataFrame({"mean": means, "n": ns})
    fast = grim_arrays(means, ns).verdicts().tolist()
    table = check_table(frame, check="grim", details=False)
    loop = summary.grim_loop(means, ns)
    assert fast == loop == table.frame["consistency"].tolist(), "GRIM: paths disagree"
    m = measure_tools(
        {
            f"{CR} grim_arrays": lambda: grim_arrays(means, ns),
            f"{CR} check_table(details=False)": lambda: check_table(
                frame, check="grim", details=False
            ),
            "plain loop: textbook GRIM per row (exact fractions)": lambda: summary.grim_loop(
                means, ns
            ),
        },
        min_runs=3,
        budget_s=args.op_budget,
    )
    res.add(
        "grim_table",
        f"GRIM over a table of {rows:,} reported means (two decimals, n 5-99; "
        f"{table.inconsistent:,} inconsistent)",
        m,
        detail="the three give the same verdict on every row (asserted)",
    )
    # The explained path calls grim() per row: timed on a hundredth of the rows.
    few = rows // 100
    explained = check_table(frame.iloc[:few], check="grim")
    assert explained.frame["consistency"].tolist() == fast[:few]
    m = measure_tools(
        {
            f"{CR} check_table (every row explained)": lambda: check_table(
                frame.iloc[:few], check="grim"
            ),
            "plain loop: cr.grim per row": lambda: [
                grim(a, b) for a, b in zip(means[:few], ns[:few].tolist(), strict=True)
            ],
        },
        warmup=False,
        min_runs=1,
        max_runs=3,
        budget_s=args.op_budget,
    )
    res.add(
        "grim_table_explained",
        f"GRIM over {few:,} reported means with every row explained (possible means, detail)",
        m,
    )
    case = summary.SPRITE_CASE
    mean, sd, n, bounds = case["mean"], case["sd"], case["n"], case["bounds"]
    seeds = iter(range(10**9))
    for seed in range(20):  # both find a solution, and each solution holds
        ours = sprite(mean, sd, n, bounds=bounds, seed=seed)
        plain = summary.plain_sprite(mean, sd, n, bounds, seed=seed)
        assert ours.exists and plain is not None, "SPRITE: a path found no solution"
        assert summary.sprite_answer_holds(ours.solutions[0], mean, sd, n, bounds)
        assert summary.sprite_answer_holds(plain, mean, sd, n, bounds)
    m = measure_tools(
        {
            f"{CR} sprite (first solution)": lambda: sprite(
                mean, sd, n, bounds=bounds, seed=next(seeds)
            ),
            "plain loop: random walk of the sample in Python": lambda: summary.plain_sprite(
                mean, sd, n, bounds, seed=next(seeds)
            ),
        },
        min_runs=5,
        max_runs=15,
        budget_s=args.op_budget / 2,
    )
    res.add(
        "sprite_first",
        f"SPRITE to a first solution: mean {mean}, SD {sd}, n = {n} on a "
        f"{bounds[0]}-{bounds[1]} scale (a new seed each call)",
        m,
        detail="every solution of either path has the printed mean and SD (asserted, 20 seeds)",
    )
    out = []
    for name, op, tool, limit, unit in (
        (
            f"GRIM over {rows:,} reported means (seconds)",
            "grim_table",
            f"{CR} check_table(details=False)",
            1.0,
            1.0,
        ),
        (
            "SPRITE to a first solution, n = 50 on 1-7 (milliseconds)",
            "sprite_first",
            f"{CR} sprite (first solution)",
            50.0,
            1000.0,
        ),
    ):
        seconds = res.median(op, tool)
        value = None if seconds is None else seconds * unit
        out.append(
            {
                "target": name,
                "value": value,
                "limit": limit,
                "kind": "<",
                "met": None if value is None else value < limit,
                "detail": f"median of {tool}",
            }
        )
    return out


def stage_corpus(
    res: Results, args: argparse.Namespace, workdir: Path
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """A synthetic corpus (issue 21; bench/corpus.py): papers per second of ``verify_corpus``
    on one process, a 2-process pool and a 2-worker Dask LocalCluster, and the parallel
    efficiency of each (speed-up / 2; target 0.7). Returns the target rows and the facts."""
    import corpus

    load = _load()
    measured, facts = corpus.measure_corpus(
        workdir / "corpus", args.corpus_papers, measure_tools, budget_s=args.op_budget
    )
    facts["load_before"] = load
    facts["load_after"] = _load()
    n = args.corpus_papers
    res.add(
        "corpus",
        f"verify_corpus: {n:,} simulated papers (dataset folders, "
        f"{facts['claims_per_paper']:.0f} claims each), read, verified, judged",
        measured,
        notes={name: f"load {v['before']} -> {v['after']}" for name, v in facts["load"].items()},
        detail="each configuration timed alone, one after the other; identical results: "
        + ", ".join(f"{k} {v}" for k, v in facts["identical"].items()),
    )
    one = res.median("corpus", "one process")
    facts["papers_per_second"] = {
        name: (None if m.samples == [] else n / float(np.median(m.samples)))
        for name, m in measured.items()
    }
    out = []
    for name in measured:
        if name == "one process":
            continue
        many = res.median("corpus", name)
        efficiency = None if one is None or many is None else one / many / 2
        facts.setdefault("efficiency", {})[name] = efficiency
        out.append(
            {
                "target": f"corpus parallel efficiency, {name}",
                "value": efficiency,
                "limit": 0.7,
                "kind": ">=",
                "met": None if efficiency is None else efficiency >= 0.7,
                "detail": "(papers/s on 2 workers) / (2 x papers/s on one process); "
                f"identical: {facts['identical'].get(name)}",
            }
        )
    for name, pps in facts["papers_per_second"].items():
        _log(f"    corpus {name}: {pps:.1f} papers/s" if pps else f"    corpus {name}: -")
    return out, facts


def _n_specifications(cohort: Any) -> int:
    from cohort_reanalysis.verification._cohort_arrays import CohortArrays
    from cohort_reanalysis.verification._dataset_claims import claims_for
    from cohort_reanalysis.verification._space import build_space

    arrays = CohortArrays(cohort)
    total = 0
    for c in claims_for(cohort, None).claims:
        if c.quantity is not None:
            space = build_space(
                c.quantity, comparator=c.comparator, rounding="up_or_down", row_sets=arrays.row_sets
            )
            total += len(space.assignments)
    return total


def stage_reading(res: Results, args: argparse.Namespace, workdir: Path) -> list[dict[str, Any]]:
    """Reading a CSV of 10^6 rows and one of 10^4 columns (issue 18.5): ``Cohort.read``
    beside a bare ``pandas.read_csv`` of the same file, each read in a fresh process (see
    ``bench/reading.py``), in alternation. Returns the target rows (at most 3x in time)."""
    import reading

    rows, cols = (10**5, 10**3) if args.quick else (10**6, 10**4)
    files = {
        "rows": (reading.write_rows(workdir / "rows.csv", rows), f"{rows:,} rows x 2 columns"),
        "columns": (
            reading.write_columns(workdir / "columns.csv", cols),
            f"20 rows x {cols:,} columns",
        ),
    }
    tools = {
        f"{CR} Cohort.read": "cohort",
        f"{CR} Cohort.read, then .printed of both columns": "cohort-printed",
        "pandas.read_csv (bare)": "pandas",
    }
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    out = []
    for key, (path, label) in files.items():
        measured = {name: Measured() for name in tools}
        memory: dict[str, list[float]] = {name: [] for name in tools}
        excess: dict[str, list[float]] = {name: [] for name in tools}
        for rnd in range(args.read_runs):
            names = list(tools)[rnd % len(tools) :] + list(tools)[: rnd % len(tools)]
            for name in names:
                proc = subprocess.run(
                    [sys.executable, str(HERE / "reading.py"), tools[name], str(path)],
                    capture_output=True,
                    text=True,
                    env=env,
                    timeout=900,
                )
                line = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
                if proc.returncode != 0 or not line:
                    tail = " | ".join(proc.stderr.strip().splitlines()[-2:])
                    measured[name].error = f"exit {proc.returncode}: {tail}"
                    continue
                got = json.loads(line[-1])
                measured[name].samples.append(got["seconds"])
                memory[name].append(got["peak_mib"])
                excess[name].append(got["excess_mib"])
        notes = {
            name: f"peak RSS {max(memory[name]):.0f} MiB (+{max(excess[name]):.0f} MiB "
            "over the process before the read)"
            for name in tools
            if memory[name]
        }
        op = res.add(
            f"read_{key}",
            f"read a CSV of {label} ({path.stat().st_size / 2**20:.1f} MiB), fresh process",
            measured,
            notes=notes,
            detail="wall time of the read alone (imports done before); peak memory of the "
            "whole process (VmHWM)",
        )
        for t in op["tools"]:
            t["peak_mib"] = max(memory[t["tool"]], default=None)
            t["excess_mib"] = max(excess[t["tool"]], default=None)
        ours = res.median(f"read_{key}", f"{CR} Cohort.read")
        bare = res.median(f"read_{key}", "pandas.read_csv (bare)")
        value = None if ours is None or not bare else ours / bare
        out.append(
            {
                "target": f"Cohort.read / pandas.read_csv, {label} (time)",
                "value": value,
                "limit": 3.0,
                "kind": "<=",
                "met": None if value is None else value <= 3.0,
                "detail": "issue 18.5; medians of fresh processes; "
                + "; ".join(f"{k}: {v}" for k, v in notes.items()),
            }
        )
    return out


def stage_simulate(res: Results, args: argparse.Namespace, pool: Executor | None) -> None:
    try:
        from cohort_reanalysis.analyses._power import simulate_power
    except ImportError as exc:
        res.add("simulate", "power simulation", {CR: Measured(error=_error(exc))})
        return
    import inspect

    import pingouin as pg

    has_executor = "executor" in inspect.signature(simulate_power).parameters
    n, delta, sd, sims, seed = 58, -0.3, 1.0, 2000, 7
    tools: dict[str, Fn] = {}

    def power(test: str, executor: Executor | None = None) -> Fn:
        extra: dict[str, Any] = {"test": test}
        if executor is not None:
            extra["executor"] = executor
        return lambda: simulate_power(
            n, true_change=delta, sd_change=sd, n_sims=sims, seed=seed, **extra
        )

    for test in ("paired_t", "wilcoxon", "sign_flip"):
        tools[f"{CR} ({test})"] = power(test)
        if pool is not None and has_executor:
            tools[f"{CR} ({test}), ProcessPoolExecutor(2)"] = power(test, pool)
    tools[f"{FLOOR} (paired_t)"] = lambda: floor.t_power(
        n, true_change=delta, sd_change=sd, n_sims=sims, seed=seed
    )
    tools["pingouin.power_ttest (closed form)"] = lambda: pg.power_ttest(
        d=abs(delta) / sd, n=n, contrast="paired"
    )
    m = measure_tools(tools, budget_s=args.op_budget / 2)
    res.add(
        "simulate",
        f"power simulation: {sims:,} studies of {n} pairs, d_z = {abs(delta) / sd:g} "
        "(sign flip: 999 patterns each)",
        m,
        notes={"pingouin.power_ttest (closed form)": "noncentral t, no simulation"},
        detail="" if has_executor else "simulate_power has no executor keyword yet",
    )


def stage_figures(res: Results, args: argparse.Namespace, dabest_plot: Measured) -> dict[str, Any]:
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd
    import pingouin as pg

    cohort, pairs = matsuoka_pairs()
    info: dict[str, Any] = {}
    tools: dict[str, Fn] = {}
    pool = None
    try:
        from cohort_reanalysis.presentation.figures import all_figures, render_figures
        from cohort_reanalysis.verification._audit import verify

        audit = verify(cohort)

        def ours(formats: Sequence[str], executor: Executor | None = None) -> Fn:
            def run() -> object:
                files = render_figures(cohort, audit, formats=formats, executor=executor)
                info["n_figures"] = len(files)
                return files

            return run

        # A pool kept by the session, as a notebook would keep one: its start-up and first
        # imports happen in the warm-up call, not in the timed ones. The platform's default
        # start method, as the command line uses.
        pool = ProcessPoolExecutor(2)
        tools[f"{CR} render_figures PNG, one process"] = ours(["png"])
        tools[f"{CR} render_figures PNG, ProcessPoolExecutor(2)"] = ours(["png"], pool)
        tools[f"{CR} render_figures PNG + SVG, one process"] = ours(["png", "svg"])
        tools[f"{CR} render_figures PNG + SVG, ProcessPoolExecutor(2)"] = ours(["png", "svg"], pool)
        tools[f"{CR} all_figures (build, no rendering)"] = lambda: all_figures(cohort, audit)
    except ImportError as exc:
        info["error"] = _error(exc)
    long = pd.DataFrame(
        {
            "id": np.tile(np.arange(pairs.n), 2),
            "visit": ["before"] * pairs.n + ["after"] * pairs.n,
            "hba1c": np.r_[pairs.before, pairs.after],
        }
    )

    def pingouin_plot() -> object:
        ax = pg.plot_paired(data=long, dv="hba1c", within="visit", subject="id")
        buf = io.BytesIO()
        ax.figure.savefig(buf, format="png", dpi=150)
        plt.close(ax.figure)
        return buf

    tools["pingouin.plot_paired + PNG (1 figure)"] = pingouin_plot
    try:
        m = measure_tools(tools, budget_s=args.op_budget, max_runs=5)
    finally:
        if pool is not None:
            pool.shutdown()
    m["dabest Gardner-Altman plot + PNG (1 figure)"] = dabest_plot
    n_fig = info.get("n_figures")
    res.add(
        "figures",
        f"drawing every figure ({n_fig if n_fig else '?'} figures) and encoding it",
        m,
        notes={
            f"{CR} render_figures PNG, one process": (
                f"{n_fig} figures, 5,000-resample estimation plots, PNG at 150 dpi"
            ),
            f"{CR} render_figures PNG, ProcessPoolExecutor(2)": (
                "a figure per task, the audit first; the results each figure shows are "
                "pickled to the workers"
            ),
        },
    )
    if "error" not in info:
        info["matplotlib_profile"] = profile_figures(cohort, audit)
    return info


# Where the time of drawing every figure goes inside matplotlib and Pillow: the functions of
# a cProfile of render_figures (PNG + SVG, one process), by cumulative time. Names are
# matplotlib 3.11's; one that is missing (another version) is reported as absent.
_PROFILED = {
    "every figure, PNG + SVG (under the profiler)": "_files.py:render_drawing",
    "building the figures (plot functions)": "_registry.py:draw",
    "constrained layout (once per figure)": "layout_engine.py:execute",
    "savefig, PNG (Agg draw + encode)": "backend_agg.py:print_png",
    "  Agg draw_text": "backend_agg.py:draw_text",
    "    its Python loop over glyphs (new in matplotlib 3.11)": (
        "backend_agg.py:_draw_text_glyphs_and_boxes"
    ),
    "  PNG encoding (Pillow, compress_level 1)": "image.py:imsave",
    "savefig, SVG": "backend_svg.py:print_svg",
    "laying text out to measure or draw it (FT2Font.set_text)": (
        "~:<built-in method matplotlib.ft2font.set_text>"
    ),
}


def profile_figures(cohort: Any, audit: Any) -> dict[str, float | None]:
    """Seconds spent in each of ``_PROFILED`` while every figure is drawn once."""
    import cProfile
    import pstats

    from cohort_reanalysis.presentation.figures import render_figures

    render_figures(cohort, audit)  # warm: imports and caches
    profiler = cProfile.Profile()
    profiler.enable()
    render_figures(cohort, audit)
    profiler.disable()
    stats: Any = pstats.Stats(profiler).stats
    cumulative: dict[str, float] = {}
    for (filename, _line, function), (_, _, _, cum, _) in stats.items():
        key = f"{Path(filename).name}:{function}" if filename != "~" else f"~:{function}"
        cumulative[key] = cumulative.get(key, 0.0) + cum
    out: dict[str, float | None] = {}
    for label, wanted in _PROFILED.items():
        found = [
            seconds
            for key, seconds in cumulative.items()
            if key == wanted or (wanted.startswith("~:") and key.startswith(wanted))
        ]
        out[label] = sum(found) if found else None
    for label, seconds in out.items():
        _log(f"    profile: {label:<52} {_fmt(seconds) if seconds is not None else 'absent'}")
    return out


# ----------------------------------------------------------------------------- scaling


@dataclass
class Series:
    operation: str
    tool: str
    make: Callable[[int], Fn]
    max_n: int | None = None
    why_not: str = ""
    points: dict[int, dict[str, Any]] = field(default_factory=dict)


def scaling_series(b: int) -> list[Series]:
    seed = 11

    def d_of(n: int) -> np.ndarray:
        before, after = synthetic_pairs(n)
        return after - before

    hl = (
        "Hodges-Lehmann in paired_change materialises all n(n+1)/2 Walsh averages: "
        "O(n^2) memory (about 24 GB at 3 * 10^4 pairs), so larger sizes are not attempted"
    )
    from cohort_reanalysis.analyses import _ranks

    # Only the O(n^2) Walsh averages cap paired_change; without them it runs at any size.
    hl_cap = None if hasattr(_ranks, "_walsh_order_statistics") else 10_000
    scipy_bca = "scipy's BCa jackknife is O(n^2); the percentile interval is timed instead"
    out = [
        Series("bootstrap", f"{CR} (BCa)", lambda n: ours_bootstrap(d_of(n), b, seed)),
        Series("bootstrap", f"{FLOOR} (percentile)", lambda n: floor_bootstrap(d_of(n), b, seed)),
        Series(
            "bootstrap",
            "scipy.stats.bootstrap (percentile)",
            lambda n: scipy_bootstrap(d_of(n), b, seed, "percentile"),
            why_not=scipy_bca,
        ),
        Series("sign-flip test", CR, lambda n: ours_sign_flip(d_of(n), b, seed)),
        Series("sign-flip test", FLOOR, lambda n: floor_sign_flip(d_of(n), b, seed)),
        Series(
            "sign-flip test",
            "scipy.stats.permutation_test",
            lambda n: scipy_permutation(*synthetic_pairs(n), b, seed),
        ),
        Series(
            "paired tests",
            f"{CR} paired_change",
            lambda n: ours_tests(*synthetic_pairs(n)),
            max_n=hl_cap,
            why_not=hl,
        ),
        Series(
            "paired tests",
            f"{CR} wilcoxon_signed_rank",
            lambda n: _ours_wilcoxon(d_of(n)),
        ),
        Series("paired tests", FLOOR, _floor_tests_at),
        Series(
            "paired tests",
            "scipy.stats ttest_rel + wilcoxon",
            lambda n: scipy_tests(*synthetic_pairs(n)),
        ),
        Series("specification search (verify)", CR, _verify_at),
        Series("every figure", f"{CR} render_figures PNG", _figures_at, max_n=hl_cap, why_not=hl),
    ]
    return out


def _floor_tests_at(n: int) -> Fn:
    before, after = synthetic_pairs(n)
    return lambda: floor.paired_tests(before, after)


def _ours_wilcoxon(d: np.ndarray) -> Fn:
    from cohort_reanalysis.analyses._ranks import wilcoxon_signed_rank

    return lambda: wilcoxon_signed_rank(d)


def _verify_at(n: int) -> Fn:
    from cohort_reanalysis import dataset_info
    from cohort_reanalysis.verification._audit import verify

    cohort = synthetic_cohort(n)
    claims = dataset_info("matsuoka2025").claims_file
    return lambda: verify(cohort, claims)


def _figures_at(n: int) -> Fn:
    from cohort_reanalysis.presentation.figures import render_figures

    cohort = synthetic_cohort(n)
    return lambda: render_figures(cohort, formats=["png"])


def stage_scaling(res: Results, args: argparse.Namespace) -> dict[str, Any]:
    sizes = [int(s) for s in args.sizes]
    series = scaling_series(args.scale_resamples)
    for n in sizes:
        by_op: dict[str, list[Series]] = {}
        for s in series:
            if s.max_n is not None and n > s.max_n:
                s.points[n] = {"skipped": s.why_not}
                continue
            projected = _projected(s, n)
            if projected is not None and projected > args.point_cap:
                s.points[n] = {"skipped": f"projected {projected:.0f} s > {args.point_cap:g} s"}
                continue
            if projected is not None and res.elapsed() + projected > args.budget:
                s.points[n] = {"skipped": "over the run's time budget"}
                continue
            by_op.setdefault(s.operation, []).append(s)
        for op, group in by_op.items():
            fns: dict[str, Fn] = {}
            for s in group:
                try:
                    fns[s.tool] = s.make(n)
                except Exception as exc:
                    s.points[n] = {"error": _error(exc)}
            big = n >= 100_000
            m = measure_tools(
                fns,
                warmup=not big,
                min_runs=1 if big else 3,
                max_runs=1 if n >= 1_000_000 else (3 if big else 5),
                budget_s=args.op_budget,
            )
            for s in group:
                if s.tool in m:
                    s.points[n] = m[s.tool].summary()
            _log(
                f"[{res.elapsed():6.1f}s] scaling n={n:,} {op}: "
                + ", ".join(
                    f"{t} {_fmt(m[t].summary()['median_s']) if m[t].samples else m[t].error}"
                    for t in m
                )
            )
    table = []
    for s in series:
        row: dict[str, Any] = {"operation": s.operation, "tool": s.tool, "points": {}}
        for n in sizes:
            p = s.points.get(n, {"skipped": "not run"})
            row["points"][str(n)] = p
        row["slope"] = _slope(s, sizes)
        table.append(row)
    return {"sizes": sizes, "resamples": args.scale_resamples, "series": table}


def _projected(s: Series, n: int) -> float | None:
    done = [(k, p["median_s"]) for k, p in sorted(s.points.items()) if p.get("median_s")]
    if not done:
        return None
    k1, t1 = done[-1]
    growth = n / k1
    if len(done) >= 2:
        k0, t0 = done[-2]
        exponent = max(1.0, math.log(t1 / t0) / math.log(k1 / k0)) if t0 > 0 else 1.0
    else:
        exponent = 1.0
    return float(t1 * growth**exponent)


def _slope(s: Series, sizes: Sequence[int]) -> float | None:
    """Log-log slope over the two largest measured sizes (fixed costs fade at large n)."""
    pts = [(n, s.points[n]["median_s"]) for n in sizes if s.points.get(n, {}).get("median_s")]
    if len(pts) < 2:
        return None
    (n0, t0), (n1, t1) = pts[-2], pts[-1]
    return math.log(t1 / t0) / math.log(n1 / n0)


def plot_scaling(scaling: Mapping[str, Any], path: Path) -> None:
    from matplotlib.figure import Figure

    ops: list[str] = []
    for row in scaling["series"]:
        if row["operation"] not in ops:
            ops.append(row["operation"])
    cols = 3
    rows = math.ceil(len(ops) / cols)
    fig = Figure(figsize=(5.6 * cols, 4.0 * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    sizes = scaling["sizes"]
    for ax, op in zip(axes, ops, strict=False):
        reference: tuple[float, float, float] | None = None
        for row in scaling["series"]:
            if row["operation"] != op:
                continue
            pts = [(n, row["points"][str(n)]) for n in sizes]
            pts = [(n, p) for n, p in pts if p.get("median_s")]
            if not pts:
                continue
            x = np.array([n for n, _ in pts], dtype=float)
            y = np.array([p["median_s"] for _, p in pts])
            lo = y - np.array([p["min_s"] for _, p in pts])
            hi = np.array([p["max_s"] for _, p in pts]) - y
            label = row["tool"] + (f" (slope {row['slope']:.2f})" if row["slope"] else "")
            if len(pts) < len(sizes):
                label += f"; not run above {int(x[-1]):,}"
            ax.errorbar(x, y, yerr=[lo, hi], marker="o", ms=4, capsize=2, label=label)
            if reference is None:
                reference = (x[0], x[-1], y[-1])
        if reference is not None:
            # Time proportional to n, through the first series' largest point: a steeper line
            # grows faster than linearly.
            xs = np.array([reference[0], reference[1]], dtype=float)
            ax.plot(
                xs,
                reference[2] * xs / reference[1],
                ls=":",
                color="0.5",
                lw=1,
                label="proportional to n",
            )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(sizes[0] / 2, sizes[-1] * 2)
        ax.set_title(op, fontsize=10)
        ax.set_xlabel("patients (pairs)")
        ax.set_ylabel("seconds (median, min-max)")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=6.5, loc="upper left")
    for ax in axes[len(ops) :]:
        ax.set_visible(False)
    fig.suptitle(
        f"Scaling from {sizes[0]:,} to {sizes[-1]:,} patients "
        f"({scaling['resamples']:,} resamples for bootstrap and sign flip)",
        fontsize=11,
    )
    fig.savefig(path, dpi=120)


# ----------------------------------------------------------------------------- targets


def targets(res: Results, scaling: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def ratio(a: float | None, b: float | None) -> float | None:
        return None if a is None or b is None or b == 0 else a / b

    def add(name: str, value: float | None, limit: float, kind: str, detail: str) -> None:
        checks = {"<=": value <= limit, "<": value < limit, ">=": value >= limit} if value else {}
        met = checks.get(kind)
        out.append(
            {
                "target": name,
                "value": value,
                "limit": limit,
                "kind": kind,
                "met": met,
                "detail": detail,
            }
        )

    add(
        "import cohort_reanalysis / import pandas",
        ratio(res.median("import", CR), res.median("import", "pandas")),
        1.25,
        "<=",
        "medians of whole-process imports",
    )
    add(
        "import cohort_reanalysis + load_dataset / import pandas",
        ratio(res.median("import", f"{CR} + load_dataset"), res.median("import", "pandas")),
        1.25,
        "<=",
        "the first table costs the package import, pandas and the validation of 58 rows",
    )
    add(
        "main job with every figure / bare import pingouin",
        ratio(res.median("main_job", CR), res.median("main_job", "pingouin (bare import)")),
        1.5,
        "<=",
        "verify --format json --figures DIR vs python -c 'import pingouin'",
    )
    job = res.get("main_job")
    if job is not None and "NO figure" in job["tools"][0]["note"]:
        out[-1]["met"] = False
        out[-1]["detail"] += "; the command line wrote no figures"
    add(
        "bootstrap: cohort_reanalysis / numpy floor",
        ratio(
            res.median("bootstrap_58", f"{CR} (BCa)"),
            res.median("bootstrap_58", f"{FLOOR} (percentile)"),
        ),
        1.3,
        "<=",
        "58 pairs, 10,000 resamples",
    )
    add(
        "bootstrap: scipy.stats.bootstrap (BCa) / cohort_reanalysis",
        ratio(
            res.median("bootstrap_58", "scipy.stats.bootstrap (BCa)"),
            res.median("bootstrap_58", f"{CR} (BCa)"),
        ),
        1.5,
        ">=",
        "speed-up over scipy, same interval method",
    )
    add(
        "permutation: cohort_reanalysis / numpy floor",
        ratio(res.median("permutation_58", CR), res.median("permutation_58", FLOOR)),
        1.3,
        "<=",
        "58 pairs, 10,000 resamples",
    )
    add(
        "permutation: scipy.stats.permutation_test / cohort_reanalysis",
        ratio(
            res.median("permutation_58", "scipy.stats.permutation_test"),
            res.median("permutation_58", CR),
        ),
        5.0,
        ">=",
        "speed-up over scipy",
    )
    big = res.get("paired_1e6")
    if big is not None:
        ours = next((t for t in big["tools"] if t["tool"].startswith(CR + " (paired_change")), None)
        flo = res.median("paired_1e6", FLOOR)
        add(
            "paired analysis of 10^6 pairs: cohort_reanalysis / numpy floor",
            None if ours is None else ratio(ours["median_s"], flo),
            2.0,
            "<=",
            "paired_change + bootstrap + permutation"
            + ("" if ours is None or ours["error"] is None else f"; FAILED: {ours['error']}"),
        )
        if ours is not None and ours["error"] is not None:
            out[-1]["met"] = False
        add(
            "resampling of 10^6 pairs: cohort_reanalysis / numpy floor",
            ratio(res.median("paired_1e6", f"{CR} (resampling only)"), flo),
            2.0,
            "<=",
            "bootstrap_mean_ci + sign_flip_test, the part that runs at this size",
        )
    return out


def _from_scaling(
    scaling: Mapping[str, Any] | None, n: int, parts: Sequence[tuple[str, str]]
) -> Measured | None:
    """A tool's time at ``n`` as the sum of its parts' scaling medians, if all were run."""
    if scaling is None:
        return None
    total = 0.0
    for op, tool in parts:
        row = next(
            (r for r in scaling["series"] if r["operation"] == op and r["tool"] == tool), None
        )
        point = None if row is None else row["points"].get(str(n), {})
        if not point or not point.get("median_s"):
            return None
        total += point["median_s"]
    return Measured(samples=[total], note="sum of its parts' runs in the scaling study")


def stage_large(res: Results, args: argparse.Namespace, scaling: Mapping[str, Any] | None) -> None:
    """The paired analysis on 10^6 pairs: the library's whole analysis, and its parts.

    The parts were timed in the scaling study when it ran at this size with as many
    resamples; they are summed rather than run again (about two minutes saved).
    """
    n, b, seed = args.large_n, args.large_resamples, 5
    before, after = synthetic_pairs(n)
    d = after - before
    from cohort_reanalysis.analyses._ranks import wilcoxon_signed_rank
    from cohort_reanalysis.analyses._resampling import bootstrap_mean_ci, sign_flip_test

    def resampling_only() -> object:
        w = wilcoxon_signed_rank(d)
        return (
            w,
            bootstrap_mean_ci(d, n_resamples=b, seed=seed),
            sign_flip_test(d, n_resamples=b, seed=seed + 1),
        )

    whole = _paired_change_capped(n, b, seed)
    same = scaling is not None and scaling["resamples"] == b
    ours_parts = _from_scaling(
        scaling if same else None,
        n,
        [
            ("bootstrap", f"{CR} (BCa)"),
            ("sign-flip test", CR),
            ("paired tests", f"{CR} wilcoxon_signed_rank"),
        ],
    )
    floor_parts = _from_scaling(
        scaling if same else None,
        n,
        [
            ("bootstrap", f"{FLOOR} (percentile)"),
            ("sign-flip test", FLOOR),
            ("paired tests", FLOOR),
        ],
    )
    if ours_parts is not None and floor_parts is not None:
        m = {f"{CR} (resampling only)": ours_parts, FLOOR: floor_parts}
    else:
        m = measure_tools(
            {
                f"{CR} (resampling only)": resampling_only,
                FLOOR: floor_paired(before, after, b, seed),
            },
            warmup=False,
            min_runs=1,
            max_runs=args.large_runs,
            budget_s=1.0,
        )
    res.add(
        "paired_1e6",
        f"paired analysis, {n:,} pairs: {b:,} bootstrap + {b:,} permutation resamples",
        {f"{CR} (paired_change + bootstrap + permutation)": whole, **m},
        notes={
            f"{CR} (resampling only)": "wilcoxon_signed_rank + bootstrap_mean_ci (BCa) + "
            "sign_flip_test",
            FLOOR: "t, CI, Wilcoxon, percentile bootstrap, sign flip",
        },
        detail=(
            f"{b:,} resamples each (10,000 would take about {10_000 / b:g}x as long: the cost "
            "is linear in the resamples); scipy and pingouin are not run at this size "
            "(scipy's BCa jackknife is O(n^2); see the scaling table for scipy's percentile)"
        ),
    )


_PAIRED_CHILD = """
import json, resource, sys, time
limit = {limit}
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
sys.path.insert(0, {here!r})
import run
before, after = run.synthetic_pairs({n})
t0 = time.perf_counter()
try:
    run.ours_paired(before, after, {b}, {seed})()
    print(json.dumps({{"seconds": time.perf_counter() - t0}}))
except MemoryError as exc:
    print(json.dumps({{"error": run._error(exc), "seconds": time.perf_counter() - t0}}))
"""


def _paired_change_capped(n: int, b: int, seed: int, limit_gib: int = 8) -> Measured:
    """The library's whole paired analysis of ``n`` pairs, in a child process whose address
    space is capped: it may try to allocate O(n^2) memory, which must not hurt the machine."""
    code = _PAIRED_CHILD.format(limit=limit_gib * 2**30, here=str(HERE), n=n, b=b, seed=seed)
    out = Measured()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=600
        )
        line = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
        if proc.returncode != 0 or not line:
            tail = " | ".join(proc.stderr.strip().splitlines()[-2:])
            out.error = f"exit {proc.returncode}: {tail}"
            return out
        got = json.loads(line[-1])
    except (OSError, subprocess.TimeoutExpired, ValueError) as exc:
        out.error = _error(exc)
        return out
    if "error" in got:
        out.error = (
            f"{got['error']} (after {got['seconds']:.2f} s; address space capped at "
            f"{limit_gib} GiB)"
        )
    else:
        out.samples.append(got["seconds"])
    return out


# ----------------------------------------------------------------------------- report


def markdown(results: Mapping[str, Any]) -> str:
    mach = results["machine"]
    lines = [
        f"Machine: {mach.get('model_name', '?')}, {mach.get('cpus', mach.get('cpu_count'))} "
        f"CPUs, {mach.get('ram_gib')} GiB RAM; {mach['platform']}; Python {mach['python']}; "
        + ", ".join(f"{k} {v}" for k, v in mach["versions"].items() if v)
        + f"; dabest {results['dabest'].get('version', 'not run')}.",
        f"Date: {results['date']}. Load average (1, 5, 15 min) at start "
        f"{results['load_start']}, at end {results['load_end']}. Total run time "
        f"{results['total_s']:.0f} s.",
        "",
        "| Operation | Tool | Median | Min–max | Runs | × fastest |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for op in results["operations"]:
        first = True
        for t in op["tools"]:
            name = op["operation"] if first else ""
            first = False
            if t["median_s"] is None:
                lines.append(f"| {name} | {t['tool']} | — | — | 0 | {_short(t['error'])} |")
                continue
            lines.append(
                f"| {name} | {t['tool']} | {_fmt(t['median_s'])} | "
                f"{_fmt(t['min_s'])}–{_fmt(t['max_s'])} | {t['runs']} | "
                f"{t['ratio_to_fastest']:.2f} |"
            )
    lines += ["", "| Target | Value | Limit | Met |", "|---|---:|---:|---|"]
    for t in results["targets"]:
        value = "—" if t["value"] is None else f"{t['value']:.2f}"
        met = {True: "yes", False: "**no**", None: "n/a"}[t["met"]]
        lines.append(f"| {t['target']} | {value} | {t['kind']} {t['limit']:g} | {met} |")
    drafted = results.get("drafting")
    if drafted:
        lines += [
            "",
            "Drafting on the bundled sources of matsuoka2025 (a hit: the same reported string "
            "from the same sentence as a hand-written claim):",
            "",
            "| Source | Recall | Quantity recall | Precision | Drafted | Hand-written |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {r['source']} | {r['recall']:.1%} | {r['quantity_recall']:.1%} | "
            f"{r['precision']:.1%} | {r['drafted']} | {r['hand_written']} |"
            for r in drafted
        ]
    profile = results.get("figures", {}).get("matplotlib_profile")
    if profile:
        lines += [
            "",
            "Where drawing every figure goes (cProfile of render_figures, PNG + SVG, one "
            "process; the profiler slows Python code more than C code):",
            "",
            "| Part | Seconds |",
            "|---|---:|",
        ]
        lines += [
            f"| {label} | {'absent' if sec is None else f'{sec:.3f}'} |"
            for label, sec in profile.items()
        ]
    sc = results.get("scaling")
    if sc:
        sizes = sc["sizes"]
        lines += [
            "",
            f"Scaling ({sc['resamples']:,} resamples for bootstrap and sign flip; median "
            "seconds; slope = log-log slope over the two largest sizes):",
            "",
            "| Operation | Tool | " + " | ".join(f"n = {n:,}" for n in sizes) + " | Slope |",
            "|---|---|" + "---:|" * (len(sizes) + 1),
        ]
        for row in sc["series"]:
            cells = []
            for n in sizes:
                p = row["points"][str(n)]
                if p.get("median_s"):
                    cells.append(_fmt(p["median_s"]))
                elif p.get("error"):
                    cells.append("error")
                else:
                    cells.append("skipped")
            slope = "—" if row["slope"] is None else f"{row['slope']:.2f}"
            lines.append(
                f"| {row['operation']} | {row['tool']} | " + " | ".join(cells) + f" | {slope} |"
            )
    return "\n".join(lines)


def _short(text: str | None) -> str:
    if not text:
        return "error"
    return text if len(text) < 60 else text[:57] + "..."


# ----------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=HERE / "results.json")
    p.add_argument("--figure", type=Path, default=HERE / "scaling.png")
    p.add_argument("--markdown", type=Path, default=None, help="also write the tables here")
    p.add_argument("--quick", action="store_true", help="smoke run: small sizes, few repeats")
    p.add_argument("--resamples", type=int, default=10_000, help="resamples at 58 pairs")
    p.add_argument("--large-n", type=int, default=1_000_000)
    p.add_argument(
        "--large-resamples",
        type=int,
        default=1_000,
        help="resamples at --large-n pairs (10,000 takes about 20 minutes on 2 cores)",
    )
    p.add_argument("--large-runs", type=int, default=1)
    p.add_argument("--scale-resamples", type=int, default=1_000)
    p.add_argument("--sizes", nargs="+", default=["100", "1000", "10000", "100000", "1000000"])
    p.add_argument("--rounds", type=int, default=5, help="rounds of whole-process timings")
    p.add_argument("--op-budget", type=float, default=6.0, help="seconds per tool per op")
    p.add_argument("--point-cap", type=float, default=75.0, help="max seconds per scaling run")
    p.add_argument("--budget", type=float, default=540.0, help="target total seconds")
    p.add_argument("--dabest-python", default="/tmp/dabest/bin/python")
    p.add_argument("--no-dabest", action="store_true")
    p.add_argument("--no-executor", action="store_true", help="skip the ProcessPool timings")
    p.add_argument(
        "--skip",
        nargs="*",
        default=[],
        choices=[
            "processes",
            "small",
            "verify",
            "simulate",
            "figures",
            "large",
            "scaling",
            "drafting",
            "multiverse",
            "summary",
            "reading",
            "corpus",
        ],
    )
    p.add_argument("--read-runs", type=int, default=3, help="fresh processes per reading tool")
    p.add_argument("--corpus-papers", type=int, default=1_000, help="papers of the corpus stage")
    args = p.parse_args(argv)
    if args.quick:
        args.resamples = 2_000
        args.large_n = 100_000
        args.large_resamples = 200
        args.scale_resamples = 200
        args.sizes = ["100", "1000", "10000"]
        args.rounds = 2
        args.op_budget = 1.0
        args.no_dabest = True
        args.read_runs = 1
        args.corpus_papers = 200
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    res = Results()
    info = machine_info()
    load_start = _load()
    _log(f"machine: {info.get('model_name')}, {info.get('cpus')} CPUs, load {load_start}")
    skip = set(args.skip)
    pool: ProcessPoolExecutor | None = None
    figures_info: dict[str, Any] = {}
    scaling: dict[str, Any] | None = None
    extra_targets: list[dict[str, Any]] = []  # targets measured by their own stage
    drafting_quality: list[dict[str, Any]] = []
    corpus_info: dict[str, Any] = {}
    workdir = Path(tempfile.mkdtemp(prefix="cr-bench-"))
    try:
        if "processes" not in skip:
            stage_processes(res, args, workdir)
        _, pairs = matsuoka_pairs()
        dabest_info, dabest_analysis, dabest_plot = stage_dabest(
            args, np.asarray(pairs.before, float), np.asarray(pairs.after, float)
        )
        if "small" not in skip:
            stage_small(res, args, dabest_analysis)
        if not args.no_executor and not {"verify", "simulate"} <= skip:
            import multiprocessing

            pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
            list(pool.map(abs, [1, 2]))  # start the workers outside the timings
        if "verify" not in skip:
            stage_verify(res, args, pool)
            extra_targets.append(stage_verify_once_imported(res, args))
        if "simulate" not in skip:
            stage_simulate(res, args, pool)
        if pool is not None:
            pool.shutdown()
            pool = None
        if "figures" not in skip:
            figures_info = stage_figures(res, args, dabest_plot)
        if "scaling" not in skip:
            scaling = stage_scaling(res, args)
            plot_scaling(scaling, args.figure)
        if "large" not in skip:
            stage_large(res, args, scaling)
        if "multiverse" not in skip:
            import multiverse as multiverse_bench  # bench/multiverse.py

            extra_targets += multiverse_bench.stage(res, args, measure_tools)
        if "drafting" not in skip:
            drafting_targets, drafting_quality = stage_drafting(res, args)
            extra_targets += drafting_targets
        if "summary" not in skip:
            extra_targets += stage_summary(res, args)
        if "reading" not in skip:
            extra_targets += stage_reading(res, args, workdir)
        if "corpus" not in skip:
            corpus_targets, corpus_info = stage_corpus(res, args, workdir)
            extra_targets += corpus_targets
    except Exception:
        traceback.print_exc()
        _log("benchmark stopped early; writing what was measured")
    finally:
        if pool is not None:
            pool.shutdown()
        shutil.rmtree(workdir, ignore_errors=True)
    results = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": info,
        "load_start": load_start,
        "load_end": _load(),
        "total_s": res.elapsed(),
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "dabest": dabest_info if "dabest_info" in locals() else {"available": False},
        "figures": figures_info,
        "operations": res.ops,
        "targets": targets(res, scaling) + extra_targets,
        "scaling": scaling,
        "drafting": drafting_quality,
        "multiverse_scaling": getattr(res, "multiverse_scaling", None),
        "corpus": corpus_info,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, default=str) + "\n")
    text = markdown(results)
    print(text)
    if args.markdown is not None:
        args.markdown.write_text(text + "\n")
    _log(f"wrote {args.out} in {res.elapsed():.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
