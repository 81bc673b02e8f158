"""The one error a claims file raises, listing every problem: file, claim, field, value, rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["MISSING", "ClaimProblem", "ClaimsError"]

#: Stands for "no value to show" (a missing field), since ``None`` is a value (JSON null).
MISSING: Any = object()
_VALUE_SHOWN = 80


@dataclass(frozen=True)
class ClaimProblem:
    """One broken rule of a claims file: where (claim, field), what (value) and which rule.

    Examples
    --------
    >>> ClaimProblem("unknown op", claim_id="a", field="quantity.subset[0].op",
    ...              value="=~").line()
    "claim 'a': field 'quantity.subset[0].op': value '=~': unknown op"
    """

    rule: str
    claim_id: str | None = None
    field: str | None = None
    value: object = MISSING

    @property
    def has_value(self) -> bool:
        return self.value is not MISSING

    def line(self) -> str:
        """The problem on one line, without the file's name."""
        parts = []
        if self.claim_id is not None:
            parts.append(f"claim {self.claim_id!r}")
        if self.field is not None:
            parts.append(f"field {self.field!r}")
        if self.has_value:
            parts.append(f"value {_show(self.value)}")
        parts.append(self.rule)
        return ": ".join(parts).replace("\n", " ").replace("\r", " ")


class ClaimsError(ValueError):
    """A claims file broke one rule or several; every problem found is listed.

    Attributes
    ----------
    file : str or None
        The claims file (``None`` when parsing an in-memory object without ``source``).
    problems : tuple of ClaimProblem
        Every problem found, in file order (claims, then their fields).
    claim_id, field, value, rule
        Those of the first problem: the id of the claim at fault (when known); the path of
        the field, e.g. ``"quantity.subset[0].op"`` (relative to the claim) or
        ``"claims[3].id"`` when the claim's id is itself unusable; the offending value
        (``None`` also when there is none to show; see ``has_value``); the rule in words.

    Examples
    --------
    >>> from cohort_reanalysis.verification.claims import ClaimsError, parse_claims
    >>> try:
    ...     parse_claims({"format": "cohort-reanalysis/claims@1", "dataset": "x", "claims": [
    ...         {"id": "a", "quote": "q", "location": "l", "versions": ["preprint"],
    ...          "reported": "7.49", "comparator": "~", "unit": "%", "quantity": None}]})
    ... except ClaimsError as err:
    ...     print(err.claim_id, err.field, err.value, len(err.problems))
    a comparator ~ 1
    """

    def __init__(
        self,
        rule: str,
        *,
        file: str | Path | None = None,
        claim_id: str | None = None,
        field: str | None = None,
        value: object = MISSING,
    ) -> None:
        self.file: str | None = None if file is None else str(file)
        self.problems: tuple[ClaimProblem, ...] = (ClaimProblem(rule, claim_id, field, value),)
        super().__init__(self._message())

    @classmethod
    def of(cls, problems: Iterable[ClaimProblem], *, file: str | Path | None = None) -> ClaimsError:
        """One error listing ``problems`` (at least one).

        Examples
        --------
        >>> err = ClaimsError.of([ClaimProblem("a"), ClaimProblem("b", field="f")])
        >>> err.lines()
        ('<claims>: a', "<claims>: field 'f': b")
        """
        found = tuple(problems)
        if not found:
            raise ValueError("ClaimsError needs at least one problem")
        err = cls(found[0].rule, file=file)
        err.problems = found
        err.args = (err._message(),)
        return err

    @property
    def rule(self) -> str:
        return self.problems[0].rule

    @property
    def claim_id(self) -> str | None:
        return self.problems[0].claim_id

    @property
    def field(self) -> str | None:
        return self.problems[0].field

    @property
    def has_value(self) -> bool:
        return self.problems[0].has_value

    @property
    def value(self) -> object:
        first = self.problems[0]
        return first.value if first.has_value else None

    def lines(self) -> tuple[str, ...]:
        """One line per problem, each naming the file (for a command line to print)."""
        where = self.file if self.file is not None else "<claims>"
        return tuple(f"{where}: {p.line()}" for p in self.problems)

    def _message(self) -> str:
        lines = self.lines()
        if len(lines) == 1:
            return lines[0]
        where = self.file if self.file is not None else "<claims>"
        listed = "; ".join(f"({i}) {p.line()}" for i, p in enumerate(self.problems, 1))
        return f"{where}: {len(lines)} problems: {listed}"

    def __str__(self) -> str:
        return self._message()


def _show(value: object) -> str:
    try:
        text = repr(value)
    except ValueError:  # an int beyond Python's digit limit for str()
        return f"<{type(value).__name__} too long to show>"
    return text if len(text) <= _VALUE_SHOWN else text[: _VALUE_SHOWN - 3] + "..."
