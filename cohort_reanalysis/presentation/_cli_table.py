"""``verify TABLE --claims CLAIMS.json [--before COL ...]``: a reviewer's own table, without
a dataset folder or its metadata.

The table is read through the package's one reading path (CSV, TSV, Excel, Parquet); the
roles come from the flags, and those not given are guessed (:mod:`._guess_columns`) and said
on stderr. A flag naming a column the table does not have is an error naming the flag and
the column (every such flag at once). The cohort is named after the table's file, so the
report names it; the claims file's ``dataset`` need not match.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ._guess_columns import ROLE_FLAGS, guess_columns

if TYPE_CHECKING:  # pragma: no cover
    from ..cohort import Cohort

__all__ = ["TABLE_SUFFIXES", "cohort_of_table", "given_roles", "is_table"]

TABLE_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".parquet", ".pq"})


def is_table(target: str) -> bool:
    """Whether ``verify``'s target is a table file (by its suffix), not a dataset."""
    path = Path(target)
    return path.suffix.lower() in TABLE_SUFFIXES and path.name != "metadata.json"


def given_roles(args: argparse.Namespace) -> dict[str, str]:
    """The roles the flags give (``--before COL`` -> ``{"before": COL}``)."""
    return {r: getattr(args, r) for r in ROLE_FLAGS if getattr(args, r, None) is not None}


def cohort_of_table(path: Path, roles: dict[str, str]) -> Cohort:
    """The table as a cohort: roles from ``roles``, the others guessed (notes on stderr).

    Raises
    ------
    CohortValidationError
        If the table cannot be read, a flag names a column it does not have (one problem
        per such flag), or one column is given to two flags.
    """
    from ..cohort import Cohort, CohortValidationError, ColumnSpec, Problem
    from ..cohort._io import read_raw_table

    if path.is_dir():
        raise ValueError(f"{path}: a folder, not a table file")
    if not path.is_file():
        raise FileNotFoundError(2, "no such file", str(path))
    raw = read_raw_table(path).cells
    present = [str(c) for c in raw.columns]
    problems = [
        Problem(
            f"--{role} names no column of the table",
            column,
            hint=f"its columns: {', '.join(present)}",
        )
        for role, column in roles.items()
        if column not in present
    ]
    flags: dict[str, str] = {}
    for role, column in roles.items():
        if column in flags:
            problems.append(
                Problem(f"one column given to both --{flags[column]} and --{role}", column)
            )
        flags.setdefault(column, role)
    if problems:
        raise CohortValidationError(problems, file=path)
    guess = guess_columns(raw, roles)
    for note in guess.notes:
        print(f"verify: {path.name}: {note}", file=sys.stderr)
    specs = [ColumnSpec.from_dict({k: v for k, v in c.items()}) for c in guess.columns]
    return Cohort.read(path, columns=specs, measure=guess.measure, unit=guess.unit, name=path.name)
