"""The ``analyze`` report of a user's own table: paired change overall and per group.

:func:`analyze_table` builds one JSON-ready dict (the command line's ``analyze --format json``
contract: docs/json-contract.md) from the analyses; :func:`render_analysis_text` shows that dict
for a terminal. Numbers are kept at full precision in the dict and rounded only in the text.
"""

from __future__ import annotations

import dataclasses
import math
import textwrap
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._format import format_number, format_p
from ..cohort import Cohort, Exclusion, PairedData
from ._analyze_groups import compare_levels, comparison_text

__all__ = ["analyze_table", "render_analysis_text", "to_json_value"]

_WIDTH = 100
_LEVEL = 0.95


def analyze_table(
    cohort: Cohort,
    *,
    group: str | None = None,
    dose: bool = False,
    followup: bool = False,
) -> dict[str, Any]:
    """Paired change ``after - before`` of ``cohort``, overall and per level of ``group``.

    Parameters
    ----------
    cohort : Cohort
        A table with ``before`` and ``after`` columns (and ``dose``/``followup`` roles when
        asked for).
    group : str, optional
        Role or name of a column whose levels are analysed separately.
    dose, followup : bool
        Add the correlation of the change with the dose / the follow-up time.

    Returns
    -------
    dict
        JSON-ready (no NaN): ``groups`` maps ``"all"`` and each level to ``n``,
        ``mean_before``, ``mean_after``, ``mean_change``, ``sd_change``, ``statistic``,
        ``df``, ``pvalue``, ``ci_low``, ``ci_high`` (paired t, 95%), ``wilcoxon_pvalue``,
        ``n_excluded`` and ``excluded`` (``[{"row": int, "reason": str}]``). With
        ``group``, ``comparison`` holds the tests that the change differs between the
        levels (:func:`~._analyze_groups.compare_levels`: Welch t and the rank-sum test).

    Raises
    ------
    ValueError
        If no row has both values, or a group level is named ``"all"``.
    KeyError
        If ``group`` names no column.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"b": [80.0, 92.5, 71.0, None], "a": [78.0, 90.0, 71.5, 70.0]})
    >>> cohort = Cohort.from_frame(frame, columns={"before": "b", "after": "a"},
    ...                            measure="weight", unit="kg")
    >>> out = analyze_table(cohort)
    >>> out["groups"]["all"]["n"], out["groups"]["all"]["excluded"]
    (3, [{'row': 4, 'reason': 'b missing'}])
    """
    from ..analyses._paired import paired_change

    pairs = cohort.pair()
    before_spec, after_spec = cohort.column("before"), cohort.column("after")
    groups: dict[str, dict[str, Any]] = {"all": _paired_entry(paired_change(pairs))}
    out: dict[str, Any] = {
        "file": cohort.source,
        "measure": pairs.measure,
        "unit": pairs.unit,
        "before": before_spec.name if before_spec else pairs.before_label,
        "after": after_spec.name if after_spec else pairs.after_label,
        "change": "after - before",
        "confidence_level": _LEVEL,
        "test": "Paired t-test (two-sided); Wilcoxon signed-rank (normal approximation, "
        "continuity correction)",
        "n_rows": len(cohort),
        "group": None,
        "groups": groups,
    }
    if group is not None:
        spec = cohort.column(group)
        if spec is None:
            cohort.values(group)  # raises the KeyError that lists the columns
            raise AssertionError("unreachable")  # pragma: no cover
        levels, missing_rows = _levels(cohort, spec.name)
        for level, rows in levels.items():
            if level == "all":
                raise ValueError(
                    f"column {spec.name!r} has a level named 'all', which clashes with the "
                    "whole-table entry; rename the level"
                )
            groups[level] = _group_entry(pairs, rows, paired_change)
        out["group"] = {"column": spec.name, "levels": list(levels), "missing": missing_rows}
        out["comparison"] = compare_levels(pairs, levels, confidence_level=_LEVEL)
    if dose:
        out["dose"] = _association(cohort, "dose")
    if followup:
        out["followup"] = _association(cohort, "followup")
    return to_json_value(out)


def _paired_entry(result: Any) -> dict[str, Any]:
    wilcoxon = result.wilcoxon
    entry = {
        "n": result.n,
        "mean_before": result.mean_before,
        "mean_after": result.mean_after,
        "mean_change": result.estimate,
        "sd_change": result.sd_change,
        "se": result.se,
        "statistic": result.statistic,
        "df": result.df,
        "pvalue": result.pvalue,
        "ci_low": result.ci_low,
        "ci_high": result.ci_high,
        "confidence_level": result.confidence_level,
        "wilcoxon_statistic": None if wilcoxon is None else wilcoxon.statistic,
        "wilcoxon_pvalue": None if wilcoxon is None else wilcoxon.pvalue,
        "rows": [int(r) for r in result.rows],
        "n_excluded": len(result.excluded),
        "excluded": _excluded(result.excluded),
        "reasons": dict(result.reasons),
    }
    return entry


