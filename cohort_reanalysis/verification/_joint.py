"""Joint search: one specification under which every claim of a group reproduces.

Claims whose quantities share a subset (identical conditions, or identical groups) share its
boundary choices, and with them every other choice of the same name (rows, rounding).
:func:`solve_joint` looks for one assignment of the shared choices under which every claim of
the group is reproduced, from each claim's reproducing specifications (``_search``).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._search import SearchResult
from ._space import CHOICE_ORDER
from .claims import Claim, Quantity

__all__ = ["JointResult", "group_claims", "joint_key", "solve_joint"]


def joint_key(quantity: Quantity | None) -> tuple[Any, ...] | None:
    """Claims with equal keys share a subset (or a pair of groups); None: no subset.

    Examples
    --------
    >>> from cohort_reanalysis.verification.claims import Condition
    >>> joint_key(Quantity("mean", variable="age", subset=(Condition("sex", "==", "F"),)))
    ('subset', (Condition(variable='sex', op='==', value='F'),))
    >>> joint_key(Quantity("mean", variable="age")) is None
    True
    """
    if quantity is None:
        return None
    if quantity.groups is not None:
        return ("groups", quantity.subset, quantity.groups)
    if quantity.subset:
        return ("subset", quantity.subset)
    return None


@dataclass(frozen=True)
class JointResult:
    """Whether one specification of the shared choices reproduces every claim of a group.

    ``specification`` holds the shared choices' values (None when unsatisfied);
    ``members`` the full specification each claim takes under it.
    """

    group: tuple[str, ...]
    satisfied: bool
    specification: Mapping[str, Any] | None
    shared: tuple[str, ...]
    members: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": list(self.group),
            "satisfied": self.satisfied,
            "specification": None if self.specification is None else dict(self.specification),
        }


def _order(name: str) -> tuple[int, str]:
    kind = "boundary" if name.startswith("boundary") else name
    return (CHOICE_ORDER.index(kind), name)


def solve_joint(results: Mapping[str, SearchResult]) -> JointResult:
    """One assignment of the shared choices under which every claim reproduces, if any.

    Shared choices are those of the same name in two or more of the claims' spaces. Among
    the assignments that work, the one with the fewest departures in total (shared
    departures plus each claim's own) wins; ties go to the earlier assignment in the
    choices' fixed order. Claim order does not matter.
    """
    ids = tuple(sorted(results))
    spaces = {i: results[i].space for i in ids}
    counts: dict[str, int] = {}
    for sp in spaces.values():
        for n in sp.names:
            counts[n] = counts.get(n, 0) + 1
    shared = tuple(sorted((n for n, c in counts.items() if c >= 2), key=_order))
    if not shared:
        return JointResult(ids, all(results[i].best is not None for i in ids), {}, ())
    owner = {n: next(spaces[i] for i in ids if n in spaces[i].names) for n in shared}
    value_lists = [owner[n].choice(n).values for n in shared]
    stated = {n: owner[n].choice(n).stated_default for n in shared}
    # For each claim: projection on its shared choices -> (fewest own departures, assignment).
    index: dict[str, tuple[list[str], dict[tuple[Any, ...], tuple[int, Mapping[str, Any]]]]] = {}
    for i in ids:
        sp = spaces[i]
        mine = [n for n in shared if n in sp.names]
        own = [n for n in sp.names if n not in shared]
        table: dict[tuple[Any, ...], tuple[int, Mapping[str, Any]]] = {}
        for a in results[i].reproducing:  # in search order: the first is the smallest
            proj = tuple(a[n] for n in mine)
            if proj not in table:
                table[proj] = (sum(1 for n in own if a[n] != sp.stated_values[n]), a)
        index[i] = (mine, table)
    best: tuple[tuple[int, tuple[int, ...]], dict[str, Any], dict[str, Any]] | None = None
    for combo in itertools.product(*value_lists):
        common = dict(zip(shared, combo, strict=True))
        total = sum(1 for n in shared if common[n] != stated[n])
        members: dict[str, Any] = {}
        for i in ids:
            mine, table = index[i]
            hit = table.get(tuple(common[n] for n in mine))
            if hit is None:
                break
            total += hit[0]
            members[i] = dict(hit[1])
        else:
            order = tuple(value_lists[k].index(combo[k]) for k in range(len(shared)))
            key = (total, order)
            if best is None or key < best[0]:
                best = (key, common, members)
    if best is None:
        return JointResult(ids, False, None, shared)
    return JointResult(ids, True, best[1], shared, best[2])


def group_claims(claims: Sequence[Claim]) -> list[tuple[str, ...]]:
    """Ids of claims that share a subset, grouped (groups of two or more, sorted ids)."""
    groups: dict[tuple[Any, ...], list[str]] = {}
    for c in claims:
        key = joint_key(c.quantity)
        if key is not None:
            groups.setdefault(key, []).append(c.id)
    return sorted(tuple(sorted(g)) for g in groups.values() if len(g) >= 2)
