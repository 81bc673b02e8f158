"""Exhaustive, deterministic search of a claim's declared space for specifications that
reproduce its reported value (groups of claims: ``_joint``).

Every specification of the claim's space (``_space``) is evaluated (``_recompute``) and
compared with the reported value read as an interval (``_reported``: ``interval`` and
``contains``, exact decimal arithmetic; a scaled claim's interval is scaled exactly).
Specifications are visited in the space's order (fewest departures first, then the fixed
order of choices), so the first one that reproduces is the smallest departure. The nearest
value is the one closest to the reported interval under the stated rounding: in absolute
terms, or, for p-values, in orders of magnitude (``|log10 p - log10 end|``), since a p of
1e-7 against a threshold of 2e-7 is close and against 0.05 is not.

Distribution: :func:`search_all` searches many claims, optionally on any
:class:`concurrent.futures.Executor` (a process pool, or Dask's ``client.get_executor()``).
Only the evaluation of each claim's space (the costly part) is sent out, in chunks of
claims, with the table as plain picklable data; the search itself runs here, so the
results are identical with or without an executor (there is no randomness to seed).
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from ..cohort import Cohort, ColumnSpec
from ._cohort_arrays import CohortArrays
from ._recompute import Outcome, Value, by_key, not_recomputed
from ._row_sets import RowSet
from ._space import ROUNDING, ClaimSpace, build_space
from ._space_values import SpaceValues, space_values
from ._specification import Specification
from ._target import Target
from .claims import Claim

if TYPE_CHECKING:
    from pandas import DataFrame

__all__ = [
    "Candidate",
    "SearchResult",
    "Target",
    "checkable_claims",
    "claim_space",
    "evaluate_all",
    "printed_as_percent",
    "search",
    "search_all",
    "target_of",
]


@dataclass(frozen=True)
class Candidate:
    """One specification and what it gives: a value (or why not), a match and a distance."""

    specification: Specification
    value: Value | None
    ok: bool
    distance: float
    failure: str | None = None

    @property
    def departures(self) -> tuple[str, ...]:
        return self.specification.departures


@dataclass(frozen=True)
class SearchResult:
    """The outcome of searching one claim's space.

    ``best`` is the smallest departure that reproduces (the stated method if it does), or
    None; ``also`` the other reproducing specifications with as few departures; ``nearest``
    the computable specification whose value lies closest to the reported interval (under
    the stated rounding); ``reproducing`` every reproducing assignment, in search order.
    """

    space: ClaimSpace
    stated: Candidate
    best: Candidate | None
    also: tuple[Candidate, ...]
    nearest: Candidate | None
    reproducing: tuple[Mapping[str, Any], ...] = field(repr=False)
    n_tried: int
    log_scale: bool
    target: Target = field(repr=False)


def printed_as_percent(claim: Claim) -> bool:
    """Whether a proportion (a share, 0 to 1) is printed as a percent ("72%", unit "%"):
    then it is compared as 100 times the share, unless the claim gives its own ``scale``.

    Examples
    --------
    >>> from cohort_reanalysis.verification.claims import Condition, Quantity
    >>> q = Quantity("proportion", condition=Condition("change", "<", 0))
    >>> printed_as_percent(Claim("p", "72%", "l", (), "72%", "=", None, 1.0, q))
    True
    """
    q = claim.quantity
    if q is None or q.statistic != "proportion" or claim.scale != 1:
        return False
    return claim.unit == "%" or (claim.reported or "").endswith("%")


def search(
    claim: Claim,
    arrays: CohortArrays,
    *,
    rounding: str = "up_or_down",
    max_also: int = 4,
) -> SearchResult:
    """Search the whole declared space of a checkable claim.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> from cohort_reanalysis.verification.claims import load_claims
    >>> from cohort_reanalysis.cohort import dataset_info
    >>> claims = load_claims(dataset_info("matsuoka2025").claims_file)
    >>> arrays = CohortArrays(load_dataset("matsuoka2025"))
    >>> res = search(claims["abstract.median_followup"], arrays, rounding="half_up")
    >>> res.stated.value, res.best.specification.departures, res.best.value
    (35.5, ('quantile_type',), 35.0)
    """
    space = _space(claim, arrays.row_sets, rounding)
    assert claim.quantity is not None
    return _select(claim, space, space_values(arrays, claim.quantity, space), rounding, max_also)


def target_of(claim: Claim) -> Target:
    """The reported value of a checkable claim as a :class:`Target`."""
    q = claim.quantity
    assert q is not None and claim.reported is not None and claim.comparator is not None
    return Target(
        claim.reported,
        claim.comparator,
        scale=claim.scale / 100 if printed_as_percent(claim) else claim.scale,
        log_scale=q.statistic == "pvalue",
        exact=q.statistic in ("n", "count"),
    )


def claim_space(claim: Claim, row_sets: Sequence[RowSet], rounding: str) -> ClaimSpace:
    """The declared space of a checkable claim (ValueError naming it if not checkable)."""
    return _space(claim, row_sets, rounding)


def _space(claim: Claim, row_sets: Sequence[RowSet], rounding: str) -> ClaimSpace:
    q = claim.quantity
    if q is None:
        raise ValueError(f"claim {claim.id!r} has no quantity: it is not checkable")
    why_not = not_recomputed(q)
    if why_not is not None:
        raise ValueError(f"claim {claim.id!r}: {why_not}")
    assert claim.comparator is not None  # every recomputed statistic states a number
    return build_space(q, comparator=claim.comparator, rounding=rounding, row_sets=row_sets)


def _select(
    claim: Claim,
    space: ClaimSpace,
    values: SpaceValues,
    rounding: str,
    max_also: int,
) -> SearchResult:
    """The search proper, over the values of every specification of ``space`` (arrays in
    search order: the first reproducing row is the smallest departure)."""
    target = target_of(claim)
    stated_values = space.stated_values
    roundings = _roundings(space, rounding)
    ok, dist = checks(target, space, values, rounding)

    def candidate(s: int) -> Candidate:
        spec = Specification(_assignment(space, s), stated_values)
        why = int(values.failure[s])
        if why >= 0:
            return Candidate(spec, None, False, math.inf, values.reasons[why])
        value = _value(values, s)
        hit, d = target.check(value, roundings[s])
        return Candidate(spec, value, hit, d)

    stated = candidate(0)  # the first in search order has no departures
    hits = np.flatnonzero(ok)
    best = also = None
    if hits.size:
        best = candidate(int(hits[0]))
        same = hits[1:][space.departures[hits[1:]] == space.departures[hits[0]]]
        also = tuple(candidate(int(s)) for s in same[:max_also])
    near = None
    eligible = np.flatnonzero((values.failure < 0) & (roundings == rounding))
    if eligible.size:
        low = float(dist[eligible].min())
        if math.isfinite(low):
            # numpy's log10 may differ from math's in the last bit: the rows within a hair
            # of the least distance are measured again exactly; the first least one wins.
            close = eligible[dist[eligible] <= low + 1e-9 * max(low, 1e-300)]
            exact = [target.check(_value(values, int(s)), rounding)[1] for s in close]
            pick = int(close[int(np.argmin(exact))])
        else:
            pick = int(eligible[0])
        found = candidate(pick)
        near = Candidate(found.specification, found.value, found.distance == 0, found.distance)
    assert stated.specification.is_stated
    return SearchResult(
        space=space,
        stated=stated,
        best=best,
        also=also or (),
        nearest=near,
        reproducing=tuple(_assignment(space, int(s)) for s in hits),
        n_tried=space.size,
        log_scale=target.log_scale,
        target=target,
    )


def _roundings(space: ClaimSpace, rounding: str) -> np.ndarray:
    """The rounding of each specification (the stated one where it is not a choice)."""
    if ROUNDING not in space.names:
        return np.full(space.size, rounding, dtype=object)
    j = space.names.index(ROUNDING)
    out: np.ndarray = np.array(space.choices[j].values, dtype=object)[space.codes[:, j]]
    return out


def checks(
    target: Target, space: ClaimSpace, values: SpaceValues, rounding: str, *, distances: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """(reproduces, distance) of every specification, under its own rounding; a row
    without a value neither reproduces nor has a distance (without ``distances``, the
    distances of the rows with a value are not computed: 0)."""
    ok = np.zeros(space.size, dtype=bool)
    dist = np.full(space.size, math.inf)
    computed = values.failure < 0
    if not computed.any():
        return ok, dist
    # Each rounding's rows, by its index in the codes (no array of names to compare).
    if ROUNDING in space.names:
        j = space.names.index(ROUNDING)
        by_rounding = [(r, space.codes[:, j] == i) for i, r in enumerate(space.choices[j].values)]
    else:
        by_rounding = [(rounding, computed)]
    for r, where in by_rounding:
        rows = np.flatnonzero(computed & where)
        if rows.size:
            ok[rows], dist[rows] = target.check_many(values.numbers[rows], r, distances=distances)
    return ok, dist


def _assignment(space: ClaimSpace, s: int) -> Mapping[str, Any]:
    row = space.codes[s].tolist()
    choices = [(c.name, c.values) for c in space.choices]  # noqa: PD011 (not pandas)
    return MappingProxyType({n: vs[i] for (n, vs), i in zip(choices, row, strict=True)})


def _value(values: SpaceValues, s: int) -> Value:
    row = values.numbers[s].tolist()
    return float(row[0]) if len(row) == 1 else (float(row[0]), float(row[1]))


# ----------------------------------------------------------------------------- many claims


@dataclass(frozen=True)
class _Table:
    """A cohort as plain picklable data, for a worker to rebuild its :class:`CohortArrays`.

    (A Cohort's provenance holds mapping proxies, which pickle cannot send; the search
    needs only the table, its columns and the declared row sets.)
    """

    frame: DataFrame
    columns: tuple[ColumnSpec, ...]
    measure: str | None
    unit: str | None
    name: str | None
    row_sets: tuple[RowSet, ...]

    @classmethod
    def of(cls, arrays: CohortArrays) -> _Table:
        c = arrays.cohort
        return cls(c.frame, c.columns, c.measure, c.unit, c.name, arrays.row_sets)

    def arrays(self) -> CohortArrays:
        cohort = Cohort(
            self.frame, self.columns, measure=self.measure, unit=self.unit, name=self.name
        )
        return CohortArrays(cohort, row_sets=self.row_sets)


def _evaluate(arrays: CohortArrays, claims: Sequence[Claim], rounding: str) -> list[SpaceValues]:
    out = []
    for claim in claims:
        space = _space(claim, arrays.row_sets, rounding)
        assert claim.quantity is not None
        out.append(space_values(arrays, claim.quantity, space))
    return out


def _evaluate_chunk(table: _Table, claims: Sequence[Claim], rounding: str) -> list[SpaceValues]:
    """Worker task: every value of each claim's space (one CohortArrays shared by the chunk)."""
    return _evaluate(table.arrays(), claims, rounding)


