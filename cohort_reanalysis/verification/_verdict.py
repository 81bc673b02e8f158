"""Verdicts on claims, computed from a search of the declared space, and their explanations.

=================================  ===========================================================
verdict                            meaning
=================================  ===========================================================
``reproduced``                     the stated method (conventional defaults where the paper is
                                   silent) gives a value that prints as reported
``reproduced_under_alternative``   the stated method does not; the smallest departure that
                                   does is named
``not_reproduced``                 no specification in the declared space does; the nearest
                                   value, its distance and its specification are given
``not_checkable``                  the table cannot speak to the claim (``quantity: null``)
=================================  ===========================================================

A verdict is never typed in: :func:`judge` derives it from a :class:`~._search.SearchResult`.
Every verdict carries a one-sentence explanation that names the numbers.
"""

from __future__ import annotations

import enum
import math
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .._html import html_table
from ._recompute import CohortArrays, Value, not_recomputed
from ._reported import ReportedNumber, ReportedPair, parse_reported
from ._row_sets import ALL_ROWS
from ._search import Candidate, JointResult, SearchResult
from ._space import (
    ALTERNATIVE,
    CORRELATION,
    DIRECTION,
    PAIRING,
    QUANTILE_TYPE,
    ROUNDING,
    ROWS,
    SD_DDOF,
    TEST,
    VARIANCE,
    boundary_name,
)
from ._specification import Specification
from .claims import Claim, Condition, Quantity

__all__ = ["ClaimResult", "Nearest", "Verdict", "judge", "rounding_words"]

# The rounding procedures of ``_reported`` in words for people; the machine names stay in
# every ``specification`` (the JSON contract).
_ROUNDING_WORDS = {
    "up_or_down": "ordinary rounding",
    "half_up": "rounding half up",
    "half_down": "rounding half down",
    "half_even": "rounding half to even",
    "truncate": "truncation",
    "ceiling": "rounding up (ceiling)",
    "floor": "rounding down (floor)",
}


def rounding_words(name: str) -> str:
    """A rounding procedure in words (``"truncate"`` -> ``"truncation"``).

    Examples
    --------
    >>> rounding_words("up_or_down"), rounding_words("floor")
    ('ordinary rounding', 'rounding down (floor)')
    """
    return _ROUNDING_WORDS.get(name, f"rounding by {name}")


class Verdict(str, enum.Enum):
    """The four verdicts; the value is the string used in reports and JSON."""

    REPRODUCED = "reproduced"
    REPRODUCED_UNDER_ALTERNATIVE = "reproduced_under_alternative"
    NOT_REPRODUCED = "not_reproduced"
    NOT_CHECKABLE = "not_checkable"

    def __str__(self) -> str:
        return self.value


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
    against a column in millions).
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

    def with_joint(self, joint: JointResult | None) -> ClaimResult:
        return replace(self, joint=joint)

    @property
    def reported_text(self) -> str:
        """The reported value with its comparator (``"< 0.0001"``, ``"35"``)."""
        return ("" if self.comparator == "=" else self.comparator + " ") + self.reported

    @property
    def recomputed_text(self) -> str:
        """The recomputed value to 6 significant digits (``"—"`` if there is none)."""
        if self.recomputed is None:
            return "—"
        values = self.recomputed if isinstance(self.recomputed, tuple) else (self.recomputed,)
        # + 0.0 turns a negative zero into 0, so nothing prints as "-0".
        return " to ".join(f"{v + 0.0:.6g}" for v in values)

    @property
    def headline(self) -> str:
        """One line: id, verdict, reported and recomputed values."""
        return (
            f"{self.id}: {self.verdict.value.replace('_', ' ')} (reported "
            f"{self._reported_with_unit()}, recomputed {self.recomputed_text})"
        )

    def __str__(self) -> str:
        """A few lines, 100 columns wide: the verdict, the quote and the explanation."""

        def indented(text: str) -> str:
            return textwrap.fill(text, 100, initial_indent="  ", subsequent_indent="  ")

        return "\n".join(
            [
                textwrap.fill(self.headline, 100, subsequent_indent="    "),
                indented(f"“{self.quote}” ({self.location})"),
                indented(self.explanation),
            ]
        )

    def _reported_with_unit(self) -> str:
        text, unit = self.reported_text, self.unit
        if not unit or text.endswith(unit):  # "6.3% to 12.4%" carries its own unit
            return text
        return text + unit if unit == "%" else f"{text} {unit}"

    def _repr_html_(self) -> str:
        rows = [
            ("quote", f"“{self.quote}” ({self.location})"),
            ("reported", self._reported_with_unit()),
            ("recomputed", self.recomputed_text),
            ("verdict", self.verdict.value.replace("_", " ")),
            ("explanation", self.explanation),
        ]
        return html_table(["claim", self.id], rows)

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


