"""Sample quantiles under the nine definitions of Hyndman & Fan (1996).

Hand-written rather than numpy's ``quantile(method=)``: R's arithmetic (its fuzz against
``n * p`` rounding below an integer) is what papers computed, and all nine come from one sort.

Papers rarely say how they computed a median, quartile or IQR, and the nine
definitions in use disagree on small samples. This module computes all of them
so that a reported value can be matched against each.

Every definition is a weighted average of two consecutive order statistics,
``Q(p) = (1 - g) x[j] + g x[j + 1]`` (1-based, ``x[0] := x[1]`` and
``x[n + 1] := x[n]``), where ``j`` and ``g`` come from ``n * p + m`` with a
type-specific ``m``. Types 1-3 are discontinuous (``g`` in {0, 1/2, 1}); types
4-9 interpolate linearly between the points ``(p_k, x[k])`` with
``p_k = (k - alpha) / (n + 1 - alpha - beta)``:

====  ========================  ===============  ======================
type  name (numpy ``method=``)   alpha, beta      p_k
====  ========================  ===============  ======================
1     inverted_cdf               (step)           k / n
2     averaged_inverted_cdf      (step, average)  k / n
3     closest_observation        (nearest even)   (k - 1/2) / n
4     interpolated_inverted_cdf  0, 1             k / n
5     hazen                      1/2, 1/2         (k - 1/2) / n
6     weibull                    0, 0             k / (n + 1)
7     linear (R and numpy)       1, 1             (k - 1) / (n - 1)
8     median_unbiased            1/3, 1/3         (k - 1/3) / (n + 1/3)
9     normal_unbiased            3/8, 3/8         (k - 3/8) / (n + 1/4)
====  ========================  ===============  ======================

The arithmetic follows R's ``stats::quantile`` (R 4.2), including its
``4 * .Machine$double.eps`` fuzz that stops ``n * p`` landing a hair below an
integer through rounding (R applies it to types 4-9; we also apply it to types
1-3, where the same rounding would otherwise pick the wrong order statistic,
e.g. ``0.7 * 10 == 7.000000000000001``).

References
----------
Hyndman, R. J. and Fan, Y. (1996). Sample quantiles in statistical packages.
The American Statistician 50(4), 361-365.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

__all__ = [
    "SPREADSHEET_EQUIVALENTS",
    "SPREADSHEET_EQUIVALENT_SOURCES",
    "QuantileType",
    "quantiles",
    "quantiles_all_types",
    "resolve_quantile_type",
]


class QuantileType(enum.IntEnum):
    """The nine Hyndman & Fan (1996) sample quantile definitions.

    The integer value is R's ``type=`` number; :attr:`method` is numpy's
    ``method=`` name (also accepted by :func:`resolve_quantile_type`).

    Examples
    --------
    >>> QuantileType.LINEAR.method, int(QuantileType.LINEAR)
    ('linear', 7)
    """

    INVERTED_CDF = 1
    AVERAGED_INVERTED_CDF = 2
    CLOSEST_OBSERVATION = 3
    INTERPOLATED_INVERTED_CDF = 4
    HAZEN = 5
    WEIBULL = 6
    LINEAR = 7
    MEDIAN_UNBIASED = 8
    NORMAL_UNBIASED = 9

    @property
    def method(self) -> str:
        """numpy's ``method=`` name for this definition."""
        return self.name.lower()

    @property
    def r_type(self) -> int:
        """R's ``quantile(type=)`` number."""
        return int(self.value)

    @property
    def label(self) -> str:
        """Short human label, e.g. ``'type 7 (linear)'``."""
        return f"type {self.r_type} ({self.method})"


QuantileTypeLike: TypeAlias = QuantileType | int | str

# (alpha, beta) plotting-position constants of the continuous types 4-9.
_CONTINUOUS = {
    4: (0.0, 1.0),
    5: (0.5, 0.5),
    6: (0.0, 0.0),
    7: (1.0, 1.0),
    8: (1.0 / 3.0, 1.0 / 3.0),
    9: (3.0 / 8.0, 3.0 / 8.0),
}
_FUZZ = 4.0 * np.finfo(np.float64).eps
_TYPE_SPELLING = re.compile(r"^(?:r|type|hf)?[\s_-]*([1-9])$")


