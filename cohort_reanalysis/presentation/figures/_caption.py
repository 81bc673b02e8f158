"""The provenance line to print under a figure: where the numbers come from."""

from __future__ import annotations

from typing import Any

from ...analyses._result import AnalysisResult
from ...cohort import Cohort, PairedData

__all__ = ["caption"]


def _rows_text(n_rows: int, reported: int | None) -> str:
    text = f"{n_rows} row" + ("" if n_rows == 1 else "s")
    if reported is not None and reported != n_rows:
        text += f" (the paper reports n = {reported})"
    return text


def caption(source: Cohort | AnalysisResult | PairedData | Any) -> str:
    """The text to put under a figure: dataset, source, table and DOI, or what a result used.

    Parameters
    ----------
    source : Cohort, Audit, analysis result or PairedData
        A cohort (or an audit) gives its provenance: dataset name, citation, table, the rows
        printed against the n the paper reports, and the DOI. An analysis result or pairs,
        which carry no provenance, give the rows used and left out.

    Returns
    -------
    str

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset
    >>> text = caption(load_dataset("matsuoka2025"))
    >>> "doi:10.20944/preprints202503.1601.v1" in text, "Table 1" in text
    (True, True)
    """
    if isinstance(source, Cohort):
        prov = source.provenance
        name = source.name or "table"
        parts = [f"Data: {name}"]
        who = _short_citation(prov.authors, prov.year, prov.title)
        if who:
            parts.append(who)
        where = prov.table or "patient table"
        parts.append(f"{where}, {_rows_text(len(source), prov.reported_n)}")
        text = "; ".join(parts) + "."
        if prov.doi:
            text += f" doi:{prov.doi}"
        return text
    if isinstance(source, AnalysisResult):
        rows = len(source.rows)
        text = f"{rows} row{'' if rows == 1 else 's'} used"
        if source.excluded:
            left = ", ".join(str(x.row) for x in source.excluded)
            text += f"; {len(source.excluded)} left out (rows {left})"
        return text + "."
    if isinstance(source, PairedData):
        text = f"{source.n} pairs"
        if source.excluded:
            text += f"; {len(source.excluded)} rows left out"
        return text + "."
    if hasattr(source, "dataset") and hasattr(source, "n_rows"):  # an Audit
        parts = [f"Data: {source.dataset}"]
        if getattr(source, "citation", None):
            parts.append(str(source.citation))
        parts.append(_rows_text(int(source.n_rows), getattr(source, "n_reported", None)))
        text = "; ".join(parts) + "."
        doi = getattr(source, "doi", None)
        if doi and f"doi:{doi}" not in text:
            text += f" doi:{doi}"
        return text
    raise TypeError(
        f"caption needs a Cohort, Audit or analysis result, got {type(source).__name__}"
    )


def _surname(name: str) -> str:
    """The last word of a name outside parentheses: a pen name's aside is not a surname.

    Examples
    --------
    >>> _surname("Takashi Matsuoka"), _surname("Student (W. S. Gosset)")
    ('Matsuoka', 'Student')
    """
    import re

    bare = re.sub(r"\([^)]*\)", " ", name).split()
    return bare[-1] if bare else name.strip()


def _short_citation(authors: tuple[str, ...], year: int | None, title: str | None) -> str:
    """``"Matsuoka et al. (2025), Long-Term Efficacy of ..."``."""
    if not authors:
        return title or ""
    surname = _surname(authors[0])
    who = (
        surname
        if len(authors) == 1
        else (f"{surname} and {_surname(authors[1])}" if len(authors) == 2 else f"{surname} et al.")
    )
    when = f" ({year})" if year else ""
    return f"{who}{when}" + (f", {title}" if title else "")
