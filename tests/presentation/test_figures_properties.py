"""Property tests of the figures: random cohorts of other sizes (strata of one patient
included) draw without error, row order does not matter, swapping the visits swaps falls
and rises, and the pieces of arithmetic the figures do agree with independent code."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cohort_reanalysis.cohort import Cohort
from cohort_reanalysis.presentation.figures import (
    FIGURE_NAMES,
    all_figures,
    plot_before_after,
    plot_forest,
)
from cohort_reanalysis.presentation.figures._style import DIRECTIONS, line_band, t_interval

SLOW = settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FAST = settings(max_examples=40, deadline=None)


@st.composite
def cohorts(draw: Any, min_n: int = 1, max_n: int = 24) -> pd.DataFrame:
    n = draw(st.integers(min_n, max_n))
    tenth = st.integers(500, 1200).map(lambda v: v / 10.0)
    before = draw(st.lists(tenth, min_size=n, max_size=n))
    change = draw(
        st.lists(
            st.one_of(st.just(0.0), st.integers(-80, 80).map(lambda v: v / 10.0)),
            min_size=n,
            max_size=n,
        )
    )
    after = [round(b + c, 1) for b, c in zip(before, change, strict=True)]
    if n > 2 and draw(st.booleans()):
        after[draw(st.integers(0, n - 1))] = math.nan  # a row to leave out
    return pd.DataFrame(
        {
            "b": before,
            "a": after,
            "d": draw(st.lists(st.sampled_from([50.0, 100.0, 400.0]), min_size=n, max_size=n)),
            "f": draw(st.lists(st.integers(1, 60).map(float), min_size=n, max_size=n)),
            "s": draw(st.lists(st.sampled_from(["M", "F"]), min_size=n, max_size=n)),
        }
    )


def to_cohort(frame: pd.DataFrame) -> Cohort:
    return Cohort.from_frame(
        frame,
        columns={"before": "b", "after": "a", "dose": "d", "followup": "f", "sex": "s"},
        measure="weight",
        unit="kg",
    )


def render(fig: Any) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        FigureCanvasAgg(fig).draw()


@SLOW
@given(cohorts())
def test_random_cohorts_draw(frame: pd.DataFrame) -> None:
    cohort = to_cohort(frame)
    complete = int(frame[["b", "a"]].notna().all(axis=1).sum())
    figs: Any = all_figures(cohort, n_resamples=50, footer=False)
    assert list(figs) == [n for n in FIGURE_NAMES if n != "audit"]
    patients = figs["before_after"].axes[0].collections[0]
    assert len(patients.get_segments()) == complete
    # The Cumming plot (a stratum may hold one patient, or none) lays out and draws.
    render(figs["severity_subgroups"])
    overall = figs["forest"].axes[0].texts[-1].get_text()
    assert overall.startswith(f"n = {complete} ")


@SLOW
@given(cohorts(min_n=2, max_n=15), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(frame: pd.DataFrame, rnd: Any) -> None:
    order = list(range(len(frame)))
    rnd.shuffle(order)
    shuffled = frame.iloc[order].reset_index(drop=True)
    a, b = to_cohort(frame), to_cohort(shuffled)
    seg_a = sorted(map(tuple, (s.ravel() for s in _segments(a))))
    seg_b = sorted(map(tuple, (s.ravel() for s in _segments(b))))
    assert np.allclose(seg_a, seg_b, rtol=0, atol=1e-12)
    texts_a = [t.get_text() for t in plot_forest({"all": None}, overall=a).texts]
    texts_b = [t.get_text() for t in plot_forest({"all": None}, overall=b).texts]
    assert texts_a == texts_b


def _segments(cohort: Cohort) -> list[np.ndarray]:
    ax: Any = plot_before_after(cohort, show_means=False)
    return list(ax.collections[0].get_segments())


@SLOW
@given(cohorts(min_n=1, max_n=15))
def test_swapping_visits_swaps_falls_and_rises(frame: pd.DataFrame) -> None:
    from matplotlib.colors import to_hex

    swapped = frame.rename(columns={"b": "a", "a": "b"})
    assume(swapped["b"].notna().any())

    def counts(c: Cohort) -> dict[str, int]:
        ax: Any = plot_before_after(c)
        colours = [to_hex(x) for x in ax.collections[0].get_colors()]
        return {k: colours.count(to_hex(s.colour)) for k, s in DIRECTIONS.items()}

    one, two = counts(to_cohort(frame)), counts(to_cohort(swapped))
    assert (one["fall"], one["rise"], one["none"]) == (two["rise"], two["fall"], two["none"])


# ---------------------------------------------------------------------------- arithmetic


@FAST
@given(
    st.integers(0, 99_999),
    st.integers(0, 4),
    st.sampled_from(["up_or_down", "half_up", "half_even", "truncate"]),
    st.floats(-3.0, 3.0),
)
def test_audit_position_inside_iff_interval_contains(
    digits: int, decimals: int, rounding: str, where: float
) -> None:
    """|position| <= 1 exactly when the verification's interval holds the value."""
    from cohort_reanalysis.presentation.figures._audit import _normaliser
    from cohort_reanalysis.verification._interval import contains, interval

    text = f"{digits / 10**decimals:.{decimals}f}"
    ((position, region),) = _normaliser(text, "=", 1.0, "mean", rounding)
    iv = interval(text, rounding=rounding)  # type: ignore[arg-type]
    half = (float(iv.high) - float(iv.low)) / 2.0
    x = (float(iv.low) + float(iv.high)) / 2.0 + where * half
    assume(abs(abs(where) - 1.0) > 1e-6)  # away from the ends, where openness matters
    assert (region[0] <= position(x) <= region[1]) == contains(iv, x)
    assert position(x) == pytest.approx(where, abs=1e-6)


