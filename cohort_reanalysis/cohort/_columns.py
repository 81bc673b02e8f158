"""The ``columns=`` argument of a Cohort: roles mapped to columns, resolved into specs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

from ._errors import CohortValidationError, Problem
from ._spec import SINGLE_ROLES, ColumnSpec, Role

__all__ = ["ColumnsArg", "resolve_specs"]

# The columns of a table: {role: column name | ColumnSpec | dict of its fields}, or a list of specs.
ColumnsArg: TypeAlias = Mapping[str, "str | ColumnSpec | Mapping[str, Any]"] | Sequence[ColumnSpec]


def resolve_specs(
    columns: ColumnsArg,
    present: Sequence[str],
    *,
    measure: str | None,
    unit: str | None,
    file: str | None,
) -> list[ColumnSpec]:
    """The specs of every column: the mapped ones checked, the rest kept as text covariates.

    Raises
    ------
    CohortValidationError
        Listing every problem of the mapping at once (unknown roles, missing columns, a
        column with two roles, a numeric role on text, a required role not mapped).
    """
    if isinstance(columns, Mapping):
        valid = {r.value for r in Role}
        unknown = [
            Problem(f"unknown role {role!r}", hint=f"roles are: {', '.join(sorted(valid))}")
            for role in columns
            if role not in valid
        ]
        if unknown:
            raise CohortValidationError(unknown, file=file)
        specs = [
            _spec_for_role(role, value, measure=measure, unit=unit)
            for role, value in columns.items()
        ]
    else:
        specs = list(columns)
    have = set(present)
    problems = [
        Problem(
            f"role {s.role.value!r} is mapped to a column that does not exist",
            s.name,
            hint=f"columns are: {', '.join(present)}",
        )
        for s in specs
        if s.name not in have
    ]
    roles = [s.role for s in specs]
    names = [s.name for s in specs]
    problems += [
        Problem(
            "one column cannot have two roles",
            name,
            hint=", ".join(s.role.value for s in specs if s.name == name),
        )
        for name in sorted(n for n, count in Counter(names).items() if count > 1)
    ]
    numeric_roles = (Role.AGE, Role.DOSE, Role.BEFORE, Role.AFTER, Role.FOLLOWUP, Role.MEASUREMENT)
    problems += [
        Problem(f"role {s.role.value!r} needs numbers, not dtype {s.dtype!r}", s.name)
        for s in specs
        if s.role in numeric_roles and not s.is_numeric
    ]
    problems += [
        Problem(f"required role {r!r} is not mapped to any column")
        for r in ("before", "after")
        if Role(r) not in roles and not any(s.role is Role.MEASUREMENT for s in specs)
    ]
    role_counts = Counter(roles)
    problems += [
        Problem(f"role {r.value!r} is given to more than one column")
        for r, count in role_counts.items()
        if r in SINGLE_ROLES and count > 1
    ]
    if problems:
        raise CohortValidationError(problems, file=file)
    mapped = {s.name for s in specs}
    specs += [
        ColumnSpec(name, Role.COVARIATE, dtype="str") for name in present if name not in mapped
    ]
    return specs


def _spec_for_role(
    role: str,
    value: str | ColumnSpec | Mapping[str, Any],
    *,
    measure: str | None,
    unit: str | None,
) -> ColumnSpec:
    if isinstance(value, ColumnSpec):
        return value
    if isinstance(value, Mapping):
        return ColumnSpec.from_dict({"role": role, **value})
    role_ = Role(role)
    if role_ in (Role.BEFORE, Role.AFTER):
        visit = "before" if role_ is Role.BEFORE else "after"
        return ColumnSpec(value, role_, unit=unit, measure=measure, visit=visit)
    if role_ is Role.SEX:
        return ColumnSpec(value, role_, categories=("M", "F"))
    if role_ is Role.AGE:
        return ColumnSpec(value, role_, unit="years")
    return ColumnSpec(value, role_)
