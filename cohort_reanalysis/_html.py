"""HTML building blocks for Jupyter reprs, shared by every layer; it imports nothing of ours."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

__all__ = ["html_table"]

_NOTES = "font-size:0.85em;color:#8a3b00;margin:0.2em 0;padding-left:1.2em"
_STYLE = "border-collapse:collapse;font-size:0.9em;margin:0.3em 0;font-variant-numeric:tabular-nums"


def html_table(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    caption: str | None = None,
    footer: str | None = None,
    notes: Sequence[str] = (),
) -> str:
    """A compact HTML table; every cell is escaped.

    ``notes`` (warnings, reasons a value is missing) are listed under the table, above the
    footer, so that they are read with the numbers.

    Examples
    --------
    >>> html_table(["a"], [[1]]).count("<td")
    1
    >>> "<li" in html_table(["a"], [[1]], notes=["Warning: n is small"])
    True
    """
    cell = "padding:2px 8px;border-bottom:1px solid #ddd;text-align:left"
    head = "".join(f"<th style='{cell}'>{escape(str(h))}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td style='{cell}'>{escape(str(v))}</td>" for v in row) + "</tr>"
        for row in rows
    )
    cap = (
        f"<caption style='text-align:left;font-weight:bold'>{escape(caption)}</caption>"
        if caption
        else ""
    )
    listed = "".join(f"<li>{escape(note)}</li>" for note in notes)
    warn = f"<ul style='{_NOTES}'>{listed}</ul>" if listed else ""
    foot = f"<div style='font-size:0.8em;color:#555'>{escape(footer)}</div>" if footer else ""
    table = (
        f"<table style='{_STYLE}'>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )
    return f"<div>{table}{warn}{foot}</div>"
