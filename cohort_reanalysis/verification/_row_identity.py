"""Row identities: does a printed column equal ``op(A, B)`` on every row, as printed?

A claims@2 ``row_identity`` (``docs/claims-format.md``) says that a column the paper prints
follows from two others on every row: a difference column is ``after - before``, a total the
sum of its parts. It is the check that finds transcription errors (a copied table that lost
two minus signs is otherwise invisible), so it is made row by row, never on a summary.

For each row, ``op(A, B)`` is computed (``difference`` A - B, ``sum`` A + B, ``ratio``
A / B, ``percent_change`` 100 (A - B) / B) and the row *holds* when that value lies in the
interval of true values that print as the column's cell (``_interval.interval``, under the
audit's rounding): a cell printed ``"1.0"`` holds 1.04 and 0.95 and, under the default
``up_or_down`` rounding (a tie at 5 either way), the tie 1.05, but not 1.06; ``"1.00"``
holds 1.004 and not 1.006. The precision is the cell's own, read from its text as the file
printed it (``Cohort.printed``: trailing zeros count), so a column printed with mixed
decimals is checked cell by cell.

Arithmetic is exact decimal, never binary floating point: the operands are read from their
printed text too (``"1.9"`` is 19/10, not the double nearest it), so a difference of two
one-decimal numbers is exactly a one-decimal number and a tie is a tie. A difference or a
sum is exact; a ratio or a percent change is computed to at least 50 significant digits
(``_rounding.exact_context``), which decides every tie, since a quotient that lands on a
rounding boundary is a terminating decimal. A column given as numbers rather than text (a
DataFrame's float column, a spreadsheet's number cells) is read through its float's
shortest ``repr``, as ``_rounding.as_decimal`` does (``0.1`` is 0.1).

Every row is accounted for: a row is checked, or left out with its reason (an operand or the
printed cell missing, a ratio's denominator zero); the verdict is ``reproduced`` when every
checked row holds, ``not_reproduced`` when any breaks (each broken row is named with its
printed and computed values), and ``not_checkable`` when no row can be checked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from ..cohort import Cohort, Exclusion
from ._interval import contains, interval
from ._recompute import ROW_BY_ROW
from ._reported import ReportedNumber
from ._rounding import Rounding, as_decimal, check_rounding, exact_context
from ._verdict import ClaimResult
from ._verdicts import Verdict
from .claims import Claim, Quantity

__all__ = [
    "BrokenRow",
    "RowIdentityCheck",
    "check_row_identity",
    "is_row_identity",
    "judge_row_identity",
]

_STATISTIC = "row_identity"
#: How each operation reads, of the operands A and B.
_OP_WORDS = {
    "difference": "{a} - {b}",
    "sum": "{a} + {b}",
    "ratio": "{a} / {b}",
    "percent_change": "100 ({a} - {b}) / {b}",
}


@dataclass(frozen=True)
class BrokenRow:
    """A row where the printed cell is not ``op(A, B)`` at its printed precision.

    ``row`` is numbered as in the file; ``printed`` is the cell's text; ``computed`` the
    exact value of ``op(A, B)`` (a float in :meth:`to_dict`).

    Examples
    --------
    >>> BrokenRow(2, "2.4", Decimal("-0.8")).to_dict()
    {'row': 2, 'printed': '2.4', 'computed': -0.8}
    """

    row: int
    printed: str
    computed: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "printed": self.printed, "computed": float(self.computed)}


@dataclass(frozen=True)
class RowIdentityCheck:
    """A row identity checked on every row of a cohort.

    ``column``, ``of`` are the table's column names (roles resolved); ``rows`` the rows
    checked; ``broken`` those that break the identity; ``excluded`` the rows left out, with
    why; ``decimals`` the printed precisions met among the checked cells, sorted.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> from cohort_reanalysis.verification.claims import Equals
    >>> q = Quantity("row_identity", column="difference_2_minus_1",
    ...              equals=Equals("difference", ("after", "before")))
    >>> check = check_row_identity(load_dataset("student1908_sleep"), q)
    >>> check.holds, len(check.rows), check.decimals
    (True, 10, (1,))
    """

    column: str
    op: str
    of: tuple[str, str]
    rows: tuple[int, ...]
    broken: tuple[BrokenRow, ...]
    excluded: tuple[Exclusion, ...]
    decimals: tuple[int, ...]
    rounding: str

    @property
    def holds(self) -> bool | None:
        """Whether every checked row holds; None if no row could be checked."""
        return None if not self.rows else not self.broken

    @property
    def identity_text(self) -> str:
        """The identity in words: ``"d = b - a"``."""
        a, b = self.of
        return f"{self.column} = {_OP_WORDS[self.op].format(a=a, b=b)}"


def is_row_identity(claim: Claim) -> bool:
    """Whether a claim is a row identity (checked here, not by the search)."""
    return claim.quantity is not None and claim.quantity.statistic in ROW_BY_ROW


def check_row_identity(
    cohort: Cohort, quantity: Quantity, *, rounding: Rounding | str = "up_or_down"
) -> RowIdentityCheck:
    """Check ``column == op(A, B)`` on every row, at each cell's printed precision.

    Parameters
    ----------
    cohort : Cohort
        The table.
    quantity : Quantity
        A ``row_identity``: ``column`` and ``equals`` (``op`` of ``of = (A, B)``), each a
        column name or a role (``change`` is after - before).
    rounding : str
        The rounding procedure that printed the column (``_rounding``); default
        ``up_or_down``, ordinary rounding with a tie at 5 either way.

    Returns
    -------
    RowIdentityCheck

    Raises
    ------
    ValueError
        If the quantity is not a row identity, or names a column the table does not hold,
        a text column, or ``change`` as the printed column of a table that prints none
        (each named with its field).

    Examples
    --------
    >>> import pandas as pd
    >>> from cohort_reanalysis.verification.claims import Equals
    >>> frame = pd.DataFrame({"b": ["1.0", "2.0", "3.0"], "a": ["1.5", "2.5", "3.5"],
    ...                       "d": ["0.5", "-0.5", "0.5"]})
    >>> cohort = Cohort.from_frame(frame, columns={"before": "b", "after": "a",
    ...                                            "covariate": "d"})
    >>> q = Quantity("row_identity", column="d", equals=Equals("difference", ("a", "b")))
    >>> [(r.row, r.printed, str(r.computed)) for r in check_row_identity(cohort, q).broken]
    [(2, '-0.5', '0.5')]
    """
    check_rounding(rounding)
    if quantity.statistic != _STATISTIC or quantity.column is None or quantity.equals is None:
        raise ValueError(f"not a row identity: statistic {quantity.statistic!r}")
    column = _printed_column(cohort, quantity.column)
    a_name, b_name = quantity.equals.of
    a = _exact_values(cohort, a_name, "quantity.equals.of[0]")
    b = _exact_values(cohort, b_name, "quantity.equals.of[1]")
    printed = _printed_cells(cohort, column)
    op = quantity.equals.op
    rows, broken, excluded, decimals = [], [], [], set()
    for row, x, y, cell in zip(cohort.rows.tolist(), a, b, printed, strict=True):
        missing = [name for name, v in ((column, cell), (a_name, x), (b_name, y)) if v is None]
        if missing:
            excluded.append(Exclusion(row, ", ".join(f"{name} missing" for name in missing)))
            continue
        assert x is not None and y is not None and cell is not None
        if op in ("ratio", "percent_change") and y == 0:
            undefined = f"{b_name} is 0: the {op.replace('_', ' ')} is undefined"
            excluded.append(Exclusion(row, undefined))
            continue
        value = _apply(op, x, y)
        number = _number(cell)
        rows.append(row)
        decimals.add(number.decimals)
        if not contains(interval(number, rounding=rounding), value):  # type: ignore[arg-type]
            broken.append(BrokenRow(row, cell, value))
    return RowIdentityCheck(
        column=column,
        op=op,
        of=(_column_name(cohort, a_name), _column_name(cohort, b_name)),
        rows=tuple(rows),
        broken=tuple(broken),
        excluded=tuple(excluded),
        decimals=tuple(sorted(decimals)),
        rounding=str(rounding),
    )


def _apply(op: str, a: Decimal, b: Decimal) -> Decimal:
    ctx = exact_context(a, b)
    if op == "difference":
        return ctx.subtract(a, b)
    if op == "sum":
        return ctx.add(a, b)
    if op == "ratio":
        return ctx.divide(a, b)
    if op == "percent_change":
        return ctx.divide(ctx.multiply(Decimal(100), ctx.subtract(a, b)), b)
    raise ValueError(f"unknown row identity op {op!r}")


def _number(text: str) -> ReportedNumber:
    """A printed cell as a number with its precision (``"1.20"``: 2 decimals, ``"1e1"``: -1)."""
    value = Decimal(text)
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # a cell is a finite number (the cohort validated it)
    sign = "-" if text.startswith("-") else "+" if text.startswith("+") else ""
    return ReportedNumber(text, value, -exponent, False, sign)  # type: ignore[arg-type]


def _column_name(cohort: Cohort, name: str) -> str:
    spec = cohort.column(name)
    return name if spec is None else spec.name


def _printed_column(cohort: Cohort, name: str) -> str:
    spec = cohort.column(name)
    if spec is None:
        what = "a column that the table prints" if name == "change" else "a column of the table"
        raise ValueError(f"quantity.column {name!r}: not {what}")
    if not spec.is_numeric:
        raise ValueError(f"quantity.column {name!r}: a row identity needs a numeric column")
    return spec.name


def _printed_cells(cohort: Cohort, column: str) -> list[str | None]:
    """Each cell's text as printed (None where missing); a float's shortest repr if the
    column came as numbers."""
    values = cohort.values(column)
    text = cohort.printed(column)
    return [
        None if math.isnan(v) else (str(text[i]) if text is not None else repr(float(v)))
        for i, v in enumerate(values.tolist())
    ]


def _exact_values(cohort: Cohort, name: str, path: str) -> list[Decimal | None]:
    """An operand's exact value on every row (None where missing)."""
    if name == "change" and cohort.column("change") is None:
        after = _exact_values(cohort, "after", path)
        before = _exact_values(cohort, "before", path)
        return [
            None if x is None or y is None else exact_context(x, y).subtract(x, y)
            for x, y in zip(after, before, strict=True)
        ]
    spec = cohort.column(name)
    if spec is None:
        raise ValueError(f"{path} {name!r}: not a column of the table")
    if not spec.is_numeric:
        raise ValueError(f"{path} {name!r}: a row identity needs a numeric column")
    values = cohort.values(spec.name).tolist()
    text = cohort.printed(spec.name)
    return [
        None if math.isnan(v) else Decimal(str(text[i])) if text is not None else as_decimal(v)
        for i, v in enumerate(values)
    ]


