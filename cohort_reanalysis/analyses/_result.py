"""What every analysis result shares: tidy rows, reprs, and the rows it used and left out.

A result is a frozen dataclass that inherits :class:`AnalysisResult` (or, without rows of a
table, :class:`ResultDisplay`) and implements ``_estimates()`` (one :class:`Estimate` per
number worth a row), ``_title()``, ``_explanation()`` and, where it has any, ``_warnings()``.
Everything else (``to_frame``, ``__str__``, ``_repr_html_``, ``explain``, the warnings and
the reasons for missing values, which all three print) is derived here, once.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from .._format import count_noun, format_number, format_p
from .._html import html_table
from ..cohort import Exclusion
from ..cohort._spec import reduce_frozen

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ._correlation import CorrelationResult
    from ._linear_model import LinearModelResult

__all__ = [
    "AnalysisResult",
    "Estimate",
    "ResultDisplay",
    "correlation_estimate",
    "model_term_estimate",
]

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
    """One row of a tidy result table. Unused fields stay ``None``.

    ``reason`` says why part of a row that has an estimate (its interval, its test) could not
    be computed; it is printed with the row's result, like the ``note`` of a row with no
    estimate at all.
    """

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
    reason: str = ""


class ResultDisplay:
    """How every result is shown: a table of estimates, its warnings and missing values.

    A subclass implements ``_estimates()``, ``_title()`` and ``_explanation()``, and where it
    has them ``_warnings()`` (what makes a shown number less trustworthy) and ``_footer()``.
    ``__str__``, ``_repr_html_`` and ``explain()`` all print every warning and the reason for
    every quantity that could not be computed, so none is seen only in ``to_frame()``.
    """

    def _estimates(self) -> Sequence[Estimate]:
        raise NotImplementedError

    def _title(self) -> str:
        raise NotImplementedError

    def _explanation(self) -> str:
        raise NotImplementedError

    def _warnings(self) -> Sequence[str]:
        return ()

    def _footer(self) -> str:
        return ""

    @property
    def warnings(self) -> tuple[str, ...]:
        """Warnings about the numbers shown (each once), as printed under the table."""
        return tuple(dict.fromkeys(w for w in self._warnings() if w))

    @property
    def not_computed(self) -> Mapping[str, str]:
        """Each quantity that could not be computed (printed "—"), or whose interval or test
        could not be, with the reason."""
        out = {}
        for e in self._estimates():
            if _is_missing(e):
                out[e.quantity] = e.note or e.reason or "not computed"
            elif e.reason:
                out[f"interval or test of {e.quantity}"] = e.reason
        return MappingProxyType(out)

    def caveats(self) -> list[str]:
        """The warnings and the reasons for missing values, one sentence each.

        Examples
        --------
        >>> from cohort_reanalysis.analyses._rtm import regression_to_mean
        >>> from cohort_reanalysis.cohort import load_dataset
        >>> res = regression_to_mean(load_dataset("matsuoka2025"))
        >>> any(c.startswith("Not computed: expected change") for c in res.caveats())
        True
        """
        lines = [f"Warning: {_sentence(w)}" for w in self.warnings]
        lines += [f"Not computed: {q}: {_sentence(r)}" for q, r in self.not_computed.items()]
        return lines

    def to_frame(self) -> pd.DataFrame:
        """A tidy DataFrame, one row per estimate, at full precision."""
        records = [{name: getattr(e, name) for name in _COLUMNS} for e in self._estimates()]
        import pandas as pd

        frame = pd.DataFrame.from_records(records, columns=_COLUMNS)
        return frame.astype(
            {c: "float64" for c in _COLUMNS if c not in ("quantity", "n", "method", "note")}
        )

    def explain(self) -> str:
        """A paragraph for a student: what was tested, how to read it, what it does not show.

        Every warning and reason for a missing value is in it: those the explanation does not
        already state are appended.
        """
        text = self._explanation()
        extra = [f"Warning: {_sentence(w)}" for w in self.warnings if not _says(text, w)]
        extra += [
            f"Not computed: {q}: {_sentence(r)}"
            for q, r in self.not_computed.items()
            if not _says(text, r)
        ]
        return " ".join([text, *extra])

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

    def _table_lines(self) -> list[str]:
        header = ["quantity", "estimate", "CI", "statistic", "df", "p", "n", "method"]
        rows = self._rendered_rows()
        widths = _column_widths([header, *rows])
        if sum(widths) + 2 * (len(widths) - 1) <= _WIDTH:
            return [
                "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
                for r in [header, *rows]
            ]
        # Too wide for a terminal's 100 columns: one wrapped line per estimate instead.
        return [
            textwrap.fill(_as_sentence(header, row), _WIDTH, subsequent_indent="    ")
            for row in rows
        ]

    def __str__(self) -> str:
        # The title is never wrapped: it carries a stratum rule that must stay whole.
        lines = [self._title(), *self._table_lines()]
        lines += [textwrap.fill(c, _WIDTH, subsequent_indent="    ") for c in self.caveats()]
        if self._footer():
            lines.append(textwrap.fill(self._footer(), _WIDTH))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        header = ["quantity", "estimate", "CI", "statistic", "df", "p", "n", "method"]
        return html_table(
            header,
            self._rendered_rows(),
            caption=self._title(),
            footer=self._footer() or None,
            notes=self.caveats(),
        )


class AnalysisResult(ResultDisplay):
    """Base of analysis results: frozen dataclasses with ``rows`` and ``excluded`` fields."""

    rows: np.ndarray
    excluded: tuple[Exclusion, ...]

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Read-only mappings (reasons, correlations) cannot be pickled as they are; results
        # must travel to worker processes and caches.
        return reduce_frozen(self)

    @property
    def n_excluded(self) -> int:
        return len(self.excluded)

    def _footer(self) -> str:
        return self._accounting()

    def _accounting(self) -> str:
        used = f"{count_noun(len(self.rows), 'row')} used"
        if not self.excluded:
            text = used + ", none left out."
        else:
            left = "; ".join(f"row {x.row}: {x.reason}" for x in self.excluded)
            text = f"{used}, {len(self.excluded)} left out ({left})."
        source = getattr(getattr(self, "pairs", None), "source", None)
        return text + (f" Data: {source}." if source else "")


def _is_missing(e: Estimate) -> bool:
    """A row printed "—": nothing in it could be computed."""
    return e.estimate is None and e.statistic is None and e.pvalue is None


def _says(text: str, what: str) -> bool:
    """Whether ``text`` already states ``what`` (ignoring case, spacing and a final stop)."""
    return " ".join(what.split()).rstrip(".").lower() in " ".join(text.split()).lower()


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


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
