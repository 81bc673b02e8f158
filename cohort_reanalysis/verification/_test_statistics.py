"""Test-like statistics of a variant: p-values, intervals, test statistics, df, SEs, effect
sizes and correlations, by the claim's design (``_test_choices.design``).

Conventions follow R: ``t.test`` (paired, one-sample against ``mu``, Student, Welch),
``wilcox.test`` (a paired p as claims@1 computes it, ``exact = FALSE, correct = TRUE``; a
one-sample p and every signed-rank interval by R's default law or, as the alternative, the
normal one), ``kruskal.test``, ``chisq.test`` (Yates on 2 x 2 by default), ``fisher.test``,
``cor.test(exact = FALSE)`` (Pearson's interval by Fisher's z) and ``lm`` (the slope's
interval). Every number comes from the kernel (:mod:`cohort_reanalysis.analyses._kernel`);
this module only picks the samples and the routine.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from ..analyses._kernel import (
    chi2_test,
    cohens_d_av,
    cohens_d_between,
    cohens_d_rm,
    cohens_d_z,
    correlation_test,
    fisher_test,
    hedges_g_av,
    hedges_g_between,
    kruskal_wallis,
    one_sample_t,
    p_from_t,
    p_from_z,
    pearson_interval,
    rank_sum_z,
    signed_rank_test,
    slope,
    t_test,
    two_sample_t,
    two_sample_t_test,
)
from ..analyses._ranks import wilcoxon_signed_rank
from ._specification import (
    ALTERNATIVE,
    CORRELATION,
    EFFECT_SIZE,
    PAIRING,
    SIGNED_RANK_LAW,
    TEST,
    VARIANCE,
)
from ._test_choices import ONE_SAMPLE, design

if TYPE_CHECKING:
    from ._variant import Value, Variant

__all__ = ["value_of_test"]

_COUNT = ("chi2", "chi2_uncorrected", "fisher")


def value_of_test(v: Variant, m: Mapping[str, Any]) -> Value:
    """The value of a test-like statistic (or a correlation) of ``v`` under method ``m``.

    Raises
    ------
    ValueError
        If it cannot be computed there (the reason is named).
    """
    q = v.q
    stat = q.statistic
    if stat == "correlation":
        x, y = v.pairs(q.x, q.y)  # type: ignore[arg-type]
        return _corr(v, x, y, m.get(CORRELATION, "pearson"))[0]
    kind = design(q)
    if kind == "xy":
        return _xy(v, m)
    if stat == "effect_size":
        return _effect_size(v, m, kind)
    if stat == "se":
        x = v.sample(v.variable()) if kind == ONE_SAMPLE else _differences(v)
        return float(one_sample_t(x).se)
    test = m.get(TEST, "t")
    if stat == "pvalue" and kind != ONE_SAMPLE and test not in _COUNT:
        return _pvalue(v, m)  # as claims@1
    if test in _COUNT:
        return _count_test(v, m, test)
    return _location_test(v, m, kind)


# ----------------------------------------------------------------------------- helpers


def _differences(v: Variant) -> np.ndarray:
    first, second = v.before_after()
    if first.size == 0:
        raise ValueError("no complete before/after pairs in the subset")
    d: np.ndarray = first - second
    return d


def _level(v: Variant) -> float:
    level = v.q.method.confidence_level
    return 0.95 if level is None else float(level)


def _two_sided_interval(v: Variant) -> None:
    alt = v.q.method.alternative or "two-sided"
    if alt != "two-sided":
        raise ValueError(f"a {alt} interval has an infinite end, which prints as no number")


def _corr(v: Variant, x: np.ndarray, y: np.ndarray, method: str) -> tuple[float, float, Any]:
    key = ("corr", method)
    if key not in v.cache:
        v.cache[key] = correlation_test(x, y, method)
    out: tuple[float, float, Any] = v.cache[key]
    return out


# ----------------------------------------------------------------------------- designs


def _xy(v: Variant, m: Mapping[str, Any]) -> Value:
    q = v.q
    x, y = v.pairs(q.x, q.y)  # type: ignore[arg-type]
    stat = q.statistic
    if stat == "pvalue":
        return _pvalue(v, m)
    method = m.get(CORRELATION, q.method.correlation or "pearson")
    if stat == "statistic":
        return float(_corr(v, x, y, method)[0])
    if stat == "df":
        df = _corr(v, x, y, method)[2]
        if df is None:
            raise ValueError("Kendall's test is a z test: it has no degrees of freedom")
        return float(df)
    if stat == "ci":
        _two_sided_interval(v)
        if q.method.correlation is None and q.method.test is None:  # the slope's interval
            s = v.cached(("slope", _level(v)), lambda: slope(x, y, confidence_level=_level(v)))
            return (float(s.ci_low), float(s.ci_high))
        if method != "pearson":
            raise ValueError(f"R's cor.test gives no interval for {method}'s coefficient")
        r = float(_corr(v, x, y, "pearson")[0])
        return pearson_interval(r, int(x.size), confidence_level=_level(v))
    raise ValueError(f"statistic {stat!r} does not apply to x/y")


def _effect_size(v: Variant, m: Mapping[str, Any], kind: str | None) -> float:
    size = m.get(EFFECT_SIZE, "d_z")
    if kind == "groups":
        a, b = v.group_samples()
        fn = cohens_d_between if size == "d_av" else hedges_g_between
        return float(fn(a, b))
    first, second = v.before_after()
    # The kernel's effect sizes are of after - before: first - second is the claim's change.
    fns = {"d_z": cohens_d_z, "d_av": cohens_d_av, "d_rm": cohens_d_rm, "hedges_g": hedges_g_av}
    out = float(fns[size](second, first))
    if not np.isfinite(out):
        raise ValueError(f"{size} is undefined here (an SD of 0)")
    return out


def _count_test(v: Variant, m: Mapping[str, Any], test: str) -> float:
    """chi-squared or Fisher's test of the table groups x levels of ``variable``."""
    assert v.groups is not None
    key = ("table",)
    if key not in v.cache:
        values = v.arrays.values(v.variable())
        present = v.arrays.present(v.variable())
        rows = [g & present for g in v.groups]
        levels = sorted({str(x) for g in rows for x in values[g]})
        if len(levels) < 2:
            raise ValueError(f"{v.variable()!r} takes fewer than two values in the groups")
        text = np.array([str(x) for x in values], dtype=object)
        v.cache[key] = np.array([[(g & (text == lv)).sum() for lv in levels] for g in rows])
    table = v.cache[key]
    stat = v.q.statistic
    if test == "fisher":
        alt = m.get(ALTERNATIVE, "two-sided")
        return float(v.cached(("fisher", alt), lambda: fisher_test(table, alternative=alt)).pvalue)
    res = v.cached((test,), lambda: chi2_test(table, correct=test == "chi2"))
    return float({"pvalue": res.pvalue, "statistic": res.statistic, "df": res.df}[stat])


