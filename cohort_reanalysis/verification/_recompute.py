"""Recompute a claim's quantity from a cohort, under one specification or the whole space.

:func:`recompute` computes one value; :func:`evaluate_space` computes every value a
claim's declared space (``_space``) can give, sharing work: a condition's mask is built
once per side of its boundary and cached per cohort, subsets are ANDs of cached masks, all
nine quantile definitions come from one sort (``quantiles_all_types``), and each test or
correlation is computed once per data variant whatever the other choices are.

Statistics (``docs/claims-format.md``): ``n``, ``count``, ``mean``, ``sd``, ``min``,
``max``, ``median``, ``range``, ``quantile``, ``quartiles``, ``mean_change``, ``pvalue``
(before vs after in a subset: paired t, Wilcoxon signed-rank, unpaired Student or Welch t,
Wilcoxon rank-sum, Kruskal-Wallis; two groups: Student, Welch, rank-sum, Kruskal-Wallis;
x/y: the p of a Pearson, Spearman or Kendall correlation), ``correlation`` and
``difference_between`` (mean of group 1 minus mean of group 2).

Conventions follow R (``t.test``, ``wilcox.test(exact = FALSE, correct = TRUE)``,
``kruskal.test``, ``cor.test(exact = FALSE)``, ``quantile(type = )``). Every statistic comes
from the analyses' kernel (:mod:`cohort_reanalysis.analyses._kernel`), the same functions the
result builders call; this module only selects the rows and caches the work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias, Union

import numpy as np

from ..analyses._kernel import (
    correlation_test,
    kruskal_wallis,
    one_sample_t,
    p_from_t,
    p_from_z,
    quantiles_all_types,
    rank_sum_z,
    two_sample_t,
)
from ..analyses._ranks import wilcoxon_signed_rank
from ..cohort import Cohort
from ._cohort_arrays import CohortArrays
from ._space import (
    ALTERNATIVE,
    CORRELATION,
    DIRECTION,
    PAIRING,
    QUANTILE_TYPE,
    ROUNDING,
    ROWS,
    SD_DDOF,
    TEST,
    VARIANCE,
    ClaimSpace,
    boundary_name,
    build_space,
)
from ._specification import Specification
from .claims import Condition, Quantity

__all__ = [
    "ROW_BY_ROW",
    "Failure",
    "Outcome",
    "Value",
    "evaluate_space",
    "not_recomputed",
    "recompute",
]

Value: TypeAlias = Union[float, tuple[float, float]]  # noqa: UP007 (runtime alias, py3.9 safe)


@dataclass(frozen=True)
class Failure:
    """A value that cannot be computed under a specification, and why."""

    reason: str


Outcome: TypeAlias = Union[float, tuple[float, float], Failure]  # noqa: UP007

# What claims@2 can state and ``_Variant._compute`` cannot compute yet. Until the kernel's
# new statistics are wired in there, such a claim is not_checkable (never checked as
# something else): remove an entry here when ``_compute`` (and ``_space``) handle it.
_NOT_YET_STATISTICS = frozenset(
    {"ci", "statistic", "df", "se", "effect_size", "proportion", "percent_change", "slope"}
)
#: Checked row by row (``_row_identity``), never recomputed here as one value: the search
#: leaves them alone and ``verify`` judges them there.
ROW_BY_ROW = frozenset({"row_identity"})
_NOT_YET_TESTS = frozenset({"one_sample_t", "signed_rank", "chi2", "fisher"})


def not_recomputed(quantity: Quantity) -> str | None:
    """Why verification cannot recompute this quantity yet, or None if it can.

    Examples
    --------
    >>> not_recomputed(Quantity("ci", variable="change"))
    "statistic 'ci' is not yet recomputed"
    >>> not_recomputed(Quantity("mean", variable="age")) is None
    True
    """
    if quantity.statistic in ROW_BY_ROW:
        return f"statistic {quantity.statistic!r} is checked row by row, not as one value"
    if quantity.statistic in _NOT_YET_STATISTICS:
        return f"statistic {quantity.statistic!r} is not yet recomputed"
    if quantity.method.test in _NOT_YET_TESTS:
        return f"test {quantity.method.test!r} is not yet recomputed"
    if quantity.pair is not None:
        return "a claim about a chosen pair of columns ('pair') is not yet recomputed"
    return None


# ----------------------------------------------------------------------------- one variant


class _Variant:
    """A quantity on one selection of rows (subset or groups) and sign, with cached work.

    Every specification that selects the same rows with the same sign shares one variant
    (keyed by the masks' bytes), so a boundary or row set that changes nothing costs nothing.
    """

    def __init__(
        self,
        arrays: CohortArrays,
        q: Quantity,
        mask: np.ndarray,
        groups: tuple[np.ndarray, np.ndarray] | None,
        sign: float,
    ) -> None:
        self.arrays = arrays
        self.q = q
        self.mask = mask
        self.groups = groups
        self.sign = sign
        self._cache: dict[Any, Any] = {}

    def _signed(self, name: str) -> np.ndarray:
        arr = self.arrays.numeric(name)
        return arr * self.sign if name == "change" else arr

    def sample(self, name: str, mask: np.ndarray | None = None) -> np.ndarray:
        arr = self._signed(name)[self.mask if mask is None else mask]
        return arr[~np.isnan(arr)]

    def pairs(self, x: str, y: str) -> tuple[np.ndarray, np.ndarray]:
        a, b = self._signed(x)[self.mask], self._signed(y)[self.mask]
        keep = ~(np.isnan(a) | np.isnan(b))
        return a[keep], b[keep]

    def before_after(self) -> tuple[np.ndarray, np.ndarray]:
        """(first, second) with first - second the claim's direction of change."""
        before, after = self.pairs("before", "after")
        return (before, after) if self.sign < 0 else (after, before)

    def quantiles(self, probs: tuple[float, ...]) -> np.ndarray:
        key = ("q", probs)
        if key not in self._cache:
            x = self.sample(self._variable())
            if x.size == 0:
                raise ValueError("no values in the subset")
            self._cache[key] = quantiles_all_types(x, probs)
        out: np.ndarray = self._cache[key]
        return out

    def _variable(self) -> str:
        if self.q.variable is None:
            raise ValueError(f"statistic {self.q.statistic!r} needs a variable")
        return self.q.variable

    def compute(self, method: Mapping[str, Any]) -> Outcome:
        key = tuple(sorted(method.items(), key=lambda kv: kv[0]))
        if key not in self._cache:
            try:
                self._cache[key] = self._compute(method)
            except (ValueError, ZeroDivisionError, KeyError) as err:
                self._cache[key] = Failure(str(err).strip("'\""))
        out: Outcome = self._cache[key]
        return out

    def _compute(self, m: Mapping[str, Any]) -> Outcome:
        q, stat = self.q, self.q.statistic
        if stat == "n":
            return float(self.mask.sum())
        if stat == "count":
            if q.level is None:
                raise ValueError("statistic 'count' needs a level")
            level_mask = self.arrays.condition_mask(
                Condition(self._variable(), "==", q.level), "=="
            )
            return float((self.mask & level_mask).sum())
        if stat in ("mean", "sd", "min", "max", "range"):
            x = self.sample(self._variable())
            if x.size == 0:
                raise ValueError("no values in the subset")
            if stat == "mean":
                return float(x.mean())
            if stat == "min":
                return float(x.min())
            if stat == "max":
                return float(x.max())
            if stat == "range":
                return (float(x.min()), float(x.max()))
            ddof = int(m.get(SD_DDOF, 1))
            if x.size <= ddof:
                raise ValueError(f"an SD with ddof {ddof} needs more than {ddof} values")
            return float(x.std(ddof=ddof))
        if stat in ("median", "quantile", "quartiles"):
            t = int(m.get(QUANTILE_TYPE, 7)) - 1
            if stat == "median":
                return float(self.quantiles((0.5,))[t, 0])
            if stat == "quantile":
                return float(self.quantiles((float(q.prob),))[t, 0])  # type: ignore[arg-type]
            qs = self.quantiles((0.25, 0.75))
            return (float(qs[t, 0]), float(qs[t, 1]))
        if stat == "mean_change":
            first, second = self.before_after()
            if first.size == 0:
                raise ValueError("no complete before/after pairs in the subset")
            return float((first - second).mean())
        if stat == "difference_between":
            assert self.groups is not None
            a = self.sample(self._variable(), self.groups[0])
            b = self.sample(self._variable(), self.groups[1])
            if a.size == 0 or b.size == 0:
                raise ValueError(f"a group is empty ({a.size} and {b.size} values)")
            return float(a.mean() - b.mean())
        if stat == "correlation":
            x, y = self.pairs(q.x, q.y)  # type: ignore[arg-type]
            return self._corr(x, y, m.get(CORRELATION, "pearson"))[0]
        if stat == "pvalue":
            return self._pvalue(m)
        raise ValueError(f"unknown statistic {stat!r}")

    def _corr(self, x: np.ndarray, y: np.ndarray, method: str) -> tuple[float, float, Any]:
        key = ("corr", method)
        if key not in self._cache:
            self._cache[key] = correlation_test(x, y, method)
        out: tuple[float, float, Any] = self._cache[key]
        return out

    def _pvalue(self, m: Mapping[str, Any]) -> float:
        alt = m.get(ALTERNATIVE, "two-sided")
        kind: tuple[str, ...]
        if self.q.x is not None:
            kind = ("corr", m.get(CORRELATION, "pearson"))
        else:
            test = m.get(TEST, "t")
            pairing = "unpaired" if self.groups is not None else m.get(PAIRING, "paired")
            variance = m.get(VARIANCE, "student") if (test, pairing) == ("t", "unpaired") else ""
            kind = (pairing, test, variance)
        key = ("stat", kind)
        if key not in self._cache:
            try:
                self._cache[key] = self._statistic(kind)
            except (ValueError, ZeroDivisionError) as err:
                self._cache[key] = Failure(str(err))
        found = self._cache[key]
        if isinstance(found, Failure):
            raise ValueError(found.reason)
        dist, stat, df, extra = found
        if dist == "t":
            return p_from_t(stat, df, alt)
        if dist == "z":
            return p_from_z(stat, alt)
        if dist == "rank-sum":
            a, b = extra
            return p_from_z(rank_sum_z(a, b, correct=True, alternative=alt).z, alt)
        if dist == "signed-rank":
            return wilcoxon_signed_rank(extra, correct=True, alternative=alt).pvalue
        if alt != "two-sided":
            raise ValueError("Kruskal-Wallis is a two-sided test only")
        return float(stat)

    def _statistic(self, kind: tuple[str, ...]) -> tuple[str, float, float, Any]:
        """(distribution, statistic, df, extra) of a test, shared by its alternatives."""
        q = self.q
        if kind[0] == "corr":
            x, y = self.pairs(q.x, q.y)  # type: ignore[arg-type]
            _, stat, df = self._corr(x, y, kind[1])
            return ("z", stat, 0.0, None) if df is None else ("t", stat, df, None)
        pairing, test, variance = kind
        if self.groups is not None:
            a = self.sample(self._variable(), self.groups[0])
            b = self.sample(self._variable(), self.groups[1])
        else:
            a, b = self.before_after()
        if pairing == "unpaired":
            if test == "t":
                t, df, _, _ = two_sample_t(a, b, equal_var=variance != "welch")
                return ("t", t, df, None)
            if test == "rank":
                rank_sum_z(a, b, correct=True)  # validates
                return ("rank-sum", 0.0, 0.0, (a, b))
            return ("kruskal", kruskal_wallis([a, b]).pvalue, 0.0, None)
        d = a - b
        if test == "rank":
            wilcoxon_signed_rank(d, correct=True)  # validates
            return ("signed-rank", 0.0, 0.0, d)
        if test != "t":
            raise ValueError(f"no paired form of test {test!r}")
        paired = one_sample_t(d)
        return ("t", paired.statistic, paired.df, None)


def _variant(arrays: CohortArrays, q: Quantity, data: Mapping[str, Any]) -> _Variant:
    """The shared variant of ``q`` for one assignment of the data choices."""
    rows = arrays.rows_mask(data[ROWS])

    def mask_of(conds: Sequence[Condition]) -> np.ndarray:
        ops = [data.get(boundary_name(c), c.op) for c in conds]
        return rows & arrays.subset_mask(conds, ops)

    mask = mask_of(q.subset)
    groups = None if q.groups is None else (mask_of(q.groups[0]), mask_of(q.groups[1]))
    direction = data.get(DIRECTION, q.direction or "change")
    sign = -1.0 if direction == "reduction" else 1.0
    key = (
        q,
        mask.tobytes(),
        None if groups is None else (groups[0].tobytes(), groups[1].tobytes()),
        sign,
    )
    found = arrays._variants.get(key)
    if found is None:
        found = _Variant(arrays, q, mask, groups, sign)
        arrays._variants[key] = found
    return found


# ----------------------------------------------------------------------------- public


def _data_names(names: Sequence[str]) -> list[str]:
    return [n for n in names if n.startswith("boundary") or n in (DIRECTION, ROWS)]


def evaluate_space(
    arrays: CohortArrays, quantity: Quantity, space: ClaimSpace
) -> dict[tuple[Any, ...], Outcome]:
    """Every value the space gives, keyed by the choice values (all but rounding) in order.

    Keys are tuples of values in the order of ``space.names`` without ``rounding``, one for
    each distinct assignment of ``space.assignments``.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> from cohort_reanalysis.verification._space import build_space
    >>> q = Quantity("median", variable="followup")
    >>> values = evaluate_space(CohortArrays(load_dataset("matsuoka2025")), q, build_space(q))
    >>> values[(7, "all rows")], values[(1, "all rows")]
    (35.5, 35.0)
    """
    names = [n for n in space.names if n != ROUNDING]
    data_names = _data_names(names)
    method_names = [n for n in names if n not in data_names]
    out: dict[tuple[Any, ...], Outcome] = {}
    variants: dict[tuple[Any, ...], _Variant] = {}
    for assign in space.assignments:
        key = tuple(assign[n] for n in names)
        if key in out:
            continue
        data_key = tuple(assign[n] for n in data_names)
        variant = variants.get(data_key)
        if variant is None:
            variant = _variant(arrays, quantity, dict(zip(data_names, data_key, strict=True)))
            variants[data_key] = variant
        out[key] = variant.compute({n: assign[n] for n in method_names})
    return out


def recompute(
    cohort: Cohort | CohortArrays,
    quantity: Quantity,
    specification: Specification | Mapping[str, Any] | None = None,
    *,
    comparator: str = "=",
) -> Value:
    """The value of a quantity under one specification (the stated method by default).

    Parameters
    ----------
    cohort : Cohort or CohortArrays
        The table.
    quantity : Quantity
        What to compute.
    specification : Specification or mapping, optional
        Choice values (see ``_space``); choices left out take their stated value.
    comparator : str
        The claim's comparator (it decides whether rounding is a choice; it does not
        change the value).

    Returns
    -------
    float, or (float, float) for ``range`` and ``quartiles``.

    Raises
    ------
    ValueError
        If the value cannot be computed (the reason is named), or a choice is unknown.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> q = Quantity("quartiles", variable="followup")
    >>> recompute(load_dataset("matsuoka2025"), q)
    (15.25, 45.75)
    """
    why_not = not_recomputed(quantity)
    if why_not is not None:
        raise ValueError(why_not)
    arrays = cohort if isinstance(cohort, CohortArrays) else CohortArrays(cohort)
    space = build_space(quantity, comparator=comparator, row_sets=arrays.row_sets)
    values = (
        specification.values if isinstance(specification, Specification) else (specification or {})
    )
    spec = space.specification(values)
    data_names = _data_names(space.names)
    data = {n: spec[n] for n in data_names}
    method = {n: spec[n] for n in space.names if n not in data_names and n != ROUNDING}
    out = _variant(arrays, quantity, data).compute(method)
    if isinstance(out, Failure):
        raise ValueError(out.reason)
    return out
