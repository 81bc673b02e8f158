"""Bundled datasets: a folder per paper with its table, metadata and claims."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._cohort import Cohort
from ._errors import CohortValidationError, Problem
from ._spec import ColumnSpec, Provenance

__all__ = ["DatasetInfo", "Source", "dataset_info", "list_datasets", "load_dataset"]

_FORMAT = "cohort-reanalysis/dataset@1"
# The keys of metadata.json (docs/metadata-format.md) and what each must hold.
_TEXT_KEYS = ("name", "title", "measure", "unit", "data_file", "claims_file", "sha256")
_KEYS = frozenset({"format", *_TEXT_KEYS, "provenance", "columns", "sources"})
_NULLABLE = frozenset({"measure", "unit", "data_file", "claims_file", "sha256"})
_SHA256 = re.compile(r"[0-9a-f]{64}")
_SOURCE_ID = re.compile(r"[a-z0-9_.-]+")


@dataclass(frozen=True)
class Source:
    """One source a dataset draws on (the table from a textbook, the claims from an
    abstract): an id that claims name in their ``source``, a citation, a DOI or a URL.

    Examples
    --------
    >>> Source("student1908", "Student (1908). The probable error of a mean.",
    ...        doi="10.1093/biomet/6.1.1").doi
    '10.1093/biomet/6.1.1'
    """

    id: str
    citation: str
    doi: str | None = None
    url: str | None = None


def _bundled_root() -> Path:
    """Where the datasets are: inside an installed wheel, else the source tree's datasets/."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "_bundled"
    return installed if installed.is_dir() else package.parent / "datasets"


@dataclass(frozen=True)
class DatasetInfo:
    """What a dataset folder holds, read from its ``metadata.json``.

    Examples
    --------
    >>> info = dataset_info("matsuoka2025")
    >>> info.name, info.has_table, info.measure, info.unit, info.claims_file.name
    ('matsuoka2025', True, 'HbA1c', '%', 'claims.json')
    """

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
    sources: tuple[Source, ...] = ()

    @property
    def has_table(self) -> bool:
        return self.data_file is not None


def list_datasets() -> list[str]:
    """Names of the bundled datasets.

    Returns
    -------
    list of str
        Sorted; each loads with ``load_dataset`` (those with a patient table) and reads
        with ``dataset_info``.

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

    Parameters
    ----------
    name_or_path : str or Path
        A bundled dataset's name (``list_datasets()``) or a folder holding a
        ``metadata.json``.
    allow_outside : bool, default False
        Accept data and claims files outside the folder.

    Returns
    -------
    DatasetInfo
        The dataset's name, title, files, checksum, measure, unit, provenance, columns and
        sources.

    Raises
    ------
    CohortValidationError
        If there is no such dataset, its metadata is not valid UTF-8 JSON, or it names a
        file outside the folder; listing every problem of the ``metadata.json`` (each names
        its field), not only the first.

    Examples
    --------
    >>> dataset_info("matsuoka2025").data_file.name
    'patients.csv'
    """
    folder = _folder(name_or_path)
    meta_path = folder / "metadata.json"
    try:
        meta: Any = json.loads(meta_path.read_text(encoding="utf-8"))
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
    problems, values = _read_metadata(meta)
    if problems:
        raise CohortValidationError(problems, file=meta_path)
    data_file = _inside(folder, meta, "data_file", allow_outside)
    claims_file = _inside(folder, meta, "claims_file", allow_outside)
    return DatasetInfo(
        name=str(values["name"] or folder.name),
        title=str(values["title"] or ""),
        folder=folder,
        data_file=data_file,
        claims_file=claims_file,
        sha256=values["sha256"],
        measure=values["measure"],
        unit=values["unit"],
        provenance=values["provenance"],
        columns=values["columns"],
        sources=values["sources"],
    )


def _problem(path: str, rule: str, value: object = None) -> Problem:
    return Problem(f"bad metadata: field {path!r}: {rule}", value=value)


