"""Teaching simulations: a before/after cohort whose truth is known.

``simulate_cohort`` draws a before/after table from the classical measurement-error model, so
regression to the mean can be watched happening in data where the treatment does nothing
(the power of paired tests by simulation is in :mod:`._power`).

The model of ``simulate_cohort`` (one measure, two visits)::

    T_i      ~ N(baseline_mean, rho * baseline_sd²)          true level of patient i
    before_i = T_i + e_i1,              e_i1 ~ N(0, (1 - rho) * baseline_sd²)
    after_i  = T_i + true_change + u_i + e_i2,
                                        e_i2 ~ N(0, (1 - rho) * baseline_sd²)
                                        u_i  ~ N(0, effect_sd²)     (patients respond differently)

with every term independent. A single measurement then has SD ``baseline_sd`` and test–retest
reliability ``var(T) / var(before) = rho``; the changes have mean ``true_change`` and SD
``sqrt(2 (1 - rho) baseline_sd² + effect_sd²)`` before any selection. Selecting patients on
their *observed* baseline (``before > cutoff``) selects measurements that were high partly by
chance, and their mean change becomes ``true_change`` plus Barnett et al.'s (2005) expected
regression to the mean (see :func:`~._rtm.expected_rtm_change`).
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..cohort import Cohort, CohortValidationError, ColumnSpec, Provenance
from ._kernel import p_from_z
from ._resampling import SeedLike, _make_rng

__all__ = ["simulate_cohort"]

Selection = Literal["above", "below"]
_CHUNK_BYTES = 32 * 2**20
# Refuse a selection that would need more screening draws than this (memory and time).
_MAX_SCREENED = 50_000_000


def _finite(name: str, value: float) -> float:
    out = float(value)
    if not math.isfinite(out):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return out


def _count(name: str, value: int, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def _screen(
    n: int,
    rng: np.random.Generator,
    *,
    mean: float,
    sd_true: float,
    sd_error: float,
    cutoff: float | None,
    select: Selection,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], int]:
    """True levels and observed baselines of ``n`` patients who pass the selection.

    Candidates are drawn in batches sized from the known pass rate, so there is one loop
    iteration per batch (usually one or two), never one per patient.
    """
    if cutoff is None:
        true = rng.normal(mean, sd_true, n)
        return true, true + rng.normal(0.0, sd_error, n), n
    sd_obs = math.hypot(sd_true, sd_error)
    z = (cutoff - mean) / sd_obs
    rate = p_from_z(z, "greater" if select == "above" else "less")
    if rate <= 0.0 or n / rate > _MAX_SCREENED:
        side = ">" if select == "above" else "<"
        raise ValueError(
            f"almost no simulated patient has a baseline {side} {cutoff:g} (expected pass rate "
            f"{rate:.2g}, so about {n / rate if rate > 0 else math.inf:.3g} would have to be "
            f"screened): move the cutoff toward baseline_mean = {mean:g} or lower n"
        )
    trues: list[npt.NDArray[np.float64]] = []
    observed: list[npt.NDArray[np.float64]] = []
    have = screened = 0
    max_batch = max(1, _CHUNK_BYTES // 16)
    while have < n:
        need = n - have
        # 10 % more than the expected number needed, plus a margin for small batches.
        batch = min(max_batch, math.ceil(1.1 * need / rate) + 20)
        t = rng.normal(mean, sd_true, batch)
        x = t + rng.normal(0.0, sd_error, batch)
        keep = x > cutoff if select == "above" else x < cutoff
        take = np.flatnonzero(keep)[:need]
        trues.append(t[take])
        observed.append(x[take])
        have += take.size
        # Candidates beyond the last one taken were never "seen" by the study.
        screened += batch if take.size < need else int(take[-1]) + 1
    return np.concatenate(trues), np.concatenate(observed), screened


def simulate_cohort(
    n: int,
    *,
    true_change: float = 0.0,
    effect_sd: float = 0.0,
    reliability: float = 0.8,
    baseline_mean: float = 7.5,
    baseline_sd: float = 1.2,
    cutoff: float | None = None,
    select: Selection = "above",
    measure: str | None = "HbA1c",
    unit: str | None = "%",
    seed: SeedLike = None,
) -> Cohort:
    """A before/after cohort drawn from a model whose truth is known.

    Each patient has a true level ``T ~ N(baseline_mean, reliability * baseline_sd²)``. Each
    measurement adds independent noise of variance ``(1 - reliability) * baseline_sd²``, so a
    single measurement has SD ``baseline_sd`` and test–retest ``reliability``. The follow-up
    adds ``true_change`` (plus a patient-specific deviation of SD ``effect_sd``) to the true
    level. With ``cutoff``, only patients whose *observed* baseline is above (or below) it
    are kept, as when a study enrols patients with "HbA1c above 8 %": they then show
    regression to the mean even when ``true_change`` is 0.

    Parameters
    ----------
    n : int
        Number of patients in the cohort (after selection), at least 1.
    true_change : float, default 0.0
        Mean true change ``after - before`` caused by the "treatment"; 0 for none.
    effect_sd : float, default 0.0
        SD of the true change between patients (0: everyone gets ``true_change``).
    reliability : float, default 0.8
        Share of a single measurement's variance that is between patients, in (0, 1].
    baseline_mean, baseline_sd : float, default 7.5 and 1.2
        Mean and SD of one measurement in the population screened (before selection).
    cutoff : float, optional
        Keep only patients whose observed baseline is strictly beyond this value.
    select : {"above", "below"}, default "above"
        Which side of ``cutoff`` is kept.
    measure, unit : str or None, default "HbA1c" and "%"
        Names the simulated measure. The cohort applies the measure's plausible range
        (HbA1c in %: 3 to 20); pass ``measure=None`` for an unconstrained, generic measure.
    seed : int, numpy.random.Generator or None
        Randomness; recorded in the provenance.

    Returns
    -------
    Cohort
        Columns ``id``, ``before``, ``after`` and ``true_level`` (the error-free baseline,
        which a real study never sees). The provenance records the model, its parameters,
        the seed and how many patients were screened to find ``n``.

    Raises
    ------
    ValueError
        For bad parameters, a cutoff almost nobody passes, or when a simulated value falls
        outside the plausible range of ``measure`` in ``unit`` (values are never clipped:
        change the parameters, or pass ``measure=None``).

    Examples
    --------
    >>> cohort = simulate_cohort(200, cutoff=8.0, seed=1)
    >>> len(cohort), bool((cohort.values("before") > 8.0).all())
    (200, True)
    """
    n = _count("n", n, 1)
    delta = _finite("true_change", true_change)
    tau = _finite("effect_sd", effect_sd)
    rho = _finite("reliability", reliability)
    mu = _finite("baseline_mean", baseline_mean)
    sigma = _finite("baseline_sd", baseline_sd)
    if not 0.0 < rho <= 1.0:
        raise ValueError(f"reliability must lie in (0, 1], got {reliability!r}")
    if sigma <= 0.0:
        raise ValueError(f"baseline_sd must be positive, got {baseline_sd!r}")
    if tau < 0.0:
        raise ValueError(f"effect_sd must be non-negative, got {effect_sd!r}")
    if select not in ("above", "below"):
        raise ValueError(f"select must be 'above' or 'below', got {select!r}")
    c = None if cutoff is None else _finite("cutoff", cutoff)
    rng, seed_desc = _make_rng(seed)

    sd_true = math.sqrt(rho) * sigma
    sd_error = math.sqrt(1.0 - rho) * sigma
    true, before, screened = _screen(
        n, rng, mean=mu, sd_true=sd_true, sd_error=sd_error, cutoff=c, select=select
    )
    effect = rng.normal(delta, tau, n) if tau > 0.0 else np.full(n, delta)
    after = true + effect + rng.normal(0.0, sd_error, n)

    width = len(str(n))
    frame = pd.DataFrame(
        {
            "id": [f"S{i:0{width}d}" for i in range(1, n + 1)],
            "before": before,
            "after": after,
            "true_level": true,
        }
    )
    what = measure or "value"
    columns = [
        ColumnSpec("id", "id"),
        ColumnSpec(
            "before", "before", unit=unit, measure=measure, visit="baseline", label=f"{what} before"
        ),
        ColumnSpec(
            "after", "after", unit=unit, measure=measure, visit="follow-up", label=f"{what} after"
        ),
        ColumnSpec(
            "true_level",
            "covariate",
            dtype="float",
            unit=unit,
            label="true level at baseline (unobservable)",
        ),
    ]
    side = ">" if select == "above" else "<"
    selection = "none" if c is None else f"baseline {side} {c:g}"
    params = (
        f"n={n}, true_change={delta:g}, effect_sd={tau:g}, reliability={rho:g}, "
        f"baseline_mean={mu:g}, baseline_sd={sigma:g}, selection: {selection}, {seed_desc}"
    )
    notes = (
        "Simulated, not patients: true level T ~ N(baseline_mean, reliability * baseline_sd^2); "
        "before = T + error; after = T + true_change + N(0, effect_sd^2) + error; errors "
        "independent N(0, (1 - reliability) * baseline_sd^2).",
        f"Parameters: {params}.",
        f"{screened} simulated patients screened to enrol {n}.",
    )
    provenance = Provenance(
        citation=f"simulate_cohort({params})",
        title="Simulated before/after cohort",
        source_kind="simulation",
        reported_n=n,
        printed_rows=n,
        notes=notes,
    )
    try:
        return Cohort.from_frame(
            frame,
            columns=columns,
            measure=measure,
            unit=unit,
            provenance=provenance,
            name="simulated",
        )
    except CohortValidationError as exc:
        raise ValueError(
            f"the simulation produced values that are implausible for {measure} in {unit}, so "
            f"no cohort was made (values are never clipped). Choose parameters that keep the "
            f"values in range (baseline_mean, baseline_sd, true_change, effect_sd), or pass "
            f"measure=None for a generic measure without a range check. Details: {exc}"
        ) from exc
