"""Tests and correlations on many row subsets at once (``_masked_tests``): against R on each
subset of the bundled table (tests/reference/masked_tests_R.json), and bit for bit against the
1-D forms on random subsets with ties, zeros and NaN."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from cohort_reanalysis.analyses._kernel import (
    correlation_test,
    kruskal_wallis,
    masked_correlation,
    masked_kruskal_wallis,
    masked_one_sample_t,
    masked_paired_moments,
    masked_rank_sum,
    masked_signed_rank,
    masked_two_sample_t,
    one_sample_t,
    p_from_t,
    p_from_z,
    rank_sum_z,
    signed_rank_statistic,
    signed_rank_z,
    two_sample_t,
)
from cohort_reanalysis.cohort import load_dataset

ROOT = Path(__file__).resolve().parents[3]
REFERENCE = ROOT / "tests" / "reference" / "masked_tests_R.json"
R = json.loads(REFERENCE.read_text(encoding="utf-8"))
ALTS = {"two.sided": "two-sided", "less": "less", "greater": "greater"}


def close(ours: float, theirs: float, rel: float = 1e-9) -> bool:
    return math.isclose(ours, theirs, rel_tol=rel, abs_tol=1e-300)


def _table() -> dict[str, np.ndarray]:
    c = load_dataset("matsuoka2025")
    before, after = c.values("before"), c.values("after")
    dose = c.values("dose")
    row = np.arange(1, before.size + 1)
    return {
        "before": before,
        "after": after,
        "change": after - before,
        "months": c.values("followup"),
        "dose": dose,
        "sex": c.values("sex"),
        "row": row,
    }


def _subsets(t: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """As masked_tests_R.R defines them."""
    b = t["before"]
    return {
        "all": np.ones(b.size, dtype=bool),
        "moderate": (b >= 6.2) & (b <= 8),
        "moderate_open": (b > 6.2) & (b < 8),
        "severe": b > 8,
        "high_dose": t["dose"] >= 1500,
        "first_50": t["row"] <= 50,
        "long_followup": t["months"] >= 36,
    }


def _groups(t: dict[str, np.ndarray]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    dose, first = t["dose"], t["row"] <= 50
    return {
        "dose_1000": (dose >= 1000, dose < 1000),
        "dose_1000_open": (dose > 1000, dose <= 1000),
        "dose_1000_first_50": ((dose >= 1000) & first, (dose < 1000) & first),
        "sex": (t["sex"] == "M", t["sex"] == "F"),
    }


def test_reference_subsets_are_those_of_the_script() -> None:
    t = _table()
    for name, mask in _subsets(t).items():
        assert int(mask.sum()) == R["subsets"][name]["n"], name
    for name, (a, b) in _groups(t).items():
        assert [int(a.sum()), int(b.sum())] == R["groups"][name]["n"], name


@pytest.mark.parametrize("alt", list(ALTS))
def test_paired_and_unpaired_tests_on_every_subset_match_r(alt: str) -> None:
    t = _table()
    names = list(_subsets(t))
    masks = np.stack(list(_subsets(t).values()))
    a = ALTS[alt]
    one = masked_one_sample_t(t["change"], masks)
    v, n, tie_term = masked_signed_rank(t["change"], masks)
    p_rank = p_from_z(signed_rank_z(v, n, tie_term=tie_term, correct=True, alternative=a), a)
    student = masked_two_sample_t(t["after"], masks, t["before"], masks, equal_var=True)
    rank_sum = masked_rank_sum(t["after"], masks, t["before"], masks, alternative=a)
    for i, name in enumerate(names):
        ref = R["subsets"][name]
        assert close(p_from_t(one.statistic[i], one.df[i], a), ref["paired_t"][alt]), name
        assert close(p_rank[i], ref["signed_rank"][alt]), name
        p_student = p_from_t(student.statistic[i], student.df[i], a)
        assert close(p_student, ref["unpaired_student"][alt]), name
        assert close(p_from_z(rank_sum.z[i], a), ref["unpaired_rank_sum"][alt]), name


@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
def test_correlations_on_every_subset_match_r(method: str) -> None:
    t = _table()
    names = list(_subsets(t))
    masks = np.stack(list(_subsets(t).values()))
    est, stat, df = masked_correlation(t["months"], t["change"], masks, method)
    for i, name in enumerate(names):
        ref = R["subsets"][name][method]
        assert close(est[i], ref["estimate"]), name
        for alt, a in ALTS.items():
            p = p_from_z(stat[i], a) if df is None else p_from_t(stat[i], df[i], a)
            assert close(p, ref["p"][alt]), (name, alt)


def test_two_group_tests_match_r() -> None:
    t = _table()
    names = list(_groups(t))
    first = np.stack([g[0] for g in _groups(t).values()])
    second = np.stack([g[1] for g in _groups(t).values()])
    x = t["change"]
    # R's kruskal.test counts ties on the printed values (see the script): compared rounded.
    xr = np.round(x, 10)
    kw = masked_kruskal_wallis([xr, xr], [first, second])
    for equal, key in ((True, "student"), (False, "welch")):
        two = masked_two_sample_t(x, first, x, second, equal_var=equal)
        for i, name in enumerate(names):
            for alt, a in ALTS.items():
                ref = R["groups"][name][key][alt]
                assert close(p_from_t(two.statistic[i], two.df[i], a), ref), (name, key)
    for alt, a in ALTS.items():
        rs = masked_rank_sum(x, first, x, second, alternative=a)
        for i, name in enumerate(names):
            assert close(p_from_z(rs.z[i], a), R["groups"][name]["rank_sum"][alt]), name
    for i, name in enumerate(names):
        assert close(kw.pvalue[i], R["groups"][name]["kruskal_rounded"]), name


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="Rscript is not installed")
def test_the_script_gives_the_stored_values() -> None:
    out = subprocess.run(
        ["Rscript", str(REFERENCE.with_suffix(".R"))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    fresh = json.loads(out.stdout)
    assert fresh["subsets"] == R["subsets"] and fresh["groups"] == R["groups"]


# ----------------------------------------------------------------------------- 1-D forms


def _data(n: int, k: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.3, n).round(int(rng.integers(0, 3)))  # ties and zeros
    y = (0.4 * x + rng.normal(0.0, 1.0, n)).round(1)
    x[rng.random(n) < 0.1] = np.nan
    masks = rng.random((k, n)) < rng.uniform(0.02, 1.0, (k, 1))
    masks[0] = False  # an empty subset
    masks[1] = False
    masks[1, :2] = True  # two rows at most
    return x, y, masks


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


def _or_nan(fn):  # type: ignore[no-untyped-def]
    try:
        return fn()
    except ValueError:
        return None


@pytest.mark.parametrize(("n", "seed"), [(6, 0), (58, 1), (300, 2)])
def test_every_subset_gives_what_the_1d_form_gives(n: int, seed: int) -> None:
    x, y, masks = _data(n, 30, seed)
    half = np.zeros(n, dtype=bool)
    half[: n // 2] = True
    one = masked_one_sample_t(x, masks)
    v, nn, tie_term = masked_signed_rank(x, masks)
    t2 = masked_two_sample_t(x, masks & half, x, masks & ~half, equal_var=False)
    rs = masked_rank_sum(x, masks & half, x, masks & ~half, alternative="less")
    corr = {m: masked_correlation(x, y, masks, m) for m in ("pearson", "spearman", "kendall")}
    kw = masked_kruskal_wallis([x, x], [masks & half, masks & ~half])
    for i, m in enumerate(masks):
        s = x[m & ~np.isnan(x)]
        a, b = x[m & half & ~np.isnan(x)], x[m & ~half & ~np.isnan(x)]
        ref = _or_nan(lambda s=s: one_sample_t(s).statistic)
        assert _same(one.statistic[i], math.nan if ref is None else ref)
        stat = signed_rank_statistic(s)
        if stat.n:
            assert v[i] == stat.statistic and nn[i] == stat.n and tie_term[i] == stat.tie_term
        else:
            assert math.isnan(v[i])
        ref = _or_nan(lambda a=a, b=b: two_sample_t(a, b, equal_var=False))
        assert _same(t2.statistic[i], math.nan if ref is None else ref.statistic)
        if ref is not None:
            assert t2.df[i] == ref.df
        ref = _or_nan(lambda a=a, b=b: rank_sum_z(a, b, alternative="less").z)
        assert _same(rs.z[i], math.nan if ref is None else ref)
        ref = _or_nan(lambda a=a, b=b: kruskal_wallis([a, b]).pvalue)
        assert _same(kw.pvalue[i], math.nan if ref is None else ref)
        pick = m & ~np.isnan(x) & ~np.isnan(y)
        for method, (est, st, df) in corr.items():
            found = _or_nan(lambda p=pick, me=method: correlation_test(x[p], y[p], me))
            if found is None:
                assert math.isnan(st[i]), method
                continue
            assert est[i] == found.estimate and st[i] == found.statistic, (method, i)
            assert (df is None) == (found.df is None)


@pytest.mark.parametrize(("n", "seed"), [(6, 3), (58, 4), (300, 5)])
def test_paired_moments_are_the_1d_paired_t_and_moments(n: int, seed: int) -> None:
    x, y, masks = _data(n, 30, seed)
    one, (na, mean_a, var_a, nb, mean_b, var_b) = masked_paired_moments(x, y, masks)
    for i, m in enumerate(masks):
        pick = m & ~np.isnan(x) & ~np.isnan(y)
        a, b = x[pick], y[pick]
        ref = _or_nan(lambda a=a, b=b: one_sample_t(a - b).statistic)
        assert _same(one.statistic[i], math.nan if ref is None else ref)
        assert na[i] == nb[i] == a.size
        if a.size:
            assert mean_a[i] == a.mean() and mean_b[i] == b.mean()
        if a.size > 1:
            assert var_a[i] == a.var(ddof=1) and var_b[i] == b.var(ddof=1)
