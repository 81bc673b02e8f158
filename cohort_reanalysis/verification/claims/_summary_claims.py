"""Parsing a summary-level claim: numbers a paper prints without a patient table.

Each kind (``estimate_ci``, ``mean_sd``, ``test_statistic``, ``counts``, ``count``,
``summary_table``) is one
entry of ``_KINDS``: its required and optional fields and, where the fields constrain each
other, one check. The kinds whose checks read rounding intervals take ``rounding`` (any name
of ``_rounding``'s table), with ``threshold`` and ``symmetric`` where that name takes them.
Each field is read by one entry of ``_READERS``, whatever kind it is in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .._reported import NOT_SIGNIFICANT
from .._rounding import check_rounding
from ..checks._table import split_mean_sd
from ._domains import domain_problem, summary_domain
from ._errors import MISSING
from ._fields import FieldReader
from ._model import SummaryClaim
from ._vocabulary import ALTERNATIVES, COMPARATORS, ROUNDINGS, SUMMARY_KINDS

__all__ = ["parse_summary"]

_COMMON = ("id", "quote", "location", "kind")
_OPTIONAL = ("versions", "unit", "note")
#: How the claim's numbers were rounded, for the kinds whose checks read rounding intervals.
_ROUNDING = ("rounding", "threshold", "symmetric")
_STAT_TESTS = frozenset({"t", "z", "F", "chi2", "r"})
_CI_SCALES = frozenset({"difference", "ratio"})
# Degrees of freedom are plain numbers: one, or two (F) separated by a comma or spaces.
_PLAIN = r"[+\-\u2212]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
_DF = re.compile(rf"({_PLAIN})(?:,?[ \u00a0]*({_PLAIN}))?")

Reader = Callable[[object, str, FieldReader], Any]


# ----------------------------------------------------------------------------- fields


def _printed(value: object, key: str, ctx: FieldReader) -> str:
    return ctx.printed(value, key, ends=1)


def _p(value: object, key: str, ctx: FieldReader) -> str:
    if isinstance(value, str) and value.casefold() in NOT_SIGNIFICANT:
        return value  # "ns": not significant at the claim's alpha
    return ctx.printed(value, key, ends=1)


def _confidence_level(value: object, key: str, ctx: FieldReader) -> float:
    level = float(ctx.number(value, key))
    if not 0 < level < 1:
        ctx.fail(key, value, "confidence_level must lie strictly between 0 and 1")
    return level


def _bounds(value: object, key: str, ctx: FieldReader) -> tuple[int, int]:
    """The lowest and highest score of an item."""
    ends = ctx.array(value, key)
    if len(ends) != 2:
        ctx.fail(key, value, "bounds are two integers: the lowest and highest score")
    low, high = (ctx.integer(end, key, -(10**9)) for end in ends)
    if low > high:
        ctx.fail(key, value, "bounds go from the lowest score to the highest")
    return (low, high)


def _threshold(value: object, key: str, ctx: FieldReader) -> float | int:
    threshold = ctx.number(value, key)
    if not 0 < threshold < 10:
        ctx.fail(key, value, "threshold lies strictly between 0 and 10 (tenths of a step)")
    return threshold


def _df(value: object, key: str, ctx: FieldReader) -> str:
    text = ctx.text(value, key)
    if not _DF.fullmatch(text):
        ctx.fail(key, value, "df is one number, or two (F) separated by a comma")
    return text


def _parts(value: object, key: str, ctx: FieldReader) -> tuple[str, ...]:
    parts = ctx.array(value, key)
    if not parts:
        ctx.fail(key, value, "parts must not be empty")
    return tuple(ctx.printed(p, f"{key}[{i}]", ends=1) for i, p in enumerate(parts))


def _choice(allowed: frozenset[str], what: str) -> Reader:
    return lambda value, key, ctx: ctx.choice(value, key, allowed, what)


def _whole(value: object, key: str, ctx: FieldReader) -> int:
    return ctx.integer(value, key, 1)


def _visits(value: object, key: str, ctx: FieldReader) -> tuple[str, ...]:
    items = ctx.array(value, key)
    visits = tuple(ctx.text(v, f"{key}[{i}]") for i, v in enumerate(items))
    if len(visits) < 2 or len(set(visits)) != len(visits):
        ctx.fail(key, value, "a table has two or more distinct visits, in time order")
    return visits


def _counts_by_visit(value: object, key: str, ctx: FieldReader) -> tuple[int, ...]:
    items = ctx.array(value, key)
    return tuple(ctx.integer(v, f"{key}[{i}]", 1) for i, v in enumerate(items))


_MARKER_KEYS = (("name", "cells"), ("recorded_decimals", "n_by_visit", "changes", "unit"))
_CHANGE_KEYS = (("from", "to", "p"), ("comparator",))


def _cell(value: object, key: str, ctx: FieldReader) -> str:
    text = ctx.text(value, key)
    try:
        mean, sd = split_mean_sd(text)
    except ValueError:
        ctx.fail(key, value, "a cell is a mean and SD as printed: '8.21 ± 0.95' or '8.21 (0.95)'")
    for part, what in ((mean, "mean"), (sd, "sd")):
        ctx.printed(part, key, ends=1)
        outside = domain_problem(part, summary_domain("mean_sd", what, {}))
        if outside is not None:
            ctx.fail(key, value, outside)
    return text


def _change(value: object, key: str, ctx: FieldReader) -> Mapping[str, Any]:
    obj = ctx.mapping(value, key)
    ctx.keys(obj, required=_CHANGE_KEYS[0], optional=_CHANGE_KEYS[1], prefix=key)
    out: dict[str, Any] = {}
    for field in ("from", "to"):
        if field in obj:
            with ctx.guard():
                out[field] = ctx.text(obj[field], f"{key}.{field}")
    if "p" in obj:
        with ctx.guard():
            out["p"] = ctx.printed(obj["p"], f"{key}.p", ends=1)
            outside = domain_problem(out["p"], summary_domain("test_statistic", "p", {}))
            if outside is not None:
                ctx.fail(f"{key}.p", obj["p"], outside)
    if "comparator" in obj:
        with ctx.guard():
            out["comparator"] = ctx.choice(
                obj["comparator"], f"{key}.comparator", COMPARATORS, "comparator"
            )
    return MappingProxyType(out)


def _marker(value: object, key: str, ctx: FieldReader) -> Mapping[str, Any]:
    obj = ctx.mapping(value, key)
    ctx.keys(obj, required=_MARKER_KEYS[0], optional=_MARKER_KEYS[1], prefix=key)
    readers: dict[str, Reader] = {
        "name": lambda v, k, c: c.text(v, k),
        "unit": lambda v, k, c: c.text(v, k),
        "cells": lambda v, k, c: _each(_cell, v, k, c),
        "recorded_decimals": lambda v, k, c: c.integer(v, k, 0, 12),
        "n_by_visit": _counts_by_visit,
        "changes": lambda v, k, c: _each(_change, v, k, c),
    }
    out: dict[str, Any] = {}
    for field, reader in readers.items():
        if field in obj:
            with ctx.guard():
                out[field] = reader(obj[field], f"{key}.{field}", ctx)
    return MappingProxyType(out)


def _each(read: Reader, value: object, key: str, ctx: FieldReader) -> tuple[Any, ...]:
    """Every element of an array read, each problem recorded (the claim then stops)."""
    out = []
    for i, item in enumerate(ctx.array(value, key)):
        with ctx.guard():
            out.append(read(item, f"{key}[{i}]", ctx))
    return tuple(out)


def _markers(value: object, key: str, ctx: FieldReader) -> tuple[Mapping[str, Any], ...]:
    items = ctx.array(value, key)
    if not items:
        ctx.fail(key, value, "a table has at least one marker")
    return tuple(_marker(m, f"{key}[{i}]", ctx) for i, m in enumerate(items))


def _high_r(value: object, key: str, ctx: FieldReader) -> float | int:
    r = ctx.number(value, key)
    if not 0 < r <= 1:
        ctx.fail(key, value, "high_r is a correlation in (0, 1]")
    return r


#: How each field of a summary claim is read, whatever its kind.
_READERS: dict[str, Reader] = {
    "estimate": _printed,
    "ci_low": _printed,
    "ci_high": _printed,
    "mean": _printed,
    "sd": _printed,
    "statistic": _printed,
    "p": _p,
    "total": _printed,
    "count": _printed,
    "scale": _choice(_CI_SCALES, "estimate scale"),
    "confidence_level": _confidence_level,
    "n": _whole,
    "items": _whole,
    "bounds": _bounds,
    "claimed_significant": lambda value, key, ctx: ctx.boolean(value, key),
    "test": _choice(_STAT_TESTS, "test statistic"),
    "df": _df,
    "comparator": _choice(COMPARATORS, "comparator"),
    "statistic_comparator": _choice(COMPARATORS, "comparator"),
    "alternative": _choice(ALTERNATIVES, "alternative"),
    "parts": _parts,
    "of": lambda value, key, ctx: ctx.text(value, key),
    "rounding": _choice(ROUNDINGS, "rounding"),
    "threshold": _threshold,
    "symmetric": lambda value, key, ctx: ctx.boolean(value, key),
    "visits": _visits,
    "n_by_visit": _counts_by_visit,
    "markers": _markers,
    "high_r": _high_r,
}


#: The fields that hold printed numbers (checked against their domain, ``_domains``).
_PRINTED_FIELDS = frozenset(
    {"estimate", "ci_low", "ci_high", "mean", "sd", "statistic", "p", "total", "count", "parts"}
)

# ----------------------------------------------------------------------------- kinds


def _check_rounding(own: Mapping[str, Any], ctx: FieldReader) -> None:
    """``threshold`` and ``symmetric`` only with a rounding that takes them."""
    rounding = own.get("rounding", "up_or_down")
    for key in ("threshold", "symmetric"):
        if key in own:
            try:
                check_rounding(rounding, **{key: own[key]})
            except ValueError as error:
                ctx.note(key, own[key], str(error))


def _check_test_statistic(own: Mapping[str, Any], ctx: FieldReader) -> None:
    _check_rounding(own, ctx)
    test, df = own["test"], own.get("df")
    if test == "z":
        if df is not None:
            ctx.fail("df", df, "a z statistic has no df")
    else:
        if df is None:
            ctx.fail("df", MISSING, f"a {test} statistic needs df")
        match = _DF.fullmatch(df)
        assert match is not None
        two = match.group(2) is not None
        if two != (test == "F"):
            ctx.fail("df", df, "F takes two df, t, chi2 and r one")
    if own["p"].casefold() in NOT_SIGNIFICANT and own.get("comparator", "=") != "=":
        ctx.fail("comparator", own["comparator"], f"p {own['p']!r} takes no comparator")


def _check_table(own: Mapping[str, Any], ctx: FieldReader) -> None:
    """Every marker has one cell (and count) per visit; changes name two of its visits."""
    _check_rounding(own, ctx)
    visits = own["visits"]
    if len(own["n_by_visit"]) != len(visits):
        ctx.note("n_by_visit", list(own["n_by_visit"]), f"one count per visit ({len(visits)})")
    for i, marker in enumerate(own["markers"]):
        where = f"markers[{i}]"
        for field in ("cells", "n_by_visit"):
            if field in marker and len(marker[field]) != len(visits):
                ctx.note(f"{where}.{field}", list(marker[field]), f"one per visit ({len(visits)})")
        for j, change in enumerate(marker.get("changes", ())):
            ends = [change.get("from"), change.get("to")]
            if any(e not in visits for e in ends):
                ctx.note(f"{where}.changes[{j}]", ends, f"from and to are two of {list(visits)}")
            elif visits.index(ends[0]) >= visits.index(ends[1]):
                ctx.note(
                    f"{where}.changes[{j}]",
                    ends,
                    "a change goes from an earlier visit to a later one",
                )


@dataclass(frozen=True)
class _Kind:
    """The fields of one summary kind beyond the common ones, and how they must agree."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    check: Callable[[Mapping[str, Any], FieldReader], None] | None = None


