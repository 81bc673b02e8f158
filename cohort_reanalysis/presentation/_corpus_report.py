"""A corpus of papers (a :class:`~..verification._corpus.CorpusAudit`) as one report: JSON,
JSON Lines, or a summary table (dataset x verdict counts) in text, Markdown and HTML.

The summary comes first; with ``reports=True`` each dataset's own report follows it, as
``verify NAME`` would print it (in HTML, each in a collapsed ``<details>`` holding the
dataset's self-contained page in an ``<iframe srcdoc>``, so that pages and styles stay
apart and the file still fetches nothing).
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from ._html_report import _CSS
from ._markdown import _inline
from ._text import printable
from ._verdict_style import VERDICT_LABELS, VERDICT_ORDER

__all__ = ["CORPUS_FORMATS", "render_corpus"]

CORPUS_FORMATS = ("text", "markdown", "html", "json", "jsonl")

#: The table's columns: the verdicts in the order a reader should see them.
_HEADERS = ("dataset", *(VERDICT_LABELS[v] for v in VERDICT_ORDER), "note")


def render_corpus(corpus: Any, *, format: str = "text", reports: bool = False) -> str:
    """A corpus's report in one of :data:`CORPUS_FORMATS`.

    Parameters
    ----------
    corpus : CorpusAudit
        From :func:`~cohort_reanalysis.verify_corpus`.
    format : {"text", "markdown", "html", "json", "jsonl"}
        ``json``: the object of docs/json-contract.md (``datasets`` and ``counts``);
        ``jsonl``: one dataset's object per line; the others: the summary table.
    reports : bool, default False
        After the summary (text, Markdown, HTML), each dataset's own report.

    Examples
    --------
    >>> from cohort_reanalysis.verification._corpus import verify_corpus
    >>> corpus = verify_corpus(["student1908_sleep", "no_such_dataset"])
    >>> print(render_corpus(corpus).splitlines()[0])
    Corpus of 2 datasets: 1 verified, 1 failed
    >>> len(render_corpus(corpus, format="jsonl").splitlines())
    2
    """
    if format == "json":
        return json.dumps(corpus.to_dict(), indent=2, allow_nan=False)
    if format == "jsonl":
        return "\n".join(json.dumps(e.to_dict(), allow_nan=False) for e in corpus) + "\n"
    if format == "markdown":
        return _markdown(corpus, reports)
    if format == "html":
        return _html(corpus, reports)
    if format == "text":
        return _text(corpus, reports)
    raise ValueError(f"unknown format {format!r}; expected one of {', '.join(CORPUS_FORMATS)}")


def _tally(corpus: Any) -> list[str]:
    counts = corpus.counts
    lines = [
        f"Corpus of {counts['datasets']} datasets: {counts['verified']} verified, "
        f"{counts['failed']} failed"
    ]
    claims = counts["claims"]
    lines.append("Claims: " + ", ".join(f"{claims[v]} {VERDICT_LABELS[v]}" for v in VERDICT_ORDER))
    summary = counts["summary_claims"]
    if any(summary.values()):
        lines.append(
            "Summary-level claims: " + ", ".join(f"{n} {status}" for status, n in summary.items())
        )
    return lines


def _rows(corpus: Any) -> list[tuple[str, ...]]:
    """One row per dataset: its name, claims per verdict, and a note (summary-level
    statuses, or why it failed)."""
    rows = []
    for entry in corpus:
        audit = entry.audit
        if entry.failed:
            cells = ["-"] * len(VERDICT_ORDER)
            note = f"failed: {entry.error}"
        elif _is_summary(audit):
            cells = ["-"] * len(VERDICT_ORDER)
            note = "no table; summary-level: " + ", ".join(
                f"{n} {status}" for status, n in audit.counts.items()
            )
        else:
            cells = [str(audit.counts[v]) for v in VERDICT_ORDER]
            note = ""
        rows.append((entry.dataset, *cells, note))
    return rows


def _text(corpus: Any, reports: bool) -> str:
    rows = [_HEADERS, *[tuple(printable(c) for c in r) for r in _rows(corpus)]]
    widths = [max(len(r[i]) for r in rows) for i in range(len(_HEADERS) - 1)]
    lines = [*_tally(corpus), ""]
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells += [c.rjust(w) for c, w in zip(row[1:-1], widths[1:], strict=True)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    out = "\n".join(lines) + "\n"
    if reports:
        for entry in _verified(corpus):
            out += "\n" + "=" * 100 + "\n\n" + _report(entry.audit, "text")
    return out


def _markdown(corpus: Any, reports: bool) -> str:
    tally = _tally(corpus)
    lines = [f"# {tally[0]}", "", *[f"- {t}" for t in tally[1:]], ""]
    lines.append("| " + " | ".join(_HEADERS) + " |")
    lines.append("|---|" + "---:|" * len(VERDICT_ORDER) + "---|")
    for row in _rows(corpus):
        # The counts are ours ("-" or digits); names and notes come from files.
        cells = [_inline(row[0]), *row[1:-1], _inline(row[-1])]
        lines.append("| " + " | ".join(cells) + " |")
    out = "\n".join(lines) + "\n"
    if reports:
        for entry in _verified(corpus):
            out += "\n---\n\n" + _report(entry.audit, "markdown")
    return out


def _html(corpus: Any, reports: bool) -> str:
    tally = _tally(corpus)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(tally[0])}</title>",
        f"<style>{_CSS}iframe{{width:100%;height:80vh;border:1px solid #ddd}}"
        "tr.failed{background:#fbe0e0}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{escape(tally[0])}</h1>",
        '<ul class="facts">',
        *[f"<li>{escape(t)}</li>" for t in tally[1:]],
        "</ul>",
        "<table><thead><tr>"
        + "".join(
            f"<th class='num'>{escape(h)}</th>" if 0 < i < len(_HEADERS) - 1 else f"<th>{h}</th>"
            for i, h in enumerate(_HEADERS)
        )
        + "</tr></thead><tbody>",
    ]
    for entry, row in zip(corpus, _rows(corpus), strict=True):
        css = ' class="failed"' if entry.failed else ""
        cells = [f"<td><code>{escape(row[0])}</code></td>"]
        cells += [f"<td class='num'>{escape(c)}</td>" for c in row[1:-1]]
        cells.append(f"<td>{escape(row[-1])}</td>")
        parts.append(f"<tr{css}>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table>")
    if reports:
        parts.append("<h2>Reports</h2>")
        for entry in _verified(corpus):
            page = _report(entry.audit, "html")
            parts.append(
                f"<details><summary><code>{escape(entry.dataset)}</code></summary>"
                f'<iframe title="{escape(entry.dataset)}" srcdoc="{escape(page)}"></iframe>'
                "</details>"
            )
    parts += [
        "<footer>Generated by cohort-reanalysis. The JSON report (<code>--format json</code>) "
        "carries every claim of every dataset at full precision.</footer>",
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _is_summary(audit: Any) -> bool:
    from ..verification._audit import SummaryAudit

    return isinstance(audit, SummaryAudit)


def _verified(corpus: Any) -> list[Any]:
    return [e for e in corpus if not e.failed]


def _report(audit: Any, fmt: str) -> str:
    """A dataset's own report, as ``verify NAME --format FMT`` prints it (no figures)."""
    if _is_summary(audit):
        from ._summary_report import render_summary

        text = render_summary(audit, format=fmt)
    elif fmt == "markdown":
        from ._markdown import render_markdown

        text = render_markdown(audit)
    elif fmt == "html":
        from ._html_report import render_html

        text = render_html(audit)
    else:
        from ._text import render_text

        text = render_text(audit)
    return text if text.endswith("\n") else text + "\n"
