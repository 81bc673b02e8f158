"""``verify``: every claim of a paper checked against its patient table, as an :class:`Audit`;
``verify_summary``: summary-level checks of claims without a table, as a
:class:`SummaryAudit`.

An :class:`Audit` is a value: a tuple of :class:`~._verdict.ClaimResult` with the dataset's
provenance. ``to_dict()`` gives exactly the JSON object of ``verify --format json``
(docs/json-contract.md), ``to_frame()`` a tidy table (one row per claim), ``counts`` the verdicts
counted; the text, Markdown, HTML and JSON renderers of the presentation layer build on
these, and ``str()`` and the notebook view come from there too (``presentation/_repr.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..cohort import Cohort, Exclusion
from ._cohort_arrays import CohortArrays
from ._dataset_claims import check_claims, claims_for
from ._joint import group_claims, solve_joint
from ._rounding import ROUNDINGS
from ._row_identity import is_row_identity, judge_row_identity
from ._row_sets import RowSet
from ._search import search_all
from ._verdict import ClaimResult, judge
from ._verdicts import Verdict
from .checks import SummaryCheck, ci_consistency, counts_add_up, grim, grimmer, recompute_p
from .checks._summary_table import summary_table_checks
from .claims import ClaimSet, SummaryClaim, load_claims

__all__ = ["Audit", "SummaryAudit", "SummaryResult", "verify", "verify_summary"]

_VERDICTS = tuple(v.value for v in Verdict)


@dataclass(frozen=True)
class Audit:
    """The verdicts on every claim about one cohort.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> audit = verify(load_dataset("matsuoka2025"))
    >>> audit["results.followup_iqr"].verdict.value
    'reproduced'
    >>> sum(audit.counts.values()) == len(audit.results)
    True
    """

    dataset: str
    doi: str | None
    n_rows: int
    n_reported: int | None
    results: tuple[ClaimResult, ...]
    rows_excluded: tuple[Exclusion, ...] = ()
    rounding: str = "up_or_down"
    citation: str | None = None
    claims_file: str | None = None
    row_sets: tuple[RowSet, ...] = field(default=(), repr=False)

    def __len__(self) -> int:
        return len(self.results)

    def __iter__(self) -> Iterator[ClaimResult]:
        return iter(self.results)

    def __getitem__(self, claim_id: str) -> ClaimResult:
        for r in self.results:
            if r.id == claim_id:
                return r
        raise KeyError(claim_id)

    @property
    def counts(self) -> dict[str, int]:
        """Claims per verdict; all four verdicts are keys, in a fixed order."""
        out = dict.fromkeys(_VERDICTS, 0)
        for r in self.results:
            out[r.verdict.value] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``verify --format json`` (docs/json-contract.md)."""
        return {
            "dataset": self.dataset,
            "doi": self.doi or "",
            "n_rows": self.n_rows,
            "claims": [r.to_dict() for r in self.results],
            "counts": self.counts,
            "n_reported": self.n_reported,
            "rows_excluded": [{"row": e.row, "reason": e.reason} for e in self.rows_excluded],
            "rounding": self.rounding,
            "row_sets": [
                {"name": r.name, "excluded": list(r.excluded), "reason": r.reason}
                for r in self.row_sets
            ],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per claim: id, location, reported, recomputed, verdict, departures, ..."""
        records = []
        for r in self.results:
            records.append(
                {
                    "id": r.id,
                    "location": r.location,
                    "reported": r.reported,
                    "comparator": r.comparator,
                    "unit": r.unit,
                    "recomputed": r.recomputed,
                    "verdict": r.verdict.value,
                    "departures": ", ".join(r.departures),
                    "specification": dict(r.specification),
                    "alternative_value": r.alternative_value,
                    "nearest": None if r.nearest is None else r.nearest.value,
                    "nearest_distance": None if r.nearest is None else r.nearest.distance,
                    "joint_satisfied": None if r.joint is None else r.joint.satisfied,
                    "explanation": r.explanation,
                }
            )
        frame = pd.DataFrame.from_records(
            records,
            columns=[
                "id",
                "location",
                "reported",
                "comparator",
                "unit",
                "recomputed",
                "verdict",
                "departures",
                "specification",
                "alternative_value",
                "nearest",
                "nearest_distance",
                "joint_satisfied",
                "explanation",
            ],
        )
        # A value, a pair (ranges, quartiles) or None: kept as given, not turned into NaN.
        frame["alternative_value"] = pd.Series(
            [r["alternative_value"] for r in records], index=frame.index, dtype=object
        )
        return frame

    def __str__(self) -> str:
        from ..presentation._repr import audit_text

        return audit_text(self)

    def _repr_html_(self) -> str:
        from ..presentation._repr import audit_html

        return audit_html(self)


def verify(
    cohort: Cohort,
    claims: ClaimSet | str | Path | None = None,
    *,
    rounding: str = "up_or_down",
    executor: Executor | None = None,
) -> Audit:
    """Check every claim against the cohort: recompute, search the declared space, judge.

    Parameters
    ----------
    cohort : Cohort
        The patient table.
    claims : ClaimSet, str or Path, optional
        The claims, or a claims file; default the claims file of the dataset the cohort was
        loaded from (bundled, or a folder given by path).
    rounding : str
        The rounding procedure taken as stated (see ``_reported``); the others are
        alternatives in the space.
    executor : concurrent.futures.Executor, optional
        Evaluate the claims' specification spaces on this executor (a
        ``ProcessPoolExecutor``, or Dask's ``client.get_executor()``), in chunks of claims.
        The search is deterministic: the Audit is identical with or without one.

    Returns
    -------
    Audit

    Raises
    ------
    ClaimsError
        If the claims file is bad, or names a variable the cohort does not have, or (the
        dataset's own claims) a source its metadata does not list; every problem at once.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> audit = verify(load_dataset("matsuoka2025"))
    >>> audit["results.corr_duration_reduction"].verdict.value
    'reproduced'
    """
    if rounding not in ROUNDINGS:
        raise ValueError(f"unknown rounding {rounding!r}; expected one of {', '.join(ROUNDINGS)}")
    claim_set = claims_for(cohort, claims)
    check_claims(claim_set, cohort)
    arrays = CohortArrays(cohort)
    searches = search_all(claim_set.claims, arrays, rounding=rounding, executor=executor)
    results: dict[str, ClaimResult] = {
        claim.id: (
            judge_row_identity(claim, cohort, rounding=rounding)
            if is_row_identity(claim)
            else judge(claim, searches.get(claim.id), arrays)
        )
        for claim in claim_set.claims
    }
    for group in group_claims(claim_set.claims):
        members = {i: searches[i] for i in group if i in searches}
        if len(members) < 2:
            continue
        joint = solve_joint(members)
        for i in members:
            results[i] = results[i].with_joint(joint)
    prov = cohort.provenance
    try:
        excluded = cohort.pair().excluded
    except (KeyError, ValueError):
        excluded = ()
    return Audit(
        dataset=cohort.name or claim_set.dataset,
        doi=prov.doi,
        n_rows=len(cohort),
        n_reported=prov.reported_n,
        results=tuple(results[c.id] for c in claim_set.claims),
        rows_excluded=tuple(excluded),
        rounding=rounding,
        citation=prov.citation,
        claims_file=None if claim_set.source is None else str(claim_set.source),
        row_sets=arrays.row_sets,
    )


# ----------------------------------------------------------------------------- summary


@dataclass(frozen=True)
class SummaryResult:
    """The summary-level checks of one claim; ``consistent`` is None if none applies."""

    id: str
    quote: str
    location: str
    kind: str
    checks: tuple[SummaryCheck, ...]
    consistent: bool | None
    explanation: str

    @property
    def status(self) -> str:
        if self.consistent is None:
            return "not applicable"
        return "consistent" if self.consistent else "inconsistent"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "quote": self.quote,
            "location": self.location,
            "kind": self.kind,
            "status": self.status,
            "explanation": self.explanation,
            "checks": [
                {"check": c.check, "status": c.status, "detail": c.detail, "values": dict(c.values)}
                for c in self.checks
            ],
        }


@dataclass(frozen=True)
class SummaryAudit:
    """Summary-level checks of every summary claim of a claims file.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import dataset_info
    >>> audit = verify_summary(dataset_info("meta_t1dm_2025").claims_file)
    >>> audit["hba1c_12m"].status
    'consistent'
    """

    dataset: str
    results: tuple[SummaryResult, ...]
    rounding: str = "up_or_down"

    def __getitem__(self, claim_id: str) -> SummaryResult:
        for r in self.results:
            if r.id == claim_id:
                return r
        raise KeyError(claim_id)

    def __len__(self) -> int:
        return len(self.results)

    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(("consistent", "inconsistent", "not applicable"), 0)
        for r in self.results:
            out[r.status] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "summary_claims": [r.to_dict() for r in self.results],
            "counts": self.counts,
            "rounding": self.rounding,
        }

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame.from_records(
            [
                {
                    "id": r.id,
                    "kind": r.kind,
                    "checks": ", ".join(c.check for c in r.checks),
                    "status": r.status,
                    "explanation": r.explanation,
                }
                for r in self.results
            ],
            columns=["id", "kind", "checks", "status", "explanation"],
        )

    def __str__(self) -> str:
        from ..presentation._repr import summary_audit_text

        return summary_audit_text(self)

    def _repr_html_(self) -> str:
        from ..presentation._repr import summary_audit_html

        return summary_audit_html(self)


def _summary_checks(
    s: SummaryClaim, rounding: str
) -> tuple[tuple[str, Callable[[], SummaryCheck]], ...]:
    """The checks that apply to a summary claim, each by name, to run (``_checked``)."""
    # A claim's own rounding (with its options) overrides the call's.
    r: Any = s.get("rounding", rounding)
    opts: Any = {k: s[k] for k in ("threshold", "symmetric") if k in s.fields}
    if s.kind == "estimate_ci":
        return (
            (
                "ci_consistency",
                lambda: ci_consistency(
                    s["estimate"],
                    s["ci_low"],
                    s["ci_high"],
                    confidence_level=s.get("confidence_level", 0.95),
                    scale=s["scale"],
                    n=s.get("n"),
                    claimed_significant=s.get("claimed_significant"),
                    rounding=r,
                    **opts,
                ),
            ),
        )
    if s.kind == "mean_sd":
        items = s.get("items", 1)
        return (
            ("grim", lambda: grim(s["mean"], s["n"], items=items, rounding=r, **opts)),
            (
                "grimmer",
                lambda: grimmer(
                    s["mean"],
                    s["sd"],
                    s["n"],
                    items=items,
                    bounds=s.get("bounds"),
                    rounding=r,
                    **opts,
                ),
            ),
        )
    if s.kind == "test_statistic":
        return (
            (
                "recompute_p",
                lambda: recompute_p(
                    s["test"],
                    s["statistic"],
                    s.get("df"),
                    s["p"],
                    s.get("comparator", "="),
                    alternative=s.get("alternative", "two-sided"),
                    rounding=r,
                    statistic_comparator=s.get("statistic_comparator", "="),
                    **opts,
                ),
            ),
        )
    if s.kind == "summary_table":
        high_r = s.get("high_r", 0.95)
        return summary_table_checks(
            s["visits"], s["n_by_visit"], s["markers"], high_r=high_r, rounding=r, **opts
        )
    if s.kind == "counts":
        parts = {f"part {i + 1}": p for i, p in enumerate(s["parts"])}
        return (("counts_add_up", lambda: counts_add_up(parts, s["total"])),)
    return ()


def _checked(
    name: str, run: Callable[[], SummaryCheck], s: SummaryClaim, where: str
) -> SummaryCheck:
    """Run one check; if the claim's numbers are beyond it, a check that does not apply,
    saying why and naming the file and the claim, so that the other claims are still checked."""
    try:
        return run()
    except (ValueError, ArithmeticError) as err:
        return SummaryCheck(name, None, f"could not be checked ({where}, claim {s.id!r}): {err}")


def verify_summary(claims: ClaimSet | str | Path, *, rounding: str = "up_or_down") -> SummaryAudit:
    """Apply the summary-level checks to every summary claim of a claims file.

    ``estimate_ci``: estimate-CI-p consistency; ``mean_sd``: GRIM and GRIMMER;
    ``test_statistic``: p recomputed from the statistic and df; ``counts``: parts add up to
    the total; ``summary_table``: a markers × visits table (GRIM and GRIMMER per cell where
    the marker's precision allows, the n per visit, and each paired change's p over every
    within-patient correlation); ``count``: nothing to check it against (not applicable). A
    check that a claim's numbers are beyond (a per-cent mean for GRIMMER, an n too large to
    search) does not apply to it, and says why, naming the claims file and the claim; the
    other claims are checked all the same.

    Parameters
    ----------
    claims : ClaimSet, str or Path
        The claims, or the path of a claims file to read with ``load_claims``.
    rounding : str, default "up_or_down"
        How the paper rounded its numbers (``"up_or_down"``: a tie at 5 either way;
        ``"half_up"``, ``"half_even"``, ``"truncate"``, ...).

    Returns
    -------
    SummaryAudit
        One result per summary claim, in the file's order: its checks, ``consistent``
        (True, False, or None when no check applies) and an explanation in words.

    Examples
    --------
    >>> from cohort_reanalysis import dataset_info
    >>> audit = verify_summary(dataset_info("meta_t1dm_2025").claims_file)
    >>> [(r.id, r.consistent) for r in audit.results[:3]]
    [('hba1c_6m', True), ('hba1c_12m', True), ('takeaway_hba1c_not_significant', False)]
    """
    claim_set = claims if isinstance(claims, ClaimSet) else load_claims(claims)
    where = "<claims>" if claim_set.source is None else str(claim_set.source)
    out = []
    for s in claim_set.summary_claims:
        checks = tuple(_checked(name, run, s, where) for name, run in _summary_checks(s, rounding))
        applied = [c.consistent for c in checks if c.consistent is not None]
        consistent = None if not applied else all(applied)
        if checks:
            explanation = " ".join(c.explain() for c in checks)
        else:
            explanation = (
                f"A bare count ({s.get('count')} {s.get('of') or ''}".rstrip()
                + "): there is nothing in the claims to check it against."
            )
        out.append(
            SummaryResult(s.id, s.quote, s.location, s.kind, checks, consistent, explanation)
        )
    return SummaryAudit(claim_set.dataset, tuple(out), rounding)