@FAST
@given(
    st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=2, max_size=30),
    st.floats(0.5, 0.999),
)
def test_t_interval_matches_scipy(x: list[float], level: float) -> None:
    from scipy import stats

    a = np.asarray(x)
    assume(np.std(a) > 1e-6 * (1 + np.abs(a).max()))
    mean, lo, hi = t_interval(a, level)  # type: ignore[misc]
    assert mean == pytest.approx(a.mean(), rel=1e-12, abs=1e-12)
    want = stats.t.interval(level, a.size - 1, loc=a.mean(), scale=stats.sem(a))
    assert (lo, hi) == pytest.approx(want, rel=1e-9, abs=1e-9)


@FAST
@given(st.integers(3, 40), st.integers(0, 2**32 - 1))
def test_line_band_matches_statsmodels(n: int, seed: int) -> None:
    import statsmodels.api as sm

    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = 2.0 * x + rng.normal(size=n)
    grid = np.linspace(-2, 2, 5)
    band = line_band(x, y, grid)
    assert band is not None
    frame = (
        sm.OLS(y, sm.add_constant(x)).fit().get_prediction(sm.add_constant(grid)).summary_frame()
    )
    assert band.low == pytest.approx(frame["mean_ci_lower"].to_numpy(), rel=1e-8, abs=1e-10)
    assert band.high == pytest.approx(frame["mean_ci_upper"].to_numpy(), rel=1e-8, abs=1e-10)


@FAST
@given(
    doses=st.lists(st.sampled_from([1.0, 5.0, 10.0, 50.0, 100.0, 400.0, 2000.0]), min_size=1),
    cutoffs=st.lists(st.sampled_from([5.0, 30.0, 100.0, 1000.0]), max_size=2, unique=True),
    boundary=st.sampled_from(["lower", "upper"]),
    log=st.booleans(),
    jitter=st.sampled_from([0.0, 0.08, 0.5]),
    seed=st.integers(0, 2**16),
)
def test_jitter_stays_in_its_dose_neighbourhood(
    doses: list[float],
    cutoffs: list[float],
    boundary: Any,
    log: bool,
    jitter: float,
    seed: int,
) -> None:
    from cohort_reanalysis.presentation.figures._dose import jitter_positions

    d = np.array(doses)
    cuts = sorted(cutoffs)
    x, strips = jitter_positions(
        d, log=log, jitter=jitter, rng=np.random.default_rng(seed), cutoffs=cuts, boundary=boundary
    )
    assert np.all((strips[:, 0] <= x) & (x <= strips[:, 1]))
    levels = np.unique(d)
    if levels.size > 1:
        # Never past the data's range, never half-way to a neighbouring dose.
        assert np.all((x >= levels[0]) & (x <= levels[-1]))
        t, tx = (np.log10(d), np.log10(x)) if log else (d, x)
        for value, moved in zip(t, tx, strict=True):
            others = np.abs(np.unique(t) - value)
            gap = others[others > 0].min()
            assert abs(moved - value) <= 0.4 * gap + 1e-9
    # Never across a cutoff: a point stays on its dose's side (boundary: where a tie goes).
    for cutoff in cuts:
        below = d < cutoff if boundary == "upper" else d <= cutoff
        assert np.all(x[below] <= cutoff) and np.all(x[~below] >= cutoff)
    if jitter == 0.0:
        assert np.array_equal(x, d)
