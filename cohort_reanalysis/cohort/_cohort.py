"""The Cohort: an immutable, validated, typed per-patient table with its provenance."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from .._atomic import atomic_path
from .._html import html_table
from ._columns import ColumnsArg, resolve_specs
from ._errors import CohortValidationError, Problem
from ._pairing import pair_columns
from ._patients import patient_records
from ._printed import Printed, printed_text
from ._records import Exclusion, PairedData, Patient
from ._sidecar import number_rows, read_sidecar, write_sidecar
from ._spec import SINGLE_ROLES, ColumnSpec, Provenance, Role

# pandas (and the readers and validators built on it) is imported where a table is read, so
# that the classes here unpickle without it: the figure workers draw from results alone.
if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["Cohort"]


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

    __slots__ = (
        "_columns",
        "_frame",
        "_measure",
        "_name",
        "_printed",
        "_provenance",
        "_source",
        "_unit",
    )

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
        printed: Mapping[str, Printed] | None = None,
        owned: bool = False,
    ) -> None:
        # Private constructor: callers go through from_frame/from_csv, which validate.
        # ``owned``: the frame was built for this Cohort and shares no caller's data, so it
        # need not be copied (a copy of a million rows costs tens of milliseconds).
        self._frame = frame if owned else frame.copy()
        self._printed = dict(printed or {})
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
        digits: str = "ascii",
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
        decimal, thousands : str, optional
            How text cells write numbers (as for :meth:`read`).
        digits : {"ascii", "any"}
            ``"any"`` reads digits of other scripts (``٧.٥``, ``７.５``) in numeric columns
            as the digits they are; by default such a cell is refused with that hint.

        Cells are read as a CSV's would be: integer and float columns as numbers (NaN is
        missing), every other cell as its text, so a complex number, a boolean or a date in
        a numeric column is refused, never converted.

        Raises
        ------
        CohortValidationError
            Listing every broken rule at once.
        """
        import pandas as pd

        from ._cells import uniform_cells

        raw = uniform_cells(frame)
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
            digits=digits,
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
        digits: str,
        file: str | None,
        read_as_numbers: Mapping[str, Printed] | None = None,
    ) -> Cohort:
        """Validate cells (real numbers or text, see ``_cells``) whose index already holds
        the row numbers to report; ``read_as_numbers`` as ``RawTable.printed``."""
        from ._cells import check_header
        from ._validate import coerce_columns

        check_header(list(raw.columns), file)
        specs = resolve_specs(columns, list(raw.columns), measure=measure, unit=unit, file=file)
        if len(raw) == 0:
            raise CohortValidationError([Problem("the table has no rows")], file=file)
        printed: dict[str, Printed] = {}
        typed, problems = coerce_columns(
            raw,
            specs,
            decimal=decimal,
            thousands=thousands,
            measure=measure,
            digits=digits,
            printed=printed,
            read_as_numbers=read_as_numbers,
        )
        if problems:
            raise CohortValidationError(problems, file=file)
        for text in printed.values():
            if isinstance(text, np.ndarray):
                text.setflags(write=False)
        return cls(
            typed,
            specs,
            measure=measure,
            unit=unit,
            provenance=provenance,
            name=name,
            source=file,
            printed=printed,
            owned=True,  # coerce_columns built it from cells copied out of the input
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
        digits: str = "ascii",
    ) -> Cohort:
        """A validated Cohort from a CSV, TSV, Excel or Parquet file (chosen by suffix).

        Without ``columns``, the file's sidecar ``<name>.cohort.json`` (written by
        :meth:`to_csv`) supplies specs, measure, unit and provenance. Every format's cells
        go through the same rules (the same missing tokens, the same refusals), so the same
        table gives the same Cohort, or the same error, in each. ``digits="any"`` reads
        digits of other scripts as their ASCII digits (see :meth:`from_frame`).

        Raises
        ------
        CohortValidationError
            For a file that cannot be read as a table (naming it and why), and listing every
            broken rule of its cells at once.
        """
        from ._io import check_regular_file, read_raw_table

        path = Path(path)
        check_regular_file(path)
        sidecar = None
        if columns is None:
            sidecar = read_sidecar(
                path, measure=measure, unit=unit, name=name, provenance=provenance
            )
            columns, measure, unit = sidecar.columns, sidecar.measure, sidecar.unit
            name, provenance = sidecar.name, sidecar.provenance
        table = read_raw_table(path, sheet=sheet, encoding=encoding, delimiter=delimiter)
        if sidecar is not None:
            number_rows(table.cells, sidecar)
        return cls._from_raw(
            table.cells,
            read_as_numbers=table.printed,
            columns=columns,
            measure=measure,
            unit=unit,
            provenance=provenance,
            name=name,
            decimal=decimal,
            thousands=thousands,
            digits=digits,
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
        digits: str = "ascii",
    ) -> Cohort:
        """A validated Cohort from a delimited text file (delimiter detected unless given).

        Raises
        ------
        CohortValidationError
            As :meth:`read`.

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
            digits=digits,
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
        digits: str = "ascii",
    ) -> Cohort:
        """A validated Cohort from an Excel sheet (needs openpyxl: the ``excel`` extra).

        Cells are read as written, by the rules of a CSV's text (``n/a`` or ``#N/A`` is
        refused, not missing); a formula cell must hold the value a spreadsheet program
        saved with it.

        Raises
        ------
        CohortValidationError
            As :meth:`read`.
        """
        return cls.read(
            path,
            sheet=sheet,
            columns=columns,
            measure=measure,
            unit=unit,
            provenance=provenance,
            digits=digits,
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
        digits: str = "ascii",
    ) -> Cohort:
        """A validated Cohort from a Parquet file (needs pyarrow: the ``parquet`` extra).

        Raises
        ------
        CohortValidationError
            As :meth:`read`.
        """
        return cls.read(
            path, columns=columns, measure=measure, unit=unit, provenance=provenance, digits=digits
        )

    def to_csv(self, path: str | Path) -> Path:
        """Write the table as CSV and its specs and provenance beside it; returns the sidecar.

        ``Cohort.from_csv(path)`` reads both back into an equal Cohort, whose numeric cells
        print as they did (:meth:`printed`: ``"2"`` stays ``"2"``, not ``"2.0"``).
        """
        path = Path(path)
        frame = self._frame
        if self._printed:
            frame = frame.copy()
            for name in list(self._printed):
                # The values are the text's; the text keeps the printed precision.
                text = self.printed(name)
                assert text is not None
                missing = frame[name].isna().to_numpy()
                frame[name] = [None if m else t for t, m in zip(text, missing, strict=True)]
        # NA, not an empty cell: a row whose cells are all missing must not read back as blank.
        with atomic_path(path) as tmp:
            frame.to_csv(tmp, index=False, lineterminator="\n", na_rep="NA")
        return write_sidecar(
            path,
            name=self._name,
            measure=self._measure,
            unit=self._unit,
            columns=self._columns,
            provenance=self._provenance,
            rows=self.rows,
        )

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
        # to_numpy, not astype: a tenth of the time, the same array (Int64's NA is NaN).
        if spec.is_numeric:
            return series.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
        if series.dtype == "category":  # (to_numpy would make int categories floats)
            return series.astype(object).where(series.notna(), None).to_numpy(copy=True)
        out = series.to_numpy(dtype=object, copy=True)
        out[series.isna().to_numpy()] = None
        return out

    def printed(self, role: Role | str) -> np.ndarray | None:
        """The cells of a numeric column as the file printed them, or None.

        Text, one string per row (stripped, thousands separators removed, the decimal mark a
        point, digits ASCII; a missing cell keeps its token, ``""`` or ``NA``), so that the
        printed precision the float loses is kept: ``"1.20"`` and ``"1.2"`` are the same
        number, printed to two decimals and to one. None for a text column, or a numeric
        column that came as numbers (a DataFrame's float column, a spreadsheet's number
        cells, Parquet), whose printed form is not known.

        Raises
        ------
        KeyError
            If no column has that role or name.

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"b": ["7.20", "8.1"], "a": [6.8, 7.0]})
        >>> cohort = Cohort.from_frame(frame, columns={"before": "b", "after": "a"})
        >>> cohort.printed("before").tolist(), cohort.values("before").tolist()
        (['7.20', '8.1'], [7.2, 8.1])
        >>> cohort.printed("a") is None
        True
        """
        spec = self.column(role)
        if spec is None:
            self.values(role)  # raises the KeyError that lists the columns
        assert spec is not None
        text = self._printed.get(spec.name)
        if text is None:
            return None
        # Read in bulk, the text was kept as bytes until asked for (50 bytes a cell as str).
        strings = self._printed[spec.name] = printed_text(text)
        return strings

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
        before_spec, after_spec = pair_columns(
            self._columns, self._measure, measure, baseline, followup
        )
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

    # ------------------------------------------------------------------ protocols
    def __len__(self) -> int:
        return len(self._frame)

    def __iter__(self) -> Iterator[Patient]:
        by_role = {role: self.column(role) for role in SINGLE_ROLES}
        yield from patient_records(self.rows, self._frame, self._columns, by_role)

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


def _missing(array: np.ndarray) -> np.ndarray:
    if array.dtype.kind == "f":
        return np.isnan(array)
    return np.array([v is None for v in array], dtype=bool)