def _read_metadata(meta: Mapping[str, Any]) -> tuple[list[Problem], dict[str, Any]]:
    """Every problem of a metadata object, and the values read (meaningful if none)."""
    problems: list[Problem] = []
    for key in sorted(set(meta) - _KEYS):
        problems.append(_problem(key, f"unknown field; allowed: {', '.join(sorted(_KEYS))}"))
    if meta.get("format") != _FORMAT:
        problems.append(
            _problem("format", f"metadata format must be {_FORMAT!r}", meta.get("format"))
        )
    values: dict[str, Any] = {}
    for key in _TEXT_KEYS:
        value = meta.get(key)
        values[key] = value
        if value is None:
            if key in meta and key not in _NULLABLE:
                problems.append(_problem(key, "expected a string, got null"))
        elif not isinstance(value, str) or not value.strip():
            problems.append(_problem(key, "expected a non-empty string", value))
    if isinstance(values["sha256"], str) and not _SHA256.fullmatch(values["sha256"]):
        problems.append(_problem("sha256", "64 lowercase hex digits", values["sha256"]))
    values["provenance"] = Provenance()
    provenance = meta.get("provenance", {})
    if not isinstance(provenance, dict):
        problems.append(_problem("provenance", "expected a JSON object", provenance))
    else:
        known = set(Provenance.__dataclass_fields__)
        for key in sorted(set(provenance) - known):
            problems.append(_problem(f"provenance.{key}", "unknown field"))
        try:
            values["provenance"] = Provenance.from_dict(
                {k: v for k, v in provenance.items() if k in known}
            )
        except (TypeError, ValueError) as err:
            problems.append(_problem("provenance", str(err)))
    columns: list[ColumnSpec] = []
    raw_columns = meta.get("columns", [])
    if not isinstance(raw_columns, list):
        problems.append(_problem("columns", "expected a JSON array", raw_columns))
        raw_columns = []
    for i, column in enumerate(raw_columns):
        if not isinstance(column, dict):
            problems.append(_problem(f"columns[{i}]", "expected a JSON object", column))
            continue
        try:
            columns.append(ColumnSpec.from_dict(column))
        except (TypeError, ValueError) as err:
            problems.append(_problem(f"columns[{i}]", str(err)))
    values["columns"] = tuple(columns)
    sources, found = _read_sources(meta.get("sources", []))
    values["sources"] = sources
    return problems + found, values


def _read_sources(raw: object) -> tuple[tuple[Source, ...], list[Problem]]:
    if not isinstance(raw, list):
        return (), [_problem("sources", "expected a JSON array", raw)]
    problems: list[Problem] = []
    out: list[Source] = []
    for i, item in enumerate(raw):
        here = f"sources[{i}]"
        if not isinstance(item, dict):
            problems.append(_problem(here, "expected a JSON object", item))
            continue
        start = len(problems)
        for key in sorted(set(item) - {"id", "citation", "doi", "url"}):
            problems.append(
                _problem(f"{here}.{key}", "unknown field; allowed: citation, doi, id, url")
            )
        for key in ("id", "citation", "doi", "url"):
            value = item.get(key)
            if key in ("id", "citation") and value is None:
                problems.append(_problem(f"{here}.{key}", "missing required field"))
            elif value is not None and (not isinstance(value, str) or not value.strip()):
                problems.append(_problem(f"{here}.{key}", "expected a non-empty string", value))
        if item.get("doi") is None and item.get("url") is None:
            problems.append(_problem(here, "a source gives a doi or a url"))
        source_id = item.get("id")
        if isinstance(source_id, str):
            if not _SOURCE_ID.fullmatch(source_id):
                problems.append(_problem(f"{here}.id", "an id matches [a-z0-9_.-]+", source_id))
            elif source_id in {s.id for s in out}:
                problems.append(_problem(f"{here}.id", "duplicate source id", source_id))
        if len(problems) == start:
            out.append(Source(item["id"], item["citation"], item.get("doi"), item.get("url")))
    return tuple(out), problems


def load_dataset(name_or_path: str | Path, *, allow_outside: bool = False) -> Cohort:
    """Load a bundled dataset by name, or a dataset folder by path, verifying its checksum.

    The data file must lie inside the folder unless ``allow_outside`` (see
    :func:`dataset_info`).

    Parameters
    ----------
    name_or_path : str or Path
        A bundled dataset's name (``list_datasets()``) or a dataset folder.
    allow_outside : bool, default False
        Accept a data file outside the folder.

    Returns
    -------
    Cohort
        The validated table with its column specifications and provenance.

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


def _inside(folder: Path, meta: Mapping[str, Any], key: str, allow_outside: bool) -> Path | None:
    """The file ``meta[key]`` names, refused if it lies outside ``folder`` (unless allowed).

    Checked before anything is opened, so that an error never quotes a file outside the
    folder (a metadata file naming ``/etc/shadow`` would otherwise have its lines shown).
    """
    value = meta.get(key)
    if value is None:
        return None
    meta_path = folder / "metadata.json"
    path = Path(value)  # a non-empty string: _read_metadata has checked it
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
