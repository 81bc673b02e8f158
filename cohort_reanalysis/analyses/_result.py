"""What every analysis result shares: tidy rows, reprs, and the rows it used and left out.

A result is a frozen dataclass that inherits :class:`AnalysisResult` and implements
``_estimates()`` (one :class:`Estimate` per number worth a row), ``_title()`` and ``explain()``.
Everything else (``to_frame``, ``__str__``, ``_repr_html_``) is derived here, once.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .._format import format_number, format_p
from .._html import html_table
from ..cohort import Exclusion
from ..cohort._spec import reduce_frozen

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ._correlation import CorrelationResult
    from ._linear_model import LinearModelResult

__all__ = ["AnalysisResult", "Estimate", "correlation_estimate", "model_term_estimate"]

_WIDTH = 100  # columns of a terminal that __str__ fits in

_COLUMNS = [
    "quantity",
    "estimate",
    "ci_low",
    "ci_high",
    "confidence_level",
    "statistic",
    "df",
    "pvalue",
    "n",
    "method",
    "note",
]


@dataclass(frozen=True)
class Estimate:
    """One row of a tidy result table. Unused fields stay ``None``."""

    quantity: str
    estimate: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    confidence_level: float | None = None
    statistic: float | None = None
    df: float | None = None
    pvalue: float | None = None
    n: int | None = None
    method: str = ""
    note: str = ""


class AnalysisResult:
    """Base of analysis results: frozen dataclasses with ``rows`` and ``excluded`` fields."""

    rows: np.ndarray
    excluded: tuple[Exclusion, ...]

    def _estimates(self) -> Sequence[Estimate]:
        raise NotImplementedError

    def _title(self) -> str:
        raise NotImplementedError

    def explain(self) -> str:
        """A paragraph for a student: what was tested, how to read it, what it does not show."""
        raise NotImplementedError

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Read-only mappings (reasons, correlations) cannot be pickled as they are; results
        # must travel to worker processes and caches.
        return reduce_frozen(self)

    @property
    def n_excluded(self) -> int:
        return len(self.excluded)

    def to_frame(self) -> pd.DataFrame:
        """A tidy DataFrame, one row per estimate, at full precision."""
        records = [{name: getattr(e, name) for name in _COLUMNS} for e in self._estimates()]
        import pandas as pd

        frame = pd.DataFrame.from_records(records, columns=_COLUMNS)
        return frame.astype(
            {c: "float64" for c in _COLUMNS if c not in ("quantity", "n", "method", "note")}
        )

    def _rendered_rows(self) -> list[list[str]]:
        rows = []
        for e in self._estimates():
            ci = ""
            if e.ci_low is not None and e.ci_high is not None:
                level = f"{e.confidence_level:.0%} " if e.confidence_level else ""
                ci = f"{level}CI {format_number(e.ci_low)} to {format_number(e.ci_high)}"
            rows.append(
                [
                    e.quantity,
                    format_number(e.estimate),
                    ci,
                    "" if e.statistic is None else format_number(e.statistic),
                    "" if e.df is None else format_number(e.df),
                    "" if e.pvalue is None else format_p(e.pvalue),
                    "" if e.n is None else str(e.n),
                    e.method,
                ]
            )
        return rows

    def _accounting(self) -> str:
        used = f"{len(self.rows)} rows used"
        if not self.excluded:
            text = used + ", none left out."
        else:
            left = "; ".join(f"row {x.row}: {x.reason}" for x in self.excluded)
            text = f"{used}, {len(self.excluded)} left out ({left})."
        source = getattr(getattr(self, "pairs", None), "source", None)
        return text + (f" Data: {source}." if source else "")

    def __str__(self) -> str:
        header = ["quantity", "estimate", "CI", "statistic", "df", "p", "n", "method"]
        rows = self._rendered_rows()
        widths = _column_widths([header, *rows])
        # The title is never wrapped: it carries a stratum rule that must stay whole.
        lines = [self._title()]
        if sum(widths) + 2 * (len(widths) - 1) <= _WIDTH:
            lines += [
                "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
                for r in [header, *rows]
            ]
        else:
            # Too wide for a terminal's 100 columns: one wrapped line per estimate instead.
            lines += [
                textwrap.fill(_as_sentence(header, row), _WIDTH, subsequent_indent="    ")
                for row in rows
            ]
        lines.append(textwrap.fill(self._accounting(), _WIDTH))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        header = ["quantity", "estimate", "CI", "statistic", "df", "p", "n", "method"]
        return html_table(
            header, self._rendered_rows(), caption=self._title(), footer=self._accounting()
        )


def _as_sentence(header: Sequence[str], row: Sequence[str]) -> str:
    quantity, estimate, ci, *rest, method = row
    parts = [f"{quantity}: {estimate}" + (f" ({ci})" if ci else "")]
    parts += [f"{name} = {value}" for name, value in zip(header[3:-1], rest, strict=True) if value]
    return "; ".join(parts) + (f" [{method}]" if method else "")


def _column_widths(table: Sequence[Sequence[str]]) -> list[int]:
    return [max(len(row[i]) for row in table) for i in range(len(table[0]))]


def correlation_estimate(
    quantity: str, c: CorrelationResult | None, reason: str, n: int
) -> Estimate:
    """A tidy row for a correlation, or an empty row carrying the reason it is missing."""
    if c is None:
        return Estimate(quantity, n=n, note=reason)
    method = {
        "pearson": "Pearson, Fisher-z CI",
        "spearman": "Spearman, t approximation",
        "kendall": "Kendall tau-b, normal approximation",
    }.get(c.method, c.method)
    return Estimate(
        quantity,
        c.estimate,
        c.ci_low,
        c.ci_high,
        c.confidence_level if c.ci_low is not None else None,
        c.statistic,
        c.df,
        c.pvalue,
        c.n,
        f"{method} ({c.statistic_name} statistic)",
        "; ".join(c.notes),
    )


def model_term_estimate(
    quantity: str, m: LinearModelResult, term: str, method: str, note: str
) -> Estimate:
    """A tidy row for one term of a fitted linear model."""
    i = m.index(term)
    return Estimate(
        quantity,
        m.coef[i],
        m.ci_low[i],
        m.ci_high[i],
        m.confidence_level,
        m.statistic[i],
        float(m.df_resid),
        m.pvalue[i],
        m.n,
        method,
        note,
    )
