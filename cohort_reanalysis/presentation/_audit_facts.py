"""What every report of an Audit says first, and how its numbers are shown.

The text, Markdown and HTML renderers share these so that they state the same facts in the
same order: the dataset, its DOI, the rows printed against the n the paper reports, the rows
left out (and the alternative row sets tried), then the verdicts counted.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..verification._wording import rounding_words
from ._verdict_style import VERDICT_LABELS, VERDICT_ORDER

__all__ = [
    "AuditFacts",
    "anchor",
    "audit_facts",
    "broken_rows_text",
    "nearest_text",
    "ordered_results",
    "recomputed_text",
    "reported_text",
    "rows_used_text",
    "specification_text",
    "verdict_of",
]

_DECIMALS = re.compile(r"\d+(?:\.(\d+))?")
_BOUNDARY = re.compile(r"boundary: (.+?) (==|!=|<=|>=|<|>) (.+)")
_OPS = frozenset({"==", "!=", "<=", ">=", "<", ">"})


@dataclass(frozen=True)
class AuditFacts:
    """The opening facts of a report, as lines of plain text (no markup)."""

    title: str
    source: str | None
    doi: str | None
    rows: str
    excluded: str
    row_sets: tuple[str, ...]
    counts: str
    rounding: str


def verdict_of(result: Any) -> str:
    """The verdict of a claim result as its string value."""
    verdict = result.verdict
    return str(getattr(verdict, "value", verdict))


def audit_facts(audit: Any) -> AuditFacts:
    """The facts a report states before any claim.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> from cohort_reanalysis.verification._audit import verify
    >>> audit_facts(verify(load_dataset("matsuoka2025"))).rows
    'Rows: 58 printed; the paper reports n = 61 (3 not printed).'
    """
    n_rows = int(audit.n_rows)
    reported = audit.n_reported
    rows = f"Rows: {n_rows} printed"
    if reported is None:
        rows += "; the paper states no n."
    elif reported == n_rows:
        rows += f"; the paper reports n = {reported}."
    else:
        gap = reported - n_rows
        what = "not printed" if gap > 0 else "more than reported"
        rows += f"; the paper reports n = {reported} ({abs(gap)} {what})."
    excluded = audit.rows_excluded
    if excluded:
        listed = "; ".join(f"row {x.row}: {x.reason}" for x in excluded)
        left = f"Left out of the before/after pairs ({len(excluded)}): {listed}."
    else:
        left = "Left out of the before/after pairs: none (every row has both values)."
    row_sets = tuple(
        f"{rs.name}: {rs.reason}" if rs.reason else rs.name for rs in audit.row_sets if rs.excluded
    )
    counts = audit.counts
    total = sum(counts.values())
    parts = [f"{counts.get(v, 0)} {VERDICT_LABELS[v]}" for v in VERDICT_ORDER if counts.get(v)]
    return AuditFacts(
        title=f"Verification of {audit.dataset}: {total} claims",
        source=audit.citation,
        doi=audit.doi or None,
        rows=rows,
        excluded=left,
        row_sets=row_sets,
        counts="Verdicts: " + (", ".join(parts) if parts else "no claims") + ".",
        rounding=(
            f"Reported numbers read as printed under {rounding_words(audit.rounding)}"
            f" ({audit.rounding})."
        ),
    )


def ordered_results(results: Any) -> list[Any]:
    """Claim results by verdict (``VERDICT_ORDER``), in claims-file order within a verdict."""
    rank = {v: i for i, v in enumerate(VERDICT_ORDER)}
    return sorted(results, key=lambda r: rank.get(verdict_of(r), len(rank)))


#: What a report prints as the reported value of a claim that states no number.
NO_NUMBER = "no number stated"


def anchor(claim_id: str) -> str:
    """An HTML id for a claim: ``"claim-abstract-mean-before"``."""
    return "claim-" + "".join(c if c.isalnum() else "-" for c in claim_id.lower())


def reported_text(result: Any) -> str:
    """The reported value as printed, with its comparator and unit: ``"< 0.0001"``
    (``"no number stated"`` for a claim that states none)."""
    text = result.reported
    if not text:
        return NO_NUMBER
    if result.comparator and result.comparator != "=":
        text = f"{result.comparator} {text}"
    unit = result.unit
    if unit and not text.endswith(unit):
        text += unit if unit == "%" else f" {unit}"
    return text


def rows_used_text(result: Any) -> str | None:
    """How many rows the claim's value used, and which were left out and why (rows of one
    reason together, in file order); None for a claim not checked against the table.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> rows_used_text(NS(n_used=7, excluded=(NS(row=2, reason="missing after"),
    ...     NS(row=5, reason="outside the subset before >= 8"),
    ...     NS(row=9, reason="missing after"))))
    '7 used; left out: rows 2, 9 (missing after); row 5 (outside the subset before >= 8)'
    >>> rows_used_text(NS(n_used=10, excluded=()))
    '10 used, none left out'
    """
    n_used = getattr(result, "n_used", None)
    if n_used is None:
        return None
    excluded = getattr(result, "excluded", ())
    if not excluded:
        return f"{n_used} used, none left out"
    by_reason: dict[str, list[int]] = {}
    for e in excluded:
        by_reason.setdefault(e.reason, []).append(e.row)
    parts = [
        f"{'row' if len(rows) == 1 else 'rows'} {', '.join(map(str, rows))} ({reason})"
        for reason, rows in by_reason.items()
    ]
    return f"{n_used} used; left out: " + "; ".join(parts)


def recomputed_text(result: Any) -> str:
    """The recomputed value, one decimal more precise than the reported one.

    Examples
    --------
    >>> class R:
    ...     reported, recomputed, statistic = "7.49", 7.4931034482758605, "mean"
    >>> recomputed_text(R())
    '7.493'
    """
    broken = getattr(result, "broken_rows", None)
    if broken is not None and verdict_of(result) != "not_checkable":
        if not broken:
            return "every row holds"
        return ("row " if len(broken) == 1 else "rows ") + ", ".join(str(b.row) for b in broken)
    value = result.recomputed
    if value is None:
        return "—"
    if isinstance(value, (tuple, list)):
        return " to ".join(_number(v, result) for v in value)
    return _number(value, result)


def broken_rows_text(result: Any) -> str:
    """The rows that break a row identity, each printed and computed (``""`` if none).

    Examples
    --------
    >>> from decimal import Decimal
    >>> from cohort_reanalysis.verification._row_identity import BrokenRow
    >>> class R:
    ...     broken_rows = (BrokenRow(2, "2.4", Decimal("-0.8")),)
    >>> broken_rows_text(R())
    'row 2: printed 2.4, computed -0.8'
    """
    return "; ".join(
        f"row {b.row}: printed {b.printed}, computed {b.computed:f}"
        for b in getattr(result, "broken_rows", None) or ()
    )


def nearest_text(result: Any) -> str:
    """The nearest value over the space, how far, and under which choices (``""`` if none)."""
    nearest = result.nearest
    if nearest is None:
        return ""
    value = nearest.value
    shown = (
        " to ".join(_number(v, result) for v in value)
        if isinstance(value, (tuple, list))
        else _number(value, result)
    )
    scale = " orders of magnitude" if nearest.scale == "log10" else ""
    return (
        f"{shown} ({nearest.distance:.4g}{scale} away), with "
        f"{specification_text(nearest.specification)}"
    )


def _number(value: float, result: Any) -> str:
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    statistic = getattr(result, "statistic", None)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if statistic == "pvalue" or (0 < abs(value) < 1e-3):
        return f"{value:.3g}" if abs(value) < 1e-3 else f"{value:.4g}"
    found = [m.group(1) or "" for m in _DECIMALS.finditer(str(result.reported))]
    places = max((len(d) for d in found), default=2) + 1
    # At least three significant digits, so "> 0" does not show 0.625 as 0.6.
    places = max(places, 2 - math.floor(math.log10(abs(value))))
    short = repr(value)
    if "e" not in short and len(short.split(".")[1]) <= places:
        return short
    return f"{value:.{places}f}"


def specification_text(spec: Mapping[str, Any]) -> str:
    """Choices as ``"name = value; ..."``; a boundary choice as the condition it gives.

    Examples
    --------
    >>> specification_text({"boundary: before <= 8": "<", "rows": "all rows"})
    'before < 8; rows = all rows'
    """
    if not spec:
        return "—"
    return "; ".join(_choice_text(k, v) for k, v in spec.items())


def _choice_text(name: str, value: Any) -> str:
    found = _BOUNDARY.fullmatch(name)
    if found is not None and str(value) in _OPS:
        return f"{found.group(1)} {value} {found.group(3)}"
    return f"{name} = {value}"
