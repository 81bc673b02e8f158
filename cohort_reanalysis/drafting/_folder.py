"""The dataset folder a draft writes: the transcribed table and its metadata, as files.

``cohort-reanalysis draft PAPER --out DIR`` writes a dataset folder (``docs/metadata-format.md``):
``patients.csv`` (the table printed in the text, as :func:`find_table` transcribed it),
``metadata.json`` (its columns, with roles and units guessed from the printed header and
said to be guesses, and every repair of the transcription as a note) and ``claims.json``.
This module builds the first two as bytes; the claims are drafted against the table they
describe once it has been read back as a dataset. A text without a table gives a folder of
summary-level claims only (``data_file`` null).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any

from ._table import DraftTable, guess_column

__all__ = ["CLAIMS_FILE", "DATA_FILE", "METADATA_FILE", "dataset_files", "table_roles"]

DATA_FILE = "patients.csv"
METADATA_FILE = "metadata.json"
CLAIMS_FILE = "claims.json"
_FORMAT = "cohort-reanalysis/dataset@1"
_CATEGORY_ROLES = ("sex",)


def table_roles(labels: Sequence[str]) -> dict[str, str]:
    """Roles guessed from a table's header: ``{role: column}``, the first column of each role.

    Examples
    --------
    >>> table_roles(["Sex", "Age", "hba1c_before", "HbA1c after", "note"])
    {'sex': 'Sex', 'age': 'Age', 'before': 'hba1c_before', 'after': 'HbA1c after'}
    """
    roles: dict[str, str] = {}
    for label in labels:
        role = guess_column(label.replace("_", " "), None)["role"]
        if role != "other" and role not in roles:
            roles[role] = label
    return roles


def _columns(table: DraftTable) -> tuple[list[dict[str, Any]], list[str]]:
    """Metadata columns from the guessed ones: each role once, names unique."""
    out: list[dict[str, Any]] = []
    said: list[str] = []
    roles: set[str] = set()
    names: set[str] = set()
    for i, col in enumerate(table.columns):
        role = col["role"]
        if role == "other" or role in roles:
            role = "covariate"
        roles.add(role)
        name, k = col["name"], 2
        while name in names:
            name, k = f"{col['name']}_{k}", k + 1
        names.add(name)
        spec: dict[str, Any] = {"name": name, "role": role, "label": col["label"]}
        if role in _CATEGORY_ROLES:
            values = sorted({row[i] for row in table.rows if row[i]})
            spec.update(dtype="category", categories=values)
        elif role == "covariate" and not all(_number(row[i]) for row in table.rows if row[i]):
            spec["dtype"] = "str"
        for key in ("unit", "measure"):
            if col.get(key):
                spec[key] = col[key]
        out.append(spec)
        unit = f", {col['unit']}" if col.get("unit") else ""
        said.append(f"{col['label']!r} -> {name} ({role}{unit})")
    return out, said


def _number(cell: str) -> bool:
    return bool(re.fullmatch(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", cell))


def dataset_files(
    name: str, table: DraftTable | None, *, title: str, claims_file: str = CLAIMS_FILE
) -> dict[str, bytes]:
    """``patients.csv`` and ``metadata.json`` of a drafted dataset folder, as bytes.

    Parameters
    ----------
    name : str
        The dataset's name (``[a-z0-9_.-]+``), as its claims file names it.
    table : DraftTable or None
        The table transcribed from the text; None for a text that prints none.
    title : str
        One line for reports (the paper's file name, say).
    claims_file : str
        The claims file the metadata names.

    Examples
    --------
    >>> from cohort_reanalysis.drafting import find_table
    >>> t = find_table("| Sex | Age |\\n|---|---|\\n| M | 66 |\\n| F | 42 |\\n| M | 5 |")
    >>> files = dataset_files("demo", t, title="demo")
    >>> print(files["patients.csv"].decode(), end="")
    sex,age
    M,66
    F,42
    M,5
    >>> meta = json.loads(files["metadata.json"])
    >>> [(c["name"], c["role"]) for c in meta["columns"]], meta["provenance"]["printed_rows"]
    ([('sex', 'sex'), ('age', 'age')], 3)
    """
    meta: dict[str, Any] = {
        "format": _FORMAT,
        "name": name,
        "title": title,
        "data_file": None,
        "sha256": None,
        "claims_file": claims_file,
        "provenance": {},
        "columns": [],
    }
    files: dict[str, bytes] = {}
    if table is not None:
        columns, said = _columns(table)
        csv = table.to_csv().splitlines(keepends=True)
        csv[0] = ",".join(c["name"] for c in columns) + "\n"
        data = "".join(csv).encode("utf-8")
        files[DATA_FILE] = data
        before = next((c for c in columns if c["role"] == "before"), None)
        meta.update(
            data_file=DATA_FILE,
            sha256=hashlib.sha256(data).hexdigest(),
            measure=None if before is None else before.get("measure"),
            unit=None if before is None else before.get("unit"),
            columns=columns,
        )
        notes = [
            "Transcribed by cohort-reanalysis draft from the text; check every value against "
            "the printed table.",
            "Column roles and units are guessed from the printed header, to be checked: "
            + "; ".join(said)
            + ".",
            *table.notes,
        ]
        meta["provenance"] = {"printed_rows": len(table.rows), "transcription_notes": notes}
        if table.damaged_rows:
            meta["provenance"]["damaged_rows"] = table.damaged_rows
    files[METADATA_FILE] = (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode()
    return files