def _n_chunks(executor: Executor, n_claims: int) -> int:
    # Two chunks per worker balance claims of unequal cost; a pool's size is a private
    # attribute of the standard pools, and an executor without it (Dask) gets the CPU count.
    workers = getattr(executor, "_max_workers", None) or os.cpu_count() or 1
    return max(1, min(n_claims, 2 * int(workers)))


def search_all(
    claims: Sequence[Claim],
    arrays: CohortArrays,
    *,
    rounding: str = "up_or_down",
    max_also: int = 4,
    executor: Executor | None = None,
) -> dict[str, SearchResult]:
    """:func:`search` every checkable claim (those with a quantity), keyed by claim id.

    Parameters
    ----------
    claims : sequence of Claim
        Claims without a quantity are skipped, and so are those whose quantity is not yet
        recomputed (see ``_recompute.not_recomputed``): their verdict is not_checkable.
    arrays : CohortArrays
        The cohort.
    rounding, max_also
        As for :func:`search`.
    executor : concurrent.futures.Executor, optional
        Evaluate the claims' spaces on this executor (e.g. ``ProcessPoolExecutor()`` or
        Dask's ``client.get_executor()``), in contiguous chunks of claims. The search is
        deterministic, so the results are identical with or without one.

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> from cohort_reanalysis.cohort import dataset_info, load_dataset
    >>> from cohort_reanalysis.verification.claims import load_claims
    >>> claims = load_claims(dataset_info("matsuoka2025").claims_file).claims
    >>> arrays = CohortArrays(load_dataset("matsuoka2025"))
    >>> with ThreadPoolExecutor(2) as pool:
    ...     found = search_all(claims, arrays, executor=pool)
    >>> found["abstract.median_followup"].stated.value
    35.5
    """
    checkable = checkable_claims(claims)
    if executor is None or not checkable:
        return {c.id: search(c, arrays, rounding=rounding, max_also=max_also) for c in checkable}
    values = space_values_all(checkable, arrays, rounding=rounding, executor=executor)
    return {
        c.id: _select(c, _space(c, arrays.row_sets, rounding), v, rounding, max_also)
        for c, v in zip(checkable, values, strict=True)
    }


