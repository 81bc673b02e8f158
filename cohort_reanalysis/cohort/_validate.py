"""Turn raw cells into a typed table, or say every rule a cell breaks.

Cells arrive as text (CSV) or as already-typed values (a DataFrame, Excel). Nothing is coerced
silently: a cell is a number only if it reads as one under the declared decimal mark, missing only
if it is empty or one of ``MISSING_TOKENS``, and every other cell is a problem with a hint.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ._errors import Problem
from ._plain import plain_numbers
from ._printed import Printed, printed_text
from ._spec import ColumnSpec, Role
from ._units import default_plausible, unit_hint

__all__ = ["DIGITS", "MISSING_TOKENS", "coerce_columns"]

#: Cell texts read as missing: an empty cell and R's and numpy's spellings. Others such as
#: "n/a" or "-" are refused with a hint, because they sometimes mean zero or "not done".
MISSING_TOKENS = frozenset({"", "NA", "NaN"})

#: How digits other than 0-9 are read: refused with a hint, or read as the digit they are.
DIGITS = ("ascii", "any")

_INFINITE_WORDS = frozenset({"inf", "-inf", "+inf", "infinity", "-infinity", "+infinity"})
_INFINITE_HINT = "infinite values are not measurements"
_NOT_PLAIN = re.compile(r"[^0-9.eE+-]")
_COMPLEX = re.compile(r"\(?[+-]?[0-9.eE+-]*[+-]?[0-9.eE]*[jJ]\)?")


def coerce_columns(
    raw: pd.DataFrame,
    specs: Sequence[ColumnSpec],
    *,
    decimal: str = ".",
    thousands: str | None = None,
    measure: str | None = None,
    digits: str = "ascii",
    printed: dict[str, Printed] | None = None,
    read_as_numbers: Mapping[str, Printed] | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Typed columns for ``specs`` from ``raw`` (row labels are file row numbers).

    ``raw``'s columns are real numbers or text (see ``_cells``). ``digits="any"`` reads the
    decimal digits of every script (``٧.٥``, ``７.５``) as their ASCII digits; by default
    they are refused with that hint. Returns the typed frame and the list of problems
    (empty when the table is valid).

    If ``printed`` is a dict, it receives, for each numeric column given as text, the text
    of its cells as read (stripped, thousands separators removed, the decimal mark a point,
    digits ASCII; a missing cell keeps its token): the printed precision that the float
    loses (``"1.20"`` and ``"1.2"``).

    ``read_as_numbers`` names the columns of ``raw`` that a text table's reader already read
    as numbers (every cell a plain number or a missing token), with each cell's printed
    text (``RawTable.printed``). They are taken as read for a numeric column under the
    default decimal mark, and as their text otherwise, so the result is the text's.
    """
    if digits not in DIGITS:
        raise ValueError(f"digits must be one of {', '.join(map(repr, DIGITS))}, got {digits!r}")
    numeric = {s.name for s in specs if s.is_numeric}
    read_as_numbers = dict(read_as_numbers or {})
    if decimal != "." or thousands is not None:
        numeric = set()  # "7.5" may be refused under another decimal mark: read the text
    as_text = [name for name in read_as_numbers if name not in numeric]
    if as_text:
        raw = raw.assign(
            **{
                name: pd.Series(printed_text(read_as_numbers.pop(name)), raw.index, dtype=object)
                for name in as_text
            }
        )
    problems: list[Problem] = []
    typed: dict[str, pd.Series] = {}
    texts = _text_frame(raw, [s.name for s in specs if s.dtype == "str" and not s.is_numeric])
    for spec in specs:
        if texts is not None and spec.name in texts.columns:
            if spec.allow_missing and spec.role is not Role.ID:
                continue  # nothing to check (looking a column up costs 10^4 cells' time)
            values = texts[spec.name]
        elif spec.is_numeric:
            values, found, text = _numeric(
                raw[spec.name],
                spec,
                decimal=decimal,
                thousands=thousands,
                digits=digits,
                printed=read_as_numbers.get(spec.name),
            )
            problems += found
            if printed is not None and text is not None:
                printed[spec.name] = text
            problems += _range_problems(values, spec, measure)
            typed[spec.name] = values
        else:
            values, found = _categorical(raw[spec.name], spec)
            problems += found
            typed[spec.name] = values
        problems += _missing_problems(values, spec)
        if spec.role is Role.ID:
            problems += _duplicate_problems(values, spec)
    if texts is None:
        return pd.DataFrame(typed, index=raw.index), problems
    frame = texts
    for position, spec in enumerate(specs):
        if spec.name in typed:
            frame.insert(position, spec.name, typed[spec.name])
    return frame, problems


