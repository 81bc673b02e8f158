"""Benchmark rows of the multiverse (issue 21 item 4), run by ``bench/run.py``.

* ``multiverse_vs_loop``: ``cr.multiverse`` of the bundled paper against a plain loop over
  the same specifications written as a user would (select the rows with pandas, then
  numpy's quantile / mean / std, or ``cr.paired_change`` for a mean change), on the claims
  whose statistics such a loop computes in a few lines; the values are asserted equal.
* ``multiverse_scaling``: the cost against the number of specifications (a synthetic claim
  whose space grows with its boundaries: 2^b sides x 9 quantile types x 4 roundings) and
  against the number of rows (``synthetic_cohort``), with log-log slopes.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

OPS = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne"}
LOOPED = ("n", "mean", "sd", "min", "max", "range", "median", "quantile", "quartiles")
LOOPED_CHANGE = ("mean_change",)


def _claims(cohort: Any) -> Any:
    from cohort_reanalysis.verification._audit import _claims_for
    from cohort_reanalysis.verification.claims import ClaimSet

    full = _claims_for(cohort, None)
    keep = tuple(
        c
        for c in full.claims
        if c.quantity is not None and c.quantity.statistic in LOOPED + LOOPED_CHANGE
    )
    return ClaimSet(dataset=full.dataset, claims=keep)


def _table(cohort: Any, claims: Any) -> Any:
    """The variables the claims name, as one pandas frame (roles by name; change =
    after - before where the table has no change column)."""
    import pandas as pd

    names = {"before", "after"}
    for c in claims.claims:
        names |= {c.quantity.variable} | {cond.variable for cond in c.quantity.subset}
    names.discard(None)
    data = {}
    for name in sorted(names):
        if name == "change" and cohort.column("change") is None:
            data[name] = cohort.values("after") - cohort.values("before")
        else:
            data[name] = cohort.values(name)
    return pd.DataFrame(data)


def _rows(cohort: Any, frame: Any, q: Any, spec: Any, row_sets: Any) -> Any:
    """The rows a specification selects, with pandas."""
    from cohort_reanalysis.verification._space import boundary_name

    excluded = next(r.excluded for r in row_sets if r.name == spec["rows"])
    keep = ~np.isin(np.asarray(cohort.rows), np.asarray(excluded, dtype=np.int64))
    for cond in q.subset:
        op = spec.get(boundary_name(cond), cond.op)
        keep = keep & getattr(frame[cond.variable], OPS[op])(cond.value)
    return frame[np.asarray(keep, dtype=bool)]


def user_loop(cohort: Any, claims: Any) -> list[Any]:
    """Each specification's value, one at a time, through pandas, numpy and the library's
    public ``paired_change`` (as a user writes a multiverse without the library's)."""
    import cohort_reanalysis as cr
    from cohort_reanalysis.verification._cohort_arrays import CohortArrays
    from cohort_reanalysis.verification._search import claim_space

    row_sets = CohortArrays(cohort).row_sets
    frame = _table(cohort, claims)
    methods = {t: m for t, m in zip(range(1, 10), _NUMPY_METHODS, strict=True)}
    out: list[Any] = []
    for claim in claims.claims:
        q = claim.quantity
        space = claim_space(claim, row_sets, "up_or_down")
        for spec in space.assignments:
            rows = _rows(cohort, frame, q, spec, row_sets)
            if q.statistic == "n":
                out.append(float(len(rows)))
                continue
            if q.statistic == "mean_change":
                both = rows[["before", "after"]].dropna()
                pairs = cr.PairedData(
                    both["before"].to_numpy(), both["after"].to_numpy(), both.index.to_numpy(), ()
                )
                value = cr.paired_change(pairs).mean_change
                out.append(-value if spec.get("direction") == "reduction" else value)
                continue
            x = rows[q.variable].dropna().to_numpy(dtype=float)
            if q.statistic == "change" or q.variable == "change":
                x = x * (-1.0 if spec.get("direction") == "reduction" else 1.0)
            stat = q.statistic
            if stat in ("median", "quantile", "quartiles"):
                method = methods[spec["quantile_type"]]
                probs = {"median": [0.5], "quartiles": [0.25, 0.75]}.get(stat, [q.prob])
                qs = np.quantile(x, probs, method=method).tolist()
                out.append(qs[0] if len(qs) == 1 else tuple(qs))
            elif stat == "mean":
                out.append(float(np.mean(x)))
            elif stat == "sd":
                out.append(float(np.std(x, ddof=spec["sd_ddof"])))
            elif stat == "min":
                out.append(float(np.min(x)))
            elif stat == "max":
                out.append(float(np.max(x)))
            else:
                out.append((float(np.min(x)), float(np.max(x))))
    return out


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


def time_best(fn: Callable[[], object], runs: int) -> float:
    best = math.inf
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def slope(xs: Sequence[float], ts: Sequence[float]) -> float | None:
    """Least-squares log-log slope over the points with a time."""
    pts = [(math.log(x), math.log(t)) for x, t in zip(xs, ts, strict=True) if t and t > 0]
    if len(pts) < 2:
        return None
    lx, lt = np.array(pts).T
    return float(np.polyfit(lx, lt, 1)[0])


def scaling(boundaries: Sequence[int], sizes: Sequence[int], *, runs: int = 3) -> dict[str, Any]:
    """Seconds of ``cr.multiverse`` against specifications and against rows."""
    import cohort_reanalysis as cr
    from cohort_reanalysis import load_dataset

    sys_path_bench()
    from run import synthetic_cohort

    base = load_dataset("matsuoka2025")
    by_specs = []
    for b in boundaries:
        claims = _median_claim(b)
        n_specs = len(cr.multiverse(base, claims))
        by_specs.append(
            {
                "boundaries": b,
                "specifications": n_specs,
                "seconds": time_best(lambda c=claims: cr.multiverse(base, c), runs),
            }
        )
    claims = _median_claim(5)
    by_rows = []
    for n in sizes:
        cohort = synthetic_cohort(n)
        n_specs = len(cr.multiverse(cohort, claims))
        by_rows.append(
            {
                "rows": n,
                "specifications": n_specs,
                "seconds": time_best(lambda c=cohort: cr.multiverse(c, claims), runs),
            }
        )
    return {
        "by_specifications": by_specs,
        "slope_specifications": slope(
            [p["specifications"] for p in by_specs], [p["seconds"] for p in by_specs]
        ),
        "by_rows": by_rows,
        "slope_rows": slope([p["rows"] for p in by_rows], [p["seconds"] for p in by_rows]),
    }


def sys_path_bench() -> None:
    import sys
    from pathlib import Path

    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)


