"""Which two columns of a Cohort form its before/after pair, by measure and visit."""

from __future__ import annotations

from collections.abc import Sequence

from ._spec import ColumnSpec, Role

__all__ = ["pair_columns"]


def pair_columns(
    columns: Sequence[ColumnSpec],
    cohort_measure: str | None,
    measure: str | None,
    baseline: str | None,
    followup: str | None,
) -> tuple[ColumnSpec, ColumnSpec]:
    """The before and after columns of a measure (see :meth:`Cohort.pair`).

    ``cohort_measure`` is the measure of columns that name none.

    Raises
    ------
    KeyError
        If no column measures ``measure``, or no visit is ``baseline``/``followup``, listing
        the ones there are.

    Examples
    --------
    >>> specs = [ColumnSpec("w0", Role.BEFORE), ColumnSpec("w12", Role.AFTER)]
    >>> [c.name for c in pair_columns(specs, "weight", None, None, None)]
    ['w0', 'w12']
    """
    paired_roles = (Role.BEFORE, Role.AFTER, Role.MEASUREMENT)
    candidates = [c for c in columns if c.role in paired_roles]
    if measure is None:
        # Never pair two different measures: default to the measure of the before column
        # (else of the first measurement column).
        first = next((c for c in candidates if c.role is Role.BEFORE), candidates[0])
        measure = first.measure or cohort_measure
        if measure is None:
            candidates = [c for c in candidates if c.measure is None]
    if measure is not None:
        key = measure.casefold()
        candidates = [
            c
            for c in candidates
            if (c.measure or cohort_measure or "").casefold() == key or c.name == measure
        ]
        if not candidates:
            known = sorted(
                {c.measure or cohort_measure or "?" for c in columns if c.role in paired_roles}
            )
            raise KeyError(f"no measurements of {measure!r}; measures: {', '.join(known)}")

    def pick(visit: str | None, role: Role, index: int) -> ColumnSpec:
        if visit is not None:
            for c in candidates:
                if visit in (c.visit, c.name):
                    return c
            visits = ", ".join(str(c.visit or c.name) for c in candidates)
            raise KeyError(f"no visit {visit!r}; visits: {visits}")
        return next((c for c in candidates if c.role is role), candidates[index])

    return pick(baseline, Role.BEFORE, 0), pick(followup, Role.AFTER, -1)
