"""An Audit as plain text for a terminal, readable in 100 columns."""

from __future__ import annotations

import textwrap
from typing import Any

from ._audit_facts import (
    audit_facts,
    broken_rows_text,
    rows_used_text,
    specification_text,
    verdict_of,
)
from ._verdict_style import VERDICT_LABELS, VERDICT_ORDER

__all__ = ["printable", "render_text"]


def printable(text: str) -> str:
    r"""Text with every character a terminal could act on (control characters, bidi
    overrides, other non-printables) written as ``repr`` writes it: ``\x1b``, ``\u202e``.

    Examples
    --------
    >>> print(printable("a\x1b[31mb\u202ec"))
    a\x1b[31mb\u202ec
    """
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in str(text))


def render_text(audit: Any, *, width: int = 100) -> str:
    """A plain-text report: the facts and counts first, then every claim by verdict.

    Parameters
    ----------
    audit : Audit
        From :func:`cohort_reanalysis.verification._audit.verify`.
    width : int, default 100
        Lines are wrapped to this width (ids and long words are never broken).

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> from cohort_reanalysis.verification._audit import verify
    >>> text = render_text(verify(load_dataset("matsuoka2025")))
    >>> text.splitlines()[0]
    'Verification of matsuoka2025: 35 claims'
    """
    facts = audit_facts(audit)
    lines = [facts.title]
    if facts.source:
        lines += _wrap(f"Source: {facts.source}", width)
    lines.append(f"DOI: {facts.doi or 'none given'}")
    lines += _wrap(facts.rows, width)
    lines += _wrap(facts.excluded, width)
    lines += _wrap(facts.counts, width)
    for row_set in facts.row_sets:
        lines += _wrap(f"Row set also tried: {row_set}", width)
    lines += _wrap(facts.rounding, width)
    by_verdict: dict[str, list[Any]] = {v: [] for v in VERDICT_ORDER}
    for result in audit.results:
        by_verdict.setdefault(verdict_of(result), []).append(result)
    for verdict, results in by_verdict.items():
        if not results:
            continue
        heading = f"{VERDICT_LABELS.get(verdict, verdict).upper()} ({len(results)})"
        lines += ["", heading, "=" * len(heading)]
        for result in results:
            lines += ["", *_claim(result, width)]
    # Every field that comes from a file reaches the terminal only through printable().
    return "\n".join(printable(line.rstrip()) for line in lines) + "\n"


def _claim(result: Any, width: int) -> list[str]:
    # The explanation already says reported vs recomputed and the nearest value, in words.
    lines = _wrap(f"{result.id} ({result.location})", width)
    lines += textwrap.wrap(
        f"“{result.quote}”",
        width,
        initial_indent="  ",
        subsequent_indent="   ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    lines += _wrap(result.explanation, width, indent="  ")
    if getattr(result, "broken_rows", None):
        lines += _wrap(f"Broken rows: {broken_rows_text(result)}.", width, indent="  ")
    rows = rows_used_text(result)
    if rows is not None:
        lines += _wrap(f"Rows: {rows}.", width, indent="  ")
    if result.specification:
        lines += _wrap(
            f"Reproduced with: {specification_text(result.specification)}.", width, indent="  "
        )
    joint = result.joint
    if joint is not None:
        others = ", ".join(i for i in joint.group if i != result.id)
        if joint.satisfied:
            text = f"Jointly with {others}: one specification reproduces them all."
        else:
            text = f"Jointly with {others}: no single specification reproduces them all."
        lines += _wrap(text, width, indent="  ")
    return lines


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    return textwrap.wrap(
        text,
        width,
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent.rstrip()]
