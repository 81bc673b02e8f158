"""An Audit as Markdown: the facts, a table of every claim with its verdict, then details."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from ._audit_facts import (
    anchor,
    audit_facts,
    broken_rows_text,
    nearest_text,
    ordered_results,
    recomputed_text,
    reported_text,
    rows_used_text,
    specification_text,
    verdict_of,
)
from ._text import printable
from ._verdict_style import VERDICT_LABELS, VERDICT_MARKS, VERDICT_ORDER

__all__ = ["render_markdown"]


def render_markdown(audit: Any) -> str:
    """A Markdown report: facts and counts, one table with a verdict column, then details.

    Claims are ordered by verdict (not reproduced first), then as in the claims file.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> from cohort_reanalysis.verification._audit import verify
    >>> md = render_markdown(verify(load_dataset("matsuoka2025")))
    >>> md.splitlines()[0]
    '# Verification of matsuoka2025: 35 claims'
    """
    facts = audit_facts(audit)
    lines = [f"# {_inline(facts.title)}", ""]
    if facts.source:
        lines.append(f"- **Source:** {_inline(facts.source)}")
    if facts.doi:
        lines.append(f"- **DOI:** [{_inline(facts.doi)}]({_doi_url(facts.doi)})")
    else:
        lines.append("- **DOI:** none given")
    lines.append(f"- {_inline(facts.rows)}")
    lines.append(f"- {_inline(facts.excluded)}")
    for row_set in facts.row_sets:
        lines.append(f"- Row set also tried: {_inline(row_set)}")
    lines.append(f"- {_inline(facts.rounding)}")
    lines += ["", "## Verdicts", "", "| verdict | claims |", "| --- | ---: |"]
    counts = audit.counts
    for verdict in VERDICT_ORDER:
        lines.append(
            f"| {VERDICT_MARKS[verdict]} {VERDICT_LABELS[verdict]} | {counts.get(verdict, 0)} |"
        )
    lines.append(f"| **total** | **{sum(counts.values())}** |")

    ordered = ordered_results(audit.results)
    lines += [
        "",
        "## Claims",
        "",
        "| verdict | claim | location | reported | recomputed |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in ordered:
        verdict = verdict_of(r)
        lines.append(
            f"| {VERDICT_MARKS.get(verdict, '')} {VERDICT_LABELS.get(verdict, verdict)} "
            f"| [`{r.id}`](#{anchor(r.id)}) | {_cell(r.location)} "
            f"| {_cell(reported_text(r))} | {_cell(recomputed_text(r))} |"
        )
    lines += ["", "## Details"]
    for r in ordered:
        lines += ["", *_details(r)]
    return "\n".join(lines) + "\n"


def _details(r: Any) -> list[str]:
    verdict = verdict_of(r)
    lines = [
        f'<a id="{anchor(r.id)}"></a>',
        f"### `{r.id}`: {VERDICT_MARKS.get(verdict, '')} {VERDICT_LABELS.get(verdict, verdict)}",
        "",
        f"> {_inline(r.quote)}",
        "",
        f"*{_inline(r.location)}*",
        "",
        f"- **Reported:** {_inline(reported_text(r))}",
        f"- **Recomputed** (stated method): {_inline(recomputed_text(r))}",
    ]
    if rows_used_text(r) is not None:
        lines.append(f"- **Rows:** {_inline(str(rows_used_text(r)))}")
    if r.specification:
        lines.append(f"- **Reproduced with:** {_inline(specification_text(r.specification))}")
    departures = getattr(r, "departures", ())
    if departures:
        lines.append(f"- **Departs from the stated method in:** {_inline(', '.join(departures))}")
    if r.nearest is not None:
        lines.append(f"- **Nearest:** {_inline(nearest_text(r))}")
    if getattr(r, "broken_rows", None):
        lines.append(f"- **Broken rows:** {_inline(broken_rows_text(r))}")
    if r.joint is not None:
        others = ", ".join(f"`{i}`" for i in r.joint.group if i != r.id)
        state = (
            "one specification reproduces them all"
            if r.joint.satisfied
            else ("no single specification reproduces them all")
        )
        lines.append(f"- **Jointly with** {others}: {state}")
    lines += ["", _inline(r.explanation)]
    return lines


#: Characters that can start markup anywhere in a line (emphasis, code, links, raw HTML,
#: entities, table cells, strikethrough, headings and quotes after a list marker).
_MARKUP = re.compile(r"([\\`*_\[\]<>|&~#!])")
#: A field that begins with these would begin a list item (``- x``, ``12. x``).
_BLOCK_START = re.compile(r"^([-+]|\d{1,9}[.)])(?=\s|$)")


def _inline(text: str) -> str:
    """Text from a file made inert inside Markdown: one line, non-printables as ``repr``
    writes them, every markup character backslash-escaped (CommonMark escapes any ASCII
    punctuation), and no list or heading marker at its start.

    Examples
    --------
    >>> _inline("<b>*x*</b> [a](javascript:1)")
    '\\\\<b\\\\>\\\\*x\\\\*\\\\</b\\\\> \\\\[a\\\\](javascript:1)'
    >>> _inline("- 1. item")
    '\\\\- 1. item'
    """
    out = printable(" ".join(str(text).split()))
    out = _MARKUP.sub(r"\\\1", out)
    return _BLOCK_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], out, count=1)


def _doi_url(doi: str) -> str:
    """The DOI's resolver address, every character outside a DOI's plain ones escaped, so
    that it can neither end the link nor make it another scheme.

    Examples
    --------
    >>> _doi_url("10.1/a(b) <x>")
    'https://doi.org/10.1/a%28b%29%20%3Cx%3E'
    """
    return "https://doi.org/" + quote(str(doi), safe="/.-_;:")


def _cell(text: str) -> str:
    return _inline(text)
