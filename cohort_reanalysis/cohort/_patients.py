"""A cohort's rows as Patient records: each cell a plain Python value, None if missing."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from ._records import Patient
from ._spec import ColumnSpec, Role

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["patient_records"]


def patient_records(
    rows: np.ndarray,
    frame: pd.DataFrame,
    columns: Sequence[ColumnSpec],
    by_role: Mapping[Role, ColumnSpec | None],
) -> Iterator[Patient]:
    """Each row of a cohort's typed ``frame`` as a Patient, numbered by ``rows``.

    ``by_role`` gives the column of each single role (None where the cohort has none).
    """
    names = [c.name for c in columns]
    for row, record in zip(rows, frame.itertuples(index=False, name=None), strict=True):
        values = {
            n: (None if _is_missing(v) else _plain(v)) for n, v in zip(names, record, strict=True)
        }

        def get(role: Role, values: dict[str, object] = values) -> Any:
            spec = by_role[role]
            return None if spec is None else values[spec.name]

        yield Patient(
            row=int(row),
            id=None if get(Role.ID) is None else str(get(Role.ID)),
            sex=get(Role.SEX),
            age=get(Role.AGE),
            dose=get(Role.DOSE),
            before=get(Role.BEFORE),
            after=get(Role.AFTER),
            followup=get(Role.FOLLOWUP),
            group=get(Role.GROUP),
            values=MappingProxyType(values),
        )


def _is_missing(value: object) -> bool:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return True
    pandas = sys.modules.get("pandas")  # only a table pandas read can hold its NA
    return pandas is not None and value is pandas.NA


def _plain(value: object) -> object:
    """numpy scalars as Python scalars, for typed Patient records."""
    return value.item() if isinstance(value, np.generic) else value
