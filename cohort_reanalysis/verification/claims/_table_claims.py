"""Parsing a claim about the patient table: its printed value and its quantity.

A claim about the table states a number (``reported``, with ``comparator`` and ``unit``) and
what that number is (``quantity``: a statistic of variables, in a subset, by a method). Which
fields each statistic needs and which it may carry is declared once, in ``_NEEDS``,
``_EXTRAS`` and ``_METHOD_USE``.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from .._reported import split_reported
from ._errors import MISSING
from ._fields import FieldReader
from ._model import (
    ALTERNATIVES,
    COMPARATORS,
    CORRELATIONS,
    DIRECTIONS,
    OPS,
    STATISTICS,
    TESTS,
    Claim,
    Condition,
    ConditionValue,
    Method,
    Quantity,
)

__all__ = ["parse_claim"]

_CLAIM_REQUIRED = (
    "id",
    "quote",
    "location",
    "versions",
    "reported",
    "comparator",
    "unit",
    "quantity",
)


def parse_claim(item: object, index: int, ctx: FieldReader, seen: set[str]) -> Claim:
    ctx.claim_id = None
    path = f"claims[{index}]"
    obj = ctx.mapping(item, path)
    claim_id = ctx.read_id(obj, path, seen)
    ctx.keys(obj, required=_CLAIM_REQUIRED, optional=("scale", "note"), prefix=None)
    quote = ctx.text(obj["quote"], "quote")
    location = ctx.text(obj["location"], "location")
    versions = ctx.versions(obj["versions"])
    reported = ctx.printed(obj["reported"], "reported")
    comparator = ctx.choice(obj["comparator"], "comparator", COMPARATORS, "comparator")
    unit = ctx.optional_text(obj, "unit", "unit")
    scale = float(ctx.number(obj.get("scale", 1), "scale"))
    if scale <= 0:
        ctx.fail("scale", obj["scale"], "scale must be positive")
    note = ctx.optional_text(obj, "note", "note")
    quantity = None
    if obj["quantity"] is not None:
        quantity = _parse_quantity(ctx.mapping(obj["quantity"], "quantity"), ctx)
        ends = len(split_reported(reported) or ())
        want = 2 if quantity.statistic in ("range", "quartiles") else 1
        if ends != want:
            ctx.fail(
                "reported",
                reported,
                f"statistic {quantity.statistic!r} reports "
                f"{'two numbers' if want == 2 else 'one number'}",
            )
    if len(split_reported(reported) or ()) == 2 and comparator != "=":
        ctx.fail("comparator", comparator, "a two-number value takes comparator '='")
    return Claim(
        id=claim_id,
        quote=quote,
        location=location,
        versions=versions,
        reported=reported,
        comparator=comparator,
        unit=unit,
        scale=scale,
        quantity=quantity,
        note=note,
    )


_QUANTITY_FIELDS = (
    "variable",
    "subset",
    "direction",
    "method",
    "x",
    "y",
    "level",
    "prob",
    "groups",
)
# Statistic -> fields it needs (beyond `statistic`) and extra fields it may carry.
_NEEDS: dict[str, tuple[str, ...]] = {
    "n": (),
    "count": ("variable", "level"),
    "mean": ("variable",),
    "sd": ("variable",),
    "min": ("variable",),
    "max": ("variable",),
    "median": ("variable",),
    "range": ("variable",),
    "quantile": ("variable", "prob"),
    "quartiles": ("variable",),
    "mean_change": (),
    "pvalue": (),
    "correlation": ("x", "y"),
    "difference_between": ("variable", "groups"),
}
_EXTRAS: dict[str, tuple[str, ...]] = {
    "level": ("count",),
    "prob": ("quantile",),
    "x": ("correlation", "pvalue"),
    "y": ("correlation", "pvalue"),
    "groups": ("difference_between", "pvalue"),
}
_METHOD_USE: dict[str, tuple[str, ...]] = {
    "test": ("pvalue", "difference_between"),
    "alternative": ("pvalue", "difference_between"),
    "correlation": ("correlation", "pvalue"),
    "quantile_type": ("median", "quantile", "quartiles"),
    "sd_ddof": ("sd",),
}
_PAIRED_TESTS = frozenset({"paired_t", "wilcoxon"})
_GROUP_TESTS = frozenset({"welch_t", "student_t", "wilcoxon", "kruskal"})


def _parse_quantity(obj: dict[str, Any], ctx: FieldReader) -> Quantity:
    ctx.keys(obj, required=("statistic",), optional=_QUANTITY_FIELDS, prefix="quantity")
    stat = ctx.choice(obj["statistic"], "quantity.statistic", STATISTICS, "statistic")
    for key in _NEEDS[stat]:
        if obj.get(key) is None:
            ctx.fail(f"quantity.{key}", MISSING, f"statistic {stat!r} needs {key!r}")
    for key, users in _EXTRAS.items():
        if obj.get(key) is not None and stat not in users:
            ctx.fail(f"quantity.{key}", obj[key], f"{key!r} does not apply to {stat!r}")

    def name(key: str) -> str | None:
        value = obj.get(key)
        return None if value is None else ctx.name(value, f"quantity.{key}")

    variable, x, y = name("variable"), name("x"), name("y")
    subset = _parse_conditions(obj.get("subset", []), "quantity.subset", ctx)
    direction = None
    if obj.get("direction") is not None:
        direction = ctx.choice(obj["direction"], "quantity.direction", DIRECTIONS, "direction")
        if stat not in ("mean_change", "pvalue", "difference_between") and "change" not in (
            variable,
            x,
            y,
        ):
            ctx.fail(
                "quantity.direction", direction, "direction applies only to statistics of change"
            )
    method = _parse_method(obj.get("method"), stat, ctx)

    level: ConditionValue | None = None
    if obj.get("level") is not None:
        level = _parse_value(obj["level"], "quantity.level", ctx)
    prob = None
    if obj.get("prob") is not None:
        prob = float(ctx.number(obj["prob"], "quantity.prob"))
        if not 0 < prob < 1:
            ctx.fail("quantity.prob", obj["prob"], "prob must lie strictly between 0 and 1")
    groups = None
    if obj.get("groups") is not None:
        raw = ctx.array(obj["groups"], "quantity.groups")
        if len(raw) != 2:
            ctx.fail("quantity.groups", raw, "groups holds exactly two subsets")
        groups = (
            _parse_conditions(raw[0], "quantity.groups[0]", ctx),
            _parse_conditions(raw[1], "quantity.groups[1]", ctx),
        )

    if stat == "pvalue":
        _check_pvalue(variable, x, y, groups, method, ctx)
    if stat == "difference_between" and method.test is not None:
        if method.test not in _GROUP_TESTS:
            ctx.fail("quantity.method.test", method.test, "not a two-group test")
    return Quantity(
        statistic=stat,
        variable=variable,
        subset=subset,
        direction=direction,
        method=method,
        x=x,
        y=y,
        level=level,
        prob=prob,
        groups=groups,
    )


def _check_pvalue(
    variable: str | None,
    x: str | None,
    y: str | None,
    groups: tuple[tuple[Condition, ...], tuple[Condition, ...]] | None,
    method: Method,
    ctx: FieldReader,
) -> None:
    if x is not None or y is not None:
        if x is None or y is None:
            ctx.fail("quantity.x" if x is None else "quantity.y", MISSING, "needs both x and y")
        if groups is not None:
            ctx.fail("quantity.groups", MISSING, "a p-value takes x/y or groups, not both")
        if variable is not None:
            ctx.fail("quantity.variable", variable, "the p of a correlation takes x/y only")
        if method.test not in (None, "correlation"):
            ctx.fail("quantity.method.test", method.test, "x/y p-values use test 'correlation'")
    elif groups is not None:
        if variable is None:
            ctx.fail("quantity.variable", MISSING, "a two-group p-value needs 'variable'")
        if method.test is not None and method.test not in _GROUP_TESTS:
            ctx.fail("quantity.method.test", method.test, "not a two-group test")
        if method.correlation is not None:
            ctx.fail("quantity.method.correlation", method.correlation, "no correlation here")
    else:
        if method.test is not None and method.test not in _PAIRED_TESTS:
            ctx.fail("quantity.method.test", method.test, "not a paired test (no groups, x/y)")
        if method.correlation is not None:
            ctx.fail("quantity.method.correlation", method.correlation, "no correlation here")


def _parse_value(value: object, path: str, ctx: FieldReader) -> ConditionValue:
    if isinstance(value, str):
        return ctx.text(value, path)
    return ctx.number(value, path)


def _parse_conditions(value: object, path: str, ctx: FieldReader) -> tuple[Condition, ...]:
    out: list[Condition] = []
    for i, item in enumerate(ctx.array(value, path)):
        here = f"{path}[{i}]"
        obj = ctx.mapping(item, here)
        ctx.keys(obj, required=("variable", "op", "value"), optional=(), prefix=here)
        variable = ctx.name(obj["variable"], f"{here}.variable")
        op = ctx.choice(obj["op"], f"{here}.op", OPS, "op")
        cond_value = _parse_value(obj["value"], f"{here}.value", ctx)
        if isinstance(cond_value, str) and op not in ("==", "!="):
            ctx.fail(f"{here}.op", op, "a text value takes only == or !=")
        out.append(Condition(variable=variable, op=op, value=cond_value))
    return tuple(out)


def _parse_method(value: object, stat: str, ctx: FieldReader) -> Method:
    if value is None:
        return Method()
    obj = ctx.mapping(value, "quantity.method")
    ctx.keys(
        obj, required=(), optional=tuple(f.name for f in fields(Method)), prefix="quantity.method"
    )
    for key, users in _METHOD_USE.items():
        if obj.get(key) is not None and stat not in users:
            ctx.fail(f"quantity.method.{key}", obj[key], f"{key!r} does not apply to {stat!r}")

    def pick(key: str, allowed: frozenset[str], what: str) -> str | None:
        raw = obj.get(key)
        return None if raw is None else ctx.choice(raw, f"quantity.method.{key}", allowed, what)

    quantile_type = obj.get("quantile_type")
    if quantile_type is not None:
        quantile_type = ctx.integer(quantile_type, "quantity.method.quantile_type", 1, 9)
    sd_ddof = obj.get("sd_ddof")
    if sd_ddof is not None:
        sd_ddof = ctx.integer(sd_ddof, "quantity.method.sd_ddof", 0, 1)
    return Method(
        test=pick("test", TESTS, "test"),
        alternative=pick("alternative", ALTERNATIVES, "alternative"),
        correlation=pick("correlation", CORRELATIONS, "correlation method"),
        quantile_type=quantile_type,
        sd_ddof=sd_ddof,
        stated=ctx.optional_text(obj, "stated", "quantity.method.stated"),
    )
