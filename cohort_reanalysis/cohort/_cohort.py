"""The Cohort: an immutable, validated, typed per-patient table with its provenance."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np

from .._html import html_table
from ._errors import CohortValidationError, Problem
from ._spec import SINGLE_ROLES, ColumnSpec, Provenance, Role, reduce_frozen

# pandas (and the readers and validators built on it) is imported where a table is read, so
# that the classes here unpickle without it: the figure workers draw from results alone.
if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["Cohort", "Exclusion", "PairedData", "Patient"]

# The columns of a table: {role: column name | ColumnSpec | dict of its fields}, or a list of specs.
ColumnsArg: TypeAlias = Mapping[str, "str | ColumnSpec | Mapping[str, Any]"] | Sequence[ColumnSpec]

_SIDECAR_FORMAT = "cohort-reanalysis/cohort@1"


@dataclass(frozen=True)
class Exclusion:
    """A row left out of an analysis, and why. ``row`` is numbered as in the file."""

    row: int
    reason: str


@dataclass(frozen=True)
class Patient:
    """One row of a cohort, typed. ``values`` holds every column by name."""

    row: int
    id: str | None
    sex: str | None
    age: float | None
    dose: float | None
    before: float | None
    after: float | None
    followup: float | None
    group: str | None
    values: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return reduce_frozen(self)

    @property
    def change(self) -> float | None:
        """``after - before``, or ``None`` if either is missing."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class PairedData:
    """The before/after pairs an analysis uses, aligned extras, and the rows left out.

    Change is ``after - before``. ``rows`` are the file row numbers of the pairs used;
    ``excluded`` lists every other row of the cohort with its reason; ``source`` says where
    the table comes from (for the footers of results).
    """

    before: np.ndarray
    after: np.ndarray
    rows: np.ndarray
    excluded: tuple[Exclusion, ...]
    measure: str | None = None
    unit: str | None = None
    before_label: str = "before"
    after_label: str = "after"
    extra: Mapping[str, np.ndarray] = field(default_factory=lambda: MappingProxyType({}))
    source: str | None = None

    def __post_init__(self) -> None:
        for array in (self.before, self.after, self.rows, *self.extra.values()):
            array.setflags(write=False)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return reduce_frozen(self)

    @property
    def n(self) -> int:
        return int(self.rows.size)

    @property
    def change(self) -> np.ndarray:
        return self.after - self.before

    @property
    def n_excluded(self) -> int:
        return len(self.excluded)

    def select(self, mask: np.ndarray) -> PairedData:
        """The pairs where ``mask`` holds (a stratum); exclusions are kept as they were."""
        mask = np.asarray(mask, dtype=bool)
        return PairedData(
            before=self.before[mask],
            after=self.after[mask],
            rows=self.rows[mask],
            excluded=self.excluded,
            measure=self.measure,
            unit=self.unit,
            before_label=self.before_label,
            after_label=self.after_label,
            extra=MappingProxyType({k: v[mask] for k, v in self.extra.items()}),
            source=self.source,
        )


