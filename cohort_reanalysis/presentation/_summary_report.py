"""A SummaryAudit (claims checked without a patient table) in the four report formats."""

from __future__ import annotations

import json
import textwrap
from html import escape
from typing import Any

from ._markdown import _inline
from ._verdict_style import STATUS_ORDER, STATUS_VERDICTS, background_css

__all__ = ["render_summary"]


def render_summary(audit: Any, *, format: str = "text", width: int = 100) -> str:
    """Summary-level checks (GRIM, CI consistency, p from a statistic, counts) as a report.

    Parameters
    ----------
    audit : SummaryAudit
        From :func:`cohort_reanalysis.verification._audit.verify_summary`.
    format : {"text", "markdown", "html", "json"}
    width : int
        Wrapping width of the text format.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import dataset_info
    >>> from cohort_reanalysis.verification._audit import verify_summary
    >>> audit = verify_summary(dataset_info("meta_t1dm_2025").claims_file)
    >>> render_summary(audit).splitlines()[0]  # doctest: +ELLIPSIS
    'Summary-level checks of meta_t1dm_2025: 10 claims (no patient table)'
    """
    if format == "json":
        return json.dumps(audit.to_dict(), indent=2, allow_nan=False)
    counts = audit.counts
    title = (
        f"Summary-level checks of {audit.dataset}: {len(audit.results)} claims (no patient table)"
    )
    tally = "Checks: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in STATUS_ORDER) + "."
    results = sorted(audit.results, key=lambda r: STATUS_ORDER.index(r.status))
    if format == "markdown":
        lines = [
            f"# {title}",
            "",
            f"- {tally}",
            "",
            "| status | claim | kind |",
            "| --- | --- | --- |",
        ]
        lines += [f"| {r.status} | `{r.id}` | {r.kind} |" for r in results]
        for r in results:
            lines += [
                "",
                f"### `{r.id}`: {r.status}",
                "",
                f"> {_md(r.quote)}",
                "",
                f"*{_md(r.location)}*",
            ]
            lines += ["", _md(r.explanation)]
        return "\n".join(lines) + "\n"
    if format == "html":
        rows = "".join(
            f'<tr class="{STATUS_VERDICTS[r.status]}"><td>{escape(r.status)}</td>'
            f"<td><code>{escape(r.id)}</code></td><td>{escape(r.quote)}</td>"
            f"<td>{escape(r.explanation)}</td></tr>"
            for r in results
        )
        style = (
            "body{font-family:system-ui,sans-serif;max-width:62rem;margin:0 auto;padding:1.5rem}"
            "table{border-collapse:collapse}td,th{padding:.3rem .5rem;border-bottom:1px solid #ddd;"
            "text-align:left;vertical-align:top}" + background_css().replace("\n", "")
        )
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{style}</style></head><body>"
            f"<h1>{escape(title)}</h1><p>{escape(tally)}</p><table><thead><tr><th>status</th>"
            f"<th>claim</th><th>quote</th><th>checks</th></tr></thead><tbody>{rows}</tbody>"
            "</table></body></html>\n"
        )
    if format != "text":
        raise ValueError(f"unknown format {format!r}; expected text, markdown, html or json")
    lines = [title, tally]
    for r in results:
        lines += ["", f"{r.id} ({r.location}): {r.status.upper()}"]
        lines += textwrap.wrap(f"“{r.quote}”", width, initial_indent="  ", subsequent_indent="   ")
        lines += textwrap.wrap(r.explanation, width, initial_indent="  ", subsequent_indent="    ")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Text from a file made inert inside Markdown: the one escaping of the audit report."""
    return _inline(text)
