"""An Audit as one self-contained HTML file: inline CSS, figures embedded, nothing fetched."""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from html import escape
from typing import Any

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
from ._verdict_style import VERDICT_ACCENTS, VERDICT_LABELS, VERDICT_ORDER, background_css

__all__ = ["render_html"]

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.45;
  color:#1d1d1f;background:#fff;margin:0}
main{max-width:62rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.5rem;margin:0 0 .6rem}
h2{font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
h3{font-size:1rem;margin:0 0 .4rem}
ul.facts{padding-left:1.2rem;margin:.4rem 0}
.counts{display:flex;flex-wrap:wrap;gap:.5rem;margin:.6rem 0}
.badge{display:inline-block;padding:.15rem .55rem;border-radius:.8rem;font-size:.85rem;
  border:1px solid rgba(0,0,0,.12);white-space:nowrap}
.counts .badge{font-size:1rem;padding:.3rem .8rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;font-variant-numeric:tabular-nums}
th,td{padding:.3rem .5rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
th{background:#f6f6f6}
td.num{white-space:nowrap}
article{border:1px solid #ddd;border-left-width:.4rem;border-radius:.3rem;padding:.7rem .9rem;
  margin:.8rem 0}
blockquote{margin:.4rem 0;padding:.2rem .8rem;border-left:3px solid #ccc;color:#444;
  font-style:italic}
.location{color:#666;font-size:.85rem;margin:0 0 .4rem}
dl.fields{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .8rem;margin:.4rem 0}
dl.fields dt{font-weight:600}
dl.fields dd{margin:0}
figure{margin:1rem 0;text-align:center}
figure img,figure svg{max-width:100%;height:auto}
figcaption{font-size:.85rem;color:#555}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
footer{margin-top:2rem;color:#777;font-size:.8rem}
"""

_CSS += background_css() + "\n"
_CSS += "\n".join(
    f"article.{verdict}{{border-left-color:{colour};background:#fff}}"
    for verdict, colour in VERDICT_ACCENTS.items()
)

_PROLOG = re.compile(r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^>]*>\s*)?(?:<!--.*?-->\s*)*", re.S)


def render_html(audit: Any, *, figures: Mapping[str, bytes | str] | None = None) -> str:
    """One self-contained HTML page: facts and counts, a claims table, figures, details.

    Parameters
    ----------
    audit : Audit
        From :func:`cohort_reanalysis.verification._audit.verify`.
    figures : mapping of str to bytes or str, optional
        Figures by name: PNG bytes (embedded as base64) or SVG text (inlined), placed after
        the claims table (verdicts first), each with a caption that says what it shows
        (:data:`~.figures._registry.FIGURE_DESCRIPTIONS`). Nothing is linked or fetched, so
        the file can be mailed or archived alone.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> from cohort_reanalysis.verification._audit import verify
    >>> page = render_html(verify(load_dataset("matsuoka2025")))
    >>> page.startswith("<!DOCTYPE html>"), "http://" in page.split("<body>")[0]
    (True, False)
    """
    facts = audit_facts(audit)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(facts.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{escape(facts.title)}</h1>",
        '<ul class="facts">',
    ]
    if facts.source:
        parts.append(f"<li><strong>Source:</strong> {escape(facts.source)}</li>")
    if facts.doi:
        doi = escape(facts.doi)
        parts.append(f'<li><strong>DOI:</strong> <a href="https://doi.org/{doi}">{doi}</a></li>')
    else:
        parts.append("<li><strong>DOI:</strong> none given</li>")
    parts += [f"<li>{escape(facts.rows)}</li>", f"<li>{escape(facts.excluded)}</li>"]
    parts += [f"<li>Row set also tried: {escape(r)}</li>" for r in facts.row_sets]
    parts += [f"<li>{escape(facts.rounding)}</li>", "</ul>"]

    counts = audit.counts
    parts.append('<div class="counts">')
    for verdict in VERDICT_ORDER:
        parts.append(
            f'<span class="badge {verdict}">{escape(VERDICT_LABELS[verdict])}: '
            f"<strong>{counts.get(verdict, 0)}</strong></span>"
        )
    parts.append("</div>")

    ordered = ordered_results(audit.results)
    parts += [
        "<h2>Claims</h2>",
        "<table><thead><tr><th>verdict</th><th>claim</th><th>location</th><th>reported</th>"
        "<th>recomputed</th></tr></thead><tbody>",
    ]
    for r in ordered:
        verdict = verdict_of(r)
        parts.append(
            f'<tr class="{escape(verdict)}"><td>{escape(VERDICT_LABELS.get(verdict, verdict))}'
            f'</td><td><a href="#{anchor(r.id)}"><code>{escape(r.id)}</code></a></td>'
            f"<td>{escape(r.location)}</td><td class='num'>{escape(reported_text(r))}</td>"
            f"<td class='num'>{escape(recomputed_text(r))}</td></tr>"
        )
    parts.append("</tbody></table>")
    # A reviewer reads the verdicts first: the claims table, then the figures, then details.
    if figures:
        parts.append("<h2>Figures</h2>")
        parts += [_figure(name, data) for name, data in figures.items()]
    parts.append("<h2>Details</h2>")
    parts += [_article(r) for r in ordered]
    parts += [
        "<footer>Generated by cohort-reanalysis. Recomputed values are shown rounded; the JSON "
        "report (<code>--format json</code>) carries them at full precision.</footer>",
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _article(r: Any) -> str:
    verdict = verdict_of(r)
    fields = [("Reported", reported_text(r)), ("Recomputed (stated method)", recomputed_text(r))]
    if rows_used_text(r) is not None:
        fields.append(("Rows", str(rows_used_text(r))))
    if r.specification:
        fields.append(("Reproduced with", specification_text(r.specification)))
    departures = getattr(r, "departures", ())
    if departures:
        fields.append(("Departs from the stated method in", ", ".join(departures)))
    if r.nearest is not None:
        fields.append(("Nearest", nearest_text(r)))
    if getattr(r, "broken_rows", None):
        fields.append(("Broken rows", broken_rows_text(r)))
    if r.joint is not None:
        others = ", ".join(i for i in r.joint.group if i != r.id)
        state = (
            "one specification reproduces them all"
            if r.joint.satisfied
            else "no single specification reproduces them all"
        )
        fields.append(("Jointly with", f"{others}: {state}"))
    rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in fields)
    return (
        f'<article id="{anchor(r.id)}" class="{escape(verdict)}">'
        f"<h3><code>{escape(r.id)}</code> "
        f'<span class="badge {escape(verdict)}">{escape(VERDICT_LABELS.get(verdict, verdict))}'
        f"</span></h3>"
        f"<blockquote>{escape(r.quote)}</blockquote>"
        f'<p class="location">{escape(r.location)}</p>'
        f'<dl class="fields">{rows}</dl>'
        f"<p>{escape(r.explanation)}</p></article>"
    )


def _figure(name: str, data: bytes | str) -> str:
    from .figures._registry import FIGURE_DESCRIPTIONS

    # The caption says what the figure shows; a figure the registry does not know (one a
    # caller passes in) is captioned by its name (kept as given if it is already words, as
    # "specification curve of results.iqr_change" is).
    words = name if " " in name else name.replace("_", " ")
    caption = escape(FIGURE_DESCRIPTIONS.get(name) or words)
    if isinstance(data, bytes) and data.startswith(b"\x89PNG"):
        encoded = base64.b64encode(data).decode("ascii")
        body = f'<img src="data:image/png;base64,{encoded}" alt="{caption}">'
    else:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        if "<svg" not in text:
            raise ValueError(f"figure {name!r} is neither PNG bytes nor SVG text")
        # Inline SVG: the XML prolog and DOCTYPE are not allowed inside HTML.
        body = _PROLOG.sub("", text, count=1)
    return f"<figure>{body}<figcaption>{caption}</figcaption></figure>"
