"""Reading a claims file's fields: one reader that checks each JSON value's type and shape.

Every field of every claim is read through :class:`FieldReader`, which knows where it is
(file, claim) and turns each broken rule into a :class:`ClaimProblem` naming claim, field
path, value and rule. A read that fails raises; the parsers read each field inside
:meth:`FieldReader.guard`, which records the problem and lets them go on to the next field,
so that one :class:`ClaimsError` lists every problem of a file. The parsers of each claim
kind (``_table_claims``, ``_summary_claims``) say which fields a kind has; this module says
how a field is read.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

from .._reported import parse_reported, split_reported
from ._errors import MISSING, ClaimProblem, ClaimsError

__all__ = ["ID", "FieldReader", "Recorded"]

#: What a claim id and a dataset name look like.
ID = re.compile(r"[a-z0-9_.-]+")
_VERSION = re.compile(r"[a-z0-9_-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class Recorded(Exception):
    """A read stopped on problems already recorded (raised by :meth:`FieldReader.settle`)."""


class FieldReader:
    """Reads fields where we are (file, claim), so that every error names it."""

    def __init__(self, file: str | None) -> None:
        self.file = file
        self.claim_id: str | None = None
        self.problems: list[ClaimProblem] = []

    def fail(self, field: str | None, value: object, rule: str) -> NoReturn:
        raise ClaimsError(rule, file=self.file, claim_id=self.claim_id, field=field, value=value)

    def note(self, field: str | None, value: object, rule: str) -> None:
        """Record a problem and go on (where the rest of the object can still be read)."""
        self.problems.append(ClaimProblem(rule, self.claim_id, field, value))

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Run a read; if it fails, record its problems and go on after the block."""
        try:
            yield
        except ClaimsError as err:
            self.problems.extend(err.problems)
        except Recorded:
            pass

    def settle(self, start: int) -> None:
        """Stop the read in progress if problems were recorded since ``start``."""
        if self.count() > start:
            raise Recorded

    def count(self) -> int:
        """How many problems so far (to tell whether a block added any)."""
        return len(self.problems)

    def raise_problems(self) -> None:
        """Raise one :class:`ClaimsError` listing every problem recorded, if any."""
        if self.problems:
            raise ClaimsError.of(self.problems, file=self.file)

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
    ) -> bool:
        """Record every unknown and every missing field; True if there was none."""
        allowed = set(required) | set(optional)
        before = self.count()
        for key in obj:
            if key not in allowed:
                self.note(
                    _join(prefix, key),
                    obj[key],
                    f"unknown field; allowed: {', '.join(sorted(allowed))}",
                )
        for key in required:
            if key not in obj:
                self.note(_join(prefix, key), MISSING, "missing required field")
        return self.count() == before

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
        try:
            parse_reported(text)
        except ValueError as err:  # in the grammar, but not a number (a power beyond 999)
            self.fail(path, value, str(err).split(": ", 1)[-1])
        if ends is not None and len(parts) != ends:
            self.fail(path, value, f"expected {'one number' if ends == 1 else 'two numbers'}")
        return text

    def boolean(self, value: object, path: str) -> bool:
        if not isinstance(value, bool):
            self.fail(path, value, f"expected true or false, got {_kind(value)}")
        return value

    def optional_text(self, obj: Mapping[str, Any], key: str, path: str) -> str | None:
        value = obj.get(key)
        return None if value is None else self.text(value, path)

    def read_id(self, obj: Mapping[str, Any], path: str, seen: set[str]) -> str:
        """The id of the claim at ``path``, unique among ``seen``; errors name it from now."""
        if "id" not in obj:
            self.fail(f"{path}.id", MISSING, "missing required field")
        raw = obj["id"]
        if not isinstance(raw, str) or not ID.fullmatch(raw):
            self.fail(f"{path}.id", raw, "id must be a string matching [a-z0-9_.-]+")
        if raw in seen:
            self.fail(f"{path}.id", raw, "duplicate id")
        seen.add(raw)
        self.claim_id = raw
        return str(raw)

    def versions(self, value: object) -> tuple[str, ...]:
        items = self.array(value, "versions")
        if not items:
            self.fail("versions", value, "list at least one version (e.g. 'preprint')")
        out: list[str] = []
        for i, item in enumerate(items):
            if not isinstance(item, str) or not _VERSION.fullmatch(item):
                self.fail(f"versions[{i}]", item, "a version is a string matching [a-z0-9_-]+")
            if item in out:
                self.fail(f"versions[{i}]", item, "duplicate version")
            out.append(item)
        return tuple(out)


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
