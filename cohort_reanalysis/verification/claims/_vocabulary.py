"""The vocabulary of the claims format: the words a claims file may use, and its formats.

Statistics, ops, comparators, tests, alternatives, correlations, effect sizes, ... (see
``docs/claims-format.md``): what the parser accepts in each field of a claim, and what the
model's values (``_model``) hold.
"""

from __future__ import annotations

from .._interval import COMPARATORS as INTERVAL_COMPARATORS
from .._rounding import ROUNDING_NAMES

__all__ = [
    "ALTERNATIVES",
    "COMPARATORS",
    "CORRELATIONS",
    "DIRECTIONS",
    "DRAFT_STATES",
    "EFFECT_SIZES",
    "FORMAT",
    "FORMATS",
    "FORMAT_V1",
    "IDENTITY_OPS",
    "NEEDS_QUANTITY",
    "OPS",
    "PERCENT_CHANGES",
    "QUANTITY_GUESSED",
    "ROLES",
    "ROUNDINGS",
    "STATISTICS",
    "SUMMARY_KINDS",
    "TESTS",
]

#: The format written by this version; ``FORMAT_V1`` files keep loading unchanged.
FORMAT = "cohort-reanalysis/claims@2"
FORMAT_V1 = "cohort-reanalysis/claims@1"
FORMATS = frozenset({FORMAT_V1, FORMAT})

STATISTICS = frozenset(
    {
        "n",
        "count",
        "mean",
        "sd",
        "min",
        "max",
        "median",
        "range",
        "quantile",
        "quartiles",
        "mean_change",
        "pvalue",
        "correlation",
        "difference_between",
        # claims@2
        "ci",
        "statistic",
        "df",
        "se",
        "effect_size",
        "proportion",
        "percent_change",
        "slope",
        "row_identity",
    }
)
OPS = frozenset({"==", "!=", "<", "<=", ">", ">="})
#: How a claim relates its number to the truth: the comparators of a printed interval.
COMPARATORS = frozenset(INTERVAL_COMPARATORS)
TESTS = frozenset(
    {
        "paired_t",
        "welch_t",
        "student_t",
        "wilcoxon",
        "correlation",
        "kruskal",
        # claims@2
        "one_sample_t",
        "signed_rank",
        "chi2",
        "fisher",
    }
)
DIRECTIONS = frozenset({"change", "reduction"})
ALTERNATIVES = frozenset({"two-sided", "less", "greater"})
CORRELATIONS = frozenset({"pearson", "spearman", "kendall"})
#: Standardised mean differences: of the changes (d_z), on the average SD (d_av), on the
#: repeated-measures SD (d_rm), and d_av with Hedges' small-sample correction.
EFFECT_SIZES = frozenset({"d_z", "d_av", "d_rm", "hedges_g"})
#: A percent change as the mean of per-row ratios, or as the change of the means.
PERCENT_CHANGES = frozenset({"mean_of_ratios", "ratio_of_means"})
#: What a row identity says a printed column equals, of two operands A and B: A - B, A + B,
#: A / B, 100 (A - B) / B.
IDENTITY_OPS = frozenset({"difference", "sum", "ratio", "percent_change"})
#: Role names a variable may use instead of a column name (``change`` is after - before).
ROLES = frozenset({"before", "after", "change", "age", "dose", "followup", "sex", "group", "id"})
SUMMARY_KINDS = frozenset(
    {"estimate_ci", "mean_sd", "test_statistic", "counts", "count", "summary_table"}
)
#: What a drafted claim still needs (``draft``, **@2**): a quantity the reviewer must give, or
#: a quantity the draft guessed from the table's columns, for the reviewer to confirm.
NEEDS_QUANTITY = "needs quantity"
QUANTITY_GUESSED = "quantity guessed"
DRAFT_STATES = frozenset({NEEDS_QUANTITY, QUANTITY_GUESSED})

#: Rounding procedures a summary claim may name, the library's and scrutiny's (``_rounding``).
ROUNDINGS = frozenset(ROUNDING_NAMES)
