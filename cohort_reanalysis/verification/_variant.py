"""A claim's quantity on one selection of rows and one sign of change, with cached work.

A :class:`Variant` is what every specification that selects the same rows, the same side of
each boundary and the same direction shares: the samples a statistic is computed from (a
variable, the change of ``pair``'s columns or of the roles, two groups, x/y pairs), and the
cache of whatever the kernel computed on them. It computes the statistics that are not tests
here (descriptives, ``mean_change``, ``difference_between``, ``correlation``, ``proportion``,
``percent_change``, ``slope``) and hands test-like ones (``pvalue``, ``ci``, ``statistic``,
``df``, ``se``, ``effect_size``) to ``_test_statistics``. Every formula is the kernel's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias, Union

import numpy as np

from ..analyses._kernel import percent_change, proportion, quantiles_all_types, slope
from ._cohort_arrays import CohortArrays, compare
from ._specification import PERCENT_CHANGE, QUANTILE_TYPE, SD_DDOF
from .claims import Condition, Quantity

__all__ = ["Failure", "Outcome", "Value", "Variant", "shared_variant"]

Value: TypeAlias = Union[float, tuple[float, float]]  # noqa: UP007 (runtime alias, py3.9 safe)


@dataclass(frozen=True)
class Failure:
    """A value that cannot be computed under a specification, and why."""

    reason: str


Outcome: TypeAlias = Union[float, tuple[float, float], Failure]  # noqa: UP007

_TEST_LIKE = frozenset({"pvalue", "ci", "statistic", "df", "se", "effect_size"})


class Variant:
    """A quantity on one selection of rows (subset or groups) and sign, with cached work.

    ``condition_op`` is the op of a proportion's condition on this side of its boundary.
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
        condition_op: str | None = None,
    ) -> None:
        self.arrays = arrays
        self.q = q
        self.mask = mask
        self.groups = groups
        self.sign = sign
        self.condition_op = condition_op
        self.cache: dict[Any, Any] = {}

    # ------------------------------------------------------------------------- samples

    def signed(self, name: str) -> np.ndarray:
        """A variable's values on every row; ``change`` is of the pair and in the claim's
        direction."""
        arr = self.arrays.numeric(name, self.q.pair)
        return arr * self.sign if name == "change" else arr

    def sample(self, name: str, mask: np.ndarray | None = None) -> np.ndarray:
        arr = self.signed(name)[self.mask if mask is None else mask]
        return arr[~np.isnan(arr)]

    def pairs(self, x: str, y: str) -> tuple[np.ndarray, np.ndarray]:
        a, b = self.signed(x)[self.mask], self.signed(y)[self.mask]
        keep = ~(np.isnan(a) | np.isnan(b))
        return a[keep], b[keep]

    def raw_before_after(self) -> tuple[np.ndarray, np.ndarray]:
        """The complete (before, after) pairs of ``pair``'s columns or of the roles."""
        p = self.q.pair
        return self.pairs("before", "after") if p is None else self.pairs(p.before, p.after)

    def before_after(self) -> tuple[np.ndarray, np.ndarray]:
        """(first, second) with first - second the claim's direction of change."""
        before, after = self.raw_before_after()
        return (before, after) if self.sign < 0 else (after, before)

    def group_samples(self, *, check: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """The variable's values in each group (``check``: refuse an empty group)."""
        assert self.groups is not None
        a = self.sample(self.variable(), self.groups[0])
        b = self.sample(self.variable(), self.groups[1])
        if check and (a.size == 0 or b.size == 0):
            raise ValueError(f"a group is empty ({a.size} and {b.size} values)")
        return a, b

    def variable(self) -> str:
        if self.q.variable is None:
            raise ValueError(f"statistic {self.q.statistic!r} needs a variable")
        return self.q.variable

    def quantiles(self, probs: tuple[float, ...]) -> np.ndarray:
        key = ("q", probs)
        if key not in self.cache:
            x = self.sample(self.variable())
            if x.size == 0:
                raise ValueError("no values in the subset")
            self.cache[key] = quantiles_all_types(x, probs)
        out: np.ndarray = self.cache[key]
        return out

    def cached(self, key: Any, compute: Any) -> Any:
        """``compute()`` once per key; a failure is cached and raised again as ValueError."""
        if key not in self.cache:
            try:
                self.cache[key] = compute()
            except (ValueError, ZeroDivisionError) as err:
                self.cache[key] = Failure(str(err))
        found = self.cache[key]
        if isinstance(found, Failure):
            raise ValueError(found.reason)
        return found

    # ------------------------------------------------------------------------- values

    def compute(self, method: Mapping[str, Any]) -> Outcome:
        key = tuple(sorted(method.items(), key=lambda kv: kv[0]))
        if key not in self.cache:
            try:
                self.cache[key] = self._compute(method)
            except (ValueError, ZeroDivisionError, KeyError) as err:
                self.cache[key] = Failure(str(err).strip("'\""))
        out: Outcome = self.cache[key]
        return out

    def _compute(self, m: Mapping[str, Any]) -> Outcome:
        q, stat = self.q, self.q.statistic
        if stat in _TEST_LIKE or stat == "correlation":
            from ._test_statistics import value_of_test

            return value_of_test(self, m)
        if stat == "n":
            return float(self.mask.sum())
        if stat == "count":
            if q.level is None:
                raise ValueError("statistic 'count' needs a level")
            level_mask = self.arrays.condition_mask(Condition(self.variable(), "==", q.level), "==")
            return float((self.mask & level_mask).sum())
        if stat in ("mean", "sd", "min", "max", "range"):
            x = self.sample(self.variable())
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
            a, b = self.group_samples()
            return float(a.mean() - b.mean())
        if stat == "proportion":
            return self._proportion()
        if stat == "percent_change":
            before, after = self.raw_before_after()
            if before.size == 0:
                raise ValueError("no complete before/after pairs in the subset")
            method = str(m.get(PERCENT_CHANGE, "mean_of_ratios"))
            return self.sign * float(percent_change(before, after, method=method))
        if stat == "slope":
            x, y = self.pairs(q.x, q.y)  # type: ignore[arg-type]
            return float(slope(x, y).estimate)
        raise ValueError(f"unknown statistic {stat!r}")

    def _proportion(self) -> float:
        """The share of the subset's rows (with a value of the condition's variable) that
        meet the condition; on ``change``, of the claim's direction of change."""
        cond = self.q.condition
        assert cond is not None and self.condition_op is not None
        op = self.condition_op
        if cond.variable == "change":
            values = self.signed("change")
            present = ~np.isnan(values)
            if isinstance(cond.value, str):
                raise ValueError(f"change {op} {cond.value!r}: change is numeric")
            meets = compare(values, op, float(cond.value))
        else:
            meets = self.arrays.condition_mask(cond, op)
            present = self.arrays.present(cond.variable)
        rows = self.mask & present
        if not rows.any():
            raise ValueError(f"no row of the subset has a value of {cond.variable!r}")
        return float(proportion(meets[rows]).estimate)


def shared_variant(
    arrays: CohortArrays,
    q: Quantity,
    mask: np.ndarray,
    groups: tuple[np.ndarray, np.ndarray] | None,
    sign: float,
    condition_op: str | None,
) -> Variant:
    """The variant of ``q`` on these rows with this sign, cached per cohort (keyed by the
    masks' bytes), so that every specification and every evaluation that selects them
    shares its work."""
    key = (
        q,
        mask.tobytes(),
        None if groups is None else (groups[0].tobytes(), groups[1].tobytes()),
        sign,
        condition_op,
    )
    found = arrays._variants.get(key)
    if found is None:
        found = Variant(arrays, q, mask, groups, sign, condition_op)
        arrays._variants[key] = found
    return found
