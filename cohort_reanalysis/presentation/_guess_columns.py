"""Column roles and units guessed from a table's header and cells, each guess said in words.

``init`` writes the guesses into a dataset folder's ``metadata.json`` for the reviewer to
check, and ``verify TABLE`` uses them for the roles its flags do not give. A guess is never
silent: every role and unit not given is listed in :attr:`ColumnGuess.notes`. Where several
columns could be the before/after pair, the first by column order are taken, and the notes
say so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["ROLE_FLAGS", "ColumnGuess", "guess_columns"]

#: The roles a command line can give with a flag (``--before COL`` ...), in that order.
ROLE_FLAGS = ("before", "after", "id", "sex", "dose", "followup", "group")

# Words of a column's name that suggest a role (the name split on anything not a letter or
# digit, and on a letter-digit boundary: "hba1c_0" -> hba1c, 0; "weight0" -> weight, 0).
_WORDS: dict[str, frozenset[str]] = {
    "id": frozenset({"id", "patient", "patients", "subject", "case", "pt", "no", "nr"}),
    "sex": frozenset({"sex", "gender"}),
    "age": frozenset({"age"}),
    "dose": frozenset({"dose", "dosage"}),
    "followup": frozenset({"followup", "follow", "month", "months", "duration", "observed"}),
    "group": frozenset({"group", "arm", "treatment", "allocation", "cohort"}),
    "before": frozenset({"before", "baseline", "pre", "pretreatment", "initial", "start"}),
    "after": frozenset({"after", "post", "posttreatment", "final", "end", "last"}),
}
_NUMERIC_ROLES = frozenset({"age", "dose", "followup", "before", "after"})
_UNITS = {
    "kg": "kg",
    "mmhg": "mmHg",
    "years": "years",
    "yrs": "years",
    "months": "months",
    "month": "months",
    "weeks": "weeks",
    "days": "days",
    "hours": "hours",
    "h": "hours",
    "cm": "cm",
    "mg": "mg",
    "pct": "%",
    "percent": "%",
}


@dataclass
class ColumnGuess:
    """Roles and units of a table's columns, guessed, with every guess in words.

    ``roles`` maps a role to its column; ``columns`` are the ``metadata.json`` column
    entries in file order (each guessed one labelled so); ``notes`` say what was guessed.
    """

    roles: dict[str, str] = field(default_factory=dict)
    columns: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unit: str | None = None
    measure: str | None = None


def _words(name: str) -> list[str]:
    spaced = re.sub(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])", " ", name.lower())
    return [w for w in re.split(r"[^a-z0-9]+", spaced) if w]


def _role_by_name(name: str) -> str | None:
    words = _words(name)
    if len(words) > 1 and words[-1] == "0":  # hba1c_0, weight0, t0: the first visit
        return "before"
    for role, vocabulary in _WORDS.items():
        if vocabulary & set(words):
            return role
    return None


def _is_numeric(column: pd.Series) -> bool:
    """Every cell a number or missing, and at least one number (as the reader will see it)."""
    from ..cohort._validate import MISSING_TOKENS, _plain_numbers

    if column.dtype.kind in "fiu":
        return bool(column.notna().any())
    cells = ["" if v is None else str(v).strip() for v in column]
    values = _plain_numbers(cells)
    return values is not None and any(c not in MISSING_TOKENS for c in cells)


def _unit_by_name(name: str) -> str | None:
    if "%" in name:
        return "%"
    for word in _words(name):
        if word in _UNITS:
            return _UNITS[word]
    return None


def _measure(before: str, after: str) -> str | None:
    prefix = ""
    for a, b in zip(before, after, strict=False):
        if a != b:
            break
        prefix += a
    prefix = re.sub(r"[^A-Za-z0-9]+$", "", prefix)
    return prefix if re.search(r"[A-Za-z]", prefix) else None


def guess_columns(raw: pd.DataFrame, given: Mapping[str, str] | None = None) -> ColumnGuess:
    """Guess the roles and units of a raw table's columns; roles in ``given`` are kept.

    ``raw`` is the table as read (:func:`~cohort_reanalysis.cohort._io.read_raw_table`):
    each column real numbers or text. A role is guessed from the words of a column's name
    (``baseline``, ``post``, ``arm``...), for a numeric role only on a numeric column. If no
    before/after pair is found by name, the first two numeric columns are taken.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"patient": ["a", "b"], "sbp_0": [140.0, 150.0],
    ...                     "sbp_6": [135.0, 149.0], "sbp_12": [130.0, 141.0]})
    >>> guess = guess_columns(raw)
    >>> guess.roles
    {'id': 'patient', 'before': 'sbp_0', 'after': 'sbp_6'}
    >>> print(guess.notes[-1])  # doctest: +NORMALIZE_WHITESPACE
    several columns could be the before/after pair (sbp_6, sbp_12 after sbp_0):
    took the first by column order, before = 'sbp_0', after = 'sbp_6'
    """
    given = dict(given or {})
    names = [str(c) for c in raw.columns]
    numeric = {n for n in names if _is_numeric(raw[n])}
    out = ColumnGuess(roles=dict(given))
    taken = set(given.values())
    by_name: dict[str, list[str]] = {}
    for name in names:
        role = _role_by_name(name)
        if role is None or name in taken:
            continue
        if role in _NUMERIC_ROLES and name not in numeric:
            continue
        if role == "id" and (raw[name].isna().any() or raw[name].duplicated().any()):
            continue
        by_name.setdefault(role, []).append(name)
    for role in ("id", "sex", "age", "dose", "followup", "group"):
        if role not in out.roles and by_name.get(role):
            out.roles[role] = by_name[role][0]
            taken.add(by_name[role][0])
            out.notes.append(f"guessed: {role} = {by_name[role][0]!r} (from its name)")
    _guess_pair(out, names, numeric, taken, by_name)
    _columns(out, names, numeric, given)
    return out


def _guess_pair(
    out: ColumnGuess,
    names: Sequence[str],
    numeric: set[str],
    taken: set[str],
    by_name: Mapping[str, list[str]],
) -> None:
    if "before" in out.roles and "after" in out.roles:
        return
    free = [n for n in names if n in numeric and n not in taken]
    before = out.roles.get("before") or next(iter(by_name.get("before", [])), None)
    if before is not None:
        rest = [n for n in free if n != before and names.index(n) > names.index(before)]
        after = out.roles.get("after") or next(
            (n for n in by_name.get("after", []) if n in rest), rest[0] if rest else None
        )
        others = [n for n in rest if n != after]
    else:
        after = out.roles.get("after")
        pool = [n for n in free if n != after]
        if after is None and len(pool) >= 2:
            before, after = pool[0], pool[1]
        elif after is not None and pool:
            before = pool[0]
        others = [n for n in pool if n not in (before, after)]
    if before is None or after is None:
        out.notes.append(
            "guessed: no before/after pair (fewer than two numeric columns); the numeric "
            "columns are measurements"
        )
        return
    named = [before in by_name.get("before", []), after in by_name.get("after", [])]
    how = {
        (True, True): "from their names",
        (True, False): "before from its name, after the next numeric column",
        (False, True): "after from its name, before the first numeric column",
        (False, False): "by column order",
    }[(named[0], named[1])]
    for role, name in (("before", before), ("after", after)):
        out.roles.setdefault(role, name)
    out.notes.append(f"guessed: before = {before!r}, after = {after!r} ({how})")
    if others:
        out.notes.append(
            f"several columns could be the before/after pair ({', '.join([after, *others])} "
            f"after {before}): took the first by column order, before = {before!r}, "
            f"after = {after!r}"
        )


def _columns(
    out: ColumnGuess, names: Sequence[str], numeric: set[str], given: Mapping[str, str]
) -> None:
    role_of = {name: role for role, name in out.roles.items()}
    has_pair = "before" in out.roles and "after" in out.roles
    pair_unit = None
    if has_pair:
        before, after = out.roles["before"], out.roles["after"]
        pair_unit = _unit_by_name(before) or _unit_by_name(after)
        out.measure = _measure(before, after)
        out.unit = pair_unit
    for name in names:
        role = role_of.get(name)
        column: dict[str, Any] = {"name": name}
        if role is None:
            role = "measurement" if not has_pair and name in numeric else "covariate"
        column["role"] = role
        if role in ("before", "after") and pair_unit is not None:
            column["unit"] = pair_unit
        elif name in numeric and role != "id" and _unit_by_name(name) is not None:
            column["unit"] = _unit_by_name(name)
        if role == "age" and "unit" not in column:
            column["unit"] = "years"
        numbers = name in numeric and role not in ("id", "sex", "group")
        column["dtype"] = "float" if numbers else "str"
        if role == "measurement":
            column["measure"] = name
        guessed = [] if given.get(role) == name else [f"role {role}"]
        if "unit" in column:
            guessed.append(f"unit {column['unit']}")
            out.notes.append(f"guessed: unit of {name!r} = {column['unit']!r}")
        if guessed:
            column["label"] = f"{name} (guessed: {', '.join(guessed)}; check it)"
        out.columns.append(column)
