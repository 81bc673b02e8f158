"""Recompute a claim's quantity from a cohort, under one specification or the whole space.

:func:`recompute` computes one value; :func:`evaluate_space` computes every value a
claim's declared space (``_space``) can give, sharing work: a condition's mask is built
once per side of its boundary and cached per cohort, subsets are ANDs of cached masks, all
nine quantile definitions come from one sort (``quantiles_all_types``), and each test or
correlation is computed once per data variant whatever the other choices are.

Which rows and which sign a specification selects is decided here (:func:`_variant`: the
subset and groups on each side of their boundaries, the row set, the direction, the side of
a proportion's condition); what is computed on them is the variant's (``_variant``: every
statistic but the tests; ``_test_statistics``: p-values, intervals, test statistics, df,
SEs and effect sizes, by design). Every statistic comes from the analyses' kernel
(:mod:`cohort_reanalysis.analyses._kernel`), the same functions the result builders call;
verification only selects the rows, caches the work and searches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..cohort import Cohort
from ._cohort_arrays import CohortArrays
from ._space import DIRECTION, ROUNDING, ROWS, ClaimSpace, boundary_name, build_space
from ._space_values import SpaceValues, space_values
from ._specification import Specification
from ._variant import Failure, Outcome, Value, Variant, shared_variant
from .claims import Condition, Quantity

__all__ = [
    "ROW_BY_ROW",
    "Failure",
    "Outcome",
    "Value",
    "by_key",
    "evaluate_space",
    "not_recomputed",
    "recompute",
]

#: Checked row by row (``_row_identity``), never recomputed here as one value: the search
#: leaves them alone and ``verify`` judges them there.
ROW_BY_ROW = frozenset({"row_identity"})


def not_recomputed(quantity: Quantity) -> str | None:
    """Why this quantity is not recomputed as one value over a space, or None if it is.

    Examples
    --------
    >>> not_recomputed(Quantity("row_identity"))
    "statistic 'row_identity' is checked row by row, not as one value"
    >>> not_recomputed(Quantity("ci", variable="change")) is None
    True
    """
    if quantity.statistic in ROW_BY_ROW:
        return f"statistic {quantity.statistic!r} is checked row by row, not as one value"
    return None


def _variant(arrays: CohortArrays, q: Quantity, data: Mapping[str, Any]) -> Variant:
    """The shared variant of ``q`` for one assignment of the data choices."""
    rows = arrays.rows_mask(data[ROWS])

    def mask_of(conds: Sequence[Condition]) -> np.ndarray:
        ops = [data.get(boundary_name(c), c.op) for c in conds]
        return rows & arrays.subset_mask(conds, ops, q.pair)

    mask = mask_of(q.subset)
    groups = None if q.groups is None else (mask_of(q.groups[0]), mask_of(q.groups[1]))
    direction = data.get(DIRECTION, q.direction or "change")
    sign = -1.0 if direction == "reduction" else 1.0
    cond = q.condition
    condition_op = None if cond is None else data.get(boundary_name(cond), cond.op)
    return shared_variant(arrays, q, mask, groups, sign, condition_op)


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
    return by_key(space, space_values(arrays, quantity, space))


def by_key(space: ClaimSpace, values: SpaceValues) -> dict[tuple[Any, ...], Outcome]:
    """The values of a space's rows keyed as :func:`evaluate_space` keys them."""
    keep = [j for j, n in enumerate(space.names) if n != ROUNDING]
    columns = [
        np.array(space.choices[j].values, dtype=object)[space.codes[:, j]].tolist() for j in keep
    ]
    return dict(zip(zip(*columns, strict=True), values.outcomes(), strict=True))


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
