"""Guessing what a drafted number is, from its sentence and the table's columns.

A guess is made only where the words and the columns leave one reading: ``mean baseline
HbA1c`` with a ``before`` column of HbA1c, ``median follow-up`` with a ``followup`` column,
``42 male`` with a sex column coded M/F. Anything else is left to the reviewer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..cohort import Cohort
from ._numbers import Finding

__all__ = ["Columns", "Guess", "guess_quantity"]

_STAT_WORDS = (
    (re.compile(r"(?i)\b(?:interquartile|IQR)\b"), "quartiles"),
    (re.compile(r"(?i)\b(?:mean|average)\b"), "mean"),
    (re.compile(r"(?i)\bmedian\b"), "median"),
    (re.compile(r"(?i)\b(?:SD|standard deviation)\b"), "sd"),
    (re.compile(r"(?i)\b(?:range|ranging|ranged)\b"), "range"),
)
_TOTAL = re.compile(r"(?i)\b(?:a total of|total|enrolled|included|comprised|recruited|studied)\b")
_CHANGE = re.compile(r"(?i)\b(?:reduction|change|improvement|difference|increase|decline)s?\b")
_AFTER = re.compile(
    r"(?i)\b(?:post-?treatment|post|after|following|decreased to|increased to|fell to|"
    r"rose to|final)\b"
)
_BEFORE = re.compile(
    r"(?i)\b(?:baseline|before|pre-?treatment|prior to|at entry|diagnosed|enrol\w*|"
    r"inclusion|admission)\b"
)
_AGE = re.compile(r"(?i)\b(?:age|aged|old)\b")
_FOLLOWUP = re.compile(r"(?i)\b(?:follow[- ]?ups?|followed|duration|observ\w*|persist\w*)\b")
_DOSE = re.compile(r"(?i)\b(?:dose|doses|dosage|cells)\b")
_SHORT_TIME = frozenset({"months", "month", "weeks", "week", "days", "day"})
_COUNT_UNITS = frozenset(
    {"patients", "participants", "subjects", "individuals", "cases", "people", "persons"}
)
_SCALE_WORDS = {"thousand": 1e-3, "million": 1.0, "billion": 1e3}


@dataclass(frozen=True)
class Columns:
    """What the drafting needs of a table: its roles, their units, measure and sex codes."""

    roles: frozenset[str]
    units: dict[str, str | None]
    measure: str | None
    male: str | None
    female: str | None

    @classmethod
    def of(cls, cohort: Cohort) -> Columns:
        roles: set[str] = set()
        units: dict[str, str | None] = {}
        male = female = None
        for spec in cohort.columns:
            role = spec.role.value
            roles.add(role)
            units.setdefault(role, spec.unit)
            if role == "sex":
                for code in spec.categories or ():
                    if code.casefold() in ("m", "male", "man", "men"):
                        male = code
                    elif code.casefold() in ("f", "female", "woman", "women"):
                        female = code
        return cls(frozenset(roles), units, cohort.measure, male, female)


@dataclass
class Guess:
    """The reading carried from one number of a sentence to the next."""

    statistic: str | None = None
    variable: str | None = None


def _scale(finding: Finding, variable: str, cols: Columns) -> float | None:
    col_unit = (cols.units.get(variable) or "").casefold()
    unit = (finding.unit or "").casefold()
    if finding.scale_word and "million" in col_unit:
        return _SCALE_WORDS[finding.scale_word]
    if unit in ("years", "year") and col_unit in ("months", "month"):
        return 12.0
    return 1.0


def _variable(
    finding: Finding, local: str, before: str, carried: Guess, cols: Columns
) -> str | None:
    unit = (finding.unit or "").casefold()
    roles = cols.roles
    if unit in _SHORT_TIME:
        return "followup" if "followup" in roles and not _AGE.search(local) else None
    if unit in ("years", "year"):
        if _AGE.search(local) or (carried.variable == "age" and not _FOLLOWUP.search(local)):
            return "age" if "age" in roles else None
        if _FOLLOWUP.search(local) or carried.variable == "followup":
            return "followup" if "followup" in roles else None
        return None
    if finding.scale_word or "cells" in unit or (_DOSE.search(local) and not unit):
        return "dose" if "dose" in roles else None
    if unit in _COUNT_UNITS:
        return None
    measure = cols.measure
    mentioned = measure is not None and measure.casefold() in before.casefold()
    col_unit = cols.units.get("before")
    if not ("before" in roles and "after" in roles):
        return None
    if not (mentioned or (col_unit is not None and unit == col_unit.casefold())):
        return None
    is_after, is_before = bool(_AFTER.search(local)), bool(_BEFORE.search(local))
    if is_after and is_before:
        return None
    if is_after:
        return "after"
    if is_before:
        return "before"
    return carried.variable if carried.variable in ("before", "after") else None


def guess_quantity(
    finding: Finding, local: str, before: str, carried: Guess, cols: Columns
) -> tuple[dict[str, Any] | None, float | None]:
    """The quantity of ``finding`` and its scale, or (None, None) where it is not clear.

    ``local`` is the sentence since the previous number, ``before`` all of it up to this
    number; ``carried`` is the previous number's reading, updated in place.
    """
    if finding.kind not in ("value", "range"):
        carried.statistic = carried.variable = None
        return None, None
    unit = (finding.unit or "").casefold()
    if finding.kind == "value" and unit in _COUNT_UNITS:
        return None, None  # counts are read by guess_count
    stat = None
    for pattern, name in _STAT_WORDS:
        if pattern.search(local):
            stat = name
    if _CHANGE.search(local):
        carried.statistic = carried.variable = None
        return None, None
    variable = _variable(finding, local, before, carried, cols)
    if finding.kind == "range":
        stat = (
            "quartiles"
            if finding.note == "interquartile range"
            else ("range" if stat == "range" or re.search(r"(?i)\brang", local) else None)
        )
    else:
        if stat in ("range", "quartiles"):
            stat = None
        if finding.note in ("lower end of a range", "upper end of a range") and re.search(
            r"(?i)\brang", before
        ):
            stat = "min" if finding.note.startswith("lower") else "max"
        elif finding.comparator == ">=" and variable == "before" and _BEFORE.search(before):
            stat = "min"
        elif finding.comparator == "<=" and stat is None:
            stat = "max"
        elif stat is None and carried.statistic in ("mean", "median", "sd"):
            stat = carried.statistic
    carried.statistic, carried.variable = stat, variable
    if stat is None or variable is None:
        return None, None
    return {"statistic": stat, "variable": variable}, _scale(finding, variable, cols)


def guess_count(finding: Finding, after: str, before: str, cols: Columns) -> dict[str, Any] | None:
    """``42 male`` -> a count of the sex column's M; ``a total of 61 patients`` -> n."""
    if finding.kind != "value" or (finding.unit or "").casefold() not in _COUNT_UNITS:
        return None
    word = re.match(r"\s*(male|female|men|women)\b", after, re.I)
    if word is not None:
        if "sex" not in cols.roles:
            return None
        level = cols.male if word.group(1).casefold() in ("male", "men") else cols.female
        return None if level is None else {"statistic": "count", "variable": "sex", "level": level}
    if _TOTAL.search(before) or re.search(r"(?i)\b(?:were|was) (?:enrolled|included)", after):
        return {"statistic": "n"}
    return None
