"""The multiverse of a paper's claims: every claim's value under every specification of its
declared space, not only the first that reproduces (Steegen et al. 2016; Simonsohn, Simmons
and Nelson 2020).

:func:`multiverse` evaluates each checkable claim's space once (the same values the search
uses, ``_search.evaluate_all``, on any executor) and lays them out as a tidy frame: one row
per claim and specification. :func:`summarize_multiverse` gives, per claim, the share of
specifications that reproduce it and the range of its values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..cohort import Cohort
from ._cohort_arrays import CohortArrays
from ._dataset_claims import check_claims, claims_for
from ._rounding import ROUNDINGS
from ._search import checkable_claims, checks, claim_space, space_values_all, target_of
from ._space import ClaimSpace
from ._space_values import SpaceValues, space_values
from .claims import ClaimSet

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["multiverse", "summarize_multiverse"]

#: The columns every multiverse frame has, besides one per choice.
FIXED_COLUMNS: tuple[str, ...] = ("claim", "value", "reproduces", "departures", "failure")


def multiverse(
    cohort: Cohort,
    claims: ClaimSet | str | Path | None = None,
    *,
    executor: Executor | None = None,
    rounding: str = "up_or_down",
) -> pd.DataFrame:
    """Every checkable claim's value under every specification of its declared space.

    Parameters
    ----------
    cohort : Cohort
        The patient table.
    claims : ClaimSet, str or Path, optional
        The claims, or a claims file; default the dataset's own claims file (as
        :func:`~cohort_reanalysis.verify`).
    executor : concurrent.futures.Executor, optional
        Evaluate the claims' spaces on this executor (a process pool, or Dask's
        ``client.get_executor()``); the frame is identical with or without one.
    rounding : str, default "up_or_down"
        The rounding taken as stated; the others are choices of the space.

    Returns
    -------
    pandas.DataFrame
        One row per claim and specification, in each claim's search order (the stated
        method first): ``claim``; one column per choice (``None`` where a claim's space has
        no such choice); ``value`` (a float, or a pair of floats for claims that state two
        numbers; NaN where it cannot be computed); ``reproduces`` (whether it prints as
        reported under that specification's rounding); ``departures`` (how many choices
        differ from the stated method) and ``failure`` (why there is no value, else
        ``None``). Claims verification cannot recompute (no quantity, or not yet
        recomputed) have no rows.

    Raises
    ------
    ClaimsError
        If the claims file is bad, or names a variable the cohort does not have.
    ValueError
        For an unknown rounding.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> frame = multiverse(load_dataset("matsuoka2025"))
    >>> median = frame[frame["claim"] == "abstract.median_followup"]
    >>> int(median["departures"].iloc[0]), float(median["value"].iloc[0])
    (0, 35.5)
    >>> len(median), int(median["reproduces"].sum())
    (144, 64)
    """

    if rounding not in ROUNDINGS:
        raise ValueError(f"unknown rounding {rounding!r}; expected one of {', '.join(ROUNDINGS)}")
    claim_set = claims_for(cohort, claims)
    check_claims(claim_set, cohort)
    arrays = CohortArrays(cohort)
    checkable = checkable_claims(claim_set.claims)
    spaces = [claim_space(claim, arrays.row_sets, rounding) for claim in checkable]
    if executor is None:  # each space built once, here
        found = [
            space_values(arrays, c.quantity, s)  # type: ignore[arg-type]
            for c, s in zip(checkable, spaces, strict=True)
        ]
    else:
        found = space_values_all(checkable, arrays, rounding=rounding, executor=executor)
    choices: list[str] = []
    parts: list[tuple[str, ClaimSpace, SpaceValues, np.ndarray]] = []
    for claim, space, values in zip(checkable, spaces, found, strict=True):
        choices += [n for n in space.names if n not in choices]
        ok, _ = checks(target_of(claim), space, values, rounding, distances=False)
        parts.append((claim.id, space, values, ok))
    return _frame(parts, choices)


def _frame(
    parts: Sequence[tuple[str, ClaimSpace, SpaceValues, np.ndarray]], choices: Sequence[str]
) -> pd.DataFrame:
    """The tidy frame, column by column."""
    import pandas as pd

    def column(pieces: list[np.ndarray]) -> np.ndarray:
        return np.concatenate(pieces) if pieces else np.empty(0, dtype=object)

    bounds = np.cumsum([0] + [v.failure.size for _, _, v, _ in parts]).tolist()
    claim = np.empty(bounds[-1], dtype=object)
    # Choices keep their own values (quantile type 7, not 7.0): object columns, with None
    # where a claim's space has no such choice; each claim fills its rows of its choices.
    by_choice = {name: np.full(bounds[-1], None, dtype=object) for name in choices}
    for i, (cid, space, _, _) in enumerate(parts):
        rows = slice(bounds[i], bounds[i + 1])
        claim[rows] = cid
        for j, choice in enumerate(space.choices):
            options = np.empty(len(choice.values), dtype=object)
            options[:] = choice.values  # noqa: PD011 (not pandas)
            by_choice[choice.name][rows] = options[space.codes[:, j]]
    pairs = any(v.ends > 1 for _, _, v, _ in parts)
    values_col, failures = [], []
    for _, _, v, _ in parts:
        failed = v.failure >= 0
        reasons = np.array([None, *v.reasons], dtype=object)
        failures.append(reasons[v.failure + 1])
        if pairs:
            out = np.empty(v.failure.size, dtype=object)
            if v.ends == 1:  # floats: numpy makes the Python floats
                out[:] = np.where(failed, math.nan, v.numbers[:, 0]).tolist()
            else:
                out[:] = _cells(v)
                out[failed] = math.nan
            values_col.append(out)
        else:
            values_col.append(np.where(failed, math.nan, v.numbers[:, 0]))
    columns: dict[str, tuple[np.ndarray, Any]] = {"claim": (claim, object)}
    columns.update((name, (by_choice[name], object)) for name in choices)
    columns["value"] = (column(values_col), object if pairs else float)
    columns["reproduces"] = (column([ok for *_, ok in parts]), bool)
    columns["departures"] = (column([np.asarray(s.departures) for _, s, _, _ in parts]), int)
    columns["failure"] = (column(failures), object)
    # Every column on one index, and nothing copied (the arrays were built for the frame):
    # a million specifications' object columns would otherwise be copied into one block.
    index = pd.RangeIndex(bounds[-1])
    return pd.DataFrame(
        {
            name: pd.Series(array, index=index, dtype=dtype, copy=False)
            for name, (array, dtype) in columns.items()
        },
        index=index,
        copy=False,
    )


def _cells(values: SpaceValues) -> list[Any]:
    """The value of each row as the search gives it: a float, or a pair of floats."""
    if values.ends == 1:
        return values.numbers[:, 0].tolist()
    return list(zip(*(values.numbers[:, e].tolist() for e in range(values.ends)), strict=True))


def summarize_multiverse(frame: pd.DataFrame) -> pd.DataFrame:
    """Per claim: how many specifications, how many reproduce, the share, the value range.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame from :func:`multiverse`.

    Returns
    -------
    pandas.DataFrame
        Indexed by claim, in the frame's order: ``specifications``, ``reproducing``,
        ``share`` (reproducing / specifications), ``low`` and ``high`` (the smallest and
        largest value computed; for two-number claims over both numbers), ``computed`` (the
        specifications that gave a value).

    Raises
    ------
    ValueError
        If ``frame`` lacks a column :func:`multiverse` writes.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> summary = summarize_multiverse(multiverse(load_dataset("matsuoka2025")))
    >>> row = summary.loc["abstract.median_followup"]
    >>> int(row["specifications"]), int(row["reproducing"]), float(row["low"]), float(row["high"])
    (144, 64, 35.0, 38.0)
    """
    import pandas as pd

    missing = [c for c in FIXED_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"not a multiverse frame: no column {', '.join(map(repr, missing))}")
    rows = []
    for claim, part in frame.groupby("claim", sort=False):
        numbers = [x for v in part["value"] for x in _numbers(v)]
        finite = [x for x in numbers if math.isfinite(x)]
        n = len(part)
        hits = int(part["reproduces"].sum())
        rows.append(
            {
                "claim": claim,
                "specifications": n,
                "reproducing": hits,
                "share": hits / n,
                "low": min(finite) if finite else math.nan,
                "high": max(finite) if finite else math.nan,
                "computed": int(part["failure"].isna().sum()),
            }
        )
    return pd.DataFrame.from_records(rows).set_index("claim")


def _numbers(value: Any) -> Sequence[float]:
    if isinstance(value, tuple):
        return [float(x) for x in value]
    return [float(value)]