def _text_frame(raw: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame | None:
    """The columns ``names`` that are given as text, as ``_categorical`` makes a ``"str"``
    column (stripped, missing tokens missing), in one frame; None if there are none.

    All columns go through pandas at once: a table may have 10^4 of them, and each pandas
    call on one column costs as much as thousands of cells.
    """
    dtypes = raw.dtypes.to_dict()
    names = [
        name for name in names if isinstance(dtypes[name], np.dtype) and dtypes[name].kind == "O"
    ]
    if not names:
        return None
    flat = pd.Series(raw[names].to_numpy(dtype=object).ravel(order="F"), dtype=object)
    stripped = flat.astype("string").str.strip()
    cells = stripped.where(~stripped.isin(MISSING_TOKENS)).to_numpy(dtype=object)
    block = cells.reshape((len(raw), len(names)), order="F")
    return pd.DataFrame(block, index=raw.index, columns=names, dtype="string")


def _numeric(
    series: pd.Series,
    spec: ColumnSpec,
    *,
    decimal: str,
    thousands: str | None,
    digits: str,
    printed: Printed | None,
) -> tuple[pd.Series, list[Problem], Printed | None]:
    """The column's numbers, its problems, and its cells' text (None if given as numbers;
    ``printed`` if the reader read the text as numbers already)."""
    problems: list[Problem] = []
    text: Printed | None = None
    if printed is not None:
        values = series  # floats already, and the caller's own
        text = printed
        if np.isinf(values.to_numpy()).any():  # '1e999' (the text only then: it costs)
            problems += _infinite(values.to_numpy(), series.index, printed_text(printed), spec)
    elif series.dtype.kind in "iuf":
        values = series.astype("float64")
        infinite = np.isinf(values.to_numpy())
        problems += [
            Problem(
                "not a finite number",
                spec.name,
                int(row),
                repr(float(series[row])),
                _INFINITE_HINT,
            )
            for row in series.index[infinite]
        ]
        values = values.where(~infinite)
    else:
        values, found, text = _numbers_from_text(series, spec, decimal, thousands, digits)
        problems += found
    if spec.dtype == "int":
        # From 2**53 on, a float64 no longer tells neighbouring whole numbers apart.
        huge = (values.abs() >= 2.0**53).fillna(False).to_numpy(dtype=bool)
        if huge.any():
            cells = series.to_numpy() if text is None else printed_text(text)
            problems += [
                Problem("a whole number too large to store exactly", spec.name, int(row), str(c))
                for row, c in zip(values.index[huge], cells[huge], strict=True)
            ]
        fractional = values.notna() & (values != np.floor(values))
        problems += [
            Problem("not a whole number", spec.name, int(row), float(values[row]))
            for row in values.index[fractional.to_numpy()]
        ]
        if not fractional.any() and not huge.any():  # (Int64 cannot hold 1e30)
            return values.astype("Int64"), problems, text
    return values, problems, text


def _numbers_from_text(
    series: pd.Series, spec: ColumnSpec, decimal: str, thousands: str | None, digits: str
) -> tuple[pd.Series, list[Problem], np.ndarray]:
    """Numbers from text cells, or a problem for each cell that is not one; and the cells'
    text in Python's number grammar (what ``float`` read)."""
    if decimal == "." and thousands is None:
        given = series.to_numpy(dtype=object)
        bulk = plain_numbers(given)
        if bulk is not None:
            # Every cell is a plain ASCII number or a missing token: its own stripped text.
            text = given.copy()
            return (
                pd.Series(bulk, index=series.index),
                _infinite(bulk, series.index, text, spec),
                text,
            )
    cells = [c.strip() for c in series.to_numpy(dtype=object)]
    if digits == "any":
        cells = [c if c.isascii() else _ascii_digits(c) for c in cells]
    fast = _plain_numbers(cells) if decimal == "." and thousands is None else None
    if fast is not None:
        found = _infinite(fast, series.index, cells, spec)
        return pd.Series(fast, index=series.index), found, np.array(cells, dtype=object)
    text = pd.Series(cells, index=series.index, dtype=object)
    missing = text.isin(MISSING_TOKENS).to_numpy(dtype=bool)
    pattern = _number_pattern(decimal, thousands)
    ok = np.array([pattern.fullmatch(c) is not None for c in cells], dtype=bool) | missing
    problems = [
        Problem(
            "not a finite number" if cells[i].lower() in _INFINITE_WORDS else "not a number",
            spec.name,
            int(row),
            cells[i],
            _number_hint(cells[i], decimal, thousands),
        )
        for i, row in enumerate(series.index)
        if not ok[i]
    ]
    normalised = text
    if thousands:
        normalised = normalised.str.replace(thousands, "", regex=False)
    if decimal != ".":
        normalised = normalised.str.replace(decimal, ".", regex=False)
    usable = normalised.where(ok & ~missing, "nan").to_numpy(dtype=object)
    parsed = usable.astype("float64")
    return (
        pd.Series(parsed, index=series.index),
        problems + _infinite(parsed, series.index, cells, spec),
        normalised.to_numpy(dtype=object),
    )


def _plain_numbers(cells: list[str]) -> np.ndarray | None:
    """The cells as floats when every one is a plain ASCII number or missing, else None.

    On the characters 0-9 . e E + - alone, Python's float grammar is exactly the number
    pattern (no underscores, no "inf" or "nan" words), so one scan of the column's text and
    one conversion replace a regular expression per cell.
    """
    numbers = [c for c in cells if c not in MISSING_TOKENS]
    if _NOT_PLAIN.search("".join(numbers)):
        return None
    try:
        return np.array(["nan" if c in MISSING_TOKENS else c for c in cells], dtype=object).astype(
            "float64"
        )
    except ValueError:
        return None


def _infinite(
    values: np.ndarray, rows: pd.Index, cells: Sequence[str] | np.ndarray, spec: ColumnSpec
) -> list[Problem]:
    """'1e999' reads as a number but overflows to infinity."""
    return [
        Problem("not a finite number", spec.name, int(rows[int(i)]), cells[int(i)], _INFINITE_HINT)
        for i in np.flatnonzero(np.isinf(values))
    ]


def _ascii_digits(cell: str) -> str:
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in cell)


