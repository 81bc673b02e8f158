"""Benchmark rows of the multiverse (issue 21 item 4), run by ``bench/run.py``.

* ``multiverse_vs_loop``: ``cr.multiverse`` of the bundled paper against a plain loop over
  the same specifications written as a user would (select the rows with pandas, then
  numpy's quantile / mean / std, ``cr.paired_change`` for a mean change and the paired
  tests, ``scipy.stats`` for the two-group tests and the correlations), on every claim the
  multiverse evaluates; the values are asserted equal.
* ``multiverse_scaling``: the cost against the number of specifications (a synthetic claim
  whose space grows with its boundaries: 2^b sides x 9 quantile types x 4 roundings x 4 row
  sets, 10^3 to 10^6) and against the number of rows (``synthetic_cohort``, 10^2 to 10^6),
  with log-log slopes over every size and over the sizes where the work dominates.
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

OPS = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne"}


def _claims(cohort: Any) -> Any:
    """Every claim of the bundled paper the multiverse evaluates (the checkable ones)."""
    from cohort_reanalysis.verification._dataset_claims import claims_for
    from cohort_reanalysis.verification._search import checkable_claims
    from cohort_reanalysis.verification.claims import ClaimSet

    full = claims_for(cohort, None)
    return ClaimSet(dataset=full.dataset, claims=tuple(checkable_claims(full.claims)))


def _table(cohort: Any, claims: Any) -> Any:
    """The variables the claims name, as one pandas frame (roles by name; change =
    after - before where the table has no change column)."""
    import pandas as pd

    names = {"before", "after"}
    for c in claims.claims:
        q = c.quantity
        conds = list(q.subset) + [cond for side in q.groups or () for cond in side]
        names |= {q.variable, q.x, q.y} | {cond.variable for cond in conds}
    names.discard(None)
    data = {}
    for name in sorted(names):
        if name == "change" and cohort.column("change") is None:
            data[name] = cohort.values("after") - cohort.values("before")
        else:
            data[name] = cohort.values(name)
    return pd.DataFrame(data)


def _keep(frame: Any, conds: Any, spec: Any, base: Any) -> Any:
    """``base`` and each condition, on the side of its boundary the specification takes."""
    from cohort_reanalysis.verification._space import boundary_name

    keep = base
    for cond in conds:
        op = spec.get(boundary_name(cond), cond.op)
        keep = keep & getattr(frame[cond.variable], OPS[op])(cond.value).to_numpy()
    return np.asarray(keep, dtype=bool)


def _reduction(q: Any, spec: Any) -> bool:
    """Whether change is read as a reduction (a choice, else the claim's direction)."""
    return bool(spec.get("direction", q.direction) == "reduction")


def _signed(rows: Any, name: str, q: Any, spec: Any) -> Any:
    """A column's values; change in the claim's direction (a reduction is -change)."""
    x = rows[name].to_numpy(dtype=float)
    return -x if name == "change" and _reduction(q, spec) else x


def user_loop(cohort: Any, claims: Any) -> list[Any]:
    """Each specification's value, one at a time, as a user writes a multiverse without the
    library's: pandas selects the rows, then numpy (descriptives), the library's public
    ``cr.paired_change`` (a mean change, the paired t and signed-rank p-values) and
    ``scipy.stats`` (the tests and correlations the library has no public function for:
    two-sample t, rank-sum, Kruskal-Wallis, Pearson, Spearman, Kendall)."""
    from scipy import stats

    import cohort_reanalysis as cr
    from cohort_reanalysis.verification._cohort_arrays import CohortArrays
    from cohort_reanalysis.verification._search import claim_space

    row_sets = CohortArrays(cohort).row_sets
    frame = _table(cohort, claims)
    all_rows = np.asarray(cohort.rows)
    methods = dict(zip(range(1, 10), _NUMPY_METHODS, strict=True))
    out: list[Any] = []
    for claim in claims.claims:
        q = claim.quantity
        space = claim_space(claim, row_sets, "up_or_down")
        for spec in space.assignments:
            excluded = next(r.excluded for r in row_sets if r.name == spec["rows"])
            base = ~np.isin(all_rows, np.asarray(excluded, dtype=np.int64))
            rows = frame[_keep(frame, q.subset, spec, base)]
            try:
                out.append(_one(cr, stats, q, spec, rows, frame, base, methods))
            except ValueError:
                out.append(math.nan)  # no value under this specification
    return out


def _one(
    cr: Any, stats: Any, q: Any, spec: Any, rows: Any, frame: Any, base: Any, methods: Any
) -> Any:
    stat = q.statistic
    alt = spec.get("alternative", "two-sided")
    if stat == "n":
        return float(len(rows))
    if stat == "count":
        return float((rows[q.variable] == q.level).sum())
    if stat == "difference_between" or (stat == "pvalue" and q.groups is not None):
        a = _signed(frame[_keep(frame, q.groups[0], spec, base)], q.variable, q, spec)
        b = _signed(frame[_keep(frame, q.groups[1], spec, base)], q.variable, q, spec)
        a, b = a[~np.isnan(a)], b[~np.isnan(b)]
        if stat == "difference_between":
            return float(a.mean() - b.mean()) if a.size and b.size else math.nan
        return _unpaired_p(stats, spec, a, b, alt)
    if stat == "correlation" or (stat == "pvalue" and q.x is not None):
        both = rows[[q.x, q.y]].dropna()
        x, y = _signed(both, q.x, q, spec), _signed(both, q.y, q, spec)
        method = spec.get("correlation", "pearson")
        fn = {"pearson": stats.pearsonr, "spearman": stats.spearmanr, "kendall": stats.kendalltau}
        kw = {"method": "asymptotic"} if method == "kendall" else {}
        if len(x) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
            return math.nan
        res = fn[method](x, y, alternative=alt, **kw)
        return float(res.statistic if stat == "correlation" else res.pvalue)
    if stat in ("mean_change", "pvalue"):
        both = rows[["before", "after"]].dropna()
        before, after = both["before"].to_numpy(), both["after"].to_numpy()
        if stat == "pvalue" and spec.get("pairing") == "unpaired":
            return _unpaired_p(stats, spec, after, before, alt)
        pairs = cr.PairedData(before, after, both.index.to_numpy(), ())
        res = cr.paired_change(pairs, alternative=alt)
        if stat == "pvalue":
            return float(res.pvalue if spec.get("test", "t") == "t" else res.wilcoxon.pvalue)
        return -res.mean_change if _reduction(q, spec) else res.mean_change
    x = _signed(rows, q.variable, q, spec)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return math.nan
    if stat in ("median", "quantile", "quartiles"):
        method = methods[spec["quantile_type"]]
        probs = {"median": [0.5], "quartiles": [0.25, 0.75]}.get(stat, [q.prob])
        qs = np.quantile(x, probs, method=method).tolist()
        return qs[0] if len(qs) == 1 else tuple(qs)
    if stat == "mean":
        return float(np.mean(x))
    if stat == "sd":
        return float(np.std(x, ddof=spec["sd_ddof"]))
    if stat == "min":
        return float(np.min(x))
    if stat == "max":
        return float(np.max(x))
    if stat == "range":
        return (float(np.min(x)), float(np.max(x)))
    raise ValueError(f"the loop has no line for {stat!r}")


def _unpaired_p(stats: Any, spec: Any, a: Any, b: Any, alt: str) -> float:
    """A two-group p-value by scipy (claims@1's unpaired tests, R's conventions)."""
    test = spec.get("test", "t")
    if test == "t":
        equal = spec.get("variance", "student") != "welch"
        return float(stats.ttest_ind(a, b, equal_var=equal, alternative=alt).pvalue)
    if test == "rank":
        res = stats.mannwhitneyu(a, b, use_continuity=True, alternative=alt, method="asymptotic")
        return float(res.pvalue)
    if alt != "two-sided":
        return math.nan  # Kruskal-Wallis is two-sided only
    return float(stats.kruskal(a, b).pvalue)


_NUMPY_METHODS = (
    "inverted_cdf",
    "averaged_inverted_cdf",
    "closest_observation",
    "interpolated_inverted_cdf",
    "hazen",
    "weibull",
    "linear",
    "median_unbiased",
    "normal_unbiased",
)


def same_values(frame: Any, looped: Sequence[Any]) -> tuple[bool, float]:
    """Whether the frame's values equal the loop's (numpy's quantile arithmetic differs
    from R's in the last bits: compared to 1e-12 relative), and the largest difference."""
    worst = 0.0
    for a, b in zip(frame["value"].tolist(), looped, strict=True):
        for x, y in zip(np.atleast_1d(a), np.atleast_1d(b), strict=True):
            if not (math.isnan(x) and math.isnan(y)):
                worst = max(worst, abs(x - y) / max(abs(y), 1e-300))
    return worst <= 1e-12, worst


def _median_claim(n_boundaries: int) -> Any:
    """A median claim with ``n_boundaries`` subset conditions on distinct thresholds."""
    from cohort_reanalysis.verification.claims import Claim, ClaimSet, Condition, Quantity

    thresholds = np.linspace(1.0, 6.0, n_boundaries) if n_boundaries else []
    subset = tuple(Condition("followup", ">=", round(float(t), 3)) for t in thresholds)
    q = Quantity("median", variable="followup", subset=subset)
    claim = Claim("synthetic.median", "", "", (), "35", "=", None, 1.0, q)
    return ClaimSet(dataset="synthetic", claims=(claim,))


def time_best(fn: Callable[[], object], runs: int, *, min_sample_s: float = 0.0) -> float:
    """Best of ``runs`` samples after one warm-up call, with the garbage collector off while
    timing (as ``timeit``: a long benchmark process holds many objects, and a collection
    that happens to fall in one tool's call is not that tool's work). A sample lasts at
    least ``min_sample_s`` (the mean of as many calls as that takes)."""
    fn()
    t0 = time.perf_counter()
    fn()
    one = time.perf_counter() - t0
    loops = max(1, math.ceil(min_sample_s / max(one, 1e-7)))
    best = one if loops == 1 else math.inf
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            t0 = time.perf_counter()
            for _ in range(loops):
                fn()
            best = min(best, (time.perf_counter() - t0) / loops)
        finally:
            gc.enable()
    return best


def best_interleaved(
    tools: dict[str, Callable[[], object]], rounds: int, *, min_sample_s: float = 0.25
) -> dict[str, float]:
    """Best sample of each tool over ``rounds`` rounds that take the tools in turn (so that a
    burst of load from another process falls on both), each after a warm-up call, with the
    collector off while timing; a sample is the mean of enough calls to last
    ``min_sample_s``."""
    loops = {}
    for name, fn in tools.items():
        fn()
        t0 = time.perf_counter()
        fn()
        loops[name] = max(1, math.ceil(min_sample_s / max(time.perf_counter() - t0, 1e-7)))
    best = dict.fromkeys(tools, math.inf)
    for _ in range(rounds):
        for name, fn in tools.items():
            gc.collect()
            gc.disable()
            try:
                t0 = time.perf_counter()
                for _ in range(loops[name]):
                    fn()
                best[name] = min(best[name], (time.perf_counter() - t0) / loops[name])
            finally:
                gc.enable()
    return best


def slope(xs: Sequence[float], ts: Sequence[float]) -> float | None:
    """Least-squares log-log slope over the points with a time."""
    pts = [(math.log(x), math.log(t)) for x, t in zip(xs, ts, strict=True) if t and t > 0]
    if len(pts) < 2:
        return None
    lx, lt = np.array(pts).T
    return float(np.polyfit(lx, lt, 1)[0])


def _slopes(points: Sequence[dict[str, Any]], x: str, upper_from: float) -> dict[str, Any]:
    """The slope over every point, and over the points from ``upper_from`` up (where the
    work grows with ``x``, not the fixed costs of a call)."""
    xs, ts = [p[x] for p in points], [p["seconds"] for p in points]
    upper = [(a, t) for a, t in zip(xs, ts, strict=True) if a >= upper_from]
    return {
        "full": slope(xs, ts),
        "upper": slope([a for a, _ in upper], [t for _, t in upper]) if len(upper) > 1 else None,
        "upper_from": upper_from,
    }


def _maxrss_mb() -> float | None:
    try:
        import resource
    except ImportError:  # not on Windows
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def scaling(
    boundaries: Sequence[int],
    sizes: Sequence[int],
    *,
    runs: int = 3,
    row_boundaries: int = 5,
    upper_specs: float = 1e4,
    upper_rows: float = 1e4,
) -> dict[str, Any]:
    """Seconds of ``cr.multiverse`` (best of ``runs``) against specifications (a median
    claim of ``b`` boundaries on matsuoka2025: 2^b sides x 9 quantile types x 4 roundings
    x 4 row sets) and against rows (``synthetic_cohort``, a claim of ``row_boundaries``
    boundaries), with log-log slopes over every size and over the sizes from ``upper_*``."""
    import cohort_reanalysis as cr
    from cohort_reanalysis import load_dataset

    sys_path_bench()
    from run import synthetic_cohort

    base = load_dataset("matsuoka2025")
    by_specs = []
    for b in boundaries:
        claims = _median_claim(b)
        n_specs = len(cr.multiverse(base, claims))
        seconds = time_best(lambda c=claims: cr.multiverse(base, c), runs, min_sample_s=0.05)
        by_specs.append(
            {
                "boundaries": b,
                "specifications": n_specs,
                "seconds": seconds,
                "maxrss_mb": _maxrss_mb(),
            }
        )
    claims = _median_claim(row_boundaries)
    by_rows = []
    for n in sizes:
        cohort = synthetic_cohort(n)
        n_specs = len(cr.multiverse(cohort, claims))
        seconds = time_best(lambda c=cohort: cr.multiverse(c, claims), runs, min_sample_s=0.05)
        by_rows.append(
            {"rows": n, "specifications": n_specs, "seconds": seconds, "maxrss_mb": _maxrss_mb()}
        )
        del cohort
    over_specs = _slopes(by_specs, "specifications", upper_specs)
    over_rows = _slopes(by_rows, "rows", upper_rows)
    return {
        "by_specifications": by_specs,
        "slope_specifications": over_specs["upper"] or over_specs["full"],
        "slopes_specifications": over_specs,
        "by_rows": by_rows,
        "slope_rows": over_rows["upper"] or over_rows["full"],
        "slopes_rows": over_rows,
    }


def sys_path_bench() -> None:
    import sys
    from pathlib import Path

    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)