def _valid_spellings() -> str:
    names = ", ".join(f"{t.r_type}={t.method!r}" for t in QuantileType)
    return f"{names} (also 'R7', 'type7', 'type 7')"


def resolve_quantile_type(x: QuantileTypeLike) -> QuantileType:
    """Turn a type number or name into a :class:`QuantileType`.

    Parameters
    ----------
    x : QuantileType, int or str
        1..9, a numpy method name (``"linear"``, ``"weibull"``, ...; case and
        hyphens ignored), or ``"R7"`` / ``"type7"`` / ``"type 7"``.

    Returns
    -------
    QuantileType

    Raises
    ------
    ValueError
        If ``x`` names no definition; the message lists the valid ones.

    Examples
    --------
    >>> resolve_quantile_type("R6") is resolve_quantile_type("weibull")
    True
    """
    if isinstance(x, QuantileType):
        return x
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        if 1 <= int(x) <= 9:
            return QuantileType(int(x))
    elif isinstance(x, str):
        key = x.strip().lower()
        match = _TYPE_SPELLING.match(key)
        if match:
            return QuantileType(int(match.group(1)))
        key = re.sub(r"[\s-]+", "_", key)
        for qt in QuantileType:
            if qt.method == key:
                return qt
    raise ValueError(f"unknown quantile type {x!r}; valid types are {_valid_spellings()}")


def _as_sample(x: npt.ArrayLike) -> npt.NDArray[np.float64]:
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"x must be one-dimensional, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError("x is empty: quantiles need at least one value")
    if not np.all(np.isfinite(arr)):
        raise ValueError("x contains NaN or infinite values; remove them explicitly first")
    return arr


def _as_probs(probs: npt.ArrayLike) -> npt.NDArray[np.float64]:
    p = np.atleast_1d(np.asarray(probs, dtype=np.float64))
    if p.ndim != 1:
        raise ValueError(f"probs must be a scalar or one-dimensional, got shape {p.shape}")
    if np.any(np.isnan(p)) or np.any((p < 0.0) | (p > 1.0)):
        raise ValueError(f"probs must lie in [0, 1], got {p.tolist()}")
    return p


