"""The printed text of a numeric column, held in its cheapest form until it is asked for.

A long table's numeric columns are read as floats at once; their text (``"7.50"``, not
``7.5``: the printed precision) is needed rarely (row identities, ``Cohort.to_csv``), and a
million cells of Python strings cost 50 bytes each. So the bulk reader hands the text on
either as a fixed-width bytes array (``_plain.plain_columns``: 4 bytes a cell) or as a
:class:`DeferredText` (the table's bytes and the column's place, parsed when asked), and
:func:`printed_text` turns either into strings.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["DeferredText", "Printed", "printed_text", "text_cells"]


@dataclass(frozen=True, eq=False)
class DeferredText:
    """A column's printed text, still in the table's bytes.

    Attributes
    ----------
    data : bytes
        The table: a header line, then lines of ``width`` cells that hold no quote.
    sep : str
        The delimiter.
    width : int
        Cells per line.
    column : int
        The column's position.
    rows : ndarray of int or None
        The positions of the lines under the header that are rows (None: every line).
    """

    data: bytes
    sep: str
    width: int
    column: int
    rows: np.ndarray | None

    def text(self) -> np.ndarray:
        """The column's cells as strings, as the csv module reads them."""
        cells = text_cells(self.data, self.sep, self.width, [self.column], header=True)
        text = cells[self.column].to_numpy(dtype=object)
        return text if self.rows is None else text[self.rows]


Printed: TypeAlias = np.ndarray | DeferredText


def printed_text(printed: Printed) -> np.ndarray:
    """A column's printed text as an array of Python strings (object dtype).

    ``printed`` is text already (returned as it is), a fixed-width bytes array or a
    :class:`DeferredText`.

    Examples
    --------
    >>> printed_text(np.array([b"7.50", b"", b"NA"])).tolist()
    ['7.50', '', 'NA']
    >>> printed_text(DeferredText(b"b,a\\n7.50,1\\n8,2\\n", ",", 2, 0, None)).tolist()
    ['7.50', '8']
    """
    if isinstance(printed, DeferredText):
        text = printed.text()
    elif printed.dtype.kind == "S":
        text = printed.astype(str).astype(object)
    else:
        return printed
    text.setflags(write=False)
    return text


def text_cells(
    data: bytes, sep: str, width: int, columns: list[int], *, header: bool = False
) -> pd.DataFrame:
    """The cells of ``columns`` (positions, also the frame's column labels) as their text,
    by pandas' C parser: lines of ``width`` cells without quotes, none missing, blank lines
    kept, spaces after a delimiter dropped (the csv module's ``skipinitialspace``).
    ``header``: the first line is a header, left out."""
    import pandas as pd  # (a Cohort's class loads without pandas)

    return pd.read_csv(
        io.BytesIO(data),
        sep=sep,
        header=0 if header else None,
        names=range(width),
        usecols=columns,
        dtype=object,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        skipinitialspace=True,
        quoting=csv.QUOTE_NONE,
        index_col=False,
        engine="c",
        encoding="utf-8",
    )
