"""The one result shape of every summary-level check."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from ..._html import html_table

__all__ = ["SummaryCheck"]


@dataclass(frozen=True)
class SummaryCheck:
    """The outcome of one summary-level check.

    Attributes
    ----------
    check : str
        Which check: ``"grim"``, ``"grimmer"``, ``"recompute_p"``, ``"ci_consistency"``,
        ``"counts_add_up"``.
    consistent : bool or None
        True if the printed numbers can all be true together, False if they cannot, None if
        the check does not apply (the reason is in ``detail``).
    detail : str
        One or more plain sentences: what was found and why.
    values : Mapping[str, float]
        The numbers behind the verdict, at full precision (flags as 1.0/0.0).

    Examples
    --------
    >>> from cohort_reanalysis.verification.checks import grim
    >>> r = grim("5.19", 28)
    >>> r.consistent, r.values["n"]
    (False, 28.0)
    """

    check: str
    consistent: bool | None
    detail: str
    values: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A private copy, so that a caller's dict cannot change a result after the fact.
        object.__setattr__(self, "values", {k: float(v) for k, v in self.values.items()})

    @property
    def status(self) -> str:
        """``"consistent"``, ``"inconsistent"`` or ``"not applicable"``."""
        if self.consistent is None:
            return "not applicable"
        return "consistent" if self.consistent else "inconsistent"

    def explain(self) -> str:
        """The verdict and its reasons in plain language."""
        return f"{self.check}: {self.status}. {self.detail}"

    def to_frame(self) -> pd.DataFrame:
        """One row per value: ``check``, ``status``, ``quantity``, ``value``."""
        rows = [(self.check, self.status, k, v) for k, v in self.values.items()]
        return pd.DataFrame(rows, columns=["check", "status", "quantity", "value"])

    def __str__(self) -> str:
        return self.explain()

    def _repr_html_(self) -> str:
        rows = [[k, f"{v:.6g}"] for k, v in self.values.items()]
        return html_table(
            ["quantity", "value"], rows, caption=f"{self.check}: {self.status}", footer=self.detail
        )
