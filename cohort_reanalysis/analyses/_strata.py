"""Cutting a variable into strata at thresholds, with the boundary rule stated; comparing strata.

Every analysis that groups patients (severity subgroups by baseline, dose groups, follow-up bands)
goes through :func:`cut`, so that the side of the boundary a value equal to a cutoff falls on is a
named option, not an accident of ``<`` versus ``<=``, and the rule is printed the same way
everywhere (``"HbA1c ≤ 8 % | HbA1c > 8 %"``).

:func:`compare_groups` is the between-strata test they share: Welch's t for two groups, and for
more the Kruskal–Wallis test (stated), with the one-way ANOVA and Welch's ANOVA beside it.
:func:`paired_by_stratum` runs the paired analysis of :mod:`._paired` in each stratum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt

from .._format import format_number
from ..cohort import Cohort, PairedData
from ._kernel import kruskal_wallis, p_from_f, p_from_t, t_interval, two_sample_t
from ._result import Estimate

if TYPE_CHECKING:
    from ._correlation import CorrelationResult
    from ._linear_model import LinearModelResult
    from ._paired import PairedChangeResult

__all__ = [
    "Boundary",
    "GroupTest",
    "Strata",
    "StratumSummary",
    "compare_groups",
    "correlation_estimate",
    "cut",
    "format_cutoff",
    "group_test_estimates",
    "model_term_estimate",
    "paired_by_stratum",
    "resolve_pairs",
]

Boundary = Literal["lower", "upper"]
_BOUNDARIES = ("lower", "upper")


def format_cutoff(value: float) -> str:
    """A cutoff as the user wrote it, and exactly as it compares.

    Whole numbers print without a decimal point (``8``, ``1000``); any other value prints as
    the shortest text that reads back to the same float (``6.2``, ``8.05``), never rounded,
    since a rounded cutoff would misstate which side of the boundary a value falls on.

    Examples
    --------
    >>> format_cutoff(8.0), format_cutoff(1000), format_cutoff(6.2), format_cutoff(1234.5678)
    ('8', '1000', '6.2', '1234.5678')
    """
    x = float(value)
    return format_number(x) if x.is_integer() else repr(x)


@dataclass(frozen=True)
class Strata:
    """The strata of one variable and which stratum each row falls in.

    Attributes
    ----------
    labels : tuple of str
        One label per stratum, lowest first.
    index : numpy.ndarray
        Stratum number (0-based, into ``labels``) of every value, in input order.
    rule_text : str
        The rule, one condition per stratum joined by ``" | "``, e.g.
        ``"HbA1c ≤ 8 % | HbA1c > 8 %"``. Printed by every result that uses it.
    conditions : tuple of str
        The condition of each stratum (``"HbA1c ≤ 8 %"``).
    cutoffs : tuple of float
        Increasing cutoffs; ``len(labels) == len(cutoffs) + 1``.
    boundary : {"lower", "upper"}
        Which stratum a value equal to a cutoff belongs to.
    variable : str
        Name used in the rule text.
    unit : str or None
        Unit printed after each cutoff.
    """

    labels: tuple[str, ...]
    index: np.ndarray = field(repr=False)
    rule_text: str
    conditions: tuple[str, ...]
    cutoffs: tuple[float, ...]
    boundary: Boundary
    variable: str = "x"
    unit: str | None = None

    def __post_init__(self) -> None:
        self.index.setflags(write=False)

    @property
    def k(self) -> int:
        """Number of strata."""
        return len(self.labels)

    def mask(self, stratum: int) -> np.ndarray:
        """Boolean mask of the values in stratum number ``stratum``."""
        return np.asarray(self.index == stratum)

    def counts(self) -> tuple[int, ...]:
        """Number of values in each stratum (zeros included)."""
        return tuple(int(c) for c in np.bincount(self.index, minlength=self.k))

    @property
    def boundary_text(self) -> str:
        """The boundary rule in words ("a value equal to a cutoff belongs to the lower stratum")."""
        return f"a value equal to a cutoff belongs to the {self.boundary} stratum"


def cut(
    values: npt.ArrayLike,
    cutoffs: Sequence[float] | float,
    *,
    boundary: Boundary,
    labels: Sequence[str] | None = None,
    variable: str = "x",
    unit: str | None = None,
) -> Strata:
    """Cut ``values`` into strata at ``cutoffs``, with the boundary rule explicit.

    Parameters
    ----------
    values : array_like
        Finite numbers (missing values must be removed first: they belong to no stratum).
    cutoffs : float or sequence of float
        Strictly increasing, finite cutoffs; ``k`` cutoffs give ``k + 1`` strata.
    boundary : {"lower", "upper"}
        Which stratum a value *equal to* a cutoff belongs to. ``"lower"``: strata
        ``x ≤ c1``, ``c1 < x ≤ c2``, ..., ``x > ck``. ``"upper"``: ``x < c1``,
        ``c1 ≤ x < c2``, ..., ``x ≥ ck``. Values are compared exactly, as stored.
    labels : sequence of str, optional
        One unique label per stratum; by default the condition text of each stratum.
    variable, unit : str
        How the variable and its unit are printed in the rule text.

    Returns
    -------
    Strata

    Raises
    ------
    ValueError
        For missing or infinite values, unsorted or repeated cutoffs, an unknown boundary, or
        labels of the wrong number.

    Examples
    --------
    >>> s = cut([7.1, 8.0, 9.3], [8.0], boundary="lower", variable="HbA1c", unit="%")
    >>> s.rule_text
    'HbA1c ≤ 8 % | HbA1c > 8 %'
    >>> s.index.tolist()
    [0, 0, 1]
    >>> cut([7.1, 8.0, 9.3], [8.0], boundary="upper").index.tolist()
    [0, 1, 1]
    """
    if boundary not in _BOUNDARIES:
        raise ValueError(f"boundary must be 'lower' or 'upper', got {boundary!r}")
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"values must be one-dimensional, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(
            f"{variable} has missing or infinite values; they belong to no stratum, so leave "
            "those rows out (with a reason) before cutting"
        )
    cuts = np.atleast_1d(np.asarray(cutoffs, dtype=np.float64))
    if cuts.ndim != 1 or cuts.size == 0:
        raise ValueError("cutoffs must be one number or a non-empty sequence of numbers")
    if not np.all(np.isfinite(cuts)):
        raise ValueError(f"cutoffs must be finite, got {cuts.tolist()}")
    if np.any(np.diff(cuts) <= 0):
        raise ValueError(f"cutoffs must be strictly increasing, got {cuts.tolist()}")

    # searchsorted "left" puts x == c below c (lower stratum); "right" puts it above.
    side: Literal["left", "right"] = "left" if boundary == "lower" else "right"
    index = np.searchsorted(cuts, x, side=side).astype(np.intp)

    # below: how a stratum's upper end reads; above: its lower end ("c < x" or "c ≤ x").
    below, above = ("≤", "<") if boundary == "lower" else ("<", "≤")
    suffix = f" {unit}" if unit else ""
    texts = [format_cutoff(c) + suffix for c in cuts]
    conditions = [f"{variable} {below} {texts[0]}"]
    conditions += [
        f"{format_cutoff(cuts[i - 1])} {above} {variable} {below} {texts[i]}"
        for i in range(1, len(texts))
    ]
    conditions.append(f"{variable} {'>' if boundary == 'lower' else '≥'} {texts[-1]}")
    if labels is None:
        labels_t = tuple(conditions)
    else:
        labels_t = tuple(str(s) for s in labels)
        if len(labels_t) != len(conditions):
            raise ValueError(
                f"{len(cuts)} cutoff(s) make {len(conditions)} strata, but {len(labels_t)} "
                f"label(s) were given: {list(labels_t)}"
            )
        if len(set(labels_t)) != len(labels_t):
            raise ValueError(f"labels must be unique, got {list(labels_t)}")
    return Strata(
        labels=labels_t,
        index=index,
        rule_text=" | ".join(conditions),
        conditions=tuple(conditions),
        cutoffs=tuple(float(c) for c in cuts),
        boundary=boundary,
        variable=variable,
        unit=unit,
    )


# --------------------------------------------------------------------------- between-strata tests


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
) -> tuple[GroupTest, ...]:
    """Tests that an outcome differs between groups; the first one returned is the stated test.

    Empty groups are left out (each named in the ``note``). With two non-empty groups the stated
    test is Welch's t (difference last minus first, with its CI); with more it is the
    Kruskal–Wallis test, followed by the one-way ANOVA and Welch's ANOVA for reference.

    Parameters
    ----------
    values : sequence of array_like
        The outcome in each group, in stratum order.
    labels : sequence of str
        One label per group.
    confidence_level : float
        For the CI of Welch's difference in means.

    Returns
    -------
    tuple of GroupTest
        Never empty; a test that cannot be computed carries a ``reason``.

    Examples
    --------
    >>> tests = compare_groups([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0]], ["a", "b"])
    >>> tests[0].method, tests[0].estimate
    ('Welch t', 2.0)
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


