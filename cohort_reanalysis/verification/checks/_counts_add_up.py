"""Counts of parts that must add up to a stated total."""

from __future__ import annotations

from collections.abc import Mapping

from ._result import SummaryCheck
from ._shared import whole

__all__ = ["counts_add_up"]


def counts_add_up(parts: Mapping[str, int | str], total: int | str) -> SummaryCheck:
    """Check that counts of parts add up to the stated total.

    Examples
    --------
    >>> counts_add_up({"men": 30, "women": 28}, 58).consistent
    True
    """
    if not parts:
        raise ValueError("counts_add_up needs at least one part")
    counts = {name: whole(v, f"part {name!r}", minimum=0) for name, v in parts.items()}
    stated = whole(total, "total", minimum=0)
    summed = sum(counts.values())
    terms = " + ".join(f"{v} ({k})" for k, v in counts.items())
    values: dict[str, float] = {f"part:{k}": v for k, v in counts.items()}
    values.update(sum=summed, total=stated, difference=summed - stated)
    if summed == stated:
        return SummaryCheck("counts_add_up", True, f"{terms} = {summed}, as stated.", values)
    return SummaryCheck(
        "counts_add_up",
        False,
        f"{terms} = {summed}, but the stated total is {stated} "
        f"({'over' if summed > stated else 'short'} by {abs(summed - stated)}).",
        values,
    )