def _points(points: Sequence[dict[str, Any]], x: str) -> str:
    return ", ".join(f"{p[x]:.3g}: {p['seconds'] * 1e3:.4g} ms" for p in points)


def stage(res: Any, args: Any, measure_tools: Callable[..., Any]) -> list[dict[str, Any]]:
    """The multiverse rows of ``bench/run.py``: timings, scaling, and the targets."""
    import cohort_reanalysis as cr

    cohort = cr.load_dataset("matsuoka2025")
    claims = _claims(cohort)
    frame = cr.multiverse(cohort, claims)
    ok, worst = same_values(frame, user_loop(cohort, claims))
    if not ok:
        raise AssertionError(f"the multiverse and the loop differ (relative {worst:g})")
    loop_name = "plain loop (pandas, numpy, cr.paired_change, scipy.stats)"
    measured = measure_tools(
        {
            "cohort_reanalysis multiverse": lambda: cr.multiverse(cohort, claims),
            loop_name: lambda: user_loop(cohort, claims),
        },
        budget_s=args.op_budget,
        max_runs=5,
    )
    # The ratio from best-of-N timings with a warm-up and the collector off (time_best):
    # the work of each, not a first call or a collection of the benchmark's own objects.
    runs = 3 if args.quick else 7
    best = best_interleaved(
        {
            "multiverse": lambda: cr.multiverse(cohort, claims),
            "loop": lambda: user_loop(cohort, claims),
        },
        runs,
    )
    ours, loop = best["multiverse"], best["loop"]
    res.add(
        "multiverse_vs_loop",
        f"multiverse of matsuoka2025 ({len(frame)} specifications of {len(claims.claims)} "
        "claims, every claim it evaluates) vs a per-specification loop",
        measured,
        detail=(
            f"same values (largest relative difference {worst:.1e}); best of {runs} "
            f"interleaved rounds, warm, collector off: {ours * 1e3:.1f} ms vs {loop:.2f} s"
        ),
    )
    boundaries = (3, 6, 9) if args.quick else (3, 6, 9, 12, 13)
    sizes = (100, 1000, 10000) if args.quick else (100, 1000, 10_000, 100_000, 1_000_000)
    sc = scaling(boundaries, sizes, runs=2 if args.quick else 3)
    sc["ratio"] = {"multiverse_s": ours, "loop_s": loop, "x": loop / ours}
    res.multiverse_scaling = sc
    sp, rw = sc["slopes_specifications"], sc["slopes_rows"]

    def words(s: dict[str, Any], what: str) -> str:
        full = "n/a" if s["full"] is None else f"{s['full']:.2f}"
        upper = "n/a" if s["upper"] is None else f"{s['upper']:.2f}"
        return f"slope {upper} from {s['upper_from']:.0e} {what} up, {full} over every size"

    return [
        {
            "target": "multiverse vs plain loop (x faster, best of N)",
            "value": loop / ours,
            "limit": 100.0,
            "kind": ">=",
            "met": loop / ours >= 100,
            "detail": f"issue 21: at least 100x, same values ({ours * 1e3:.1f} ms vs {loop:.2f} s)",
        },
        {
            "target": "multiverse log-log slope over specifications",
            "value": sc["slope_specifications"],
            "limit": 1.2,
            "kind": "<=",
            "met": None
            if sc["slope_specifications"] is None
            else sc["slope_specifications"] <= 1.2,
            "detail": words(sp, "specifications")
            + "; "
            + _points(sc["by_specifications"], "specifications"),
        },
        {
            "target": "multiverse log-log slope over rows",
            "value": sc["slope_rows"],
            "limit": 1.2,
            "kind": "<=",
            "met": None if sc["slope_rows"] is None else sc["slope_rows"] <= 1.2,
            "detail": words(rw, "rows") + "; " + _points(sc["by_rows"], "rows"),
        },
    ]
