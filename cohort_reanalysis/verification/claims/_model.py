"""The claim model: what a paper states about its own cohort, as frozen values.

The dataclasses a claims file is validated into (see ``docs/claims-format.md``); the words
their fields may hold are the vocabulary's (``_vocabulary``). Building them from JSON is the
parser's job (``_file``); the values here know nothing of any cohort.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from .._reported import split_reported
from ._vocabulary import FORMAT

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "Claim",
    "ClaimSet",
    "Condition",
    "ConditionValue",
    "Equals",
    "Method",
    "Pair",
    "Quantity",
    "SummaryClaim",
]

ConditionValue: TypeAlias = "str | int | float"


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
    confidence_level: float | None = None
    mu: float | None = None
    effect_size: str | None = None
    percent_change: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Pair:
    """The two columns (or roles) whose change a statistic of change speaks of.

    Examples
    --------
    >>> Pair("sbp_0", "sbp_12").to_dict()
    {'before': 'sbp_0', 'after': 'sbp_12'}
    """

    before: str
    after: str

    def to_dict(self) -> dict[str, Any]:
        return {"before": self.before, "after": self.after}


@dataclass(frozen=True)
class Equals:
    """What a row identity says a printed column equals: ``op`` of the operands ``of``.

    Examples
    --------
    >>> Equals("difference", ("after", "before")).to_dict()
    {'op': 'difference', 'of': ['after', 'before']}
    """

    op: str
    of: tuple[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "of": list(self.of)}


@dataclass(frozen=True)
class Quantity:
    """What a reported number is, as structured data (see ``docs/claims-format.md``).

    ``direction`` is ``None`` when the claim does not say; the convention (``change``,
    after - before) then applies. ``groups`` holds two subsets (condition tuples).
    ``pair`` names the columns of ``change`` (None: the ``before``/``after`` roles);
    ``condition`` is the test of a ``proportion``; ``column`` and ``equals`` the printed
    column and what it equals, of a ``row_identity``.

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
    pair: Pair | None = None
    condition: Condition | None = None
    column: str | None = None
    equals: Equals | None = None

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
        if self.pair is not None:
            found.append(("quantity.pair.before", self.pair.before))
            found.append(("quantity.pair.after", self.pair.after))
        if self.condition is not None:
            found.append(("quantity.condition.variable", self.condition.variable))
        if self.column is not None:
            found.append(("quantity.column", self.column))
        if self.equals is not None:
            for i, name in enumerate(self.equals.of):
                found.append((f"quantity.equals.of[{i}]", name))
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
        if self.pair is not None:
            out["pair"] = self.pair.to_dict()
        if self.condition is not None:
            out["condition"] = self.condition.to_dict()
        if self.column is not None:
            out["column"] = self.column
        if self.equals is not None:
            out["equals"] = self.equals.to_dict()
        return out


@dataclass(frozen=True)
class Claim:
    """One number a paper states about its own cohort.

    ``reported`` is the string as printed; ``scale`` converts it to the data's unit;
    ``quantity`` is ``None`` when the table cannot speak to the claim. ``reported`` and
    ``comparator`` are ``None`` for a claim that states no number: one without a quantity
    that leaves them out, or a row identity. ``source`` is the id of the metadata source the
    claim comes from; ``draft`` what a drafted claim still needs from the reviewer
    (``"needs quantity"`` or ``"quantity guessed"``), None for a claim written by hand.

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
    reported: str | None
    comparator: str | None
    unit: str | None
    scale: float
    quantity: Quantity | None
    note: str | None = None
    source: str | None = None
    draft: str | None = None

    @property
    def checkable(self) -> bool:
        """Whether the table can speak to the claim at all."""
        return self.quantity is not None

    def variables(self) -> set[str]:
        """Every variable name (role or column) the claim mentions; empty if not checkable."""
        return set() if self.quantity is None else self.quantity.variables()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "quote": self.quote, "location": self.location}
        if self.versions or self.quantity is not None:
            out["versions"] = list(self.versions)
        if self.reported is not None:
            out.update(reported=self.reported, comparator=self.comparator, unit=self.unit)
        elif self.unit is not None:
            out["unit"] = self.unit
        if self.scale != 1:
            out["scale"] = self.scale
        out["quantity"] = None if self.quantity is None else self.quantity.to_dict()
        if self.note is not None:
            out["note"] = self.note
        if self.source is not None:
            out["source"] = self.source
        if self.draft is not None:
            out["draft"] = self.draft
        return out


@dataclass(frozen=True)
class SummaryClaim:
    """A summary-level claim (no patient table): an estimate with CI, a mean/SD, a test
    statistic, parts of a total, or a bare count.

    ``fields`` holds the kind's own fields as decoded: numbers as printed (strings), plus
    ``confidence_level`` (float), ``n``/``items`` (int), ``claimed_significant`` (bool),
    ``rounding`` (str), ``threshold`` (number) and ``symmetric`` (bool).

    Examples
    --------
    >>> from types import MappingProxyType
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
        out.update({k: _plain(v) for k, v in self.fields.items()})
        if self.note is not None:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class ClaimSet:
    """All claims of one dataset, in file order.

    Examples
    --------
    >>> from cohort_reanalysis.verification.claims import parse_claims
    >>> cs = parse_claims({"format": "cohort-reanalysis/claims@1", "dataset": "demo",
    ...                    "claims": []})
    >>> cs.dataset, len(cs)
    ('demo', 0)
    """

    dataset: str
    claims: tuple[Claim, ...]
    summary_claims: tuple[SummaryClaim, ...] = ()
    source: Path | None = None
    format: str = FORMAT

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
        >>> from cohort_reanalysis.verification.claims import load_claims
        >>> frame = load_claims(dataset_info("matsuoka2025").claims_file).to_frame()
        >>> frame.loc[0, ["id", "kind", "reported"]].tolist()
        ['abstract.n_enrolled', 'n', '61 patients']
        """
        import pandas as pd

        def shown(comparator: str | None, reported: str | None, unit: str | None) -> str:
            if reported is None:
                return ""
            text = reported if comparator in ("=", None) else f"{comparator} {reported}"
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
        from ..._html import html_table

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
        out: dict[str, Any] = {"format": self.format, "dataset": self.dataset}
        if self.claims or not self.summary_claims:
            out["claims"] = [c.to_dict() for c in self.claims]
        if self.summary_claims:
            out["summary_claims"] = [s.to_dict() for s in self.summary_claims]
        return out


def _plain(value: Any) -> Any:
    """A field as JSON data: tuples as lists and mappings as dicts, all the way down."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value
