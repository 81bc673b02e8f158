"""Verdicts on claims (:class:`~._verdicts.Verdict`), computed from a search of the declared
space, and their explanations.

A verdict is never typed in: :func:`judge` derives it from a :class:`~._search.SearchResult`.
Every verdict carries a one-sentence explanation that names the numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..cohort import Exclusion
from ._cohort_arrays import CohortArrays
from ._interval import too_coarse
from ._joint import JointResult
from ._recompute import Value, not_recomputed
from ._reported import ReportedPair, parse_reported
from ._rows_used import RowsUsed, rows_used
from ._search import SearchResult
from ._space import ROWS
from ._verdicts import Verdict
from ._wording import (
    agrees_text,
    departure_text,
    describe,
    distance_text,
    first_sentence,
    format_value,
    reported_text,
    rounding_words,
    tie_text,
)
from .claims import NEEDS_QUANTITY, QUANTITY_GUESSED, Claim, Quantity

if TYPE_CHECKING:  # pragma: no cover
    from ._row_identity import BrokenRow

__all__ = ["ClaimResult", "Nearest", "Verdict", "coarse_caveat", "judge", "rounding_words"]


@dataclass(frozen=True)
class Nearest:
    """The value nearest to the reported one over the space, for ``not_reproduced``.

    ``distance`` is in the data's unit, or in orders of magnitude (``scale = "log10"``) for
    p-values.
    """

    value: Value
    distance: float
    specification: Mapping[str, Any]
    departures: tuple[str, ...] = ()
    scale: str = "absolute"

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": _json_value(self.value),
            "distance": self.distance,
            "distance_scale": self.scale,
            "specification": dict(self.specification),
            "departures": list(self.departures),
        }


@dataclass(frozen=True)
class ClaimResult:
    """The verdict on one claim.

    ``recomputed`` is the value under the stated method (None if it cannot be computed
    there, or the claim is not checkable); ``specification`` the choices that reproduce it
    ({} if none); ``departures`` which of them differ from ``stated_specification``;
    ``alternative_value`` the value under ``specification`` when that is not the stated
    method (``reproduced_under_alternative``), else None; ``also`` other reproducing
    specifications with as few departures. Values are in the table's unit; ``scale`` is
    what the reported value is multiplied by to be in it (1000 for "2 billion cells"
    against a column in millions). ``broken_rows`` is None for a claim that is not a row
    identity, else the rows that break it (``_row_identity``). ``n_used`` is how many rows
    the value was computed from (under ``specification``, or the stated method when nothing
    reproduces the claim) and ``excluded`` every other row with its reason; None and () for
    a claim not checked. ``caveat`` says what makes the verdict weak, if anything does (a
    value printed so coarsely that almost any value prints so); the explanation ends with it.

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset, verify
    >>> result = verify(load_dataset("matsuoka2025")).results[0]
    >>> result.id, result.verdict.value, result.reported_text, result.recomputed_text
    ('abstract.n_enrolled', 'not_reproduced', '61', '58')
    """

    id: str
    quote: str
    location: str
    reported: str
    comparator: str
    unit: str | None
    recomputed: Value | None
    verdict: Verdict
    specification: Mapping[str, Any]
    stated_specification: Mapping[str, Any]
    nearest: Nearest | None
    explanation: str
    joint: JointResult | None = field(default=None, repr=False)
    departures: tuple[str, ...] = ()
    also: tuple[Mapping[str, Any], ...] = field(default=(), repr=False)
    n_tried: int = 0
    statistic: str | None = None
    reason: str | None = field(default=None)
    alternative_value: Value | None = None
    scale: float = 1.0
    broken_rows: tuple[BrokenRow, ...] | None = None
    n_used: int | None = None
    excluded: tuple[Exclusion, ...] = ()
    caveat: str | None = None

    def with_joint(self, joint: JointResult | None) -> ClaimResult:
        return replace(self, joint=joint)

    @property
    def reported_text(self) -> str:
        """The reported value with its comparator (``"< 0.0001"``, ``"35"``; ``"no number
        stated"`` for a claim that states none)."""
        if not self.reported:
            return "no number stated"
        return ("" if self.comparator == "=" else self.comparator + " ") + self.reported

    @property
    def recomputed_text(self) -> str:
        """The recomputed value to 6 significant digits (``"—"`` if there is none)."""
        if self.recomputed is None:
            return "—"
        values = self.recomputed if isinstance(self.recomputed, tuple) else (self.recomputed,)
        # + 0.0 turns a negative zero into 0, so nothing prints as "-0".
        return " to ".join(f"{v + 0.0:.6g}" for v in values)

    def __str__(self) -> str:
        """A few lines, 100 columns wide: the verdict, the quote and the explanation."""
        from ..presentation._repr import claim_result_text

        return claim_result_text(self)

    def _repr_html_(self) -> str:
        from ..presentation._repr import claim_result_html

        return claim_result_html(self)

    def to_dict(self) -> dict[str, Any]:
        """The contract's first keys, then the later ones (docs/json-contract.md)."""
        integer = self.statistic in ("n", "count")
        # The contract says number | null: a two-number claim (a range, quartiles) gives null
        # there and both numbers in `recomputed_values`, so tools reading numbers never break.
        pair = isinstance(self.recomputed, tuple)
        return {
            "id": self.id,
            "quote": self.quote,
            "location": self.location,
            "reported": self.reported,
            "recomputed": None if pair else _json_value(self.recomputed, integer=integer),
            "verdict": self.verdict.value,
            "specification": dict(self.specification),
            "explanation": self.explanation,
            "recomputed_values": _json_value(self.recomputed, integer=integer) if pair else None,
            "comparator": self.comparator,
            "unit": self.unit,
            "departures": list(self.departures),
            "stated_specification": dict(self.stated_specification),
            "nearest": None if self.nearest is None else self.nearest.to_dict(),
            "joint": None if self.joint is None else self.joint.to_dict(),
            "also": [dict(a) for a in self.also],
            "n_tried": self.n_tried,
            "alternative_value": _json_value(self.alternative_value, integer=integer),
            "scale": self.scale,
            "broken_rows": (
                None if self.broken_rows is None else [b.to_dict() for b in self.broken_rows]
            ),
            "n_used": self.n_used,
            "excluded": [{"row": e.row, "reason": e.reason} for e in self.excluded],
        }


def _json_value(value: Value | None, *, integer: bool = False) -> Any:
    if value is None:
        return None
    if isinstance(value, tuple):
        return [_json_number(v, integer) for v in value]
    return _json_number(value, integer)


def _json_number(v: float, integer: bool) -> Any:
    if not math.isfinite(v):
        return None
    if integer and float(v).is_integer():
        return int(v)
    return float(v)


# ----------------------------------------------------------------------------- judge


def judge(claim: Claim, result: SearchResult | None, arrays: CohortArrays) -> ClaimResult:
    """The verdict on a claim, from its search (None for a claim with no quantity), with
    its caveat (:func:`coarse_caveat`) at the end of the explanation."""
    verdict = _judge(claim, result, arrays)
    caveat = None if result is None else coarse_caveat(claim)
    if caveat is None:
        return verdict
    explanation = f"{verdict.explanation} {caveat[0].upper()}{caveat[1:]}."
    return replace(verdict, caveat=caveat, explanation=explanation)


def coarse_caveat(claim: Claim) -> str | None:
    """What a printed value too coarse to judge by (``_interval.too_coarse``) covers, for a
    claim printed with ``=`` (not a count, which is exact); None if it is not so coarse.

    Examples
    --------
    >>> from cohort_reanalysis.verification.claims import Claim, Quantity
    >>> claim = Claim(id="a", quote="q", location="l", versions=("preprint",),
    ...               reported="1e2", comparator="=", unit=None, scale=1.0,
    ...               quantity=Quantity("mean", variable="before"))
    >>> coarse_caveat(claim)
    'printed with one significant digit: any value from 0 to 200 prints so'
    """
    q = claim.quantity
    if claim.reported is None or claim.comparator not in ("=", None):
        return None
    if q is None or q.statistic in ("n", "count"):
        return None
    parsed = parse_reported(claim.reported)
    pair = isinstance(parsed, ReportedPair)
    for number in parsed.numbers if isinstance(parsed, ReportedPair) else (parsed,):
        wide = too_coarse(number)
        if wide is not None:
            low, high = (f"{end.normalize():f}" for end in (wide.low, wide.high))
            return (
                f"{repr(number.text) + ' ' if pair else ''}printed with one significant "
                f"digit: any value from {low} to {high} prints so"
            )
    return None


def _judge(claim: Claim, result: SearchResult | None, arrays: CohortArrays) -> ClaimResult:
    base: dict[str, Any] = dict(  # the fields every verdict shares
        id=claim.id,
        quote=claim.quote,
        location=claim.location,
        reported=claim.reported or "",
        comparator=claim.comparator or "=",
        unit=claim.unit,
        scale=claim.scale,
    )
    q = claim.quantity
    if q is None or result is None:
        not_yet = None if q is None else not_recomputed(q)
        why = not_yet or claim.note or "the claim names no quantity that the table holds"
        if q is None and claim.draft == NEEDS_QUANTITY:
            why = "drafted from the text; its quantity is for the reviewer to fill in"
        # A claim that states no number (claims@2 leaves out `reported`) is shown by its
        # quote, which every report prints beside the explanation.
        shown = (
            f"Reported {reported_text(claim)}" if claim.reported else f"\u201c{claim.quote}\u201d"
        )
        return ClaimResult(
            **base,
            recomputed=None,
            verdict=Verdict.NOT_CHECKABLE,
            specification={},
            stated_specification={},
            nearest=None,
            explanation=f"{shown}; not checkable against the table: {first_sentence(why)}",
        )
    reported = reported_text(claim)
    stated = result.stated
    stated_spec = dict(stated.specification.values)
    stated_words = describe(stated_spec, q, arrays)
    if claim.draft == QUANTITY_GUESSED:
        stated_words += "; a quantity the draft guessed, for the reviewer to confirm"
    if stated.value is not None:
        head = (
            f"Reported {reported}; recomputed {format_value(stated.value, claim)} under "
            f"the stated method ({stated_words})"
        )
    else:
        head = (
            f"Reported {reported}; not computable under the stated method "
            f"({stated_words}: {stated.failure})"
        )
    best = result.best
    used = _rows_of(q, stated_spec if best is None else dict(best.specification.values), arrays)
    common: dict[str, Any] = dict(
        recomputed=stated.value,
        stated_specification=stated_spec,
        n_tried=result.n_tried,
        statistic=q.statistic,
        reason=stated.failure,
        n_used=None if used is None else used.n_used,
        excluded=() if used is None else used.excluded,
    )
    if best is not None and best.specification.is_stated:
        return ClaimResult(
            **base,
            **common,
            verdict=Verdict.REPRODUCED,
            specification=dict(best.specification.values),
            nearest=None,
            explanation=f"{head}, which {agrees_text(claim)}{tie_text(best, result)}.",
        )
    if best is not None:
        assert best.value is not None
        also = ""
        if result.also:
            others = "; ".join(departure_text(c.specification, q, arrays) for c in result.also)
            also = f" (also with {others})"
        return ClaimResult(
            **base,
            **common,
            verdict=Verdict.REPRODUCED_UNDER_ALTERNATIVE,
            specification=dict(best.specification.values),
            alternative_value=best.value,
            nearest=None,
            departures=best.departures,
            also=tuple(dict(c.specification.values) for c in result.also),
            explanation=(
                f"{head}, which does not match; "
                f"{format_value(best.value, claim)} with "
                f"{departure_text(best.specification, q, arrays)}"
                f"{tie_text(best, result)}{also}."
                + (_ROWS_ARE_DATA if ROWS in best.departures else "")
            ),
        )
    near = result.nearest
    nearest = None
    if near is not None and near.value is not None:
        nearest = Nearest(
            near.value,
            near.distance,
            dict(near.specification.values),
            near.departures,
            "log10" if result.log_scale else "absolute",
        )
        where = (
            "the stated method"
            if near.specification.is_stated
            else departure_text(near.specification, q, arrays)
        )
        tail = (
            f"none of the {result.n_tried} specifications tried reproduces it, the "
            f"nearest being {format_value(near.value, claim)} ({where}), "
            f"{distance_text(near.distance, result.log_scale, claim, arrays)} away"
        )
    else:
        tail = f"none of the {result.n_tried} specifications tried gives a value"
    return ClaimResult(
        **base,
        **common,
        verdict=Verdict.NOT_REPRODUCED,
        specification={},
        nearest=nearest,
        explanation=f"{head}; {tail}.",
    )


def _rows_of(q: Quantity, spec: Mapping[str, Any], arrays: CohortArrays) -> RowsUsed | None:
    try:
        return rows_used(q, spec, arrays)
    except (ValueError, KeyError):  # a variable the cohort cannot serve: said elsewhere
        return None


# A reproduction that needs rows left out is not an analytic choice like a boundary or a
# quantile type: it says the paper may have analysed other patients than the table prints.
_ROWS_ARE_DATA = (
    " Leaving rows out is a question about the data (which patients the paper analysed), "
    "not an analytic choice."
)
