"""Cutting a variable into strata at thresholds, with the boundary rule stated; comparing strata.

Every analysis that groups patients (severity subgroups by baseline, dose groups, follow-up bands)
goes through :func:`cut`, so that the side of the boundary a value equal to a cutoff falls on is a
named option, not an accident of ``<`` versus ``<=``, and the rule is printed the same way
everywhere (``"HbA1c ≤ 8 % | HbA1c > 8 %"``).

:func:`paired_by_stratum` runs the paired analysis of :mod:`._paired` in each stratum; the tests
between strata are in :mod:`._group_tests`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt

from .._format import format_number
from ..cohort import Cohort, PairedData
from ._group_tests import GroupTest  # re-exported: presentation/figures/_forest.py imports it

if TYPE_CHECKING:
    from ._paired import PairedChangeResult

__all__ = [
    "Boundary",
    "GroupTest",
    "Strata",
    "StratumSummary",
    "cut",
    "format_cutoff",
    "paired_by_stratum",
    "resolve_pairs",
]

Boundary = Literal["lower", "upper"]
_BOUNDARIES = ("lower", "upper")


def format_cutoff(value: float) -> str:
    """A cutoff as the user wrote it, and exactly as it compares.

    Whole numbers print without a decimal point (``8``, ``1000``); any other value prints as
    the shortest text that reads back to the same float (``6.2``, ``8.05``), never rounded,
    since a rounded cutoff would misstate which side of the boundary a value falls on.

    Examples
    --------
    >>> format_cutoff(8.0), format_cutoff(1000), format_cutoff(6.2), format_cutoff(1234.5678)
    ('8', '1000', '6.2', '1234.5678')
    """
    x = float(value)
    return format_number(x) if x.is_integer() else repr(x)


@dataclass(frozen=True)
class Strata:
    """The strata of one variable and which stratum each row falls in.

    Attributes
    ----------
    labels : tuple of str
        One label per stratum, lowest first.
    index : numpy.ndarray
        Stratum number (0-based, into ``labels``) of every value, in input order.
    rule_text : str
        The rule, one condition per stratum joined by ``" | "``, e.g.
        ``"HbA1c ≤ 8 % | HbA1c > 8 %"``. Printed by every result that uses it.
    conditions : tuple of str
        The condition of each stratum (``"HbA1c ≤ 8 %"``).
    cutoffs : tuple of float
        Increasing cutoffs; ``len(labels) == len(cutoffs) + 1``.
    boundary : {"lower", "upper"}
        Which stratum a value equal to a cutoff belongs to.
    variable : str
        Name used in the rule text.
    unit : str or None
        Unit printed after each cutoff.
    """

    labels: tuple[str, ...]
    index: np.ndarray = field(repr=False)
    rule_text: str
    conditions: tuple[str, ...]
    cutoffs: tuple[float, ...]
    boundary: Boundary
    variable: str = "x"
    unit: str | None = None

    def __post_init__(self) -> None:
        self.index.setflags(write=False)

    @property
    def k(self) -> int:
        """Number of strata."""
        return len(self.labels)

    def mask(self, stratum: int) -> np.ndarray:
        """Boolean mask of the values in stratum number ``stratum``."""
        return np.asarray(self.index == stratum)

    def counts(self) -> tuple[int, ...]:
        """Number of values in each stratum (zeros included)."""
        return tuple(int(c) for c in np.bincount(self.index, minlength=self.k))

    @property
    def boundary_text(self) -> str:
        """The boundary rule in words ("a value equal to a cutoff belongs to the lower stratum")."""
        return f"a value equal to a cutoff belongs to the {self.boundary} stratum"


def cut(
    values: npt.ArrayLike,
    cutoffs: Sequence[float] | float,
    *,
    boundary: Boundary,
    labels: Sequence[str] | None = None,
    variable: str = "x",
    unit: str | None = None,
) -> Strata:
    """Cut ``values`` into strata at ``cutoffs``, with the boundary rule explicit.

    Parameters
    ----------
    values : array_like
        Finite numbers (missing values must be removed first: they belong to no stratum).
    cutoffs : float or sequence of float
        Strictly increasing, finite cutoffs; ``k`` cutoffs give ``k + 1`` strata.
    boundary : {"lower", "upper"}
        Which stratum a value *equal to* a cutoff belongs to. ``"lower"``: strata
        ``x ≤ c1``, ``c1 < x ≤ c2``, ..., ``x > ck``. ``"upper"``: ``x < c1``,
        ``c1 ≤ x < c2``, ..., ``x ≥ ck``. Values are compared exactly, as stored.
    labels : sequence of str, optional
        One unique label per stratum; by default the condition text of each stratum.
    variable, unit : str
        How the variable and its unit are printed in the rule text.

    Returns
    -------
    Strata

    Raises
    ------
    ValueError
        For missing or infinite values, unsorted or repeated cutoffs, an unknown boundary, or
        labels of the wrong number.

    Examples
    --------
    >>> s = cut([7.1, 8.0, 9.3], [8.0], boundary="lower", variable="HbA1c", unit="%")
    >>> s.rule_text
    'HbA1c ≤ 8 % | HbA1c > 8 %'
    >>> s.index.tolist()
    [0, 0, 1]
    >>> cut([7.1, 8.0, 9.3], [8.0], boundary="upper").index.tolist()
    [0, 1, 1]
    """
    if boundary not in _BOUNDARIES:
        raise ValueError(f"boundary must be 'lower' or 'upper', got {boundary!r}")
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"values must be one-dimensional, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(
            f"{variable} has missing or infinite values; they belong to no stratum, so leave "
            "those rows out (with a reason) before cutting"
        )
    cuts = np.atleast_1d(np.asarray(cutoffs, dtype=np.float64))
    if cuts.ndim != 1 or cuts.size == 0:
        raise ValueError("cutoffs must be one number or a non-empty sequence of numbers")
    if not np.all(np.isfinite(cuts)):
        raise ValueError(f"cutoffs must be finite, got {cuts.tolist()}")
    if np.any(np.diff(cuts) <= 0):
        raise ValueError(f"cutoffs must be strictly increasing, got {cuts.tolist()}")

    # searchsorted "left" puts x == c below c (lower stratum); "right" puts it above.
    side: Literal["left", "right"] = "left" if boundary == "lower" else "right"
    index = np.searchsorted(cuts, x, side=side).astype(np.intp)

    # below: how a stratum's upper end reads; above: its lower end ("c < x" or "c ≤ x").
    below, above = ("≤", "<") if boundary == "lower" else ("<", "≤")
    suffix = f" {unit}" if unit else ""
    texts = [format_cutoff(c) + suffix for c in cuts]
    conditions = [f"{variable} {below} {texts[0]}"]
    conditions += [
        f"{format_cutoff(cuts[i - 1])} {above} {variable} {below} {texts[i]}"
        for i in range(1, len(texts))
    ]
    conditions.append(f"{variable} {'>' if boundary == 'lower' else '≥'} {texts[-1]}")
    if labels is None:
        labels_t = tuple(conditions)
    else:
        labels_t = tuple(str(s) for s in labels)
        if len(labels_t) != len(conditions):
            raise ValueError(
                f"{len(cuts)} cutoff(s) make {len(conditions)} strata, but {len(labels_t)} "
                f"label(s) were given: {list(labels_t)}"
            )
        if len(set(labels_t)) != len(labels_t):
            raise ValueError(f"labels must be unique, got {list(labels_t)}")
    return Strata(
        labels=labels_t,
        index=index,
        rule_text=" | ".join(conditions),
        conditions=tuple(conditions),
        cutoffs=tuple(float(c) for c in cuts),
        boundary=boundary,
        variable=variable,
        unit=unit,
    )


# --------------------------------------------------------------------------- paired per stratum


@dataclass(frozen=True)
class StratumSummary:
    """The paired analysis of one stratum.

    ``paired`` is ``None`` (with ``reason``) when the stratum has no patients; a stratum of one
    patient carries the paired result's own ``None``-with-reason fields.
    """

    label: str
    condition: str
    n: int
    rows: np.ndarray = field(repr=False)
    paired: PairedChangeResult | None = field(repr=False)
    reason: str | None = None


def paired_by_stratum(
    pairs: PairedData, strata: Strata, *, confidence_level: float = 0.95
) -> tuple[StratumSummary, ...]:
    """Run :func:`~._paired.paired_change` on the pairs of each stratum (empty ones listed)."""
    from ._paired import paired_change

    if strata.index.size != pairs.n:
        raise ValueError(f"strata cover {strata.index.size} values but there are {pairs.n} pairs")
    out = []
    for i, (label, condition) in enumerate(zip(strata.labels, strata.conditions, strict=True)):
        sub = pairs.select(strata.mask(i))
        if sub.n == 0:
            out.append(
                StratumSummary(
                    label, condition, 0, sub.rows, None, reason="no patients in this stratum"
                )
            )
            continue
        result = paired_change(sub, confidence_level=confidence_level)
        out.append(StratumSummary(label, condition, sub.n, sub.rows, result))
    return tuple(out)


# --------------------------------------------------------------------------- input


def resolve_pairs(
    data: Cohort | PairedData, require: Sequence[str], *, who: str
) -> tuple[PairedData, dict[str, str | None]]:
    """The pairs an analysis uses (rows missing a required value left out, with the reason),
    and the unit of each required column (``None`` if unknown).

    A :class:`PairedData` must already carry the required values in ``extra``.
    """
    if isinstance(data, Cohort):
        absent = [name for name in require if data.column(name) is None]
        if absent:
            have = ", ".join(c.name for c in data.columns) or "none"
            raise ValueError(
                f"{who} needs a {' and a '.join(repr(a) for a in absent)} column (a role or "
                f"a column name); this cohort has: {have}"
            )
        pairs = data.pair(require=tuple(require))
        units: dict[str, str | None] = {}
        for name in require:
            spec = data.column(name)
            units[name] = spec.unit if spec is not None else None
        return pairs, units
    if isinstance(data, PairedData):
        missing = [r for r in require if r not in data.extra]
        if missing:
            raise ValueError(
                f"{who} needs {', '.join(repr(m) for m in missing)} for every pair; build the "
                f"pairs with cohort.pair(require={tuple(require)!r}) or pass the Cohort"
            )
        for name in require:
            values = np.asarray(data.extra[name], dtype=np.float64)
            if not np.all(np.isfinite(values)):
                raise ValueError(f"{name!r} has missing values in the pairs given to {who}")
        return data, {name: None for name in require}
    raise TypeError(f"{who} needs a Cohort or PairedData, got {type(data).__name__}")
