"""The design of a test-like claim, and the test choices of the declared space it touches.

A ``pvalue``, ``ci``, ``statistic``, ``df``, ``se`` or ``effect_size`` claim speaks of one of
five designs (:func:`design`):

==============  ==========================================================================
design          what is tested or estimated
==============  ==========================================================================
``paired``      the change after - before (of ``pair``'s columns, or the roles), in a subset
``one_sample``  one ``variable`` against ``method.mu`` (``one_sample_t``, ``signed_rank``;
                a ``ci`` or ``se`` of a variable other than change: of its mean)
``groups``      ``variable`` between the two ``groups`` (a count by group: ``chi2``,
                ``fisher``)
``xy``          the correlation of ``x`` and ``y`` (a ``ci`` without a correlation method:
                the slope of ``y`` on ``x``)
==============  ==========================================================================

:func:`design_choices` gives the choices of each (see ``_space`` and
``docs/specification-space.md``): the alternative of a p-value; pairing, test family and
variance as in claims@1; the law of a signed-rank p or interval (R's default, exact below 50
non-zero values without ties, or the normal approximation); the effect size.
"""

from __future__ import annotations

from ._specification import (
    ALTERNATIVE,
    CORRELATION,
    EFFECT_SIZE,
    PAIRING,
    SIGNED_RANK_LAW,
    TEST,
    VARIANCE,
    Choice,
)
from .claims import Quantity

__all__ = [
    "COUNT_TESTS",
    "ONE_SAMPLE",
    "PAIRED_EFFECT_SIZES",
    "SIGNED_RANK_LAWS",
    "TEST_STATISTICS",
    "design",
    "design_choices",
]

#: Statistics of a test or an estimate with a design.
TEST_STATISTICS = frozenset({"pvalue", "ci", "statistic", "df", "se", "effect_size"})
#: The ``pairing`` value of a one-sample design (a single value: no alternative is tried).
ONE_SAMPLE = "one_sample"
#: The count tests, as ``test`` values: chi-squared with Yates' correction (R's default on
#: 2 x 2), without it, and Fisher's exact test.
COUNT_TESTS = ("chi2", "chi2_uncorrected", "fisher")
#: R's default law of a signed-rank test (exact below 50 values without ties or zeros), or
#: the normal approximation with continuity correction.
SIGNED_RANK_LAWS = ("r_default", "normal")
PAIRED_EFFECT_SIZES = ("d_z", "d_av", "d_rm", "hedges_g")
GROUP_EFFECT_SIZES = ("d_av", "hedges_g")

# method.test -> (pairing, test family, variance)
_TEST_FAMILY = {
    "paired_t": ("paired", "t", "student"),
    "wilcoxon": ("paired", "rank", "student"),
    "student_t": ("unpaired", "t", "student"),
    "welch_t": ("unpaired", "t", "welch"),
    "kruskal": ("unpaired", "kruskal", "student"),
    "one_sample_t": (ONE_SAMPLE, "t", "student"),
    "signed_rank": (ONE_SAMPLE, "rank", "student"),
    "chi2": ("unpaired", "chi2", "student"),
    "fisher": ("unpaired", "fisher", "student"),
}
_DEFAULT_TEST = {"paired": "paired_t", "groups": "student_t", ONE_SAMPLE: "one_sample_t"}


def design(q: Quantity) -> str | None:
    """``paired``, ``one_sample``, ``groups`` or ``xy`` for a test-like statistic, else None.

    Examples
    --------
    >>> from cohort_reanalysis.verification.claims import Method
    >>> design(Quantity("ci", variable="age")), design(Quantity("pvalue"))
    ('one_sample', 'paired')
    >>> design(Quantity("statistic", variable="d", method=Method(test="signed_rank")))
    'one_sample'
    """
    if q.statistic not in TEST_STATISTICS:
        return None
    if q.x is not None or q.y is not None:
        return "xy"
    if q.groups is not None:
        return "groups"
    test = q.method.test
    if test in ("one_sample_t", "signed_rank"):
        return ONE_SAMPLE
    if q.statistic in ("ci", "se") and test is None and q.variable not in (None, "change"):
        return ONE_SAMPLE  # the interval or SE of a mean
    return "paired"