# ----------------------------------------------------------------------------- the verdict


def judge_row_identity(
    claim: Claim, cohort: Cohort, *, rounding: Rounding | str = "up_or_down"
) -> ClaimResult:
    """The verdict on a row identity claim, every broken row named.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> from cohort_reanalysis.verification.claims import Equals
    >>> claim = Claim("t.diff", "Difference (2-1)", "Table", ("original",), None, None,
    ...               None, 1.0, Quantity("row_identity", column="difference_2_minus_1",
    ...               equals=Equals("difference", ("after", "before"))))
    >>> result = judge_row_identity(claim, load_dataset("student1908_sleep"))
    >>> result.verdict.value, result.broken_rows
    ('reproduced', ())
    """
    assert claim.quantity is not None
    base: dict[str, Any] = dict(
        id=claim.id,
        quote=claim.quote,
        location=claim.location,
        reported="",
        comparator="=",
        unit=claim.unit,
        recomputed=None,
        specification={},
        stated_specification={},
        nearest=None,
        statistic=_STATISTIC,
        scale=claim.scale,
    )
    try:
        check = check_row_identity(cohort, claim.quantity, rounding=rounding)
    except ValueError as err:
        return ClaimResult(
            **base,
            verdict=Verdict.NOT_CHECKABLE,
            explanation=f"\u201c{claim.quote}\u201d; not checkable against the table: {err}.",
            reason=str(err),
            broken_rows=(),
        )
    left_out = _left_out_text(check.excluded)
    if check.holds is None:
        return ClaimResult(
            **base,
            verdict=Verdict.NOT_CHECKABLE,
            explanation=(
                f"The row identity {check.identity_text} is not checkable against the table: "
                f"no row has all three values{left_out}."
            ),
            reason="no row has all three values",
            broken_rows=(),
        )
    n = len(check.rows)
    precision = _precision_text(check.decimals)
    if check.holds:
        rows = "the one row checked" if n == 1 else f"all {n} rows checked"
        return ClaimResult(
            **base,
            verdict=Verdict.REPRODUCED,
            n_tried=1,
            explanation=(
                f"The row identity {check.identity_text} holds on {rows}, each at its "
                f"printed precision ({precision}){left_out}."
            ),
            broken_rows=(),
            n_used=n,
            excluded=check.excluded,
        )
    broken = ", ".join(
        f"row {b.row} (printed {b.printed}, computed {_computed_text(b)})" for b in check.broken
    )
    k = len(check.broken)
    return ClaimResult(
        **base,
        verdict=Verdict.NOT_REPRODUCED,
        n_tried=1,
        explanation=(
            f"The row identity {check.identity_text} breaks on {k} of the {n} rows checked, "
            f"each at its printed precision ({precision}): {broken}{left_out}."
        ),
        broken_rows=check.broken,
        n_used=n,
        excluded=check.excluded,
    )


def _precision_text(decimals: Sequence[int]) -> str:
    def one(d: int) -> str:
        if d < 0:
            return f"to the {10**-d:,}"
        return f"{d} decimal" + ("" if d == 1 else "s")

    return ", ".join(one(d) for d in decimals)


def _computed_text(broken: BrokenRow) -> str:
    """The computed value in full if short, else to two more decimals than printed."""
    value = broken.computed.normalize() if broken.computed else Decimal(0)
    places = max(_number(broken.printed).decimals, 0) + 2
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if -exponent <= places:
        return f"{value:f}"
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN):f}"


def _left_out_text(excluded: Sequence[Exclusion]) -> str:
    if not excluded:
        return ""
    listed = "; ".join(f"row {e.row}: {e.reason}" for e in excluded)
    return f"; left out ({len(excluded)}): {listed}"
