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
* :mod:`._t_tests`: one-sample (paired) t, Student's and Welch's two-sample t, as statistics
  and as R's ``t.test`` (p, interval, SE); one t per row subset of a mask matrix.
* :mod:`._ranks`: average ranks and tie sizes.
* :mod:`._rank_tests`: signed-rank z, rank-sum z, Kruskal–Wallis.
* :mod:`._signed_rank`: R's one-sample ``wilcox.test`` (exact and normal p, the interval of
  the pseudomedian); :mod:`._walsh`: order statistics of the Walsh averages.
* :mod:`._effect_sizes`: d_z, d_av, d_rm, g_av, and between groups d_s, g_s (Lakens 2013).
* :mod:`._change`: percent change (two definitions); a proportion with its Clopper–Pearson CI.
* :mod:`._least_squares`: the least-squares fit and the slope's test and interval (R's ``lm``).
* :mod:`._contingency`: chi-squared (Yates on 2 x 2) and Fisher's exact test (2 x 2), as R.
* :mod:`._zeroin`: R's ``uniroot``, for the values R finds by root finding.
* :mod:`._correlation`: Pearson, Spearman, Kendall tau-b and their test statistics; r's
  Fisher-z interval.
* :mod:`._quantiles`: the nine Hyndman & Fan sample quantiles.
* :mod:`._masked`: counts, means, SDs, extremes and the nine quantiles of many row subsets
  (a boolean mask matrix) at once, bit for bit the 1-D forms.
"""

from ._change import (
    PERCENT_CHANGE_METHODS,
    PercentChangeMethod,
    Proportion,
    clopper_pearson,
    percent_change,
    proportion,
)
from ._contingency import ChiSquaredTest, FisherTest, chi2_test, fisher_test
from ._correlation import (
    CORRELATION_METHODS,
    CorrelationTest,
    correlation_test,
    kendall_s,
    kendall_tau_b,
    pearson_interval,
    pearson_r,
    spearman_rho,
    t_from_r,
    t_of_pair,
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
from ._effect_sizes import (
    cohens_d_av,
    cohens_d_between,
    cohens_d_rm,
    cohens_d_z,
    hedges_correction,
    hedges_g_av,
    hedges_g_between,
)
from ._least_squares import LeastSquares, Slope, least_squares, slope
from ._masked import (
    masked_counts,
    masked_groups,
    masked_max,
    masked_mean,
    masked_min,
    masked_moments,
    masked_moments_many,
    masked_quantiles_all_types,
    masked_std,
)
from ._masked_tests import (
    masked_correlation,
    masked_kruskal_wallis,
    masked_one_sample_t,
    masked_paired_moments,
    masked_rank_sum,
    masked_rank_sum_parts,
    masked_samples,
    masked_signed_rank,
    masked_two_sample_t,
)
from ._quantiles import QuantileType, quantiles, quantiles_all_types, resolve_quantile_type
from ._rank_tests import (
    KruskalWallis,
    RankSum,
    kruskal_wallis,
    rank_sum_parts,
    rank_sum_z,
    rank_sum_z_from_parts,
    signed_rank_z,
)
from ._ranks import average_ranks
from ._signed_rank import (
    SignedRankStatistic,
    SignedRankTest,
    psignrank,
    qsignrank,
    signed_rank_statistic,
    signed_rank_test,
    signif,
)
from ._t_tests import (
    OneSampleT,
    TTest,
    TwoSampleT,
    one_sample_t,
    one_sample_t_from_moments,
    paired_t_from_summary,
    t_test,
    two_sample_t,
    two_sample_t_from_moments,
    two_sample_t_test,
)
from ._walsh import walsh_averages, walsh_order_statistics
from ._zeroin import uniroot

__all__ = [
    "ALTERNATIVES",
    "CORRELATION_METHODS",
    "PERCENT_CHANGE_METHODS",
    "Alternative",
    "ChiSquaredTest",
    "CorrelationTest",
    "FisherTest",
    "KruskalWallis",
    "LeastSquares",
    "OneSampleT",
    "PercentChangeMethod",
    "Proportion",
    "QuantileType",
    "RankSum",
    "SignedRankStatistic",
    "SignedRankTest",
    "Slope",
    "TTest",
    "TwoSampleT",
    "average_ranks",
    "check_alternative",
    "chi2_test",
    "clopper_pearson",
    "cohens_d_av",
    "cohens_d_between",
    "cohens_d_rm",
    "cohens_d_z",
    "correlation_test",
    "fisher_test",
    "hedges_correction",
    "hedges_g_av",
    "hedges_g_between",
    "kendall_s",
    "kendall_tau_b",
    "kruskal_wallis",
    "least_squares",
    "masked_correlation",
    "masked_counts",
    "masked_groups",
    "masked_kruskal_wallis",
    "masked_max",
    "masked_mean",
    "masked_min",
    "masked_moments",
    "masked_moments_many",
    "masked_one_sample_t",
    "masked_paired_moments",
    "masked_quantiles_all_types",
    "masked_rank_sum",
    "masked_rank_sum_parts",
    "masked_samples",
    "masked_signed_rank",
    "masked_std",
    "masked_two_sample_t",
    "one_sample_t",
    "one_sample_t_from_moments",
    "p_from_chi2",
    "p_from_f",
    "p_from_t",
    "p_from_z",
    "paired_t_from_summary",
    "pearson_interval",
    "pearson_r",
    "percent_change",
    "proportion",
    "psignrank",
    "qsignrank",
    "quantiles",
    "quantiles_all_types",
    "rank_sum_parts",
    "rank_sum_z",
    "rank_sum_z_from_parts",
    "resolve_quantile_type",
    "signed_rank_statistic",
    "signed_rank_test",
    "signed_rank_z",
    "signif",
    "slope",
    "spearman_rho",
    "t_from_r",
    "t_interval",
    "t_of_pair",
    "t_quantile",
    "t_test",
    "two_sample_t",
    "two_sample_t_from_moments",
    "two_sample_t_test",
    "uniroot",
    "walsh_averages",
    "walsh_order_statistics",
    "z_quantile",
]
