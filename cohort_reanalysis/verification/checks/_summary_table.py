"""A registry study's table checked in one call: markers × visits of mean ± SD with n per
visit, as such studies print it.

Three kinds of check, each one :class:`SummaryCheck` whose ``detail`` starts with the marker
and visit it is about:

- ``grim`` and ``grimmer`` per cell, where the marker's precision allows: a marker recorded
  to ``k`` decimals (``recorded_decimals``; 0 for a count or an enzyme in U/L) has means that
  are whole numbers of ``10**-k`` over n, so the printed mean and SD are checked at that
  scale (the decimal point moved by ``k``, exactly). A mean printed to no more decimals than
  the values were recorded to says nothing GRIM can test; a marker of unknown precision is
  not checked, and says so.
- ``visit_counts``: patients can leave a registry, not join a visit they missed, so the n
  per visit may only fall (baseline ≥ 6 months ≥ 12 months).
- ``paired_p_from_summary`` per stated change: its p recomputed from the two visits' cells
  over every within-patient correlation (``_paired_summary``). When the two visits' n differ
  their means are over different patients and the p cannot be held to them: the check does
  not apply, and shows what the numbers would allow if they were the same patients.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from .._interval import Comparator
from .._reported import parse_number
from .._rounding import Rounding
from ._grim import grim
from ._grimmer import grimmer
from ._paired_summary import paired_p_from_summary
from ._result import SummaryCheck
from ._table import split_mean_sd

__all__ = ["SummaryTableCheck", "check_summary_table", "summary_table_checks"]

Runner = tuple[str, Callable[[], SummaryCheck]]


@dataclass(frozen=True)
class SummaryTableCheck:
    """Every check of a markers × visits table.

    Attributes
    ----------
    checks : tuple of SummaryCheck
        In order: the visit counts, then per marker its cells (GRIM, GRIMMER) and its
        changes.
    consistent : bool or None
        False if any check fails, True if all that apply pass, None if none applies.

    Examples
    --------
    >>> t = check_summary_table(
    ...     ["baseline", "6 months"], [40, 38],
    ...     [{"name": "ALT", "cells": ["34.51 ± 9.81", "31.21 ± 8.70"], "recorded_decimals": 0}],
    ... )
    >>> [(c.check, c.status) for c in t.checks]  # doctest: +NORMALIZE_WHITESPACE
    [('visit_counts', 'consistent'), ('grim', 'inconsistent'), ('grimmer', 'inconsistent'),
     ('grim', 'consistent'), ('grimmer', 'consistent')]
    """

    checks: tuple[SummaryCheck, ...]

    @property
    def consistent(self) -> bool | None:
        applied = [c.consistent for c in self.checks if c.consistent is not None]
        return None if not applied else all(applied)

    @property
    def flagged(self) -> tuple[SummaryCheck, ...]:
        """The paired p-values that need a correlation above ``high_r``."""
        return tuple(c for c in self.checks if c.values.get("needs_high_r") == 1.0)


def _labelled(label: str, run: Callable[[], SummaryCheck]) -> Callable[[], SummaryCheck]:
    def go() -> SummaryCheck:
        found = run()
        return SummaryCheck(found.check, found.consistent, f"{label}: {found.detail}", found.values)

    return go


def _at_recorded_scale(text: str, decimals: int) -> str | None:
    """The printed number with its decimal point moved ``decimals`` places right (a value
    recorded to ``decimals`` becomes a whole number), or None if it has no decimals left."""
    number = parse_number(text)
    if number.exponent is not None or number.is_percent:
        raise ValueError(f"{text!r}: a table cell is a plain mean and SD, without % or powers")
    left = number.decimals - decimals
    if left <= 0:
        return None
    scaled = number.value.scaleb(decimals)
    return f"{scaled:.{left}f}" if scaled or number.sign != "-" else f"-{abs(scaled):.{left}f}"


def _counts(label: str, visits: Sequence[str], n: Sequence[int]) -> SummaryCheck:
    rises = [
        f"{visits[i + 1]} ({n[i + 1]}) > {visits[i]} ({n[i]})"
        for i in range(len(n) - 1)
        if n[i + 1] > n[i]
    ]
    shown = ", ".join(f"{v} {k}" for v, k in zip(visits, n, strict=True))
    values = {f"n_{i}": float(k) for i, k in enumerate(n)}
    if rises:
        detail = (
            f"{label}: more patients at a later visit than at an earlier one: "
            f"{'; '.join(rises)} (n per visit: {shown})."
        )
        return SummaryCheck("visit_counts", False, detail, values)
    return SummaryCheck(
        "visit_counts", True, f"{label}: n never rises from visit to visit ({shown}).", values
    )


def summary_table_checks(
    visits: Sequence[str],
    n_by_visit: Sequence[int],
    markers: Sequence[Mapping[str, Any]],
    *,
    high_r: float = 0.95,
    rounding: Rounding = "up_or_down",
    threshold: float | None = None,
    symmetric: bool | None = None,
) -> tuple[Runner, ...]:
    """The checks of a table, each by name and not yet run (``verify_summary`` runs each
    apart, so that a cell the checks cannot read leaves the others standing); the arguments
    as for :func:`check_summary_table`."""
    if len(visits) < 2 or len(set(visits)) != len(visits):
        raise ValueError(f"a table has two or more distinct visits, got {list(visits)!r}")
    if len(n_by_visit) != len(visits):
        raise ValueError(f"n_by_visit has {len(n_by_visit)} counts for {len(visits)} visits")
    opts: dict[str, Any] = {"rounding": rounding}
    opts.update(
        {k: v for k, v in (("threshold", threshold), ("symmetric", symmetric)) if v is not None}
    )
    out: list[Runner] = [("visit_counts", lambda: _counts("the table", visits, n_by_visit))]
    for marker in markers:
        name = marker["name"]
        cells = [split_mean_sd(c) for c in marker["cells"]]
        if len(cells) != len(visits):
            raise ValueError(f"{name}: {len(cells)} cells for {len(visits)} visits")
        n = list(marker.get("n_by_visit", n_by_visit))
        if len(n) != len(visits):
            raise ValueError(f"{name}: n_by_visit has {len(n)} counts for {len(visits)} visits")
        if "n_by_visit" in marker:
            out.append(("visit_counts", partial(_counts, name, visits, n)))
        out += _cell_checks(name, visits, cells, n, marker.get("recorded_decimals"), opts)
        for change in marker.get("changes", ()):
            out.append(_change_check(name, visits, cells, n, change, high_r, opts))
    return tuple(out)


def _cell_checks(
    name: str,
    visits: Sequence[str],
    cells: Sequence[tuple[str, str]],
    n: Sequence[int],
    decimals: int | None,
    opts: Mapping[str, Any],
) -> list[Runner]:
    if decimals is None:
        note = (
            f"{name}: the table does not say to what precision {name} was recorded "
            "(recorded_decimals), so GRIM and GRIMMER cannot be applied to its cells."
        )
        return [("grim", lambda: SummaryCheck("grim", None, note))]
    out: list[Runner] = []
    for visit, (mean, sd), count in zip(visits, cells, n, strict=True):
        label = f"{name} at {visit} ({mean} ± {sd}, n = {count}; values to {decimals} decimals)"
        if parse_number(mean).decimals <= decimals:
            note = (
                f"{label}: the mean is printed to no more decimals than the values were "
                "recorded to, so every mean is possible."
            )
            out.append(("grim", partial(SummaryCheck, "grim", None, note)))
            continue

        def run_grim(mean: str = mean, k: int = count) -> SummaryCheck:
            scaled = _at_recorded_scale(mean, decimals)
            assert scaled is not None  # the mean has more decimals than the values
            return grim(scaled, k, **opts)

        def run_grimmer(mean: str = mean, sd: str = sd, k: int = count) -> SummaryCheck:
            scaled_sd = _at_recorded_scale(sd, decimals)
            if scaled_sd is None:
                return SummaryCheck(
                    "grimmer", None, f"the SD {sd} is printed to no more decimals than the values"
                )
            scaled = _at_recorded_scale(mean, decimals)
            assert scaled is not None
            return grimmer(scaled, scaled_sd, k, **opts)

        out.append(("grim", _labelled(label, run_grim)))
        out.append(("grimmer", _labelled(label, run_grimmer)))
    return out


def _change_check(
    name: str,
    visits: Sequence[str],
    cells: Sequence[tuple[str, str]],
    n: Sequence[int],
    change: Mapping[str, Any],
    high_r: float,
    opts: Mapping[str, Any],
) -> Runner:
    start, end = change["from"], change["to"]
    for visit in (start, end):
        if visit not in visits:
            raise ValueError(f"{name}: change from {start!r} to {end!r}: no visit {visit!r}")
    i, j = visits.index(start), visits.index(end)
    comparator: Comparator = change.get("comparator", "=")
    label = f"{name}, {start} to {end}"

    def run() -> SummaryCheck:
        found = paired_p_from_summary(
            *cells[i], *cells[j], min(n[i], n[j]), change["p"], comparator, high_r=high_r, **opts
        )
        if n[i] == n[j]:
            return SummaryCheck(
                found.check, found.consistent, f"{label}: {found.detail}", found.values
            )
        reason = (
            f"{label}: the two visits' means are over different patients (n = {n[i]} and "
            f"{n[j]}), so the paired p cannot be recomputed from them. Were they the same "
            f"{min(n[i], n[j])} patients: {found.detail}"
        )
        return SummaryCheck(found.check, None, reason, found.values)

    return ("paired_p_from_summary", run)


def check_summary_table(
    visits: Sequence[str],
    n_by_visit: Sequence[int],
    markers: Sequence[Mapping[str, Any]],
    *,
    high_r: float = 0.95,
    rounding: Rounding = "up_or_down",
    threshold: float | None = None,
    symmetric: bool | None = None,
) -> SummaryTableCheck:
    """Check a registry study's table of markers × visits in one call.

    Parameters
    ----------
    visits : sequence of str
        The visits in time order, e.g. ``["baseline", "6 months", "12 months"]``.
    n_by_visit : sequence of int
        Patients at each visit.
    markers : sequence of mappings
        One per row of the table: ``name``; ``cells``, one ``"mean ± SD"`` (or
        ``"mean (SD)"``) per visit, as printed; optionally ``recorded_decimals`` (the
        decimals each patient's value was recorded to: GRIM and GRIMMER apply at that
        scale), ``n_by_visit`` (this marker's own counts) and ``changes``, each
        ``{"from": visit, "to": visit, "p": "0.003"}`` (and ``"comparator": "<"`` for
        ``p < 0.001``), the p of a paired test of the change.
    high_r : float
        A paired p that needs a within-patient correlation above this is flagged (0.95).
    rounding, threshold, symmetric
        How the table's numbers were rounded (as for :func:`grim`).

    Returns
    -------
    SummaryTableCheck

    Examples
    --------
    >>> t = check_summary_table(
    ...     ["baseline", "12 months"], [40, 40],
    ...     [{"name": "HbA1c", "cells": ["8.21 ± 0.95", "7.80 ± 1.02"],
    ...       "changes": [{"from": "baseline", "to": "12 months", "p": "0.90"}]}],
    ... )
    >>> t.consistent, t.checks[-1].detail.split(":")[0]
    (False, 'HbA1c, baseline to 12 months')
    """
    runners = summary_table_checks(
        visits,
        n_by_visit,
        markers,
        high_r=high_r,
        rounding=rounding,
        threshold=threshold,
        symmetric=symmetric,
    )
    return SummaryTableCheck(tuple(run() for _, run in runners))