def _group_entry(pairs: PairedData, rows: set[int], paired_change: Any) -> dict[str, Any]:
    """The paired analysis of the rows of one group, with only that group's exclusions."""
    mask = np.isin(pairs.rows, sorted(rows))
    excluded = tuple(x for x in pairs.excluded if x.row in rows)
    stratum = dataclasses.replace(pairs.select(mask), excluded=excluded)
    if stratum.n == 0:
        why = "no row of this group has both values"
        keys = [
            *("mean_before", "mean_after", "mean_change", "sd_change", "se", "statistic"),
            *("df", "pvalue", "ci_low", "ci_high", "wilcoxon_statistic", "wilcoxon_pvalue"),
        ]
        entry: dict[str, Any] = dict.fromkeys(keys)
        entry.update(
            n=0,
            confidence_level=_LEVEL,
            rows=[],
            n_excluded=len(excluded),
            excluded=_excluded(excluded),
            reasons=dict.fromkeys(keys, why),
        )
        return entry
    return _paired_entry(paired_change(stratum))


def _levels(cohort: Cohort, column: str) -> tuple[dict[str, set[int]], list[int]]:
    values = cohort.values(column)
    rows = cohort.rows
    levels: dict[str, set[int]] = {}
    missing: list[int] = []
    for row, value in zip(rows, values, strict=True):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            missing.append(int(row))
            continue
        key = f"{value:.15g}" if isinstance(value, float) else str(value)
        levels.setdefault(key, set()).add(int(row))
    return dict(sorted(levels.items())), missing


def _association(cohort: Cohort, role: str) -> dict[str, Any]:
    """Correlations of the change ``after - before`` with the dose or the follow-up time.

    Only the correlations are reported: the dose groups of ``dose_response`` use thresholds
    from a paper, which mean nothing for a user's own table.
    """
    if role == "dose":
        from ..analyses._dose import dose_response

        result: Any = dose_response(cohort, direction="change")
    else:
        from ..analyses._followup import FOLLOWUP, followup_effect

        result = followup_effect(cohort)
    reasons: Mapping[str, str] = getattr(result, "reasons", {})
    correlations: dict[str, Any] = {}
    for method in ("pearson", "spearman", "kendall"):
        found = result.correlations.get(method)
        if found is not None:
            correlations[method] = _correlation_entry(found)
        elif method in reasons:
            correlations[method] = {"estimate": None, "reason": reasons[method]}
    partial = getattr(result, "partial", None)
    entry: dict[str, Any] = {
        "variable": role,
        "outcome": "change (after - before)",
        "n": len(result.rows),
        "correlations": correlations,
    }
    if partial is not None or "partial" in reasons:
        entry["partial_adjusted_for_baseline"] = (
            _correlation_entry(partial)
            if partial is not None
            else {"estimate": None, "reason": reasons["partial"]}
        )
    if role == "followup":
        entry.update(q1=result.q1, median=result.median, q3=result.q3)
        model = result.model
        if model is not None:
            i = model.index(FOLLOWUP)
            entry["slope"] = {
                "per": "unit of follow-up",
                "estimate": model.coef[i],
                "ci_low": model.ci_low[i],
                "ci_high": model.ci_high[i],
                "pvalue": model.pvalue[i],
                "df": model.df_resid,
            }
    entry["n_excluded"] = len(result.excluded)
    entry["excluded"] = _excluded(result.excluded)
    return entry


def _correlation_entry(c: Any) -> dict[str, Any]:
    return {
        "estimate": c.estimate,
        "statistic": c.statistic,
        "statistic_name": c.statistic_name,
        "df": c.df,
        "pvalue": c.pvalue,
        "ci_low": c.ci_low,
        "ci_high": c.ci_high,
        "confidence_level": c.confidence_level,
        "n": c.n,
        "notes": list(getattr(c, "notes", ())),
    }


def _excluded(excluded: tuple[Exclusion, ...]) -> list[dict[str, Any]]:
    return [{"row": int(x.row), "reason": x.reason} for x in excluded]


