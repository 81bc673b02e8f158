"""The declared space of analytic choices that verification searches, as data.

A paper states a number and (sometimes) how it computed it. Verification recomputes the
number under the method the paper states; when that does not reproduce it, it searches a
*declared* space of analytic choices, every one of which a careful analyst could have made
without saying so, and reports the smallest departure from the stated method that does.

The space (see also ``docs/specification-space.md``), in the fixed order used to break ties
between specifications with the same number of departures (earlier = preferred):

=================  =======================================  ==================================
choice             values (stated default first)            touches
=================  =======================================  ==================================
``boundary: C``    the op as stated; its other side         every numeric condition ``C`` of a
                   (``<=`` <-> ``<``, ``>=`` <-> ``>``)     subset or group, one choice each
``direction``      as stated (``change`` = after - before   signed statistics of change and
                   unless the claim says ``reduction``);    correlations with change
                   flipped                                  (``_statistic_uses_direction``)
``quantile_type``  R type 7 unless stated; types 1-9        median, quantile, quartiles
                   (Hyndman & Fan 1996)
``sd_ddof``        1 (n - 1) unless stated; 0 (n)           sd
``correlation``    pearson unless stated; spearman,         correlation, its p-value and
                   kendall                                  statistic
``effect_size``    d_z unless stated (groups: d_av); the    effect_size
                   other effect sizes
``percent_change`` mean_of_ratios unless stated; the other  percent_change
``alternative``    two-sided unless stated; less, greater   p-values (on the claim's
                                                            direction of change)
``pairing``        paired; unpaired (one_sample: no         p, ci, statistic, df of before vs
                   alternative)                             after
``test``           t unless stated; rank (Wilcoxon          p-values, ci, statistic of before
                   signed-rank if paired or one-sample,     vs after, one sample, two groups
                   rank-sum if not); kruskal (two groups    (df: the stated test)
                   only); a count: chi2, chi2_uncorrected,
                   fisher
``variance``       student unless stated; welch             unpaired t-tests only
``signed_rank_law`` r_default (R: exact below 50); normal   one-sample signed-rank p, every
                                                            signed-rank interval
``rounding``       ``up_or_down`` (or ``verify``'s           any claim printed with ``=``
                   ``rounding=``); the other procedures of  (not counts)
                   ``_rounding`` (from ``up_or_down``:
                   truncate, ceiling, floor; the half_*
                   rules print a subset of it)
``rows``           all printed rows; all rows except those  every claim
                   the metadata's ``damaged_rows`` names
                   (merged cells, typeset as a header)
=================  =======================================  ==================================

A :class:`Specification` assigns one value to each choice a claim touches; its
``departures`` are the choices whose value differs from the stated one. Specifications are
searched in the order of :meth:`ClaimSpace.sort_key`: fewest departures first, then
departures on earlier choices (the table's order), then earlier alternatives within a choice.
The test choices of a test-like claim depend on its design (``_test_choices``).
Combinations that mean the same computation are collapsed (a Welch/Student choice does not
apply to a paired test, nor a signed-rank law to a t-test), so that no departure is counted
that changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import Any

import numpy as np

from ._rounding import ROUNDINGS, check_rounding
from ._row_sets import ALL_ROWS, RowSet
from ._space_codes import space_codes
from ._specification import (
    ALTERNATIVE,
    BOUNDARY,
    CHOICE_ORDER,
    CORRELATION,
    DIRECTION,
    EFFECT_SIZE,
    PAIRING,
    PERCENT_CHANGE,
    QUANTILE_TYPE,
    ROUNDING,
    ROWS,
    SD_DDOF,
    SIGNED_RANK_LAW,
    TEST,
    VARIANCE,
    Choice,
    Specification,
)
from ._test_choices import design, design_choices
from .claims import Condition, Quantity

__all__ = [
    "ALTERNATIVE",
    "CHOICE_ORDER",
    "CORRELATION",
    "DIRECTION",
    "EFFECT_SIZE",
    "PAIRING",
    "PERCENT_CHANGE",
    "QUANTILE_TYPE",
    "ROUNDING",
    "ROWS",
    "SD_DDOF",
    "SIGNED_RANK_LAW",
    "TEST",
    "VARIANCE",
    "ClaimSpace",
    "boundary_name",
    "build_space",
    "design",
    "flip_op",
]

_BOUNDARY = BOUNDARY

_FLIP = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}


def flip_op(op: str) -> str:
    """The other side of a numeric boundary: ``<=`` <-> ``<`` and ``>=`` <-> ``>``.

    Examples
    --------
    >>> flip_op("<="), flip_op(">")
    ('<', '>=')
    """
    try:
        return _FLIP[op]
    except KeyError:
        raise ValueError(f"{op!r} is not a numeric boundary (one of <, <=, >, >=)") from None


def _value_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def boundary_name(cond: Condition) -> str:
    """The name of the boundary choice of a condition, e.g. ``'boundary: before <= 8'``.

    Examples
    --------
    >>> boundary_name(Condition("before", "<=", 8))
    'boundary: before <= 8'
    """
    return f"{_BOUNDARY}: {cond.variable} {cond.op} {_value_text(cond.value)}"


def _has_boundary(cond: Condition) -> bool:
    return cond.op in _FLIP and not isinstance(cond.value, str)


# ----------------------------------------------------------------------------- the space


@dataclass(frozen=True)
class ClaimSpace:
    """The choices one claim touches, and the search order over their combinations.

    ``specifications()`` yields every distinct specification once, smallest departure
    first. ``row_sets`` maps each ``rows`` value to its :class:`RowSet`.
    """

    choices: tuple[Choice, ...]
    row_sets: Mapping[str, RowSet]
    paired_test: bool = False
    group_test: bool = False

    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.choices)

    def choice(self, name: str) -> Choice:
        for c in self.choices:
            if c.name == name:
                return c
        raise KeyError(name)

    @cached_property
    def stated_values(self) -> Mapping[str, Any]:
        return MappingProxyType({c.name: c.stated_default for c in self.choices})

    @property
    def stated(self) -> Specification:
        """The stated method (conventional defaults where the paper is silent)."""
        return Specification(self.stated_values, self.stated_values)

    def specification(self, values: Mapping[str, Any]) -> Specification:
        """A specification from (some) choice values; the rest take their stated value."""
        unknown = set(values) - set(self.names)
        if unknown:
            raise ValueError(
                f"choices {sorted(unknown)} are not in this claim's space {list(self.names)}"
            )
        full = {c.name: values.get(c.name, c.stated_default) for c in self.choices}
        for name, value in full.items():
            if value not in self.choice(name).values:
                raise ValueError(
                    f"{value!r} is not a declared value of {name!r}: "
                    f"{list(self.choice(name).values)}"
                )
        return Specification(self.canonical(full), self.stated_values)

    def canonical(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Reset choices that do not apply under the others to their stated value."""
        out = dict(values)
        if VARIANCE in out:
            stated = self.stated_values
            unpaired_t = out.get(TEST) == "t" and (
                self.group_test or out.get(PAIRING) == "unpaired"
            )
            if not unpaired_t:
                out[VARIANCE] = stated[VARIANCE]
        if SIGNED_RANK_LAW in out and (out.get(TEST) != "rank" or out.get(PAIRING) == "unpaired"):
            out[SIGNED_RANK_LAW] = self.stated_values[SIGNED_RANK_LAW]
        return out

    def _valid(self, values: Mapping[str, Any]) -> bool:
        # Kruskal-Wallis compares independent groups; it has no paired form.
        return not (values.get(TEST) == "kruskal" and values.get(PAIRING) == "paired")

    @cached_property
    def _value_index(self) -> tuple[tuple[str, Any, Mapping[Any, int]], ...]:
        return tuple(
            (c.name, c.stated_default, {v: i for i, v in enumerate(c.values)}) for c in self.choices
        )

    def sort_key(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """Fewest departures, then departures on earlier choices, then earlier values."""
        positions: list[int] = []
        indices: list[int] = []
        for pos, (name, stated, index) in enumerate(self._value_index):
            value = values[name]
            if value != stated:
                positions.append(pos)
                indices.append(index[value])
        return (len(positions), tuple(positions), tuple(indices))

    def specifications(self) -> Iterator[Specification]:
        """Every distinct valid specification, in search order."""
        stated = self.stated_values
        for values in self.assignments:
            yield Specification(values, stated)

    @cached_property
    def codes(self) -> np.ndarray:
        """Every distinct valid specification as a row of value indices (0 = stated), in
        search order (``_space_codes``): the arrays the evaluation works on."""
        codes, departures = space_codes(self.choices, group_test=self.group_test)
        codes.setflags(write=False)
        departures.setflags(write=False)
        object.__setattr__(self, "_departures", departures)
        return codes

    @property
    def departures(self) -> np.ndarray:
        """Number of departures of each row of :attr:`codes`."""
        _ = self.codes
        out: np.ndarray = self.__dict__["_departures"]
        return out

    @cached_property
    def assignments(self) -> tuple[Mapping[str, Any], ...]:
        """Every distinct valid assignment (read-only dicts), in search order (the rows of
        :attr:`codes`)."""
        names = self.names
        columns = [
            np.array(c.values, dtype=object)[self.codes[:, j]].tolist()
            for j, c in enumerate(self.choices)
        ]
        return (
            tuple(
                MappingProxyType(dict(zip(names, row, strict=True)))
                for row in zip(*columns, strict=True)
            )
            if columns
            else (MappingProxyType({}),)
        )

    @property
    def departure_counts(self) -> tuple[int, ...]:
        """Number of departures of each of :attr:`assignments`, in the same order."""
        return tuple(self.departures.tolist())

    @property
    def size(self) -> int:
        # The rows of the codes, without building a dict per specification; a space without
        # choices has its one empty assignment.
        return int(self.codes.shape[0]) if self.choices else 1


def _statistic_uses_direction(q: Quantity) -> bool:
    if q.statistic in ("n", "count", "sd", "pvalue", "df", "se"):
        return False
    if q.statistic in ("mean_change", "percent_change"):
        return True
    if q.statistic in ("ci", "statistic", "effect_size") and design(q) == "paired":
        return True
    condition = None if q.condition is None else q.condition.variable
    return "change" in (q.variable, q.x, q.y, condition)


def build_space(
    quantity: Quantity,
    *,
    comparator: str = "=",
    rounding: str = "up_or_down",
    row_sets: Sequence[RowSet] = (RowSet(ALL_ROWS),),
) -> ClaimSpace:
    """The choices a quantity touches, with the stated method as each one's default.

    Parameters
    ----------
    quantity : Quantity
        What the claim's number is.
    comparator : str
        The claim's comparator; rounding is a choice only for ``"="``.
    rounding : str
        The stated rounding procedure (``verify``'s ``rounding=``).
    row_sets : sequence of RowSet
        Declared row sets, the first being the stated one (all rows).

    Examples
    --------
    >>> from cohort_reanalysis.verification.claims import Condition, Quantity
    >>> q = Quantity("mean", variable="before", subset=(Condition("before", "<=", 8),))
    >>> build_space(q).names
    ('boundary: before <= 8', 'rounding', 'rows')
    """
    check_rounding(rounding)
    q = quantity
    method = q.method
    choices: list[Choice] = []
    conditions = list(q.subset)
    for group in q.groups or ():
        conditions.extend(group)
    if q.condition is not None:
        conditions.append(q.condition)
    seen: set[str] = set()
    for cond in conditions:
        if not _has_boundary(cond):
            continue
        name = boundary_name(cond)
        if name in seen:
            continue
        seen.add(name)
        choices.append(
            Choice(
                name,
                cond.op,
                (flip_op(cond.op),),
                f"which side of {_value_text(cond.value)} a {cond.variable} of exactly "
                f"{_value_text(cond.value)} falls on",
            )
        )
    if _statistic_uses_direction(q):
        stated_dir = q.direction or "change"
        other = "reduction" if stated_dir == "change" else "change"
        choices.append(
            Choice(
                DIRECTION,
                stated_dir,
                (other,),
                "sign of change: after - before ('change') or before - after ('reduction')",
            )
        )
    if q.statistic in ("median", "quantile", "quartiles"):
        qt = method.quantile_type or 7
        choices.append(
            Choice(
                QUANTILE_TYPE,
                qt,
                tuple(t for t in range(1, 10) if t != qt),
                "sample quantile definition, Hyndman & Fan (1996) types 1-9 (R's type=)",
            )
        )
    if q.statistic == "sd":
        ddof = 1 if method.sd_ddof is None else method.sd_ddof
        choices.append(Choice(SD_DDOF, ddof, (1 - ddof,), "SD divisor n - ddof"))
    if q.statistic == "correlation":
        corr = method.correlation or "pearson"
        choices.append(
            Choice(
                CORRELATION,
                corr,
                tuple(m for m in ("pearson", "spearman", "kendall") if m != corr),
                "correlation coefficient (Pearson r, Spearman rho, Kendall tau-b)",
            )
        )
    if q.statistic == "percent_change":
        pc = method.percent_change or "mean_of_ratios"
        choices.append(
            Choice(
                PERCENT_CHANGE,
                pc,
                ("ratio_of_means" if pc == "mean_of_ratios" else "mean_of_ratios",),
                "mean of per-row percent changes, or the change of the means over the "
                "baseline mean",
            )
        )
    kind = design(q)
    choices.extend(design_choices(q))
    group_test = kind == "groups"
    paired_test = kind == "paired"
    if comparator == "=" and q.statistic not in ("n", "count"):
        # half_up, half_down and half_even print a subset of what up_or_down prints, so
        # they cannot reproduce what it does not: they are alternatives only to the others.
        nested = ("half_up", "half_down", "half_even") if rounding == "up_or_down" else ()
        choices.append(
            Choice(
                ROUNDING,
                rounding,
                tuple(r for r in ROUNDINGS if r != rounding and r not in nested),
                "how the printed number was rounded from the computed one",
            )
        )
    if not row_sets or row_sets[0].excluded:
        raise ValueError("the first row set must be all rows (the stated one)")
    choices.append(
        Choice(
            ROWS,
            row_sets[0].name,
            tuple(r.name for r in row_sets[1:]),
            "which printed rows are included",
        )
    )
    return ClaimSpace(
        choices=tuple(choices),
        row_sets=MappingProxyType({r.name: r for r in row_sets}),
        paired_test=paired_test,
        group_test=group_test,
    )
