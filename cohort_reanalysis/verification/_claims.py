"""Claims files: what a paper states about its own cohort, as validated data.

A claims file is JSON (``docs/claims-format.md``). It is decoded with :func:`json.loads`
only and validated field by field into frozen dataclasses; nothing in it is ever
evaluated. Every problem raises one :class:`ClaimsError` that names the file, the claim,
the field, the offending value and the rule broken.

Variable names are not checked against a table here (the claims know nothing of the
cohort); :meth:`Claim.variables` and :func:`check_variables` let a later step do that.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias

from ._reported import NOT_SIGNIFICANT, PRINTED_NUMBER

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "ALTERNATIVES",
    "COMPARATORS",
    "CORRELATIONS",
    "DIRECTIONS",
    "FORMAT",
    "OPS",
    "ROLES",
    "STATISTICS",
    "SUMMARY_KINDS",
    "TESTS",
    "Claim",
    "ClaimSet",
    "ClaimsError",
    "Condition",
    "Method",
    "Quantity",
    "SummaryClaim",
    "check_variables",
    "load_claims",
    "parse_claims",
    "split_reported",
]

FORMAT = "cohort-reanalysis/claims@1"

STATISTICS = frozenset(
    {
        "n",
        "count",
        "mean",
        "sd",
        "min",
        "max",
        "median",
        "range",
        "quantile",
        "quartiles",
        "mean_change",
        "pvalue",
        "correlation",
        "difference_between",
    }
)
OPS = frozenset({"==", "!=", "<", "<=", ">", ">="})
COMPARATORS = frozenset({"=", "<", ">", "<=", ">="})
TESTS = frozenset({"paired_t", "welch_t", "student_t", "wilcoxon", "correlation", "kruskal"})
DIRECTIONS = frozenset({"change", "reduction"})
ALTERNATIVES = frozenset({"two-sided", "less", "greater"})
CORRELATIONS = frozenset({"pearson", "spearman", "kendall"})
#: Role names a variable may use instead of a column name (``change`` is after - before).
ROLES = frozenset({"before", "after", "change", "age", "dose", "followup", "sex", "group", "id"})
SUMMARY_KINDS = frozenset({"estimate_ci", "mean_sd", "test_statistic", "counts", "count"})

_ID = re.compile(r"[a-z0-9_.-]+")
_VERSION = re.compile(r"[a-z0-9_-]+")
# A printed number (see _reported.parse_reported): optional sign (ASCII or U+2212), digits
# with optional decimals (or a bare ".05"), an optional power of ten ("1.1e-06",
# "1.1 × 10^-6"), an optional per-cent sign. ASCII digits only: no other script's digits.
_NUM = PRINTED_NUMBER
_NUMBER = re.compile(_NUM)
# Degrees of freedom are plain numbers.
_PLAIN = r"[+\-\u2212]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
# Two ends joined by "to", plain spaces, or a hyphen or en dash: "6.3 to 12.4", "15.25 45.75",
# "6-68". Spaces are tried before a dash so "1 -2" reads as 1 and -2, "1 - 2" as 1 and 2.
# No surrounding whitespace: `reported` is copied exactly as printed.
_SP = "[ \u00a0]"  # a space or a no-break space
_TWO = re.compile(rf"({_NUM})(?:{_SP}+to{_SP}+|{_SP}+|{_SP}*[-\u2013]{_SP}*)({_NUM})")
_DF = re.compile(rf"({_PLAIN})(?:,?{_SP}*({_PLAIN}))?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

_MISSING: Any = object()
_VALUE_SHOWN = 80

ConditionValue: TypeAlias = "str | int | float"


class ClaimsError(ValueError):
    """A claims file broke a rule.

    Attributes
    ----------
    file : str or None
        The claims file (``None`` when parsing an in-memory object without ``source``).
    claim_id : str or None
        The id of the claim at fault, when known.
    field : str or None
        Path of the field at fault, e.g. ``"quantity.subset[0].op"`` (relative to the claim)
        or ``"claims[3].id"`` when the claim's id is itself unusable.
    value : object
        The offending value (``None`` also when there is none to show; see ``has_value``).
    rule : str
        The rule broken, in words.

    Examples
    --------
    >>> from cohort_reanalysis.verification._claims import ClaimsError, parse_claims
    >>> try:
    ...     parse_claims({"format": "cohort-reanalysis/claims@1", "dataset": "x", "claims": [
    ...         {"id": "a", "quote": "q", "location": "l", "versions": ["preprint"],
    ...          "reported": "7.49", "comparator": "~", "unit": "%", "quantity": None}]})
    ... except ClaimsError as err:
    ...     print(err.claim_id, err.field, err.value)
    a comparator ~
    """

    def __init__(
        self,
        rule: str,
        *,
        file: str | Path | None = None,
        claim_id: str | None = None,
        field: str | None = None,
        value: object = _MISSING,
    ) -> None:
        self.rule = rule
        self.file: str | None = None if file is None else str(file)
        self.claim_id = claim_id
        self.field = field
        self.has_value = value is not _MISSING
        self.value: object = None if value is _MISSING else value
        super().__init__(self._message())

    def _message(self) -> str:
        parts = [self.file if self.file is not None else "<claims>"]
        if self.claim_id is not None:
            parts.append(f"claim {self.claim_id!r}")
        if self.field is not None:
            parts.append(f"field {self.field!r}")
        if self.has_value:
            parts.append(f"value {_show(self.value)}")
        parts.append(self.rule)
        # One line, whatever the inputs hold.
        return ": ".join(parts).replace("\n", " ").replace("\r", " ")


def _show(value: object) -> str:
    try:
        text = repr(value)
    except ValueError:  # an int beyond Python's digit limit for str()
        return f"<{type(value).__name__} too long to show>"
    return text if len(text) <= _VALUE_SHOWN else text[: _VALUE_SHOWN - 3] + "..."


@dataclass(frozen=True)
class Condition:
    """One row filter: ``variable op value``, e.g. ``before <= 8``.

    Examples
    --------
    >>> Condition("before", "<=", 8)
    Condition(variable='before', op='<=', value=8)
    """

    variable: str
    op: str
    value: ConditionValue

    def to_dict(self) -> dict[str, Any]:
        return {"variable": self.variable, "op": self.op, "value": self.value}


@dataclass(frozen=True)
class Method:
    """What the paper says it did; ``None`` everywhere the paper is silent.

    Examples
    --------
    >>> Method(test="paired_t", stated="paired t-tests").correlation is None
    True
    """

    test: str | None = None
    alternative: str | None = None
    correlation: str | None = None
    quantile_type: int | None = None
    sd_ddof: int | None = None
    stated: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Quantity:
    """What a reported number is, as structured data (see ``docs/claims-format.md``).

    ``direction`` is ``None`` when the claim does not say; the convention (``change``,
    after - before) then applies. ``groups`` holds two subsets (condition tuples).

    Examples
    --------
    >>> q = Quantity("mean", variable="before")
    >>> q.variables()
    {'before'}
    """

    statistic: str
    variable: str | None = None
    subset: tuple[Condition, ...] = ()
    direction: str | None = None
    method: Method = field(default_factory=Method)
    x: str | None = None
    y: str | None = None
    level: ConditionValue | None = None
    prob: float | None = None
    groups: tuple[tuple[Condition, ...], tuple[Condition, ...]] | None = None

    def variable_fields(self) -> tuple[tuple[str, str], ...]:
        """Every variable mentioned, as ``(field path, name)`` pairs, in file order."""
        found: list[tuple[str, str]] = []
        if self.variable is not None:
            found.append(("quantity.variable", self.variable))
        for i, cond in enumerate(self.subset):
            found.append((f"quantity.subset[{i}].variable", cond.variable))
        if self.x is not None:
            found.append(("quantity.x", self.x))
        if self.y is not None:
            found.append(("quantity.y", self.y))
        for g, group in enumerate(self.groups or ()):
            for i, cond in enumerate(group):
                found.append((f"quantity.groups[{g}][{i}].variable", cond.variable))
        return tuple(found)

    def variables(self) -> set[str]:
        """Every variable name (role or column) the quantity mentions."""
        return {name for _, name in self.variable_fields()}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"statistic": self.statistic}
        if self.variable is not None:
            out["variable"] = self.variable
        if self.subset:
            out["subset"] = [c.to_dict() for c in self.subset]
        if self.direction is not None:
            out["direction"] = self.direction
        method = self.method.to_dict()
        if method:
            out["method"] = method
        for key in ("x", "y", "level", "prob"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.groups is not None:
            out["groups"] = [[c.to_dict() for c in g] for g in self.groups]
        return out


@dataclass(frozen=True)
class Claim:
    """One number a paper states about its own cohort.

    ``reported`` is the string as printed; ``scale`` converts it to the data's unit;
    ``quantity`` is ``None`` when the table cannot speak to the claim.

    Examples
    --------
    >>> c = Claim("abstract.mean_before", "The mean baseline HbA1c level was 7.49%",
    ...           "preprint, Abstract", ("preprint",), "7.49", "=", "%", 1.0,
    ...           Quantity("mean", variable="before"))
    >>> sorted(c.variables())
    ['before']
    """

    id: str
    quote: str
    location: str
    versions: tuple[str, ...]
    reported: str
    comparator: str
    unit: str | None
    scale: float
    quantity: Quantity | None
    note: str | None = None

    @property
    def checkable(self) -> bool:
        """Whether the table can speak to the claim at all."""
        return self.quantity is not None

    def variables(self) -> set[str]:
        """Every variable name (role or column) the claim mentions; empty if not checkable."""
        return set() if self.quantity is None else self.quantity.variables()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "quote": self.quote,
            "location": self.location,
            "versions": list(self.versions),
            "reported": self.reported,
            "comparator": self.comparator,
            "unit": self.unit,
        }
        if self.scale != 1:
            out["scale"] = self.scale
        out["quantity"] = None if self.quantity is None else self.quantity.to_dict()
        if self.note is not None:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class SummaryClaim:
    """A summary-level claim (no patient table): an estimate with CI, a mean/SD, a test
    statistic, parts of a total, or a bare count.

    ``fields`` holds the kind's own fields as decoded: numbers as printed (strings), plus
    ``confidence_level`` (float), ``n``/``items`` (int), ``claimed_significant`` (bool).

    Examples
    --------
    >>> s = SummaryClaim("n", "169 participants", "Abstract", "count",
    ...                  MappingProxyType({"count": "169"}))
    >>> s["count"]
    '169'
    """

    id: str
    quote: str
    location: str
    kind: str
    fields: Mapping[str, Any]
    versions: tuple[str, ...] = ()
    unit: str | None = None
    note: str | None = None

    def __getitem__(self, key: str) -> Any:
        return self.fields[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "quote": self.quote,
            "location": self.location,
            "kind": self.kind,
        }
        if self.versions:
            out["versions"] = list(self.versions)
        if self.unit is not None:
            out["unit"] = self.unit
        out.update({k: list(v) if isinstance(v, tuple) else v for k, v in self.fields.items()})
        if self.note is not None:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class ClaimSet:
    """All claims of one dataset, in file order.

    Examples
    --------
    >>> cs = parse_claims({"format": "cohort-reanalysis/claims@1", "dataset": "demo",
    ...                    "claims": []})
    >>> cs.dataset, len(cs)
    ('demo', 0)
    """

    dataset: str
    claims: tuple[Claim, ...]
    summary_claims: tuple[SummaryClaim, ...] = ()
    source: Path | None = None

    def __len__(self) -> int:
        return len(self.claims) + len(self.summary_claims)

    def __iter__(self) -> Iterator[Claim]:
        return iter(self.claims)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.claims) + tuple(s.id for s in self.summary_claims)

    def __getitem__(self, claim_id: str) -> Claim | SummaryClaim:
        items: tuple[Claim | SummaryClaim, ...] = (*self.claims, *self.summary_claims)
        for item in items:
            if item.id == claim_id:
                return item
        raise KeyError(claim_id)

    def to_frame(self) -> pd.DataFrame:
        """One row per claim: id, kind, reported value (with comparator and unit), location,
        whether the table can speak to it, and the quote.

        ``kind`` is the statistic of a claim about the table (``mean_change``, ``p``, ...)
        or the kind of a summary-level claim (``estimate_ci``, ``count``, ...).

        Examples
        --------
        >>> from cohort_reanalysis.cohort import dataset_info
        >>> frame = load_claims(dataset_info("matsuoka2025").claims_file).to_frame()
        >>> frame.loc[0, ["id", "kind", "reported"]].tolist()
        ['abstract.n_enrolled', 'n', '61 patients']
        """
        import pandas as pd

        def shown(comparator: str, reported: str, unit: str | None) -> str:
            text = reported if comparator == "=" else f"{comparator} {reported}"
            if unit:
                text += unit if unit == "%" else f" {unit}"
            return text

        rows: list[dict[str, Any]] = [
            {
                "id": c.id,
                "kind": c.quantity.statistic if c.quantity is not None else "not checkable",
                "reported": shown(c.comparator, c.reported, c.unit),
                "location": c.location,
                "checkable": c.checkable,
                "quote": c.quote,
            }
            for c in self.claims
        ]
        for sc in self.summary_claims:
            if sc.kind == "estimate_ci":
                reported = shown("=", sc["estimate"], sc.unit)
                reported += f" ({sc['ci_low']} to {sc['ci_high']})"
            elif sc.kind == "count":
                reported = " ".join([sc["count"], *([sc["of"]] if "of" in sc.fields else [])])
            else:  # the printed numbers, in the file's order
                numbers = [
                    v for v in sc.fields.values() if isinstance(v, str) and split_reported(v)
                ]
                reported = shown("=", ", ".join(numbers), sc.unit)
            rows.append(
                {
                    "id": sc.id,
                    "kind": sc.kind,
                    "reported": reported,
                    "location": sc.location,
                    "checkable": True,
                    "quote": sc.quote,
                }
            )
        columns = ["id", "kind", "reported", "location", "checkable", "quote"]
        return pd.DataFrame.from_records(rows, columns=columns)

    def _repr_html_(self) -> str:
        from .._html import html_table

        frame = self.to_frame()
        checkable = int(frame["checkable"].sum())
        caption = (
            f"Claims of {self.dataset}: {len(frame)} "
            f"({checkable} checkable, {len(frame) - checkable} not checkable)"
        )
        columns = ["id", "kind", "reported", "location", "quote"]
        body = frame[columns].itertuples(index=False, name=None)
        footer = f"From {self.source}" if self.source is not None else None
        return html_table(columns, body, caption=caption, footer=footer)

    def to_dict(self) -> dict[str, Any]:
        """The claims as a JSON-ready object (``parse_claims(cs.to_dict())`` gives ``cs``)."""
        out: dict[str, Any] = {"format": FORMAT, "dataset": self.dataset}
        if self.claims or not self.summary_claims:
            out["claims"] = [c.to_dict() for c in self.claims]
        if self.summary_claims:
            out["summary_claims"] = [s.to_dict() for s in self.summary_claims]
        return out


# ----------------------------------------------------------------------------- grammar


def split_reported(text: str) -> tuple[str, ...] | None:
    """Split a printed value into its one or two numbers, or ``None`` if it is not one.

    Only the grammar is checked here; turning the strings into intervals is the job of
    the reported-values module.

    Examples
    --------
    >>> split_reported("6.3 to 12.4"), split_reported("6-68"), split_reported("15.25 45.75")
    (('6.3', '12.4'), ('6', '68'), ('15.25', '45.75'))
    >>> split_reported("0.0000002"), split_reported("about 7") is None
    (('0.0000002',), True)
    """
    if not isinstance(text, str):
        return None
    if _NUMBER.fullmatch(text):
        return (text,)
    match = _TWO.fullmatch(text)
    if match:
        return (match.group(1), match.group(2))
    return None


# ----------------------------------------------------------------------------- decoding


class _DuplicateKeyError(Exception):
    pass


class _ConstantError(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKeyError(key)
        out[key] = value
    return out


def _reject_constant(name: str) -> Any:
    raise _ConstantError(name)


def _decode(text: str, file: str | None) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        raise ClaimsError(
            f"malformed JSON at line {err.lineno} column {err.colno}: {err.msg}", file=file
        ) from None
    except _DuplicateKeyError as err:
        raise ClaimsError(
            f"malformed JSON: duplicate key {err.args[0]!r} in one object", file=file
        ) from None
    except _ConstantError as err:
        raise ClaimsError(
            f"malformed JSON: {err.args[0]} is not a JSON value (numbers must be finite)",
            file=file,
        ) from None
    except RecursionError:
        raise ClaimsError("malformed JSON: nested too deeply", file=file) from None
    except ValueError as err:  # e.g. an integer beyond Python's digit limit
        raise ClaimsError(f"malformed JSON: {err}", file=file) from None


def load_claims(path: str | Path) -> ClaimSet:
    """Read and validate a claims file.

    Parameters
    ----------
    path : str or Path
        A JSON claims file (UTF-8).

    Returns
    -------
    ClaimSet

    Raises
    ------
    ClaimsError
        If the file cannot be read, is not valid JSON (line and column named) or breaks
        any rule of the format.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "claims.json"
    >>> _ = p.write_text('{"format": "cohort-reanalysis/claims@1", "dataset": "d", '
    ...                  '"claims": []}')
    >>> load_claims(p).dataset
    'd'
    """
    source = Path(path)
    try:
        raw = source.read_bytes()
    except OSError as err:
        raise ClaimsError(f"cannot read file: {err.strerror or err}", file=source) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ClaimsError(f"malformed JSON: not UTF-8 (byte {err.start})", file=source) from None
    return parse_claims(_decode(text, str(source)), source=source)


def parse_claims(obj: object, *, source: str | Path | None = None) -> ClaimSet:
    """Validate a decoded claims object (as from ``json.loads``) into a :class:`ClaimSet`.

    Parameters
    ----------
    obj : object
        The decoded JSON document.
    source : str or Path, optional
        Where it came from; named in errors and kept on the result.

    Raises
    ------
    ClaimsError
        On the first rule broken (unknown or missing field, unknown statistic, op,
        comparator, test or direction, duplicate or malformed id, a statistic without the
        fields it needs, a reported value outside the printed-number grammar, ...).

    Examples
    --------
    >>> cs = parse_claims({"format": "cohort-reanalysis/claims@1", "dataset": "d",
    ...     "claims": [{"id": "age.mean", "quote": "a mean age of 63.3 years",
    ...                 "location": "preprint, 3. Results", "versions": ["preprint"],
    ...                 "reported": "63.3", "comparator": "=", "unit": "years",
    ...                 "quantity": {"statistic": "mean", "variable": "age"}}]})
    >>> cs.claims[0].quantity.statistic
    'mean'
    """
    src = None if source is None else Path(source)
    ctx = _Ctx(None if src is None else str(src))
    top = ctx.mapping(obj, None)
    ctx.keys(
        top,
        required=("format", "dataset"),
        optional=("claims", "summary_claims"),
        prefix=None,
    )
    if top["format"] != FORMAT:
        ctx.fail("format", top["format"], f"unsupported format; expected {FORMAT!r}")
    dataset = ctx.text(top["dataset"], "dataset")
    if not _ID.fullmatch(dataset):
        ctx.fail("dataset", dataset, "dataset name must match [a-z0-9_.-]+")
    if "claims" not in top and "summary_claims" not in top:
        ctx.fail(None, _MISSING, "a claims file needs 'claims' or 'summary_claims'")

    seen: set[str] = set()
    claims = tuple(
        _parse_claim(item, i, ctx, seen)
        for i, item in enumerate(ctx.array(top.get("claims", []), "claims"))
    )
    summaries = tuple(
        _parse_summary(item, i, ctx, seen)
        for i, item in enumerate(ctx.array(top.get("summary_claims", []), "summary_claims"))
    )
    return ClaimSet(dataset=dataset, claims=claims, summary_claims=summaries, source=src)


def check_variables(
    claims: ClaimSet, known: Collection[str], *, numeric: Collection[str] | None = None
) -> None:
    """Raise :class:`ClaimsError` for the first variable the cohort cannot serve.

    ``known`` is what a cohort can resolve: its column names and the roles it maps. With
    ``numeric`` (the names holding numbers), a claim that orders (``<``, ``>=``...) or
    averages a variable holding text (``sex < 0``, the mean of ``sex``) is refused too.

    Examples
    --------
    >>> cs = parse_claims({"format": "cohort-reanalysis/claims@1", "dataset": "d",
    ...     "claims": [{"id": "m", "quote": "q", "location": "l", "versions": ["preprint"],
    ...                 "reported": "1", "comparator": "=", "unit": None,
    ...                 "quantity": {"statistic": "mean", "variable": "bmi"}}]})
    >>> try:
    ...     check_variables(cs, {"before", "after"})
    ... except ClaimsError as err:
    ...     print(err.field, err.value)
    quantity.variable bmi
    """
    file = None if claims.source is None else str(claims.source)
    for claim in claims.claims:
        if claim.quantity is None:
            continue
        for path, name in claim.quantity.variable_fields():
            if name not in known:
                raise ClaimsError(
                    "unknown variable: neither a column nor a role of the cohort",
                    file=file,
                    claim_id=claim.id,
                    field=path,
                    value=name,
                )
        if numeric is not None:
            _check_numeric(claim, set(numeric), file)


# Statistics of a variable that need numbers (counting and equality work on text too).
_NEEDS_NUMBERS = frozenset(
    {
        "mean",
        "sd",
        "min",
        "max",
        "median",
        "range",
        "quantile",
        "quartiles",
        "mean_change",
        "correlation",
        "difference_between",
    }
)


def _check_numeric(claim: Claim, numeric: set[str], file: str | None) -> None:
    q = claim.quantity
    assert q is not None
    conditions = [(f"quantity.subset[{i}]", c) for i, c in enumerate(q.subset)]
    conditions += [
        (f"quantity.groups[{g}][{i}]", c)
        for g, group in enumerate(q.groups or ())
        for i, c in enumerate(group)
    ]
    for path, cond in conditions:
        if cond.op in ("<", "<=", ">", ">=") and (
            cond.variable not in numeric or not isinstance(cond.value, (int, float))
        ):
            raise ClaimsError(
                f"'{cond.op}' needs a numeric variable and value",
                file=file,
                claim_id=claim.id,
                field=path,
                value=f"{cond.variable} {cond.op} {cond.value!r}",
            )
    if q.statistic in _NEEDS_NUMBERS:
        for path, name in (
            ("quantity.variable", q.variable),
            ("quantity.x", q.x),
            ("quantity.y", q.y),
        ):
            if name is not None and name not in numeric:
                raise ClaimsError(
                    f"statistic '{q.statistic}' needs a numeric variable",
                    file=file,
                    claim_id=claim.id,
                    field=path,
                    value=name,
                )


# ----------------------------------------------------------------------------- validation


class _Ctx:
    """Where we are (file, claim) so every error names it."""

    def __init__(self, file: str | None) -> None:
        self.file = file
        self.claim_id: str | None = None

    def fail(self, field: str | None, value: object, rule: str) -> NoReturn:
        raise ClaimsError(rule, file=self.file, claim_id=self.claim_id, field=field, value=value)

    def mapping(self, value: object, path: str | None) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, value, f"expected a JSON object, got {_kind(value)}")
        for key in value:
            if not isinstance(key, str):
                self.fail(path, key, "object keys must be strings")
        return value

    def keys(
        self,
        obj: Mapping[str, Any],
        *,
        required: Sequence[str],
        optional: Sequence[str],
        prefix: str | None,
    ) -> None:
        allowed = set(required) | set(optional)
        for key in obj:
            if key not in allowed:
                self.fail(
                    _join(prefix, key),
                    obj[key],
                    f"unknown field; allowed: {', '.join(sorted(allowed))}",
                )
        for key in required:
            if key not in obj:
                self.fail(_join(prefix, key), _MISSING, "missing required field")

    def array(self, value: object, path: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail(path, value, f"expected a JSON array, got {_kind(value)}")
        return value

    def text(self, value: object, path: str) -> str:
        if not isinstance(value, str):
            self.fail(path, value, f"expected a string, got {_kind(value)}")
        if not value.strip():
            self.fail(path, value, "must not be empty")
        return value

    def name(self, value: object, path: str) -> str:
        text = self.text(value, path)
        if _CONTROL.search(text) or len(text) > 200 or text != text.strip():
            self.fail(
                path, value, "variable names hold no control characters or edge spaces (<= 200)"
            )
        return text

    def choice(self, value: object, path: str, allowed: frozenset[str], what: str) -> str:
        if not isinstance(value, str) or value not in allowed:
            self.fail(path, value, f"unknown {what}; expected one of {', '.join(sorted(allowed))}")
        return value

    def number(self, value: object, path: str) -> float | int:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(path, value, f"expected a number, got {_kind(value)}")
        try:
            finite = math.isfinite(value)
        except OverflowError:  # an int too large for a float
            finite = False
        if not finite:
            self.fail(path, value, "numbers must be finite")
        return value

    def integer(self, value: object, path: str, low: int, high: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, value, f"expected an integer, got {_kind(value)}")
        if value < low or (high is not None and value > high):
            bound = f"between {low} and {high}" if high is not None else f">= {low}"
            self.fail(path, value, f"must be {bound}")
        return value

    def printed(self, value: object, path: str, *, ends: int | None = None) -> str:
        text = self.text(value, path)
        parts = split_reported(text)
        if parts is None:
            self.fail(
                path,
                value,
                "not a printed number or range (digits, optional sign, decimals, power of "
                "ten as in '1.1e-06' or '1.1 × 10^-6', and %; two ends joined by 'to', '-' or "
                "a space)",
            )
        if ends is not None and len(parts) != ends:
            self.fail(path, value, f"expected {'one number' if ends == 1 else 'two numbers'}")
        return text


def _join(prefix: str | None, key: str) -> str:
    return key if prefix is None else f"{prefix}.{key}"


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "an object",
    }.get(type(value), type(value).__name__)


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


def _parse_id(obj: Mapping[str, Any], path: str, ctx: _Ctx, seen: set[str]) -> str:
    if "id" not in obj:
        ctx.fail(f"{path}.id", _MISSING, "missing required field")
    raw = obj["id"]
    if not isinstance(raw, str) or not _ID.fullmatch(raw):
        ctx.fail(f"{path}.id", raw, "id must be a string matching [a-z0-9_.-]+")
    if raw in seen:
        ctx.fail(f"{path}.id", raw, "duplicate id")
    seen.add(raw)
    ctx.claim_id = raw
    return str(raw)


def _parse_versions(value: object, ctx: _Ctx) -> tuple[str, ...]:
    items = ctx.array(value, "versions")
    if not items:
        ctx.fail("versions", value, "list at least one version (e.g. 'preprint')")
    out: list[str] = []
    for i, item in enumerate(items):
        if not isinstance(item, str) or not _VERSION.fullmatch(item):
            ctx.fail(f"versions[{i}]", item, "a version is a string matching [a-z0-9_-]+")
        if item in out:
            ctx.fail(f"versions[{i}]", item, "duplicate version")
        out.append(item)
    return tuple(out)


def _optional_text(obj: Mapping[str, Any], key: str, ctx: _Ctx, path: str) -> str | None:
    value = obj.get(key)
    return None if value is None else ctx.text(value, path)


def _parse_claim(item: object, index: int, ctx: _Ctx, seen: set[str]) -> Claim:
    ctx.claim_id = None
    path = f"claims[{index}]"
    obj = ctx.mapping(item, path)
    claim_id = _parse_id(obj, path, ctx, seen)
    ctx.keys(obj, required=_CLAIM_REQUIRED, optional=("scale", "note"), prefix=None)
    quote = ctx.text(obj["quote"], "quote")
    location = ctx.text(obj["location"], "location")
    versions = _parse_versions(obj["versions"], ctx)
    reported = ctx.printed(obj["reported"], "reported")
    comparator = ctx.choice(obj["comparator"], "comparator", COMPARATORS, "comparator")
    unit = _optional_text(obj, "unit", ctx, "unit")
    scale = float(ctx.number(obj.get("scale", 1), "scale"))
    if scale <= 0:
        ctx.fail("scale", obj["scale"], "scale must be positive")
    note = _optional_text(obj, "note", ctx, "note")
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


def _parse_quantity(obj: dict[str, Any], ctx: _Ctx) -> Quantity:
    ctx.keys(obj, required=("statistic",), optional=_QUANTITY_FIELDS, prefix="quantity")
    stat = ctx.choice(obj["statistic"], "quantity.statistic", STATISTICS, "statistic")
    for key in _NEEDS[stat]:
        if obj.get(key) is None:
            ctx.fail(f"quantity.{key}", _MISSING, f"statistic {stat!r} needs {key!r}")
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
    ctx: _Ctx,
) -> None:
    if x is not None or y is not None:
        if x is None or y is None:
            ctx.fail("quantity.x" if x is None else "quantity.y", _MISSING, "needs both x and y")
        if groups is not None:
            ctx.fail("quantity.groups", _MISSING, "a p-value takes x/y or groups, not both")
        if variable is not None:
            ctx.fail("quantity.variable", variable, "the p of a correlation takes x/y only")
        if method.test not in (None, "correlation"):
            ctx.fail("quantity.method.test", method.test, "x/y p-values use test 'correlation'")
    elif groups is not None:
        if variable is None:
            ctx.fail("quantity.variable", _MISSING, "a two-group p-value needs 'variable'")
        if method.test is not None and method.test not in _GROUP_TESTS:
            ctx.fail("quantity.method.test", method.test, "not a two-group test")
        if method.correlation is not None:
            ctx.fail("quantity.method.correlation", method.correlation, "no correlation here")
    else:
        if method.test is not None and method.test not in _PAIRED_TESTS:
            ctx.fail("quantity.method.test", method.test, "not a paired test (no groups, x/y)")
        if method.correlation is not None:
            ctx.fail("quantity.method.correlation", method.correlation, "no correlation here")


def _parse_value(value: object, path: str, ctx: _Ctx) -> ConditionValue:
    if isinstance(value, str):
        return ctx.text(value, path)
    return ctx.number(value, path)


def _parse_conditions(value: object, path: str, ctx: _Ctx) -> tuple[Condition, ...]:
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


def _parse_method(value: object, stat: str, ctx: _Ctx) -> Method:
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
        stated=_optional_text(obj, "stated", ctx, "quantity.method.stated"),
    )


# ----------------------------------------------------------------------------- summary claims

_SUMMARY_COMMON = ("id", "quote", "location", "kind")
_SUMMARY_OPTIONAL = ("versions", "unit", "note")
# kind -> (required, optional) fields of its own.
_SUMMARY_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "estimate_ci": (
        ("estimate", "ci_low", "ci_high", "scale"),
        ("confidence_level", "n", "claimed_significant"),
    ),
    "mean_sd": (("mean", "sd", "n"), ("items", "bounds")),
    "test_statistic": (
        ("test", "statistic", "p"),
        ("df", "comparator", "statistic_comparator", "alternative"),
    ),
    "counts": (("parts", "total"), ()),
    "count": (("count",), ("of",)),
}
_STAT_TESTS = frozenset({"t", "z", "F", "chi2", "r"})
_CI_SCALES = frozenset({"difference", "ratio"})


def _parse_summary(item: object, index: int, ctx: _Ctx, seen: set[str]) -> SummaryClaim:
    ctx.claim_id = None
    path = f"summary_claims[{index}]"
    obj = ctx.mapping(item, path)
    claim_id = _parse_id(obj, path, ctx, seen)
    if "kind" not in obj:
        ctx.fail("kind", _MISSING, "missing required field")
    kind = ctx.choice(obj["kind"], "kind", SUMMARY_KINDS, "summary kind")
    required, optional = _SUMMARY_FIELDS[kind]
    ctx.keys(
        obj,
        required=(*_SUMMARY_COMMON, *required),
        optional=(*_SUMMARY_OPTIONAL, *optional),
        prefix=None,
    )
    quote = ctx.text(obj["quote"], "quote")
    location = ctx.text(obj["location"], "location")
    versions = _parse_versions(obj["versions"], ctx) if "versions" in obj else ()
    unit = _optional_text(obj, "unit", ctx, "unit")
    note = _optional_text(obj, "note", ctx, "note")

    own: dict[str, Any] = {}
    for key in (*required, *optional):
        if key not in obj:
            continue
        value = obj[key]
        if key in (
            "estimate",
            "ci_low",
            "ci_high",
            "mean",
            "sd",
            "statistic",
            "p",
            "total",
            "count",
        ):
            if key == "p" and isinstance(value, str) and value.casefold() in NOT_SIGNIFICANT:
                own[key] = value  # "ns": not significant at the claim's alpha
            else:
                own[key] = ctx.printed(value, key, ends=1)
        elif key == "scale":
            own[key] = ctx.choice(value, key, _CI_SCALES, "estimate scale")
        elif key == "confidence_level":
            level = float(ctx.number(value, key))
            if not 0 < level < 1:
                ctx.fail(key, value, "confidence_level must lie strictly between 0 and 1")
            own[key] = level
        elif key in ("n", "items"):
            own[key] = ctx.integer(value, key, 1)
        elif key == "bounds":  # the lowest and highest score of an item
            ends = ctx.array(value, key)
            if len(ends) != 2:
                ctx.fail(key, value, "bounds are two integers: the lowest and highest score")
            low, high = (ctx.integer(end, key, -(10**9)) for end in ends)
            if low > high:
                ctx.fail(key, value, "bounds go from the lowest score to the highest")
            own[key] = (low, high)
        elif key == "claimed_significant":
            if not isinstance(value, bool):
                ctx.fail(key, value, f"expected true or false, got {_kind(value)}")
            own[key] = value
        elif key == "test":
            own[key] = ctx.choice(value, key, _STAT_TESTS, "test statistic")
        elif key == "df":
            text = ctx.text(value, key)
            if not _DF.fullmatch(text):
                ctx.fail(key, value, "df is one number, or two (F) separated by a comma")
            own[key] = text
        elif key in ("comparator", "statistic_comparator"):
            own[key] = ctx.choice(value, key, COMPARATORS, "comparator")
        elif key == "alternative":
            own[key] = ctx.choice(value, key, ALTERNATIVES, "alternative")
        elif key == "parts":
            parts = ctx.array(value, key)
            if not parts:
                ctx.fail(key, value, "parts must not be empty")
            own[key] = tuple(ctx.printed(p, f"{key}[{i}]", ends=1) for i, p in enumerate(parts))
        elif key == "of":
            own[key] = ctx.text(value, key)
    if kind == "test_statistic":
        _check_df(own, ctx)
        if own["p"].casefold() in NOT_SIGNIFICANT and own.get("comparator", "=") != "=":
            ctx.fail("comparator", own["comparator"], f"p {own['p']!r} takes no comparator")
    return SummaryClaim(
        id=claim_id,
        quote=quote,
        location=location,
        kind=kind,
        fields=MappingProxyType(own),
        versions=versions,
        unit=unit,
        note=note,
    )


def _check_df(own: Mapping[str, Any], ctx: _Ctx) -> None:
    test, df = own["test"], own.get("df")
    if test == "z":
        if df is not None:
            ctx.fail("df", df, "a z statistic has no df")
        return
    if df is None:
        ctx.fail("df", _MISSING, f"a {test} statistic needs df")
    match = _DF.fullmatch(df)
    assert match is not None
    two = match.group(2) is not None
    if two != (test == "F"):
        ctx.fail("df", df, "F takes two df, t, chi2 and r one")
