"""The words of a verdict's explanation: a specification, its departures from the stated
method, values and distances, as a reader of the paper reads them.

Machine names (``up_or_down``, ``truncate``) stay in every ``specification`` (the JSON
contract); explanations use these words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from ._cohort_arrays import CohortArrays
from ._recompute import Value
from ._reported import ReportedNumber, ReportedPair, parse_reported
from ._row_sets import ALL_ROWS
from ._rows_used import rows_used
from ._search import Candidate, SearchResult, printed_as_percent
from ._space import (
    ALTERNATIVE,
    CORRELATION,
    DIRECTION,
    EFFECT_SIZE,
    PAIRING,
    PERCENT_CHANGE,
    QUANTILE_TYPE,
    ROUNDING,
    ROWS,
    SD_DDOF,
    SIGNED_RANK_LAW,
    TEST,
    VARIANCE,
    boundary_name,
)
from ._specification import Specification
from .claims import Claim, Condition, Quantity

__all__ = [
    "agrees_text",
    "departure_text",
    "describe",
    "distance_text",
    "first_sentence",
    "format_value",
    "reported_text",
    "rounding_words",
    "tie_text",
]

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


def _printed(reported: str) -> tuple[ReportedNumber, ...]:
    parsed = parse_reported(reported)
    return parsed.numbers if isinstance(parsed, ReportedPair) else (parsed,)


def format_value(value: Value, claim: Claim) -> str:
    """A recomputed value with one decimal more than printed (shortest form if exact)."""
    if isinstance(value, tuple):
        return " to ".join(format_value(v, claim) for v in value)
    if printed_as_percent(claim):  # a share printed as a percent: answered as one
        places = max(n.decimals for n in _printed(claim.reported or "")) + 1
        return f"{100 * value:.{places}f}%"
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


def reported_text(claim: Claim) -> str:
    unit = claim.unit or ""
    printed = claim.reported or ""
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
    ("one_sample", "t"): "one-sample t-test",
    ("one_sample", "rank"): "one-sample Wilcoxon signed-rank test",
    ("unpaired", "chi2"): "chi-squared test (Yates' correction on a 2 x 2 table, as R)",
    ("unpaired", "chi2_uncorrected"): "chi-squared test without continuity correction",
    ("unpaired", "fisher"): "Fisher's exact test",
}
_EFFECT_SIZE_WORDS = {
    "d_z": "d_z (mean change over the SD of the changes)",
    "d_av": "d_av (over the mean of the two SDs)",
    "d_rm": "d_rm (repeated-measures SD)",
    "hedges_g": "Hedges' g (d_av with the small-sample correction)",
}
_GROUP_EFFECT_SIZE_WORDS = {
    "d_av": "Cohen's d (over the pooled SD)",
    "hedges_g": "Hedges' g (pooled SD, small-sample correction)",
}
_PERCENT_CHANGE_WORDS = {
    "mean_of_ratios": "the mean of per-row percent changes",
    "ratio_of_means": "the change of the means over the baseline mean",
}
_LAW_WORDS = {
    "r_default": "R's default signed-rank law (exact below 50 values without ties)",
    "normal": "the signed-rank normal approximation with continuity correction",
}


def _effect_size_text(value: str, q: Quantity) -> str:
    words = _GROUP_EFFECT_SIZE_WORDS if q.groups is not None else _EFFECT_SIZE_WORDS
    return words.get(value, value)


def _test_text(spec: Mapping[str, Any]) -> str | None:
    if TEST not in spec:
        return None
    pairing = spec.get(PAIRING, "unpaired")
    key: tuple[str, ...] = (pairing, spec[TEST])
    if spec[TEST] == "t" and pairing == "unpaired":
        key = (*key, spec.get(VARIANCE, "student"))
    return _TEST_WORDS.get(key, f"{pairing} {spec[TEST]}")


def _n_used(q: Quantity, spec: Mapping[str, Any], arrays: CohortArrays) -> int | None:
    try:
        return rows_used(q, spec, arrays).n_used
    except (ValueError, KeyError):
        return None


def _rows_text(q: Quantity, spec: Mapping[str, Any], arrays: CohortArrays) -> str:
    """The rows the value used: "all 14 rows" only when it used all 14."""
    name, used = spec[ROWS], _n_used(q, spec, arrays)
    if name == ALL_ROWS:
        if used is None or used == arrays.n:
            return f"all {arrays.n} rows"
        return f"{used} of {arrays.n} rows"
    excluded = next((r.excluded for r in arrays.row_sets if r.name == name), ())
    return f"{name} ({arrays.n - len(excluded) if used is None else used} rows)"


def _rows_left_out(q: Quantity, spec: Mapping[str, Any], arrays: CohortArrays) -> str:
    name = spec[ROWS]
    used = _n_used(q, spec, arrays)
    if used is None:
        excluded = next((r.excluded for r in arrays.row_sets if r.name == name), ())
        used = arrays.n - len(excluded)
    return f"rows {name.removeprefix('without rows ')} left out ({used} of {arrays.n} rows used)"


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
    if q.pair is not None:
        parts.append(f"change of {q.pair.before} to {q.pair.after}")
    if q.condition is not None:
        parts.append(f"the share with {_conds_text((q.condition,), spec)}")
    if QUANTILE_TYPE in spec:
        parts.append(f"R quantile type {spec[QUANTILE_TYPE]}")
    if SD_DDOF in spec:
        parts.append("SD with n - 1" if spec[SD_DDOF] == 1 else "SD with n")
    if CORRELATION in spec:
        parts.append(str(spec[CORRELATION]).capitalize())
    if EFFECT_SIZE in spec:
        parts.append(_effect_size_text(spec[EFFECT_SIZE], q))
    if PERCENT_CHANGE in spec:
        parts.append(_PERCENT_CHANGE_WORDS[spec[PERCENT_CHANGE]])
    test = _test_text(spec)
    if test:
        if spec.get(PAIRING) == "one_sample":
            test += f" against {_num(q.method.mu or 0)}"
        parts.append(test)
    if SIGNED_RANK_LAW in spec and spec.get(TEST) == "rank":
        parts.append(_LAW_WORDS[spec[SIGNED_RANK_LAW]])
    if ALTERNATIVE in spec:
        parts.append(str(spec[ALTERNATIVE]))
    if ROWS in spec:
        parts.append(_rows_text(q, spec, arrays))
    return ", ".join(parts)


def departure_text(spec: Specification, q: Quantity, arrays: CohortArrays) -> str:
    stated = spec.stated
    words: list[str] = []
    conds = list(q.subset) + [c for g in (q.groups or ()) for c in g]
    if q.condition is not None:
        conds.append(q.condition)
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
            words.append(_rows_left_out(q, spec.values, arrays))
        elif name == EFFECT_SIZE:
            words.append(f"{_effect_size_text(value, q)} instead of {_effect_size_text(was, q)}")
        elif name == PERCENT_CHANGE:
            words.append(f"{_PERCENT_CHANGE_WORDS[value]} instead of {_PERCENT_CHANGE_WORDS[was]}")
        elif name == SIGNED_RANK_LAW:
            words.append(f"{_LAW_WORDS[value]} instead of {_LAW_WORDS[was]}")
        elif name in (PAIRING, TEST, VARIANCE):
            if "test" in done:
                continue
            done.add("test")
            words.append(f"a {_test_text(spec.values)} instead of a {_test_text(stated)}")
        else:
            words.append(f"{name} {value} instead of {was}")
    return " and ".join(words)


def distance_text(distance: float, log_scale: bool, claim: Claim, arrays: CohortArrays) -> str:
    if log_scale:
        return f"{distance:.2g} orders of magnitude"
    if printed_as_percent(claim):
        return f"{100 * distance:.3g} percentage points"
    unit = claim.unit
    q = claim.quantity
    if claim.scale != 1 or q is None or q.statistic == "correlation":
        # The distance is in the table's unit, not the printed one.
        spec = None if q is None or q.variable is None else arrays.cohort.column(q.variable)
        unit = None if spec is None else spec.unit
    if not unit:
        return f"{distance:.3g}"
    return f"{distance:.3g}{unit}" if unit == "%" else f"{distance:.3g} {unit}"


def tie_text(cand: Candidate, result: SearchResult) -> str:
    """Say so when the print needs a tie at 5 rounded down (allowed by up_or_down)."""
    if cand.value is None or cand.specification.get(ROUNDING) != "up_or_down":
        return ""
    if result.target.check(cand.value, "half_up")[0]:
        return ""
    return (
        f" only if a tie at 5 is rounded down ({rounding_words('half_down')}; "
        f"{rounding_words('half_up')} would not print it so)"
    )


def agrees_text(claim: Claim) -> str:
    if claim.comparator in ("=", None):
        return f"prints as {claim.reported}"
    words = {"<": "is below", "<=": "is at most", ">": "is above", ">=": "is at least"}
    scaled = "" if claim.scale == 1 else f" (x {_num(claim.scale)})"
    return f"{words[str(claim.comparator)]} {claim.reported}{scaled}"


def first_sentence(text: str) -> str:
    """The note's sentence that says why (one with "cannot"), else its first sentence."""
    sentences = [s.strip() for s in re.split(r"(?<=\.)\s+(?=[A-Z])", text.strip()) if s.strip()]
    out = next((s for s in sentences if "cannot" in s), sentences[0] if sentences else text)
    return out if out.endswith(".") else out + "."
