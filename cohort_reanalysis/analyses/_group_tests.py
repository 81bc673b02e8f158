"""Tests that an outcome differs between strata: Welch's t for two groups (the Wilcoxon
rank-sum test beside it, when asked for), and for more the Kruskal–Wallis test (stated), with
the one-way ANOVA and Welch's ANOVA beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from .._format import format_number
from ._kernel import (
    kruskal_wallis,
    p_from_f,
    p_from_t,
    p_from_z,
    rank_sum_z,
    t_interval,
    two_sample_t,
)
from ._result import Estimate

__all__ = ["GroupTest", "compare_groups", "group_test_estimates"]


@dataclass(frozen=True)
class GroupTest:
    """One test that an outcome differs between groups.

    ``estimate``/``ci_low``/``ci_high`` are set for Welch's t only: the difference in means,
    last group minus first. ``df`` is the (numerator) degrees of freedom, ``df_denominator``
    the denominator df of an F test. When the test cannot be computed every number is ``None``
    and ``reason`` says why. ``stated`` marks the test the analysis reports as its answer.
    """

    method: str
    statistic: float | None
    df: float | None
    pvalue: float | None
    n: int
    groups: tuple[str, ...]
    stated: bool
    df_denominator: float | None = None
    estimate: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    confidence_level: float | None = None
    reason: str | None = None
    note: str = ""

    def to_estimate(self, quantity: str, note: str = "") -> Estimate:
        notes = [n for n in (self.note, self.reason, note) if n]
        df = self.df
        method = self.method + (" (stated test)" if self.stated else "")
        if self.df_denominator is not None:
            method += f", df = {format_number(self.df)}, {format_number(self.df_denominator)}"
        return Estimate(
            quantity=quantity,
            estimate=self.estimate,
            ci_low=self.ci_low,
            ci_high=self.ci_high,
            confidence_level=self.confidence_level if self.estimate is not None else None,
            statistic=self.statistic,
            df=df,
            pvalue=self.pvalue,
            n=self.n,
            method=method,
            note="; ".join(notes),
        )


def _not_computed(
    method: str, groups: Sequence[np.ndarray], labels: tuple[str, ...], stated: bool, reason: str
) -> GroupTest:
    return GroupTest(
        method=method,
        statistic=None,
        df=None,
        pvalue=None,
        n=sum(g.size for g in groups),
        groups=labels,
        stated=stated,
        reason=reason,
    )


def _welch_t(
    a: np.ndarray, b: np.ndarray, labels: tuple[str, str], confidence_level: float
) -> GroupTest:
    n1, n2 = a.size, b.size
    if n1 < 2 or n2 < 2:
        small = ", ".join(
            f"{lab!r} has n = {n}" for lab, n in zip(labels, (n1, n2), strict=True) if n < 2
        )
        return _not_computed(
            "Welch t",
            (a, b),
            labels,
            True,
            f"Welch's t needs at least 2 patients per group: {small}",
        )
    if a.var(ddof=1) / n1 + b.var(ddof=1) / n2 == 0.0:
        return _not_computed(
            "Welch t",
            (a, b),
            labels,
            True,
            "every value within each group is the same, so the standard error "
            "of the difference is 0",
        )
    # Last group minus first, Welch–Satterthwaite degrees of freedom.
    t, df, diff, se = two_sample_t(b, a, equal_var=False)
    low, high = t_interval(diff, se, df, confidence_level)
    return GroupTest(
        method="Welch t",
        statistic=t,
        df=df,
        pvalue=p_from_t(t, df),
        n=n1 + n2,
        groups=labels,
        stated=True,
        estimate=diff,
        ci_low=low,
        ci_high=high,
        confidence_level=confidence_level,
        note=f"difference in means: {labels[1]!r} minus {labels[0]!r}",
    )


def _rank_sum(a: np.ndarray, b: np.ndarray, labels: tuple[str, str]) -> GroupTest:
    """Wilcoxon rank-sum of the last group against the first, as R's
    ``wilcox.test(last, first, exact = FALSE, correct = TRUE)``."""
    try:
        w, z = rank_sum_z(b, a, correct=True)
    except ValueError as exc:
        return _not_computed("Wilcoxon rank-sum", (a, b), labels, False, str(exc))
    return GroupTest(
        method="Wilcoxon rank-sum",
        statistic=w,
        df=None,
        pvalue=p_from_z(z),
        n=a.size + b.size,
        groups=labels,
        stated=False,
        note=f"W of {labels[1]!r} against {labels[0]!r}; normal approximation, tie-corrected, "
        "with continuity correction",
    )


def _kruskal(groups: list[np.ndarray], labels: tuple[str, ...]) -> GroupTest:
    try:
        h, df, p = kruskal_wallis(groups)
    except ValueError as exc:
        return _not_computed("Kruskal–Wallis", groups, labels, True, str(exc))
    return GroupTest(
        method="Kruskal–Wallis",
        statistic=h,
        df=df,
        pvalue=p,
        n=sum(g.size for g in groups),
        groups=labels,
        stated=True,
        note="chi-squared approximation, tie-corrected",
    )


def _anova(groups: list[np.ndarray], labels: tuple[str, ...]) -> GroupTest:
    k = len(groups)
    n = sum(g.size for g in groups)
    grand = np.concatenate(groups).mean()
    ss_between = float(sum(g.size * (g.mean() - grand) ** 2 for g in groups))
    ss_within = float(sum(((g - g.mean()) ** 2).sum() for g in groups))
    if n - k < 1:
        return _not_computed(
            "one-way ANOVA", groups, labels, False, "needs more patients than groups"
        )
    if ss_within == 0.0:
        return _not_computed("one-way ANOVA", groups, labels, False, "no variation within groups")
    f = (ss_between / (k - 1)) / (ss_within / (n - k))
    p = p_from_f(f, k - 1, n - k)
    return GroupTest(
        method="one-way ANOVA",
        statistic=f,
        df=float(k - 1),
        pvalue=p,
        n=n,
        groups=labels,
        stated=False,
        df_denominator=float(n - k),
        note="F test assuming equal variances",
    )


def _welch_anova(groups: list[np.ndarray], labels: tuple[str, ...]) -> GroupTest:
    k = len(groups)
    sizes = np.array([g.size for g in groups], dtype=np.float64)
    if np.any(sizes < 2):
        return _not_computed(
            "Welch ANOVA",
            groups,
            labels,
            False,
            "Welch's ANOVA needs at least 2 patients per group",
        )
    variances = np.array([g.var(ddof=1) for g in groups])
    if np.any(variances == 0.0):
        return _not_computed(
            "Welch ANOVA",
            groups,
            labels,
            False,
            "a group has no variation, so its weight n/s² is infinite",
        )
    # Welch (1951): weights n_i / s_i^2, F* = A / B on (k - 1, (k^2 - 1) / (3 lambda)) df.
    means = np.array([g.mean() for g in groups])
    w = sizes / variances
    big_w = float(w.sum())
    m = float((w * means).sum()) / big_w
    a = float((w * (means - m) ** 2).sum()) / (k - 1)
    lam = float(((1.0 - w / big_w) ** 2 / (sizes - 1.0)).sum())
    b = 1.0 + 2.0 * (k - 2) / (k**2 - 1) * lam
    f = a / b
    df2 = (k**2 - 1) / (3.0 * lam)
    p = p_from_f(f, k - 1, df2)
    return GroupTest(
        method="Welch ANOVA",
        statistic=f,
        df=float(k - 1),
        pvalue=p,
        n=int(sizes.sum()),
        groups=labels,
        stated=False,
        df_denominator=df2,
        note="F test allowing unequal variances (Welch 1951)",
    )


def compare_groups(
    values: Sequence[npt.ArrayLike],
    labels: Sequence[str],
    *,
    confidence_level: float = 0.95,
    rank_sum: bool = False,
) -> tuple[GroupTest, ...]:
    """Tests that an outcome differs between groups; the first one returned is the stated test.

    Empty groups are left out (each named in the ``note``). With two non-empty groups the stated
    test is Welch's t (difference last minus first, with its CI), followed with ``rank_sum``
    by the Wilcoxon rank-sum test; with more it is the Kruskal–Wallis test, followed by the
    one-way ANOVA and Welch's ANOVA for reference.

    Parameters
    ----------
    values : sequence of array_like
        The outcome in each group, in stratum order.
    labels : sequence of str
        One label per group.
    confidence_level : float
        For the CI of Welch's difference in means.
    rank_sum : bool, default False
        With two groups, add the Wilcoxon rank-sum test of the last group against the first
        (R's ``wilcox.test(exact = FALSE, correct = TRUE)``).

    Returns
    -------
    tuple of GroupTest
        Never empty; a test that cannot be computed carries a ``reason``.

    Examples
    --------
    >>> tests = compare_groups([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0]], ["a", "b"])
    >>> tests[0].method, tests[0].estimate
    ('Welch t', 2.0)
    >>> tests = compare_groups([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0]], ["a", "b"], rank_sum=True)
    >>> tests[1].method, tests[1].statistic
    ('Wilcoxon rank-sum', 7.5)
    """
    if len(values) != len(labels):
        raise ValueError("values and labels must have the same length")
    if not 0.0 < confidence_level < 1.0:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level!r}")
    arrays = [np.asarray(v, dtype=np.float64) for v in values]
    for lab, arr in zip(labels, arrays, strict=True):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"group {lab!r} has missing or infinite values")
    keep = [i for i, a in enumerate(arrays) if a.size > 0]
    empty = [str(labels[i]) for i in range(len(arrays)) if arrays[i].size == 0]
    note = ("left out, no patients: " + ", ".join(repr(e) for e in empty)) if empty else ""
    groups = [arrays[i] for i in keep]
    used = tuple(str(labels[i]) for i in keep)
    n = sum(g.size for g in groups)
    if len(groups) < 2:
        method = "Welch t" if len(arrays) == 2 else "Kruskal–Wallis"
        return (
            GroupTest(
                method=method,
                statistic=None,
                df=None,
                pvalue=None,
                n=n,
                groups=used,
                stated=True,
                note=note,
                reason="fewer than two groups have patients, so there is nothing to compare",
            ),
        )
    if len(groups) == 2:
        t = _welch_t(groups[0], groups[1], (used[0], used[1]), confidence_level)
        tests: tuple[GroupTest, ...] = (t,)
        if rank_sum:
            tests += (_rank_sum(groups[0], groups[1], (used[0], used[1])),)
    else:
        tests = (_kruskal(groups, used), _anova(groups, used), _welch_anova(groups, used))
    if note:
        tests = tuple(replace(t, note="; ".join(x for x in (t.note, note) if x)) for t in tests)
    return tests


def group_test_estimates(
    tests: Sequence[GroupTest], *, difference: str, differs: str, note: str = ""
) -> list[Estimate]:
    """Tidy rows of the between-group tests, each quantity named so that no two are alike.

    Welch's t (two groups) estimates a difference and is called ``difference``; the tests of
    three or more groups are called ``differs`` followed by the test in brackets
    (``"change differs between bands (Kruskal–Wallis)"``, ``"... (one-way ANOVA)"``).

    Examples
    --------
    >>> tests = compare_groups([[1.0, 2.0], [2.0, 4.0], [5.0, 9.0]], ["a", "b", "c"])
    >>> [e.quantity for e in group_test_estimates(tests, difference="d", differs="differs")]
    ['differs (Kruskal–Wallis)', 'differs (one-way ANOVA)', 'differs (Welch ANOVA)']
    """
    return [
        t.to_estimate(difference if t.method == "Welch t" else f"{differs} ({t.method})", note)
        for t in tests
    ]
