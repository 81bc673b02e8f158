"""The specification curve: one mark per computed specification, coloured by whether it
prints as reported, the choices beneath, and errors that name the claim."""

from __future__ import annotations

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from cohort_reanalysis import load_dataset, multiverse, plot_specification_curve
from cohort_reanalysis.presentation._verdict_style import VERDICT_ACCENTS


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return multiverse(load_dataset("matsuoka2025"))


def test_one_point_per_specification_coloured_by_whether_it_prints(frame: pd.DataFrame) -> None:
    claim = "abstract.median_followup"
    part = frame[frame["claim"] == claim]
    fig = plot_specification_curve(frame, claim)
    curve, marks = fig.axes
    points = curve.collections[0]
    values = np.sort(np.asarray(points.get_offsets())[:, 1]).tolist()
    assert values == pytest.approx(np.sort(part["value"].to_numpy(dtype=float)).tolist())
    green = mcolors.to_rgba(VERDICT_ACCENTS["reproduced"])
    n_green = sum(tuple(c) == green for c in points.get_facecolors())
    assert n_green == int(part["reproduces"].sum())
    ringed = curve.collections[1].get_offsets()
    assert len(ringed) == int((part["departures"] == 0).sum()) == 1
    labels = [t.get_text() for t in marks.get_yticklabels()]
    assert "quantile_type: 9" in labels and "rows: all rows" in labels
    assert not any(label.startswith("alternative") for label in labels)  # not this claim's
    counts = f"{len(part)} specifications, {int(part['reproduces'].sum())} print as reported"
    assert counts in curve.get_title(loc="left")


def test_two_number_claims_are_segments_and_ax_is_used(frame: pd.DataFrame) -> None:
    fig = Figure()
    ax = fig.add_subplot()
    out = plot_specification_curve(frame, "results.age_range", ax=ax)
    assert out is fig and ax.collections[0].get_segments()  # vlines from low to high
    assert len(ax.child_axes) == 1  # the choices, beneath


def test_errors_name_the_claim_and_the_missing_columns(frame: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="no specification of claim 'nope'"):
        plot_specification_curve(frame, "nope")
    with pytest.raises(ValueError, match="not a multiverse frame: no column 'reproduces'"):
        plot_specification_curve(frame.drop(columns="reproduces"), "abstract.median_followup")
