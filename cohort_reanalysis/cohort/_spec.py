"""What a table's columns mean (roles, types, units, plausible ranges) and where it came from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import Enum
from types import MappingProxyType
from typing import Any, Literal

__all__ = ["ColumnSpec", "DamagedRows", "Provenance", "Role"]

Dtype = Literal["float", "int", "category", "str"]


class Role(str, Enum):
    """What a column is for. Generic, so body weights or blood pressures fit as well as HbA1c.

    ``before`` and ``after`` are the primary pair of a measure; further measures and visits
    are ``measurement`` columns carrying ``measure`` and ``visit`` labels.

    Examples
    --------
    >>> Role("before") is Role.BEFORE, Role.DOSE.value
    (True, 'dose')
    """

    ID = "id"
    SEX = "sex"
    AGE = "age"
    DOSE = "dose"
    BEFORE = "before"
    AFTER = "after"
    FOLLOWUP = "followup"
    GROUP = "group"
    MEASUREMENT = "measurement"
    COVARIATE = "covariate"


# Roles that may appear at most once in a table.
SINGLE_ROLES = frozenset(
    {Role.ID, Role.SEX, Role.AGE, Role.DOSE, Role.BEFORE, Role.AFTER, Role.FOLLOWUP, Role.GROUP}
)

_DEFAULT_DTYPE: Mapping[Role, Dtype] = MappingProxyType(
    {
        Role.ID: "str",
        Role.SEX: "category",
        Role.AGE: "float",
        Role.DOSE: "float",
        Role.BEFORE: "float",
        Role.AFTER: "float",
        Role.FOLLOWUP: "float",
        Role.GROUP: "category",
        Role.MEASUREMENT: "float",
        Role.COVARIATE: "float",
    }
)


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a patient table: its name in the file, role, type, unit and valid values.

    Parameters
    ----------
    name : str
        Column name as in the file.
    role : Role or str
        What the column is for (see :class:`Role`).
    dtype : {"float", "int", "category", "str"}, optional
        Defaults by role: numbers for measurements, a category for sex and group.
    unit : str, optional
        Unit of the values (``"%"``, ``"mmol/mol"``, ``"months"``).
    plausible : (low, high), optional
        Inclusive range of plausible values; a value outside it is an error, not a warning.
    allow_missing : bool
        Whether an empty cell (or ``NA``/``NaN``) is allowed; missing cells are counted.
    categories : tuple of str, optional
        Allowed codes of a category column (e.g. ``("M", "F")``).
    measure, visit : str, optional
        For ``before``/``after``/``measurement`` columns: which quantity, at which visit.
    label : str, optional
        A human label for reports and figures.

    Examples
    --------
    >>> ColumnSpec("hba1c_before", "before", unit="%", measure="HbA1c", visit="baseline").role
    <Role.BEFORE: 'before'>
    """

    name: str
    role: Role
    dtype: Dtype = "float"
    unit: str | None = None
    plausible: tuple[float, float] | None = None
    allow_missing: bool = True
    categories: tuple[str, ...] | None = None
    measure: str | None = None
    visit: str | None = None
    label: str | None = None

    def __init__(
        self,
        name: str,
        role: Role | str,
        *,
        dtype: Dtype | None = None,
        unit: str | None = None,
        plausible: Sequence[float] | None = None,
        allow_missing: bool | None = None,
        categories: Sequence[str] | None = None,
        measure: str | None = None,
        visit: str | None = None,
        label: str | None = None,
    ) -> None:
        role = Role(role)
        dtype = dtype if dtype is not None else _DEFAULT_DTYPE[role]
        if dtype not in ("float", "int", "category", "str"):
            raise ValueError(f"column {name!r}: unknown dtype {dtype!r}")
        if plausible is not None:
            low, high = (float(v) for v in plausible)
            if not low <= high:
                raise ValueError(f"column {name!r}: plausible range {plausible!r} is empty")
            plausible = (low, high)
        # Ids must identify every row; everything else may be missing unless the spec says not.
        allow = allow_missing if allow_missing is not None else role is not Role.ID
        values = {
            "name": str(name),
            "role": role,
            "dtype": dtype,
            "unit": unit,
            "plausible": plausible,
            "allow_missing": bool(allow),
            "categories": None if categories is None else tuple(str(c) for c in categories),
            "measure": measure,
            "visit": visit,
            "label": label,
        }
        for key, value in values.items():
            object.__setattr__(self, key, value)

    @property
    def is_numeric(self) -> bool:
        return self.dtype in ("float", "int")

    @property
    def display(self) -> str:
        """Label with unit, for tables and axes: ``"HbA1c before treatment (%)"``."""
        text = self.label or self.name
        return f"{text} ({self.unit})" if self.unit else text

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "role": self.role.value, "dtype": self.dtype}
        optional = {
            "unit": self.unit,
            "measure": self.measure,
            "visit": self.visit,
            "label": self.label,
            "plausible": None if self.plausible is None else list(self.plausible),
            "categories": None if self.categories is None else list(self.categories),
        }
        out.update({k: v for k, v in optional.items() if v is not None})
        out["allow_missing"] = self.allow_missing
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ColumnSpec:
        known = {
            "name",
            "role",
            "dtype",
            "unit",
            "plausible",
            "allow_missing",
            "categories",
            "measure",
            "visit",
            "label",
        }
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"column spec has unknown field(s) {sorted(unknown)}")
        if "name" not in data or "role" not in data:
            raise ValueError(f"column spec needs 'name' and 'role': {dict(data)!r}")
        options = {k: v for k, v in data.items() if k not in ("name", "role")}
        return cls(data["name"], data["role"], **options)


