"""What a cohort is, for a terminal: provenance, columns, missing cells, and Table 1."""

from __future__ import annotations

import textwrap

from ..cohort import Cohort, DatasetInfo, Provenance

__all__ = ["describe_cohort", "describe_dataset_info"]

_WIDTH = 100


def describe_cohort(cohort: Cohort, *, info: DatasetInfo | None = None, width: int = _WIDTH) -> str:
    """A plain-text description of ``cohort`` readable in ``width`` columns.

    Parameters
    ----------
    cohort : Cohort
        The table to describe.
    info : DatasetInfo, optional
        The dataset's metadata, when the cohort is a dataset (adds its title).
    width : int
        Line width for wrapping.

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset
    >>> text = describe_cohort(load_dataset("matsuoka2025"))
    >>> "58 printed" in text
    True
    """
    prov = cohort.provenance
    lines = _wrap(_heading(cohort, info), width)
    lines += _source_lines(prov, width)
    lines.append(_rows_line(cohort))
    if cohort.measure:
        lines.append(f"Measure: {cohort.measure}" + (f" ({cohort.unit})" if cohort.unit else ""))
    pairs = cohort.pair()
    if pairs.excluded:
        shown = "; ".join(f"row {x.row}: {x.reason}" for x in pairs.excluded)
        lines += _wrap(f"Rows without a before/after pair ({pairs.n_excluded}): {shown}", width)
    else:
        lines.append(f"Before/after pairs: {pairs.n} (every row complete)")
    lines += ["", "Columns", *_columns_table(cohort)]
    lines += _notes(prov, width)
    lines += ["", _table_one_text(cohort, width)]
    return "\n".join(lines)


def describe_dataset_info(info: DatasetInfo, *, width: int = _WIDTH) -> str:
    """A plain-text description of a dataset without a patient table (summary claims only).

    Examples
    --------
    >>> from cohort_reanalysis.cohort import dataset_info
    >>> print(describe_dataset_info(dataset_info("meta_t1dm_2025")).splitlines()[0][:35])
    meta_t1dm_2025: Stem cell therapy i
    """
    prov = info.provenance
    lines = _wrap(f"{info.name}: {info.title}" if info.title else info.name, width)
    lines += _source_lines(prov, width)
    n = f"; the source reports n = {prov.reported_n}" if prov.reported_n is not None else ""
    lines.append(f"No patient table: summary-level claims only{n}")
    if info.measure:
        lines.append(f"Measure: {info.measure}" + (f" ({info.unit})" if info.unit else ""))
    if info.claims_file is not None:
        lines.append(f"Claims: {info.claims_file}")
    lines += _notes(prov, width)
    return "\n".join(lines)


def _source_lines(prov: Provenance, width: int) -> list[str]:
    lines: list[str] = []
    if prov.citation:
        lines += _wrap(f"Source: {prov.citation}", width)
    if prov.source_kind:
        lines += _wrap(f"Kind of source: {prov.source_kind}", width)
    lines.append(f"DOI: {prov.doi}" if prov.doi else "DOI: none given")
    for what, doi in prov.related_dois.items():
        lines += _wrap(f"Related DOI ({what}): {doi}", width)
    where = [p for p in (prov.table, f"licence {prov.licence}" if prov.licence else None) if p]
    if where:
        lines.append("Table: " + "; ".join(where))
    return lines


def _notes(prov: Provenance, width: int) -> list[str]:
    lines: list[str] = []
    for heading, notes in (
        ("Transcription notes", prov.transcription_notes),
        ("Notes", prov.notes),
    ):
        if notes:
            lines += ["", heading]
            for note in notes:
                lines += textwrap.wrap(
                    note,
                    width,
                    initial_indent="  - ",
                    subsequent_indent="    ",
                    break_on_hyphens=False,
                )
    return lines


def _heading(cohort: Cohort, info: DatasetInfo | None) -> str:
    name = cohort.name or (info.name if info else None) or cohort.source or "cohort"
    title = info.title if info and info.title else cohort.provenance.title
    return f"{name}: {title}" if title else name


def _rows_line(cohort: Cohort) -> str:
    printed = len(cohort)
    reported = cohort.provenance.reported_n
    text = f"Rows: {printed} printed"
    if reported is None:
        return text + " (the source reports no n)"
    if reported == printed:
        return text + f"; the paper reports n = {reported}"
    gap = reported - printed
    what = "not printed" if gap > 0 else "more than reported"
    return text + f"; the paper reports n = {reported} ({abs(gap)} {what})"


def _columns_table(cohort: Cohort) -> list[str]:
    missing = cohort.missing()
    header = ["column", "role", "type", "unit", "missing", "label"]
    rows = [
        [c.name, c.role.value, c.dtype, c.unit or "", str(missing[c.name]), c.label or ""]
        for c in cohort.columns
    ]
    table = [header, *rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    return [
        "  " + "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
        for r in table
    ]


def _table_one_text(cohort: Cohort, width: int) -> str:
    """Table 1 from the analyses layer, its long notes wrapped to ``width``."""
    from ..analyses._table_one import table_one

    lines: list[str] = []
    for line in str(table_one(cohort)).splitlines():
        lines += _wrap(line, width) if len(line) > width else [line]
    return "\n".join(lines)


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, subsequent_indent="  ", break_on_hyphens=False) or [""]
