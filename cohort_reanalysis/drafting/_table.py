"""A per-patient table printed in a paper's text, transcribed with every repair noted.

Read here: Markdown-pipe tables, possibly split into blocks (a table broken across pages),
whose later blocks may have their first patient row typeset as a header line, with empty
rows between blocks and cells merged by the typesetting (``| 5.5 15 | |``). Every repair is a
transcription note; every row that cannot be read is reported with its text, never dropped.
Column roles and units are guessed from the header, and marked as guesses.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["DraftTable", "find_table", "guess_column"]

_SEPARATOR = re.compile(r"\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*")
_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)")
_ROLES = (
    (re.compile(r"(?i)\b(?:sex|gender)\b"), "sex"),
    (re.compile(r"(?i)\bage\b"), "age"),
    (re.compile(r"(?i)\bdose\b"), "dose"),
    (re.compile(r"(?i)\b(?:before|baseline|pre)\b"), "before"),
    (re.compile(r"(?i)\b(?:after|post|final)\b"), "after"),
    (re.compile(r"(?i)\b(?:month|months|follow|observed|duration)\b"), "followup"),
)


@dataclass
class DraftTable:
    """A transcribed table: columns (guessed), rows as printed, and what was done to them."""

    columns: list[dict[str, Any]]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    damaged_rows: list[dict[str, Any]] = field(default_factory=list)
    unreadable: list[dict[str, Any]] = field(default_factory=list)

    def to_csv(self) -> str:
        """The rows as CSV text, with a header of the guessed column names."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([c["name"] for c in self.columns])
        writer.writerows(self.rows)
        return out.getvalue()


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [c.strip() for c in inner.split("|")]


def guess_column(label: str, measure: str | None) -> dict[str, Any]:
    """A column's role, name, unit and measure, guessed from its printed header and marked so.

    >>> guess_column("Stem cell Dose x million cells", None)["name"]
    'dose_million'
    """
    role = next((r for pattern, r in _ROLES if pattern.search(label)), None)
    col: dict[str, Any] = {"label": label, "role": role or "other", "guessed": True}
    unit = None
    scale = re.search(r"(?i)\b(thousand|million|billion)\s+(\w+)", label)
    if role == "dose" and scale:
        unit = f"{scale.group(1).lower()} {scale.group(2)}"
        col["name"] = f"dose_{scale.group(1).lower()}"
    elif role in ("before", "after"):
        m = re.match(r"\s*([A-Za-z][A-Za-z0-9]*)", label)
        found = measure or (m.group(1) if m else None)
        if found and re.fullmatch(r"(?i)before|baseline|pre|after|post|final", found):
            found = None  # the label names the visit only, not what is measured
        col["measure"] = found
        col["name"] = f"{(found or 'value').lower()}_{role}"
        unit = "%" if found and found.lower() == "hba1c" else None
    elif role == "followup":
        unit = "months" if re.search(r"(?i)month", label) else None
        col["name"] = "months" if unit else "followup"
    elif role == "age":
        unit, col["name"] = "years", "age"
    elif role == "sex":
        col["name"] = "sex"
    else:
        col["name"] = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_") or "column"
    if unit:
        col["unit"] = unit
    return col


def _numeric(cell: str) -> bool:
    return bool(_NUMBER.fullmatch(cell))


def _as_pipes(text: str) -> str:
    """Tab-, semicolon- or whitespace-aligned lines written as a pipe table, when ``text``
    has no pipe table: the first line of non-numeric cells followed by three or more lines
    of as many cells, some numeric, becomes the header.

    >>> print(_as_pipes("Sex\\tAge\\nM\\t66\\nF\\t42\\nM\\t5"))
    | Sex | Age |
    | --- | --- |
    | M | 66 |
    | F | 42 |
    | M | 5 |
    """
    lines = text.splitlines()
    for split in (r"\t", r"\s*;\s*", r"\s{2,}"):
        cells = [re.split(split, line.strip()) if line.strip() else [] for line in lines]
        for i, head in enumerate(cells):
            width = len(head)
            if width < 2 or any(_numeric(c) for c in head):
                continue
            body = []
            for row in cells[i + 1 :]:
                if len(row) != width or not any(_numeric(c) for c in row):
                    break
                body.append(row)
            if len(body) >= 3:
                out = [head, ["---"] * width, *body]
                return "\n".join("| " + " | ".join(r) + " |" for r in out)
    return text