def checkable_claims(claims: Sequence[Claim]) -> list[Claim]:
    """The claims with a quantity that verification recomputes, in order."""
    return [c for c in claims if c.quantity is not None and not_recomputed(c.quantity) is None]


def evaluate_all(
    claims: Sequence[Claim],
    arrays: CohortArrays,
    *,
    rounding: str = "up_or_down",
    executor: Executor | None = None,
) -> list[dict[tuple[Any, ...], Outcome]]:
    """Every value of each checkable claim's space (``evaluate_space``), in claim order.

    With an ``executor``, in contiguous chunks of claims sent with the table as plain data;
    the values are the same either way.
    """
    found = space_values_all(claims, arrays, rounding=rounding, executor=executor)
    return [
        by_key(_space(c, arrays.row_sets, rounding), v) for c, v in zip(claims, found, strict=True)
    ]


def space_values_all(
    claims: Sequence[Claim],
    arrays: CohortArrays,
    *,
    rounding: str = "up_or_down",
    executor: Executor | None = None,
) -> list[SpaceValues]:
    """:func:`evaluate_all` as arrays (``_space_values.SpaceValues``), in claim order."""
    if executor is None:
        return _evaluate(arrays, claims, rounding)
    table = _Table.of(arrays)
    k = _n_chunks(executor, len(claims))
    bounds = [round(i * len(claims) / k) for i in range(k + 1)]
    chunks = [claims[a:b] for a, b in itertools.pairwise(bounds) if b > a]
    futures = [executor.submit(_evaluate_chunk, table, chunk, rounding) for chunk in chunks]
    return [v for f in futures for v in f.result()]
