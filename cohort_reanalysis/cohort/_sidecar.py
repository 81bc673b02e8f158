"""The sidecar ``<name>.cohort.json`` beside a written table: its specs, measure, unit,
provenance and row numbers, so that the table reads back into an equal Cohort."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .._atomic import write_atomic
from ._errors import CohortValidationError, Problem
from ._spec import ColumnSpec, Provenance

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["Sidecar", "number_rows", "read_sidecar", "sidecar_path", "write_sidecar"]

_FORMAT = "cohort-reanalysis/cohort@1"


def sidecar_path(path: Path) -> Path:
    """Where the sidecar of the table at ``path`` lives.

    Examples
    --------
    >>> sidecar_path(Path("data/table.csv")).name
    'table.cohort.json'
    """
    return path.with_name(path.stem + ".cohort.json")


@dataclass(frozen=True)
class Sidecar:
    """What a sidecar supplies, the caller's own arguments taking precedence."""

    path: Path
    columns: list[ColumnSpec]
    measure: str | None
    unit: str | None
    name: str | None
    provenance: Provenance | None
    rows: Any  # the file rows' numbers when they are not 1..n, else None


def read_sidecar(
    table: Path,
    *,
    measure: str | None,
    unit: str | None,
    name: str | None,
    provenance: Provenance | None,
) -> Sidecar:
    """Read the sidecar of ``table``; ``measure``, ``unit``, ``name`` and ``provenance``
    given by the caller win over the sidecar's.

    Raises
    ------
    CohortValidationError
        If there is no sidecar (naming the table) or it is not a valid cohort description
        (naming the sidecar).
    """
    sidecar = sidecar_path(table)
    if not sidecar.is_file():
        raise CohortValidationError(
            [
                Problem(
                    "no columns given and no sidecar file",
                    hint="pass columns={'before': ..., 'after': ...}",
                )
            ],
            file=table,
        )
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        columns = [ColumnSpec.from_dict(c) for c in meta["columns"]]
        measure = measure if measure is not None else meta.get("measure")
        unit = unit if unit is not None else meta.get("unit")
        name = name if name is not None else meta.get("name")
        if provenance is None and meta.get("provenance") is not None:
            provenance = Provenance.from_dict(meta["provenance"])
        rows = meta.get("rows")
    except (ValueError, TypeError, KeyError, AttributeError) as err:
        # json.JSONDecodeError is a ValueError; a wrong shape fails as one of the others.
        raise CohortValidationError(
            [Problem(f"the sidecar is not a valid cohort description: {err!s}")],
            file=sidecar,
        ) from None
    return Sidecar(sidecar, columns, measure, unit, name, provenance, rows)


def number_rows(raw: pd.DataFrame, sidecar: Sidecar) -> None:
    """Number the rows of a table read back as the sidecar says (when it says)."""
    if sidecar.rows is None:
        return
    import pandas as pd

    if not isinstance(sidecar.rows, list):
        raise CohortValidationError(
            [Problem("the sidecar's rows must be a list of row numbers")], file=sidecar.path
        )
    if len(sidecar.rows) != len(raw):
        raise CohortValidationError(
            [Problem(f"the sidecar numbers {len(sidecar.rows)} rows, the file has {len(raw)}")],
            file=sidecar.path,
        )
    rows = sidecar.rows
    if not all(isinstance(r, int) and not isinstance(r, bool) and r > 0 for r in rows):
        raise CohortValidationError(
            [Problem("the sidecar's row numbers must be whole numbers from 1")],
            file=sidecar.path,
        )
    repeated = sorted(r for r, count in Counter(rows).items() if count > 1)
    if repeated:
        raise CohortValidationError(
            [Problem("the sidecar numbers two rows alike", value=r) for r in repeated],
            file=sidecar.path,
        )
    raw.index = pd.Index(rows, name="row", dtype="int64")


def write_sidecar(
    table: Path,
    *,
    name: str | None,
    measure: str | None,
    unit: str | None,
    columns: Sequence[ColumnSpec],
    provenance: Provenance,
    rows: np.ndarray,
) -> Path:
    """Write the sidecar of the table at ``table``; returns its path."""
    meta = {
        "format": _FORMAT,
        "name": name,
        "measure": measure,
        "unit": unit,
        "columns": [c.to_dict() for c in columns],
        "provenance": provenance.to_dict(),
        # Row numbers name rows of the source file; keep them when they are not 1..n
        # (a blank line in the source leaves a gap).
        "rows": None if _is_positional(rows) else rows.tolist(),
    }
    sidecar = sidecar_path(table)
    write_atomic(sidecar, json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return sidecar


def _is_positional(rows: np.ndarray) -> bool:
    return bool(np.array_equal(rows, np.arange(1, rows.size + 1)))
