"""Figures (presentation.figures): what each draws for the bundled dataset, checked against
numbers from independent sources (the CSV read with pandas, R reference values, scipy,
statsmodels, closed forms, simulation), a structural snapshot of every figure, edge cases,
and the promises of the layer (lazy import, no global state, one LineCollection).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from cohort_reanalysis._format import format_number
from cohort_reanalysis.cohort import Cohort, load_dataset
from cohort_reanalysis.presentation.figures import (
    all_figures,
    caption,
    encode_figures,
    plot_audit,
    plot_before_after,
    plot_dose_response,
    plot_estimation,
    plot_followup,
    plot_forest,
    plot_regression_to_mean,
    plot_subgroup_estimates,
    save_figures,
)
from cohort_reanalysis.presentation.figures._audit import VERDICT_STYLE, audit_rows
from cohort_reanalysis.presentation.figures._estimation import density
from cohort_reanalysis.presentation.figures._rtm import expected_change_line
from cohort_reanalysis.presentation.figures._style import DIRECTIONS, line_band, t_interval

ROOT = Path(__file__).resolve().parents[2]
CSV = ROOT / "datasets" / "matsuoka2025" / "patients.csv"
R = json.loads((ROOT / "tests" / "reference" / "msc58_R.json").read_text())


def minus(text: str) -> str:
    """Figures print a real minus sign."""
    return text.replace("-", "−")


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    """The patient table read straight from the CSV, independent of the cohort loader."""
    t = pd.read_csv(CSV)
    t["change"] = t["hba1c_after"] - t["hba1c_before"]
    return t


@pytest.fixture(scope="module")
def cohort() -> Cohort:
    return load_dataset("matsuoka2025")


@pytest.fixture(scope="module")
def audit(cohort: Cohort) -> Any:
    from cohort_reanalysis.verification._audit import verify

    return verify(cohort)


@pytest.fixture(scope="module")
def figures(cohort: Cohort, audit: Any) -> dict[str, Any]:
    return all_figures(cohort, audit)


def render(fig: Any) -> None:
    """Draw with Agg; any warning (e.g. a collapsed layout) is an error."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        FigureCanvasAgg(fig).draw()


def make_cohort(before: list[float], after: list[float], **extra: list[Any]) -> Cohort:
    frame = pd.DataFrame({"b": before, "a": after, **extra})
    roles = {"before": "b", "after": "a"}
    roles.update({k: k for k in extra})
    columns = {{"d": "dose", "f": "followup", "s": "sex"}.get(k, k): v for k, v in roles.items()}
    return Cohort.from_frame(frame, columns=columns, measure="weight", unit="kg")


# ---------------------------------------------------------------------------- the layer