# ----------------------------------------------------------------------------- words


def _printed(reported: str) -> tuple[ReportedNumber, ...]:
    parsed = parse_reported(reported)
    return parsed.numbers if isinstance(parsed, ReportedPair) else (parsed,)


def format_value(value: Value, claim: Claim) -> str:
    """A recomputed value with one decimal more than printed (shortest form if exact)."""
    if isinstance(value, tuple):
        return " to ".join(format_value(v, claim) for v in value)
    q = claim.quantity
    if q is not None and q.statistic in ("n", "count") and float(value).is_integer():
        return str(int(value))
    if q is not None and q.statistic == "pvalue":
        if value == 0:
            return "0"
        return f"{value:.3g}" if abs(value) < 1e-3 else f"{value:.4g}"
    if float(value).is_integer():
        return str(int(value))
    if claim.comparator != "=":
        return f"{value:.3g}"
    printed = _printed(claim.reported or "")
    if any(n.exponent is not None for n in printed):  # scientific notation: answer in kind
        digits = max(n.decimals + (n.exponent or 0) for n in printed)
        return f"{value:.{digits + 1}e}"
    places = max(n.decimals for n in printed) + 1 + max(0, round(math.log10(claim.scale)))
    text = repr(float(value))
    if "e" not in text and len(text.split(".")[1]) <= places:
        return text
    return f"{value:.{places}f}"


def _reported_text(claim: Claim) -> str:
    unit, printed = claim.unit or "", claim.reported or ""
    cmp = "" if claim.comparator in ("=", None) else f"{claim.comparator} "
    sep = "" if unit in ("", "%") else " "
    text = f"{cmp}{printed}{sep if not printed.endswith('%') else ''}"
    if unit and not printed.endswith("%"):
        text += unit
    q = claim.quantity
    if q is not None and q.direction == "reduction" and q.statistic != "pvalue":
        text += " (as a reduction)"
    if claim.scale != 1:
        text += f" (x {_num(claim.scale)} in the table's unit)"
    return text


def _num(x: float | int | str) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def _cond_text(cond: Condition, op: str) -> str:
    return f"{cond.variable} {op} {_num(cond.value)}"


def _conds_text(conds: tuple[Condition, ...], spec: Mapping[str, Any]) -> str:
    return " and ".join(_cond_text(c, spec.get(boundary_name(c), c.op)) for c in conds)


_TEST_WORDS = {
    ("paired", "t"): "paired t-test",
    ("paired", "rank"): "Wilcoxon signed-rank test",
    ("unpaired", "t", "student"): "unpaired Student t-test",
    ("unpaired", "t", "welch"): "Welch t-test",
    ("unpaired", "rank"): "Wilcoxon rank-sum test",
    ("unpaired", "kruskal"): "Kruskal-Wallis test",
}


