# Optional result fields are checked at run time here; do not make mypy narrow each one.
# mypy: disable-error-code="union-attr,operator,arg-type"
"""Tests of paired_change against R, scipy, pingouin, a textbook example, closed forms,
simulation with known truth, and hypothesis properties (sign flip, shift, order, scale)."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cohort_reanalysis.analyses._paired import EffectSize, PairedChangeResult, paired_change
from cohort_reanalysis.cohort import Cohort, Exclusion, PairedData, load_dataset

REF_PATHS = [
    Path(__file__).resolve().parents[1] / "reference" / "msc58_R.json",
]


def _reference() -> dict:
    for path in REF_PATHS:
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    pytest.skip("R reference values msc58_R.json not found")


def pairs_of(before, after) -> PairedData:
    b = np.asarray(before, dtype=float)
    a = np.asarray(after, dtype=float)
    return PairedData(b, a, np.arange(1, b.size + 1, dtype=np.int64), ())


@pytest.fixture(scope="module")
def msc() -> PairedChangeResult:
    return paired_change(load_dataset("matsuoka2025"))


def _walk_floats(obj, path="result"):
    """Every float reachable from a result (fields of nested dataclasses)."""
    if isinstance(obj, float):
        yield path, obj
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            if f.name in ("pairs", "rows"):
                continue
            yield from _walk_floats(getattr(obj, f.name), f"{path}.{f.name}")


# ----------------------------------------------------------------------------- against R


def test_paired_t_matches_r(msc):
    # R: t.test(before, after, paired = TRUE) on reduction = before - after, so R's t, CI and
    # mean are the negatives of ours (after - before); p and df are the same.
    ref = _reference()["msc_paired"]
    assert msc.n == 58
    assert msc.statistic == pytest.approx(-ref["t"], rel=1e-9)
    assert msc.df == ref["df"]
    assert msc.pvalue == pytest.approx(ref["p"], rel=1e-9)
    assert msc.estimate == pytest.approx(-ref["est"], rel=1e-9)
    assert msc.ci_low == pytest.approx(-ref["ci"][1], rel=1e-9)
    assert msc.ci_high == pytest.approx(-ref["ci"][0], rel=1e-9)
    assert msc.confidence_level == 0.95


@pytest.mark.parametrize(
    ("key", "correct"), [("msc_wilcox_correct", True), ("msc_wilcox_nocorrect", False)]
)
def test_wilcoxon_matches_r(key, correct):
    ref = _reference()[key]
    res = paired_change(load_dataset("matsuoka2025"), wilcoxon_correction=correct)
    w = res.wilcoxon
    assert w is not None and w.correct is correct
    # Ours is V for after - before (sum of ranks of positive changes). R's V for
    # wilcox.test(before, after) sums the ranks of positive before - after, the complement:
    # V_R = n_used (n_used + 1) / 2 - V (zeros dropped by both).
    assert w.n_used + w.n_zeros == 58
    assert w.n_used * (w.n_used + 1) / 2 - w.statistic == pytest.approx(ref["V"], rel=1e-9)
    assert w.pvalue == pytest.approx(ref["p"], rel=1e-9)


def test_means_against_csv_module():
    import csv

    path = Path(__file__).resolve().parents[2] / "datasets" / "matsuoka2025" / "patients.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        records = list(csv.DictReader(fh))
    before = [float(r["hba1c_before"]) for r in records]
    after = [float(r["hba1c_after"]) for r in records]
    res = paired_change(load_dataset("matsuoka2025"))
    assert res.mean_before == pytest.approx(math.fsum(before) / len(before), rel=1e-12)
    assert res.mean_after == pytest.approx(math.fsum(after) / len(after), rel=1e-12)


# ----------------------------------------------------------------------------- textbook


def test_lakens_2013_movie_example():
    # Lakens (2013), Front Psychol 4:863, Table 1: ratings of two movies by 10 people.
    # Reported: t(9) = 4.74, p = 0.001, d_z = 1.50, d_av = 1.13.
    movie1 = [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]
    movie2 = [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]
    res = paired_change(pairs_of(movie2, movie1))  # change = movie1 - movie2 > 0
    assert round(res.statistic, 2) == 4.74
    assert round(res.pvalue, 3) == 0.001
    assert round(res.d_z.estimate, 2) == 1.50
    assert round(res.d_av.estimate, 2) == 1.13
    # d_rm by Lakens' formula (his eq. 9), computed here independently.
    sd1, sd2 = np.std(movie1, ddof=1), np.std(movie2, ddof=1)
    r = np.corrcoef(movie1, movie2)[0, 1]
    m = np.mean(movie1) - np.mean(movie2)
    d_rm = m / math.sqrt(sd1**2 + sd2**2 - 2 * r * sd1 * sd2) * math.sqrt(2 * (1 - r))
    assert res.d_rm.estimate == pytest.approx(d_rm, rel=1e-12)


# ----------------------------------------------------------------------------- scipy, pingouin


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_against_scipy_ttest_rel(alternative, seed):
    from scipy import stats

    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 40))
    before = rng.normal(8, 1.5, n)
    after = before + rng.normal(-0.3, 0.8, n)
    res = paired_change(pairs_of(before, after), alternative=alternative, confidence_level=0.9)
    ref = stats.ttest_rel(after, before, alternative=alternative)
    ci = ref.confidence_interval(confidence_level=0.9)
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.df == ref.df
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-9)
    assert res.ci_low == pytest.approx(ci.low, rel=1e-9)
    assert res.ci_high == pytest.approx(ci.high, rel=1e-9)
    ci95 = res.confidence_interval(confidence_level=0.95)
    ref95 = ref.confidence_interval(confidence_level=0.95)
    assert ci95.low == pytest.approx(ref95.low, rel=1e-9)
    assert ci95.high == pytest.approx(ref95.high, rel=1e-9)
    if alternative == "less":
        assert res.ci_low == -math.inf
    if alternative == "greater":
        assert res.ci_high == math.inf


@pytest.mark.parametrize("seed", [3, 4])
def test_against_pingouin(seed):
    import pingouin as pg

    rng = np.random.default_rng(seed)
    before = rng.normal(8, 1.0, 25)
    after = before + rng.normal(-0.4, 0.7, 25)
    res = paired_change(pairs_of(before, after))
    ref = pg.ttest(after, before, paired=True)
    assert res.statistic == pytest.approx(ref["T"].iloc[0], rel=1e-10)
    assert res.df == ref["dof"].iloc[0]
    assert res.pvalue == pytest.approx(ref["p_val"].iloc[0], rel=1e-9)
    # pingouin's eftype="cohen_dz" is d_z (mean / SD of differences): like with like.
    dz = pg.compute_effsize(after, before, paired=True, eftype="cohen_dz")
    assert res.d_z.estimate == pytest.approx(dz, rel=1e-12)


def test_pingouin_paired_cohen_equals_dav_and_drm_when_sds_equal():
    # pingouin's paired "cohen" d is mean / sqrt((s1^2 + s2^2) / 2) (Cumming 2012), which is
    # neither d_av nor d_rm in general, but all three coincide when the two SDs are equal.
    # Make the SDs equal exactly: after is a permutation of before, shifted.
    import pingouin as pg

    rng = np.random.default_rng(7)
    before = np.round(rng.normal(8, 1, 30), 1)
    after = rng.permutation(before) - 0.5
    res = paired_change(pairs_of(before, after))
    d = pg.compute_effsize(after, before, paired=True, eftype="cohen")
    assert res.d_av.estimate == pytest.approx(d, rel=1e-9)
    assert res.d_rm.estimate == pytest.approx(d, rel=1e-9)


def test_wilcoxon_matches_scipy_with_ties_and_zeros():
    from scipy import stats

    d = np.array([0.5, -1.0, 1.0, 0.0, 2.0, 0.5, -0.5, 1.5, 1.0, 0.0, 3.0, 2.0])
    before = np.full(d.size, 8.0)
    for correct in (True, False):
        res = paired_change(pairs_of(before, before + d), wilcoxon_correction=correct)
        ref = stats.wilcoxon(d, zero_method="wilcox", correction=correct, method="approx")
        w = res.wilcoxon
        assert w.n_zeros == 2 and w.has_ties
        # scipy's statistic is min(V+, V-); ours is V+.
        assert min(w.statistic, w.n_used * (w.n_used + 1) / 2 - w.statistic) == ref.statistic
        assert w.pvalue == pytest.approx(ref.pvalue, rel=1e-9)


def test_shapiro_of_the_changes_matches_r():
    # R: shapiro.test(mtcars$wt) prints W = 0.94326, p-value = 0.09265 (R's datasets::mtcars).
    wt = [
        2.62, 2.875, 2.32, 3.215, 3.44, 3.46, 3.57, 3.19, 3.15, 3.44, 3.44, 4.07, 3.73, 3.78,
        5.25, 5.424, 5.345, 2.2, 1.615, 1.835, 2.465, 3.52, 3.435, 3.84, 3.845, 1.935, 2.14,
        1.513, 3.17, 2.77, 3.57, 2.78,
    ]  # fmt: skip
    res = paired_change(pairs_of(np.zeros(len(wt)), wt))
    assert res.shapiro.statistic == pytest.approx(0.94326, abs=5e-6)
    assert res.shapiro.pvalue == pytest.approx(0.09265, abs=5e-6)


@pytest.mark.parametrize("scale", [1e-24, 2.0**-70, 1.0, 1e150])
def test_shapiro_is_scale_free_where_scipy_would_call_the_range_zero(scale):
    from scipy import stats

    d = np.array([0.1, 0.4, 0.2, 0.9, 0.5, 0.3, 1.7])
    ref = stats.shapiro(d)
    res = paired_change(pairs_of(np.zeros(d.size), d * scale)).shapiro
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-9)


# ----------------------------------------------------------------------------- effect-size CIs


def test_dz_ci_solves_the_noncentral_t_equations():
    from scipy.stats import nct

    rng = np.random.default_rng(11)
    before = rng.normal(8, 1, 15)
    after = before + rng.normal(-0.5, 1, 15)
    res = paired_change(pairs_of(before, after))
    n, t, df = res.n, res.statistic, res.df
    lo, hi = res.d_z.ci_low * math.sqrt(n), res.d_z.ci_high * math.sqrt(n)
    assert nct.cdf(t, df, lo) == pytest.approx(0.975, abs=1e-9)
    assert nct.cdf(t, df, hi) == pytest.approx(0.025, abs=1e-9)
    assert res.d_z.ci_low < res.d_z.estimate < res.d_z.ci_high


@pytest.mark.parametrize("df", [1.0, 2.0, 5.0, 57.0, 1000.0])
@pytest.mark.parametrize("t", [-40.0, -1.0, 0.0, 0.3, 7.5, 150.0])
@pytest.mark.parametrize("prob", [0.0005, 0.025, 0.5, 0.975])
def test_ncp_limit_matches_brentq(df, t, prob):
    # The root from our bracket around nctdtrinc's start equals brentq's from a wide one.
    from scipy.optimize import brentq
    from scipy.special import nctdtr

    from cohort_reanalysis.analyses._effect_sizes import _ncp_limit

    ours = _ncp_limit(t, df, prob)

    def f(x):
        return nctdtr(df, x, t) - prob

    lo, hi = ours - 1.0, ours + 1.0
    while not f(lo) > 0.0 > f(hi):
        lo, hi = lo - 10.0, hi + 10.0
    ref = brentq(f, lo, hi, xtol=1e-13, rtol=1e-13, maxiter=500)
    assert abs(ours - ref) <= 1e-12 * (1.0 + abs(ref))


def _coverage(n, rho, delta, reps, seed):
    rng = np.random.default_rng(seed)
    cov = np.array([[1.0, rho], [rho, 1.0]])
    true_dz = delta / math.sqrt(2 * (1 - rho))
    hits = {"d_z": 0, "d_av": 0, "d_rm": 0}
    truth = {"d_z": true_dz, "d_av": delta, "d_rm": delta}
    for _ in range(reps):
        x = rng.multivariate_normal([0.0, delta], cov, size=n)
        res = paired_change(pairs_of(x[:, 0], x[:, 1]))
        for key in hits:
            es = getattr(res, key)
            hits[key] += es.ci_low <= truth[key] <= es.ci_high
    return {k: v / reps for k, v in hits.items()}


def test_effect_size_ci_coverage_by_simulation():
    # Known truth: bivariate normal, equal variances 1, correlation rho, mean shift delta;
    # true d_z = delta / sqrt(2 (1 - rho)), true d_av = d_rm = delta. 300 replicates: a 95%
    # interval should cover with probability in about 0.92..0.98 (binomial SE 0.0126).
    got = _coverage(n=12, rho=0.5, delta=0.6, reps=300, seed=2024)
    for key, rate in got.items():
        assert 0.915 <= rate <= 0.985, (key, rate)


def test_effect_sizes_are_signed():
    res = paired_change(pairs_of([8, 9, 10, 11, 9.5], [7, 8.5, 8, 10, 9]))
    assert res.estimate < 0
    for es in (res.d_z, res.d_av, res.d_rm):
        assert isinstance(es, EffectSize)
        assert es.estimate < 0 and es.ci_low < es.estimate < es.ci_high
        assert es.confidence_level == 0.95 and es.method


def test_one_sided_effect_size_intervals():
    res = paired_change(pairs_of([8, 9, 10, 11, 9.5], [7, 8.5, 8, 10, 9]), alternative="less")
    assert res.d_z.ci_low == -math.inf and res.d_z.ci_high < 0
    res = paired_change(pairs_of([8, 9, 10, 11, 9.5], [7, 8.5, 8, 10, 9]), alternative="greater")
    assert res.d_z.ci_high == math.inf and res.d_z.ci_low < res.d_z.estimate


# ----------------------------------------------------------------------------- edge cases


def test_no_pairs_raises_and_lists_exclusions():
    empty = PairedData(
        np.array([]),
        np.array([]),
        np.array([], dtype=np.int64),
        (Exclusion(3, "hba1c_after missing"), Exclusion(5, "hba1c_before missing")),
    )
    with pytest.raises(ValueError, match=r"no complete pairs.*row 3: hba1c_after missing"):
        paired_change(empty)


def test_n1_gives_means_and_reasons_not_nan():
    res = paired_change(pairs_of([8.0], [7.25]))
    assert res.n == 1
    assert (res.mean_before, res.mean_after, res.estimate) == (8.0, 7.25, -0.75)
    for key in ("statistic", "pvalue", "df", "sd_change", "se", "ci_low", "ci_high"):
        assert getattr(res, key) is None
    for key in ("statistic", "pvalue", "ci", "d_z", "d_av", "d_rm", "sd_change"):
        assert "n = 1" in res.reasons[key]
    assert res.d_z is None and res.d_av is None and res.d_rm is None
    assert res.hodges_lehmann.estimate == -0.75 and res.hodges_lehmann.ci_low is None
    assert res.shapiro is None
    assert not any(math.isnan(v) for _, v in _walk_floats(res))
    assert "n = 1" in str(res) and "<table" in res._repr_html_()
    assert "n = 1: a single pair has no spread" in res.explain()
    with pytest.raises(ValueError, match="undefined"):
        res.confidence_interval()
    with pytest.raises(ValueError):
        res.bayes_factor()
    with pytest.raises(ValueError):
        res.power()


def test_n2_closed_form():
    # d = (-1, -0.5): mean -0.75, sd = 0.5 / sqrt(2), t = mean / (sd / sqrt(2)) = -3, df 1.
    res = paired_change(pairs_of([8.0, 9.0], [7.0, 8.5]))
    assert res.estimate == -0.75
    assert res.sd_change == pytest.approx(0.5 / math.sqrt(2), rel=1e-15)
    assert res.statistic == pytest.approx(-3.0, rel=1e-14)
    assert res.df == 1
    # Two-sided p for t = 3 on 1 df: 1 - 2 atan(3) / pi (Cauchy distribution).
    assert res.pvalue == pytest.approx(1 - 2 * math.atan(3) / math.pi, rel=1e-12)
    # 95% CI: mean +- t_{0.975,1} * se, t_{0.975,1} = tan(0.475 pi).
    q = math.tan(0.475 * math.pi)
    assert res.ci_low == pytest.approx(-0.75 - q * 0.25, rel=1e-12)
    assert res.ci_high == pytest.approx(-0.75 + q * 0.25, rel=1e-12)
    assert res.d_z is not None and res.d_av is not None
    assert res.d_rm is None and "always" in res.reasons["d_rm"]
    assert res.shapiro is None and "at least 3" in res.reasons["shapiro"]
    assert not any(math.isnan(v) for _, v in _walk_floats(res))
    assert str(res)


def test_every_difference_equal():
    res = paired_change(pairs_of([7.0, 8.0, 9.5, 10.0], [6.5, 7.5, 9.0, 9.5]))
    assert res.estimate == -0.5 and res.sd_change == 0.0
    assert res.statistic is None and res.pvalue is None and res.ci_low is None
    assert "every difference is equal" in res.reasons["statistic"]
    assert res.d_z is None and res.d_rm is None
    # d_av still has a denominator (the visits vary) but no interval.
    assert res.d_av.estimate == pytest.approx(-0.5 / np.std([7.0, 8.0, 9.5, 10.0], ddof=1))
    assert res.d_av.ci_low is None
    assert res.wilcoxon is not None and res.wilcoxon.statistic == 0
    assert not any(math.isnan(v) for _, v in _walk_floats(res))
    assert "every difference is equal" in res.explain()


def test_all_zero_changes():
    res = paired_change(pairs_of([7.0, 8.0, 9.0], [7.0, 8.0, 9.0]))
    assert res.estimate == 0.0 and res.sd_change == 0.0
    assert res.statistic is None and res.wilcoxon is None
    assert "zero" in res.reasons["wilcoxon"]
    assert res.hodges_lehmann.estimate == 0.0
    assert res.d_av.estimate == 0.0
    assert not any(math.isnan(v) for _, v in _walk_floats(res))
    assert str(res) and res._repr_html_()


def test_ties_in_changes():
    res = paired_change(pairs_of([8, 8, 9, 9, 10, 10], [7, 7, 8, 8.5, 10.5, 9]))
    assert res.wilcoxon.has_ties
    assert res.statistic is not None


def test_missing_values_are_excluded_and_listed():
    frame = pd.DataFrame({"b": [80.0, 90.0, None, 70.0, 85.0], "a": [78.0, 88.5, 71.0, None, 84.0]})
    cohort = Cohort.from_frame(
        frame, columns={"before": "b", "after": "a"}, measure="weight", unit="kg"
    )
    res = paired_change(cohort)
    assert res.n == 3
    assert res.rows.tolist() == [1, 2, 5]
    assert [x.row for x in res.excluded] == [3, 4]
    assert res.n_excluded == 2
    assert res.estimate == pytest.approx(np.mean([-2.0, -1.5, -1.0]))
    assert "2 rows were left out" in res.explain() and "(s)" not in res.explain()
    assert "row 3" in str(res)
    frame.loc[3, "a"] = 72.0
    single = paired_change(Cohort.from_frame(frame, columns={"before": "b", "after": "a"}))
    assert single.n_excluded == 1 and "1 row was left out" in single.explain()


def test_method_cells_are_short_and_the_ncp_is_named_in_words(msc):
    res = msc
    frame = res.to_frame()
    assert (frame["method"].str.len() <= 70).all(), frame["method"].tolist()
    text = " ".join([str(res), res._repr_html_(), res.explain(), *frame["method"], *frame["note"]])
    assert "ncp" not in text
    assert "noncentrality parameter" in res.explain()
    assert "noncentrality parameter" in frame.set_index("quantity").loc["d_z", "note"]
    # The details left the method cell but are kept in the note.
    assert (
        "continuity correction" in frame.set_index("quantity").loc["Wilcoxon signed-rank V", "note"]
    )


def test_bad_options():
    p = pairs_of([1, 2, 3], [2, 3, 5])
    with pytest.raises(ValueError, match="confidence_level"):
        paired_change(p, confidence_level=95)
    with pytest.raises(ValueError, match="alternative"):
        paired_change(p, alternative="two.sided")
    with pytest.raises(ValueError, match="Cohort"):
        paired_change(p, measure="HbA1c")
    with pytest.raises(ValueError, match="rows 2"):
        paired_change(pairs_of([1, np.nan, 3], [2, 3, 5]))
    with pytest.raises(TypeError):
        paired_change(np.array([1.0, 2.0]))


# ----------------------------------------------------------------------------- properties

quarter = st.integers(min_value=-200, max_value=200).map(lambda k: k / 4)  # exact in binary


@st.composite
def paired_samples(draw):
    n = draw(st.integers(min_value=3, max_value=25))
    before = draw(st.lists(quarter, min_size=n, max_size=n))
    after = draw(st.lists(quarter, min_size=n, max_size=n))
    d = np.subtract(after, before)
    assume(np.ptp(d) > 0 and np.std(before) > 0 and np.std(after) > 0)
    assume(abs(np.corrcoef(before, after)[0, 1]) < 0.999)
    return np.array(before), np.array(after)


def _approx(x, **kw):
    return pytest.approx(x, rel=kw.get("rel", 1e-7), abs=kw.get("abs", 1e-9))


@settings(max_examples=40, deadline=None)
@given(paired_samples())
def test_swapping_visits_flips_signs(data):
    before, after = data
    r = paired_change(pairs_of(before, after))
    s = paired_change(pairs_of(after, before))
    assert s.n == r.n and s.df == r.df
    assert s.estimate == -r.estimate
    assert s.statistic == _approx(-r.statistic)
    assert s.pvalue == _approx(r.pvalue)
    assert (s.ci_low, s.ci_high) == (_approx(-r.ci_high), _approx(-r.ci_low))
    for key in ("d_z", "d_av", "d_rm"):
        a, b = getattr(r, key), getattr(s, key)
        assert b.estimate == _approx(-a.estimate)
        assert (b.ci_low, b.ci_high) == (
            _approx(-a.ci_high, rel=1e-6),
            _approx(-a.ci_low, rel=1e-6),
        )
    assert s.hodges_lehmann.estimate == -r.hodges_lehmann.estimate
    if r.hodges_lehmann.ci_low is not None:
        assert s.hodges_lehmann.ci_low == -r.hodges_lehmann.ci_high
    assert s.wilcoxon.pvalue == _approx(r.wilcoxon.pvalue)
    assert s.wilcoxon.statistic == r.wilcoxon.n_used * (r.wilcoxon.n_used + 1) / 2 - (
        r.wilcoxon.statistic
    )


@settings(max_examples=40, deadline=None)
@given(paired_samples(), quarter)
def test_adding_a_constant_changes_only_the_means(data, c):
    before, after = data
    r = paired_change(pairs_of(before, after))
    s = paired_change(pairs_of(before + c, after + c))
    assert s.mean_before == _approx(r.mean_before + c)
    assert s.mean_after == _approx(r.mean_after + c)
    for key in ("estimate", "sd_change", "statistic", "pvalue", "ci_low", "ci_high"):
        assert getattr(s, key) == _approx(getattr(r, key)), key
    for key in ("d_z", "d_av", "d_rm"):
        assert getattr(s, key).estimate == _approx(getattr(r, key).estimate)
    assert s.wilcoxon == r.wilcoxon
    assert s.hodges_lehmann == r.hodges_lehmann


@settings(max_examples=30, deadline=None)
@given(paired_samples(), st.randoms(use_true_random=False))
def test_row_order_changes_nothing(data, rnd):
    before, after = data
    order = list(range(before.size))
    rnd.shuffle(order)
    r = paired_change(pairs_of(before, after))
    s = paired_change(pairs_of(before[order], after[order]))
    for key in (
        "estimate",
        "sd_change",
        "statistic",
        "pvalue",
        "ci_low",
        "ci_high",
        "mean_before",
        "mean_after",
    ):
        assert getattr(s, key) == _approx(getattr(r, key)), key
    for key in ("d_z", "d_av", "d_rm"):
        assert getattr(s, key).estimate == _approx(getattr(r, key).estimate)
    assert s.wilcoxon == r.wilcoxon
    assert s.hodges_lehmann == r.hodges_lehmann
    assert s.shapiro.statistic == _approx(r.shapiro.statistic, rel=1e-6)


@settings(max_examples=40, deadline=None)
@given(paired_samples(), st.sampled_from([0.5, 2.0, 3.0, 10.0, 18.0]))
def test_rescaling_units(data, c):
    before, after = data
    r = paired_change(pairs_of(before, after))
    s = paired_change(pairs_of(before * c, after * c))
    for key in ("estimate", "sd_change", "ci_low", "ci_high", "se"):
        assert getattr(s, key) == _approx(c * getattr(r, key)), key
    for key in ("statistic", "pvalue", "df"):
        assert getattr(s, key) == _approx(getattr(r, key)), key
    for key in ("d_z", "d_av", "d_rm"):
        a, b = getattr(r, key), getattr(s, key)
        assert b.estimate == _approx(a.estimate)
        assert (b.ci_low, b.ci_high) == (_approx(a.ci_low, rel=1e-6), _approx(a.ci_high, rel=1e-6))
    assert s.wilcoxon.pvalue == r.wilcoxon.pvalue
    assert s.hodges_lehmann.estimate == _approx(c * r.hodges_lehmann.estimate)


# ----------------------------------------------------------------------------- extras


def test_bootstrap_and_permutation_are_seeded(msc):
    b1 = msc.bootstrap(n_resamples=2000, seed=5)
    b2 = msc.bootstrap(n_resamples=2000, seed=5)
    assert (b1.ci_low, b1.ci_high) == (b2.ci_low, b2.ci_high)
    assert b1.n_resamples == 2000
    assert b1.ci_low < msc.estimate < b1.ci_high
    assert b1.estimate == pytest.approx(msc.estimate)
    p1 = msc.permutation(n_resamples=2000, seed=5)
    p2 = msc.permutation(n_resamples=2000, seed=5)
    assert p1.pvalue == p2.pvalue and p1.n_resamples == 2000
    # The observed change is far in the tail: p floored at 1 / (B + 1).
    assert p1.pvalue == pytest.approx(1 / 2001)
    pct = msc.bootstrap(n_resamples=2000, seed=5, method="percentile", confidence_level=0.9)
    assert pct.confidence_level == 0.9


def test_bayes_factor_wiring(msc):
    # Cross-check of wiring only: the same pingouin call with the same arguments.
    import pingouin as pg

    assert msc.bayes_factor() == pytest.approx(
        pg.bayesfactor_ttest(msc.statistic, 58, paired=True, r=0.707), rel=1e-12
    )
    one = paired_change(load_dataset("matsuoka2025"), alternative="less")
    with pytest.raises(ValueError, match="two-sided"):
        one.bayes_factor()


@pytest.mark.parametrize("alternative", ["two-sided", "greater"])
def test_power_against_noncentral_t(alternative):
    # Power of the paired t-test at effect d: P(reject | T ~ nct(n - 1, d sqrt(n))).
    from scipy.stats import nct, t

    rng = np.random.default_rng(9)
    before = rng.normal(8, 1, 20)
    after = before + rng.normal(0.3, 1, 20)
    res = paired_change(pairs_of(before, after), alternative=alternative)
    n, df, d = 20, 19, 0.5
    if alternative == "two-sided":
        q = t.ppf(0.975, df)
        expected = nct.sf(q, df, d * math.sqrt(n)) + nct.cdf(-q, df, d * math.sqrt(n))
    else:
        expected = nct.sf(t.ppf(0.95, df), df, d * math.sqrt(n))
    assert res.power(effect=d) == pytest.approx(expected, rel=1e-6)
    assert res.power() == pytest.approx(
        __import__("pingouin").power_ttest(
            d=res.d_z.estimate, n=20, contrast="paired", alternative=alternative
        ),
        rel=1e-12,
    )


# ----------------------------------------------------------------------------- rendering


def test_to_frame_and_reprs(msc):
    frame = msc.to_frame()
    assert list(frame["quantity"])[:4] == [
        "mean baseline",
        "mean last follow-up",
        "mean change",
        "SD of change",
    ]
    row = frame.set_index("quantity").loc["mean change"]
    assert row["estimate"] == msc.estimate  # full precision
    assert row["pvalue"] == msc.pvalue and row["df"] == 57
    assert {
        "d_z",
        "d_av",
        "d_rm",
        "Wilcoxon signed-rank V",
        "Hodges-Lehmann",
        "Shapiro-Wilk W",
    } <= set(frame["quantity"])
    text = str(msc)
    assert "n = 58" in text and "none left out" in text
    assert "<table" in msc._repr_html_()
    assert "pairs=" not in repr(msc)


def test_explain_uses_its_own_numbers(msc):
    text = msc.explain()
    for phrase in (
        "after",
        "-0.793",
        "-5.46",
        "57",
        "regression to the mean",
        "placebo",
        "not used to choose",
        "not the size",
    ):
        assert phrase in text, phrase
    assert "control group" in text


def test_result_is_frozen(msc):
    with pytest.raises(dataclasses.FrozenInstanceError):
        msc.estimate = 0.0


def test_one_sided_result_renders():
    res = paired_change(pairs_of([8, 9, 10, 11, 9.5], [7, 8.5, 8, 10, 9]), alternative="less")
    assert "inf" in str(res).lower() or "∞" in str(res)
