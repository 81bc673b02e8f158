"""``analyze --group``: does the change ``after - before`` differ between the groups?

:func:`compare_levels` builds the ``comparison`` entry of the ``analyze`` JSON
(docs/json-contract.md) from :func:`~cohort_reanalysis.analyses._group_tests.compare_groups`,
whose tests come from the statistics kernel: with two groups, Welch's t of the change (the
stated test: the difference in mean change, last level minus first, with its t interval) and
the Wilcoxon rank-sum test beside it; with more, the Kruskal–Wallis test (stated), the one-way
ANOVA and Welch's ANOVA. :func:`comparison_text` shows that entry for a terminal.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

import numpy as np

from .._format import format_number, format_p
from ..cohort import PairedData

__all__ = ["compare_levels", "comparison_text"]

#: The name of each test's statistic, as R prints it.
_STATISTIC_NAMES = {
    "Welch t": "t",
    "Wilcoxon rank-sum": "W",
    "Kruskal–Wallis": "H",
    "one-way ANOVA": "F",
    "Welch ANOVA": "F",
}


def compare_levels(
    pairs: PairedData, levels: Mapping[str, set[int]], *, confidence_level: float = 0.95
) -> dict[str, Any]:
    """The tests that the change differs between the levels of the group column.

    Parameters
    ----------
    pairs : PairedData
        The complete pairs of the whole table.
    levels : mapping of str to set of int
        Each level of the group column and its rows (numbered as in the file), in order.
    confidence_level : float, default 0.95
        Of the interval of Welch's difference in mean change.

    Returns
    -------
    dict
        ``outcome``, ``levels`` (those with at least one complete pair, in order),
        ``difference`` (``"'B' - 'A'"`` for two levels, else None) and ``tests``: one entry
        per test, the stated one first, each with ``method``, ``stated``, ``statistic``,
        ``statistic_name``, ``df``, ``df_denominator``, ``pvalue``, ``estimate``,
        ``ci_low``, ``ci_high``, ``confidence_level``, ``n``, ``note`` and ``reason`` (why
        it is not computed, else None).

    Examples
    --------
    >>> import pandas as pd
    >>> from cohort_reanalysis.cohort import Cohort
    >>> frame = pd.DataFrame({"b": [80.0, 92.5, 71.0, 85.0, 90.0, 77.0],
    ...                       "a": [78.0, 90.0, 71.5, 80.0, 84.0, 70.0],
    ...                       "arm": ["A", "A", "A", "B", "B", "B"]})
    >>> cohort = Cohort.from_frame(frame, columns={"before": "b", "after": "a", "group": "arm"})
    >>> out = compare_levels(cohort.pair(), {"A": {1, 2, 3}, "B": {4, 5, 6}})
    >>> out["difference"], [t["method"] for t in out["tests"]]
    ("'B' - 'A'", ['Welch t', 'Wilcoxon rank-sum'])
    >>> round(out["tests"][0]["estimate"], 12)  # mean change -6 in B, -4/3 in A
    -4.666666666667
    """
    from ..analyses._group_tests import compare_groups

    rows = np.asarray(pairs.rows)
    change = np.asarray(pairs.change, dtype=np.float64)
    values = [change[np.isin(rows, sorted(members))] for members in levels.values()]
    labels = list(levels)
    tests = compare_groups(values, labels, confidence_level=confidence_level, rank_sum=True)
    used = [label for label, v in zip(labels, values, strict=True) if v.size]
    return {
        "outcome": "change (after - before)",
        "levels": used,
        "difference": f"{used[-1]!r} - {used[0]!r}" if len(used) == 2 else None,
        "tests": [
            {
                "method": t.method,
                "stated": t.stated,
                "statistic": t.statistic,
                "statistic_name": _STATISTIC_NAMES[t.method],
                "df": t.df,
                "df_denominator": t.df_denominator,
                "pvalue": t.pvalue,
                "estimate": t.estimate,
                "ci_low": t.ci_low,
                "ci_high": t.ci_high,
                "confidence_level": t.confidence_level,
                "n": t.n,
                "note": t.note,
                "reason": t.reason,
            }
            for t in tests
        ],
    }


def comparison_text(entry: Mapping[str, Any], column: str, width: int) -> list[str]:
    """The comparison between groups for a terminal: one line (wrapped) per test.

    Examples
    --------
    >>> entry = {"outcome": "change (after - before)", "levels": ["A"], "difference": None,
    ...          "tests": [{"method": "Welch t", "stated": True, "statistic": None,
    ...                     "reason": "fewer than two groups have patients"}]}
    >>> print("\\n".join(comparison_text(entry, "arm", 100)))
    Between the groups of arm, the change (after - before):
      Welch t (stated): not computed (fewer than two groups have patients)
    """
    lines = [f"Between the groups of {column}, the {entry['outcome']}:"]
    for t in entry["tests"]:
        name = t["method"] + (" (stated)" if t["stated"] else "")
        if t["statistic"] is None:
            text = f"  {name}: not computed ({t['reason']})"
        else:
            parts = []
            if t["estimate"] is not None:
                ci = ""
                if t["ci_low"] is not None and t["ci_high"] is not None:
                    ci = (
                        f", {t['confidence_level']:.0%} CI {format_number(t['ci_low'])} to "
                        f"{format_number(t['ci_high'])}"
                    )
                parts.append(
                    f"difference in mean change {entry['difference']} = "
                    f"{format_number(t['estimate'])}{ci}"
                )
            stat = f"{t['statistic_name']} = {format_number(t['statistic'])}"
            if t["df"] is not None:
                df = format_number(t["df"])
                if t["df_denominator"] is not None:
                    df += f", {format_number(t['df_denominator'])}"
                stat += f", df = {df}"
            parts.append(f"{stat}, p = {format_p(t['pvalue'])}")
            text = f"  {name}: " + "; ".join(parts)
            # The difference's own note ("difference in means: 'B' minus 'A'") is said above.
            notes = [n for n in t["note"].split("; ") if n and not n.startswith("difference in")]
            if notes:
                text += f" ({'; '.join(notes)})"
        lines += textwrap.wrap(text, width, subsequent_indent="    ", break_on_hyphens=False)
    return lines
