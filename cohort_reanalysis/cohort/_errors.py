"""The one exception a bad table raises, carrying every problem found in it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CohortValidationError", "Problem"]

# How many offending rows a one-line message lists before it says "and N more".
_ROWS_SHOWN = 8


@dataclass(frozen=True)
class Problem:
    """One broken rule: where (row, column), what (value) and which rule.

    ``row`` is numbered as in the file, header excluded, first data row 1;
    ``None`` when the problem concerns the whole table or a whole column.
    """

    rule: str
    column: str | None = None
    row: int | None = None
    value: object = None
    hint: str | None = None


class CohortValidationError(ValueError):
    """A patient table broke a rule; every offending row is named.

    Attributes
    ----------
    file : str or None
        The file the table came from (``None`` for an in-memory frame).
    problems : tuple of Problem
        Every problem found, not only the first.
    rows : tuple of int
        Every offending row (as numbered in the file, first data row 1).
    column : str or None
        The column of the first problem.
    rule : str
        The rule of the first problem.

    Examples
    --------
    >>> import pandas as pd
    >>> from cohort_reanalysis import Cohort, CohortValidationError
    >>> frame = pd.DataFrame({"b": [7.1, 74.0], "a": [6.5, 6.9]})
    >>> try:
    ...     Cohort.from_frame(frame, columns={"before": "b", "after": "a"},
    ...                       measure="HbA1c", unit="%")
    ... except CohortValidationError as err:
    ...     print(err.rows, err.column)
    (2,) b
    """

    def __init__(self, problems: Iterable[Problem], *, file: str | Path | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("CohortValidationError needs at least one problem")
        self.file: str | None = None if file is None else str(file)
        super().__init__(self._message())

    @property
    def rows(self) -> tuple[int, ...]:
        return tuple(sorted({p.row for p in self.problems if p.row is not None}))

    @property
    def column(self) -> str | None:
        return self.problems[0].column

    @property
    def rule(self) -> str:
        return self.problems[0].rule

    @property
    def value(self) -> object:
        return self.problems[0].value

    def lines(self) -> tuple[str, ...]:
        """One line per problem, each naming the file (for a command line to print).

        Problems of one rule in one column are one line, naming every offending row (up to
        a few, then how many more): a column of comma decimals is one mistake, not 500.

        Examples
        --------
        >>> err = CohortValidationError(
        ...     [Problem("not a number", "b", 1, "x"), Problem("not a number", "b", 2, "y"),
        ...      Problem("missing", "a", 2)], file="t.csv")
        >>> for line in err.lines():
        ...     print(line)
        t.csv: column 'b': not a number at rows 1 ('x'), 2 ('y')
        t.csv: column 'a': missing at row 2 (None)
        """
        where = self.file if self.file is not None else "<table>"
        return tuple(f"{where}: {part}" for part in self._parts())

    def _parts(self) -> list[str]:
        groups: dict[tuple[str | None, str, str | None], list[Problem]] = {}
        for problem in self.problems:
            groups.setdefault((problem.column, problem.rule, problem.hint), []).append(problem)
        return [
            _describe(column, rule, hint, found) for (column, rule, hint), found in groups.items()
        ]

    def _message(self) -> str:
        where = self.file if self.file is not None else "<table>"
        return f"{where}: " + "; ".join(self._parts())


def _describe(column: str | None, rule: str, hint: str | None, found: Sequence[Problem]) -> str:
    text = rule if column is None else f"column {column!r}: {rule}"
    located = [p for p in found if p.row is not None]
    if located:
        shown = ", ".join(f"{p.row} ({p.value!r})" for p in located[:_ROWS_SHOWN])
        more = len(located) - _ROWS_SHOWN
        label = "row" if len(located) == 1 else "rows"
        text += f" at {label} {shown}" + (f" and {more} more" if more > 0 else "")
    elif found[0].value is not None:
        text += f" ({found[0].value!r})"
    if hint:
        text += f" ({hint})"
    return text
