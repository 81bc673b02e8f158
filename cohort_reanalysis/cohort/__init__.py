"""Data layer: the validated per-patient table, its specs, provenance, errors and datasets."""

from ._cohort import Cohort
from ._datasets import DatasetInfo, Source, dataset_info, list_datasets, load_dataset
from ._errors import CohortValidationError, Problem
from ._records import Exclusion, PairedData, Patient
from ._spec import ColumnSpec, Provenance, Role

__all__ = [
    "Cohort",
    "CohortValidationError",
    "ColumnSpec",
    "DatasetInfo",
    "Exclusion",
    "PairedData",
    "Patient",
    "Problem",
    "Provenance",
    "Role",
    "Source",
    "dataset_info",
    "list_datasets",
    "load_dataset",
]