def to_json_value(value: Any) -> Any:
    """``value`` with numpy scalars as Python numbers and NaN/infinity as ``None``.

    Examples
    --------
    >>> to_json_value({"a": float("nan"), "b": [np.int64(2), np.float64(0.5)]})
    {'a': None, 'b': [2, 0.5]}
    """
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json_value(v) for v in value]
    if isinstance(value, np.ndarray):
        return [to_json_value(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is not None and not isinstance(value, (str, int, float, bool)):
        return None if value is pd.NA else str(value)
    return value


# ---------------------------------------------------------------------------- text


def render_analysis_text(summary: Mapping[str, Any], *, width: int = _WIDTH) -> str:
    """The ``analyze`` dict for a terminal: accounting first, then one table of groups.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"b": [80.0, 92.5, 71.0], "a": [78.0, 90.0, 71.5]})
    >>> cohort = Cohort.from_frame(frame, columns={"before": "b", "after": "a"})
    >>> print(render_analysis_text(analyze_table(cohort)).splitlines()[0])
    Paired change (after - before) of b -> a: 3 rows, 3 complete pairs, none left out
    """
    groups = summary["groups"]
    overall = groups["all"]
    what = summary.get("measure") or f"{summary['before']} -> {summary['after']}"
    unit = summary.get("unit")
    lines = [
        f"Paired change (after - before) of {what}"
        + (f" ({unit})" if unit else "")
        + f": {summary['n_rows']} rows, {overall['n']} complete pairs, "
        + (f"{overall['n_excluded']} left out" if overall["n_excluded"] else "none left out")
    ]
    if summary.get("file"):
        lines.insert(1, f"File: {summary['file']}")
    if overall["excluded"]:
        shown = "; ".join(f"row {x['row']}: {x['reason']}" for x in overall["excluded"])
        lines += textwrap.wrap(
            f"Left out: {shown}", width, subsequent_indent="  ", break_on_hyphens=False
        )
    grouping = summary.get("group")
    if grouping and grouping["missing"]:
        rows = ", ".join(str(r) for r in grouping["missing"])
        lines += textwrap.wrap(
            f"No {grouping['column']} value (in 'all' only): rows {rows}",
            width,
            subsequent_indent="  ",
        )
    level = f"{summary['confidence_level']:.0%}"
    # Means of before, after and change; SD of change; the CI is of the mean change.
    header = ["group", "n", "out", "before", "after", "change", "SD", f"{level} CI", "t", "df"]
    header += ["p", "p Wilcoxon"]
    table = [header]
    for name, g in groups.items():
        ci = (
            f"{format_number(g['ci_low'])} to {format_number(g['ci_high'])}"
            if g["ci_low"] is not None and g["ci_high"] is not None
            else "—"
        )
        table.append(
            [
                name,
                str(g["n"]),
                str(g["n_excluded"]),
                format_number(g["mean_before"]),
                format_number(g["mean_after"]),
                format_number(g["mean_change"]),
                format_number(g["sd_change"]),
                ci,
                format_number(g["statistic"]),
                format_number(g["df"]),
                format_p(g["pvalue"]),
                format_p(g["wilcoxon_pvalue"]),
            ]
        )
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    lines.append("")
    lines += [
        "  ".join(
            c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in table
    ]
    lines += textwrap.wrap(
        f"n: complete pairs; out: rows left out; before, after, change: means; SD and {level} CI "
        f"of the change. {summary['test']}.",
        width,
    )
    for name, g in groups.items():
        for key, why in sorted(set(g["reasons"].items())):
            if key in ("statistic", "wilcoxon"):
                lines += textwrap.wrap(f"{name}: {key}: {why}", width, subsequent_indent="  ")
    if grouping and "comparison" in summary:
        lines += ["", *comparison_text(summary["comparison"], grouping["column"], width)]
    for key in ("dose", "followup"):
        if key in summary:
            lines += ["", *_association_text(summary[key], width)]
    return "\n".join(line.rstrip() for line in lines)


def _association_text(entry: Mapping[str, Any], width: int) -> list[str]:
    names = {"pearson": "Pearson r", "spearman": "Spearman rho", "kendall": "Kendall tau-b"}
    what = "follow-up" if entry["variable"] == "followup" else entry["variable"]
    lines = [f"Correlation of the {what} with the change (after - before), n = {entry['n']}"]
    if "median" in entry:
        lines.append(
            f"  follow-up median {format_number(entry['median'])}, IQR "
            f"{format_number(entry['q1'])} to {format_number(entry['q3'])} (R type 7)"
        )
    items = [(names[m], c) for m, c in entry["correlations"].items()]
    if "partial_adjusted_for_baseline" in entry:
        items.append(("partial r | baseline", entry["partial_adjusted_for_baseline"]))
    for name, c in items:
        if c["estimate"] is None:
            text = f"  {name}: not computed ({c['reason']})"
        else:
            text = f"  {name} = {format_number(c['estimate'])}"
            if c["ci_low"] is not None and c["ci_high"] is not None:
                text += (
                    f", {c['confidence_level']:.0%} CI {format_number(c['ci_low'])} to "
                    f"{format_number(c['ci_high'])}"
                )
            text += f", p = {format_p(c['pvalue'])}"
        lines += textwrap.wrap(text, width, subsequent_indent="    ")
    slope = entry.get("slope")
    if slope is not None:
        lines += textwrap.wrap(
            f"  slope of the change per unit of follow-up = {format_number(slope['estimate'])}, "
            f"CI {format_number(slope['ci_low'])} to {format_number(slope['ci_high'])}, "
            f"p = {format_p(slope['pvalue'])}",
            width,
            subsequent_indent="    ",
        )
    if entry["excluded"]:
        shown = "; ".join(f"row {x['row']}: {x['reason']}" for x in entry["excluded"])
        lines += textwrap.wrap(
            f"  Left out: {shown}", width, subsequent_indent="    ", break_on_hyphens=False
        )
    return lines