def _test_text(spec: Mapping[str, Any]) -> str | None:
    if TEST not in spec:
        return None
    pairing = spec.get(PAIRING, "unpaired")
    key: tuple[str, ...] = (pairing, spec[TEST])
    if spec[TEST] == "t" and pairing == "unpaired":
        key = (*key, spec.get(VARIANCE, "student"))
    return _TEST_WORDS.get(key, f"{pairing} {spec[TEST]}")


def _rows_text(name: str, arrays: CohortArrays) -> str:
    if name == ALL_ROWS:
        return f"all {arrays.n} rows"
    excluded = next((r.excluded for r in arrays.row_sets if r.name == name), ())
    return f"{name} ({arrays.n - len(excluded)} rows)"


def _rows_left_out(name: str, arrays: CohortArrays) -> str:
    excluded = next((r.excluded for r in arrays.row_sets if r.name == name), ())
    return (
        f"rows {name.removeprefix('without rows ')} left out "
        f"({arrays.n - len(excluded)} of {arrays.n} rows)"
    )


def describe(spec: Mapping[str, Any], q: Quantity, arrays: CohortArrays) -> str:
    """The specification in words: subset, direction, method, rows (rounding if not stated)."""
    parts: list[str] = []
    if q.subset:
        parts.append(_conds_text(q.subset, spec))
    if q.groups is not None:
        parts.append(
            f"{_conds_text(q.groups[0], spec) or 'all'} vs "
            f"{_conds_text(q.groups[1], spec) or 'all'}"
        )
    if DIRECTION in spec:
        parts.append("before - after" if spec[DIRECTION] == "reduction" else "after - before")
    if QUANTILE_TYPE in spec:
        parts.append(f"R quantile type {spec[QUANTILE_TYPE]}")
    if SD_DDOF in spec:
        parts.append("SD with n - 1" if spec[SD_DDOF] == 1 else "SD with n")
    if CORRELATION in spec:
        parts.append(str(spec[CORRELATION]).capitalize())
    test = _test_text(spec)
    if test:
        parts.append(test)
    if ALTERNATIVE in spec:
        parts.append(str(spec[ALTERNATIVE]))
    if ROWS in spec:
        parts.append(_rows_text(spec[ROWS], arrays))
    return ", ".join(parts)


def _departure_text(spec: Specification, q: Quantity, arrays: CohortArrays) -> str:
    stated = spec.stated
    words: list[str] = []
    conds = list(q.subset) + [c for g in (q.groups or ()) for c in g]
    done: set[str] = set()
    for name in spec.departures:
        value, was = spec[name], stated[name]
        if name.startswith("boundary"):
            cond = next(c for c in conds if boundary_name(c) == name)
            if name in done:
                continue
            done.add(name)
            words.append(f"{_cond_text(cond, value)} instead of {_cond_text(cond, was)}")
        elif name == DIRECTION:
            flipped = "before - after" if value == "reduction" else "after - before"
            words.append(f"the sign flipped ({flipped})")
        elif name == QUANTILE_TYPE:
            words.append(f"R quantile type {value} instead of {was}")
        elif name == SD_DDOF:
            words.append(
                "SD with n instead of n - 1" if value == 0 else "SD with n - 1 instead of n"
            )
        elif name == ROUNDING:
            words.append(f"{rounding_words(value)} instead of {rounding_words(was)}")
        elif name == ROWS:
            words.append(_rows_left_out(value, arrays))
        elif name in (PAIRING, TEST, VARIANCE):
            if "test" in done:
                continue
            done.add("test")
            words.append(f"a {_test_text(spec.values)} instead of a {_test_text(stated)}")
        else:
            words.append(f"{name} {value} instead of {was}")
    return " and ".join(words)


def _fmt_distance(distance: float, log_scale: bool, claim: Claim, arrays: CohortArrays) -> str:
    if log_scale:
        return f"{distance:.2g} orders of magnitude"
    unit = claim.unit
    q = claim.quantity
    if claim.scale != 1 or q is None or q.statistic == "correlation":
        # The distance is in the table's unit, not the printed one.
        spec = None if q is None or q.variable is None else arrays.cohort.column(q.variable)
        unit = None if spec is None else spec.unit
    if not unit:
        return f"{distance:.3g}"
    return f"{distance:.3g}{unit}" if unit == "%" else f"{distance:.3g} {unit}"