@dataclass(frozen=True)
class DamagedRows:
    """Rows whose printed values a reader may doubt (merged cells, a misprint), and why.

    Verification declares a row set without them, so a claim that reproduces only when they
    are left out says so. Numbered as in the file, first data row 1.

    Examples
    --------
    >>> DamagedRows.from_dict({"rows": [51, 52], "note": "merged cells"}).rows
    (51, 52)
    """

    rows: tuple[int, ...]
    note: str

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DamagedRows:
        if set(data) != {"rows", "note"}:
            raise ValueError(f"damaged_rows entries need exactly 'rows' and 'note': {dict(data)!r}")
        rows = tuple(int(r) for r in data["rows"])
        if not rows or min(rows) < 1:
            raise ValueError(f"damaged_rows need row numbers from 1: {data['rows']!r}")
        return cls(rows=rows, note=str(data["note"]))

    def to_dict(self) -> dict[str, Any]:
        return {"rows": list(self.rows), "note": self.note}


def reduce_frozen(obj: Any) -> tuple[Any, tuple[Any, ...]]:
    """``__reduce__`` for a frozen dataclass holding read-only mappings.

    ``MappingProxyType`` cannot be pickled, so such fields travel as plain dicts and are made
    read-only again on arrival: cohorts and results can then go to worker processes.
    """
    values: dict[str, Any] = {}
    proxies: list[str] = []
    for f in fields(obj):
        if not f.init:
            continue
        value = getattr(obj, f.name)
        if isinstance(value, MappingProxyType):
            proxies.append(f.name)
            value = dict(value)
        values[f.name] = value
    return (_rebuild_frozen, (type(obj), values, tuple(proxies)))


def _rebuild_frozen(cls: type[Any], values: dict[str, Any], proxies: tuple[str, ...]) -> Any:
    for name in proxies:
        values[name] = MappingProxyType(values[name])
    return cls(**values)


@dataclass(frozen=True)
class Provenance:
    """Where a table comes from: citation, DOIs, table number, licence, transcription notes.

    ``reported_n`` is the population size the paper reports, which may differ from the
    number of rows it prints (the bundled ``matsuoka2025`` reports 61 and prints 58).

    Examples
    --------
    >>> Provenance(citation="Doe 2025", doi="10.1/x", table="Table 1").doi
    '10.1/x'
    """

    citation: str | None = None
    title: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    doi: str | None = None
    related_dois: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    table: str | None = None
    licence: str | None = None
    url: str | None = None
    reported_n: int | None = None
    printed_rows: int | None = None
    transcription_notes: tuple[str, ...] = ()
    source_kind: str | None = None
    notes: tuple[str, ...] = ()
    damaged_rows: tuple[DamagedRows, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "authors", tuple(self.authors))
        object.__setattr__(self, "transcription_notes", tuple(self.transcription_notes))
        object.__setattr__(self, "notes", tuple(self.notes))
        object.__setattr__(
            self,
            "damaged_rows",
            tuple(
                d if isinstance(d, DamagedRows) else DamagedRows.from_dict(d)
                for d in self.damaged_rows
            ),
        )
        object.__setattr__(self, "related_dois", MappingProxyType(dict(self.related_dois)))

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return reduce_frozen(self)

    @property
    def short(self) -> str:
        """One line for captions: citation, DOI and table."""
        parts = [p for p in (self.citation or self.title, self.table) if p]
        if self.doi and self.doi not in (parts[0] if parts else ""):
            parts.append(f"doi:{self.doi}")
        return ", ".join(parts) if parts else "unknown source"

    def to_dict(self) -> dict[str, Any]:
        return {
            "citation": self.citation,
            "title": self.title,
            "authors": list(self.authors),
            "year": self.year,
            "doi": self.doi,
            "related_dois": dict(self.related_dois),
            "table": self.table,
            "licence": self.licence,
            "url": self.url,
            "reported_n": self.reported_n,
            "printed_rows": self.printed_rows,
            "transcription_notes": list(self.transcription_notes),
            "source_kind": self.source_kind,
            "notes": list(self.notes),
            "damaged_rows": [d.to_dict() for d in self.damaged_rows],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Provenance:
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"provenance has unknown field(s) {sorted(unknown)}")
        return cls(**dict(data))
