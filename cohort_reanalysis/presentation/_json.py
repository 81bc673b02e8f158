"""An Audit as the JSON object of ``verify --format json`` (docs/json-contract.md)."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["render_json"]


def render_json(audit: Any) -> str:
    """``audit.to_dict()`` as indented JSON; NaN or infinity is an error, never printed.

    The contract keys (``dataset``, ``doi``, ``n_rows``, ``claims``, ``counts``) come first;
    extra keys follow. Floats keep full precision.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> from cohort_reanalysis.verification._audit import verify
    >>> obj = json.loads(render_json(verify(load_dataset("matsuoka2025"))))
    >>> obj["n_rows"], sorted(obj["counts"]) == sorted(
    ...     ["reproduced", "reproduced_under_alternative", "not_reproduced", "not_checkable"])
    (58, True)
    """
    return json.dumps(audit.to_dict(), indent=2, allow_nan=False)
