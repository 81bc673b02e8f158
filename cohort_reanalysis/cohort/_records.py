"""What a Cohort hands out: typed rows, before/after pairs, and the rows left out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from ._spec import reduce_frozen

__all__ = ["Exclusion", "PairedData", "Patient"]


@dataclass(frozen=True)
class Exclusion:
    """A row left out of an analysis, and why. ``row`` is numbered as in the file.

    Examples
    --------
    >>> import pandas as pd
    >>> from cohort_reanalysis import Cohort
    >>> frame = pd.DataFrame({"b": [80.0, None, 71.0], "a": [78.0, 70.0, 71.5]})
    >>> Cohort.from_frame(frame, columns={"before": "b", "after": "a"}).pair().excluded
    (Exclusion(row=2, reason='b missing'),)
    """

    row: int
    reason: str


@dataclass(frozen=True)
class Patient:
    """One row of a cohort, typed. ``values`` holds every column by name.

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset
    >>> patient = next(iter(load_dataset("matsuoka2025")))
    >>> patient.row, patient.sex, patient.before, patient.after, round(patient.change, 12)
    (1, 'M', 7.5, 6.4, -1.1)
    """

    row: int
    id: str | None
    sex: str | None
    age: float | None
    dose: float | None
    before: float | None
    after: float | None
    followup: float | None
    group: str | None
    values: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return reduce_frozen(self)

    @property
    def change(self) -> float | None:
        """``after - before``, or ``None`` if either is missing."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class PairedData:
    """The before/after pairs an analysis uses, aligned extras, and the rows left out.

    Change is ``after - before``. ``rows`` are the file row numbers of the pairs used;
    ``excluded`` lists every other row of the cohort with its reason; ``source`` says where
    the table comes from (for the footers of results).

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset
    >>> pairs = load_dataset("matsuoka2025").pair()
    >>> pairs.n, pairs.rows[:3].tolist(), pairs.change[:3].round(12).tolist(), pairs.excluded
    (58, [1, 2, 3], [-1.1, -2.6, -0.9], ())
    """

    before: np.ndarray
    after: np.ndarray
    rows: np.ndarray
    excluded: tuple[Exclusion, ...]
    measure: str | None = None
    unit: str | None = None
    before_label: str = "before"
    after_label: str = "after"
    extra: Mapping[str, np.ndarray] = field(default_factory=lambda: MappingProxyType({}))
    source: str | None = None

    def __post_init__(self) -> None:
        for array in (self.before, self.after, self.rows, *self.extra.values()):
            array.setflags(write=False)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return reduce_frozen(self)

    @property
    def n(self) -> int:
        return int(self.rows.size)

    @property
    def change(self) -> np.ndarray:
        return self.after - self.before

    @property
    def n_excluded(self) -> int:
        return len(self.excluded)

    def select(self, mask: np.ndarray) -> PairedData:
        """The pairs where ``mask`` holds (a stratum); exclusions are kept as they were."""
        mask = np.asarray(mask, dtype=bool)
        return PairedData(
            before=self.before[mask],
            after=self.after[mask],
            rows=self.rows[mask],
            excluded=self.excluded,
            measure=self.measure,
            unit=self.unit,
            before_label=self.before_label,
            after_label=self.after_label,
            extra=MappingProxyType({k: v[mask] for k, v in self.extra.items()}),
            source=self.source,
        )