def correlation_estimate(
    quantity: str, c: CorrelationResult | None, reason: str, n: int
) -> Estimate:
    """A tidy row for a correlation, or an empty row carrying the reason it is missing."""
    if c is None:
        return Estimate(quantity, n=n, note=reason)
    method = {
        "pearson": "Pearson, Fisher-z CI",
        "spearman": "Spearman, t approximation",
        "kendall": "Kendall tau-b, normal approximation",
    }.get(c.method, c.method)
    return Estimate(
        quantity,
        c.estimate,
        c.ci_low,
        c.ci_high,
        c.confidence_level if c.ci_low is not None else None,
        c.statistic,
        c.df,
        c.pvalue,
        c.n,
        f"{method} ({c.statistic_name} statistic)",
        "; ".join(c.notes),
    )


def model_term_estimate(
    quantity: str, m: LinearModelResult, term: str, method: str, note: str
) -> Estimate:
    """A tidy row for one term of a fitted linear model."""
    i = m.index(term)
    return Estimate(
        quantity,
        m.coef[i],
        m.ci_low[i],
        m.ci_high[i],
        m.confidence_level,
        m.statistic[i],
        float(m.df_resid),
        m.pvalue[i],
        m.n,
        method,
        note,
    )


# --------------------------------------------------------------------------- paired per stratum