def stage(res: Any, args: Any, measure_tools: Callable[..., Any]) -> list[dict[str, Any]]:
    """The multiverse rows of ``bench/run.py``: timings, scaling, and the targets."""
    import cohort_reanalysis as cr

    cohort = cr.load_dataset("matsuoka2025")
    claims = _claims(cohort)
    frame = cr.multiverse(cohort, claims)
    ok, worst = same_values(frame, user_loop(cohort, claims))
    if not ok:
        raise AssertionError(f"the multiverse and the loop differ (relative {worst:g})")
    measured = measure_tools(
        {
            "cohort_reanalysis multiverse": lambda: cr.multiverse(cohort, claims),
            "plain loop (pandas, numpy, cr.paired_change)": lambda: user_loop(cohort, claims),
        },
        budget_s=args.op_budget,
        max_runs=5,
    )
    res.add(
        "multiverse_vs_loop",
        f"multiverse of matsuoka2025 ({len(frame)} specifications of {len(claims.claims)} "
        "claims) vs a per-specification loop",
        measured,
        detail=f"same values (largest relative difference {worst:.1e})",
    )
    ours = measured["cohort_reanalysis multiverse"].summary()["median_s"]
    loop = measured["plain loop (pandas, numpy, cr.paired_change)"].summary()["median_s"]
    boundaries = (3, 6, 9) if args.quick else (5, 8, 11, 14)
    sizes = (100, 1000, 10000) if args.quick else (100, 1000, 10_000, 100_000, 1_000_000)
    sc = scaling(boundaries, sizes, runs=2 if args.quick else 3)
    res.multiverse_scaling = sc
    return [
        {
            "target": "multiverse vs plain loop (x faster)",
            "value": None if not ours or not loop else loop / ours,
            "limit": 100.0,
            "kind": ">=",
            "met": None if not ours or not loop else loop / ours >= 100,
            "detail": "issue 21: at least 100x, same values",
        },
        {
            "target": "multiverse log-log slope over specifications",
            "value": sc["slope_specifications"],
            "limit": 1.2,
            "kind": "<=",
            "met": None
            if sc["slope_specifications"] is None
            else sc["slope_specifications"] <= 1.2,
            "detail": str(sc["by_specifications"]),
        },
        {
            "target": "multiverse log-log slope over rows",
            "value": sc["slope_rows"],
            "limit": 1.2,
            "kind": "<=",
            "met": None if sc["slope_rows"] is None else sc["slope_rows"] <= 1.2,
            "detail": str(sc["by_rows"]),
        },
    ]
