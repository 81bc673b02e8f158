"""The one error a claims file raises, naming the file, claim, field, value and rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["MISSING", "ClaimsError"]

#: Stands for "no value to show" (a missing field), since ``None`` is a value (JSON null).
MISSING: Any = object()
_VALUE_SHOWN = 80


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
    >>> from cohort_reanalysis.verification.claims import ClaimsError, parse_claims
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
        value: object = MISSING,
    ) -> None:
        self.rule = rule
        self.file: str | None = None if file is None else str(file)
        self.claim_id = claim_id
        self.field = field
        self.has_value = value is not MISSING
        self.value: object = None if value is MISSING else value
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