# ----------------------------------------------------------------------------- judge


def judge(claim: Claim, result: SearchResult | None, arrays: CohortArrays) -> ClaimResult:
    """The verdict on a claim, from its search (None for a claim with no quantity)."""
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
        # A claim that states no number is shown by its quote.
        head = (
            f"Reported {_reported_text(claim)}"
            if claim.reported is not None
            else f"\u201c{claim.quote}\u201d"
        )
        return ClaimResult(
            **base,
            recomputed=None,
            verdict=Verdict.NOT_CHECKABLE,
            specification={},
            stated_specification={},
            nearest=None,
            explanation=f"{head}; not checkable against the table: {_first_sentence(why)}",
        )
    reported = _reported_text(claim)
    stated = result.stated
    stated_spec = dict(stated.specification.values)
    stated_words = describe(stated_spec, q, arrays)
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
    common: dict[str, Any] = dict(
        recomputed=stated.value,
        stated_specification=stated_spec,
        n_tried=result.n_tried,
        statistic=q.statistic,
        reason=stated.failure,
    )
    best = result.best
    if best is not None and best.specification.is_stated:
        return ClaimResult(
            **base,
            **common,
            verdict=Verdict.REPRODUCED,
            specification=dict(best.specification.values),
            nearest=None,
            explanation=f"{head}, which {_agrees(claim)}{_tie(best, result)}.",
        )
    if best is not None:
        assert best.value is not None
        also = ""
        if result.also:
            others = "; ".join(_departure_text(c.specification, q, arrays) for c in result.also)
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
                f"{_departure_text(best.specification, q, arrays)}"
                f"{_tie(best, result)}{also}." + (_ROWS_ARE_DATA if ROWS in best.departures else "")
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
            else _departure_text(near.specification, q, arrays)
        )
        tail = (
            f"none of the {result.n_tried} specifications tried reproduces it, the "
            f"nearest being {format_value(near.value, claim)} ({where}), "
            f"{_fmt_distance(near.distance, result.log_scale, claim, arrays)} away"
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


# A reproduction that needs rows left out is not an analytic choice like a boundary or a
# quantile type: it says the paper may have analysed other patients than the table prints.
_ROWS_ARE_DATA = (
    " Leaving rows out is a question about the data (which patients the paper analysed), "
    "not an analytic choice."
)


def _tie(cand: Candidate, result: SearchResult) -> str:
    """Say so when the print needs a tie at 5 rounded down (allowed by up_or_down)."""
    if cand.value is None or cand.specification.get(ROUNDING) != "up_or_down":
        return ""
    if result.target.check(cand.value, "half_up")[0]:
        return ""
    return (
        f" only if a tie at 5 is rounded down ({rounding_words('half_down')}; "
        f"{rounding_words('half_up')} would not print it so)"
    )


def _agrees(claim: Claim) -> str:
    if claim.comparator in ("=", None):
        return f"prints as {claim.reported}"
    words = {"<": "is below", "<=": "is at most", ">": "is above", ">=": "is at least"}
    scaled = "" if claim.scale == 1 else f" (x {_num(claim.scale)})"
    return f"{words[str(claim.comparator)]} {claim.reported}{scaled}"


def _first_sentence(text: str) -> str:
    """The note's sentence that says why (one with "cannot"), else its first sentence."""
    sentences = [s.strip() for s in re.split(r"(?<=\.)\s+(?=[A-Z])", text.strip()) if s.strip()]
    out = next((s for s in sentences if "cannot" in s), sentences[0] if sentences else text)
    return out if out.endswith(".") else out + "."