def _number_pattern(decimal: str, thousands: str | None) -> re.Pattern[str]:
    """Numbers as written with this decimal mark and (optional) thousands separator.

    Digits are ASCII digits (a bare ``\\d`` would take the digits of every script, which
    the float conversion then fails on). Digit groups around a thousands separator must be
    threes, and with a decimal mark other than a point, a point is refused rather than
    guessed at (is "1.234" 1.234 or 1234?).
    """
    mark = re.escape(decimal)
    whole = r"[0-9]+"
    if thousands:
        whole = rf"(?:[0-9]{{1,3}}(?:{re.escape(thousands)}[0-9]{{3}})+|[0-9]+)"
    return re.compile(rf"[+-]?(?:{whole}(?:{mark}[0-9]*)?|{mark}[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _number_hint(cell: str, decimal: str, thousands: str | None = None) -> str | None:
    if not cell.isascii() and any(ch.isdecimal() and not ch.isascii() for ch in cell):
        return (
            f"digits of another script; to read {cell!r} as {_ascii_digits(cell)!r}, "
            "pass digits='any'"
        )
    if _COMPLEX.fullmatch(cell):
        return "a complex number; the table must give real numbers"
    comma_decimal = re.fullmatch(r"[+-]?[0-9]+,[0-9]+", cell) is not None
    grouped = re.fullmatch(r"[+-]?[0-9]{1,3}(?:[,.' ][0-9]{3})+(?:\.[0-9]+)?", cell) is not None
    if decimal == "." and thousands is None and comma_decimal and grouped:
        return "a comma decimal or a thousands separator? pass decimal=',' or thousands=','"
    if decimal == "." and thousands is None and comma_decimal:
        return "a comma decimal? pass decimal=',' (command line: --decimal ,)"
    if decimal != "." and "." in cell and thousands != ".":
        return f"a point with decimal={decimal!r}: a thousands separator? pass thousands='.'"
    if thousands and thousands in cell:
        return f"digits around the thousands separator {thousands!r} must come in threes"
    if grouped:
        return "a thousands separator? remove it, or pass thousands=','"
    if cell.endswith("%"):
        return "a percent sign in a numeric column; give the unit in the column spec instead"
    if cell[:1] in "<>≤≥":
        return "a censored value; the table must give a number"
    if cell.lower() in {"n/a", "na.", "-", "--", "—", "none", "null", "#n/a", "nan."}:
        return "if this means missing, leave the cell empty or write NA"
    if cell.lower() in _INFINITE_WORDS:
        return _INFINITE_HINT
    return None


def _range_problems(values: pd.Series, spec: ColumnSpec, measure: str | None) -> list[Problem]:
    problems: list[Problem] = []
    if spec.role is Role.DOSE:
        negative = values < 0
        problems += [
            Problem("a dose cannot be negative", spec.name, int(row), float(values[row]))
            for row in values.index[negative.fillna(False).to_numpy(dtype=bool)]
        ]
    # The cohort's measure names its paired columns only; a covariate in % is not HbA1c.
    paired = spec.role in (Role.BEFORE, Role.AFTER, Role.MEASUREMENT)
    measure = spec.measure or (measure if paired else None)
    plausible = spec.plausible or default_plausible(measure, spec.unit)
    if plausible is None:
        return problems
    low, high = plausible
    outside = (values < low) | (values > high)
    for row in values.index[outside.fillna(False).to_numpy(dtype=bool)]:
        value = float(values[row])
        hint = unit_hint(measure, spec.unit, value) if spec.unit else None
        rule = f"outside the plausible range {low:g} to {high:g}" + (
            f" {spec.unit}" if spec.unit else ""
        )
        problems.append(Problem(rule, spec.name, int(row), value, hint))
    return problems


def _categorical(series: pd.Series, spec: ColumnSpec) -> tuple[pd.Series, list[Problem]]:
    text = series.astype("string").str.strip()
    text = text.where(~text.isin(MISSING_TOKENS))
    if spec.dtype == "str":
        return text, []
    problems: list[Problem] = []
    if spec.categories is not None:
        unknown = text.notna() & ~text.isin(spec.categories)
        allowed = ", ".join(spec.categories)
        problems += [
            Problem(f"unknown code (allowed: {allowed})", spec.name, int(row), str(text[row]))
            for row in text.index[unknown.fillna(False).to_numpy(dtype=bool)]
        ]
        categories: Sequence[str] = spec.categories
    else:
        categories = sorted(text.dropna().unique())
    values = pd.Series(
        pd.Categorical(text.where(text.isin(categories)), categories=list(categories)),
        index=series.index,
    )
    return values, problems


def _missing_problems(values: pd.Series, spec: ColumnSpec) -> list[Problem]:
    if spec.allow_missing:
        return []
    missing = values.isna().to_numpy(dtype=bool)
    return [
        Problem("missing value not allowed", spec.name, int(row), None)
        for row in values.index[missing]
    ]


def _duplicate_problems(values: pd.Series, spec: ColumnSpec) -> list[Problem]:
    duplicated = values.notna() & values.duplicated(keep=False)
    return [
        Problem("duplicated id", spec.name, int(row), values[row])
        for row in values.index[duplicated.to_numpy(dtype=bool)]
    ]