_KINDS: dict[str, _Kind] = {
    "estimate_ci": _Kind(
        ("estimate", "ci_low", "ci_high", "scale"),
        ("confidence_level", "n", "claimed_significant", *_ROUNDING),
        _check_rounding,
    ),
    "mean_sd": _Kind(("mean", "sd", "n"), ("items", "bounds", *_ROUNDING), _check_rounding),
    "test_statistic": _Kind(
        ("test", "statistic", "p"),
        ("df", "comparator", "statistic_comparator", "alternative", *_ROUNDING),
        _check_test_statistic,
    ),
    "counts": _Kind(("parts", "total")),
    "summary_table": _Kind(
        ("visits", "n_by_visit", "markers"), ("high_r", *_ROUNDING), _check_table
    ),
    "count": _Kind(("count",), ("of",)),
}


def parse_summary(
    item: object, index: int, ctx: FieldReader, seen: set[str]
) -> SummaryClaim | None:
    """Validate the summary claim at ``summary_claims[index]`` (ids unique among ``seen``);
    None (problems recorded) if it is broken."""
    ctx.claim_id = None
    path = f"summary_claims[{index}]"
    obj = ctx.mapping(item, path)
    claim_id = ctx.read_id(obj, path, seen)
    if "kind" not in obj:
        ctx.fail("kind", MISSING, "missing required field")
    kind = ctx.choice(obj["kind"], "kind", SUMMARY_KINDS, "summary kind")
    spec = _KINDS[kind]
    start = ctx.count()
    ctx.keys(
        obj,
        required=(*_COMMON, *spec.required),
        optional=(*_OPTIONAL, *spec.optional),
        prefix=None,
    )
    common: dict[str, Any] = {}
    readers: dict[str, Reader] = {
        "quote": lambda v, k, c: c.text(v, k),
        "location": lambda v, k, c: c.text(v, k),
        "versions": lambda v, k, c: c.versions(v),
        "unit": lambda v, k, c: None if v is None else c.text(v, k),
        "note": lambda v, k, c: None if v is None else c.text(v, k),
    }
    for key, reader in readers.items():
        if key in obj:
            with ctx.guard():
                common[key] = reader(obj[key], key, ctx)
    own: dict[str, Any] = {}
    for key in (*spec.required, *spec.optional):
        if key in obj:
            with ctx.guard():
                own[key] = _READERS[key](obj[key], key, ctx)
    for key in [k for k in own if k in _PRINTED_FIELDS]:  # in file order
        printed = own[key] if isinstance(own[key], tuple) else (own[key],)
        for i, text in enumerate(printed):
            if text.casefold() not in NOT_SIGNIFICANT:
                outside = domain_problem(text, summary_domain(kind, key, own))
                if outside is not None:
                    ctx.note(key if len(printed) == 1 else f"{key}[{i}]", text, outside)
    ctx.settle(start)
    if spec.check is not None:
        spec.check(own, ctx)
    return SummaryClaim(
        id=claim_id,
        quote=common["quote"],
        location=common["location"],
        kind=kind,
        fields=MappingProxyType(own),
        versions=common.get("versions", ()),
        unit=common.get("unit"),
        note=common.get("note"),
    )