class Cohort:
    """An immutable, validated per-patient table.

    Build one with :meth:`from_csv`, :meth:`from_frame`, :meth:`read` or
    :func:`~cohort_reanalysis.load_dataset`. Rows are numbered as in the source file
    (header excluded, first data row 1), and every result names rows by that number.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"w0": [80.0, 92.5, 71.0], "w12": [78.0, 90.0, 71.5]})
    >>> cohort = Cohort.from_frame(frame, columns={"before": "w0", "after": "w12"},
    ...                            measure="weight", unit="kg")
    >>> len(cohort), cohort.unit
    (3, 'kg')
    >>> cohort.pair().change.tolist()
    [-2.0, -2.5, 0.5]
    """

    __slots__ = ("_columns", "_frame", "_measure", "_name", "_provenance", "_source", "_unit")

    def __init__(
        self,
        frame: pd.DataFrame,
        columns: Sequence[ColumnSpec],
        *,
        measure: str | None = None,
        unit: str | None = None,
        provenance: Provenance | None = None,
        name: str | None = None,
        source: str | None = None,
    ) -> None:
        # Private constructor: callers go through from_frame/from_csv, which validate.
        self._frame = frame.copy()
        self._columns = tuple(columns)
        self._measure = measure
        self._unit = unit
        self._provenance = provenance if provenance is not None else Provenance()
        self._name = name
        self._source = source

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        columns: ColumnsArg,
        measure: str | None = None,
        unit: str | None = None,
        provenance: Provenance | None = None,
        name: str | None = None,
        decimal: str = ".",
        thousands: str | None = None,
    ) -> Cohort:
        """A validated Cohort from a DataFrame.

        Parameters
        ----------
        frame : DataFrame
            One row per patient. Row numbers are positions (first row 1).
        columns : mapping of role to column, or sequence of ColumnSpec
            ``{"before": "hba1c_before", "after": "hba1c_after", "dose": "dose"}``; a value
            may also be a :class:`ColumnSpec` or a dict of its fields. Only ``before`` and
            ``after`` are required. Columns not mapped are kept as text covariates.
        measure, unit : str, optional
            The measured quantity of ``before``/``after`` and its unit (``"HbA1c"``, ``"%"``).
        provenance : Provenance, optional
            Where the table comes from.

        Raises
        ------
        CohortValidationError
            Listing every broken rule at once.
        """
        import pandas as pd

        raw = frame.copy()
        raw.index = pd.RangeIndex(1, len(raw) + 1, name="row")
        return cls._from_raw(
            raw,
            columns=columns,
            measure=measure,
            unit=unit,
            provenance=provenance,
            name=name,
            decimal=decimal,
            thousands=thousands,
            file=None,
        )

    @classmethod
    def _from_raw(
        cls,
        raw: pd.DataFrame,
        *,
        columns: ColumnsArg,
        measure: str | None,
        unit: str | None,
        provenance: Provenance | None,
        name: str | None,
        decimal: str,
        thousands: str | None,
        file: str | None,
    ) -> Cohort:
        """Validate cells whose index already holds the row numbers to report."""
        from ._validate import coerce_columns

        raw = raw.set_axis([str(c) for c in raw.columns], axis=1)
        repeated = sorted({c for c in raw.columns if list(raw.columns).count(c) > 1})
        if repeated:
            raise CohortValidationError(
                [Problem("duplicated column name", name) for name in repeated], file=file
            )
        specs = _resolve_specs(columns, list(raw.columns), measure=measure, unit=unit, file=file)
        if len(raw) == 0:
            raise CohortValidationError([Problem("the table has no rows")], file=file)
        typed, problems = coerce_columns(
            raw, specs, decimal=decimal, thousands=thousands, measure=measure
        )
        if problems:
            raise CohortValidationError(problems, file=file)
        return cls(
            typed, specs, measure=measure, unit=unit, provenance=provenance, name=name, source=file
        )

    @classmethod
    def read(
        cls,
        path: str | Path,
        *,
        columns: ColumnsArg | None = None,
        measure: str | None = None,
        unit: str | None = None,
        provenance: Provenance | None = None,
        name: str | None = None,
        decimal: str = ".",
        thousands: str | None = None,
        encoding: str | None = None,
        delimiter: str | None = None,
        sheet: str | int | None = None,
    ) -> Cohort:
        """A validated Cohort from a CSV, TSV, Excel or Parquet file (chosen by suffix).

        Without ``columns``, the file's sidecar ``<name>.cohort.json`` (written by
        :meth:`to_csv`) supplies specs, measure, unit and provenance.
        """
        path = Path(path)
        if not path.is_file():
            raise CohortValidationError([Problem("no such file")], file=path)
        sidecar = _sidecar_path(path)
        source_rows: list[int] | None = None
        if columns is None:
            if not sidecar.is_file():
                raise CohortValidationError(
                    [
                        Problem(
                            "no columns given and no sidecar file",
                            hint="pass columns={'before': ..., 'after': ...}",
                        )
                    ],
                    file=path,
                )
            try:
                meta = json.loads(sidecar.read_text(encoding="utf-8"))
                columns = [ColumnSpec.from_dict(c) for c in meta["columns"]]
                measure = measure if measure is not None else meta.get("measure")
                unit = unit if unit is not None else meta.get("unit")
                name = name if name is not None else meta.get("name")
                if provenance is None and meta.get("provenance") is not None:
                    provenance = Provenance.from_dict(meta["provenance"])
                source_rows = meta.get("rows")
            except (ValueError, TypeError, KeyError, AttributeError) as err:
                # json.JSONDecodeError is a ValueError; a wrong shape fails as one of the others.
                raise CohortValidationError(
                    [Problem(f"the sidecar is not a valid cohort description: {err!s}")],
                    file=sidecar,
                ) from None
        import pandas as pd

        from ._io import read_raw_table

        raw, _ = read_raw_table(path, sheet=sheet, encoding=encoding, delimiter=delimiter)
        if source_rows is not None:
            if len(source_rows) != len(raw):
                raise CohortValidationError(
                    [
                        Problem(
                            f"the sidecar numbers {len(source_rows)} rows, the file has {len(raw)}"
                        )
                    ],
                    file=sidecar,
                )
            raw.index = pd.Index([int(r) for r in source_rows], name="row")
        return cls._from_raw(
            raw,
            columns=columns,
            measure=measure,
            unit=unit,
            provenance=provenance,
            name=name,
            decimal=decimal,
            thousands=thousands,
            file=str(path),
        )

    @classmethod
    def from_csv(
        cls,
        path: str | Path,
        *,
        columns: ColumnsArg | None = None,
        measure: str | None = None,
        unit: str | None = None,
        provenance: Provenance | None = None,
        name: str | None = None,
        decimal: str = ".",
        thousands: str | None = None,
        encoding: str | None = None,
        delimiter: str | None = None,
    ) -> Cohort:
        """A validated Cohort from a delimited text file (delimiter detected unless given).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
        >>> _ = path.write_text("before,after\\n7.2,6.8\\n8.1,7.0\\n")
        >>> Cohort.from_csv(path, columns={"before": "before", "after": "after"}).pair().n
        2
        """
        return cls.read(
            path,
            columns=columns,
            measure=measure,
            unit=unit,
            provenance=provenance,
            name=name,
            decimal=decimal,
            thousands=thousands,
            encoding=encoding,
            delimiter=delimiter,
        )

    @classmethod
    def from_excel(
        cls,
        path: str | Path,
        *,
        sheet: str | int | None = None,
        columns: ColumnsArg | None = None,
        measure: str | None = None,
        unit: str | None = None,
        provenance: Provenance | None = None,
    ) -> Cohort:
        """A validated Cohort from an Excel sheet (needs openpyxl: the ``excel`` extra)."""
        return cls.read(
            path, sheet=sheet, columns=columns, measure=measure, unit=unit, provenance=provenance
        )

    @classmethod
    def from_parquet(
        cls,
        path: str | Path,
        *,
        columns: ColumnsArg | None = None,
        measure: str | None = None,
        unit: str | None = None,
        provenance: Provenance | None = None,
    ) -> Cohort:
        """A validated Cohort from a Parquet file (needs pyarrow: the ``parquet`` extra)."""
        return cls.read(path, columns=columns, measure=measure, unit=unit, provenance=provenance)

    def to_csv(self, path: str | Path) -> Path:
        """Write the table as CSV and its specs and provenance beside it; returns the sidecar.

        ``Cohort.from_csv(path)`` reads both back into an equal Cohort.
        """
        path = Path(path)
        # NA, not an empty cell: a row whose cells are all missing must not read back as blank.
        self._frame.to_csv(path, index=False, lineterminator="\n", na_rep="NA")
        meta = {
            "format": _SIDECAR_FORMAT,
            "name": self._name,
            "measure": self._measure,
            "unit": self._unit,
            "columns": [c.to_dict() for c in self._columns],
            "provenance": self._provenance.to_dict(),
            # Row numbers name rows of the source file; keep them when they are not 1..n
            # (a blank line in the source leaves a gap).
            "rows": None if _is_positional(self.rows) else self.rows.tolist(),
        }
        sidecar = _sidecar_path(path)
        sidecar.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return sidecar

    # ------------------------------------------------------------------ access
    @property
    def frame(self) -> pd.DataFrame:
        """A copy of the typed table, indexed by file row number."""
        return self._frame.copy()

    @property
    def columns(self) -> tuple[ColumnSpec, ...]:
        return self._columns

    @property
    def provenance(self) -> Provenance:
        return self._provenance

    @property
    def measure(self) -> str | None:
        return self._measure

    @property
    def unit(self) -> str | None:
        return self._unit

    @property
    def name(self) -> str | None:
        return self._name

    @property
    def source(self) -> str | None:
        """The file the table was read from, if any."""
        return self._source

    @property
    def rows(self) -> np.ndarray:
        """File row numbers (first data row 1)."""
        return self._frame.index.to_numpy(dtype=np.int64)

    def column(self, role: Role | str) -> ColumnSpec | None:
        """The spec of the (first) column with this role, else the column of this name.

        A role wins over a column that merely bears the role's name (a text column
        called ``"before"`` does not shadow the column whose role is ``before``).
        """
        try:
            wanted: Role | None = Role(role)
        except ValueError:
            wanted = None
        if wanted is not None:
            found = next((spec for spec in self._columns if spec.role is wanted), None)
            if found is not None or isinstance(role, Role):
                return found
        return next((spec for spec in self._columns if spec.name == role), None)

    def values(self, role: Role | str) -> np.ndarray:
        """Values of a role or column (floats with NaN for missing numbers; objects otherwise).

        Raises
        ------
        KeyError
            If no column has that role or name, listing the ones there are.
        """
        spec = self.column(role)
        if spec is None:
            have = ", ".join(f"{c.name} ({c.role.value})" for c in self._columns)
            raise KeyError(f"no column with role or name {str(role)!r}; columns: {have}")
        series = self._frame[spec.name]
        if spec.is_numeric:
            return series.astype("float64").to_numpy(copy=True)
        return series.astype(object).where(series.notna(), None).to_numpy(copy=True)

    def missing(self) -> dict[str, int]:
        """Missing cells per column."""
        return {c.name: int(self._frame[c.name].isna().sum()) for c in self._columns}

    def pair(
        self,
        *,
        measure: str | None = None,
        baseline: str | None = None,
        followup: str | None = None,
        require: Sequence[str] = (),
    ) -> PairedData:
        """The before/after pairs of a measure, leaving out (and listing) incomplete rows.

        Parameters
        ----------
        measure : str, optional
            Which measure; default the cohort's ``before``/``after`` columns.
        baseline, followup : str, optional
            Visit labels (``"baseline"``, ``"6 months"``) or column names; default the
            ``before`` column (else the first visit) and the ``after`` column (else the last).
        require : sequence of str
            Roles or columns the analysis also needs (e.g. ``("dose",)``); rows missing one
            are excluded too, with that reason. Their values are in ``PairedData.extra``.
        """
        before_spec, after_spec = self._pair_specs(measure, baseline, followup)
        before = self.values(before_spec.name)
        after = self.values(after_spec.name)
        extras = {str(r): self.values(r) for r in require}
        reasons: list[list[str]] = [[] for _ in range(len(self))]
        for label, array in ((before_spec.name, before), (after_spec.name, after), *extras.items()):
            for i in np.flatnonzero(_missing(array)):
                reasons[i].append(f"{label} missing")
        keep = np.array([not r for r in reasons], dtype=bool)
        rows = self.rows
        excluded = tuple(Exclusion(int(rows[i]), ", ".join(r)) for i, r in enumerate(reasons) if r)
        return PairedData(
            before=before[keep].astype("float64"),
            after=after[keep].astype("float64"),
            rows=rows[keep],
            excluded=excluded,
            measure=before_spec.measure or self._measure,
            unit=before_spec.unit or self._unit,
            before_label=before_spec.visit or before_spec.label or before_spec.name,
            after_label=after_spec.visit or after_spec.label or after_spec.name,
            extra=MappingProxyType({k: v[keep] for k, v in extras.items()}),
            source=self._source_text(),
        )

    def _source_text(self) -> str:
        label = f"{self._name}: " if self._name else ""
        if self._provenance != Provenance():
            return label + self._provenance.short
        return label + (self._source or "a table given in memory")

    def _pair_specs(
        self, measure: str | None, baseline: str | None, followup: str | None
    ) -> tuple[ColumnSpec, ColumnSpec]:
        paired_roles = (Role.BEFORE, Role.AFTER, Role.MEASUREMENT)
        candidates = [c for c in self._columns if c.role in paired_roles]
        if measure is None:
            # Never pair two different measures: default to the measure of the before column
            # (else of the first measurement column).
            first = next((c for c in candidates if c.role is Role.BEFORE), candidates[0])
            measure = first.measure or self._measure
            if measure is None:
                candidates = [c for c in candidates if c.measure is None]
        if measure is not None:
            key = measure.casefold()
            candidates = [
                c
                for c in candidates
                if (c.measure or self._measure or "").casefold() == key or c.name == measure
            ]
            if not candidates:
                known = sorted(
                    {
                        c.measure or self._measure or "?"
                        for c in self._columns
                        if c.role in paired_roles
                    }
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

    # ------------------------------------------------------------------ protocols
    def __len__(self) -> int:
        return len(self._frame)

    def __iter__(self) -> Iterator[Patient]:
        by_role = {role: self.column(role) for role in SINGLE_ROLES}
        names = [c.name for c in self._columns]
        for row, record in zip(
            self.rows, self._frame.itertuples(index=False, name=None), strict=True
        ):
            values = {
                n: (None if _is_missing(v) else _plain(v))
                for n, v in zip(names, record, strict=True)
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

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Cohort):
            return NotImplemented
        return (
            self._columns == other._columns
            and self._measure == other._measure
            and self._unit == other._unit
            and self._provenance == other._provenance
            and self._frame.dtypes.equals(other._frame.dtypes)
            and self._frame.equals(other._frame)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        what = f"{self._measure} ({self._unit})" if self._measure else "paired measurements"
        label = self._name or self._provenance.citation or "cohort"
        names = [c.name for c in self._columns]
        return f"<Cohort {label!r}: {len(self)} rows, {what}, columns {names}>"

    def _repr_html_(self) -> str:
        rows = [
            [c.name, c.role.value, c.unit or "", c.dtype, int(self._frame[c.name].isna().sum())]
            for c in self._columns
        ]
        caption = f"Cohort {self._name or ''}: {len(self)} rows"
        footer = f"Source: {self._provenance.short}"
        if self._provenance.reported_n not in (None, len(self)):
            footer += f". The paper reports n = {self._provenance.reported_n}."
        return html_table(
            ["column", "role", "unit", "type", "missing"], rows, caption=caption, footer=footer
        )


def _resolve_specs(
    columns: ColumnsArg,
    present: Sequence[str],
    *,
    measure: str | None,
    unit: str | None,
    file: str | None,
) -> list[ColumnSpec]:
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
    problems = [
        Problem(
            f"role {s.role.value!r} is mapped to a column that does not exist",
            s.name,
            hint=f"columns are: {', '.join(present)}",
        )
        for s in specs
        if s.name not in present
    ]
    roles = [s.role for s in specs]
    names = [s.name for s in specs]
    problems += [
        Problem(
            "one column cannot have two roles",
            name,
            hint=", ".join(s.role.value for s in specs if s.name == name),
        )
        for name in sorted({n for n in names if names.count(n) > 1})
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
    problems += [
        Problem(f"role {r.value!r} is given to more than one column")
        for r in set(roles)
        if r in SINGLE_ROLES and roles.count(r) > 1
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


def _is_positional(rows: np.ndarray) -> bool:
    return bool(np.array_equal(rows, np.arange(1, rows.size + 1)))


def _sidecar_path(path: Path) -> Path:
    return path.with_name(path.stem + ".cohort.json")


def _missing(array: np.ndarray) -> np.ndarray:
    if array.dtype.kind == "f":
        return np.isnan(array)
    return np.array([v is None for v in array], dtype=bool)


def _is_missing(value: object) -> bool:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return True
    pandas = sys.modules.get("pandas")  # only a table pandas read can hold its NA
    return pandas is not None and value is pandas.NA


def _plain(value: object) -> object:
    """numpy scalars as Python scalars, for typed Patient records."""
    return value.item() if isinstance(value, np.generic) else value
