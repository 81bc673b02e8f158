"""The numbers a sentence states: values, ranges, p-values, estimates with CIs, mean ± SD.

:func:`find_numbers` reads one sentence (already normalised by ``_apa.normalise``: ASCII
spaces, minus signs and dashes, same length) and returns :class:`Finding` values whose
``reported`` is the number exactly as printed in the original sentence, with its comparator
("more than", "over", "at least", "exceeded", "up to", ``≥``, ...), its unit and what kind of
number it is. Spans already read as test results are passed in and skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Finding", "find_numbers", "significance_level"]

_N = r"(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
_SN = rf"-?{_N}"
_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
}
UNITS = (
    "years",
    "year",
    "months",
    "month",
    "weeks",
    "week",
    "days",
    "day",
    "hours",
    "hour",
    "minutes",
    "minute",
    "seconds",
    "mg",
    "g",
    "kg",
    "ml",
    "mL",
    "L",
    "mmol/L",
    "mmol/mol",
    "mg/dL",
    "ng/mL",
    "cells",
    "cells/kg",
    "patients",
    "patient",
    "participants",
    "subjects",
    "individuals",
    "cases",
    "people",
    "persons",
    "men",
    "women",
    "children",
    "adults",
    "studies",
    "trials",
    "RCTs",
    "reports",
    "events",
    "centres",
    "centers",
    "sites",
    "visits",
    "doses",
    "infusions",
    "cm",
    "mm",
    "kg/m2",
    "bpm",
    "mmHg",
    "points",
    "items",
    "groups",
)
_UNIT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
_SCALE = r"(?:thousand|million|billion)"
_ADJ = r"(?:male|female|serious|adverse|eligible|consecutive|evaluable|new|additional|more)"
_UNIT_AFTER = re.compile(
    rf"\s*(?:(?P<scale>{_SCALE})\s+)?(?:(?P<adj>{_ADJ})\s+(?:and\s+{_N}\s+{_ADJ}\s+)?)?"
    rf"(?P<unit>{_UNIT})(?![A-Za-z])"
)
_CMP_BEFORE = (
    (re.compile(r"(?i)(?:at least|no less than|a minimum of|>=|\u2265|\u2267)\s*$"), ">="),
    (re.compile(r"(?i)(?:up to|at most|no more than|a maximum of|<=|\u2264|\u2266)\s*$"), "<="),
    (
        re.compile(
            r"(?i)(?:more than|greater than|longer than|over|above|exceed(?:ed|ing|s)?|>)\s*$"
        ),
        ">",
    ),
    (re.compile(r"(?i)(?:less than|fewer than|shorter than|under|below|<)\s*$"), "<"),
)
_CMP = {
    "=": "=",
    "<": "<",
    ">": ">",
    "<=": "<=",
    ">=": ">=",
    "\u2264": "<=",
    "\u2265": ">=",
    "=<": "<=",
    "=>": ">=",
}

_CI = re.compile(
    rf"(?P<est>{_SN})(?P<pct>%?)\s*(?:[;,]\s*|\(\s*|\[\s*)"
    rf"(?:(?P<lvl>[0-9]{{2}}(?:\.[0-9]+)?)\s*%\s*(?:CI|confidence interval)s?\s*[:,]?\s*)?"
    rf"(?P<low>{_SN})%?\s*(?:to|-|,)\s*(?P<high>{_SN})%?"
)
_MEAN_SD = re.compile(rf"(?P<mean>{_SN})\s*(?:\u00b1|\+/-|\+-)\s*(?P<sd>{_N})")
_N_IS = re.compile(r"\b[nN]\s*=\s*(?P<n>[0-9]+)\b")
_P = re.compile(
    rf"(?<![A-Za-z])[pP](?:-value)?\s*(?P<cmp><=|>=|=<|=>|<|>|=|\u2264|\u2265)\s*(?P<p>{_N}(?:[eE]-?[0-9]+)?)"
)
_RANGE = re.compile(
    rf"(?P<from>from\s+)?(?P<a>{_SN})(?P<apct>%?)(?:\s+(?P<ascale>{_SCALE}))?"
    rf"(?P<sep>\s+to\s+|\s*-\s*)(?P<b>{_SN})(?P<bpct>%?)(?![0-9]|\.[0-9])"
)
_IQR_LABEL = re.compile(r"(?i)(?:interquartile range|IQR)\W*$")
_IQR_PAIR = re.compile(rf"(?P<a>{_N})\s+(?P<b>{_N})(?![0-9]|\.[0-9])")
_WORD_NUMBER = re.compile(
    rf"(?i)(?<![A-Za-z-])(?P<word>{'|'.join(_WORDS)})(?=\s+(?:(?:{_ADJ})\s+)?(?:{_UNIT})\b)"
)
_NONE = re.compile(
    r"\b(?P<word>No|no|None of the|none of the)\s+"
    r"(?P<what>(?:serious\s+)?adverse (?:events?|reactions?)|deaths?)"
)
_NOT_SIGNIFICANT = re.compile(
    r"(?i)\b(?:did not (?:reach|achieve) (?:statistical )?significance|"
    r"not (?:statistically )?significant|non-?significant|"
    r"no (?:statistically )?significant (?:correlation|difference|association|effect|change|trend))"
)
_NUMBER = re.compile(
    rf"(?<![A-Za-z0-9.,^_/-])(?<![A-Za-z]-)(?P<num>{_SN})(?P<pct>%?)(?![0-9A-Za-z])"
)
_NOT_A_VALUE = re.compile(
    r"(?i)(?:table|figure|fig\.|type|phase|grade|step|reference|ref\.|version|chapter|section|"
    r"et al\.|vol\.|issue|no\.|approval number:?)\s*$"
)
_SIGNIFICANCE = re.compile(
    rf"(?i)(?:p(?:-value)?\s*(?:<|<=|\u2264)\s*(?P<a>{_N})\s+(?:was|were)\s+considered"
    rf"|significance (?:level|threshold)\s+(?:of|at|was set at|=)\s*(?P<b>{_N}))"
)


@dataclass
class Finding:
    """One number a sentence states, as printed, with what is known about it."""

    start: int
    end: int
    kind: str  # value, range, pvalue, implied_p, count_zero, estimate_ci, mean_sd
    reported: str
    comparator: str = "="
    unit: str | None = None
    scale_word: str | None = None
    note: str | None = None
    fields: dict[str, object] = field(default_factory=dict)


def significance_level(text: str) -> str:
    """The alpha a paper states (``A p-value <0.05 was considered significant``), else 0.05.

    >>> significance_level("A p-value <0.05 was considered statistically significant.")
    '0.05'
    """
    m = _SIGNIFICANCE.search(text)
    return (m.group("a") or m.group("b")) if m else "0.05"


def _comparator_before(flat: str, start: int) -> tuple[str, int]:
    before = flat[max(0, start - 20) : start]
    for pattern, cmp in _CMP_BEFORE:
        m = pattern.search(before)
        if m is not None:
            return cmp, start - (len(before) - m.start())
    return "=", start


def _unit_after(flat: str, end: int) -> tuple[str | None, str | None, int]:
    m = _UNIT_AFTER.match(flat, end)
    if m is None:
        return None, None, end
    scale = m.group("scale")
    unit = m.group("unit")
    return (f"{scale} {unit}" if scale else unit), scale, m.end()


def _free(taken: list[tuple[int, int]], a: int, b: int) -> bool:
    return all(b <= s or a >= e for s, e in taken)


def find_numbers(
    original: str, flat: str, taken: list[tuple[int, int]], alpha: str = "0.05"
) -> list[Finding]:
    """The numbers of one sentence, outside the ``taken`` spans, in order of position.

    >>> from cohort_reanalysis.drafting._apa import normalise
    >>> s = "The cohort comprised 42 male and 16 female patients, aged over 60 years."
    >>> [(f.reported, f.comparator, f.unit) for f in find_numbers(s, normalise(s), [])]
    [('42', '=', 'patients'), ('16', '=', 'patients'), ('60', '>', 'years')]
    """
    taken = list(taken)
    out: list[Finding] = []

    def take(f: Finding) -> None:
        taken.append((f.start, f.end))
        out.append(f)

    for m in _CI.finditer(flat):
        if not _free(taken, m.start(), m.end()):
            continue
        lvl = m.group("lvl")
        opener = flat[m.end("pct") : m.start("low")]
        if lvl is None and not ("(" in opener or "[" in opener) and " to " not in m.group(0):
            continue
        if lvl is None and (
            " to " not in flat[m.end("low") : m.start("high")] and "(" not in opener
        ):
            continue
        if lvl is None and flat[max(0, m.start() - 1) : m.start()] not in ("(", "[", " ", ""):
            continue
        if lvl is None and "(" in opener:
            continue  # "12 (3 to 5)" is not read as an estimate without a CI label
        head = flat[max(0, m.start() - 40) : m.start()]
        ratio = re.search(
            r"(?i)\b(?:OR|RR|HR|IRR|odds ratio|risk ratio|hazard ratio|ratio)\b", head
        )
        fields: dict[str, object] = {
            "estimate": original[m.start("est") : m.end("est")],
            "ci_low": original[m.start("low") : m.end("low")],
            "ci_high": original[m.start("high") : m.end("high")],
            "scale": "ratio" if ratio else "difference",
        }
        if lvl is not None:
            fields["confidence_level"] = float(lvl) / 100
        take(
            Finding(
                m.start(),
                m.end(),
                "estimate_ci",
                str(fields["estimate"]),
                "=",
                "%" if m.group("pct") else None,
                fields=fields,
            )
        )
    # Parenthesised pairs "(0.03, 0.03 to 0.03)" after a CI was printed with its level.
    for m in re.finditer(
        rf"\((?P<est>{_SN})(?P<pct>%?),\s*(?P<low>{_SN})%?\s+to\s+(?P<high>{_SN})%?\)", flat
    ):
        if not _free(taken, m.start(), m.end()):
            continue
        fields = {
            "estimate": original[m.start("est") : m.end("est")],
            "ci_low": original[m.start("low") : m.end("low")],
            "ci_high": original[m.start("high") : m.end("high")],
            "scale": "difference",
        }
        take(
            Finding(
                m.start(),
                m.end(),
                "estimate_ci",
                str(fields["estimate"]),
                "=",
                "%" if m.group("pct") else None,
                fields=fields,
                note="confidence level not printed here",
            )
        )
    n_match = _N_IS.search(flat)
    for m in _MEAN_SD.finditer(flat):
        if not _free(taken, m.start(), m.end()):
            continue
        unit, _, _ = _unit_after(flat, m.end())
        mean, sd = original[m.start("mean") : m.end("mean")], original[m.start("sd") : m.end("sd")]
        if n_match is not None and int(n_match.group("n")) >= 1:
            fields = {"mean": mean, "sd": sd, "n": int(n_match.group("n"))}
            take(Finding(m.start(), m.end(), "mean_sd", mean, "=", unit, fields=fields))
            taken.append(n_match.span())
        else:
            taken.append((m.start(), m.end()))
            out.append(
                Finding(
                    m.start("mean"),
                    m.end("mean"),
                    "value",
                    mean,
                    "=",
                    unit,
                    note="mean of a mean \u00b1 SD printed without n",
                )
            )
            out.append(
                Finding(
                    m.start("sd"),
                    m.end("sd"),
                    "value",
                    sd,
                    "=",
                    unit,
                    note="SD of a mean \u00b1 SD printed without n",
                )
            )
    for m in _P.finditer(flat):
        if not _free(taken, m.start(), m.end()):
            continue
        take(
            Finding(
                m.start(),
                m.end(),
                "pvalue",
                original[m.start("p") : m.end("p")],
                _CMP[m.group("cmp")],
            )
        )
    if not any(f.kind == "pvalue" for f in out) and not taken:
        implied = _NOT_SIGNIFICANT.search(flat)
        if implied is not None:
            take(
                Finding(
                    implied.start(),
                    implied.end(),
                    "implied_p",
                    alpha,
                    ">=",
                    note=(
                        f"'{original[implied.start() : implied.end()]}': "
                        f"p at least the stated alpha {alpha}"
                    ),
                )
            )
    for m in _IQR_PAIR.finditer(flat):
        if _free(taken, m.start(), m.end()) and _IQR_LABEL.search(
            flat[max(0, m.start() - 30) : m.start()]
        ):
            unit, _, _ = _unit_after(flat, m.end())
            take(
                Finding(
                    m.start(),
                    m.end(),
                    "range",
                    original[m.start() : m.end()],
                    "=",
                    unit,
                    note="interquartile range",
                )
            )
    for m in _RANGE.finditer(flat):
        a, b = m.start("a"), m.end("bpct")
        if not _free(taken, m.start(), b) or not _plain_start(flat, a):
            continue
        if m.group("sep").strip() == "-" and flat[m.start("b")] == "-":
            continue
        unit, scale, _ = _unit_after(flat, b)
        ascale = m.group("ascale")
        if ascale and ascale != scale:
            # "from 100 million to 2 billion cells": two ends in different units, two numbers.
            noun = unit.split(" ", 1)[1] if unit and " " in unit else unit
            take(
                Finding(
                    a,
                    m.end("a"),
                    "value",
                    original[a : m.end("a")],
                    "=",
                    f"{ascale} {noun}" if noun else ascale,
                    ascale,
                    note="lower end of a range",
                )
            )
            take(
                Finding(
                    m.start("b"),
                    m.end("b"),
                    "value",
                    original[m.start("b") : m.end("b")],
                    "=",
                    unit,
                    scale,
                    note="upper end of a range",
                )
            )
            continue
        if m.group("apct") and not m.group("bpct"):
            continue
        take(Finding(a, b, "range", original[a:b], "=", "%" if m.group("bpct") else unit, scale))
    for m in _NONE.finditer(flat):
        if _free(taken, m.start(), m.end()):
            take(
                Finding(
                    m.start(),
                    m.end(),
                    "count_zero",
                    "0",
                    "=",
                    m.group("what"),
                    note=f"printed as '{original[m.start() : m.end()]}'",
                )
            )
    for m in _WORD_NUMBER.finditer(flat):
        if not _free(taken, m.start(), m.end()):
            continue
        cmp, _ = _comparator_before(flat, m.start())
        unit, scale, _ = _unit_after(flat, m.end())
        take(
            Finding(
                m.start(),
                m.end(),
                "value",
                str(_WORDS[m.group("word").lower()]),
                cmp,
                unit,
                scale,
                note=f"printed as the word '{original[m.start() : m.end()]}'",
            )
        )
    for m in _NUMBER.finditer(flat):
        if not _free(taken, m.start(), m.end()) or not _plain_start(flat, m.start()):
            continue
        num = m.group("num")
        if _NOT_A_VALUE.search(flat[max(0, m.start() - 20) : m.start()]):
            continue
        if re.fullmatch(r"(?:19|20)[0-9]{2}", num) and not m.group("pct"):
            continue  # a year
        cmp, _ = _comparator_before(flat, m.start())
        if m.group("pct"):
            unit, scale = "%", None
        else:
            unit, scale, _ = _unit_after(flat, m.end())
        take(
            Finding(
                m.start(),
                m.end(),
                "value",
                original[m.start("num") : m.end("num")],
                cmp,
                unit,
                scale,
            )
        )
    out.sort(key=lambda f: f.start)
    return out


def _plain_start(flat: str, at: int) -> bool:
    """Whether a number starting at ``at`` stands alone (not inside a name such as IL-6)."""
    before = flat[max(0, at - 2) : at]
    return not re.search(r"[A-Za-z0-9_^/.,][-]?$", before) or before.endswith((", ", " ,"))
