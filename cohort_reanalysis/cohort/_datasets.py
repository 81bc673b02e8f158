"""Bundled datasets: a folder per paper with its table, metadata and claims."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._cohort import Cohort
from ._errors import CohortValidationError, Problem
from ._spec import ColumnSpec, Provenance

__all__ = ["DatasetInfo", "dataset_info", "list_datasets", "load_dataset"]

_FORMAT = "cohort-reanalysis/dataset@1"


def _bundled_root() -> Path:
    """Where the datasets are: inside an installed wheel, else the source tree's datasets/."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "_bundled"
    return installed if installed.is_dir() else package.parent / "datasets"


@dataclass(frozen=True)
class DatasetInfo:
    """What a dataset folder holds, read from its ``metadata.json``."""

    name: str
    title: str
    folder: Path
    data_file: Path | None
    claims_file: Path | None
    sha256: str | None
    measure: str | None
    unit: str | None
    provenance: Provenance
    columns: tuple[ColumnSpec, ...]

    @property
    def has_table(self) -> bool:
        return self.data_file is not None


def list_datasets() -> list[str]:
    """Names of the bundled datasets.

    Examples
    --------
    >>> "matsuoka2025" in list_datasets()
    True
    """
    root = _bundled_root()
    return sorted(p.parent.name for p in root.glob("*/metadata.json"))


def dataset_info(name_or_path: str | Path, *, allow_outside: bool = False) -> DatasetInfo:
    """Metadata of a bundled dataset (by name) or of a dataset folder (by path).

    The files the metadata names (``data_file``, ``claims_file``) must lie inside the
    dataset folder: a relative path without ``..`` that no symbolic link leads out of.
    ``allow_outside=True`` lifts that rule for a folder you trust.

    Raises
    ------
    CohortValidationError
        If there is no such dataset, its metadata is not valid UTF-8 JSON of the dataset
        format, or it names a file outside the folder.
    """
    folder = _folder(name_or_path)
    meta_path = folder / "metadata.json"
    try:
        meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as err:
        raise CohortValidationError(
            [Problem(f"metadata is not UTF-8 text (byte {err.start})", hint="save it as UTF-8")],
            file=meta_path,
        ) from None
    except OSError as err:
        raise CohortValidationError(
            [Problem(f"cannot read the metadata: {err.strerror or type(err).__name__}")],
            file=meta_path,
        ) from None
    except json.JSONDecodeError as err:
        raise CohortValidationError(
            [Problem(f"metadata is not valid JSON (line {err.lineno}, column {err.colno})")],
            file=meta_path,
        ) from None
    if not isinstance(meta, dict):
        raise CohortValidationError(
            [Problem("metadata must be a JSON object", value=type(meta).__name__)], file=meta_path
        )
    if meta.get("format") != _FORMAT:
        raise CohortValidationError(
            [Problem(f"metadata format must be {_FORMAT!r}", value=meta.get("format"))],
            file=meta_path,
        )
    data_file = _inside(folder, meta, "data_file", allow_outside)
    claims_file = _inside(folder, meta, "claims_file", allow_outside)
    try:
        return DatasetInfo(
            name=str(meta.get("name", folder.name)),
            title=str(meta.get("title", "")),
            folder=folder,
            data_file=data_file,
            claims_file=claims_file,
            sha256=meta.get("sha256"),
            measure=meta.get("measure"),
            unit=meta.get("unit"),
            provenance=Provenance.from_dict(meta.get("provenance", {})),
            columns=tuple(ColumnSpec.from_dict(c) for c in meta.get("columns", [])),
        )
    except (TypeError, ValueError) as err:
        raise CohortValidationError([Problem(f"bad metadata: {err}")], file=meta_path) from None


def load_dataset(name_or_path: str | Path, *, allow_outside: bool = False) -> Cohort:
    """Load a bundled dataset by name, or a dataset folder by path, verifying its checksum.

    The data file must lie inside the folder unless ``allow_outside`` (see
    :func:`dataset_info`).

    Raises
    ------
    CohortValidationError
        If the dataset cannot be found or read, or its table breaks a rule.

    Examples
    --------
    >>> cohort = load_dataset("matsuoka2025")
    >>> len(cohort), cohort.provenance.reported_n
    (58, 61)
    """
    info = dataset_info(name_or_path, allow_outside=allow_outside)
    if info.data_file is None:
        raise CohortValidationError(
            [Problem("this dataset has no patient table (summary-level claims only)")],
            file=info.folder / "metadata.json",
        )
    if not info.data_file.exists():
        raise CohortValidationError(
            [Problem("the metadata names a data file that does not exist")], file=info.data_file
        )
    from ._io import check_regular_file  # pandas is imported where a table is read

    check_regular_file(info.data_file)
    if info.sha256 is not None:
        digest = hashlib.sha256(info.data_file.read_bytes()).hexdigest()
        if digest != info.sha256:
            raise CohortValidationError(
                [
                    Problem(
                        "checksum mismatch: the data file is not the one its metadata describes",
                        value=digest,
                        hint=f"metadata says sha256 {info.sha256}",
                    )
                ],
                file=info.data_file,
            )
    return Cohort.read(
        info.data_file,
        columns=list(info.columns),
        measure=info.measure,
        unit=info.unit,
        provenance=info.provenance,
        name=info.name,
    )


def _inside(folder: Path, meta: dict[str, Any], key: str, allow_outside: bool) -> Path | None:
    """The file ``meta[key]`` names, refused if it lies outside ``folder`` (unless allowed).

    Checked before anything is opened, so that an error never quotes a file outside the
    folder (a metadata file naming ``/etc/shadow`` would otherwise have its lines shown).
    """
    value = meta.get(key)
    if value is None:
        return None
    meta_path = folder / "metadata.json"
    if not isinstance(value, str) or not value.strip():
        raise CohortValidationError(
            [Problem(f"{key} must be a file name (text)", value=value)], file=meta_path
        )
    path = Path(value)
    if allow_outside:
        return path if path.is_absolute() else folder / path
    hint = "name a file in the dataset folder, or pass allow_outside=True if you trust it"
    if path.is_absolute() or ".." in path.parts:
        rule = f"{key} must be a path inside the dataset folder (not absolute, no '..')"
        raise CohortValidationError([Problem(rule, value=value, hint=hint)], file=meta_path)
    inside = folder / path
    try:
        inside.resolve().relative_to(folder.resolve())
    except ValueError:
        rule = f"{key} leads out of the dataset folder through a symbolic link"
        raise CohortValidationError(
            [Problem(rule, value=value, hint=hint)], file=meta_path
        ) from None
    return inside


def _folder(name_or_path: str | Path) -> Path:
    if not isinstance(name_or_path, (str, os.PathLike)):
        raise CohortValidationError(
            [
                Problem(
                    "a dataset is named by its name or its folder's path",
                    value=type(name_or_path).__name__,
                    hint=f"bundled datasets: {', '.join(list_datasets()) or 'none'}",
                )
            ]
        )
    candidate = Path(name_or_path)
    if (candidate / "metadata.json").is_file():
        return candidate
    if candidate.name == "metadata.json" and candidate.is_file():
        return candidate.parent
    bundled = _bundled_root() / str(name_or_path)
    if (
        isinstance(name_or_path, str)
        and "/" not in name_or_path
        and (bundled / "metadata.json").is_file()
    ):
        return bundled
    known = ", ".join(list_datasets()) or "none"
    raise CohortValidationError(
        [
            Problem(
                f"no dataset named {str(name_or_path)!r} and no dataset folder at that path",
                hint=f"bundled datasets: {known}",
            )
        ],
        file=str(name_or_path),
    )
