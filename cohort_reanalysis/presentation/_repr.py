"""Audits at a glance, in a terminal (``str``) and a notebook (``_repr_html_``).

``Audit``, ``ClaimResult`` and ``SummaryAudit`` (verification) delegate their ``__str__``
and ``_repr_html_`` here, importing this module inside the method: how a result is shown
is the presentation layer's, and the verification modules do not import it at load time.
The full reports are :func:`~._text.render_text`, :func:`~._markdown.render_markdown` and
:func:`~._html_report.render_html`.
"""

from __future__ import annotations

import textwrap
from html import escape
from typing import Any

from .._html import html_table
from ..cohort import Provenance
from ..verification._wording import rounding_words
from ._audit_facts import reported_text, verdict_of
from ._verdict_style import STATUS_VERDICTS, VERDICT_BACKGROUNDS, VERDICT_LABELS

__all__ = [
    "audit_footer",
    "audit_html",
    "audit_text",
    "claim_headline",
    "claim_result_html",
    "claim_result_text",
    "summary_audit_html",
    "summary_audit_text",
]

_WIDTH = 100  # columns of a terminal
_CELL = "padding:2px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top"


def _label(result: Any) -> str:
    verdict = verdict_of(result)
    return VERDICT_LABELS.get(verdict, verdict)


def claim_headline(result: Any) -> str:
    """One line: id, verdict, reported and recomputed values.

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset, verify
    >>> claim_headline(verify(load_dataset("matsuoka2025"))["abstract.median_followup"])
    'abstract.median_followup: reproduced (reported 35 months, recomputed 35.5)'
    """
    return (
        f"{result.id}: {_label(result)} (reported {reported_text(result)}, "
        f"recomputed {result.recomputed_text})"
    )


def claim_result_text(result: Any) -> str:
    """A claim result in a few lines, 100 columns wide: verdict, quote and explanation."""

    def indented(text: str) -> str:
        return textwrap.fill(text, _WIDTH, initial_indent="  ", subsequent_indent="  ")

    return "\n".join(
        [
            textwrap.fill(claim_headline(result), _WIDTH, subsequent_indent="    "),
            indented(f"“{result.quote}” ({result.location})"),
            indented(result.explanation),
        ]
    )


def claim_result_html(result: Any) -> str:
    """A claim result as a small two-column table."""
    rows = [
        ("quote", f"“{result.quote}” ({result.location})"),
        ("reported", reported_text(result)),
        ("recomputed", result.recomputed_text),
        ("verdict", _label(result)),
        ("explanation", result.explanation),
    ]
    return html_table(["claim", result.id], rows)


def audit_footer(audit: Any) -> str:
    """The source, the table, the rounding taken as stated and the verdicts counted."""
    counts = ", ".join(f"{VERDICT_LABELS[k]}: {v}" for k, v in audit.counts.items())
    n = f"{audit.n_rows} rows"
    if audit.n_reported is not None and audit.n_reported != audit.n_rows:
        n += f" (the paper reports n = {audit.n_reported})"
    # Provenance.short prints the DOI once, even when the citation already carries it.
    source = Provenance(citation=audit.citation or audit.dataset, doi=audit.doi).short
    rounding = rounding_words(audit.rounding)
    if audit.rounding == "up_or_down":
        rounding += ", a tie at 5 either way"
    return (
        f"Source: {source.rstrip('.')}. Table: {n}. Rounding taken as stated: {rounding}. {counts}."
    )


def audit_text(audit: Any) -> str:
    """A table of every claim (one line each when it fits 100 columns), then the footer."""
    header = ["id", "reported", "recomputed", "verdict"]
    rows = [[r.id, r.reported_text, r.recomputed_text, _label(r)] for r in audit.results]
    table = [header, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = [f"Audit of {audit.dataset}: {len(audit.results)} claims"]
    if sum(widths) + 2 * (len(widths) - 1) <= _WIDTH:
        lines += [
            "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in table
        ]
    else:  # too wide for a terminal: one wrapped line per claim instead
        lines += [
            textwrap.fill(claim_headline(r), _WIDTH, subsequent_indent="    ")
            for r in audit.results
        ]
    lines.append(textwrap.fill(audit_footer(audit), _WIDTH))
    return "\n".join(lines)


def audit_html(audit: Any) -> str:
    """Every claim as a row coloured by its verdict, then the footer."""
    head = "".join(
        f"<th style='{_CELL}'>{h}</th>"
        for h in ("claim", "reported", "recomputed", "verdict", "explanation")
    )
    body = []
    for r in audit.results:
        cells = [r.id, r.reported_text, r.recomputed_text, _label(r), r.explanation]
        tds = "".join(f"<td style='{_CELL}'>{escape(str(c))}</td>" for c in cells)
        body.append(f"<tr style='background:{VERDICT_BACKGROUNDS[verdict_of(r)]}'>{tds}</tr>")
    caption = escape(f"Audit of {audit.dataset}: {len(audit.results)} claims")
    return (
        "<div><table style='border-collapse:collapse;font-size:0.9em'>"
        f"<caption style='text-align:left;font-weight:bold'>{caption}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        f"<div style='font-size:0.8em;color:#555'>{escape(audit_footer(audit))}</div></div>"
    )


def summary_audit_text(audit: Any) -> str:
    """Each summary claim on a wrapped line: id, status and explanation."""
    lines = [f"Summary-level checks of {audit.dataset}: {len(audit.results)} claims"]
    lines += [
        textwrap.fill(f"{r.id}: {r.status}. {r.explanation}", _WIDTH, subsequent_indent="    ")
        for r in audit.results
    ]
    return "\n".join(lines)


def summary_audit_html(audit: Any) -> str:
    """Each summary claim as a row coloured by its status."""
    rows = []
    for r in audit.results:
        tds = "".join(
            f"<td style='{_CELL}'>{escape(str(c))}</td>"
            for c in (r.id, r.kind, r.status, r.explanation)
        )
        colour = VERDICT_BACKGROUNDS[STATUS_VERDICTS[r.status]]
        rows.append(f"<tr style='background:{colour}'>{tds}</tr>")
    head = "".join(
        f"<th style='{_CELL}'>{h}</th>" for h in ("claim", "kind", "status", "explanation")
    )
    return (
        f"<div><table style='border-collapse:collapse;font-size:0.9em'><thead><tr>"
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
