"""Re-analyse patient-level tables printed in clinical papers, and check every stated number.

The public API lives here; everything else is private. Names load on first use (PEP 562), so
``import cohort_reanalysis`` costs little more than ``import pandas``: scipy, matplotlib and
pingouin are imported only by the functions that need them.

Examples
--------
>>> import cohort_reanalysis as cr
>>> cohort = cr.load_dataset("matsuoka2025")
>>> len(cohort)
58
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .cohort import (
    Cohort,
    CohortValidationError,
    ColumnSpec,
    DatasetInfo,
    Exclusion,
    PairedData,
    Patient,
    Provenance,
    Role,
    dataset_info,
    list_datasets,
    load_dataset,
)

__version__ = "0.1.0.dev0"

# name -> module that defines it; imported on first attribute access.
_LAZY: dict[str, str] = {}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    pass

__all__ = [
    "Cohort",
    "CohortValidationError",
    "ColumnSpec",
    "DatasetInfo",
    "Exclusion",
    "PairedData",
    "Patient",
    "Provenance",
    "Role",
    "__version__",
    "dataset_info",
    "list_datasets",
    "load_dataset",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cohort_reanalysis' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
