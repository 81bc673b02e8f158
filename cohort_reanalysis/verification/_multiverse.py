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

from ..cohort import Cohort
from ._cohort_arrays import CohortArrays
from ._dataset_claims import check_claims, claims_for
from ._recompute import Failure
from ._rounding import ROUNDINGS
from ._search import checkable_claims, claim_space, evaluate_all, target_of
from ._space import ROUNDING
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
    import pandas as pd

    if rounding not in ROUNDINGS:
        raise ValueError(f"unknown rounding {rounding!r}; expected one of {', '.join(ROUNDINGS)}")
    claim_set = claims_for(cohort, claims)
    check_claims(claim_set, cohort)
    arrays = CohortArrays(cohort)
    checkable = checkable_claims(claim_set.claims)
    values = evaluate_all(checkable, arrays, rounding=rounding, executor=executor)
    records: list[dict[str, Any]] = []
    choices: list[str] = []
    for claim, outcomes in zip(checkable, values, strict=True):
        space = claim_space(claim, arrays.row_sets, rounding)
        target = target_of(claim)
        for name in space.names:
            if name not in choices:
                choices.append(name)
        names = [n for n in space.names if n != ROUNDING]
        for assign, size in zip(space.assignments, space.departure_counts, strict=True):
            out = outcomes[tuple(assign[n] for n in names)]
            record: dict[str, Any] = {"claim": claim.id, **assign}
            if isinstance(out, Failure):
                record.update(value=math.nan, reproduces=False, failure=out.reason)
            else:
                ok, _ = target.check(out, assign.get(ROUNDING, rounding))
                record.update(value=out, reproduces=ok, failure=None)
            record["departures"] = size
            records.append(record)
    # Choices keep their own values (quantile type 7, not 7.0): object columns, with None
    # where a claim's space has no such choice.
    data: dict[str, Any] = {"claim": pd.Series([r["claim"] for r in records], dtype=object)}
    for name in (*choices, "value", "failure"):
        data[name] = pd.Series([r.get(name) for r in records], dtype=object)
    if all(not isinstance(v, tuple) for v in data["value"]):
        data["value"] = data["value"].astype(float)
    data["reproduces"] = pd.Series([r["reproduces"] for r in records], dtype=bool)
    data["departures"] = pd.Series([r["departures"] for r in records], dtype=int)
    return pd.DataFrame(data, columns=["claim", *choices, *FIXED_COLUMNS[1:]])


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
