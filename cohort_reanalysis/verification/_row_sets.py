"""Declared row sets: which printed rows an analysis may leave out, and why.

A dataset's provenance names rows whose printed values a reader may doubt (merged cells, a
line typeset as a header); each such entry declares one row set without those rows, which the
search of ``_space`` may try as its ``rows`` choice.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..cohort._spec import DamagedRows

__all__ = ["ALL_ROWS", "RowSet", "row_sets_from_provenance"]

#: The name of the stated row set: every printed row.
ALL_ROWS = "all rows"


@dataclass(frozen=True)
class RowSet:
    """A declared set of rows: every printed row except ``excluded``, and why.

    Examples
    --------
    >>> RowSet("without rows 51-58", (51, 52), "merged cells").excluded
    (51, 52)
    """

    name: str
    excluded: tuple[int, ...] = ()
    reason: str = ""


def _ranges(rows: Sequence[int]) -> str:
    parts: list[str] = []
    for _, run in itertools.groupby(enumerate(sorted(rows)), key=lambda t: t[1] - t[0]):
        block = [r for _, r in run]
        parts.append(str(block[0]) if len(block) == 1 else f"{block[0]}-{block[-1]}")
    return ", ".join(parts)


def row_sets_from_provenance(
    damaged: Sequence[DamagedRows], rows: Iterable[int]
) -> tuple[RowSet, ...]:
    """The declared row sets: all rows, and all rows but those the metadata calls damaged.

    Each ``damaged_rows`` entry of a dataset's provenance (rows whose printed values a reader
    may doubt: merged cells, a line typeset as a header) declares one row set without its
    rows; with two or more entries, one more set leaves out the first two together. At most
    three alternatives, so the search stays small.

    Examples
    --------
    >>> damaged = [DamagedRows((5, 6, 7), "two values merged in one cell")]
    >>> [r.name for r in row_sets_from_provenance(damaged, range(1, 11))]
    ['all rows', 'without rows 5-7']
    """
    present = set(int(r) for r in rows)
    found: list[tuple[tuple[int, ...], str]] = []
    for entry in damaged:
        named = tuple(sorted(set(entry.rows) & present))
        if named and named not in [f[0] for f in found] and len(named) < len(present):
            found.append((named, entry.note))
    out = [RowSet(ALL_ROWS)]
    for named, reason in found[:2]:
        out.append(RowSet(f"without rows {_ranges(named)}", named, reason))
    if len(found) >= 2:
        union = tuple(sorted(set(found[0][0]) | set(found[1][0])))
        if len(union) < len(present) and union not in [r.excluded for r in out]:
            out.append(RowSet(f"without rows {_ranges(union)}", union, "both of the above"))
    return tuple(out)
