"""Whether a cohort can serve the claims: every variable a column or role, numbers where needed.

The claims know nothing of any cohort; this is the one step that holds them against a
cohort's columns, before anything is recomputed.
"""

from __future__ import annotations

from collections.abc import Collection

from ._errors import ClaimProblem, ClaimsError
from ._model import Claim, ClaimSet

__all__ = ["check_sources", "check_variables"]


def check_variables(
    claims: ClaimSet, known: Collection[str], *, numeric: Collection[str] | None = None
) -> None:
    """Raise one :class:`ClaimsError` listing every variable the cohort cannot serve.

    ``known`` is what a cohort can resolve: its column names and the roles it maps. With
    ``numeric`` (the names holding numbers), a claim that orders (``<``, ``>=``...) or
    averages a variable holding text (``sex < 0``, the mean of ``sex``) is refused too.

    Examples
    --------
    >>> from cohort_reanalysis.verification.claims import parse_claims
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
    problems: list[ClaimProblem] = []
    for claim in claims.claims:
        if claim.quantity is None:
            continue
        for path, name in claim.quantity.variable_fields():
            if name not in known:
                problems.append(
                    ClaimProblem(
                        "unknown variable: neither a column nor a role of the cohort",
                        claim.id,
                        path,
                        name,
                    )
                )
        if numeric is not None:
            problems += _numeric_problems(claim, set(numeric))
    if problems:
        raise ClaimsError.of(problems, file=file)


def check_sources(claims: ClaimSet, sources: Collection[str]) -> None:
    """Raise one :class:`ClaimsError` listing every claim whose ``source`` is not one of the
    metadata's ``sources`` ids, or that names none where the metadata lists several.

    Examples
    --------
    >>> from cohort_reanalysis.verification.claims import parse_claims
    >>> cs = parse_claims({"format": "cohort-reanalysis/claims@2", "dataset": "d",
    ...     "claims": [{"id": "m", "quote": "q", "location": "l", "quantity": None}]})
    >>> try:
    ...     check_sources(cs, {"textbook", "abstract"})
    ... except ClaimsError as err:
    ...     print(err.field, err.rule)
    source the metadata lists several sources: name one of abstract, textbook
    """
    known = sorted(sources)
    problems: list[ClaimProblem] = []
    for claim in claims.claims:
        if claim.source is None:
            if len(known) > 1:
                rule = f"the metadata lists several sources: name one of {', '.join(known)}"
                problems.append(ClaimProblem(rule, claim.id, "source"))
        elif claim.source not in known:
            listed = ", ".join(known) if known else "none"
            rule = f"not a source of the metadata (its sources: {listed})"
            problems.append(ClaimProblem(rule, claim.id, "source", claim.source))
    if problems:
        raise ClaimsError.of(problems, file=None if claims.source is None else str(claims.source))


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
        "ci",
        "se",
        "effect_size",
        "percent_change",
        "slope",
    }
)


def _numeric_problems(claim: Claim, numeric: set[str]) -> list[ClaimProblem]:
    q = claim.quantity
    assert q is not None
    out: list[ClaimProblem] = []
    conditions = [(f"quantity.subset[{i}]", c) for i, c in enumerate(q.subset)]
    conditions += [
        (f"quantity.groups[{g}][{i}]", c)
        for g, group in enumerate(q.groups or ())
        for i, c in enumerate(group)
    ]
    if q.condition is not None:
        conditions.append(("quantity.condition", q.condition))
    for path, cond in conditions:
        if cond.op in ("<", "<=", ">", ">=") and (
            cond.variable not in numeric or not isinstance(cond.value, (int, float))
        ):
            out.append(
                ClaimProblem(
                    f"'{cond.op}' needs a numeric variable and value",
                    claim.id,
                    path,
                    f"{cond.variable} {cond.op} {cond.value!r}",
                )
            )
    named: list[tuple[str, str | None]] = []
    if q.statistic in _NEEDS_NUMBERS:
        named += [("quantity.variable", q.variable), ("quantity.x", q.x), ("quantity.y", q.y)]
    if q.pair is not None:
        named += [("quantity.pair.before", q.pair.before), ("quantity.pair.after", q.pair.after)]
    if q.column is not None:
        named.append(("quantity.column", q.column))
    if q.equals is not None:
        named += [(f"quantity.equals.of[{i}]", name) for i, name in enumerate(q.equals.of)]
    for path, name in named:
        if name is not None and name not in numeric:
            out.append(
                ClaimProblem(
                    f"statistic '{q.statistic}' needs a numeric variable", claim.id, path, name
                )
            )
    return out