def _location_test(v: Variant, m: Mapping[str, Any], kind: str | None) -> Value:
    """A p (one-sample only), statistic, df or interval of a t or rank test."""
    q, stat = v.q, v.q.statistic
    test = m.get(TEST, "t")
    alt = m.get(ALTERNATIVE, q.method.alternative or "two-sided")
    level = _level(v)
    if stat == "ci":
        _two_sided_interval(v)
    unpaired = kind == "groups" or m.get(PAIRING) == "unpaired"
    if unpaired:
        a, b = v.group_samples() if kind == "groups" else v.before_after()
        if test == "t":
            equal = m.get(VARIANCE, "student") != "welch"
            res = v.cached(
                ("t2", equal, alt, level),
                lambda: two_sample_t_test(
                    a, b, equal_var=equal, alternative=alt, confidence_level=level
                ),
            )
            return _pick(stat, res.statistic, res.df, (res.ci_low, res.ci_high))
        if test == "rank":
            w = v.cached(("rank-sum",), lambda: rank_sum_z(a, b, correct=True)).statistic
            return _pick(stat, w, None, None, "the rank-sum test")
        kw = v.cached(("kruskal",), lambda: kruskal_wallis([a, b]))
        return _pick(stat, kw.statistic, kw.df, None, "the Kruskal-Wallis test")
    if kind == ONE_SAMPLE:
        x, mu = v.sample(v.variable()), float(q.method.mu or 0.0)
    else:
        x, mu = _differences(v), 0.0
    if test == "t":
        res = v.cached(
            ("t1", alt, level), lambda: t_test(x, mu=mu, alternative=alt, confidence_level=level)
        )
        if stat == "pvalue":
            return float(res.pvalue)
        return _pick(stat, res.statistic, res.df, (res.ci_low, res.ci_high))
    law = m.get(SIGNED_RANK_LAW, "r_default")
    exact = None if law == "r_default" else False
    sr = v.cached(
        ("signed-rank", alt, level, law, stat == "ci"),
        lambda: signed_rank_test(
            x,
            mu=mu,
            alternative=alt,
            exact=exact,
            conf_int=stat == "ci",
            confidence_level=level,
        ),
    )
    if stat == "pvalue":
        return float(sr.pvalue)
    return _pick(stat, sr.statistic, None, (sr.ci_low, sr.ci_high), "the signed-rank test")