def _choice(name: str, stated: str, values: tuple[str, ...], words: str) -> Choice:
    return Choice(name, stated, tuple(v for v in values if v != stated), words)


def design_choices(q: Quantity) -> list[Choice]:
    """The test choices of a quantity, in the space's order (empty if it has none).

    Examples
    --------
    >>> from cohort_reanalysis.verification.claims import Method
    >>> [c.name for c in design_choices(Quantity("pvalue"))]
    ['alternative', 'pairing', 'test', 'variance']
    >>> [c.values for c in design_choices(Quantity("effect_size"))]
    [('d_z', 'd_av', 'd_rm', 'hedges_g')]
    """
    kind = design(q)
    stat, method = q.statistic, q.method
    out: list[Choice] = []
    if kind is None or stat == "se":
        return out
    if kind == "xy":
        if stat in ("pvalue", "statistic"):
            corr = method.correlation or "pearson"
            out.append(
                _choice(
                    CORRELATION,
                    corr,
                    ("pearson", "spearman", "kendall"),
                    "correlation coefficient (Pearson r, Spearman rho, Kendall tau-b)",
                )
            )
        if stat == "pvalue":
            out.append(_alternative(q))
        return out
    if stat == "effect_size":
        sizes = GROUP_EFFECT_SIZES if kind == "groups" else PAIRED_EFFECT_SIZES
        out.append(
            _choice(
                EFFECT_SIZE,
                method.effect_size or sizes[0],
                sizes,
                "standardised mean difference: d_z (SD of the changes), d_av (mean SD; "
                "between groups the pooled SD), d_rm (repeated-measures SD), hedges_g",
            )
        )
        return out
    if stat == "pvalue":
        out.append(_alternative(q))
    pairing, family, variance = _TEST_FAMILY[method.test or _DEFAULT_TEST[kind]]
    if kind == "paired":
        out.append(
            _choice(
                PAIRING,
                pairing,
                ("paired", "unpaired"),
                "before vs after as paired observations or as two samples",
            )
        )
    elif kind == ONE_SAMPLE:
        out.append(Choice(PAIRING, ONE_SAMPLE, (), "one sample against mu"))
    families: tuple[str, ...]
    if family in ("chi2", "fisher") and stat == "statistic":
        families = ("chi2", "chi2_uncorrected")  # Fisher's test has no statistic
    elif stat in ("df", "statistic") or (stat == "ci" and kind == "groups"):
        # t, V, W and H are on scales of their own; the other tests have no df, or no
        # interval here
        families = (family,)
    elif family in ("chi2", "fisher"):
        families = COUNT_TESTS
    elif kind == "groups":
        families = ("t", "rank", "kruskal")
    else:
        families = ("t", "rank")
    out.append(
        _choice(
            TEST,
            family,
            families,
            "t-test, Wilcoxon rank test (signed-rank if paired or one-sample, rank-sum if "
            "not), Kruskal-Wallis, or for a count chi-squared (with or without Yates' "
            "correction) or Fisher's exact test",
        )
    )
    if kind != ONE_SAMPLE and family in ("t", "rank", "kruskal"):
        out.append(
            _choice(
                VARIANCE,
                variance,
                ("student", "welch"),
                "unpaired t: pooled variance (Student) or Welch's",
            )
        )
    law = (stat == "ci" and kind != "groups") or (stat == "pvalue" and kind == ONE_SAMPLE)
    if law and "rank" in families:
        out.append(
            _choice(
                SIGNED_RANK_LAW,
                SIGNED_RANK_LAWS[0],
                SIGNED_RANK_LAWS,
                "signed-rank p or interval: R's default (exact below 50 non-zero values "
                "without ties) or the normal approximation with continuity correction",
            )
        )
    return out


def _alternative(q: Quantity) -> Choice:
    return _choice(
        ALTERNATIVE,
        q.method.alternative or "two-sided",
        ("two-sided", "less", "greater"),
        "one- or two-sided; 'less'/'greater' refer to the claim's direction",
    )