def _positions(
    r_type: int, n: int, p: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
    """Return 1-based ``j`` and weight ``g`` so that ``Q = (1-g) x[j] + g x[j+1]``."""
    j, g = _positions_all(n, p)
    return j[r_type - 1], g[r_type - 1]


_A = np.array([[_CONTINUOUS[t][0]] for t in range(4, 10)])
_B = np.array([[_CONTINUOUS[t][1]] for t in range(4, 10)])


def _positions_all(
    n: int, p: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
    """:func:`_positions` of types 1 to 9 at once: ``j`` and ``g`` of shape (9, len(p))."""
    # Types 1-3: the discontinuous definitions.
    nppm = np.stack([n * p, n * p, n * p - 0.5])
    j_d = np.floor(nppm + _FUZZ)
    frac = nppm - j_d
    frac[np.abs(frac) < _FUZZ] = 0.0
    g_d = np.stack(
        [
            (frac[0] > 0).astype(np.float64),
            np.where(frac[1] > 0, 1.0, 0.5),
            # nearest order statistic, ties to the even one
            ((frac[2] != 0) | (np.mod(j_d[2], 2) == 1)).astype(np.float64),
        ]
    )
    # Types 4-9: m = a + p (n + 1 - a - b).
    nppm_c = _A + p * (n + 1 - _A - _B)
    j_c = np.floor(nppm_c + _FUZZ)
    g_c = nppm_c - j_c
    g_c[np.abs(g_c) < _FUZZ] = 0.0
    j = np.concatenate([j_d, j_c]).astype(np.intp)
    return j, np.concatenate([g_d, g_c])


def _from_sorted(
    xs: npt.NDArray[np.float64], j: npt.NDArray[np.intp], g: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    # xs: one sorted sample, or one per row (along the last axis).
    n = xs.shape[-1]
    # Pad so that x[0] = x[1] and x[n+1] = x[n] in 1-based terms; index j maps to padded[j].
    padded = np.concatenate((xs[..., :1], xs, xs[..., -1:]), axis=-1)
    jj = np.clip(j, 0, n)
    lo = np.take(padded, jj, axis=-1)
    hi = np.take(padded, jj + 1, axis=-1)
    # Only interpolate where needed: (1-g)*a + g*b is not exactly a when a == b is huge, and
    # g in {0, 1} must return an order statistic exactly.
    out = np.where(g == 0.0, lo, np.where(g == 1.0, hi, (1.0 - g) * lo + g * hi))
    return np.where(lo == hi, lo, out)


def quantiles(
    x: npt.ArrayLike, probs: npt.ArrayLike, *, type: QuantileTypeLike = 7
) -> npt.NDArray[np.float64]:
    """Sample quantiles of ``x`` at ``probs`` under one Hyndman & Fan definition.

    Parameters
    ----------
    x : array_like
        One-dimensional finite sample (NaN raises: drop missing values first).
    probs : array_like
        Probabilities in [0, 1].
    type : QuantileType, int or str, default 7
        Definition, see :func:`resolve_quantile_type`. 7 is R's and numpy's default.

    Returns
    -------
    numpy.ndarray
        One value per probability, at full precision.

    Examples
    --------
    >>> quantiles([1, 2, 4, 7, 8, 9, 10, 12], [0.25], type=7)  # Excel QUARTILE.INC
    array([3.5])
    >>> quantiles([1, 2, 4, 7, 8, 9, 10, 12], [0.25], type="weibull")  # QUARTILE.EXC
    array([2.5])
    """
    qt = resolve_quantile_type(type)
    xs = np.sort(_as_sample(x))
    p = _as_probs(probs)
    j, g = _positions(qt.r_type, xs.size, p)
    return _from_sorted(xs, j, g)


def quantiles_all_types(x: npt.ArrayLike, probs: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Sample quantiles under all nine definitions, sorting ``x`` once.

    Parameters
    ----------
    x : array_like
        One-dimensional finite sample.
    probs : array_like
        Probabilities in [0, 1].

    Returns
    -------
    numpy.ndarray
        Shape ``(9, len(probs))``; row ``k`` is R's ``type = k + 1``.

    Examples
    --------
    >>> quantiles_all_types([1, 2, 3, 4], [0.5])[:, 0]
    array([2. , 2.5, 2. , 2. , 2.5, 2.5, 2.5, 2.5, 2.5])
    """
    xs = np.sort(_as_sample(x))
    p = _as_probs(probs)
    j, g = _positions_all(xs.size, p)
    return _from_sorted(xs, j, g)


# Which software functions compute which definition. Entries were checked against the vendor's
# own documentation: either its formula, or its worked examples recomputed under each type (the
# examples are asserted in tests/analyses/test_quantiles.py). "reported by" marks second-hand.
_EQUIVALENTS: dict[str, tuple[QuantileType, str]] = {
    "Excel QUARTILE.INC": (
        QuantileType.LINEAR,
        "Microsoft support example: QUARTILE.INC({1,2,4,7,8,9,10,12},1) = 3.5",
    ),
    "Excel PERCENTILE.INC": (
        QuantileType.LINEAR,
        "Microsoft Power Query docs: List.Percentile default matches PERCENTILE.INC and gives "
        "3 for {5,3,1,7,9} at 0.25",
    ),
    "Excel MEDIAN": (
        QuantileType.LINEAR,
        "Microsoft support: MEDIAN equals QUARTILE.INC(,2); at p = 0.5 types 2 and 4-9 agree",
    ),
    "Excel QUARTILE.EXC": (
        QuantileType.WEIBULL,
        "Microsoft support example: QUARTILE.EXC({6,7,15,36,39,40,41,42,43,47,49},1|3) = 15|43; "
        "Excel returns #NUM! where p < 1/(n+1) or p > n/(n+1), type 6 clamps to min/max",
    ),
    "Excel PERCENTILE.EXC": (
        QuantileType.WEIBULL,
        "Microsoft Power Query docs: PercentileMode.ExcelExc gives {2,5,8} for {5,3,1,7,9} at "
        "0.25/0.5/0.75; interpolates at multiples of 1/(n+1)",
    ),
    "Google Sheets PERCENTILE.EXC": (
        QuantileType.WEIBULL,
        "Google Docs Editors Help example: {15,20,35,40,50} at 0.4|0.8 = 26|48",
    ),
    "Apache OpenOffice Calc QUARTILE": (
        QuantileType.LINEAR,
        "OpenOffice wiki example: QUARTILE({9;3;7;8};1) = 6, 'same as PERCENTILE'",
    ),
    "SAS PCTLDEF=5 (default of PROC UNIVARIATE/MEANS, PCTL function)": (
        QuantileType.AVERAGED_INVERTED_CDF,
        "SAS docs formula (np = j + g: average x[j], x[j+1] if g = 0 else x[j+1]) and PCTL "
        "examples on {2,4,1,3}: 25th = 1.5, median = 2.5, 75th = 3.5",
    ),
    "SAS PCTLDEF=1": (QuantileType.INTERPOLATED_INVERTED_CDF, "SAS docs formula"),
    "SAS PCTLDEF=2": (QuantileType.CLOSEST_OBSERVATION, "SAS docs formula (ties to even j)"),
    "SAS PCTLDEF=3": (QuantileType.INVERTED_CDF, "SAS docs formula"),
    "SAS PCTLDEF=4": (QuantileType.WEIBULL, "SAS docs formula (weighted average at (n+1)p)"),
    "Stata pctile/_pctile (default)": (
        QuantileType.AVERAGED_INVERTED_CDF,
        "Stata Mata manual, quantile(): 'avg inv cdf' is the method used by pctile/_pctile",
    ),
    "Stata pctile/_pctile, altdef": (
        QuantileType.WEIBULL,
        "Stata Mata manual, quantile(): 'weibull' is pctile/_pctile with altdef",
    ),
    "SPSS EXAMINE (HAVERAGE, default)": (
        QuantileType.WEIBULL,
        "IBM SPSS syntax reference: HAVERAGE, weighted average at X_(w+1)p, is the default",
    ),
    "Minitab": (
        QuantileType.WEIBULL,
        "reported by R's ?quantile ('Type 6 ... used by Minitab and by SPSS'), after Hyndman & "
        "Fan (1996); not checked against Minitab's own documentation",
    ),
}

#: Software function -> Hyndman & Fan definition it computes (read-only).
#:
#: Confirmed from vendor documentation (formula or worked examples, the latter re-checked in the
#: tests): Excel QUARTILE.INC / PERCENTILE.INC / MEDIAN = type 7; Excel QUARTILE.EXC /
#: PERCENTILE.EXC = type 6 (Excel errors outside [1/(n+1), n/(n+1)] where type 6 clamps);
#: Google Sheets PERCENTILE.EXC = type 6; Apache OpenOffice Calc QUARTILE = type 7; SAS
#: PCTLDEF=5 (default) = type 2, PCTLDEF=1/2/3/4 = types 4/3/1/6; Stata pctile/_pctile = type 2
#: (altdef: type 6); SPSS EXAMINE default HAVERAGE = type 6. Reported only: Minitab = type 6
#: (R's documentation, after Hyndman & Fan). Not confirmed, so not listed: Google Sheets
#: QUARTILE/PERCENTILE (its help only says "closest to the quartile"), LibreOffice Calc (presumably
#: as OpenOffice), SPSS FREQUENCIES (IBM notes it can differ from EXAMINE).
SPREADSHEET_EQUIVALENTS: Mapping[str, QuantileType] = MappingProxyType(
    {name: qt for name, (qt, _) in _EQUIVALENTS.items()}
)

#: The evidence behind each entry of :data:`SPREADSHEET_EQUIVALENTS` (read-only).
SPREADSHEET_EQUIVALENT_SOURCES: Mapping[str, str] = MappingProxyType(
    {name: src for name, (_, src) in _EQUIVALENTS.items()}
)