def _pick(
    stat: str,
    statistic: float,
    df: float | None,
    interval: tuple[float, float] | None,
    name: str = "",
) -> Value:
    if stat == "statistic":
        return float(statistic)
    if stat == "df":
        if df is None:
            raise ValueError(f"{name} has no degrees of freedom")
        return float(df)
    if stat == "ci":
        if interval is None:
            raise ValueError(f"no interval is computed for {name}")
        return (float(interval[0]), float(interval[1]))
    raise ValueError(f"statistic {stat!r} is not computed here")


# ----------------------------------------------------------------------------- claims@1 p


def _pvalue(v: Variant, m: Mapping[str, Any]) -> float:
    """The p of a paired or two-group test or a correlation, as claims@1 computes it."""
    alt = m.get(ALTERNATIVE, "two-sided")
    kind: tuple[str, ...]
    if v.q.x is not None:
        kind = ("corr", m.get(CORRELATION, "pearson"))
    else:
        test = m.get(TEST, "t")
        pairing = "unpaired" if v.groups is not None else m.get(PAIRING, "paired")
        variance = m.get(VARIANCE, "student") if (test, pairing) == ("t", "unpaired") else ""
        kind = (pairing, test, variance)
    dist, stat, df, extra = v.cached(("stat", kind), lambda: _statistic(v, kind))
    if dist == "t":
        return p_from_t(stat, df, alt)
    if dist == "z":
        return p_from_z(stat, alt)
    if dist == "rank-sum":
        a, b = extra
        return p_from_z(rank_sum_z(a, b, correct=True, alternative=alt).z, alt)
    if dist == "signed-rank":
        return wilcoxon_signed_rank(extra, correct=True, alternative=alt).pvalue
    if alt != "two-sided":
        raise ValueError("Kruskal-Wallis is a two-sided test only")
    return float(stat)


def _statistic(v: Variant, kind: tuple[str, ...]) -> tuple[str, float, float, Any]:
    """(distribution, statistic, df, extra) of a test, shared by its alternatives."""
    q = v.q
    if kind[0] == "corr":
        x, y = v.pairs(q.x, q.y)  # type: ignore[arg-type]
        _, stat, df = _corr(v, x, y, kind[1])
        return ("z", stat, 0.0, None) if df is None else ("t", stat, df, None)
    pairing, test, variance = kind
    a, b = v.group_samples(check=False) if v.groups is not None else v.before_after()
    if pairing == "unpaired":
        if test == "t":
            t, df, _, _ = two_sample_t(a, b, equal_var=variance != "welch")
            return ("t", t, df, None)
        if test == "rank":
            rank_sum_z(a, b, correct=True)  # validates
            return ("rank-sum", 0.0, 0.0, (a, b))
        return ("kruskal", kruskal_wallis([a, b]).pvalue, 0.0, None)
    d = a - b
    if test == "rank":
        wilcoxon_signed_rank(d, correct=True)  # validates
        return ("signed-rank", 0.0, 0.0, d)
    if test != "t":
        raise ValueError(f"no paired form of test {test!r}")
    paired = one_sample_t(d)
    return ("t", paired.statistic, paired.df, None)
