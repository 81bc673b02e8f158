"""Table one: the descriptive characteristics of a cohort, as a paper's first table prints them.

Every variable is summarised over its own non-missing cells (missing cells are counted per
variable; no row is dropped). Roles absent from the cohort are simply not listed.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from .._format import format_number, format_plain
from .._html import html_table
from ..cohort import Cohort, ColumnSpec, Exclusion, Role
from ._kernel._quantiles import quantiles
from ._result import AnalysisResult, Estimate

__all__ = ["TableOne", "table_one"]

_QUANTILE_TYPE = 7

_NUMERIC_COLUMNS = [
    "n",
    "missing",
    "count",
    "percent",
    "mean",
    "sd",
    "median",
    "q1",
    "q3",
    "min",
    "max",
]
COLUMNS = ["characteristic", "value", "statistic", "variable", *_NUMERIC_COLUMNS, "note"]

# (role, summary) in the order a paper's Table 1 lists them.
_LAYOUT: tuple[tuple[Role, str], ...] = (
    (Role.SEX, "counts"),
    (Role.GROUP, "counts"),
    (Role.AGE, "mean"),
    (Role.DOSE, "median"),
    (Role.BEFORE, "mean"),
    (Role.AFTER, "mean"),
    (Role.FOLLOWUP, "median_iqr"),
)


def _order_stat(x: float) -> str:
    """Order statistics (min, max, median, quartiles) as printed: no padding zeros."""
    return format_plain(x)


@dataclass(frozen=True)
class TableOne(AnalysisResult):
    """Descriptive characteristics of a cohort (a paper's "Table 1").

    Attributes
    ----------
    n : int
        Rows in the table.
    reported_n : int or None
        The n the source reports, when known (it may differ from the rows printed).
    source : str
        Short provenance of the table.
    name : str or None
        Dataset name.
    quantile_type : int
        Hyndman & Fan type of the quartiles (7: R's and numpy's default).
    missing : mapping of str to int
        Missing cells per listed variable (column name).
    rows : ndarray
        File row numbers summarised (all of them: missing cells are counted per variable).
    excluded : tuple of Exclusion
        Always empty: no row is dropped.

    Use :attr:`frame` (or :meth:`to_frame`) for the table: one row per characteristic with a
    display ``value`` and the numbers behind it at full precision.

    Examples
    --------
    The preprint reports 61 patients and prints 58 rows, 42 of them men:

    >>> from cohort_reanalysis import load_dataset, table_one
    >>> table = table_one(load_dataset("matsuoka2025"))
    >>> table.n, table.reported_n
    (58, 61)
    >>> table.frame.set_index("characteristic").loc["Sex: M", "value"]
    '42 (72.4%)'
    """

    n: int
    reported_n: int | None
    source: str
    name: str | None
    quantile_type: int
    missing: Mapping[str, int]
    rows: np.ndarray = field(repr=False, compare=False)
    excluded: tuple[Exclusion, ...]
    table: pd.DataFrame = field(repr=False, compare=False)

    @property
    def frame(self) -> pd.DataFrame:
        """The table (a copy): ``characteristic``, ``value`` (for display), the numbers."""
        return self.table.copy()

    def to_frame(self) -> pd.DataFrame:
        """The table as a DataFrame (a copy), numbers at full precision."""
        return self.table.copy()

    def _title(self) -> str:
        label = f" of {self.name}" if self.name else ""
        return f"Table one{label}: n = {self.n}"

    def _footer(self) -> str:
        parts = [f"{self.n} row" + ("" if self.n == 1 else "s")]
        gaps = {k: v for k, v in self.missing.items() if v}
        parts.append(
            "Missing cells: " + ", ".join(f"{k} {v}" for k, v in gaps.items())
            if gaps
            else "No missing cells"
        )
        parts.append(f"Quartiles by R type {self.quantile_type}")
        if self.source:
            parts.append(f"Source: {self.source}")
        return ". ".join(parts) + "."

    def _warnings(self) -> list[str]:
        if self.reported_n is None or self.reported_n == self.n:
            return []
        return [
            f"the source reports n = {self.reported_n} but its table has {self.n} rows; "
            "every number here is of the rows printed"
        ]

    def _display_rows(self) -> list[list[str]]:
        pairs = zip(self.table["characteristic"], self.table["value"], strict=True)
        return [[str(c), str(v)] for c, v in pairs]

    def __str__(self) -> str:
        table = [["characteristic", "value"], *self._display_rows()]
        width = max(len(r[0]) for r in table)
        lines = [self._title()]
        lines += [f"{r[0].ljust(width)}  {r[1]}".rstrip() for r in table]
        lines += [textwrap.fill(c, 100, subsequent_indent="    ") for c in self.caveats()]
        lines.append(textwrap.fill(self._footer(), 100))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return html_table(
            ["characteristic", "value"],
            self._display_rows(),
            caption=self._title(),
            footer=self._footer(),
            notes=self.caveats(),
        )

    def _estimates(self) -> Sequence[Estimate]:
        out: list[Estimate] = []
        for rec in self.table.to_dict("records"):
            for stat in ("count", "percent", "mean", "sd", "median", "q1", "q3", "min", "max"):
                value = rec[stat]
                if value is None or (isinstance(value, float) and np.isnan(value)):
                    continue
                n = rec["n"]
                out.append(
                    Estimate(
                        f"{rec['characteristic']}: {stat}",
                        float(value),
                        n=None if pd.isna(n) else int(n),
                        method=str(rec["statistic"]),
                        note=str(rec["note"]),
                    )
                )
        return out

    def _explanation(self) -> str:
        """A paragraph for a student: what the table shows and what it does not."""
        parts = [
            f"This table describes the {self.n} patients in the table: how many of each sex, "
            "and the centre and spread of each measured characteristic. Means with their "
            "standard deviation (SD) describe roughly symmetric variables; medians with the "
            "range, or with the interquartile range (IQR: the middle half of the patients), "
            "describe skewed or discrete ones such as dose and follow-up time."
        ]
        for warning in self.warnings:
            parts.append(
                f"{warning[0].upper()}{warning[1:]}, so it can differ from the paper's text."
            )
        parts.append(
            "Each variable is summarised over the patients for whom it is recorded; missing "
            "cells are counted, not filled in, and percentages are of the patients with a "
            f"value. Quartiles are computed by R's default rule (type {self.quantile_type} of "
            "Hyndman & Fan); other software can give slightly different quartiles on small "
            "samples."
        )
        parts.append(
            "The table only describes; it tests nothing. It says who was studied, which limits "
            "to whom the results may apply, but not whether the treatment worked."
        )
        return " ".join(parts)


def _label(spec: ColumnSpec) -> str:
    return spec.display


def _numeric_rows(spec: ColumnSpec, x: np.ndarray, summary: str, qtype: int) -> list[dict]:
    label = _label(spec)
    present = x[~np.isnan(x)]
    n = int(present.size)
    missing = int(x.size - n)
    base: dict[str, Any] = {"variable": spec.name, "n": n, "missing": missing}
    miss_note = f"{missing} missing" if missing else ""
    if n == 0:
        return [
            {
                **base,
                "characteristic": label,
                "value": "all missing",
                "statistic": "",
                "note": miss_note,
            }
        ]
    lo, hi = float(present.min()), float(present.max())
    range_row = {
        **base,
        "characteristic": f"{label}, range",
        "statistic": "min–max",
        "value": f"{_order_stat(lo)}–{_order_stat(hi)}",
        "min": lo,
        "max": hi,
        "note": miss_note,
    }
    if summary == "mean":
        mean = float(np.mean(present))
        sd = float(np.std(present, ddof=1)) if n >= 2 else None
        note = "; ".join(s for s in (miss_note, "" if sd is not None else "SD needs 2 values") if s)
        mean_row = {
            **base,
            "characteristic": f"{label}, mean (SD)",
            "statistic": "mean (SD)",
            "value": f"{format_number(mean)} ({format_number(sd)})",
            "mean": mean,
            "sd": sd,
            "note": note,
        }
        return [mean_row, range_row]
    q1, med, q3 = (float(v) for v in quantiles(present, [0.25, 0.5, 0.75], type=qtype))
    if summary == "median":
        row = {
            **base,
            "characteristic": f"{label}, median",
            "statistic": "median",
            "value": _order_stat(med),
            "median": med,
            "note": miss_note,
        }
    else:
        row = {
            **base,
            "characteristic": f"{label}, median [IQR]",
            "statistic": f"median [IQR, R type {qtype}]",
            "value": f"{_order_stat(med)} [{_order_stat(q1)}–{_order_stat(q3)}]",
            "median": med,
            "q1": q1,
            "q3": q3,
            "note": miss_note,
        }
    return [row, range_row]


def _count_rows(spec: ColumnSpec, values: np.ndarray) -> list[dict]:
    label = _label(spec)
    present = [v for v in values if v is not None]
    n = len(present)
    missing = len(values) - n
    levels = list(spec.categories or ())
    levels += sorted({str(v) for v in present} - set(levels))
    rows = []
    for level in levels:
        count = sum(1 for v in present if str(v) == level)
        pct = 100.0 * count / n if n else None
        value = f"{count} ({pct:.1f}%)" if pct is not None else f"{count}"
        rows.append(
            {
                "characteristic": f"{label}: {level}",
                "value": value,
                "statistic": "count (% of recorded)",
                "variable": spec.name,
                "n": n,
                "missing": missing,
                "count": count,
                "percent": pct,
                "note": f"{missing} missing" if missing else "",
            }
        )
    if missing:
        rows.append(
            {
                "characteristic": f"{label}: missing",
                "value": str(missing),
                "statistic": "count",
                "variable": spec.name,
                "n": n,
                "missing": missing,
                "count": missing,
                "note": "",
            }
        )
    return rows


def table_one(cohort: Cohort) -> TableOne:
    """Describe a cohort as a paper's Table 1 does.

    Rows: n (with the source's reported n beside it when they differ), sex (and group)
    counts with percentages, age mean (SD) and range, dose median and range, the ``before``
    and ``after`` values mean (SD) and range, follow-up median [IQR] and range. Roles absent
    from the cohort are not listed. Quartiles are R's type 7.

    Parameters
    ----------
    cohort : Cohort

    Returns
    -------
    TableOne
        ``.frame`` has columns ``characteristic``, ``value`` (for display), ``statistic``,
        ``variable`` and the numbers at full precision (``n``, ``missing``, ``count``,
        ``percent``, ``mean``, ``sd``, ``median``, ``q1``, ``q3``, ``min``, ``max``) and a
        ``note``.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> t1 = table_one(load_dataset("matsuoka2025"))
    >>> t1.frame.set_index("characteristic").loc["Sex: M", "value"]
    '42 (72.4%)'
    """
    if not isinstance(cohort, Cohort):
        raise TypeError(f"table_one needs a Cohort, got {type(cohort).__name__}")
    qtype = _QUANTILE_TYPE
    reported = cohort.provenance.reported_n
    n = len(cohort)
    n_value = str(n) if reported in (None, n) else f"{n} (the source reports {reported})"
    records: list[dict] = [
        {
            "characteristic": "n",
            "value": n_value,
            "statistic": "rows",
            "variable": "",
            "n": n,
            "missing": 0,
            "count": n,
            "note": "" if reported in (None, n) else f"the source reports n = {reported}",
        }
    ]
    missing: dict[str, int] = {}
    for role, summary in _LAYOUT:
        spec = cohort.column(role)
        if spec is None or spec.role is not role:
            continue
        values = cohort.values(spec.name)
        if summary == "counts":
            if spec.is_numeric:
                values = np.array(
                    [None if np.isnan(v) else _plain_level(v) for v in values], dtype=object
                )
            new = _count_rows(spec, values)
        elif not spec.is_numeric:
            continue
        else:
            new = _numeric_rows(spec, np.asarray(values, dtype=np.float64), summary, qtype)
        missing[spec.name] = int(new[0]["missing"])
        records += new
    frame = pd.DataFrame.from_records(records, columns=COLUMNS)
    frame = frame.astype({c: "float64" for c in _NUMERIC_COLUMNS})
    frame["note"] = frame["note"].fillna("")
    return TableOne(
        n=n,
        reported_n=reported,
        source=cohort.provenance.short or "",
        name=cohort.name,
        quantile_type=qtype,
        missing=MappingProxyType(missing),
        rows=cohort.rows,
        excluded=(),
        table=frame,
    )


def _plain_level(v: float) -> str:
    return format_plain(v)
