"""The multiverse: every claim's value under every specification of its declared space.

Values are checked against numpy's nine quantile definitions (Hyndman & Fan, as R's
``quantile(type = )``) and against a hand computation of the rounding; the layout against
the verdicts of :func:`verify` on the same claims.
"""

from __future__ import annotations

import json
import math
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cohort_reanalysis.cohort import Cohort, load_dataset
from cohort_reanalysis.verification._audit import verify
from cohort_reanalysis.verification._multiverse import multiverse, summarize_multiverse

NUMPY_METHODS = {
    1: "inverted_cdf",
    2: "averaged_inverted_cdf",
    3: "closest_observation",
    4: "interpolated_inverted_cdf",
    5: "hazen",
    6: "weibull",
    7: "linear",
    8: "median_unbiased",
    9: "normal_unbiased",
}
X = [1.0, 2.0, 3.0, 4.0, 7.0, 9.0]


def claims_file(tmp_path: Path, claims: list[dict[str, object]]) -> Path:
    path = tmp_path / "claims.json"
    doc = {"format": "cohort-reanalysis/claims@1", "dataset": "toy", "claims": claims}
    path.write_text(json.dumps(doc))
    return path


def claim(cid: str, reported: str, quantity: dict[str, object]) -> dict[str, object]:
    return {
        "id": cid,
        "quote": "q",
        "location": "l",
        "versions": ["v"],
        "reported": reported,
        "comparator": "=",
        "unit": None,
        "quantity": quantity,
    }


@pytest.fixture
def toy(tmp_path: Path) -> tuple[Cohort, Path]:
    frame = pd.DataFrame({"before": [5.0, 6, 7, 8, 9, 10], "after": X})
    cohort = Cohort.from_frame(frame, columns={"before": "before", "after": "after"})
    path = claims_file(
        tmp_path,
        [
            claim("median_x", "4", {"statistic": "median", "variable": "after"}),
            claim("mean_x", "4.3", {"statistic": "mean", "variable": "after"}),
        ],
    )
    return cohort, path


def test_every_quantile_type_is_numpys(toy: tuple[Cohort, Path]) -> None:
    cohort, path = toy
    frame = multiverse(cohort, path)
    median = frame[frame["claim"] == "median_x"]
    assert set(median["quantile_type"]) == set(range(1, 10))
    for qtype, method in NUMPY_METHODS.items():
        values = median.loc[median["quantile_type"] == qtype, "value"]
        assert values.to_numpy() == pytest.approx(np.quantile(X, 0.5, method=method), rel=1e-12)


def test_reproduces_is_the_printed_rounding(toy: tuple[Cohort, Path]) -> None:
    cohort, path = toy
    frame = multiverse(cohort, path)
    median = frame[(frame["claim"] == "median_x") & (frame["rounding"] == "up_or_down")]
    for value, ok in zip(median["value"], median["reproduces"], strict=True):
        # "4" is any value in [3.5, 4.5]: up_or_down lets a tie go either way.
        assert ok == (Decimal("3.5") <= Decimal(repr(value)) <= Decimal("4.5")), value
    mean = frame[frame["claim"] == "mean_x"]
    assert mean["value"].iloc[0] == pytest.approx(np.mean(X), rel=1e-15)
    half_up = Decimal(repr(float(np.mean(X)))).quantize(Decimal("0.1"), ROUND_HALF_UP)
    assert bool(mean["reproduces"].iloc[0]) == (half_up == Decimal("4.3"))


def test_the_stated_method_comes_first_and_matches_the_audit() -> None:
    cohort = load_dataset("matsuoka2025")
    frame = multiverse(cohort)
    audit = verify(cohort)
    checked = 0
    for result in audit.results:
        rows = frame[frame["claim"] == result.id]
        if rows.empty:
            assert result.verdict.value == "not_checkable"
            continue
        checked += 1
        first = rows.iloc[0]
        assert first["departures"] == 0
        if result.recomputed is not None and not isinstance(result.recomputed, tuple):
            assert first["value"] == result.recomputed
        reproducing = rows[rows["reproduces"]]
        assert reproducing.empty == (result.verdict.value == "not_reproduced"), result.id
        if result.verdict.value == "reproduced":
            assert bool(first["reproduces"])
        if not reproducing.empty:
            best = reproducing.iloc[0]
            for name, value in result.specification.items():
                assert best[name] == value, (result.id, name)
    assert checked >= 30
    assert list(frame.columns[:1]) == ["claim"]
    assert list(frame.columns[-4:]) == ["value", "reproduces", "departures", "failure"]


def test_values_that_cannot_be_computed_say_why() -> None:
    frame = multiverse(load_dataset("matsuoka2025"))
    failed = frame[frame["failure"].notna()]
    assert not failed.empty
    assert failed["value"].map(lambda v: isinstance(v, float) and math.isnan(v)).all()
    assert not failed["reproduces"].any()


def test_summary_counts_and_ranges(toy: tuple[Cohort, Path]) -> None:
    cohort, path = toy
    frame = multiverse(cohort, path)
    summary = summarize_multiverse(frame)
    medians = [float(np.quantile(X, 0.5, method=m)) for m in NUMPY_METHODS.values()]
    row = summary.loc["median_x"]
    assert row["low"] == pytest.approx(min(medians)) and row["high"] == pytest.approx(max(medians))
    part = frame[frame["claim"] == "median_x"]
    assert row["specifications"] == len(part)
    assert row["share"] == pytest.approx(part["reproduces"].mean())
    with pytest.raises(ValueError, match="not a multiverse frame: no column 'value'"):
        summarize_multiverse(frame.drop(columns="value"))


@pytest.mark.parametrize("pool", [ThreadPoolExecutor, ProcessPoolExecutor])
def test_identical_on_an_executor(pool: type) -> None:
    cohort = load_dataset("matsuoka2025")
    local = multiverse(cohort)
    with pool(2) as executor:
        remote = multiverse(cohort, executor=executor)
    pd.testing.assert_frame_equal(local, remote)


def test_bad_rounding_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown rounding 'sideways'"):
        multiverse(load_dataset("matsuoka2025"), rounding="sideways")
