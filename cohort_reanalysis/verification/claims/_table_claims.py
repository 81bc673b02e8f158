"""Parsing a claim about the patient table: its printed value and its quantity.

A claim about the table states a number (``reported``, with ``comparator`` and ``unit``) and
what that number is (``quantity``: a statistic of variables, in a subset, by a method). Which
fields and tests each statistic uses is declared once, in ``_field_use``; a field that the
claim's statistic and test do not use is an error naming it, never ignored.
Every problem of a claim is recorded (see ``FieldReader.guard``), not only the first.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from .._reported import split_reported
from ._domains import domain_problem, table_domain
from ._errors import MISSING
from ._field_use import (
    COUNT_TESTS,
    GROUP_TESTS,
    METHOD_USE,
    NEEDS,
    OF_CHANGE,
    ONE_SAMPLE_TESTS,
    PAIRED_EFFECT_SIZES,
    PAIRED_TESTS,
    STAT_TESTS,
    TEST_USE,
    USES,
)
from ._fields import ID, FieldReader, Recorded
from ._model import (
    Claim,
    Condition,
    ConditionValue,
    Equals,
    Method,
    Pair,
    Quantity,
)
from ._vocabulary import (
    ALTERNATIVES,
    COMPARATORS,
    CORRELATIONS,
    DIRECTIONS,
    DRAFT_STATES,
    EFFECT_SIZES,
    FORMAT_V1,
    IDENTITY_OPS,
    NEEDS_QUANTITY,
    OPS,
    PERCENT_CHANGES,
    STATISTICS,
    TESTS,
)

__all__ = ["parse_claim"]

# ----------------------------------------------------------------------------- declarations

_CHANGE = "change"

#: Statistics whose printed value has two numbers.
_TWO_NUMBERS = frozenset({"range", "quartiles", "ci"})
#: What each claims@2 addition is, for a claims@1 file that uses one.
_V2_CLAIM_FIELDS = frozenset({"source", "draft"})
_V2_QUANTITY_FIELDS = frozenset({"pair", "condition", "column", "equals"})
_V2_METHOD_FIELDS = frozenset({"confidence_level", "mu", "effect_size", "percent_change"})
_V2_STATISTICS = frozenset(
    {"ci", "statistic", "df", "se", "effect_size", "proportion", "percent_change", "slope"}
    | {"row_identity"}
)
_V2_TESTS = ONE_SAMPLE_TESTS | COUNT_TESTS
_NEEDS_V2 = "a claims@2 field or value; this file declares claims@1"

_MEASURED = ("id", "quote", "location", "versions", "reported", "comparator", "unit", "quantity")
_WITHOUT_NUMBER = ("id", "quote", "location", "quantity")
_IDENTITY = ("id", "quote", "location", "versions", "quantity")
_NO_NUMBER_FIELDS = ("reported", "comparator", "unit", "scale")

# ----------------------------------------------------------------------------- the claim


def parse_claim(
    item: object, index: int, ctx: FieldReader, seen: set[str], fmt: str
) -> Claim | None:
    """Validate the claim at ``claims[index]``; None (problems recorded) if it is broken."""
    ctx.claim_id = None
    path = f"claims[{index}]"
    obj = ctx.mapping(item, path)
    claim_id = ctx.read_id(obj, path, seen)
    start = ctx.count()
    raw_quantity = obj.get("quantity", MISSING)
    identity = isinstance(raw_quantity, dict) and raw_quantity.get("statistic") == "row_identity"
    required: tuple[str, ...]
    optional: tuple[str, ...]
    if raw_quantity is None:
        required, optional = _WITHOUT_NUMBER, ("versions", *_NO_NUMBER_FIELDS, "note")
    elif identity:
        required, optional = _IDENTITY, ("note",)
    else:
        required, optional = _MEASURED, ("scale", "note")
    optional = (*optional, "source", "draft")
    if identity:
        for key in _NO_NUMBER_FIELDS:
            if key in obj:
                ctx.note(key, obj[key], "a row identity states no number: leave out " + key)
    ctx.keys(obj, required=required, optional=optional, prefix=None)
    if fmt == FORMAT_V1:
        for key in _V2_CLAIM_FIELDS & set(obj):
            ctx.note(key, obj[key], _NEEDS_V2)

    values: dict[str, Any] = {}

    def read(key: str, reader: Any, *args: Any) -> None:
        if key in obj:
            with ctx.guard():
                values[key] = reader(obj[key], key, *args)

    read("quote", ctx.text)
    read("location", ctx.text)
    read("versions", lambda v, _k: ctx.versions(v))
    read("reported", ctx.printed)
    read("comparator", ctx.choice, COMPARATORS, "comparator")
    read("unit", lambda v, k: None if v is None else ctx.text(v, k))
    read("scale", ctx.number)
    read("note", lambda v, k: None if v is None else ctx.text(v, k))
    read("source", _source_id, ctx)
    read("draft", ctx.choice, DRAFT_STATES, "draft state")
    if "scale" in values and values["scale"] <= 0:
        ctx.note("scale", obj["scale"], "scale must be positive")
    quantity: Quantity | None = None
    if isinstance(raw_quantity, dict):
        with ctx.guard():
            quantity = _parse_quantity(ctx.mapping(raw_quantity, "quantity"), ctx, fmt)
    elif raw_quantity is not None and raw_quantity is not MISSING:
        ctx.note("quantity", raw_quantity, "expected a JSON object or null")

    reported = values.get("reported")
    ends = len(split_reported(reported) or ()) if reported is not None else 0
    if quantity is not None and reported is not None:
        want = 2 if quantity.statistic in _TWO_NUMBERS else 1
        if ends != want:
            ctx.note(
                "reported",
                reported,
                f"statistic {quantity.statistic!r} reports "
                f"{'two numbers' if want == 2 else 'one number'}",
            )
    if quantity is not None and reported is not None:
        outside = domain_problem(reported, table_domain(quantity.statistic, quantity.method.test))
        if outside is not None:
            ctx.note("reported", reported, outside)
    if ends == 2 and values.get("comparator", "=") != "=":
        ctx.note("comparator", values["comparator"], "a two-number value takes comparator '='")
    if raw_quantity is None and ("reported" in obj) != ("comparator" in obj):
        missing = "comparator" if "reported" in obj else "reported"
        ctx.note(
            missing,
            MISSING,
            "a claim without a quantity gives reported and comparator together, or neither",
        )
    draft = values.get("draft")
    if draft is not None and (draft == NEEDS_QUANTITY) != (raw_quantity is None):
        rule = (
            "a claim that needs a quantity has quantity null"
            if draft == NEEDS_QUANTITY
            else "a guessed quantity needs a quantity; a claim without one 'needs quantity'"
        )
        ctx.note("draft", draft, rule)
    if ctx.count() > start:
        return None
    return Claim(
        id=claim_id,
        quote=values["quote"],
        location=values["location"],
        versions=values.get("versions", ()),
        reported=reported,
        comparator=values.get("comparator"),
        unit=values.get("unit"),
        scale=float(values.get("scale", 1)),
        quantity=quantity,
        note=values.get("note"),
        source=values.get("source"),
        draft=draft,
    )


def _source_id(value: object, key: str, ctx: FieldReader) -> str:
    text = ctx.text(value, key)
    if not ID.fullmatch(text):
        ctx.fail(key, value, "a source id matches [a-z0-9_.-]+ (an id of the metadata's sources)")
    return text


# ----------------------------------------------------------------------------- the quantity


def _parse_quantity(obj: dict[str, Any], ctx: FieldReader, fmt: str) -> Quantity | None:
    start = ctx.count()
    every = {k for users in USES.values() for k in users}
    ctx.keys(obj, required=("statistic",), optional=sorted(every), prefix="quantity")
    if fmt == FORMAT_V1:
        for key in sorted(_V2_QUANTITY_FIELDS & set(obj)):
            ctx.note(f"quantity.{key}", obj[key], _NEEDS_V2)
    if "statistic" not in obj:
        return None
    stat = ctx.choice(obj["statistic"], "quantity.statistic", STATISTICS, "statistic")
    if fmt == FORMAT_V1 and stat in _V2_STATISTICS:
        ctx.note("quantity.statistic", stat, _NEEDS_V2)
    for key in NEEDS.get(stat, ()):
        if obj.get(key) is None:
            ctx.note(f"quantity.{key}", MISSING, f"statistic {stat!r} needs {key!r}")
    for key in sorted(every - set(USES[stat])):
        if obj.get(key) is not None:
            ctx.note(f"quantity.{key}", obj[key], f"{key!r} does not apply to {stat!r}")

    read: dict[str, Any] = {}

    def field(key: str, reader: Any) -> None:
        if obj.get(key) is not None and key in USES[stat]:
            with ctx.guard():
                read[key] = reader(obj[key], f"quantity.{key}")

    for key in ("variable", "x", "y", "column"):
        field(key, ctx.name)
    field("subset", lambda v, p: _parse_conditions(v, p, ctx))
    field("condition", lambda v, p: _parse_condition(v, p, ctx))
    field("direction", lambda v, p: ctx.choice(v, p, DIRECTIONS, "direction"))
    field("level", lambda v, p: _parse_value(v, p, ctx))
    field("prob", lambda v, p: _parse_prob(v, p, ctx))
    field("groups", lambda v, p: _parse_groups(v, p, ctx))
    field("pair", lambda v, p: _parse_pair(v, p, ctx))
    field("equals", lambda v, p: _parse_equals(v, p, ctx))
    method = Method()
    if obj.get("method") is not None:
        with ctx.guard():
            method = _parse_method(obj["method"], stat, ctx, fmt)
    if ctx.count() > start:
        return None
    q = Quantity(statistic=stat, method=method, **read)
    _check_design(q, ctx)
    return None if ctx.count() > start else q


def _about_change(q: Quantity) -> bool:
    """Whether the claim speaks of change (after - before): then ``pair`` and ``direction``
    apply. Statistics of change are so by themselves; the others when they name ``change``."""
    if q.statistic in ("mean_change", "percent_change"):
        return True
    if _paired(q):
        return True
    return _CHANGE in {name for _, name in q.variable_fields()}


def _paired(q: Quantity) -> bool:
    """Whether a test-like statistic is of paired data (no groups, no x/y, no one-sample
    test of another column)."""
    if q.statistic not in ("pvalue", "ci", "statistic", "df", "se", "effect_size"):
        return False
    if q.groups is not None or q.x is not None or q.y is not None:
        return False
    test = q.method.test
    if test in ONE_SAMPLE_TESTS:
        return False
    if test in PAIRED_TESTS or q.statistic in ("pvalue", "statistic", "df", "effect_size"):
        return True
    return q.variable in (None, _CHANGE)  # ci and se: of a mean change, or of a mean


def _check_design(q: Quantity, ctx: FieldReader) -> None:
    """How the fields of a quantity must agree: test with design, pair and direction with
    change. Each problem names the field that does not fit."""
    stat, m = q.statistic, q.method
    xy = q.x is not None or q.y is not None
    test = m.test
    if test is not None and test not in STAT_TESTS.get(stat, frozenset()):
        kind = "not a two-group test; " if stat == "difference_between" else ""
        ctx.note("quantity.method.test", test, f"{kind}test {test!r} does not apply to {stat!r}")
        return
    if test in GROUP_TESTS - PAIRED_TESTS and q.groups is None:
        ctx.note("quantity.method.test", test, "not a paired test (no groups, x/y)")
    if stat in ("pvalue", "ci", "statistic", "df") and xy:
        if q.x is None or q.y is None:
            ctx.note("quantity.x" if q.x is None else "quantity.y", MISSING, "needs both x and y")
        if q.groups is not None:
            ctx.note("quantity.groups", MISSING, f"a {stat} takes x/y or groups, not both")
        if q.variable is not None:
            ctx.note("quantity.variable", q.variable, f"the {stat} of x and y takes x/y only")
        if test not in (None, "correlation"):
            ctx.note("quantity.method.test", test, "x/y claims use test 'correlation'")
    elif stat != "correlation" and m.correlation is not None:
        ctx.note("quantity.method.correlation", m.correlation, "no correlation here (no x/y)")
    if q.groups is not None and stat != "difference_between":
        if q.variable is None:
            ctx.note("quantity.variable", MISSING, f"a two-group {stat} needs 'variable'")
        allowed = GROUP_TESTS | (COUNT_TESTS if stat in ("pvalue", "statistic", "df") else set())
        if test is not None and test not in allowed:
            ctx.note("quantity.method.test", test, "not a two-group test")
        if m.effect_size in PAIRED_EFFECT_SIZES:
            ctx.note(
                "quantity.method.effect_size",
                m.effect_size,
                "an effect size of paired data; between groups use d_av or hedges_g",
            )
    elif test in COUNT_TESTS:
        ctx.note("quantity.method.test", test, f"{test!r} compares a count by groups")
    if test in ONE_SAMPLE_TESTS and q.variable is None:
        ctx.note("quantity.variable", MISSING, f"a {test} test needs the 'variable' it tests")
    for key, tests in TEST_USE.items():
        value = getattr(m, key)
        if value is not None and test not in tests:
            ctx.note(
                f"quantity.method.{key}",
                value,
                f"{key!r} applies only to tests {', '.join(sorted(tests))}",
            )
    if _paired(q) or stat in ("mean_change", "percent_change"):
        if q.variable not in (None, _CHANGE):
            ctx.note(
                "quantity.variable",
                q.variable,
                f"a paired {stat} is of 'change' (set "
                "'pair' to choose its columns); another variable is not used",
            )
    if not _about_change(q):
        for key in OF_CHANGE:
            if getattr(q, key) is not None:
                value = getattr(q, key)
                ctx.note(
                    f"quantity.{key}",
                    value.to_dict() if key == "pair" else value,
                    f"{key!r} applies only to claims about change",
                )


# ----------------------------------------------------------------------------- pieces


def _parse_value(value: object, path: str, ctx: FieldReader) -> ConditionValue:
    if isinstance(value, str):
        return ctx.text(value, path)
    return ctx.number(value, path)


def _parse_prob(value: object, path: str, ctx: FieldReader) -> float:
    prob = float(ctx.number(value, path))
    if not 0 < prob < 1:
        ctx.fail(path, value, "prob must lie strictly between 0 and 1")
    return prob


def _parse_condition(value: object, here: str, ctx: FieldReader) -> Condition:
    obj = ctx.mapping(value, here)
    if not ctx.keys(obj, required=("variable", "op", "value"), optional=(), prefix=here):
        raise Recorded
    variable = ctx.name(obj["variable"], f"{here}.variable")
    op = ctx.choice(obj["op"], f"{here}.op", OPS, "op")
    cond_value = _parse_value(obj["value"], f"{here}.value", ctx)
    if isinstance(cond_value, str) and op not in ("==", "!="):
        ctx.fail(f"{here}.op", op, "a text value takes only == or !=")
    return Condition(variable=variable, op=op, value=cond_value)


def _parse_conditions(value: object, path: str, ctx: FieldReader) -> tuple[Condition, ...]:
    out: list[Condition] = []
    start = ctx.count()
    for i, item in enumerate(ctx.array(value, path)):
        with ctx.guard():
            out.append(_parse_condition(item, f"{path}[{i}]", ctx))
    ctx.settle(start)
    return tuple(out)


def _parse_groups(
    value: object, path: str, ctx: FieldReader
) -> tuple[tuple[Condition, ...], tuple[Condition, ...]]:
    raw = ctx.array(value, path)
    if len(raw) != 2:
        ctx.fail(path, raw, "groups holds exactly two subsets")
    return (
        _parse_conditions(raw[0], f"{path}[0]", ctx),
        _parse_conditions(raw[1], f"{path}[1]", ctx),
    )


def _parse_pair(value: object, path: str, ctx: FieldReader) -> Pair:
    obj = ctx.mapping(value, path)
    if not ctx.keys(obj, required=("before", "after"), optional=(), prefix=path):
        raise Recorded
    before = ctx.name(obj["before"], f"{path}.before")
    after = ctx.name(obj["after"], f"{path}.after")
    for key, name in (("before", before), ("after", after)):
        if name == _CHANGE:
            ctx.fail(f"{path}.{key}", name, "a pair names two measurements, not 'change'")
    if before == after:
        ctx.fail(path, obj, "before and after are two different columns")
    return Pair(before=before, after=after)


def _parse_equals(value: object, path: str, ctx: FieldReader) -> Equals:
    obj = ctx.mapping(value, path)
    if not ctx.keys(obj, required=("op", "of"), optional=(), prefix=path):
        raise Recorded
    op = ctx.choice(obj["op"], f"{path}.op", IDENTITY_OPS, "row identity op")
    of = ctx.array(obj["of"], f"{path}.of")
    if len(of) != 2:
        ctx.fail(f"{path}.of", of, "of names two operands, A and B (columns or roles)")
    a, b = (ctx.name(name, f"{path}.of[{i}]") for i, name in enumerate(of))
    return Equals(op=op, of=(a, b))


def _parse_method(value: object, stat: str, ctx: FieldReader, fmt: str) -> Method:
    path = "quantity.method"
    obj = ctx.mapping(value, path)
    start = ctx.count()
    ctx.keys(obj, required=(), optional=tuple(f.name for f in fields(Method)), prefix=path)
    for key, users in METHOD_USE.items():
        if obj.get(key) is not None and stat not in users:
            ctx.note(f"{path}.{key}", obj[key], f"{key!r} does not apply to {stat!r}")
    if fmt == FORMAT_V1:
        for key in sorted(_V2_METHOD_FIELDS & set(obj)):
            ctx.note(f"{path}.{key}", obj[key], _NEEDS_V2)
        if isinstance(obj.get("test"), str) and obj["test"] in _V2_TESTS:
            ctx.note(f"{path}.test", obj["test"], _NEEDS_V2)
    read: dict[str, Any] = {}
    readers: dict[str, Any] = {
        "test": lambda v, p: ctx.choice(v, p, TESTS, "test"),
        "alternative": lambda v, p: ctx.choice(v, p, ALTERNATIVES, "alternative"),
        "correlation": lambda v, p: ctx.choice(v, p, CORRELATIONS, "correlation method"),
        "quantile_type": lambda v, p: ctx.integer(v, p, 1, 9),
        "sd_ddof": lambda v, p: ctx.integer(v, p, 0, 1),
        "stated": ctx.text,
        "confidence_level": lambda v, p: _parse_level(v, p, ctx),
        "mu": lambda v, p: float(ctx.number(v, p)),
        "effect_size": lambda v, p: ctx.choice(v, p, EFFECT_SIZES, "effect size"),
        "percent_change": lambda v, p: ctx.choice(v, p, PERCENT_CHANGES, "percent change"),
    }
    for key, reader in readers.items():
        if obj.get(key) is not None:
            with ctx.guard():
                read[key] = reader(obj[key], f"{path}.{key}")
    ctx.settle(start)
    return Method(**read)


def _parse_level(value: object, path: str, ctx: FieldReader) -> float:
    level = float(ctx.number(value, path))
    if not 0 < level < 1:
        ctx.fail(path, value, "confidence_level must lie strictly between 0 and 1")
    return level
