"""The statistics kernel: every formula the analyses and the verification share, once.

Array-level routines (numpy in, floats or arrays out) that know nothing of cohorts, claims or
results. The result builders of :mod:`cohort_reanalysis.analyses` and the recomputation of
:mod:`cohort_reanalysis.verification` both call these, so a p-value or an interval cannot
differ between the two layers. Distribution functions come from :mod:`scipy.special`,
imported inside the functions; a routine is hand-written only where R's definition is the
one papers use and scipy's differs or lacks the option (each says why).

Where each question lives:

* :mod:`._distributions`: p from t, z, F and chi-squared by alternative; t and z quantiles;
  the t interval.
* :mod:`._t_tests`: one-sample (paired) t, Student's and Welch's two-sample t.
* :mod:`._ranks`: average ranks and tie sizes.
* :mod:`._rank_tests`: signed-rank z, rank-sum z, Kruskal–Wallis.
* :mod:`._correlation`: Pearson, Spearman, Kendall tau-b and their test statistics.
* :mod:`._quantiles`: the nine Hyndman & Fan sample quantiles.
"""

from ._correlation import (
    CORRELATION_METHODS,
    CorrelationTest,
    correlation_test,
    kendall_s,
    kendall_tau_b,
    pearson_r,
    spearman_rho,
    t_from_r,
)
from ._distributions import (
    ALTERNATIVES,
    Alternative,
    check_alternative,
    p_from_chi2,
    p_from_f,
    p_from_t,
    p_from_z,
    t_interval,
    t_quantile,
    z_quantile,
)
from ._quantiles import QuantileType, quantiles, quantiles_all_types, resolve_quantile_type
from ._rank_tests import KruskalWallis, RankSum, kruskal_wallis, rank_sum_z, signed_rank_z
from ._ranks import average_ranks
from ._t_tests import OneSampleT, TwoSampleT, one_sample_t, two_sample_t

__all__ = [
    "ALTERNATIVES",
    "CORRELATION_METHODS",
    "Alternative",
    "CorrelationTest",
    "KruskalWallis",
    "OneSampleT",
    "QuantileType",
    "RankSum",
    "TwoSampleT",
    "average_ranks",
    "check_alternative",
    "correlation_test",
    "kendall_s",
    "kendall_tau_b",
    "kruskal_wallis",
    "one_sample_t",
    "p_from_chi2",
    "p_from_f",
    "p_from_t",
    "p_from_z",
    "pearson_r",
    "quantiles",
    "quantiles_all_types",
    "rank_sum_z",
    "resolve_quantile_type",
    "signed_rank_z",
    "spearman_rho",
    "t_from_r",
    "t_interval",
    "t_quantile",
    "two_sample_t",
    "z_quantile",
]
