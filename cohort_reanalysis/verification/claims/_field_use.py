"""Which quantity and method fields each statistic of a table claim uses, and which tests
it takes: the tables the parser (``_table_claims``) checks every claim against.

A field a statistic does not use is an error naming it, never ignored; so each statistic's
fields are declared here once: ``NEEDS`` (fields it cannot go without), ``USES`` (every
quantity field it may carry), ``METHOD_USE`` (the statistics each method field applies to),
``STAT_TESTS`` (the tests each statistic takes) and ``TEST_USE`` (method fields that belong
to a test).
"""

from __future__ import annotations

from ._vocabulary import TESTS

__all__ = [
    "COUNT_TESTS",
    "GROUP_TESTS",
    "METHOD_USE",
    "NEEDS",
    "OF_CHANGE",
    "ONE_SAMPLE_TESTS",
    "PAIRED_EFFECT_SIZES",
    "PAIRED_TESTS",
    "STAT_TESTS",
    "TEST_USE",
    "USES",
]

_ANY = ("subset", "method")  # every statistic may be restricted and say what was done
OF_CHANGE = ("direction", "pair")  # used by a claim about change (see _about_change)
_ONE = ("variable", *_ANY, *OF_CHANGE)

#: Statistic -> every quantity field (beyond ``statistic``) it may carry.
USES: dict[str, tuple[str, ...]] = {
    "n": ("subset", "method"),
    "count": ("variable", "level", *_ANY),
    "mean": _ONE,
    "sd": _ONE,
    "min": _ONE,
    "max": _ONE,
    "median": _ONE,
    "range": _ONE,
    "quantile": (*_ONE, "prob"),
    "quartiles": _ONE,
    "mean_change": _ONE,
    "pvalue": (*_ONE, "x", "y", "groups"),
    "correlation": ("x", "y", *_ANY, *OF_CHANGE),
    "difference_between": (*_ONE, "groups"),
    "ci": (*_ONE, "x", "y", "groups"),
    "statistic": (*_ONE, "x", "y", "groups"),
    "df": (*_ONE, "x", "y", "groups"),
    "se": _ONE,
    "effect_size": (*_ONE, "groups"),
    "proportion": ("condition", *_ANY, *OF_CHANGE),
    "percent_change": _ONE,
    "slope": ("x", "y", *_ANY, *OF_CHANGE),
    "row_identity": ("column", "equals", "method"),
}
#: Statistic -> the fields it cannot go without.
NEEDS: dict[str, tuple[str, ...]] = {
    "count": ("variable", "level"),
    "mean": ("variable",),
    "sd": ("variable",),
    "min": ("variable",),
    "max": ("variable",),
    "median": ("variable",),
    "range": ("variable",),
    "quantile": ("variable", "prob"),
    "quartiles": ("variable",),
    "correlation": ("x", "y"),
    "difference_between": ("variable", "groups"),
    "proportion": ("condition",),
    "slope": ("x", "y"),
    "row_identity": ("column", "equals"),
}
#: Method field -> the statistics it applies to (``stated`` applies to all).
METHOD_USE: dict[str, tuple[str, ...]] = {
    "test": ("pvalue", "difference_between", "ci", "statistic", "df"),
    "alternative": ("pvalue", "difference_between", "ci"),
    "correlation": ("correlation", "pvalue", "ci", "statistic", "df"),
    "quantile_type": ("median", "quantile", "quartiles"),
    "sd_ddof": ("sd",),
    "confidence_level": ("ci",),
    "mu": ("pvalue", "statistic", "ci"),
    "effect_size": ("effect_size",),
    "percent_change": ("percent_change",),
}
PAIRED_TESTS = frozenset({"paired_t", "wilcoxon"})
ONE_SAMPLE_TESTS = frozenset({"one_sample_t", "signed_rank"})
GROUP_TESTS = frozenset({"welch_t", "student_t", "wilcoxon", "kruskal"})
COUNT_TESTS = frozenset({"chi2", "fisher"})
#: Statistic -> the tests it takes (a test, with ``method.test``).
STAT_TESTS: dict[str, frozenset[str]] = {
    "pvalue": TESTS,
    "difference_between": GROUP_TESTS,
    "ci": PAIRED_TESTS | ONE_SAMPLE_TESTS | {"welch_t", "student_t", "correlation"},
    "statistic": TESTS - {"fisher"},
    "df": frozenset({"paired_t", "one_sample_t", "welch_t", "student_t", "correlation", "chi2"}),
}
#: Method field -> the tests it applies to, where it is a property of the test.
TEST_USE: dict[str, frozenset[str]] = {"mu": ONE_SAMPLE_TESTS}
#: Effect sizes of paired data only (their SD is that of the changes).
PAIRED_EFFECT_SIZES = frozenset({"d_z", "d_rm"})