def find_table(text: str) -> DraftTable | None:
    """The first table of ``text`` with a header and numeric rows, transcribed.

    Markdown pipes are read as printed (blocks, header-line rows, merged cells); a table of
    tab-, semicolon- or whitespace-aligned columns is read when there is no pipe table.

    >>> t = find_table("| Sex | Age |\\n|---|---|\\n| M | 66 |\\n\\n"
    ...                "| F | 42 |\\n|---|---|\\n| M | 5 |")
    >>> t.rows, t.damaged_rows[0]["rows"]
    ([['M', '66'], ['F', '42'], ['M', '5']], [2])
    """
    lines = text.splitlines()
    start = next(
        (
            i
            for i in range(len(lines) - 1)
            if lines[i].lstrip().startswith("|")
            and _SEPARATOR.fullmatch(lines[i + 1].strip())
            and not any(_numeric(c) for c in _cells(lines[i]))
        ),
        None,
    )
    if start is None:
        converted = _as_pipes(text)
        return None if converted is text else find_table(converted)
    header = _cells(lines[start])
    measure = next(
        (
            m.group(1)
            for c in header
            if (m := re.match(r"\s*(HbA1c|[A-Z][A-Za-z0-9]+)\s+(?:before|after)", c, re.I))
        ),
        None,
    )
    columns = [guess_column(label, measure) for label in header]
    width = len(header)
    table = DraftTable(columns, [])
    block, block_first = 1, True
    header_rows: list[int] = []
    merged: list[int] = []
    empty_after: list[int] = []
    i = start + 2
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            # A blank line ends the table unless another pipe block follows.
            j = i
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and lines[j].lstrip().startswith("|"):
                block += 1
                block_first = True
                i = j
                continue
            break
        if not line.startswith("|"):
            break
        if _SEPARATOR.fullmatch(line):
            i += 1
            continue
        cells = _cells(line)
        number = len(table.rows) + 1
        next_is_separator = i + 1 < len(lines) and _SEPARATOR.fullmatch(lines[i + 1].strip())
        if block_first and block > 1 and next_is_separator:
            header_rows.append(number)
        block_first = False
        if all(not c for c in cells):
            empty_after.append(len(table.rows))
            i += 1
            continue
        row = _repair(cells, width)
        if row is None:
            table.unreadable.append({"line": i + 1, "text": lines[i], "after_row": len(table.rows)})
        else:
            if row != cells:
                merged.append(number)
            table.rows.append(row)
        i += 1
    _notes(table, block, header_rows, merged, empty_after)
    return table


def _repair(cells: list[str], width: int) -> list[str] | None:
    """The row's cells, with a merged cell split on its space; None if it cannot be read."""
    if len(cells) == width and all(c and " " not in c for c in cells):
        return cells
    filled = [c for c in cells if c]
    parts: list[str] = []
    for c in filled:
        split = c.split()
        if len(split) > 1 and not all(_numeric(p) for p in split):
            return None
        parts.extend(split)
    return parts if len(parts) == width else None


def _ranges(rows: list[int]) -> str:
    return ", ".join(str(r) for r in rows) if len(rows) < 3 else f"{rows[0]}-{rows[-1]}"


def _notes(
    table: DraftTable, blocks: int, header_rows: list[int], merged: list[int], empty: list[int]
) -> None:
    n = len(table.rows)
    if blocks > 1:
        table.notes.append(f"The table is printed in {blocks} blocks ({n} rows in all).")
    if header_rows:
        table.notes.append(
            f"The first row of a later block (rows {_ranges(header_rows)}) is typeset as the "
            "block's header line; transcribed as data."
        )
        table.damaged_rows.append(
            {
                "rows": header_rows,
                "note": (
                    "typeset as the header line of their block; patient rows transcribed as data"
                ),
            }
        )
    for after in empty:
        table.notes.append(
            f"An empty row (every cell blank) after row {after} is not data; not transcribed."
        )
    if merged:
        table.notes.append(
            f"Rows {_ranges(merged)} print two values merged in one cell with a cell left "
            "empty; each was split on the space."
        )
        table.damaged_rows.append(
            {"rows": merged, "note": "two values merged in one cell, split on the space"}
        )
    for bad in table.unreadable:
        table.notes.append(
            f"Line {bad['line']} could not be read as a row: {bad['text'].strip()!r}."
        )