@dataclass(frozen=True)
class StratumSummary:
    """The paired analysis of one stratum.

    ``paired`` is ``None`` (with ``reason``) when the stratum has no patients; a stratum of one
    patient carries the paired result's own ``None``-with-reason fields.
    """

    label: str
    condition: str
    n: int
    rows: np.ndarray = field(repr=False)
    paired: PairedChangeResult | None = field(repr=False)
    reason: str | None = None


def paired_by_stratum(
    pairs: PairedData, strata: Strata, *, confidence_level: float = 0.95
) -> tuple[StratumSummary, ...]:
    """Run :func:`~._paired.paired_change` on the pairs of each stratum (empty ones listed)."""
    from ._paired import paired_change

    if strata.index.size != pairs.n:
        raise ValueError(f"strata cover {strata.index.size} values but there are {pairs.n} pairs")
    out = []
    for i, (label, condition) in enumerate(zip(strata.labels, strata.conditions, strict=True)):
        sub = pairs.select(strata.mask(i))
        if sub.n == 0:
            out.append(
                StratumSummary(
                    label, condition, 0, sub.rows, None, reason="no patients in this stratum"
                )
            )
            continue
        result = paired_change(sub, confidence_level=confidence_level)
        out.append(StratumSummary(label, condition, sub.n, sub.rows, result))
    return tuple(out)


# --------------------------------------------------------------------------- input


def resolve_pairs(
    data: Cohort | PairedData, require: Sequence[str], *, who: str
) -> tuple[PairedData, dict[str, str | None]]:
    """The pairs an analysis uses (rows missing a required value left out, with the reason),
    and the unit of each required column (``None`` if unknown).

    A :class:`PairedData` must already carry the required values in ``extra``.
    """
    if isinstance(data, Cohort):
        pairs = data.pair(require=tuple(require))
        units: dict[str, str | None] = {}
        for name in require:
            spec = data.column(name)
            units[name] = spec.unit if spec is not None else None
        return pairs, units
    if isinstance(data, PairedData):
        missing = [r for r in require if r not in data.extra]
        if missing:
            raise ValueError(
                f"{who} needs {', '.join(repr(m) for m in missing)} for every pair; build the "
                f"pairs with cohort.pair(require={tuple(require)!r}) or pass the Cohort"
            )
        for name in require:
            values = np.asarray(data.extra[name], dtype=np.float64)
            if not np.all(np.isfinite(values)):
                raise ValueError(f"{name!r} has missing values in the pairs given to {who}")
        return data, {name: None for name in require}
    raise TypeError(f"{who} needs a Cohort or PairedData, got {type(data).__name__}")
