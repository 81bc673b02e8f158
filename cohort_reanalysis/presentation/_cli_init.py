"""``cohort-reanalysis init TABLE [--out DIR]``: a dataset folder for a reviewer to fill in.

The folder holds the table (copied byte for byte), a ``metadata.json`` whose column roles
and units are guessed (:mod:`._guess_columns`) and marked as guesses (in each guessed
column's label and in the provenance's notes; the same notes go to stderr), and a claims
file without claims. It is written into a temporary folder beside ``DIR``, loaded and
verified there, and only then renamed to ``DIR``: the folder always loads and verifies, and
a failure leaves nothing behind. An existing ``DIR`` is refused unless it is empty.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

from .._atomic import atomic_folder, write_atomic
from ._guess_columns import ColumnGuess, guess_columns

__all__ = ["cmd_init", "write_dataset_folder"]

_METADATA_FORMAT = "cohort-reanalysis/dataset@1"
_CLAIMS_FORMAT = "cohort-reanalysis/claims@2"


def _dataset_name(table: Path) -> str:
    name = re.sub(r"[^a-z0-9_.-]+", "_", table.stem.lower()).strip("_.-")
    return name or "dataset"


def _metadata(table: Path, name: str, guess: ColumnGuess, n_rows: int) -> dict[str, Any]:
    return {
        "format": _METADATA_FORMAT,
        "name": name,
        "title": (
            f"{table.name}: a dataset folder drafted by cohort-reanalysis init (column roles "
            "and units guessed; check them, and say where the table comes from)"
        ),
        "data_file": table.name,
        "claims_file": "claims.json",
        "measure": guess.measure,
        "unit": guess.unit,
        "sha256": hashlib.sha256(table.read_bytes()).hexdigest(),
        "provenance": {
            "printed_rows": n_rows,
            "notes": [
                "Drafted by cohort-reanalysis init from the table alone: every role and unit "
                "below is a guess until a reviewer has checked it.",
                *guess.notes,
            ],
        },
        "columns": guess.columns,
    }


def _plain(guess: ColumnGuess) -> ColumnGuess:
    """The safest guess: the pair (or measurements) kept, every other column plain text or
    numbers, no units (for a table whose richer guess does not load, e.g. an id repeated
    or a unit that makes its values implausible)."""
    keep = {r: n for r, n in guess.roles.items() if r in ("before", "after")}
    columns = []
    for column in guess.columns:
        plain = {k: v for k, v in column.items() if k in ("name", "role", "dtype", "measure")}
        if column["role"] not in ("before", "after", "measurement"):
            plain["role"] = "covariate"
        if column["role"] in ("id", "sex", "group"):
            plain["dtype"] = "str"
        plain["label"] = f"{column['name']} (guessed: role {plain['role']}; check it)"
        columns.append(plain)
    notes = [n for n in guess.notes if "unit" not in n and "from its name" not in n]
    return ColumnGuess(roles=keep, columns=columns, notes=notes)


def _check(folder: Path) -> None:
    """Load and verify the folder as ``verify FOLDER`` does (raises what they raise)."""
    from ..cohort import load_dataset
    from ..verification._audit import verify

    verify(load_dataset(folder))


def write_dataset_folder(table: Path, out: Path) -> tuple[Path, list[str]]:
    """Write a dataset folder for ``table`` at ``out``; return it and the notes of what was
    guessed.

    Raises
    ------
    ValueError
        If ``out`` exists and is not an empty folder.
    CohortValidationError
        If the table cannot be read, or no guess of its columns loads.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> tmp = Path(tempfile.mkdtemp())
    >>> _ = (tmp / "t.csv").write_text("id,w0,w12\\n1,80,78\\n2,90,85\\n", encoding="utf-8")
    >>> folder, notes = write_dataset_folder(tmp / "t.csv", tmp / "t")
    >>> sorted(p.name for p in folder.iterdir())
    ['claims.json', 'metadata.json', 't.csv']
    >>> notes[-1]
    "guessed: before = 'w0', after = 'w12' (before from its name, after the next numeric column)"
    """
    from ..cohort import CohortValidationError
    from ..cohort._io import read_raw_table

    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ValueError(f"{out}: exists and is not an empty folder; init will not overwrite it")
    if table.name in ("metadata.json", "claims.json"):
        raise ValueError(f"{table}: a table named like a dataset folder's own file; rename it")
    raw = read_raw_table(table).cells
    name = _dataset_name(table)
    guesses = [guess_columns(raw)]
    guesses.append(_plain(guesses[0]))
    out.parent.mkdir(parents=True, exist_ok=True)
    first_error: CohortValidationError | None = None
    for guess in guesses:
        try:
            # Written beside ``out`` and moved into place only once it loads and verifies.
            with atomic_folder(out) as staging:
                shutil.copyfile(table, staging / table.name)
                meta = _metadata(staging / table.name, name, guess, len(raw))
                claims = {"format": _CLAIMS_FORMAT, "dataset": name, "claims": []}
                for file, doc in (("metadata.json", meta), ("claims.json", claims)):
                    write_atomic(
                        staging / file, json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
                    )
                _check(staging)
            return out, guess.notes
        except CohortValidationError as err:
            if first_error is None:
                first_error = err
                why = err.lines()[0].split(": ", 1)[-1]
                guesses[1].notes.append(
                    f"the first guess did not load ({why}), so roles other than before/after "
                    "and units were dropped"
                )
    assert first_error is not None
    raise first_error


def cmd_init(args: argparse.Namespace) -> int:
    """The ``init`` command: write the folder, say on stderr what was guessed."""
    table = Path(args.table)
    if table.is_dir():
        raise ValueError(f"{table}: a folder, not a table file")
    if not table.is_file():
        raise FileNotFoundError(2, "no such file", str(table))
    out = Path(args.out) if args.out is not None else Path.cwd() / _dataset_name(table)
    folder, notes = write_dataset_folder(table, out)
    for note in notes:
        print(f"init: {note}", file=sys.stderr)
    print(
        f"init: wrote {folder} (metadata.json: check every guessed role and unit; "
        f"claims.json: add the paper's claims; then: cohort-reanalysis verify {folder})",
        file=sys.stderr,
    )
    return 0
