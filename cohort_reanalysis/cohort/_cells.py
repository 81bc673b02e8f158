"""One representation of a table's cells, whatever the format it came from.

A CSV gives text; Excel, Parquet and an in-memory frame give typed values. So that the same
table gives the same Cohort or the same error in every format, every column reaches the
validator as one of two things: real numbers (an integer or float column, NaN for missing),
or text (``""`` for missing). Everything else (booleans, complex numbers, dates, bytes) is
written as its text, which the validator then refuses in a numeric column like any other
text: a complex number is never cut to its real part, a date never read as a count.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ._errors import CohortValidationError, Problem

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["cell_text", "check_header", "uniform_cells"]


def check_header(names: Sequence[str], file: str | Path | None) -> None:
    """Refuse a header that repeats a name or leaves a column unnamed.

    Linear in the number of columns (a table may have tens of thousands).

    Raises
    ------
    CohortValidationError
        Naming every repeated name, or the positions of unnamed columns.

    Examples
    --------
    >>> check_header(["b", "a"], None)
    >>> try:
    ...     check_header(["b", "a", "b"], "t.csv")
    ... except CohortValidationError as err:
    ...     print(err)
    t.csv: column 'b': duplicated column name in the header
    """
    repeated = [name for name, count in Counter(names).items() if count > 1 and name]
    if repeated:
        raise CohortValidationError(
            [Problem("duplicated column name in the header", name) for name in repeated],
            file=file,
        )
    unnamed = [i + 1 for i, name in enumerate(names) if not name]
    if unnamed:
        raise CohortValidationError(
            [Problem("a column has no name in the header", value=f"column {unnamed[0]}")],
            file=file,
        )


def cell_text(value: object) -> str:
    """The text of one typed cell: ``""`` for a missing one.

    Floats are written in their shortest round-trip form, so that the text reads back as
    the same number.

    Examples
    --------
    >>> [cell_text(v) for v in (7.5, 3, None, float("nan"), True, 1 + 2j, "x")]
    ['7.5', '3', '', '', 'TRUE', '(1+2j)', 'x']
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return "" if math.isnan(number) else repr(number)
    if _is_na(value):  # pandas' NA and NaT
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (complex, np.complexfloating)):
        return str(complex(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return repr(value)
    return str(value)


def uniform_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each column made real numbers or text (see the module docstring).

    Column labels become text; the index is kept.
    """
    import pandas as pd

    columns: dict[int, np.ndarray] = {}
    for position in range(frame.shape[1]):
        series = frame.iloc[:, position]
        dtype = series.dtype
        if _is_real(dtype):
            exact_integers = isinstance(dtype, np.dtype) and dtype.kind in "iu"
            columns[position] = (
                series.to_numpy() if exact_integers else series.to_numpy("float64", na_value=np.nan)
            )
        else:
            columns[position] = np.array(
                [cell_text(v) for v in series.to_numpy(dtype=object)], dtype=object
            )
    out = pd.DataFrame(columns, index=frame.index)
    out.columns = pd.Index([cell_text(c).strip() for c in frame.columns], dtype=object)
    return out


def _is_real(dtype: Any) -> bool:
    """An integer or floating dtype, numpy's or pandas' nullable one (not bool, not complex)."""
    import pandas as pd

    return (
        pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_float_dtype(dtype)
    ) and not pd.api.types.is_bool_dtype(dtype)


def _is_na(value: Any) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
