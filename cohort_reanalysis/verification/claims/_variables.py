"""Whether a cohort can serve the claims: every variable a column or role, numbers where needed.

The claims know nothing of any cohort; this is the one step that holds them against a
cohort's columns, before anything is recomputed.
"""

from __future__ import annotations

from collections.abc import Collection

from ._errors import ClaimsError
from ._model import Claim, ClaimSet

__all__ = ["check_variables"]


def check_variables(
    claims: ClaimSet, known: Collection[str], *, numeric: Collection[str] | None = None
) -> None:
    """Raise :class:`ClaimsError` for the first variable the cohort cannot serve.

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