def test_importing_figures_does_not_import_matplotlib() -> None:
    code = (
        "import sys, cohort_reanalysis, cohort_reanalysis.presentation.figures as f; "
        "print(any(m.split('.')[0] == 'matplotlib' for m in sys.modules), "
        "'scipy.stats' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.split() == ["False", "False"]


def test_drawing_changes_no_global_state(cohort: Cohort) -> None:
    import matplotlib

    def settings() -> dict[str, Any]:
        # Reading "backend" could resolve (and import) a backend: leave it out.
        return {k: matplotlib.rcParams[k] for k in matplotlib.rcParams if k != "backend"}

    before = settings()
    had_pyplot = "matplotlib.pyplot" in sys.modules
    if had_pyplot:
        from matplotlib import pyplot as plt

        open_figures = plt.get_fignums()
    ax: Any = plot_before_after(cohort)
    render(ax.figure)
    assert settings() == before
    if had_pyplot:
        assert plt.get_fignums() == open_figures
    else:
        assert "matplotlib.pyplot" not in sys.modules
    # Yet the local style reached the artists: no top/right spines, small title.
    assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()


def test_given_axes_are_used(cohort: Cohort) -> None:
    from matplotlib.figure import Figure

    fig = Figure()
    axes = fig.subplots(1, 2)
    assert plot_before_after(cohort, ax=axes[0]) is axes[0]
    assert plot_forest({"all": None}, overall=cohort, ax=axes[1]) is axes[1]
    assert len(fig.axes) == 2


# ---------------------------------------------------------------------------- before/after


def test_before_after_one_collection_of_patient_lines(cohort: Cohort, table: pd.DataFrame) -> None:
    from matplotlib.collections import LineCollection

    ax: Any = plot_before_after(cohort)
    patients = [c for c in ax.collections if len(c.get_segments()) == len(table)]
    assert len(patients) == 1 and isinstance(patients[0], LineCollection)
    segments = patients[0].get_segments()
    drawn = sorted((float(s[0, 1]), float(s[1, 1])) for s in segments)
    expected = sorted(zip(table["hba1c_before"], table["hba1c_after"], strict=True))
    np.testing.assert_allclose(np.array(drawn), np.array(expected), rtol=0, atol=1e-12)
    assert {float(s[0, 0]) for s in segments} == {0.0}
    assert {float(s[1, 0]) for s in segments} == {1.0}
    # Colour by direction, counted from the CSV: 50 falls, 7 rises, 1 unchanged.
    from matplotlib.colors import to_hex

    colours = [to_hex(c) for c in np.asarray(patients[0].get_colors())]
    for key, style in DIRECTIONS.items():
        want = {
            "fall": (table["change"] < 0).sum(),
            "rise": (table["change"] > 0).sum(),
            "none": (table["change"] == 0).sum(),
        }[key]
        assert colours.count(to_hex(style.colour)) == want
    legend = [t.get_text() for t in ax.get_legend().texts]
    assert "fall (n = 50)" in legend and "rise (n = 7)" in legend
    assert "no change (n = 1)" in legend


def test_directions_differ_by_line_style_too() -> None:
    """Grayscale prints keep directions apart: three different dash patterns and colours."""
    styles = [str(s.linestyle) for s in DIRECTIONS.values()]
    colours = [s.colour for s in DIRECTIONS.values()]
    assert len(set(styles)) == 3 and len(set(colours)) == 3


def test_before_after_means_and_t_intervals(cohort: Cohort, table: pd.DataFrame) -> None:
    from scipy import stats

    ax: Any = plot_before_after(cohort)
    bars = [c for c in ax.collections if len(c.get_segments()) == 2]
    assert len(bars) == 1
    got = sorted((float(s[0, 1]), float(s[1, 1])) for s in bars[0].get_segments())
    want = []
    for column in ("hba1c_before", "hba1c_after"):
        x = table[column].to_numpy()
        lo, hi = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
        want.append((lo, hi))
    np.testing.assert_allclose(np.array(got), np.array(sorted(want)), rtol=1e-12)


def test_before_after_labels_and_stated_test(cohort: Cohort) -> None:
    ax: Any = plot_before_after(cohort)
    assert ax.get_ylabel() == "HbA1c (%)"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["baseline", "last follow-up"]
    title = ax.get_title(loc="left")
    lo, hi = R["msc_paired"]["ci"]  # before - after; the figure shows after - before
    assert "n = 58 pairs" in title
    assert minus(f"{format_number(-hi)} to {format_number(-lo)}") in title
    assert minus(f"t({R['msc_paired']['df']}) = {format_number(-R['msc_paired']['t'])}") in title
    assert "p = 1.1e−06" in title


def test_t_interval_matches_scipy() -> None:
    from scipy import stats

    x = np.array([6.1, 7.3, 8.8, 5.0, 7.7, 9.9, 6.6])
    got = t_interval(x, 0.9)
    assert got is not None
    mean, lo, hi = got
    want = stats.t.interval(0.9, x.size - 1, loc=x.mean(), scale=stats.sem(x))
    assert (mean, lo, hi) == pytest.approx((x.mean(), *want), rel=1e-12)
    assert t_interval([3.0], 0.95) is None
    assert t_interval([2.0, 2.0, 2.0], 0.95) is None


# ---------------------------------------------------------------------------- estimation


def test_estimation_axes_are_aligned_and_ci_is_bootstrap(cohort: Cohort) -> None:
    from cohort_reanalysis.analyses._paired import paired_change

    res = paired_change(cohort)
    ax: Any = plot_estimation(res, n_resamples=2000, seed=3)
    secondary = ax.child_axes[0]
    # Zero change sits at the mean before; the mean change at the mean after.
    to_change = secondary._functions[0]  # (forward, inverse) given to secondary_yaxis
    assert to_change(res.mean_before) == pytest.approx(0.0, abs=1e-12)
    assert to_change(res.mean_after) == pytest.approx(res.estimate, abs=1e-12)
    boot = res.bootstrap(n_resamples=2000, seed=3)
    bar = [
        s
        for c in ax.collections
        if hasattr(c, "get_segments")
        for s in c.get_segments()
        if len(s) == 2 and s[0, 0] == s[1, 0] == 2.0
    ]
    assert len(bar) == 1
    ends = sorted(float(v) - res.mean_before for v in bar[0][:, 1])
    assert ends == pytest.approx([boot.ci_low, boot.ci_high], abs=1e-12)
    # The bootstrap CI is close to R's t interval (a sanity check of the two methods).
    lo, hi = R["msc_paired"]["ci"]
    assert boot.ci_low == pytest.approx(-hi, abs=0.15)
    assert boot.ci_high == pytest.approx(-lo, abs=0.15)
    assert "5000" not in ax.get_title(loc="left") and "2000 resamples" in ax.get_title(loc="left")


def test_density_matches_scipy_gaussian_kde() -> None:
    from scipy.stats import gaussian_kde

    x = np.random.default_rng(7).gamma(3.0, size=4000)
    grid = np.linspace(0.5, 8.0, 40)
    sd = x.std(ddof=1)
    iqr = np.subtract(*np.percentile(x, [75, 25]))
    bw = 0.9 * min(sd, iqr / 1.349) * x.size ** (-0.2)  # Silverman's rule of thumb
    want = gaussian_kde(x, bw_method=bw / sd)(grid)
    assert density(x, grid) == pytest.approx(want, rel=1e-3, abs=1e-5)
    assert not np.any(density(np.ones(5), grid))


def test_cumming_plot_strata(cohort: Cohort, table: pd.DataFrame) -> None:
    from cohort_reanalysis.analyses._subgroups import severity_subgroups

    sub = severity_subgroups(cohort)
    fig: Any = plot_subgroup_estimates(sub, n_resamples=1000)
    top, bottom = fig.axes
    assert len(top.collections) == 1  # every patient of every stratum in one collection
    segments = top.collections[0].get_segments()
    moderate = int((table["hba1c_before"] <= 8.0).sum())
    assert moderate == 46
    starts = np.array([s[0, 0] for s in segments])
    assert (starts == 0.0).sum() == moderate and (starts == 3.0).sum() == len(table) - moderate
    labels = [t.get_text() for t in bottom.get_xticklabels()]
    assert labels == [f"{sub.strata.labels[0]}\nn = 46", f"{sub.strata.labels[1]}\nn = 12"]
    assert "Welch t" in bottom.get_title(loc="left")


def _t_bars(ax: Any) -> list[tuple[float, float, float]]:
    """The dashed vertical bars of ``ax``: (x, low, high) of each."""
    out = []
    for c in ax.collections:
        if c.get_label() != "_t CI":
            continue
        for seg in c.get_segments():
            out.append((float(seg[0, 0]), *sorted(float(v) for v in seg[:, 1])))
    return out


def _t_ci(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    from scipy import stats

    half = stats.t.ppf(0.5 + level / 2, values.size - 1) * stats.sem(values)
    return float(values.mean() - half), float(values.mean() + half)


def test_cumming_plot_draws_the_t_ci_beside_a_bootstrap_of_too_few(
    cohort: Cohort, table: pd.DataFrame
) -> None:
    from cohort_reanalysis.analyses._subgroups import severity_subgroups
    from cohort_reanalysis.presentation.figures._estimation import T_CI_SHIFT

    fig: Any = plot_subgroup_estimates(severity_subgroups(cohort), n_resamples=1000)
    bottom = fig.axes[1]
    # Only the severe stratum (12 patients, fewer than 20) gets the t interval beside it.
    severe = table.loc[table["hba1c_before"] > 8.0, "change"].to_numpy()
    ((x, low, high),) = _t_bars(bottom)
    assert x == pytest.approx(3.5 - T_CI_SHIFT * 0.9)  # left of the second stratum's bar
    assert (low, high) == pytest.approx(_t_ci(severe), rel=1e-9)
    title = bottom.get_title(loc="left").replace("\n", " ")
    assert "n < 20 in HbA1c > 8 %: too small for the bootstrap CI to be trusted" in title
    assert "HbA1c ≤ 8 %:" not in title
    legend = " ".join(t.get_text() for t in bottom.get_legend().texts).replace("\n", " ")
    assert "95% t CI (n < 20)" in legend and "95% bootstrap CI" in legend


def test_estimation_plot_of_too_few_says_so_and_shows_the_t_ci() -> None:
    before = [80.0, 90.0, 70.0, 85.0, 77.0, 95.0]
    after = [78.0, 91.0, 66.0, 80.0, 77.5, 90.0]
    ax: Any = plot_estimation(make_cohort(before, after), n_resamples=1000)
    ((x, low, high),) = _t_bars(ax)
    assert x == pytest.approx(2.0 - 0.22 * 0.45)  # left of the bootstrap bar at x = 2
    change = np.subtract(after, before)
    offset = float(np.mean(before))  # the change axis's zero is the mean before
    assert (low - offset, high - offset) == pytest.approx(_t_ci(change), rel=1e-9)
    title = ax.get_title(loc="left").replace("\n", " ")
    assert "n < 20: too small for the bootstrap CI to be trusted" in title
    # With enough patients (58), no t bar and no warning.
    big: Any = plot_estimation(load_dataset("matsuoka2025"), n_resamples=1000)
    assert _t_bars(big) == [] and "too small" not in big.get_title(loc="left")


# ---------------------------------------------------------------------------- dose


def test_dose_response(cohort: Cohort, table: pd.DataFrame) -> None:
    from cohort_reanalysis.analyses._dose import dose_response

    ax: Any = plot_dose_response(dose_response(cohort), seed=1)
    assert ax.get_xscale() == "log"
    points = ax.collections[[type(c).__name__ for c in ax.collections].index("PathCollection")]
    xy = points.get_offsets()
    assert sorted(xy[:, 1]) == pytest.approx(sorted(table["change"]))
    # Jitter stays in the dose's own neighbourhood, in log space: at most 0.4 of the gap to
    # the nearest dose, never past the data's range (2000 is the largest dose: no point
    # right of it) and never across the 1000 threshold (a dose of 1000 is in "≥ 1000").
    order = np.argsort(xy[:, 1], kind="stable")
    nearest = {100.0: 400.0, 400.0: 500.0, 500.0: 400.0, 700.0: 500.0, 1000.0: 700.0}
    by_change = table.sort_values("change", kind="stable")["dose_million"].to_numpy()
    for x, dose in zip(xy[order, 0], by_change, strict=True):
        other = nearest.get(dose, 1000.0)
        assert abs(math.log10(x / dose)) <= 0.4 * abs(math.log10(other / dose)) + 1e-12
        assert 100.0 <= x <= 2000.0
        assert (x >= 1000.0) == (dose >= 1000.0), (x, dose)
    # The shading of each dose group starts at its threshold: "< 1000" spans 100 to 1000,
    # "≥ 1000" 1000 to 2000 (the data's range), each with its mean as a line across it.
    from matplotlib.patches import Rectangle

    boxes = [p for p in ax.patches if isinstance(p, Rectangle)]
    spans = sorted((b.get_x(), b.get_x() + b.get_width()) for b in boxes)
    assert spans == [pytest.approx((100.0, 1000.0)), pytest.approx((1000.0, 2000.0))]
    assert ax.get_xlabel() == "Dose (million cells), log scale"
    # Legend: Pearson r and p of dose with the change (R: with the reduction).
    legend = " ".join(t.get_text() for t in ax.get_legend().texts).replace("\n", " ")
    r = R["msc_cor_dose_pearson"]
    assert minus(f"r = {format_number(-r['r'])}") in legend
    assert f"p = {r['p']:.3f}" in legend
    # The fitted line is the least-squares line of change on dose: slope r * sd(y) / sd(x).
    line = max(ax.lines, key=lambda ln: len(ln.get_xdata()))
    x, y = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
    slope = (y[-1] - y[0]) / (x[-1] - x[0])
    want = -r["r"] * table["change"].std() / table["dose_million"].std()
    assert slope == pytest.approx(want, rel=1e-9)


def test_line_band_matches_statsmodels() -> None:
    import statsmodels.api as sm

    rng = np.random.default_rng(11)
    x = rng.uniform(0, 10, 40)
    y = 1.5 - 0.3 * x + rng.normal(0, 1, 40)
    grid = np.linspace(-1, 11, 7)
    band = line_band(x, y, grid, confidence_level=0.9)
    assert band is not None
    fit = sm.OLS(y, sm.add_constant(x)).fit()
    pred = fit.get_prediction(sm.add_constant(grid)).summary_frame(alpha=0.1)
    assert band.fit == pytest.approx(pred["mean"].to_numpy(), rel=1e-10)
    assert band.low == pytest.approx(pred["mean_ci_lower"].to_numpy(), rel=1e-10)
    assert band.high == pytest.approx(pred["mean_ci_upper"].to_numpy(), rel=1e-10)
    assert line_band([1.0, 2.0], [1.0, 2.0], grid) is None
    assert line_band([1.0, 1.0, 1.0], [1.0, 2.0, 3.0], grid) is None


def test_dose_non_positive_falls_back_to_linear_axis() -> None:
    c = make_cohort([80.0, 90, 70, 85], [78.0, 91, 69, 80], d=[0.0, 100, 200, 200])
    ax: Any = plot_dose_response(c)
    assert ax.get_xscale() == "linear"
    assert "dose ≤ 0" in ax.get_title(loc="left")
    with pytest.raises(ValueError, match="jitter"):
        plot_dose_response(c, jitter=-0.1)


# ---------------------------------------------------------------------------- follow-up


def test_followup_slope_and_bands(cohort: Cohort, table: pd.DataFrame) -> None:
    ax: Any = plot_followup(cohort)
    lm = R["msc_lm_months"]  # reduction ~ months; change = -reduction
    line = max(ax.lines, key=lambda ln: len(ln.get_xdata()))
    x, y = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
    assert y == pytest.approx(-lm["coef"][0] - lm["coef"][1] * x, rel=1e-9)
    legend = " ".join(t.get_text() for t in ax.get_legend().texts).replace("\n", " ")
    lo, hi = lm["ci_slope"]
    assert minus(f"CI {format_number(-hi)} to {format_number(-lo)}") in legend
    q1, median, q3 = R["msc_months_quantiles_types1to9"]["by_type"]["7"]
    title = ax.get_title(loc="left")
    assert f"median {median:g}" in title and f"IQR {q1:g} to {q3:g}" in title
    # Band means at the bands' median follow-up (bands <= 12, (12, 36], > 36).
    bands = pd.cut(table["months"], [-np.inf, 12, 36, np.inf])
    want = table.groupby(bands, observed=True).agg(x=("months", "median"), y=("change", "mean"))
    means = [ln for ln in ax.lines if ln.get_marker() == "D"]
    assert len(means) == 1
    assert np.asarray(means[0].get_xdata()) == pytest.approx(want["x"].to_numpy())
    assert np.asarray(means[0].get_ydata()) == pytest.approx(want["y"].to_numpy(), rel=1e-12)


# ---------------------------------------------------------------------------- forest


def test_forest_rows_counts_and_overall(figures: dict[str, Any], table: pd.DataFrame) -> None:
    ax = figures["forest"].axes[0]
    texts = [t.get_text() for t in ax.texts]
    sizes = [int(t.split()[2]) for t in texts if t.startswith("n = ") and "no patients" not in t]
    dose_low = int((table["dose_million"] < 1000).sum())
    months = table["months"]
    want = [
        46,
        12,
        dose_low,
        len(table) - dose_low,
        int((months <= 12).sum()),
        int(((months > 12) & (months <= 36)).sum()),
        int((months > 36).sum()),
        int((table["sex"] == "F").sum()),
        int((table["sex"] == "M").sum()),
        len(table),
    ]
    assert sizes == want
    for header in ("Baseline severity", "Dose group", "Follow-up", "Sex", "All patients"):
        assert header in texts
    # The overall diamond spans R's paired t interval (sign flipped to after - before).
    diamond = ax.patches[0].get_xy()
    lo, hi = R["msc_paired"]["ci"]
    assert [min(diamond[:, 0]), max(diamond[:, 0])] == pytest.approx([-hi, -lo], rel=1e-12)
    assert np.mean(diamond[:4, 0][[1, 3]]) == pytest.approx(-R["msc_paired"]["est"], rel=1e-12)


def test_forest_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="nothing to plot"):
        plot_forest({})
    with pytest.raises(TypeError):
        plot_forest({"x": 3.0})  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        plot_before_after("matsuoka2025")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- RTM


def test_expected_change_line_by_simulation() -> None:
    """With no treatment effect, change regressed on baseline has slope -(1 - rho) and crosses
    zero at the population mean (simulated truth: rho = 0.7, mu = 8)."""
    rng = np.random.default_rng(2024)
    n, mu, rho = 400_000, 8.0, 0.7
    true = rng.normal(mu, math.sqrt(rho), n)
    before = true + rng.normal(0.0, math.sqrt(1 - rho), n)
    after = true + rng.normal(0.0, math.sqrt(1 - rho), n)
    slope, intercept = np.polyfit(before, after - before, 1)
    grid = np.array([6.0, 10.0])
    want = intercept + slope * grid
    got = expected_change_line(grid, reliability=rho, population_mean=mu)
    assert got == pytest.approx(want, abs=0.01)
    with pytest.raises(ValueError):
        expected_change_line(grid, reliability=0.0, population_mean=mu)


def test_rtm_lines(cohort: Cohort, table: pd.DataFrame) -> None:
    ax: Any = plot_regression_to_mean(cohort, reliability=0.6)
    long = [ln for ln in ax.lines if len(ln.get_xdata()) > 2]
    assert len(long) == 2
    observed, expected = long
    x = np.asarray(observed.get_xdata())
    slope, intercept = np.polyfit(table["hba1c_before"], table["change"], 1)
    assert np.asarray(observed.get_ydata()) == pytest.approx(intercept + slope * x, rel=1e-9)
    mu = table["hba1c_before"].mean()
    assert np.asarray(expected.get_ydata()) == pytest.approx(-(1 - 0.6) * (x - mu), abs=1e-12)
    legend = " ".join(t.get_text() for t in ax.get_legend().texts)
    assert "reliability 0.6" in legend
    assert "Oldham" in ax.get_title(loc="left")


# ---------------------------------------------------------------------------- audit


def test_audit_normalisation_by_hand() -> None:
    from cohort_reanalysis.presentation.figures._audit import _normaliser

    # "7.49" allows [7.485, 7.495] (rounded either way): 7.4931 is 0.62 half-widths above.
    ((f, region),) = _normaliser("7.49", "=", 1.0, "mean", "up_or_down")
    assert region == (-1.0, 1.0) and f(7.4931) == pytest.approx(0.62, abs=1e-9)
    # "< 0.0001": the threshold sits at +1; 1e-6 is two orders of magnitude below it.
    ((g, region),) = _normaliser("0.0001", "<", 1.0, "pvalue", "up_or_down")
    assert g(1e-6) == pytest.approx(-1.0) and region[1] == 1.0
    # An exact count "61" against 58: 3 units = 6 half-units away.
    ((h, _),) = _normaliser("61", "=", 1.0, "n", "up_or_down")
    assert h(58.0) == pytest.approx(-6.0)
    # "> 3 years" of months (scale 12): 35.5 months is half a month short of 36.
    ((k, region),) = _normaliser("3", ">", 12.0, "median", "up_or_down")
    assert k(35.5) == pytest.approx(-1.0 - 0.5 / 12.0) and region[0] == -1.0


def test_audit_rows_agree_with_verdicts(audit: Any, cohort: Cohort) -> None:
    rows, left_out = audit_rows(audit)
    unchecked = [r.id for r in audit.results if r.verdict.value == "not_checkable"]
    assert left_out == unchecked
    assert len(rows) == len(audit.results) - len(unchecked)
    eps = 1e-9

    def inside(z: float, region: tuple[float, float]) -> bool:
        return region[0] - eps <= z <= region[1] + eps

    for row in rows:
        if row.verdict == "reproduced":
            assert all(inside(z, row.region) for z in row.stated), row.id
        else:  # the stated method misses the printed value
            assert not all(inside(z, row.region) for z in row.stated), row.id
        if row.verdict == "reproduced_under_alternative":
            assert row.other_kind == "alternative"
            assert row.other and all(inside(z, row.region) for z in row.other), row.id
        if row.other_kind == "nearest":
            assert row.verdict == "not_reproduced"
    kinds = {r.verdict for r in rows}
    assert kinds == set(VERDICT_STYLE)


def test_audit_figure(audit: Any, cohort: Cohort) -> None:
    from matplotlib.collections import PolyCollection

    ax: Any = plot_audit(audit)
    rows, _ = audit_rows(audit)
    boxes = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(boxes) == 1 and len(boxes[0].get_paths()) == len(rows)
    n_markers = sum(len(r.stated) + len(r.other) for r in rows)
    drawn = sum(
        len(c.get_offsets()) for c in ax.collections if type(c).__name__ == "PathCollection"
    )
    assert drawn == n_markers
    assert ax.get_xscale() == "symlog"
    labels = [t.get_text() for t in ax.texts]
    assert "abstract.severe_pvalue" in labels
    # The recomputed values say under which method: a bare "stated: 58" reads as the paper's.
    assert any(
        t.startswith(
            "0.0122  |  under the stated method: 0.0194886  |  under the alternative: 0.01222"
        )
        for t in labels
    )
    assert not any("|  stated:" in t for t in labels)
    legend = [t.get_text().replace("\n", " ") for t in ax.get_legend().get_texts()]
    assert "filled: under the stated method" in legend
    # Verdicts differ by colour and by marker (grayscale).
    assert (
        len({s[0] for s in VERDICT_STYLE.values()})
        == len({s[1] for s in VERDICT_STYLE.values()})
        == 3
    )
    # The value under the alternative comes with the audit: the figure needs no table.
    by_id = {r.id: r for r in audit.results}
    for row in rows:
        if row.verdict == "reproduced_under_alternative":
            assert row.other and by_id[row.id].alternative_value is not None, row.id


# ---------------------------------------------------------------------------- all figures


SNAPSHOT: dict[str, list[dict[str, Any]]] = {
    "before_after": [
        dict(
            lines=3,
            collections=["LineCollection"] * 2,
            points=0,
            patches=0,
            texts=0,
            xlabel="",
            ylabel="HbA1c (%)",
            xscale="linear",
            xlim=[-0.4, 1.4],
            ylim=[4.21, 12.79],
            legend=4,
        ),
    ],
    "estimation": [
        dict(
            lines=2,
            collections=["FillBetweenPolyCollection"] + ["LineCollection"] * 3,
            points=0,
            patches=0,
            texts=0,
            xlabel="",
            ylabel="HbA1c (%)",
            xscale="linear",
            xlim=[-0.4, 2.7],
            ylim=[4.21, 12.79],
            legend=3,
        ),
    ],
    "severity_subgroups": [
        dict(
            lines=0,
            collections=["LineCollection"],
            points=0,
            patches=0,
            texts=2,
            xlabel="",
            ylabel="HbA1c (%)",
            xscale="linear",
            xlim=[-0.6, 5.6],
            ylim=[4.21, 12.79],
            legend=0,
        ),
        dict(
            lines=3,
            # Two more: the t CI (bar and caps) beside the bootstrap of the 12 severe patients.
            collections=["FillBetweenPolyCollection"] * 2 + ["LineCollection"] * 4,
            points=0,
            patches=0,
            texts=0,
            xlabel="",
            ylabel="Mean change (%)\nafter − before",
            xscale="linear",
            xlim=[-0.6, 5.6],
            ylim=[-3.64, 0.39],
            legend=5,
        ),
    ],
    "dose_response": [
        dict(
            lines=2,
            collections=[
                "FillBetweenPolyCollection",
                "LineCollection",
                "LineCollection",
                "PathCollection",
            ],
            points=58,
            patches=2,
            texts=0,
            xlabel="Stem cell dose (million cells), log scale",
            ylabel="Change in HbA1c, after − before (%)",
            xscale="log",
            xlim=[88.71, 2254.61],  # the doses 100 to 2000, padded by 20 ** 0.04
            ylim=[-6.28, 1.97],
            legend=4,
        ),
    ],
    "followup": [
        dict(
            lines=7,
            collections=["FillBetweenPolyCollection"] + ["LineCollection"] * 4 + ["PathCollection"],
            points=58,
            patches=0,
            texts=0,
            xlabel="Follow-up (months)",
            ylabel="Change in HbA1c, after − before (%)",
            xscale="linear",
            xlim=[2.9, 71.1],
            ylim=[-6.28, 1.97],
            legend=3,
        ),
    ],
    "forest": [
        dict(
            lines=2,
            collections=["LineCollection", "PathCollection"],
            points=9,
            patches=1,
            texts=24,
            xlabel="Mean change in HbA1c, after − before (%), 95% CI (t)",
            ylabel="",
            xscale="linear",
            xlim=[-3.04, 0.23],
            ylim=[-0.6, 13.6],
            legend=0,
        ),
    ],
    "regression_to_mean": [
        dict(
            lines=3,
            collections=["FillBetweenPolyCollection", "PathCollection"],
            points=58,
            patches=0,
            texts=0,
            xlabel="Baseline HbA1c (%)",
            ylabel="Change in HbA1c, after − before (%)",
            xscale="linear",
            xlim=[5.79, 12.91],
            ylim=[-6.28, 1.97],
            legend=3,
        ),
    ],
    "audit": [
        dict(
            lines=1,
            collections=["LineCollection"] + ["PathCollection"] * 5 + ["PolyCollection"],
            points=44,
            patches=0,
            texts=66,
            xscale="symlog",
            ylabel="",
            xlim=[-1000.0, 1000.0],
            ylim=[-0.7, 32.7],
            legend=5,
        ),
    ],
}


def signature(fig: Any, *, with_xlabel: bool = True) -> list[dict[str, Any]]:
    """What a figure holds: artist counts, labels, scales and limits of each axes."""
    out = []
    for ax in fig.axes:
        entry = dict(
            lines=len(ax.lines),
            collections=sorted(type(c).__name__ for c in ax.collections),
            points=sum(
                len(c.get_offsets()) for c in ax.collections if type(c).__name__ == "PathCollection"
            ),
            patches=len(ax.patches),
            texts=len(ax.texts),
            xlabel=ax.get_xlabel(),
            ylabel=ax.get_ylabel(),
            xscale=ax.get_xscale(),
            xlim=[round(float(v), 2) for v in ax.get_xlim()],
            ylim=[round(float(v), 2) for v in ax.get_ylim()],
            legend=0 if ax.get_legend() is None else len(ax.get_legend().texts),
        )
        if not with_xlabel:
            del entry["xlabel"]
        out.append(entry)
    return out


def test_all_figures_structure_snapshot(figures: dict[str, Any]) -> None:
    """Catches an unintended change in any figure (update SNAPSHOT after looking at it)."""
    assert list(figures) == list(SNAPSHOT)
    for name, fig in figures.items():
        assert signature(fig, with_xlabel=name != "audit") == SNAPSHOT[name], name


def test_every_figure_renders_and_carries_its_provenance(figures: dict[str, Any]) -> None:
    text = caption(load_dataset("matsuoka2025"))
    for name, fig in figures.items():
        render(fig)
        footer = fig.get_supxlabel()
        assert footer.replace("\n", " ") == text, name
        # The layout holds: the footer clears every axes with its labels and legend.
        renderer = fig.canvas.get_renderer()
        foot = fig._supxlabel.get_window_extent(renderer)
        for ax in fig.axes:
            box = ax.get_tightbbox(renderer)
            assert box.y0 >= foot.y1 - 1.0, name
            assert box.x0 >= -1.0 and box.x1 <= fig.bbox.width + 1.0, name


def test_caption(cohort: Cohort, audit: Any) -> None:
    text = caption(cohort)
    assert "matsuoka2025" in text and "Table 1" in text
    assert "58 rows (the paper reports n = 61)" in text
    assert text.endswith("doi:10.20944/preprints202503.1601.v1")
    assert "doi:10.20944/preprints202503.1601.v1" in caption(audit)
    from cohort_reanalysis.analyses._paired import paired_change

    c = make_cohort([80.0, np.nan, 70.0], [78.0, 75.0, 71.0])
    assert caption(paired_change(c)) == "2 rows used; 1 left out (rows 2)."
    with pytest.raises(TypeError):
        caption(3)


def test_save_and_encode(figures: dict[str, Any], tmp_path: Path) -> None:
    from PIL import Image

    one = {"forest": figures["forest"]}
    paths = save_figures(one, tmp_path / "a")
    assert [p.name for p in paths] == ["forest.png", "forest.svg"]
    with Image.open(paths[0]) as im:
        assert im.info["dpi"] == pytest.approx((150, 150), abs=0.5)
        assert im.size[0] == pytest.approx(150 * figures["forest"].get_figwidth(), abs=2)
    again = save_figures(one, tmp_path / "b", formats=("svg",))
    assert again[0].read_bytes() == paths[1].read_bytes()  # SVG is reproducible
    assert "ConstrainedLayout" in type(figures["forest"].get_layout_engine()).__name__
    encoded = encode_figures(one)
    assert encoded["forest"] == paths[0].read_bytes()  # the same layout as the file
    with pytest.raises(ValueError):
        save_figures(one, tmp_path, dpi=0)
    with pytest.raises(ValueError):
        save_figures(one, tmp_path, formats=("gif",))
    with pytest.raises(ValueError):
        encode_figures(one, format="jpg")


# ---------------------------------------------------------------------------- edge cases


def test_one_patient() -> None:
    c = make_cohort([80.0], [78.0], d=[100.0], f=[12.0], s=["M"])
    figs: Any = all_figures(c, n_resamples=100)
    assert "audit" not in figs
    for name in ("estimation", "severity_subgroups", "forest", "regression_to_mean"):
        render(figs[name])  # no spread, no bootstrap, an empty stratum, a one-point axis
    title = figs["before_after"].axes[0].get_title(loc="left")
    assert "n = 1 pairs" in title and "no test or CI" in title
    assert "no bootstrap CI" in figs["estimation"].axes[0].get_title(loc="left")


def test_stratum_of_one_and_empty_stratum() -> None:
    c = make_cohort(
        [80.0, 82, 84, 95], [78.0, 80, 85, 90], d=[100.0, 100, 200, 200], f=[6.0, 7, 8, 9]
    )
    from cohort_reanalysis.analyses._subgroups import severity_subgroups

    sub = severity_subgroups(c, cutoffs=(90.0, 200.0))  # sizes 3, 1, 0
    fig: Any = plot_subgroup_estimates(sub, n_resamples=200)
    render(fig)
    note = fig.axes[1].get_title(loc="left")
    assert "no CI" in note
    assert [t.get_text() for t in fig.axes[1].get_xticklabels()][-1].endswith("n = 0")
    ax: Any = plot_forest(sub)
    render(ax.figure)
    texts = [t.get_text() for t in ax.texts]
    assert any("no CI (n = 1)" in t for t in texts)
    assert any(t.startswith("n = 0") for t in texts)


def test_constant_and_zero_changes() -> None:
    for after in ([79.0, 89.0, 69.0], [80.0, 90.0, 70.0]):
        c = make_cohort([80.0, 90.0, 70.0], after, d=[1.0, 2.0, 3.0], f=[1.0, 2.0, 3.0])
        figs: Any = all_figures(c, n_resamples=100)
        if after[0] == 80.0:  # no change at all: one dotted style for everyone
            legend = [t.get_text() for t in figs["before_after"].axes[0].get_legend().texts]
            assert legend[0] == "no change (n = 3)"
        else:  # every change equal: BCa is undefined, the percentile interval is used
            assert "percentile bootstrap" in figs["estimation"].axes[0].get_title(loc="left")
            for name in ("estimation", "severity_subgroups", "forest"):  # the fragile ones
                render(figs[name])


def test_rows_left_out_are_said() -> None:
    c = make_cohort([80.0, np.nan, 70.0, 60.0], [78.0, 75.0, 71.0, 59.0])
    ax: Any = plot_before_after(c)
    assert "1 row(s) left out" in ax.get_title(loc="left")
    assert len(ax.collections[0].get_segments()) == 3


def test_forest_has_a_section_for_the_declared_group_column() -> None:
    """Darwin's pots are the table's declared group: one row per pot, under its label."""
    from cohort_reanalysis.presentation.figures import all_figures

    cohort = load_dataset("zea_mays_darwin1876")
    fig = all_figures(cohort, names=["forest"])["forest"]
    texts = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert "Number of Pot" in texts
    assert {f"pot = {k}" for k in "1234"} <= texts
    texts_in_order = [t.get_text() for ax in fig.axes for t in ax.texts]
    sizes = [texts_in_order[texts_in_order.index(f"pot = {k}") + 1].split()[2] for k in "1234"]
    assert sizes == ["3", "3", "5", "4"]  # the pairs of each pot in Darwin's table
