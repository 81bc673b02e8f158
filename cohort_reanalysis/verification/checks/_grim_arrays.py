"""GRIM over arrays: many printed means checked at once, with no Python loop per case.

:func:`grim` answers one case and explains it; a table of 10^5 reported means needs the
verdicts only, fast. This module gives them for arrays of printed means and sizes with exact
integer arithmetic: a printed mean with ``d`` decimals is ``U`` units of ``10**-d``, and a
rounding interval is ``[U + a, U + b]`` units (each end open or closed). The offsets ``a`` and
``b`` depend on the rounding procedure, the sign of the number, whether it is zero or one
unit, and the parity of its last digit (``half_even``) -- on nothing else -- so they are
taken from ``_rounding`` (through :func:`~cohort_reanalysis.verification._interval.interval`)
once for a representative of each such class, and never computed a second way. A total
``s`` of ``N = n * items`` whole numbers fits when ``(U + a) / 10**d <= s / N <= (U + b) /
10**d``, which holds in integers: the first and last fitting ``s`` are a ceiling and a floor
division. The tests hold every verdict equal to :func:`grim`'s.

Means are plain decimals (``"5.19"``, ``"-0.5"``, ``"52.3%"``); a number in scientific
notation is refused here (:func:`grim` reads it).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from .._interval import interval
from .._rounding import Rounding, rules

__all__ = ["GrimArrays", "grim_arrays"]

# Beyond this, products of units, denominators and N could overflow int64: use Python ints.
_INT64_SAFE = 2**62


@dataclass(frozen=True, eq=False)
class GrimArrays:
    """The verdicts of :func:`grim_arrays`, one per case.

    Attributes
    ----------
    consistent : numpy.ndarray of bool
        Whether some whole-number total over ``n * items`` prints as the mean (True also
        where GRIM does not apply).
    applies : numpy.ndarray of bool
        Whether GRIM can fail at this precision (``n * items < 10**decimals``); where it
        cannot, :func:`grim` says ``consistent`` is None.
    decimals : numpy.ndarray of int
        The printed decimals (plus two for a per-cent).
    first_sum, last_sum : numpy.ndarray
        The first and last fitting total (empty when first > last).
    probability : numpy.ndarray of float
        scrutiny's ``grim_probability`` (0 where GRIM does not apply).

    Examples
    --------
    >>> r = grim_arrays(["5.19", "5.21", "5.19"], [28, 28, 169])
    >>> r.verdicts().tolist(), r.inconsistent, r.cases
    ([False, True, None], 1, 2)
    """

    consistent: np.ndarray
    applies: np.ndarray
    decimals: np.ndarray
    first_sum: np.ndarray
    last_sum: np.ndarray
    probability: np.ndarray

    def __len__(self) -> int:
        return int(self.consistent.size)

    def verdicts(self) -> np.ndarray:
        """True, False, or None where GRIM does not apply (an object array, as
        :func:`grim`'s ``consistent``)."""
        out = np.full(self.consistent.size, None, dtype=object)
        out[self.applies] = self.consistent[self.applies]
        return out

    @property
    def inconsistent(self) -> int:
        """scrutiny's ``incons_cases``: cases where GRIM applies and fails."""
        return int(np.count_nonzero(self.applies & ~self.consistent))

    @property
    def cases(self) -> int:
        """Cases where GRIM applies (scrutiny's ``all_cases`` less the inapplicable)."""
        return int(np.count_nonzero(self.applies))


def _strings(means: Any) -> np.ndarray:
    import pandas as pd

    arr = np.asarray(means, dtype=object).ravel()
    if arr.size and pd.api.types.infer_dtype(arr, skipna=False) != "string":
        bad = next(i for i, v in enumerate(arr) if not isinstance(v, str))
        raise ValueError(
            f"case {bad + 1}: mean {arr[bad]!r} is not text; give means as printed strings "
            "so that their trailing zeros (their precision) are kept"
        )
    return np.strings.strip(arr.astype(str))


def _parse(means: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Units (signed ints), decimals, printed sign (-1, 0 unsigned, +1) and per-cent flag."""
    text = np.strings.replace(means, "\u2212", "-")
    percent = np.strings.endswith(text, "%")
    text = np.where(percent, np.strings.slice(text, 0, -1), text)
    minus = np.strings.startswith(text, "-")
    plus = np.strings.startswith(text, "+")
    body = np.where(minus | plus, np.strings.slice(text, 1, None), text)
    dots = np.strings.count(body, ".")
    point = np.strings.find(body, ".")
    decimals = np.where(point >= 0, np.strings.str_len(body) - point - 1, 0)
    digits = np.strings.replace(body, ".", "")
    # ASCII digits only, as parse_number reads them ("5." and "" are not numbers).
    ok = (np.strings.lstrip(digits, "0123456789") == "") & (np.strings.str_len(digits) > 0)
    ok &= (dots == 0) | ((dots == 1) & (decimals > 0))
    if not ok.all():
        bad = np.flatnonzero(~ok)
        shown = ", ".join(f"case {i + 1} ({str(means[i])!r})" for i in bad[:5])
        more = f" and {bad.size - 5} more" if bad.size > 5 else ""
        raise ValueError(
            f"{bad.size} mean(s) not printed as plain decimals: {shown}{more} "
            "(grim() reads other notations)"
        )
    if int(np.strings.str_len(digits).max(initial=0)) > 17:
        magnitude = np.array([int(v) for v in digits.tolist()], dtype=object)
    else:
        magnitude = digits.astype(np.int64)
    sign = np.where(minus, -1, np.where(plus, 1, 0))
    units = np.where(minus, -magnitude, magnitude)
    return units, decimals.astype(np.int64), sign, percent


def _class_ends(
    decimals: int, kind: int, parity: int, sign: int, rule: Any
) -> tuple[Fraction, Fraction, bool, bool]:
    """The interval of a representative number, as offsets in units from its value."""
    if kind == 0:
        units = 0
    elif kind == 1:
        units = 1
    else:
        units = 12 if parity == 0 else 11
    magnitude = f"{units:0{decimals + 1}d}"
    text = magnitude if decimals == 0 else f"{magnitude[:-decimals]}.{magnitude[-decimals:]}"
    text = {-1: "-", 1: "+", 0: ""}[sign] + text
    iv = interval(text, rounding=rule)
    value = units if sign >= 0 else -units
    scale = 10**decimals
    return (
        Fraction(iv.low) * scale - value,
        Fraction(iv.high) * scale - value,
        iv.low_closed,
        iv.high_closed,
    )


def grim_arrays(
    means: Any,
    n: Any,
    *,
    items: Any = 1,
    percent: bool = False,
    rounding: Rounding = "up_or_down",
    threshold: float | None = None,
    symmetric: bool | None = None,
) -> GrimArrays:
    """GRIM for many cases at once: vectorised, exact, the same verdicts as :func:`grim`.

    Parameters
    ----------
    means : sequence of str
        Printed means (plain decimals, optionally signed or with ``%``).
    n : sequence of int, or int
        Sample sizes (broadcast against ``means``).
    items : sequence of int, or int
        Items per respondent (default 1).
    percent : bool
        Read every mean as a per-cent (as :func:`grim`'s ``percent``).
    rounding, threshold, symmetric
        As for :func:`grim`.

    Returns
    -------
    GrimArrays

    Raises
    ------
    ValueError
        Naming the cases (1-based) whose mean is not a plain decimal or whose n or items is
        not a whole number of at least 1.

    Examples
    --------
    >>> grim_arrays(["5.19", "5.21", "52.3%"], [28, 28, 41]).verdicts().tolist()
    [False, True, False]
    """
    rule = rules(rounding, threshold=threshold, symmetric=symmetric)
    if not isinstance(percent, bool):
        raise ValueError(f"percent must be True or False, got {percent!r}")
    text = _strings(means)
    units, decimals, sign, is_percent = _parse(text)
    sizes = []
    for name, values in (("n", n), ("items", items)):
        arr = np.asarray(values)
        if arr.dtype.kind not in "iu" or arr.ndim > 1 or (arr.ndim == 1 and arr.size != text.size):
            raise ValueError(f"{name} must be whole numbers, one per mean (or one for all)")
        arr = np.broadcast_to(arr, text.shape).astype(np.int64)
        if (arr < 1).any():
            bad = np.flatnonzero(arr < 1)
            raise ValueError(
                f"{name} must be at least 1: " + ", ".join(f"case {i + 1}" for i in bad[:5])
            )
        sizes.append(arr)
    total = sizes[0] * sizes[1]
    extra = np.where(is_percent | percent, 2, 0)
    places = decimals + extra
    magnitude = np.abs(units)
    kind = np.where(magnitude == 0, 0, np.where(magnitude == 1, 1, 2))
    parity = (magnitude % 2).astype(np.int64)
    zero_sign = np.where(magnitude == 0, sign, np.where(units < 0, -1, 1))
    # Class of each case: decimals as printed, zero/one/other, last-digit parity, sign.
    key = ((decimals * 3 + kind) * 2 + parity) * 3 + (zero_sign + 1)
    codes, which = np.unique(key, return_inverse=True)
    which = which.ravel()
    classes = [(c // 18, c // 6 % 3, c // 3 % 2, c % 3 - 1) for c in codes.tolist()]
    ends = [_class_ends(d, k, p, s, rule) for d, k, p, s in classes]
    # Each class's offsets as integers over a common denominator per class.
    den = [low.denominator * high.denominator for low, high, _, _ in ends]
    num_low = [int(e[0] * q) for e, q in zip(ends, den, strict=True)]
    num_high = [int(e[1] * q) for e, q in zip(ends, den, strict=True)]
    low_closed = np.array([e[2] for e in ends], dtype=bool)[which]
    high_closed = np.array([e[3] for e in ends], dtype=bool)[which]
    largest = (float(np.abs(units).max(initial=0)) + 1.0) * max(den, default=1)
    risky = largest * float(total.max(initial=1)) * 10.0 >= _INT64_SAFE or (
        max(den, default=1) * 10.0 ** int(places.max(initial=0)) >= _INT64_SAFE
    )
    dtype: Any = object if risky else np.int64
    q = np.asarray(den, dtype=dtype)[which]
    u = units.astype(dtype)
    big_n = total.astype(dtype)
    scale = (np.asarray(10, dtype=dtype) ** places.astype(dtype)) * q
    lo = (u * q + np.asarray(num_low, dtype=dtype)[which]) * big_n
    hi = (u * q + np.asarray(num_high, dtype=dtype)[which]) * big_n
    first = -((-lo) // scale) + ((lo % scale == 0) & ~low_closed)
    last = hi // scale - ((hi % scale == 0) & ~high_closed)
    consistent = np.asarray(first <= last, dtype=bool)
    slots = np.asarray(10.0, dtype=float) ** places
    applies = total.astype(float) < slots
    probability = np.where(applies, np.maximum(0.0, (slots - total) / slots), 0.0)
    return GrimArrays(consistent, applies, places, first, last, probability)
