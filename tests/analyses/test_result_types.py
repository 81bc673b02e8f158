"""Every public result type displays in Jupyter and in a terminal, and none hides a warning or
the reason a value is missing: each appears in ``__str__``, ``_repr_html_``, ``explain()``
and ``to_frame()``."""

from __future__ import annotations

from collections.abc import Callable
from html import unescape
from typing import Any

import numpy as np
import pandas as pd
import pytest

import cohort_reanalysis as cr
from cohort_reanalysis.cohort import Cohort, load_dataset

# Result types of other layers, and why they are not held to the analyses' four methods.
NOT_ANALYSES = {
    "ClaimResult": "a verdict of the verification layer (no to_frame or explain)",
    "SpriteResult": "a summary-level check of the verification layer (samples, not a table)",
}


def _small(cohort: Cohort, n: int) -> Any:
    pairs = cohort.pair()
    return pairs.select(np.arange(pairs.n) < n)


# For each result type: a real computation on the bundled table, and a text that must be
# printed everywhere: a warning, or the reason a value is missing.
CASES: dict[str, tuple[Callable[[Cohort], Any], str]] = {
    "PairedChangeResult": (
        lambda c: cr.paired_change(_small(c, 1)),
        "a single pair has no spread",
    ),
    "TableOne": (lambda c: cr.table_one(c), "the source reports n = 61"),
    "SubgroupsResult": (
        lambda c: cr.severity_subgroups(c, cutoffs=[6.35, 12]),
        "a single pair has no spread",
    ),
    "DoseResponseResult": (
        lambda c: cr.dose_response(c, thresholds=[600, 1000]),
        "a single pair has no spread",
    ),
    "FollowupResult": (lambda c: cr.followup_effect(c), "no equivalence_bounds given"),
    "RegressionToMeanResult": (
        lambda c: cr.regression_to_mean(c, reliability=0.8, cutoff=8.0),
        "46 baseline values are not above the cutoff 8",
    ),
    "PowerResult": (
        lambda c: cr.simulate_power(20, true_change=-0.5, sd_change=1.0, test="wilcoxon", seed=1),
        "no closed form is used for this test",
    ),
    "BootstrapResult": (
        lambda c: cr.paired_change(_small(c, 6)).bootstrap(n_resamples=2000, seed=1),
        "n = 6 is too small for the BCa bootstrap interval to be trusted",
    ),
    "PermutationResult": (
        lambda c: cr.paired_change(_small(c, 4)).permutation(n_resamples=500, seed=1),
        "cannot reach 0.05",
    ),
}


@pytest.fixture(scope="module")
def msc() -> Cohort:
    return load_dataset("matsuoka2025")


def test_every_public_result_type_is_covered() -> None:
    public = {
        name
        for name in cr.__all__
        if name.endswith("Result") or name == "TableOne"
        if name not in NOT_ANALYSES
    }
    assert public | {"BootstrapResult", "PermutationResult"} == set(CASES)


def _flat(text: str) -> str:
    return " ".join(unescape(text).split()).lower()


@pytest.mark.parametrize("name", list(CASES))
def test_displays_and_shows_its_caveat_everywhere(msc: Cohort, name: str) -> None:
    run, caveat = CASES[name]
    result = run(msc)
    assert type(result).__name__ == name
    text, page, explanation = str(result), result._repr_html_(), result.explain()
    assert page.startswith("<div>") and "<table" in page and page.endswith("</div>")
    assert text.splitlines()[0] and len(explanation) > 200
    frame = result.to_frame()
    assert isinstance(frame, pd.DataFrame) and len(frame) >= 1
    notes = " ".join(
        str(v) for column in ("note", "value") if column in frame for v in frame[column]
    )
    for where, shown in (("str", text), ("html", page), ("explain", explanation), ("frame", notes)):
        assert caveat.lower() in _flat(shown), f"{name}: {caveat!r} not in {where}"
    assert result.caveats(), name
